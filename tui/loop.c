#include "tui/loop.h"

#include <poll.h>
#include <unistd.h>

#include "clients/http.h"
#include "panels/action.h"
#include "tui/app.h"
#include "tui/keyseq.h"
#include "tui/screen.h"
#include "tui/term.h"

/* One step of the network side (start due polls, move transfers, recalc). */
static void loop_step(struct app *a)
{
	if (!a->env.first_frame_pending) /* the first frame comes from the cache, before the network
	                                  */
		sched_run_due(a->sched);
	http_perform(a->http);
	action_poll(a->action); /* hooks and timeouts of a write */
	app_recalc(a);
}

/* Keys until the input is drained. Returns how many came. */
static int drain_keys(struct app *a, WINDOW *in, struct keyseq *seq)
{
	int n = 0;
	wint_t ch;
	int r;
	struct keyseq_key out[2];
	while (!a->quit && (r = wget_wch(in, &ch)) != ERR) {
		n++;
		int k = keyseq_feed(seq, (int)ch, r == KEY_CODE_YES, a->now_ms(), out);
		for (int i = 0; i < k && !a->quit; i++)
			app_key(a, (wint_t)out[i].ch, out[i].code);
	}
	if (!a->quit && keyseq_flush(seq, out))
		app_key(a, (wint_t)out[0].ch, out[0].code);
	return n;
}

/* A closed terminal (the SSH session went away, the pane was killed) must end mltop, never
 * leave it spinning on a dead descriptor. */
static int stdin_hung_up(void)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	if (poll(&p, 1, 0) < 0)
		return 0;
	return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static int wait_ms(const struct app *a, int64_t last_tick)
{
	for (int i = 0; i < PANELS_COUNT; i++) {
		const struct panel *p = &a->panels[i];
		if (p->ops->more && p->ops->more(p))
			return 0; /* work at hand: no sleep (keys are still read every turn) */
	}
	int64_t t = 1000 - (a->now_ms() - last_tick);
	int64_t due = sched_next_due_in(a->sched);
	if (due >= 0 && due < t)
		t = due;
	if (t < 0)
		t = 0;
	return (int)t;
}

static void redraw(struct app *a, struct screen *sc)
{
	if (a->redraw) {
		int rows, cols;
		getmaxyx(stdscr, rows, cols);
		if (rows != sc->rows || cols != sc->cols || !sc->header ||
		    sc->framed != a->ctx->danger) {
			sc->framed = a->ctx->danger;
			screen_layout(sc, rows, cols);
			app_resize(a, getmaxy(sc->body), getmaxx(sc->body));
			a->body_y = getbegy(sc->body);
			a->body_x = getbegx(sc->body);
			app_recalc(a);
		}
		clearok(curscr, TRUE);
	}
	screen_draw(sc, a, a->redraw);
	curs_set(screen_cursor(sc, a));
	doupdate();
	a->redraw = 0;
	a->env.first_frame_pending = 0;
}

int loop_run(struct app *a, struct screen *sc)
{
	int64_t last_tick = a->now_ms();
	int empty_reads = 0;
	a->env.tick_ms = last_tick;
	struct keyseq seq = {0};
	a->redraw = 1;
	a->env.first_frame_pending = 1;
	while (!a->quit && !term_quit_signal) {
		loop_step(a);
		if (a->now_ms() - last_tick >= 1000) {
			last_tick = a->now_ms();
			a->env.tick_ms = last_tick;
			a->panels[a->current].dirty = 1; /* ages move on */
		}
		redraw(a, sc);
		int ready = 0;
		http_wait(a->http, STDIN_FILENO, wait_ms(a, last_tick), &ready);
		/* Drained even when stdin is quiet: a SIGWINCH wakes the wait, and ncurses then
		 * hands KEY_RESIZE to the next read. */
		if (drain_keys(a, sc->footer, &seq) > 0) {
			empty_reads = 0;
			continue;
		}
		/* Readable but nothing to read, again and again: the input is gone (EOF). */
		if (ready && (stdin_hung_up() || ++empty_reads > 20))
			break;
	}
	return 0;
}

static int settled(struct app *a)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const struct source_status *st = sched_source(a->sched, (enum source_id)s);
		if (st->health == HEALTH_PENDING)
			return 0;
	}
	for (int i = 0; i < PANELS_COUNT; i++) {
		const struct panel *p = &a->panels[i];
		if (p->ops->busy && p->ops->busy(p))
			return 0;
	}
	return 1;
}

int loop_settle(struct app *a, int64_t deadline_ms)
{
	for (;;) {
		loop_step(a);
		if (settled(a))
			return 1;
		int64_t left = deadline_ms - a->now_ms();
		if (left <= 0)
			return 0;
		int ready = 0;
		int64_t due = sched_next_due_in(a->sched);
		if (due < 0 || due > left)
			due = left;
		http_wait(a->http, -1, (int)(due < 100 ? due : 100), &ready);
	}
}
