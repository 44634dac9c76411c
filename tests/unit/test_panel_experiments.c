/* test_panel_experiments: the logic of the Experiments panel's runs table on fixture runs —
 * the default metric and param columns (config key metric, usual metrics, else by name), the
 * numeric sort keys (metrics, params that are numbers, start, duration; NaN when missing) and the
 * table's order with NaN last both ways, cells (short commit, training dataset digest), marks
 * that follow the runs into a new store (and none into no store), the column picker, and the /
 * filter over the table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "clients/mlflow_parse_runs.h"
#include "clients/runstore.h"
#include "panels/runs_picker.h"
#include "panels/runs_view.h"

static char *slurp(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "tests/fixtures/panels/experiments/%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	return b;
}

static struct runstore *load(const char *name)
{
	struct runstore *s = runstore_new();
	char *body = slurp(name), *next = NULL;
	size_t n = 0;
	struct err e = {0};
	assert_non_null(s);
	assert_int_equal(mlflow_parse_runs(body, strlen(body), s, &n, &next, &e), 0);
	free(next);
	free(body);
	return s;
}

static struct config *config_with(const char *file)
{
	struct config_args a;
	struct err e = {0};
	char *argv[] = {"mltop", "-c", (char *)file, NULL};
	assert_int_equal(config_args_parse(&a, 3, argv, &e), 0);
	struct config *cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	assert_non_null(cfg);
	return cfg;
}

static void expect_keys(const struct runs_key *k, size_t n, const char *const *want)
{
	size_t i = 0;
	for (; want[i]; i++) {
		assert_true(i < n);
		char got[160];
		snprintf(got, sizeof got, "%c:%s", k[i].kind == RUNSTORE_METRIC ? 'm' : 'p',
		         k[i].name);
		assert_string_equal(got, want[i]);
	}
	assert_int_equal(n, i);
}

static void test_default_keys_usual(void **state)
{
	(void)state;
	struct runstore *s = load("runs.json");
	struct runs_key k[RUNS_VIEW_MAX_KEYS];
	size_t n = runs_view_default_keys(s, NULL, k, RUNS_VIEW_MAX_KEYS);
	/* auc, f1, logloss before precision and zeta; model_type and learning_rate before alpha. */
	const char *want[] = {"m:auc",           "m:f1", "m:logloss", "p:model_type",
	                      "p:learning_rate", NULL};
	expect_keys(k, n, want);
	/* Room for two only: metrics first. */
	n = runs_view_default_keys(s, NULL, k, 2);
	const char *two[] = {"m:auc", "m:f1", NULL};
	expect_keys(k, n, two);
	assert_int_equal(runs_view_default_keys(NULL, NULL, k, 4), 0);
	runstore_free(&s);
}

static void test_default_keys_config_metric(void **state)
{
	(void)state;
	struct runstore *s = load("runs.json");
	struct config *cfg = config_with("tests/fixtures/panels/experiments/mltop.ini");
	struct runs_key k[RUNS_VIEW_MAX_KEYS];
	size_t n = runs_view_default_keys(s, cfg, k, RUNS_VIEW_MAX_KEYS);
	const char *want[] = {"m:precision",  "m:auc",           "m:f1",
	                      "p:model_type", "p:learning_rate", NULL};
	expect_keys(k, n, want);
	config_free(&cfg);
	runstore_free(&s);
}

static void test_default_keys_by_name(void **state)
{
	(void)state;
	struct runstore *s = load("only_odd_keys.json");
	struct runs_key k[RUNS_VIEW_MAX_KEYS];
	size_t n = runs_view_default_keys(s, NULL, k, RUNS_VIEW_MAX_KEYS);
	const char *want[] = {"m:a_score", "m:b_score", "m:c_score", "p:aa", "p:mm", NULL};
	expect_keys(k, n, want);
	runstore_free(&s);
}

static const struct mlflow_run *by_id(const struct runstore *s, const char *id)
{
	const struct mlflow_run *r = runstore_find(s, id);
	assert_non_null(r);
	return r;
}

/* The view's column of a key. */
static int col_of(const struct runs_view *rv, const char *name)
{
	for (size_t i = 0; i < rv->nkeys; i++)
		if (strcmp(rv->keys[i].name, name) == 0)
			return RUNS_COL_FIXED_HEAD + (int)i;
	fail_msg("no column %s", name);
	return -1;
}

static void test_sort_keys(void **state)
{
	(void)state;
	struct runstore *s = load("runs.json");
	struct runs_view rv;
	assert_int_equal(runs_view_init(&rv, 1, NULL), 0);
	rv.now_ms = 1790000560000;
	runs_view_set_store(&rv, s, NULL);
	int auc = col_of(&rv, "auc"), lr = col_of(&rv, "learning_rate");
	assert_true(runs_view_num(&rv, by_id(s, "r1"), auc) == 0.9);
	assert_true(isnan(runs_view_num(&rv, by_id(s, "r2"), auc))); /* "NaN" */
	assert_true(isnan(runs_view_num(&rv, by_id(s, "r3"), auc))); /* missing */
	assert_true(runs_view_num(&rv, by_id(s, "r4"), lr) == 0.3);
	assert_true(isnan(runs_view_num(&rv, by_id(s, "r3"), lr))); /* "oops" */
	assert_true(runs_view_num(&rv, by_id(s, "r1"), RUNS_COL_DURATION) == 372000);
	/* A running run lasts until now. */
	assert_true(runs_view_num(&rv, by_id(s, "r3"), RUNS_COL_DURATION) == 60000);
	assert_true(runs_view_num(&rv, by_id(s, "r4"), RUNS_COL_START) == 1789990000000.0);
	assert_true(isnan(runs_view_num(&rv, by_id(s, "r1"), RUNS_COL_NAME)));

	/* The table sorts on them: NaN last in both directions. */
	const char *up[] = {"r4", "r1", "r2", "r3"}, *down[] = {"r1", "r4", "r2", "r3"};
	for (int reverse = 0; reverse < 2; reverse++) {
		table_set_sort(rv.lv.table, auc, reverse);
		table_set_size(rv.lv.table, 10, 200);
		table_recalc(rv.lv.table);
		assert_int_equal(table_count(rv.lv.table), 4);
		for (size_t pos = 0; pos < 4; pos++) {
			size_t row;
			assert_true(table_row_at(rv.lv.table, pos, &row));
			const char *id = runstore_at(s, row)->id;
			const char *want = reverse ? down[pos] : up[pos];
			if (pos < 2)
				assert_string_equal(id, want);
			else /* the two NaN rows, in either order, after the numbers */
				assert_true(strcmp(id, "r2") == 0 || strcmp(id, "r3") == 0);
		}
	}
	runs_view_fini(&rv);
	runstore_free(&s);
}

static void test_cells(void **state)
{
	(void)state;
	struct runstore *s = load("runs.json");
	struct runs_view rv;
	char buf[256];
	assert_int_equal(runs_view_init(&rv, 1, NULL), 0);
	rv.now_ms = 1790000560000;
	runs_view_set_store(&rv, s, NULL);
	const struct mlflow_run *r1 = by_id(s, "r1");
	int commit = RUNS_COL_FIXED_HEAD + (int)rv.nkeys;
	assert_string_equal(runs_view_cell(&rv, r1, commit, buf, sizeof buf), "9c1e2f0");
	/* The training input's digest, not the first input's, cut to 8. */
	assert_string_equal(runs_view_cell(&rv, r1, commit + 1, buf, sizeof buf), "a1b2c3d4");
	assert_string_equal(runs_view_cell(&rv, r1, RUNS_COL_DURATION, buf, sizeof buf), "6m12s");
	assert_string_equal(runs_view_cell(&rv, r1, col_of(&rv, "auc"), buf, sizeof buf), "0.9");
	assert_string_equal(runs_view_cell(&rv, by_id(s, "r2"), RUNS_COL_STATUS, buf, sizeof buf),
	                    "FAILED");
	assert_null(runs_view_cell(&rv, by_id(s, "r3"), col_of(&rv, "auc"), buf, sizeof buf));
	assert_null(runs_view_cell(&rv, by_id(s, "r2"), commit, buf, sizeof buf));
	runs_view_fini(&rv);
	runstore_free(&s);
}

/* Marks and the cursor stay on the same runs when a refresh brings a new store in another
 * order; a user's choice of columns survives it too. */
static void test_store_swap_keeps_marks(void **state)
{
	(void)state;
	struct runstore *a = load("runs.json"), *b = runstore_new();
	char *body = slurp("runs.json"), *next = NULL;
	size_t n = 0;
	/* b holds r4 first: its rows are in another order. */
	const char *r4 = strstr(body, "{\n      \"info\": {\"run_id\": \"r4\"");
	assert_non_null(r4);
	size_t cap = strlen(body) + 32;
	char *one = malloc(cap);
	assert_non_null(one);
	snprintf(one, cap, "{\"runs\": [%.*s]}", (int)(strrchr(body, ']') - r4), r4);
	assert_int_equal(mlflow_parse_runs(one, strlen(one), b, &n, &next, NULL), 0);
	free(next);
	next = NULL;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), b, &n, &next, NULL), 0);
	free(next);
	free(one);
	free(body);
	assert_string_equal(runstore_at(b, 0)->id, "r4");

	struct runs_view rv;
	assert_int_equal(runs_view_init(&rv, 1, NULL), 0);
	runs_view_set_store(&rv, a, NULL);
	struct runs_key picked[] = {{RUNSTORE_METRIC, "zeta"}};
	runs_view_set_keys(&rv, picked, 1);
	table_set_size(rv.lv.table, 10, 200);
	table_recalc(rv.lv.table);
	table_mark(rv.lv.table, 1, true);              /* r2 */
	table_mark(rv.lv.table, 3, true);              /* r4 */
	assert_true(table_select_row(rv.lv.table, 2)); /* r3 */
	runs_view_set_store(&rv, b, NULL);
	table_recalc(rv.lv.table);
	const struct mlflow_run *m[8];
	assert_int_equal(runs_view_marked(&rv, m, 8), 2);
	assert_true(m[0] == runstore_find(b, "r4") || m[1] == runstore_find(b, "r4"));
	assert_true(m[0] == runstore_find(b, "r2") || m[1] == runstore_find(b, "r2"));
	assert_ptr_equal(runs_view_current(&rv), runstore_find(b, "r3"));
	assert_int_equal(rv.nkeys, 1);
	assert_string_equal(rv.keys[0].name, "zeta");
	/* No store (another experiment is opening): nothing is kept, and the view is empty. */
	runs_view_set_store(&rv, NULL, NULL);
	table_recalc(rv.lv.table);
	assert_null(runs_view_current(&rv));
	assert_int_equal(runs_view_marked(&rv, m, 8), 0);
	runs_view_set_store(&rv, a, NULL);
	table_recalc(rv.lv.table);
	assert_int_equal(runs_view_marked(&rv, m, 8), 0);
	/* Cleared: the user's columns go too. */
	runs_view_clear(&rv);
	assert_null(rv.store);
	assert_false(rv.chosen);
	runs_view_fini(&rv);
	runstore_free(&a);
	runstore_free(&b);
}

static void test_picker(void **state)
{
	(void)state;
	struct runstore *s = load("runs.json");
	struct runs_picker p = {0};
	struct runs_key cur[] = {{RUNSTORE_METRIC, "auc"}, {RUNSTORE_PARAM, "alpha"}};
	assert_int_equal(runs_picker_open(&p, s, cur, 2), 0);
	/* Metrics then params, each by name. */
	assert_int_equal(p.n, 8);
	assert_string_equal(p.items[0].name, "auc");
	assert_true(p.on[0]);
	assert_string_equal(p.items[5].name, "alpha");
	assert_int_equal(p.items[5].kind, RUNSTORE_PARAM);
	assert_true(p.on[5]);
	p.rows = 5;
	/* Space on auc unchecks it and moves down; Space on f1 checks it. */
	assert_int_equal(runs_picker_key(&p, ' '), PANEL_HANDLED);
	assert_int_equal(runs_picker_key(&p, ' '), PANEL_HANDLED);
	assert_int_equal(runs_picker_key(&p, 'G'), PANEL_HANDLED);
	assert_int_equal(p.cursor, 7);
	assert_true(p.top >= 3);
	assert_int_equal(runs_picker_key(&p, '\n'), PANEL_BACK);
	assert_true(p.applied);
	struct runs_key out[RUNS_VIEW_MAX_KEYS];
	size_t n = runs_picker_result(&p, out, RUNS_VIEW_MAX_KEYS);
	const char *want[] = {"m:f1", "p:alpha", NULL};
	expect_keys(out, n, want);
	runs_picker_close(&p);
	/* Esc drops the change. */
	assert_int_equal(runs_picker_open(&p, s, cur, 2), 0);
	assert_int_equal(runs_picker_key(&p, ' '), PANEL_HANDLED);
	assert_int_equal(runs_picker_key(&p, 27), PANEL_BACK);
	assert_false(p.applied);
	runs_picker_close(&p);
	runstore_free(&s);
}

static void test_regex_filter(void **state)
{
	(void)state;
	struct runstore *s = load("runs.json");
	struct runs_view rv;
	struct err e = {0};
	char buf[64];
	assert_int_equal(runs_view_init(&rv, 1, NULL), 0);
	runs_view_set_store(&rv, s, NULL);
	table_set_size(rv.lv.table, 10, 200);
	assert_int_equal(listview_filter(&rv.lv, "xgb", &e), 0);
	assert_int_equal(table_count(rv.lv.table), 2);
	listview_status(&rv.lv, buf, sizeof buf);
	assert_string_equal(buf, "2 of 4 match · row 1 of 2");
	/* An invalid pattern keeps the old filter. */
	assert_true(listview_filter(&rv.lv, "(", &e) < 0);
	assert_true(e.msg[0] != '\0');
	assert_int_equal(table_count(rv.lv.table), 2);
	/* The run id is in the haystack too, and the chosen columns. */
	assert_int_equal(listview_filter(&rv.lv, "\\br4$", &e), 0);
	assert_int_equal(table_count(rv.lv.table), 1);
	assert_int_equal(listview_filter(&rv.lv, "^alpha-run\t.*\t0\\.31\t", &e), 0);
	assert_int_equal(table_count(rv.lv.table), 1);
	assert_int_equal(listview_filter(&rv.lv, "", &e), 0);
	assert_int_equal(table_count(rv.lv.table), 4);
	runs_view_fini(&rv);
	runstore_free(&s);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_keys_usual),
	    cmocka_unit_test(test_default_keys_config_metric),
	    cmocka_unit_test(test_default_keys_by_name),
	    cmocka_unit_test(test_sort_keys),
	    cmocka_unit_test(test_cells),
	    cmocka_unit_test(test_store_swap_keeps_marks),
	    cmocka_unit_test(test_picker),
	    cmocka_unit_test(test_regex_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
