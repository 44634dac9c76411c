/* Compare view logic: metric directions (automatic rule and config override), the best value
 * with NaN and ±Inf, deltas against a baseline and their verdicts, value formatting (with fewer
 * digits too), the params and metrics tables built from runs/search JSON through the MLflow parser,
 * the part of the dataset digests the runs share, and diff only. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/config.h"
#include "clients/mlflow_parse_runs.h"
#include "clients/runstore.h"
#include "panels/compare_tables.h"
#include "tests/unit/test_compare.h"

struct fix {
	struct runstore *s;
	const struct mlflow_run *runs[3];
	struct compare_tables t;
};

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	size_t n = 0;
	char *next = NULL;
	struct err e;
	int i;

	assert_non_null(f);
	f->s = runstore_new();
	assert_non_null(f->s);
	assert_int_equal(
	    mlflow_parse_runs(compare_runs_json, strlen(compare_runs_json), f->s, &n, &next, &e),
	    0);
	assert_int_equal(n, 3);
	free(next);
	for (i = 0; i < 3; i++) {
		char id[4];
		snprintf(id, sizeof(id), "r%d", i + 1);
		f->runs[i] = runstore_find(f->s, id);
		assert_non_null(f->runs[i]);
	}
	assert_int_equal(compare_tables_build(&f->t, f->s, f->runs, 3, NULL, &e), 0);
	*state = f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;

	compare_tables_fini(&f->t);
	runstore_free(&f->s);
	free(f);
	return 0;
}

static void test_direction_auto(void **state)
{
	static const char *const lower[] = {
	    "loss",     "val_loss", "train/loss",     "trainLoss", "error_rate", "rmse",
	    "test-mae", "val_mse",  "mape",           "logloss",   "perplexity", "p99_latency_ms",
	    "wer",      "eval.cer", "inference_time", "Loss",      "MSE",
	};
	static const char *const higher[] = {
	    "auc",        "accuracy",        "f1", "precision", "recall", "power", "cancer_recall",
	    "throughput", "timestamp_count", "r2", "",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lower) / sizeof(lower[0]); i++) {
		if (compare_direction(NULL, lower[i]) != -1)
			fail_msg("%s should be lower-is-better", lower[i]);
	}
	for (i = 0; i < sizeof(higher) / sizeof(higher[0]); i++) {
		if (compare_direction(NULL, higher[i]) != 1)
			fail_msg("%s should be higher-is-better", higher[i]);
	}
}

/* A config file that turns the automatic rule around for two metrics. */
static void test_direction_config_override(void **state)
{
	char dir[] = "/tmp/mltop-compare-XXXXXX", path[128];
	char *argv[] = {"mltop", "-c", path, NULL};
	struct config_args a;
	struct config *cfg;
	struct err e;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config.ini", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[general]\nlower_is_better = auc_gap\nhigher_is_better = loss_reduction\n", fp);
	fclose(fp);
	assert_int_equal(config_args_parse(&a, 3, argv, &e), 0);
	cfg = config_load(&a, dir, &e);
	config_args_fini(&a);
	if (!cfg)
		fail_msg("config: %s", e.msg);
	assert_int_equal(compare_direction(cfg, "auc_gap"), -1);       /* auto: higher */
	assert_int_equal(compare_direction(cfg, "loss_reduction"), 1); /* auto: lower */
	assert_int_equal(compare_direction(cfg, "val_loss"), -1);      /* not named: auto */
	assert_int_equal(compare_direction(cfg, "auc"), 1);
	config_free(&cfg);
	unlink(path);
	rmdir(dir);
}

static void test_best_with_nan(void **state)
{
	const double a[] = {NAN, 0.9, 0.95, NAN};
	const double inf[] = {INFINITY, 0.3, -INFINITY, 0.2};
	const double none[] = {NAN, NAN};
	const double ties[] = {0.5, 0.7, 0.7};

	(void)state;
	assert_int_equal(compare_best(a, 4, 1), 2);
	assert_int_equal(compare_best(a, 4, -1), 1);
	assert_int_equal(compare_best(inf, 4, 1), 1); /* ±Inf never wins */
	assert_int_equal(compare_best(inf, 4, -1), 3);
	assert_int_equal(compare_best(none, 2, 1), -1);
	assert_int_equal(compare_best(none, 0, 1), -1);
	assert_int_equal(compare_best(ties, 3, 1), 1); /* the first of equals */
}

static void test_delta(void **state)
{
	double d;
	char buf[32];

	(void)state;
	assert_int_equal(compare_delta(0.934, 0.912, 1, &d), COMPARE_BETTER);
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), d, COMPARE_DELTA_DIGITS), "+0.022");
	assert_int_equal(compare_delta(0.290, 0.281, -1, &d), COMPARE_WORSE);
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), d, COMPARE_DELTA_DIGITS), "+0.009");
	assert_int_equal(compare_delta(0.272, 0.281, -1, &d), COMPARE_BETTER);
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), d, COMPARE_DELTA_DIGITS), "-0.009");
	assert_int_equal(compare_delta(0.9, 0.95, 1, &d), COMPARE_WORSE);
	assert_int_equal(compare_delta(0.5, 0.5, 1, &d), COMPARE_SAME);
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), d, COMPARE_DELTA_DIGITS), "+0");
	assert_int_equal(compare_delta(NAN, 0.5, 1, &d), COMPARE_NONE);
	assert_int_equal(compare_delta(0.5, INFINITY, 1, &d), COMPARE_NONE);
}

static void test_fmt_value(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 0.912, COMPARE_VALUE_DIGITS),
	                    "0.912");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 182.4, COMPARE_VALUE_DIGITS),
	                    "182.4");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 0, COMPARE_VALUE_DIGITS), "0");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 12345678.0, COMPARE_VALUE_DIGITS),
	                    "1.235e+07");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), NAN, COMPARE_VALUE_DIGITS), "NaN");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), -INFINITY, COMPARE_VALUE_DIGITS),
	                    "-Inf");
}

/* Fewer digits for narrow cells, the exponent form included. */
static void test_fmt_digits(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 0.8113, 3), "0.811");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 0.40961234, 3), "0.41");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 0.40961234, 2), "0.41");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 12345678.0, 2), "1.2e+07");
	assert_string_equal(compare_fmt_value(buf, sizeof(buf), 0.912, 9), "0.912"); /* at most 4 */
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), 0.0833, 2), "+0.083");
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), 1.234e-5, 3), "+1.23e-05");
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), 1.234e-5, 2), "+1.2e-05");
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), -0.0948, 1), "-0.09");
	assert_string_equal(compare_fmt_delta(buf, sizeof(buf), 0, 1), "+0");
}

static const struct compare_prow *prow(const struct compare_tables *t, const char *label)
{
	size_t i;

	for (i = 0; i < t->np; i++)
		if (strcmp(t->p[i].label, label) == 0)
			return &t->p[i];
	return NULL;
}

static void test_tables(void **state)
{
	struct fix *f = *state;
	const struct compare_tables *t = &f->t;
	const struct compare_prow *p;
	int auc, logloss, val;

	assert_int_equal(t->nruns, 3);
	assert_string_equal(t->name[0], "dazzling-owl-12");
	assert_string_equal(t->id[2], "r3");
	/* git commit and dataset first, then params by name */
	assert_int_equal(t->np, 7);
	assert_string_equal(t->p[0].label, "git commit");
	assert_string_equal(t->p[1].label, "dataset");
	assert_string_equal(t->p[2].label, "feature_set");
	assert_int_equal(t->p[0].differs, 0);
	assert_string_equal(t->p[0].val[1], "9c1e2f0a7b");
	assert_string_equal(t->p[1].val[0], "churn@3f1a9c2e");
	assert_null(t->p[1].val[2]);
	assert_int_equal(t->p[1].differs, 1);
	assert_int_equal(t->p[1].same_name, 1);
	assert_int_equal(t->p[1].shared, 0); /* 3f1a9c2e and 77aa01 */
	p = prow(t, "notes");
	assert_non_null(p);
	assert_string_equal(p->val[1], "try\\e[31m red"); /* sanitized */
	assert_null(p->val[0]);
	assert_int_equal(p->differs, 1);
	assert_int_equal(prow(t, "seed")->differs, 0);
	assert_int_equal(prow(t, "max_depth")->differs, 1);

	assert_int_equal(t->nm, 3);
	auc = compare_tables_metric(t, "auc");
	logloss = compare_tables_metric(t, "logloss");
	val = compare_tables_metric(t, "val_loss");
	assert_int_equal(auc, 0); /* by name */
	assert_int_equal(logloss, 1);
	assert_int_equal(val, 2);
	assert_int_equal(compare_tables_metric(t, "nope"), -1);
	assert_int_equal(t->m[auc].dir, 1);
	assert_int_equal(t->m[auc].best, 1);
	assert_int_equal(t->m[logloss].dir, -1);
	assert_int_equal(t->m[logloss].best, 0);
	assert_int_equal(t->m[val].best, 1); /* NaN in run 1, missing in run 3 */
	assert_true(t->m[val].have[0] && isnan(t->m[val].v[0]));
	assert_false(t->m[val].have[2]);
}

static void test_diff_only(void **state)
{
	struct fix *f = *state;
	struct compare_tables *t = &f->t;
	size_t i;

	assert_int_equal(t->npview, t->np);
	compare_tables_filter(t, 1);
	assert_int_equal(t->npview, 5); /* dataset, feature_set, learning_rate, max_depth, notes */
	for (i = 0; i < t->npview; i++) {
		const char *label = t->p[t->pview[i]].label;
		assert_true(t->p[t->pview[i]].differs);
		assert_string_not_equal(label, "seed");
		assert_string_not_equal(label, "git commit");
	}
	assert_string_equal(t->p[t->pview[0]].label, "dataset");
	compare_tables_filter(t, 0);
	assert_int_equal(t->npview, 7);
}

/* Eight runs of three versions of one dataset: the digests share their first 7 characters;
 * the runs' start times are kept for the time since start. */
static void test_dataset_shared(void **state)
{
	static const char body[] =
	    "{\"runs\":[{\"info\":{\"run_id\":\"a\"},\"inputs\":{\"dataset_inputs\":[{\"dataset\":"
	    "{\"name\":\"churn\",\"digest\":\"abc\"}}]}},{\"info\":{\"run_id\":\"b\"},\"inputs\":"
	    "{\"dataset_inputs\":[{\"dataset\":{\"name\":\"fraud\",\"digest\":\"abcdef\"}}]}}]}";
	struct runstore *s = runstore_new();
	const struct mlflow_run *runs[8];
	struct compare_tables t = {0};
	size_t n, i;
	char *next = NULL, id[4];

	(void)state;
	assert_int_equal(
	    mlflow_parse_runs(compare_runs8_json, strlen(compare_runs8_json), s, &n, &next, NULL),
	    0);
	free(next);
	for (i = 0; i < 8; i++) {
		snprintf(id, sizeof(id), "s%zu", i + 1);
		runs[i] = runstore_find(s, id);
		assert_non_null(runs[i]);
	}
	assert_int_equal(compare_tables_build(&t, s, runs, 8, NULL, NULL), 0);
	assert_string_equal(t.p[0].label, "dataset");
	assert_string_equal(t.p[0].val[3], "churn_weekly@5e0c91aa77d2");
	assert_int_equal(t.p[0].same_name, 1);
	assert_int_equal(t.p[0].shared, 7);
	assert_true(t.start_ms[0] == 1718011700000LL);
	/* a digest that starts another keeps its last character; the names differ */
	next = NULL;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), s, &n, &next, NULL), 0);
	free(next);
	runs[0] = runstore_find(s, "a");
	runs[1] = runstore_find(s, "b");
	assert_int_equal(compare_tables_build(&t, s, runs, 2, NULL, NULL), 0);
	assert_int_equal(t.p[0].same_name, 0);
	assert_int_equal(t.p[0].shared, 2);
	/* one dataset for all: nothing to cut */
	runs[1] = runs[0];
	assert_int_equal(compare_tables_build(&t, s, runs, 2, NULL, NULL), 0);
	assert_int_equal(t.p[0].shared, 0);
	compare_tables_fini(&t);
	runstore_free(&s);
}

/* Two runs that have nothing: no rows, nothing best, and rebuilding the same tables is fine. */
static void test_empty_runs(void **state)
{
	static const char body[] = "{\"runs\":[{\"info\":{\"run_id\":\"a\"}},{\"info\":{\"run_id\":"
	                           "\"b\",\"run_name\":\"b\\u202eevil\"}}]}";
	struct runstore *s = runstore_new();
	const struct mlflow_run *runs[2];
	struct compare_tables t = {0};
	size_t n;
	char *next = NULL;

	(void)state;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), s, &n, &next, NULL), 0);
	runs[0] = runstore_find(s, "a");
	runs[1] = runstore_find(s, "b");
	assert_int_equal(compare_tables_build(&t, s, runs, 2, NULL, NULL), 0);
	assert_int_equal(compare_tables_build(&t, s, runs, 2, NULL, NULL), 0);
	assert_int_equal(t.np, 0);
	assert_int_equal(t.nm, 0);
	assert_string_equal(t.name[0], "a"); /* an unnamed run shows its id */
	assert_string_equal(t.name[1], "b\\u202eevil");
	compare_tables_fini(&t);
	runstore_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_direction_auto),
	    cmocka_unit_test(test_direction_config_override),
	    cmocka_unit_test(test_best_with_nan),
	    cmocka_unit_test(test_delta),
	    cmocka_unit_test(test_fmt_value),
	    cmocka_unit_test(test_fmt_digits),
	    cmocka_unit_test(test_dataset_shared),
	    cmocka_unit_test_setup_teardown(test_tables, fix_setup, fix_teardown),
	    cmocka_unit_test_setup_teardown(test_diff_only, fix_setup, fix_teardown),
	    cmocka_unit_test(test_empty_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
