/* runstore: interning, key lists for the column picker, run lookup by id, stable pointers while
 * the store grows, updates in place, metric/param/tag lookups by key id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/arena.h"
#include "clients/runstore.h"

static uint32_t key(struct runstore *s, const char *name, int kind)
{
	uint32_t id = runstore_intern(s, name, strlen(name), kind);
	assert_int_not_equal(id, RUNSTORE_NO_KEY);
	return id;
}

static void test_intern_and_key_lists(void **state)
{
	(void)state;
	struct runstore *s = runstore_new();
	assert_int_equal(runstore_key_id(s, "mlflow.source.git.commit"), RUNSTORE_TAG_GIT_COMMIT);
	uint32_t rmse = key(s, "rmse", RUNSTORE_METRIC);
	uint32_t auc = key(s, "auc", RUNSTORE_METRIC);
	assert_int_equal(key(s, "rmse", RUNSTORE_METRIC), rmse);
	uint32_t lr = key(s, "lr", RUNSTORE_PARAM);
	assert_int_equal(key(s, "auc", RUNSTORE_PARAM),
	                 auc); /* one id per name, whatever the kind */
	assert_string_equal(runstore_key_name(s, lr), "lr");
	assert_null(runstore_key_name(s, 100000));
	assert_int_equal(runstore_key_id(s, "never"), RUNSTORE_NO_KEY);
	const uint32_t *ids;
	assert_int_equal(runstore_keys(s, RUNSTORE_METRIC, &ids), 2);
	assert_int_equal(ids[0], auc); /* sorted by name */
	assert_int_equal(ids[1], rmse);
	assert_int_equal(runstore_keys(s, RUNSTORE_PARAM, &ids), 2);
	assert_int_equal(ids[0], auc);
	assert_int_equal(ids[1], lr);
	assert_int_equal(runstore_keys(s, RUNSTORE_TAG, &ids), 0);
	const char *u1 = runstore_intern_str(s, "alice");
	assert_ptr_equal(runstore_intern_str(s, "alice"), u1);
	assert_int_equal(runstore_keys(s, RUNSTORE_PARAM, &ids), 2); /* values are in no list */
	runstore_free(&s);
	assert_null(s);
}

/* A run with nm metrics (keys m<j>, given in reverse order) and one param p<i % 7>. */
static void put_run(struct runstore *s, size_t i, int nm, double base)
{
	struct arena *a = runstore_arena(s);
	char id[40], name[16];
	snprintf(id, sizeof id, "run-%08zu", i);
	struct mlflow_run r = {.id = arena_strdup(a, id), .status = RUN_STATUS_FINISHED};
	r.metrics = arena_calloc(a, (size_t)nm, sizeof *r.metrics);
	for (int j = nm - 1; j >= 0; j--) {
		snprintf(name, sizeof name, "m%d", j);
		r.metrics[r.nmetrics++] = (struct mlflow_metric){
		    .key = key(s, name, RUNSTORE_METRIC), .value = base + j, .step = (int64_t)i};
	}
	r.params = arena_calloc(a, 2, sizeof *r.params);
	snprintf(name, sizeof name, "p%zu", i % 7);
	r.params[r.nparams++] = (struct mlflow_kv){key(s, name, RUNSTORE_PARAM), "v"};
	r.params[r.nparams++] = (struct mlflow_kv){key(s, "aa", RUNSTORE_PARAM), "first"};
	r.tags = arena_calloc(a, 1, sizeof *r.tags);
	r.tags[r.ntags++] = (struct mlflow_kv){RUNSTORE_TAG_GIT_COMMIT, "abc123"};
	assert_int_equal(runstore_put(s, &r, NULL), 0);
}

static void test_many_runs_lookup(void **state)
{
	(void)state;
	struct runstore *s = runstore_new();
	put_run(s, 0, 3, 0);
	const struct mlflow_run *first = runstore_find(s, "run-00000000");
	assert_non_null(first);
	for (size_t i = 1; i < 5000; i++)
		put_run(s, i, 3, (double)i);
	assert_int_equal(runstore_count(s), 5000);
	assert_ptr_equal(runstore_find(s, "run-00000000"), first); /* stable across growth */
	assert_ptr_equal(runstore_at(s, 0), first);
	assert_null(runstore_at(s, 5000));
	assert_null(runstore_find(s, "run-99999999"));
	const struct mlflow_run *r = runstore_find(s, "run-00004321");
	assert_ptr_equal(runstore_at(s, 4321), r);
	uint32_t m2 = runstore_key_id(s, "m2");
	assert_true(r->metrics[0].key < r->metrics[1].key); /* sorted by key id on put */
	assert_true(runstore_metric(r, m2)->value == 4321 + 2);
	assert_null(runstore_metric(r, runstore_key_id(s, "p1")));
	assert_string_equal(runstore_param(r, runstore_key_id(s, "p"
	                                                         "2")),
	                    "v"); /* 4321 % 7 */
	assert_null(runstore_param(r, runstore_key_id(s, "p3")));
	assert_string_equal(runstore_param(r, runstore_key_id(s, "aa")), "first");
	assert_string_equal(runstore_git_commit(r), "abc123");
	assert_null(runstore_source_name(r));
	const uint32_t *ids;
	assert_int_equal(runstore_keys(s, RUNSTORE_PARAM, &ids), 8);
	assert_string_equal(runstore_key_name(s, ids[0]), "aa");
	/* the same id again: updated in place */
	put_run(s, 4321, 1, 100);
	assert_int_equal(runstore_count(s), 5000);
	assert_ptr_equal(runstore_find(s, "run-00004321"), r);
	assert_int_equal(r->nmetrics, 1);
	assert_null(runstore_metric(r, m2));
	assert_true(runstore_bytes(s) > 5000 * sizeof(struct mlflow_run));
	runstore_free(&s);
}

static void test_put_needs_an_id(void **state)
{
	(void)state;
	struct runstore *s = runstore_new();
	struct mlflow_run r = {0};
	struct err e = {0};
	assert_int_equal(runstore_put(s, &r, &e), ERR_PARSE);
	assert_string_equal(e.msg, "a run without run_id");
	assert_int_equal(runstore_count(s), 0);
	runstore_free(&s);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_int_equal(runstore_status_parse("KILLED"), RUN_STATUS_KILLED);
	assert_int_equal(runstore_status_parse("finished"), RUN_STATUS_UNKNOWN);
	assert_int_equal(runstore_status_parse(NULL), RUN_STATUS_UNKNOWN);
	assert_string_equal(runstore_status_name(RUN_STATUS_SCHEDULED), "SCHEDULED");
	assert_string_equal(runstore_status_name(42), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_intern_and_key_lists),
	    cmocka_unit_test(test_many_runs_lookup),
	    cmocka_unit_test(test_put_needs_an_id),
	    cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
