/* The MLflow body parsers on the fixtures of tests/fixtures/mlflow (written from
 * docs/wire-formats.md, MLflow): normal bodies, {}, missing fields, wrong types, "NaN"/"Infinity",
 * truncated JSON and a top level that is not an object. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/mlflow_parse_eval.h"
#include "clients/mlflow_parse.h"
#include "clients/mlflow_parse_registry.h"
#include "clients/mlflow_parse_runs.h"
#include "mlflow_fixture.h"

#define RUN1 "5f2c0e6e3b9a4d1f9a7c2b8e1d4f6a90"
#define RUN2 "a7d1c3e5f7091b2d4f6a8c0e2b4d6f81"

static void test_experiments_pages(void **state)
{
	(void)state;
	struct mlflow_experiments *l = mlflow_experiments_new();
	char *tok = NULL, *body;
	size_t len;
	body = mlflow_fixture("experiments_page1.json", &len);
	assert_int_equal(mlflow_parse_experiments(body, len, l, &tok, NULL), 0);
	free(body);
	assert_string_equal(tok, "eyJvZmZzZXQiOiAyfQ==");
	free(tok);
	body = mlflow_fixture("experiments_page2.json", &len);
	assert_int_equal(mlflow_parse_experiments(body, len, l, &tok, NULL), 0);
	free(body);
	assert_null(tok);
	assert_int_equal(l->n, 3);
	const struct mlflow_experiment *x = mlflow_experiments_find(l, "12");
	assert_non_null(x);
	assert_string_equal(x->name, "churn-xgb");
	assert_string_equal(x->description, "Weekly churn retrain");
	assert_int_equal(x->ntags, 2);
	assert_int_equal(x->last_update_time, 1718012345678LL);
	x = mlflow_experiments_find(l, "7");
	assert_string_equal(x->lifecycle_stage, "deleted");
	assert_int_equal(x->creation_time, 1710000000000LL); /* int64 sent as a string */
	assert_null(x->artifact_location);
	mlflow_experiments_free(&l);
	assert_null(l);
}

static void test_experiments_missing_fields(void **state)
{
	(void)state;
	struct mlflow_experiments *l = mlflow_experiments_new();
	char *tok = NULL, *body = mlflow_fixture("experiments_missing.json", NULL);
	assert_int_equal(mlflow_parse_experiments(body, strlen(body), l, &tok, NULL), 0);
	free(body);
	assert_int_equal(l->n, 3); /* 42 and "x" are not experiments */
	assert_null(l->items[0].id);
	assert_string_equal(l->items[1].name, "no-id");
	const struct mlflow_experiment *x = &l->items[2];
	assert_int_equal(x->creation_time, 0);
	assert_int_equal(x->ntags, 1); /* the tag without a key is dropped */
	assert_string_equal(x->tags[0].key, "k");
	assert_string_equal(x->tags[0].value, "");
	mlflow_experiments_free(&l);
}

/* Every parser, on a body that must be refused. */
static void expect_all_fail(const char *body, size_t len, const char *needle)
{
	struct mlflow_experiments *xl = mlflow_experiments_new();
	struct runstore *rs = runstore_new();
	struct mlflow_history *h = mlflow_history_new("loss");
	struct mlflow_models *ml = mlflow_models_new();
	struct mlflow_versions *vl = mlflow_versions_new();
	struct mlflow_artifacts *al = mlflow_artifacts_new();
	struct mlflow_eval_table *t = mlflow_eval_table_new();
	char *tok = (char *)"stale";
	size_t n = 99;
	struct err e = {0};
	assert_int_equal(mlflow_parse_experiments(body, len, xl, &tok, &e), ERR_PARSE);
	assert_null(tok);
	assert_non_null(strstr(e.msg, needle));
	assert_int_equal(mlflow_parse_runs(body, len, rs, &n, &tok, NULL), ERR_PARSE);
	assert_int_equal(n, 0);
	assert_int_equal(mlflow_parse_runs(body, len, rs, &n, NULL, NULL), ERR_PARSE);
	assert_int_equal(mlflow_parse_history(body, len, h, NULL, &tok, NULL), ERR_PARSE);
	assert_int_equal(mlflow_parse_models(body, len, ml, &tok, NULL), ERR_PARSE);
	assert_int_equal(mlflow_parse_model(body, len, ml, NULL), ERR_PARSE);
	assert_int_equal(mlflow_parse_versions(body, len, vl, &tok, NULL), ERR_PARSE);
	assert_int_equal(mlflow_parse_artifacts(body, len, al, &tok, NULL), ERR_PARSE);
	assert_int_equal(mlflow_parse_eval_table(body, len, t, NULL), ERR_PARSE);
	assert_int_equal(xl->n + runstore_count(rs) + h->n + ml->n + vl->n + al->n, 0);
	mlflow_experiments_free(&xl);
	runstore_free(&rs);
	mlflow_history_free(&h);
	mlflow_models_free(&ml);
	mlflow_versions_free(&vl);
	mlflow_artifacts_free(&al);
	mlflow_eval_table_free(&t);
}

static void test_bad_bodies(void **state)
{
	(void)state;
	char *body = mlflow_fixture("runs_truncated.json", NULL);
	expect_all_fail(body, strlen(body), "invalid JSON");
	free(body);
	body = mlflow_fixture("top_array.json", NULL);
	expect_all_fail(body, strlen(body), "expected a JSON object");
	free(body);
	body = mlflow_fixture("error_502.html", NULL);
	expect_all_fail(body, strlen(body), "invalid JSON");
	free(body);
	expect_all_fail("", 0, "empty body");
	expect_all_fail("\"NaN\"", 5, "expected a JSON object");
}

static void test_empty_object(void **state)
{
	(void)state;
	char *body = mlflow_fixture("empty.json", NULL);
	size_t len = strlen(body), n = 7;
	char *tok = NULL;
	struct runstore *rs = runstore_new();
	assert_int_equal(mlflow_parse_runs(body, len, rs, &n, &tok, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(tok);
	assert_int_equal(mlflow_parse_runs(body, len, rs, &n, NULL, NULL), 0);
	assert_int_equal(runstore_count(rs), 0);
	free(body);
	/* an empty list and an empty token are the same as none */
	body = mlflow_fixture("runs_page_empty.json", NULL);
	n = 7;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), rs, &n, &tok, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(tok);
	len = strlen(body);
	runstore_free(&rs);
	struct mlflow_models *ml = mlflow_models_new();
	assert_int_equal(mlflow_parse_models(body, len, ml, &tok, NULL), 0);
	assert_int_equal(mlflow_parse_model(body, len, ml, NULL), 0);
	assert_int_equal(ml->n, 0);
	mlflow_models_free(&ml);
	struct mlflow_eval_table *t = mlflow_eval_table_new();
	assert_int_equal(mlflow_parse_eval_table(body, len, t, NULL), 0);
	assert_int_equal(t->rows + t->ncolumns + t->failing, 0);
	mlflow_eval_table_free(&t);
	free(body);
}

static void test_wrong_list_types(void **state)
{
	(void)state;
	struct err e = {0};
	char *tok = NULL, *body = mlflow_fixture("experiments_wrong_type.json", NULL);
	struct mlflow_experiments *xl = mlflow_experiments_new();
	assert_int_equal(mlflow_parse_experiments(body, strlen(body), xl, &tok, &e), ERR_PARSE);
	assert_string_equal(e.msg, "experiments: \"experiments\" is not a list");
	mlflow_experiments_free(&xl);
	free(body);
	body = mlflow_fixture("runs_wrong_type.json", NULL);
	struct runstore *rs = runstore_new();
	size_t n;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), rs, &n, &tok, &e), ERR_PARSE);
	assert_null(tok);
	assert_string_equal(e.msg, "runs/search: \"runs\" is not a list");
	runstore_free(&rs);
	free(body);
	body = mlflow_fixture("eval_wrong_type.json", NULL);
	struct mlflow_eval_table *t = mlflow_eval_table_new();
	assert_int_equal(mlflow_parse_eval_table(body, strlen(body), t, NULL), ERR_PARSE);
	mlflow_eval_table_free(&t);
	free(body);
	/* a get body whose object is an array */
	const char *get = "{\"registered_model\": [1, 2]}";
	struct mlflow_models *ml = mlflow_models_new();
	assert_int_equal(mlflow_parse_model(get, strlen(get), ml, &e), ERR_PARSE);
	assert_non_null(strstr(e.msg, "is not an object"));
	mlflow_models_free(&ml);
}

static struct runstore *load_runs(const char *name, size_t expect_n, const char *expect_tok)
{
	struct runstore *rs = runstore_new();
	char *tok = NULL, *body = mlflow_fixture(name, NULL);
	size_t n = 0;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), rs, &n, &tok, NULL), 0);
	assert_int_equal(n, expect_n);
	if (expect_tok)
		assert_string_equal(tok, expect_tok);
	else
		assert_null(tok);
	free(tok);
	free(body);
	return rs;
}

static double metric(const struct runstore *rs, const struct mlflow_run *r, const char *key)
{
	const struct mlflow_metric *m = runstore_metric(r, runstore_key_id(rs, key));
	assert_non_null(m);
	return m->value;
}

static void test_runs_page(void **state)
{
	(void)state;
	struct runstore *rs = load_runs("runs_page1.json", 2, "eyJvZmZzZXQiOiAyfQ==");
	const struct mlflow_run *r = runstore_find(rs, RUN1);
	assert_non_null(r);
	assert_string_equal(r->name, "bold-owl-37");
	assert_string_equal(r->experiment_id, "12");
	assert_string_equal(r->user, "alice");
	assert_int_equal(r->status, RUN_STATUS_FINISHED);
	assert_int_equal(r->end_time, 1718012345678LL);
	assert_int_equal(r->nmetrics, 4);
	assert_true(fabs(metric(rs, r, "rmse") - 0.7312) < 1e-12);
	assert_true(isnan(metric(rs, r, "val_loss")));
	assert_true(isinf(metric(rs, r, "auc")) && metric(rs, r, "auc") > 0);
	assert_true(isinf(metric(rs, r, "drift")) && metric(rs, r, "drift") < 0);
	assert_int_equal(runstore_metric(r, runstore_key_id(rs, "rmse"))->step, 49);
	assert_string_equal(runstore_param(r, runstore_key_id(rs, "max_depth")), "6");
	assert_string_equal(runstore_git_commit(r), "9c1e2f0a7b3d4c5e6f708192a3b4c5d6e7f80912");
	assert_string_equal(runstore_source_name(r), "train.py");
	assert_int_equal(r->ndatasets, 1);
	assert_string_equal(r->datasets[0].digest, "3f1a9c2e");
	assert_string_equal(r->datasets[0].context, "training");
	assert_string_equal(r->datasets[0].profile,
	                    "{\"num_rows\": 10000, \"num_elements\": 120000}");
	r = runstore_find(rs, RUN2);
	assert_string_equal(r->name, "brave-fox-7"); /* from the tag mlflow.runName */
	assert_string_equal(r->user, "bob");         /* from the tag mlflow.user */
	assert_int_equal(r->status, RUN_STATUS_RUNNING);
	assert_int_equal(r->end_time, 0);
	assert_string_equal(runstore_parent_run(r), RUN1);
	assert_string_equal(runstore_param(r, runstore_key_id(rs, "notes")), "");
	assert_null(runstore_param(r, runstore_key_id(rs, "model")));
	assert_null(runstore_git_commit(r));
	runstore_free(&rs);
}

static void test_runs_second_page_dedupes(void **state)
{
	(void)state;
	struct runstore *rs = load_runs("runs_page1.json", 2, "eyJvZmZzZXQiOiAyfQ==");
	const struct mlflow_run *before = runstore_find(rs, RUN2);
	char *tok = NULL, *body = mlflow_fixture("runs_page2.json", NULL);
	size_t n = 0;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), rs, &n, &tok, NULL), 0);
	free(body);
	free(tok);
	assert_int_equal(n, 2);
	assert_int_equal(runstore_count(rs), 3); /* RUN2 came again: updated, not added */
	const struct mlflow_run *r = runstore_find(rs, RUN2);
	assert_ptr_equal(r, before);
	assert_int_equal(r->status, RUN_STATUS_FINISHED);
	assert_true(fabs(metric(rs, r, "auc") - 0.934) < 1e-12);
	r = runstore_find(rs, "c0ffee00c0ffee00c0ffee00c0ffee00"); /* only run_uuid was sent */
	assert_non_null(r);
	assert_true(r->deleted);
	assert_int_equal(r->start_time, 1718014000000LL);
	assert_int_equal(r->nmetrics, 1); /* the metric without a key is dropped */
	assert_true(fabs(metric(rs, r, "rmse") - 1.25) < 1e-12);
	assert_int_equal(runstore_metric(r, runstore_key_id(rs, "rmse"))->step, 3);
	runstore_free(&rs);
}

static void test_runs_wrong_inner_types(void **state)
{
	(void)state;
	struct runstore *rs = load_runs("runs_wrong_inner.json", 1, NULL);
	const struct mlflow_run *r = runstore_find(rs, "d00d");
	assert_non_null(r);
	assert_int_equal(r->start_time, 0);
	assert_int_equal(r->status, RUN_STATUS_UNKNOWN);
	assert_null(r->experiment_id);
	assert_string_equal(r->name, "from-tag");
	assert_int_equal(r->nmetrics, 2);
	assert_true(isnan(metric(rs, r, "loss")));
	assert_true(isnan(metric(rs, r, "acc")));
	assert_int_equal(r->nparams, 0);
	assert_int_equal(r->ndatasets, 1);
	assert_null(r->datasets[0].name);
	runstore_free(&rs);
}

static void test_run_get(void **state)
{
	(void)state;
	struct runstore *rs = runstore_new();
	char *body = mlflow_fixture("run_get.json", NULL);
	size_t n = 0;
	assert_int_equal(mlflow_parse_runs(body, strlen(body), rs, &n, NULL, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(
	    runstore_metric(runstore_find(rs, RUN1), runstore_key_id(rs, "rmse"))->step, 50);
	free(body);
	runstore_free(&rs);
}

static void test_history_single_sorted(void **state)
{
	(void)state;
	struct mlflow_history *h = mlflow_history_new("rmse");
	char *tok = NULL, *body = mlflow_fixture("history_single.json", NULL);
	assert_int_equal(mlflow_parse_history(body, strlen(body), h, RUN1, &tok, NULL), 0);
	free(body);
	assert_string_equal(tok, "cGFnZTI=");
	free(tok);
	mlflow_history_sort(h);
	const struct mlflow_series *s = mlflow_history_find(h, RUN1);
	assert_non_null(s);
	assert_int_equal(s->n, 4);
	assert_int_equal(s->points[0].step, 0);
	assert_true(fabs(s->points[1].value - 1.41) < 1e-12); /* step 1, earlier timestamp */
	assert_true(fabs(s->points[2].value - 1.30) < 1e-12);
	assert_true(isnan(s->points[3].value));
	mlflow_history_free(&h);
}

static void test_history_bulk_grouped(void **state)
{
	(void)state;
	struct mlflow_history *h = mlflow_history_new("loss");
	char *tok = NULL, *body = mlflow_fixture("history_bulk.json", NULL);
	assert_int_equal(mlflow_parse_history(body, strlen(body), h, NULL, &tok, NULL), 0);
	free(body);
	assert_null(tok);
	mlflow_history_sort(h);
	assert_int_equal(h->n, 2); /* the point without run_id cannot be placed */
	const struct mlflow_series *s = mlflow_history_find(h, RUN1);
	assert_int_equal(s->n, 3);
	assert_int_equal(s->points[0].step, 0);
	assert_int_equal(s->points[1].step, 250);
	assert_int_equal(s->points[2].step, 500);
	assert_int_equal(mlflow_history_find(h, RUN2)->n, 1);
	assert_null(mlflow_history_find(h, "nope"));
	mlflow_history_free(&h);
}

static void test_models_search_then_get(void **state)
{
	(void)state;
	struct mlflow_models *l = mlflow_models_new();
	char *tok = NULL, *body = mlflow_fixture("models_search.json", NULL);
	assert_int_equal(mlflow_parse_models(body, strlen(body), l, &tok, NULL), 0);
	free(body);
	assert_string_equal(tok, "bW9kZWxzMg==");
	free(tok);
	assert_int_equal(l->n, 2);
	const struct mlflow_registered_model *m = mlflow_models_find(l, "churn-model");
	assert_int_equal(m->nlatest, 2);
	assert_string_equal(m->latest_versions[1].current_stage, "Production");
	assert_int_equal(m->naliases, 0);
	assert_false(m->have_aliases);
	body = mlflow_fixture("model_get.json", NULL);
	assert_int_equal(mlflow_parse_model(body, strlen(body), l, NULL), 0);
	free(body);
	assert_int_equal(l->n, 2);
	m = mlflow_models_find(l, "churn-model");
	assert_true(m->have_aliases);
	assert_int_equal(m->naliases, 2); /* the alias without a version is dropped */
	assert_string_equal(mlflow_model_alias(m, "champion"), "3");
	assert_string_equal(mlflow_model_alias(m, "challenger"), "4");
	assert_null(mlflow_model_alias(m, "broken"));
	assert_string_equal(m->tags[0].value, "risk-team");
	assert_string_equal(mlflow_models_find(l, "fraud-detector")->tags[0].value, "fraud-team");
	mlflow_models_free(&l);
}

static void test_versions(void **state)
{
	(void)state;
	struct mlflow_versions *l = mlflow_versions_new();
	char *tok = NULL, *body = mlflow_fixture("versions_search.json", NULL);
	assert_int_equal(mlflow_parse_versions(body, strlen(body), l, &tok, NULL), 0);
	free(body);
	assert_null(tok);
	assert_int_equal(l->n, 3);
	assert_string_equal(l->items[0].version, "4");
	assert_string_equal(l->items[0].source, "models:/m-abc");
	assert_int_equal(l->items[1].naliases, 1); /* 7 and "" are not aliases */
	assert_string_equal(l->items[1].aliases[0], "champion");
	assert_string_equal(l->items[1].tags[0].key, "validation_status");
	assert_string_equal(l->items[2].status_message, "copy failed");
	assert_int_equal(l->items[2].creation_timestamp, 0);
	body = mlflow_fixture("version_get.json", NULL);
	assert_int_equal(mlflow_parse_versions(body, strlen(body), l, NULL, NULL), 0);
	free(body);
	assert_int_equal(l->n, 4);
	assert_string_equal(l->items[3].aliases[0], "champion");
	mlflow_versions_free(&l);
}

static void test_artifacts(void **state)
{
	(void)state;
	struct mlflow_artifacts *l = mlflow_artifacts_new();
	char *tok = NULL, *body = mlflow_fixture("artifacts_list.json", NULL);
	assert_int_equal(mlflow_parse_artifacts(body, strlen(body), l, &tok, NULL), 0);
	free(body);
	assert_int_equal(l->n, 3);
	assert_string_equal(l->root_uri, "mlflow-artifacts:/12/" RUN1 "/artifacts");
	assert_int_equal(l->items[0].file_size, 48213);
	assert_true(l->items[1].is_dir);
	assert_int_equal(l->items[1].file_size, -1);
	assert_int_equal(l->items[2].file_size, 20817);
	mlflow_artifacts_free(&l);
}

static void test_eval_table_scores(void **state)
{
	(void)state;
	struct mlflow_eval_table *t = mlflow_eval_table_new();
	char *body = mlflow_fixture("eval_results_table.json", NULL);
	assert_int_equal(mlflow_parse_eval_table(body, strlen(body), t, NULL), 0);
	free(body);
	assert_int_equal(t->ncolumns, 9);
	assert_int_equal(t->rows, 5);
	assert_int_equal(t->output_column, 2);
	assert_int_equal(t->columns[5].rule, EVAL_RULE_SCORE_ABOVE);
	assert_int_equal(t->columns[6].rule, EVAL_RULE_SCORE_AT_MOST);
	assert_int_equal(t->columns[8].rule, EVAL_RULE_NONE); /* a grade level is no verdict */
	assert_int_equal(t->columns[1].rule, EVAL_RULE_NONE); /* scores present: no target rule */
	assert_int_equal(t->failing, 2);
	assert_int_equal(t->columns[5].failing, 1);
	assert_int_equal(t->columns[6].failing, 1);
	assert_int_equal(t->nfailed, 2);
	assert_int_equal(t->failed[0].index, 1);
	assert_string_equal(t->failed[0].cells[2], "Spark is a spreadsheet program.");
	assert_string_equal(t->failed[0].cells[3], "6");
	assert_int_equal(t->failed[1].index, 2);
	assert_string_equal(t->failed[1].cells[1], "");
	assert_string_equal(t->failed[1].cells[2],
	                    "[{\"role\":\"assistant\",\"content\":\"You fool\"}]");
	mlflow_eval_table_free(&t);
}

static void test_eval_table_target(void **state)
{
	(void)state;
	struct mlflow_eval_table *t = mlflow_eval_table_new();
	char *body = mlflow_fixture("eval_target_only.json", NULL);
	assert_int_equal(mlflow_parse_eval_table(body, strlen(body), t, NULL), 0);
	free(body);
	assert_int_equal(t->rows, 4);
	assert_int_equal(t->columns[1].rule, EVAL_RULE_TARGET);
	assert_int_equal(t->failing, 1); /* 1.0 and 1 are the same number */
	assert_int_equal(t->failed[0].index, 1);
	mlflow_eval_table_free(&t);
}

static void test_eval_table_path_from_tag(void **state)
{
	(void)state;
	char path[64];
	struct runstore *rs = load_runs("runs_page1.json", 2, "eyJvZmZzZXQiOiAyfQ==");
	const char *tag = runstore_tag(runstore_find(rs, RUN1), RUNSTORE_TAG_LOGGED_ARTIFACTS);
	assert_int_equal(mlflow_eval_table_path(tag, path, sizeof path), 0);
	assert_string_equal(path, "eval_results_table.json");
	runstore_free(&rs);
	const char *prefixed = "[{\"path\": \"plots/x.json\", \"type\": \"table\"},"
	                       " {\"path\": \"val_eval_results_table.json\", \"type\": \"table\"}]";
	assert_int_equal(mlflow_eval_table_path(prefixed, path, sizeof path), 0);
	assert_string_equal(path, "val_eval_results_table.json");
	assert_int_equal(
	    mlflow_eval_table_path("[{\"path\": \"eval_results_table.json\"}]", path, sizeof path),
	    1); /* no type: not known to be a table */
	assert_int_equal(mlflow_eval_table_path("not json", path, sizeof path), 1);
	assert_int_equal(mlflow_eval_table_path(NULL, path, sizeof path), 1);
	assert_int_equal(mlflow_eval_table_path(prefixed, path, 8), 1); /* does not fit */
}

static void test_server_version(void **state)
{
	(void)state;
	struct mlflow_server_version v;
	assert_int_equal(mlflow_parse_server_version("3.4.0\n", 6, &v, NULL), 0);
	assert_int_equal(v.major * 10000 + v.minor * 100 + v.patch, 30400);
	assert_string_equal(v.text, "3.4.0");
	assert_int_equal(mlflow_parse_server_version("2.11.1rc0", 9, &v, NULL), 0);
	assert_int_equal(v.minor, 11);
	assert_int_equal(mlflow_parse_server_version("<html>", 6, &v, NULL), ERR_PARSE);
	assert_int_equal(mlflow_parse_server_version("", 0, &v, NULL), ERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_experiments_pages),
	    cmocka_unit_test(test_experiments_missing_fields),
	    cmocka_unit_test(test_bad_bodies),
	    cmocka_unit_test(test_empty_object),
	    cmocka_unit_test(test_wrong_list_types),
	    cmocka_unit_test(test_runs_page),
	    cmocka_unit_test(test_runs_second_page_dedupes),
	    cmocka_unit_test(test_runs_wrong_inner_types),
	    cmocka_unit_test(test_run_get),
	    cmocka_unit_test(test_history_single_sorted),
	    cmocka_unit_test(test_history_bulk_grouped),
	    cmocka_unit_test(test_models_search_then_get),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_artifacts),
	    cmocka_unit_test(test_eval_table_scores),
	    cmocka_unit_test(test_eval_table_target),
	    cmocka_unit_test(test_eval_table_path_from_tag),
	    cmocka_unit_test(test_server_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
