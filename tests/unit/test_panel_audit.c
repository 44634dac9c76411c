/* The Audit panel, headless at 120x40 (TZ=UTC): the log newest first with the chain's line
 * ("chain verified (N rows)"), / filtering the entries, Enter showing one entry in full (every
 * field, the hashes, the request and the answer wrapped and sanitized, scrolled by keys and
 * searched by /), and a log edited in the file: the line says where the chain breaks, in the
 * critical role, and that row is marked. Goldens in tests/golden/audit_*.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <time.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/config.h"
#include "panels/audit.h"
#include "tests/unit/cachedir.h"
#include "tests/unit/screen.h"

#define T0 1764650000000LL

static const struct audit_row log_rows[] = {
    {.ts_ms = T0,
     .user = "alice",
     .host = "bastion",
     .context = "prod",
     .action = "silence",
     .model = "churn",
     .percent = -1,
     .phase = "after",
     .result = "ok",
     .detail = "silence 42: alertname=\"ModelFeatureDrift\""},
    {.ts_ms = T0 + 60000,
     .user = "alice",
     .host = "bastion",
     .context = "prod",
     .action = "canary",
     .model = "churn",
     .from_version = "6",
     .to_version = "7",
     .percent = 10,
     .phase = "before",
     .request = "PATCH /apis/serving.kserve.io/v1beta1/namespaces/models/"
                "inferenceservices/churn"},
    {.ts_ms = T0 + 120000,
     .user = "bob",
     .host = "laptop",
     .context = "staging",
     .action = "promote",
     .model = "fraud",
     .from_version = "3",
     .to_version = "4",
     .percent = 100,
     .phase = "after",
     .result = "ok",
     .http_status = 200},
};

struct harness {
	struct context ctx;
	struct panel_env env;
	struct panel p;
};

static void harness_start(struct harness *h, struct cache *c)
{
	memset(h, 0, sizeof *h);
	h->ctx.name = "prod";
	h->env = (struct panel_env){.cache = c, .ctx = &h->ctx, .utf8 = 1, .rows = 40, .cols = 120};
	h->p = (struct panel){.ops = &audit_ops, .env = &h->env, .dirty = 1};
	struct err e = {0};
	assert_int_equal(h->p.ops->create(&h->p, &e), 0);
}

static char *draw(struct harness *h)
{
	char *dump = screen_panel(&h->p);
	assert_non_null(dump);
	return dump;
}

/* The log: log_rows, and after the canary's "before" its "after", refused by KServe. */
static void fill(struct cache *c)
{
	struct err e = {0};
	for (size_t i = 0; i < sizeof log_rows / sizeof log_rows[0]; i++) {
		assert_true(cache_audit_append(c, &log_rows[i], &e) > 0);
		if (i != 1)
			continue;
		struct audit_row r = log_rows[1];
		r.ts_ms += 1000;
		r.phase = "after";
		r.result = "failed";
		r.http_status = 409;
		r.request =
		    "PATCH /apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/"
		    "churn {\"metadata\":{\"resourceVersion\":\"8812\"},\"spec\":{\"predictor\":"
		    "{\"canaryTrafficPercent\":10,\"model\":{\"storageUri\":\"s3://models/churn/"
		    "7\"}}}}";
		r.detail = "409 Conflict\n{\"kind\":\"Status\",\"message\":\"the object has been "
		           "modified\x1b[2J\"}";
		r.reason = "drift alert is a known false positive";
		assert_true(cache_audit_append(c, &r, &e) > 0);
	}
}

static void test_list_filter_detail(void **state)
{
	struct err e = {0};
	struct harness h;
	char status[256];
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	fill(c);
	harness_start(&h, c);
	char *d = draw(&h);
	assert_int_equal(screen_golden("audit_120x40", d), 0);
	assert_non_null(strstr(d, " chain verified (4 rows)"));
	assert_int_equal(screen_attr(stdscr, 0, 1), A_NORMAL); /* ROLE_OK, not critical */
	free(d);
	/* / filters the entries */
	assert_int_equal(h.p.ops->filter(&h.p, "canary", &e), 0);
	d = draw(&h);
	assert_null(strstr(d, "promote"));
	assert_non_null(strstr(d, "canary"));
	h.p.ops->status(&h.p, status, sizeof status);
	assert_non_null(strstr(status, "2 of 4 match"));
	free(d);
	/* Enter: the newest canary row (the failed one) in full */
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_HANDLED);
	d = draw(&h);
	assert_int_equal(screen_golden("audit_detail_120x40", d), 0);
	assert_null(strchr(d, '\x1b')); /* the answer's escape is text */
	assert_non_null(strstr(d, "modified\\e[2J"));
	free(d);
	/* / now searches the entry; Esc goes back to the filtered list */
	assert_int_equal(h.p.ops->filter(&h.p, "Conflict", &e), 0);
	h.p.ops->status(&h.p, status, sizeof status);
	assert_non_null(strstr(status, "1 line"));
	assert_int_equal(h.p.ops->key(&h.p, PANEL_KEY_ESC), PANEL_HANDLED);
	h.p.ops->status(&h.p, status, sizeof status);
	assert_non_null(strstr(status, "2 of 4 match"));
	h.p.ops->destroy(&h.p);
	cache_close(&c);
}

/* A row edited in the file: the chain's line says where it breaks, critical, and the row is
 * marked in the list and in its detail. */
static void test_broken_chain(void **state)
{
	struct err e = {0};
	struct harness h;
	char path[512];
	(void)state;
	cachedir_path(path, sizeof path, "panel.db");
	struct cache *c = cache_open(path, &e);
	fill(c);
	cache_close(&c);
	assert_int_equal(cachedir_sql(path,
	                              "DROP TRIGGER audit_no_update;"
	                              "UPDATE audit SET result = 'ok' WHERE id = 3",
	                              0),
	                 SQLITE_OK);
	c = cache_open(path, &e);
	harness_start(&h, c);
	char *d = draw(&h);
	assert_non_null(strstr(d, " chain broken at row #3: edited (its hash does not match its "
	                          "fields)"));
	assert_int_equal(screen_attr(stdscr, 0, 1) & A_BOLD, A_BOLD); /* ROLE_CRIT */
	free(d);
	h.p.ops->key(&h.p, 'j'); /* the second newest: row #3 */
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_HANDLED);
	d = draw(&h);
	assert_non_null(strstr(d, "audit row #3 in full"));
	assert_non_null(strstr(d, "the chain's verification breaks at this row"));
	free(d);
	h.p.ops->destroy(&h.p);
	cache_close(&c);
}

/* Rows of the same millisecond (a step's "before" and "after" when the answer is quick): the
 * newest id first, as the log was written, newest first; the oldest first when sorted up. */
/* The first line of d holding both a and b, or NULL. */
static const char *line_with(const char *d, const char *a, const char *b)
{
	for (const char *l = d; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *end = strchr(l, '\n'), *x = strstr(l, a), *y = strstr(l, b);
		if (x && y && (!end || (x < end && y < end)))
			return l;
	}
	return NULL;
}

static void test_same_time_by_id(void **state)
{
	struct err e = {0};
	struct harness h;
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	struct audit_row r = log_rows[1];
	assert_true(cache_audit_append(c, &r, &e) > 0);
	r.phase = "after";
	r.result = "ok";
	r.http_status = 200;
	assert_true(cache_audit_append(c, &r, &e) > 0);
	r.phase = "before";
	r.result = NULL;
	r.http_status = 0;
	r.action = "rollback";
	assert_true(cache_audit_append(c, &r, &e) > 0);
	harness_start(&h, c);
	char *d = draw(&h);
	const char *back = strstr(d, "rollback"), *after = line_with(d, "canary", "after"),
	           *before = line_with(d, "canary", "before");
	assert_true(back && after && before && back < after && after < before);
	free(d);
	h.p.ops->key(&h.p, 'S'); /* the same column, the other way */
	d = draw(&h);
	back = strstr(d, "rollback");
	after = line_with(d, "canary", "after");
	before = line_with(d, "canary", "before");
	assert_true(back && after && before && before < after && after < back);
	free(d);
	h.p.ops->destroy(&h.p);
	cache_close(&c);
}

static int group_setup(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	if (cachedir_setup(state) != 0)
		return -1;
	return screen_open(120, 40);
}

static int group_teardown(void **state)
{
	screen_close();
	return cachedir_teardown(state);
}

/* A new entry comes in at the top: the cursor on the top row goes with it (the operator sees the
 * newest entry and Enter opens it); a cursor moved down stays on its entry. */
static void test_cursor_follows_new_entries(void **state)
{
	struct err e = {0};
	struct harness h;
	char status[256];
	(void)state;
	struct cache *c = cache_open(":memory:", &e);
	assert_true(cache_audit_append(c, &log_rows[0], &e) > 0); /* #1 */
	harness_start(&h, c);
	free(draw(&h));
	struct audit_row r = log_rows[1];
	assert_true(cache_audit_append(c, &r, &e) > 0); /* #2, newer */
	free(draw(&h));
	h.p.ops->status(&h.p, status, sizeof status);
	assert_non_null(strstr(status, "row 1 of 2"));
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_HANDLED);
	char *d = draw(&h);
	assert_non_null(strstr(d, "audit row #2 in full"));
	free(d);
	assert_int_equal(h.p.ops->key(&h.p, PANEL_KEY_ESC), PANEL_HANDLED);
	h.p.ops->key(&h.p, 'j'); /* on #1 */
	r.ts_ms += 1000;
	assert_true(cache_audit_append(c, &r, &e) > 0); /* #3 */
	free(draw(&h));
	h.p.ops->status(&h.p, status, sizeof status);
	assert_non_null(strstr(status, "row 3 of 3"));
	assert_int_equal(h.p.ops->key(&h.p, '\n'), PANEL_HANDLED);
	d = draw(&h);
	assert_non_null(strstr(d, "audit row #1 in full"));
	free(d);
	h.p.ops->destroy(&h.p);
	cache_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_filter_detail),
	    cmocka_unit_test(test_broken_chain),
	    cmocka_unit_test(test_same_time_by_id),
	    cmocka_unit_test(test_cursor_follows_new_entries),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
