/* The Samples panel on a JSON Lines file, headless: the list (newest first, the input fields as
 * columns, a bad line shown as received and counted), / with its status, Enter for one sample in
 * full, g to group by a field with two versions side by side, e to export (the raw lines, asking
 * before overwriting, errors in words), the focus argument other panels open it with, and the
 * file growing, rotated and truncated under it. Goldens at 120x40 and 80x24 in
 * tests/golden/samples_*.txt (UPDATE_GOLDEN=1 rewrites). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/cache_server.h"
#include "clients/config.h"
#include "clients/http.h"
#include "clients/jsonw.h"
#include "clients/samples.h"
#include "clients/samples_export.h"
#include "clients/sched.h"
#include "panels/samples.h"
#include "panels/samples_focus.h"
#include "tests/unit/panelh.h"
#include "tests/unit/screen.h"

#define START_MS 1795924810000LL /* 2026-11-29T04:00:10Z */

static char dir[256];

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void write_file(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *fixture_text; /* tests/fixtures/samples_panel.jsonl, read before the chdir */

static void fixture_to(const char *path)
{
	write_file(path, "w", fixture_text);
}

static void poll_now(struct panelh *h)
{
	sched_refresh(h->sched, -1);
	sched_run_due(h->sched);
	h->p.ops->recalc(&h->p);
}

static void harness_start(struct panelh *h, int cols, int rows, const char *arg)
{
	panelh_init(h, NULL, cols, rows);
	snprintf(h->url, sizeof h->url, "samples.jsonl");
	h->ctx.samples = h->url;
	panelh_create(h, &samples_ops, arg);
	h->p.ops->schedule(&h->p, h->sched);
	poll_now(h);
}

static void status(struct panelh *h, char *buf, size_t n)
{
	h->p.ops->status(&h->p, buf, n);
}

static void golden(const char *name, int cols, int rows, struct panelh *h)
{
	char full[128];
	snprintf(full, sizeof full, "%s_%dx%d", name, cols, rows);
	char *dump = panelh_draw(h);
	assert_int_equal(screen_golden(full, dump), 0);
	free(dump);
}

/* The list, the full view and the group-by, at one size. */
static void screens_at(int cols, int rows)
{
	struct panelh h;
	assert_int_equal(screen_open(cols, rows), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/samples.jsonl", dir);
	fixture_to(path);
	harness_start(&h, cols, rows, NULL);
	golden("samples_list", cols, rows, &h);
	panelh_key(&h, 'j'); /* c-7 */
	panelh_key(&h, 'j'); /* c-6 */
	panelh_key(&h, 'j'); /* c-5 */
	panelh_key(&h, 'j'); /* c-4: the long error */
	panelh_key(&h, '\n');
	golden("samples_full", cols, rows, &h);
	panelh_key(&h, 27);
	h.p.ops->focus(&h.p, "model=churn");
	h.p.ops->recalc(&h.p);
	panelh_key(&h, 'g');
	panelh_key(&h, '\n'); /* tenure_days, the first field */
	golden("samples_group", cols, rows, &h);
	panelh_stop(&h);
	screen_close();
}

static void test_screens(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	screens_at(120, 40);
	screens_at(80, 24);
}

static void fixture(struct panelh *h, const char *arg)
{
	char path[512];
	snprintf(path, sizeof path, "%s/samples.jsonl", dir);
	fixture_to(path);
	harness_start(h, 120, 40, arg);
}

/* Newest first, the bad line shown as received and counted, / over every field. */
static void test_list_filter_status(void **state)
{
	(void)state;
	struct panelh h;
	char st[256];
	struct err e = {0};
	assert_int_equal(screen_open(120, 40), 0);
	fixture(&h, NULL);
	char *dump = panelh_draw(&h);
	assert_true(strstr(dump, "fraud") < strstr(dump, "04:00:07"));
	assert_non_null(strstr(dump, "not JSON"));
	assert_non_null(strstr(dump, "this line is not JSON"));
	assert_non_null(strstr(dump, "eu\\u202eevil")); /* the bidi override, escaped */
	assert_non_null(strstr(dump, "tenure_days"));
	free(dump);
	status(&h, st, sizeof st);
	assert_string_equal(st, "row 1 of 9 · 1 bad line");
	assert_int_equal(h.p.ops->filter(&h.p, "eu-west", &e), 0);
	status(&h, st, sizeof st);
	assert_string_equal(st, "3 of 9 match · row 1 of 3 · 1 bad line");
	assert_string_equal(h.p.ops->filter_text(&h.p), "eu-west");
	assert_true(h.p.ops->filter(&h.p, "(", &e) < 0); /* the old filter stays */
	status(&h, st, sizeof st);
	assert_string_equal(st, "3 of 9 match · row 1 of 3 · 1 bad line");
	/* a pattern over the raw line: a field name with its value */
	assert_int_equal(h.p.ops->filter(&h.p, "tenure_days\":\\s*[0-9]\\b", &e), 0);
	status(&h, st, sizeof st);
	assert_string_equal(st, "1 of 9 match · row 1 of 1 · 1 bad line");
	/* Enter: the sample in full, where / searches its lines (the page goes to the first) */
	panelh_key(&h, '\n');
	assert_int_equal(h.p.ops->filter(&h.p, "region|spend", &e), 0);
	status(&h, st, sizeof st);
	assert_string_equal(st, "line 9 of 16 · 2 lines match");
	assert_string_equal(h.p.ops->filter_text(&h.p), "region|spend");
	assert_int_equal(h.p.ops->filter(&h.p, "", &e), 0);
	assert_int_equal(h.p.ops->key(&h.p, PANEL_KEY_ESC), PANEL_HANDLED);
	status(&h, st, sizeof st);
	assert_string_equal(st, "1 of 9 match · row 1 of 1 · 1 bad line");
	panelh_stop(&h);
	screen_close();
}

static void test_focus_parse(void **state)
{
	(void)state;
	struct samples_focus f;
	assert_int_equal(samples_focus_parse("model=churn version=5 feature=tenure_days", &f), 1);
	assert_string_equal(f.model, "churn");
	assert_string_equal(f.version, "5");
	assert_string_equal(f.feature, "tenure_days");
	assert_string_equal(f.run, "");
	assert_int_equal(f.skipped, 0);
	assert_int_equal(samples_focus_parse("  version='v 5'\tmodel=\"churn \\\"x\\\" c\"  ", &f),
	                 1);
	assert_string_equal(f.model, "churn \"x\" c");
	assert_string_equal(f.version, "v 5");
	assert_int_equal(samples_focus_parse("run=abc123", &f), 1);
	assert_string_equal(f.run, "abc123");
	assert_int_equal(samples_focus_parse("colour=red model= bare model=\"open", &f), 0);
	assert_int_equal(f.skipped, 4);
	assert_string_equal(f.model, "");
	assert_int_equal(samples_focus_parse("model=a model=b", &f), 1);
	assert_string_equal(f.model, "b");
	assert_int_equal(samples_focus_parse(NULL, &f), 0);
	assert_int_equal(samples_focus_any(&f), 0);
	assert_int_equal(samples_focus_parse("model=m feature=x", &f), 1);
	char text[256];
	samples_focus_text(&f, text, sizeof text);
	assert_string_equal(text, "model m · feature x");
}

/* The focus narrows the list, says so in the title, and Esc clears it. */
static void test_focus_panel(void **state)
{
	(void)state;
	struct panelh h;
	char st[256];
	assert_int_equal(screen_open(120, 40), 0);
	fixture(&h, "model=churn version=v5 feature=region");
	status(&h, st, sizeof st);
	assert_string_equal(st, "row 1 of 4 · 1 bad line");
	char *dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "focus: model churn · version v5 · feature region"));
	assert_null(strstr(dump, "fraud"));
	free(dump);
	h.p.ops->focus(&h.p, "model=fraud feature=amount");
	h.p.ops->recalc(&h.p);
	status(&h, st, sizeof st);
	assert_string_equal(st, "row 1 of 1 · 1 bad line");
	h.p.ops->focus(&h.p, "feature=nosuchfield");
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "No failed sample matches the focus"));
	free(dump);
	assert_int_equal(h.p.ops->key(&h.p, 27), PANEL_HANDLED); /* clears the focus */
	h.p.ops->recalc(&h.p);
	status(&h, st, sizeof st);
	assert_string_equal(st, "row 1 of 9 · 1 bad line");
	assert_int_equal(h.p.ops->key(&h.p, 27), PANEL_BACK);
	panelh_stop(&h);
	screen_close();
}

/* e: the filtered samples' raw lines, newest first as shown; an existing file is only replaced
 * after y; a missing directory is said in words. */
static void test_export(void **state)
{
	(void)state;
	struct panelh h;
	struct err e = {0};
	char out[600], want[4096] = "", line[1024];
	assert_int_equal(screen_open(120, 40), 0);
	fixture(&h, NULL);
	assert_int_equal(h.p.ops->filter(&h.p, "eu-west|not JSON", &e), 0);
	h.p.ops->recalc(&h.p);
	snprintf(out, sizeof out, "%s/out.jsonl", dir);
	unlink(out);
	panelh_key(&h, 'e');
	int y, x;
	assert_int_equal(h.p.ops->cursor(&h.p, &y, &x), 1);
	for (int i = 0; i < 200; i++) /* the default path goes: Ctrl-U */
		h.p.ops->text(&h.p, KEY_BACKSPACE, 1);
	panelh_type(&h, out);
	h.p.ops->text(&h.p, '\n', 0);
	snprintf(line, sizeof line, "exported 4 samples to %s", out);
	assert_string_equal(h.notified, line);
	/* the same lines as in the file, byte for byte, in the order shown (newest first) */
	char fx[512];
	snprintf(fx, sizeof fx, "%s/samples.jsonl", dir);
	FILE *f = fopen(fx, "r");
	char lines[16][1024];
	int n = 0;
	while (n < 16 && fgets(lines[n], sizeof lines[n], f))
		n++;
	fclose(f);
	for (int i = n - 1; i >= 0; i--)
		if (strstr(lines[i], "eu-west") || strstr(lines[i], "not JSON"))
			strcat(want, lines[i]);
	char *got = slurp(out, NULL);
	assert_string_equal(got, want);
	free(got);

	/* again: asked first; n keeps the file, y replaces it */
	write_file(out, "w", "keep me\n");
	panelh_key(&h, 'e');
	for (int i = 0; i < 200; i++)
		h.p.ops->text(&h.p, KEY_BACKSPACE, 1);
	panelh_type(&h, out);
	h.p.ops->text(&h.p, '\n', 0);
	assert_non_null(strstr(h.notified, "exists: overwrite it? y/n"));
	panelh_key(&h, 'n');
	got = slurp(out, NULL);
	assert_string_equal(got, "keep me\n");
	free(got);
	panelh_key(&h, 'e');
	for (int i = 0; i < 200; i++)
		h.p.ops->text(&h.p, KEY_BACKSPACE, 1);
	panelh_type(&h, out);
	h.p.ops->text(&h.p, '\n', 0);
	panelh_key(&h, 'y');
	got = slurp(out, NULL);
	assert_string_equal(got, want);
	free(got);

	/* a directory that is not there */
	panelh_key(&h, 'e');
	for (int i = 0; i < 200; i++)
		h.p.ops->text(&h.p, KEY_BACKSPACE, 1);
	snprintf(out, sizeof out, "%s/nosuchdir/x.jsonl", dir);
	panelh_type(&h, out);
	h.p.ops->text(&h.p, '\n', 0);
	assert_non_null(strstr(h.notified, "nosuchdir does not exist"));
	panelh_stop(&h);
	screen_close();
}

static void test_export_default_and_permission(void **state)
{
	(void)state;
	char path[256], ro[512];
	samples_export_default_path(START_MS, path, sizeof path);
	assert_string_equal(path, "./samples-20261129-040010.jsonl");
	if (geteuid() == 0)
		return; /* root writes anywhere */
	snprintf(ro, sizeof ro, "%s/ro", dir);
	mkdir(ro, 0500);
	strcat(ro, "/x.jsonl");
	struct err e = {0};
	assert_true(samples_export(ro, NULL, 0, &e) < 0);
	assert_non_null(strstr(e.msg, "permission denied"));
}

/* The file grows, gets a bad line, is rotated and truncated: every line once, in order. */
static void test_follow(void **state)
{
	(void)state;
	struct panelh h;
	char st[256], rotated[600];
	assert_int_equal(screen_open(120, 40), 0);
	fixture(&h, NULL);
	status(&h, st, sizeof st);
	assert_string_equal(st, "row 1 of 9 · 1 bad line");
	write_file(h.url, "a",
	           "{\"time\":\"2026-11-29T04:00:09Z\",\"model\":\"churn\",\"version\":\"v5\"}\n"
	           "\x1b]0;owned\x07 \xff\xfe not json\n{\"time\":\"2026-11-29T04:00:10Z\",");
	poll_now(&h);
	status(&h, st, sizeof st);
	assert_string_equal(st, "row 1 of 11 · 2 bad lines"); /* the partial line waits */
	char *dump = panelh_draw(&h);
	assert_null(strchr(dump, '\x1b'));
	assert_non_null(strstr(dump, "\\e]0;owned\\x07"));
	free(dump);
	write_file(h.url, "a", "\"model\":\"late\",\"version\":\"v9\"}\n");
	poll_now(&h);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "late"));
	free(dump);
	snprintf(rotated, sizeof rotated, "%s.1", h.url);
	assert_int_equal(rename(h.url, rotated), 0);
	write_file(h.url, "w",
	           "{\"time\":\"2026-11-29T04:00:11Z\",\"model\":\"rotated\"}\n"
	           "{\"time\":\"2026-11-29T04:00:11Z\",\"model\":\"rotated\",\"n\":2}\n");
	poll_now(&h);
	poll_now(&h);
	status(&h, st, sizeof st);
	assert_string_equal(st, "row 1 of 14 · 2 bad lines");
	write_file(h.url, "w", "{\"time\":\"2026-11-29T04:00:12Z\",\"model\":\"truncated\"}\n");
	poll_now(&h);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "truncated"));
	free(dump);
	unlink(h.url);
	poll_now(&h);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "waiting for"));
	assert_non_null(strstr(dump, "truncated")); /* what came stays */
	free(dump);
	unlink(rotated);
	panelh_stop(&h);
	screen_close();
}

/* --snapshot --json: numbers as numbers, the bad line as raw text. */
static void test_json(void **state)
{
	(void)state;
	struct panelh h;
	assert_int_equal(screen_open(120, 40), 0);
	fixture(&h, "model=churn version=v3");
	struct jsonw *w = jsonw_new();
	jsonw_obj_begin(w, NULL);
	h.p.ops->json(&h.p, w);
	jsonw_obj_end(w);
	const char *text = jsonw_text(w, NULL);
	assert_non_null(strstr(text, "\"tenure_days\":700"));
	assert_non_null(strstr(text, "\"monthly_spend\":80.5"));
	assert_non_null(strstr(text, "\"region\":\"us-east\""));
	assert_non_null(strstr(text, "\"score\":null"));
	assert_non_null(strstr(text, "\"bad_lines\":1"));
	assert_null(strstr(text, "\"bad\":true")); /* a bad line has no model */
	jsonw_free(&w);
	h.p.ops->focus(&h.p, "");
	h.p.ops->recalc(&h.p);
	w = jsonw_new();
	jsonw_obj_begin(w, NULL);
	h.p.ops->json(&h.p, w);
	jsonw_obj_end(w);
	assert_non_null(
	    strstr(jsonw_text(w, NULL), "\"bad\":true,\"raw\":\"this line is not JSON"));
	jsonw_free(&w);
	panelh_stop(&h);
	screen_close();
}

/* A URL source: the samples of the last run come from the cache at once ("cached 3m ago"); when
 * the server is down, its error is shown in one line and the cached samples stay, marked stale. */
static void test_cache_then_down(void **state)
{
	(void)state;
	static const char url[] = "http://127.0.0.1:1/samples"; /* nothing listens there */
	struct err e = {0};
	struct cache *c = cache_open(":memory:", &e);
	assert_non_null(c);
	char server[CACHE_SERVER_MAX];
	assert_int_equal(cache_server_id(url, server, sizeof server, &e), 0);
	struct cache_scope sc = {.ctx = "test", .server = server, .source = "samples"};
	const char *body = "{\"time\":\"2026-11-29T04:00:01Z\",\"model\":\"from-cache\"}\n";
	assert_int_equal(
	    cache_put(c, &sc, SAMPLES_CACHE_KEY, body, strlen(body), START_MS - 180000, &e), 0);
	assert_int_equal(screen_open(120, 40), 0);
	struct panelh h;
	panelh_init(&h, c, 120, 40);
	h.ctx.samples = (char *)url;
	sched_source_configure(h.sched, SRC_SAMPLES, 1);
	panelh_create(&h, &samples_ops, NULL);
	char *dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "from-cache"));
	assert_non_null(strstr(dump, "cached 3m ago"));
	free(dump);
	h.p.ops->schedule(&h.p, h.sched);
	panelh_settle(&h);
	dump = panelh_draw(&h);
	assert_non_null(strstr(dump, "samples"));
	assert_non_null(strstr(dump, "stale: data from 3m ago"));
	assert_non_null(strstr(dump, "from-cache"));
	assert_non_null(strstr(dump, "refused"));
	free(dump);
	assert_int_equal(sched_source(h.sched, SRC_SAMPLES)->health, HEALTH_DOWN);
	panelh_stop(&h);
	cache_close(&c);
	screen_close();
}

/* The tests run in a temporary directory, the file named relatively (the title shows it): the
 * goldens are read from the tree the tests were started in. */
static int setup(void **state)
{
	(void)state;
	panelh_clock_ms = START_MS;
	char cwd[400], src[600];
	const char *top = getenv("MLTOP_SRCDIR");
	if (!getcwd(cwd, sizeof cwd))
		return -1;
	snprintf(src, sizeof src, "%s/tests/fixtures/samples_panel.jsonl", top ? top : cwd);
	if (!top)
		setenv("MLTOP_SRCDIR", cwd, 1);
	fixture_text = slurp(src, NULL);
	snprintf(dir, sizeof dir, "/tmp/mltop-samples-XXXXXX");
	return fixture_text && mkdtemp(dir) && chdir(dir) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	free(fixture_text);
	if (chdir(getenv("MLTOP_SRCDIR")) != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_screens),
	    cmocka_unit_test(test_list_filter_status),
	    cmocka_unit_test(test_focus_parse),
	    cmocka_unit_test(test_focus_panel),
	    cmocka_unit_test(test_export),
	    cmocka_unit_test(test_export_default_and_permission),
	    cmocka_unit_test(test_follow),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_cache_then_down),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
