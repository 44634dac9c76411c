/* test_panel_serving: the Serving panel's data and screens on fixed inputs. InferenceServices as
 * KServe sends them (a canary at 10 %, one not Ready with its reason and message, one whose
 * model has no series), figures per (model, version) as the metrics clients hand them, and
 * registry versions: the split, the versions, the join by label and by storageUri, the SLO
 * marks, the badge count, and the canary view's verdict. Goldens at 120x40 and 80x24 in
 * tests/golden/serving_*.txt (UPDATE_GOLDEN=1 rewrites them). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/jsonw.h"
#include "panels/serving_canary.h"
#include "panels/serving_data.h"
#include "panels/serving_view.h"
#include "tests/unit/screen.h"

static const char isvcs_json[] =
    "{\"items\":["
    "{\"metadata\":{\"name\":\"churn-classifier\",\"namespace\":\"models\"},"
    " \"spec\":{\"predictor\":{\"canaryTrafficPercent\":10,"
    "   \"model\":{\"modelFormat\":{\"name\":\"mlflow\"},\"storageUri\":\"s3://m/churn/5\"}}},"
    " \"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
    "   \"components\":{\"predictor\":{\"traffic\":["
    "     {\"revisionName\":\"churn-classifier-predictor-00002\",\"percent\":10,"
    "      \"latestRevision\":true,\"tag\":\"latest\"},"
    "     {\"revisionName\":\"churn-classifier-predictor-00001\",\"percent\":90,"
    "      \"latestRevision\":false,\"tag\":\"prev\"}]}}}},"
    "{\"metadata\":{\"name\":\"fraud-detector\",\"namespace\":\"models\"},"
    " \"spec\":{\"predictor\":{\"model\":{\"storageUri\":\"s3://m/fraud/2\"}}},"
    " \"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
    "   \"reason\":\"RevisionMissing\",\"message\":\"Revision \\\"fraud-00003\\\" failed "
    "with message: \\u001b[31mOOMKilled\"}],"
    "   \"components\":{\"predictor\":{\"traffic\":["
    "     {\"revisionName\":\"fraud-detector-predictor-00001\",\"percent\":100,"
    "      \"latestRevision\":true}]}}}},"
    "{\"metadata\":{\"name\":\"ghost\",\"namespace\":\"models\"},"
    " \"spec\":{\"predictor\":{\"model\":{\"storageUri\":\"s3://m/ghost/1\"}}},"
    " \"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"
    "]}";

struct fixture {
	struct kserve_isvcs *isvcs;
	struct prom_table t;
	struct mlflow_model_version mv[3];
	const char *aliases5[1];
	struct mlflow_versions versions;
	struct serving_deps deps;
};

static void row(struct prom_table *t, const char *m, const char *v, double rps, double err,
                double p50, double p95, double p99)
{
	struct prom_row *r = prom_table_row(t, m, v);
	assert_non_null(r);
	r->value[PROM_FIG_RPS] = rps;
	r->value[PROM_FIG_ERROR_RATIO] = err;
	r->value[PROM_FIG_P50] = p50;
	r->value[PROM_FIG_P95] = p95;
	r->value[PROM_FIG_P99] = p99;
	for (int i = 0; i < 20; i++) /* one point every 100 s: the trend column's 30 min */
		prom_spark_push(&r->spark[PROM_FIG_P99], 100000 * i, p99 * (1 + 0.05 * (i % 5)), 0);
}

static void fixture_parse(struct fixture *f, const char *json)
{
	memset(f, 0, sizeof *f);
	f->isvcs = kserve_isvcs_new();
	assert_non_null(f->isvcs);
	assert_int_equal(kserve_parse(json, strlen(json), f->isvcs, NULL), 0);
}

/* The registry's versions (v5 challenger by its storageUri, v3, fraud-detector v2), then the
 * deployments built. */
static void fixture_join(struct fixture *f, const struct config *cfg)
{
	f->aliases5[0] = "challenger";
	f->mv[0] = (struct mlflow_model_version){.name = "churn-classifier",
	                                         .version = "5",
	                                         .source = "s3://m/churn/5",
	                                         .aliases = f->aliases5,
	                                         .naliases = 1};
	f->mv[1] = (struct mlflow_model_version){
	    .name = "churn-classifier", .version = "3", .source = "s3://m/churn/3"};
	f->mv[2] = (struct mlflow_model_version){
	    .name = "fraud-detector", .version = "2", .source = "s3://m/fraud/2"};
	f->versions = (struct mlflow_versions){.items = f->mv, .n = 3};
	assert_int_equal(
	    serving_data_build(&f->deps, cfg, f->isvcs, &f->t, &f->versions, NULL, NULL, NULL), 0);
}

static void fixture_build(struct fixture *f, const struct config *cfg)
{
	fixture_parse(f, isvcs_json);
	row(&f->t, "churn-classifier", "v3", 182.4, 0.004, 0.021, 0.048, 0.071);
	row(&f->t, "churn-classifier", "v5", 20.1, 0.068, 0.034, 0.096, 0.180);
	row(&f->t, "churn-classifier", "v4", 0, NAN, NAN, NAN, NAN); /* served once, no more */
	row(&f->t, "fraud-detector", "v2", 243.0, 0.001, 0.012, 0.025, 0.040);
	row(&f->t, "search-ranking", "v1", 130.7, 0.002, 0.033, 0.061, 0.090);
	fixture_join(f, cfg);
}

static void fixture_free(struct fixture *f)
{
	serving_deps_fini(&f->deps);
	prom_table_fini(&f->t);
	kserve_isvcs_free(&f->isvcs);
}

static const struct serving_dep *dep(const struct fixture *f, const char *name)
{
	for (size_t i = 0; i < f->deps.n; i++)
		if (strcmp(f->deps.v[i].name, name) == 0)
			return &f->deps.v[i];
	fail_msg("no deployment %s", name);
	return NULL;
}

static void test_split_and_join(void **state)
{
	(void)state;
	struct fixture f;
	fixture_build(&f, NULL);
	assert_int_equal(f.deps.n, 4); /* 3 InferenceServices, search-ranking from the metrics */
	const struct serving_dep *d = dep(&f, "churn-classifier");
	assert_int_equal(d->n, 2); /* v4 has no traffic: not a line */
	const struct serving_line *c = serving_canary_line(d), *s = serving_stable_line(d);
	assert_non_null(c);
	assert_string_equal(c->version, "v5");
	assert_int_equal(c->percent, 10);
	assert_string_equal(c->revision, "churn-classifier-predictor-00002");
	assert_string_equal(c->reg, "5"); /* by storageUri and by label */
	assert_string_equal(c->aliases, "challenger");
	assert_string_equal(s->version, "v3");
	assert_int_equal(s->percent, 90);
	assert_string_equal(s->revision, "churn-classifier-predictor-00001");
	assert_string_equal(s->reg, "3");
	const struct serving_dep *sr = dep(&f, "search-ranking");
	assert_false(sr->isvc);
	assert_int_equal(sr->lines[0].percent, -1);
	assert_string_equal(sr->lines[0].reg, ""); /* no registry version 1 known */
	fixture_free(&f);
}

static void test_not_ready_and_missing(void **state)
{
	(void)state;
	struct fixture f;
	fixture_build(&f, NULL);
	const struct serving_dep *d = dep(&f, "fraud-detector");
	assert_int_equal(d->ready, 0);
	assert_non_null(strstr(d->why, "RevisionMissing: Revision \"fraud-00003\" failed"));
	const struct serving_dep *g = dep(&f, "ghost");
	assert_int_equal(g->ready, 1);
	assert_false(g->metrics);
	assert_int_equal(g->n, 0);
	fixture_free(&f);
}

static void test_canary_verdict(void **state)
{
	(void)state;
	struct fixture f;
	fixture_build(&f, NULL);
	struct canary_result r;
	/* 5 min: v5 20.1 rps -> 6,030 requests, 410 errors; v3 54,720 requests, 219 errors */
	assert_int_equal(serving_canary_judge(dep(&f, "churn-classifier"), 300, &r), 0);
	assert_int_equal(r.errors, CANARY_WORSE);
	assert_int_equal(r.latency, CANARY_WORSE);
	assert_int_equal(r.overall, CANARY_WORSE);
	assert_true(fabs(r.p95_ratio - 2.0) < 1e-9);
	assert_true(r.z > 30);
	/* 2 s of traffic: 40 canary requests, under the minimum */
	assert_int_equal(serving_canary_judge(dep(&f, "churn-classifier"), 2, &r), 0);
	assert_int_equal(r.overall, CANARY_NOT_ENOUGH);
	assert_int_equal(serving_canary_judge(dep(&f, "search-ranking"), 300, &r), -1);
	/* canary_p95_tolerance = 2.5 in [model.churn-classifier]: a p95 twice as long passes */
	struct serving_dep loose = *dep(&f, "churn-classifier");
	loose.p95_tol = 2.5;
	assert_int_equal(serving_canary_judge(&loose, 300, &r), 0);
	assert_int_equal(r.latency, CANARY_SAME);
	assert_true(r.rule.p95_tol == 2.5);
	fixture_free(&f);
}

static void test_slo(void **state)
{
	(void)state;
	struct serving_dep d = {.slo_p99_ms = 150, .slo_error_pct = 1};
	struct serving_line l = {.value = {10, 0.068, 0.03, 0.09, 0.180, NAN}};
	assert_int_equal(serving_slo_breach(&d, &l, PROM_FIG_ERROR_RATIO), 1);
	assert_int_equal(serving_slo_breach(&d, &l, PROM_FIG_P99), 1);
	l.value[PROM_FIG_P99] = 0.071;
	l.value[PROM_FIG_ERROR_RATIO] = 0.004;
	assert_int_equal(serving_slo_breach(&d, &l, PROM_FIG_ERROR_RATIO), 0);
	assert_int_equal(serving_slo_breach(&d, &l, PROM_FIG_P99), 0);
	l.value[PROM_FIG_P99] = NAN;
	assert_int_equal(serving_slo_breach(&d, &l, PROM_FIG_P99), -1);
	d.slo_p99_ms = -1;
	l.value[PROM_FIG_P99] = 9;
	assert_int_equal(serving_slo_breach(&d, &l, PROM_FIG_P99), -1);
	assert_true(serving_window_s("5m") == 300 && serving_window_s("30s") == 30 &&
	            serving_window_s("1h") == 3600 && serving_window_s("x") == 300);
}

/* The view of deps on a cols x rows screen, drawn under one top line. */
static void view_open(struct serving_view *v, const struct serving_deps *deps, int cols, int rows)
{
	assert_int_equal(screen_open(cols, rows), 0);
	assert_int_equal(serving_view_init(v, 0, NULL), 0);
	v->metrics = 1;
	table_set_size(v->lines, rows - 1, cols);
	serving_view_set(v, deps, NULL);
	werase(stdscr);
	serving_view_draw(v, stdscr, 1, NULL);
}

static void screens(int cols, int rows, const char *list, const char *canary)
{
	struct fixture f;
	fixture_build(&f, NULL);
	/* an SLO on churn-classifier, as [model.churn-classifier] would set it */
	for (size_t i = 0; i < f.deps.n; i++)
		if (!strcmp(f.deps.v[i].name, "churn-classifier")) {
			f.deps.v[i].slo_p99_ms = 150;
			f.deps.v[i].slo_error_pct = 1;
		}
	struct serving_view v;
	view_open(&v, &f.deps, cols, rows);
	char *dump = screen_dump(stdscr);
	assert_int_equal(screen_golden(list, dump), 0);
	assert_non_null(strstr(dump, "90|10"));
	assert_non_null(strstr(dump, "6.8▲"));
	assert_non_null(strstr(dump, "✗ not Ready"));
	assert_non_null(strstr(dump, "no metrics"));
	assert_null(strstr(dump, "\x1b")); /* the message's escape is shown, not sent */
	free(dump);
	assert_true(serving_view_select(&v, "churn-classifier"));
	werase(stdscr);
	serving_canary_draw(stdscr, 0, NULL, serving_view_cursor(&v), 300, 1);
	dump = screen_dump(stdscr);
	assert_int_equal(screen_golden(canary, dump), 0);
	assert_non_null(strstr(dump, "verdict: worse"));
	assert_non_null(strstr(dump, "worse: z = 46.60, p < 0.001"));
	free(dump);
	serving_view_fini(&v);
	screen_close();
	fixture_free(&f);
}

/* / filters deployments (a version's alias matches too) and keeps their lines together; S
 * reverses the order of deployments, not of lines; s opens the sort picker, Esc closes it. */
static void test_filter_sort(void **state)
{
	(void)state;
	struct fixture f;
	fixture_build(&f, NULL);
	struct serving_view v;
	assert_int_equal(serving_view_init(&v, 0, NULL), 0);
	v.metrics = 1;
	serving_view_set(&v, &f.deps, NULL);
	assert_int_equal(v.n, 6); /* churn 2, fraud 1 + not Ready, ghost 1 (its state), search 1 */
	assert_int_equal(listview_filter(&v.lv, "challenger", NULL), 0);
	serving_view_relayout(&v);
	assert_int_equal(v.n, 2);
	assert_string_equal(serving_view_cursor(&v)->name, "churn-classifier");
	assert_true(listview_filter(&v.lv, "(", NULL) < 0); /* the old filter stays */
	serving_view_relayout(&v);
	assert_int_equal(v.n, 2);
	assert_int_equal(listview_filter(&v.lv, "", NULL), 0);
	assert_int_equal(serving_view_key(&v, 'S'), PANEL_HANDLED);
	assert_string_equal(f.deps.v[v.rows[0].dep].name, "search-ranking");
	assert_int_equal(v.rows[v.n - 2].line, 0); /* churn's two lines stay in their order */
	assert_int_equal(v.rows[v.n - 1].line, 1);
	assert_int_equal(serving_view_key(&v, 's'), PANEL_HANDLED);
	assert_true(listview_modal(&v.lv));
	assert_int_equal(serving_view_key(&v, 27), PANEL_HANDLED);
	assert_false(listview_modal(&v.lv));
	serving_view_fini(&v);
	fixture_free(&f);
}

static void test_screens(void **state)
{
	(void)state;
	screens(120, 40, "serving_list_120x40", "serving_canary_120x40");
	screens(80, 24, "serving_list_80x24", "serving_canary_80x24");
}

/* What KServe reports while it reconciles (names as the simulator's): churn-classifier's canary
 * of v5 not ready yet (both entries name the old revision, Ready Unknown without a reason),
 * search-ranking's canary failed (a storageUri no registry version has), fraud-detector in raw
 * deployment mode (no traffic in the status), iris Ready Unknown with nothing pending. */
#define FAILED                                                                                     \
	"'reason':'RevisionFailed','message':'Revision \\\"search-ranking-predictor-00002\\\" "    \
	"failed with message: could not download s3://nowhere/x \\u001b[2J.'"

/* Single quotes for double quotes, to keep the JSON readable. */
static const char reconciling_json[] =
    "{'items':["
    "{'metadata':{'name':'churn-classifier'},"
    " 'spec':{'predictor':{'canaryTrafficPercent':10,'model':{'storageUri':'s3://m/churn/5'}}},"
    " 'status':{'deploymentMode':'Serverless','modelStatus':{'transitionStatus':'InProgress'},"
    "  'conditions':[{'type':'LatestDeploymentReady','status':'Unknown'},"
    "   {'type':'PredictorReady','status':'Unknown'},{'type':'Ready','status':'Unknown'}],"
    "  'components':{'predictor':{'latestCreatedRevision':'churn-classifier-predictor-00002',"
    "   'latestReadyRevision':'churn-classifier-predictor-00001','traffic':["
    "    {'revisionName':'churn-classifier-predictor-00001','percent':10,'latestRevision':true,"
    "     'tag':'latest'},"
    "    {'revisionName':'churn-classifier-predictor-00001','percent':90,'latestRevision':false,"
    "     'tag':'prev'}]}}}},"
    "{'metadata':{'name':'search-ranking'},"
    " 'spec':{'predictor':{'canaryTrafficPercent':20,'model':{'storageUri':'s3://nowhere/x'}}},"
    " 'status':{'deploymentMode':'Serverless',"
    "  'modelStatus':{'transitionStatus':'BlockedByFailedLoad'},"
    "  'conditions':[{'type':'LatestDeploymentReady','status':'False'," FAILED "},"
    "   {'type':'Ready','status':'False'," FAILED "}],"
    "  'components':{'predictor':{'latestCreatedRevision':'search-ranking-predictor-00002',"
    "   'latestReadyRevision':'search-ranking-predictor-00001','traffic':["
    "    {'revisionName':'search-ranking-predictor-00001','percent':20,'latestRevision':true},"
    "    {'revisionName':'search-ranking-predictor-00001','percent':80,'latestRevision':false,"
    "     'tag':'prev'}]}}}},"
    "{'metadata':{'name':'fraud-detector',"
    "  'annotations':{'serving.kserve.io/deploymentMode':'RawDeployment'}},"
    " 'spec':{'predictor':{'model':{'storageUri':'s3://m/fraud/2'}}},"
    " 'status':{'deploymentMode':'RawDeployment','conditions':[{'type':'Ready','status':'True'}],"
    "  'components':{'predictor':{'url':'http://fraud-detector-predictor'}}}},"
    "{'metadata':{'name':'iris'},"
    " 'spec':{'predictor':{'model':{'storageUri':'s3://m/iris/1'}}},"
    " 'status':{'deploymentMode':'Serverless','conditions':[{'type':'Ready','status':'Unknown'}],"
    "  'components':{'predictor':{'latestCreatedRevision':'iris-predictor-00001',"
    "   'latestReadyRevision':'iris-predictor-00001','traffic':["
    "    {'revisionName':'iris-predictor-00001','percent':100,'latestRevision':true}]}}}}"
    "]}";

static void reconciling_build(struct fixture *f)
{
	char json[sizeof reconciling_json];
	for (size_t i = 0; i < sizeof json; i++)
		json[i] = reconciling_json[i] == '\'' ? '"' : reconciling_json[i];
	fixture_parse(f, json);
	assert_int_equal(f->isvcs->n, 4);
	row(&f->t, "churn-classifier", "v3", 182.4, 0.004, 0.021, 0.048, 0.071);
	row(&f->t, "fraud-detector", "v2", 243.0, 0.001, 0.012, 0.025, 0.040);
	row(&f->t, "iris", "v1", 12.5, 0.0, 0.010, 0.020, 0.030);
	row(&f->t, "search-ranking", "v1", 130.7, 0.002, 0.033, 0.061, 0.090);
	fixture_join(f, NULL);
}

static void assert_line(const struct serving_line *l, const char *version, const char *revision,
                        int percent, int state)
{
	assert_string_equal(l->version, version);
	assert_string_equal(l->revision, revision);
	assert_int_equal(l->percent, percent);
	assert_int_equal(l->state, state);
	assert_false(l->canary);
}

/* A canary not ready yet: the old revision serves v3 at 100 % (both entries), v5 starts at 0 %
 * under the revision it was rolled out as; Ready Unknown is explained. */
/* The p99 column shows its 30 min in 16 cells of 112.5 s, each the worst of its stretch: a
 * spike 20 min ago shows; a new point within the last cell's stretch and within one block of
 * it moves nothing (the line moves on once a stretch, not at every refresh). */
static void test_trend_window(void **state)
{
	(void)state;
	struct fixture f;
	fixture_build(&f, NULL);
	struct prom_spark *sp = &prom_table_row(&f.t, "search-ranking", "v1")->spark[PROM_FIG_P99];
	sp->n = 0;
	for (int64_t t = 3; t <= 1800; t += 3) /* every 3 s, flat, one spike at 600 s */
		prom_spark_push(sp, t * 1000, t == 600 ? 0.3 : 0.1, 0);
	struct serving_view v;
	view_open(&v, &f.deps, 120, 12);
	char *before = screen_dump(stdscr);
	assert_non_null(strstr(before, " ▁▁▁▁█▁▁▁▁▁▁▁▁▁▁▁ "));
	prom_spark_push(sp, 1803 * 1000, 0.104, 0);
	werase(stdscr);
	serving_view_draw(&v, stdscr, 1, NULL);
	char *after = screen_dump(stdscr);
	assert_string_equal(after, before);
	free(before);
	free(after);
	serving_view_fini(&v);
	screen_close();
	fixture_free(&f);
}

static void test_canary_starting(void **state)
{
	(void)state;
	struct fixture f;
	reconciling_build(&f);
	const struct serving_dep *d = dep(&f, "churn-classifier");
	assert_int_equal(d->n, 2);
	assert_line(&d->lines[0], "v3", "churn-classifier-predictor-00001", 100,
	            SERVING_LINE_SERVING);
	assert_line(&d->lines[1], "v5", "churn-classifier-predictor-00002", 0,
	            SERVING_LINE_STARTING);
	assert_null(serving_canary_line(d));
	assert_string_equal(serving_stable_line(d)->version, "v3");
	assert_int_equal(d->ready, -1);
	assert_string_equal(d->why, "new revision not ready yet");
	assert_string_equal(dep(&f, "iris")->why, "Ready unknown");
	fixture_free(&f);
}

/* A failed canary: the split stays with the old revision, the failed revision's line says so. */
static void test_canary_failed(void **state)
{
	(void)state;
	struct fixture f;
	reconciling_build(&f);
	const struct serving_dep *d = dep(&f, "search-ranking");
	assert_int_equal(d->n, 2);
	assert_line(&d->lines[0], "v1", "search-ranking-predictor-00001", 100,
	            SERVING_LINE_SERVING);
	assert_line(&d->lines[1], "", "search-ranking-predictor-00002", 0, SERVING_LINE_FAILED);
	assert_int_equal(d->ready, 0);
	assert_non_null(
	    strstr(d->why, "RevisionFailed: Revision \"search-ranking-predictor-00002\""));
	fixture_free(&f);
}

/* Raw deployment mode: no traffic in the status, the storageUri's version at 100 %. */
static void test_raw_deployment(void **state)
{
	(void)state;
	struct fixture f;
	reconciling_build(&f);
	const struct serving_dep *d = dep(&f, "fraud-detector");
	assert_true(d->raw);
	assert_int_equal(d->n, 1);
	assert_line(&d->lines[0], "v2", "", 100, SERVING_LINE_SERVING);
	assert_string_equal(d->lines[0].reg, "2");
	assert_true(d->lines[0].value[PROM_FIG_RPS] == 243.0);
	assert_false(dep(&f, "churn-classifier")->raw); /* "Serverless" is not raw */
	fixture_free(&f);
}

/* The list, the canary views and the JSON of those states. */
static void test_reconciling_screens(void **state)
{
	(void)state;
	struct fixture f;
	reconciling_build(&f);
	struct serving_view v;
	view_open(&v, &f.deps, 200, 24);
	char *dump = screen_dump(stdscr);
	assert_int_equal(screen_golden("serving_reconciling_200x24", dump), 0);
	assert_non_null(strstr(dump, "churn-classifier-predictor-00001 100 %"));
	assert_non_null(strstr(dump, "starting: 0 %"));
	assert_non_null(
	    strstr(dump, "churn-classifier-predictor-00002 0 % starting (not ready yet)"));
	assert_non_null(strstr(dump, "… Ready Unknown new revision not ready yet"));
	assert_non_null(strstr(dump, "Ready unknown"));
	assert_null(strstr(dump, "Ready is not True"));
	assert_null(strstr(dump, "% canary")); /* no line takes the canary's share */
	assert_non_null(strstr(dump, "failed: no traffic"));
	assert_non_null(
	    strstr(dump, "search-ranking-predictor-00002 0 % failed: never got traffic"));
	assert_non_null(strstr(dump, "✗ not Ready"));
	assert_non_null(strstr(dump, "raw deployment 100 %"));
	assert_non_null(strstr(dump, "raw deployment  canaries not supported"));
	assert_null(strstr(dump, "\x1b"));
	free(dump);
	static const struct {
		const char *dep, *text;
	} views[] = {
	    {"churn-classifier",
	     "no canary: v5 starting (revision churn-classifier-predictor-00002 "
	     "not ready yet)"},
	    {"churn-classifier", "Ready Unknown: new revision not ready yet"},
	    {"search-ranking",
	     "not Ready: RevisionFailed: Revision \"search-ranking-predictor-00002\" "
	     "failed with message: could not download s3://nowhere/x \\e[2J."},
	    {"search-ranking", "(revision search-ranking-predictor-00002), it never got traffic"},
	    {"fraud-detector", "no canary: raw deployment: canaries not supported"},
	};
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		assert_true(serving_view_select(&v, views[i].dep));
		werase(stdscr);
		serving_canary_draw(stdscr, 0, NULL, serving_view_cursor(&v), 300, 1);
		dump = screen_dump(stdscr);
		if (!strstr(dump, views[i].text))
			fail_msg("%s: no '%s' in\n%s", views[i].dep, views[i].text, dump);
		free(dump);
	}
	struct jsonw *w = jsonw_new();
	jsonw_obj_begin(w, NULL);
	serving_view_json(&v, w);
	jsonw_obj_end(w);
	const char *js = jsonw_text(w, NULL);
	assert_non_null(strstr(js,
	                       "\"revision\":\"churn-classifier-predictor-00002\",\"percent\":0,"
	                       "\"canary\":false,\"state\":\"starting\""));
	assert_non_null(strstr(js, "\"not_ready\":\"new revision not ready yet\""));
	assert_non_null(strstr(js, "\"state\":\"failed\""));
	assert_non_null(strstr(js, "\"raw_deployment\":true"));
	jsonw_free(&w);
	serving_view_fini(&v);
	screen_close();
	fixture_free(&f);
}

/* The uid of churn-classifier in churn_build: another one when it is made again. */
static const char *churn_uid = "uid-1";

/* churn-classifier with the spec's model uri and canary, its created and ready revisions and
 * its traffic entries (single quotes for double quotes) built with the registry of the fixture
 * and v3's requests per second in the metrics. */
static void churn_build(struct fixture *f, struct serving_revs *revs, const char *spec,
                        const char *created, const char *ready, const char *traffic, double v3_rps)
{
	char json[2048];
	int n = snprintf(json, sizeof json,
	                 "{'metadata':{'name':'churn-classifier','uid':'%s'},"
	                 "'spec':{'predictor':{%s}},"
	                 "'status':{'conditions':[{'type':'Ready','status':'True'}],"
	                 "'components':{'predictor':{'latestCreatedRevision':'%s',"
	                 "'latestReadyRevision':'%s','traffic':[%s]}}}}",
	                 churn_uid, spec, created, ready, traffic);
	assert_true(n > 0 && (size_t)n < sizeof json);
	for (char *c = json; *c; c++)
		*c = *c == '\'' ? '"' : *c;
	fixture_parse(f, json);
	row(&f->t, "churn-classifier", "v3", v3_rps, 0.004, 0.021, 0.048, 0.071);
	fixture_join(f, NULL);
	serving_deps_fini(&f->deps);
	assert_int_equal(
	    serving_data_build(&f->deps, NULL, f->isvcs, &f->t, &f->versions, NULL, revs, NULL), 0);
}

#define R1       "churn-classifier-predictor-00001"
#define R2       "churn-classifier-predictor-00002"
#define URI3     "'model':{'storageUri':'s3://m/churn/3'}"
#define URI5     "'model':{'storageUri':'s3://m/churn/5'}"
#define ENTRY(r) "{'revisionName':'" r "','percent':"

/* What a revision was rolled out as is learned while it is the created and ready one, and wins
 * over the spec and the traffic afterwards: a status that has not caught up with a new spec yet
 * still says v3 on R1, and after a rollback that followed a promotion, R1 (no requests: it
 * scaled to zero) is v3 again at 100 %. */
static void test_revisions_learned(void **state)
{
	(void)state;
	struct serving_revs revs = {0};
	struct fixture f;
	churn_build(&f, &revs, URI3, R1, R1, ENTRY(R1) "100,'latestRevision':true}", 182.4);
	assert_line(&f.deps.v[0].lines[0], "v3", R1, 100, SERVING_LINE_SERVING);
	fixture_free(&f);
	assert_string_equal(serving_revs_uri(&revs, "uid-1", R1), "s3://m/churn/3");

	static const char stale[] = ENTRY(R1) "100,'latestRevision':true}";
	churn_build(&f, &revs, "'canaryTrafficPercent':10," URI5, R1, R1, stale, 182.4);
	assert_int_equal(f.deps.v[0].n, 1);
	assert_line(&f.deps.v[0].lines[0], "v3", R1, 100, SERVING_LINE_SERVING);
	fixture_free(&f);
	churn_build(&f, NULL, "'canaryTrafficPercent':10," URI5, R1, R1, stale,
	            182.4); /* unlearned */
	assert_string_equal(f.deps.v[0].lines[1].version, "v5");
	assert_string_equal(f.deps.v[0].lines[1].revision, R1);
	fixture_free(&f);

	static const char rollback[] = ENTRY(R2) "0,'latestRevision':true}," ENTRY(
	    R1) "100,'latestRevision':false,'tag':'prev'}";
	churn_build(&f, &revs, "'canaryTrafficPercent':0," URI5, R2, R2, rollback, 0);
	const struct serving_dep *d = &f.deps.v[0];
	assert_int_equal(d->n, 2);
	assert_string_equal(serving_stable_line(d)->version, "v3");
	assert_string_equal(serving_stable_line(d)->revision, R1);
	assert_int_equal(serving_stable_line(d)->percent, 100);
	assert_string_equal(serving_canary_line(d)->version, "v5");
	assert_string_equal(serving_canary_line(d)->revision, R2);
	assert_int_equal(serving_canary_line(d)->percent, 0);
	fixture_free(&f);
	churn_build(&f, NULL, "'canaryTrafficPercent':0," URI5, R2, R2, rollback,
	            0); /* unlearned */
	assert_string_equal(serving_stable_line(&f.deps.v[0])->version, "");
	fixture_free(&f);
	serving_revs_fini(&revs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_and_join),    cmocka_unit_test(test_not_ready_and_missing),
	    cmocka_unit_test(test_canary_verdict),    cmocka_unit_test(test_slo),
	    cmocka_unit_test(test_filter_sort),       cmocka_unit_test(test_screens),
	    cmocka_unit_test(test_canary_starting),   cmocka_unit_test(test_canary_failed),
	    cmocka_unit_test(test_raw_deployment),    cmocka_unit_test(test_reconciling_screens),
	    cmocka_unit_test(test_revisions_learned), cmocka_unit_test(test_trend_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
