#include "tui/snapshot.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "clients/jsonw.h"
#include "tui/app.h"
#include "tui/loop.h"
#include "tui/screen.h"

static void print_row(FILE *out, int y, int cols)
{
	char line[8192];
	size_t len = 0, keep = 0;
	for (int x = 0; x < cols && len + 16 < sizeof line; x++) {
		cchar_t cc;
		if (mvwin_wch(curscr, y, x, &cc) == ERR)
			break;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t at;
		short pair;
		if (getcchar(&cc, wc, &at, &pair, NULL) == ERR)
			continue;
		for (int i = 0; i < CCHARW_MAX && wc[i]; i++) {
			mbstate_t st;
			memset(&st, 0, sizeof st);
			size_t n = wcrtomb(line + len, wc[i], &st);
			if (n != (size_t)-1)
				len += n;
		}
		if (wc[0] != L' ')
			keep = len;
	}
	fprintf(out, "%.*s\n", (int)keep, line);
}

/* The screen as it was last drawn (curscr), one line per row with trailing spaces removed. */
static void snapshot_print_screen(FILE *out, int rows, int cols)
{
	for (int y = 0; y < rows; y++)
		print_row(out, y, cols);
}

static int all_answered(const struct app *a)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const struct source_status *st = sched_source(a->sched, (enum source_id)s);
		if (st->health == HEALTH_PENDING || st->health == HEALTH_DOWN)
			return 0;
	}
	return 1;
}

static const char *health_word(enum source_health h)
{
	static const char *const w[] = {"off", "pending", "ok", "slow", "down"};
	return (unsigned)h < sizeof w / sizeof w[0] ? w[h] : "unknown";
}

static void json_sources(const struct app *a, struct jsonw *w)
{
	jsonw_obj_begin(w, "sources");
	for (int s = 0; s < SRC_COUNT; s++) {
		const struct source_status *st = sched_source(a->sched, (enum source_id)s);
		jsonw_obj_begin(w, sched_source_name((enum source_id)s));
		jsonw_str(w, "health", health_word(st->health));
		jsonw_time(w, "updated", st->last_ok_ms);
		if (st->health == HEALTH_DOWN && st->last_error[0])
			jsonw_str(w, "error", st->last_error);
		else
			jsonw_null(w, "error");
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
}

/* One JSON object: the context, the sources' health, and each panel's data (an empty object for
 * a panel that has none to give). */
static int snapshot_json(struct app *a, FILE *out)
{
	struct jsonw *w = jsonw_new();
	if (!w)
		return -1;
	jsonw_obj_begin(w, NULL);
	jsonw_str(w, "context", a->ctx ? a->ctx->name : NULL);
	jsonw_time(w, "taken", a->now_ms());
	json_sources(a, w);
	jsonw_obj_begin(w, "panels");
	for (int i = 0; i < PANELS_COUNT; i++) {
		struct panel *p = &a->panels[i];
		a->current = i;
		app_recalc(a);
		jsonw_obj_begin(w, p->ops->name);
		if (p->ops->json)
			p->ops->json(p, w);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
	jsonw_obj_end(w);
	size_t len;
	const char *text = jsonw_text(w, &len);
	int rc = text ? 0 : -1;
	if (text)
		fprintf(out, "%s\n", text);
	jsonw_free(&w);
	return rc;
}

int snapshot_run(struct app *a, int cols, int rows, int64_t timeout_ms, FILE *out)
{
	loop_settle(a, a->now_ms() + timeout_ms);
	if (a->json) {
		app_resize(a, rows - 3, cols);
		if (snapshot_json(a, out) < 0)
			return 2;
		return all_answered(a) ? 0 : 1;
	}
	struct screen sc = {.framed = a->ctx->danger};
	screen_layout(&sc, rows, cols);
	app_resize(a, getmaxy(sc.body), getmaxx(sc.body));
	for (int i = 0; i < PANELS_COUNT; i++) {
		a->current = i;
		app_recalc(a);
		screen_draw(&sc, a, 1);
		doupdate();
		fprintf(out, "=== %s ===\n", a->panels[i].ops->name);
		snapshot_print_screen(out, rows, cols);
	}
	screen_fini(&sc);
	return all_answered(a) ? 0 : 1;
}
