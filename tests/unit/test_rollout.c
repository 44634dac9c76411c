/* test_rollout: the plans of every action on every backend combination (KServe with MLflow
 * aliases, KServe with stages only, the registry only, hooks), each with its inverse, with the
 * exact requests fixed here; the refusals (a percent outside 0..100, an unknown version, a canary
 * in RawDeployment mode, a canary not ready to promote, nothing to roll back); and what
 * rollout_plan_check says when the state changed since the plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/cache.h"
#include "clients/config.h"
#include "clients/kserve_parse.h"
#include "clients/mlflow_types.h"
#include "clients/rollout.h"
#include "clients/rollout_audit.h"
#include "clients/rollout_step.h"

#define ISVC  "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn"
#define ALIAS "/api/2.0/mlflow/registered-models/alias"
#define STAGE "/api/2.0/mlflow/model-versions/transition-stage"

/* The world of one test: churn v6 serving (champion, Production), v7 registered. */
struct world {
	struct kserve_isvc isvc;
	struct kserve_traffic traffic[2];
	struct mlflow_registered_model model;
	struct mlflow_alias aliases[2];
	struct mlflow_model_version items[3];
	struct mlflow_versions versions;
	struct rollout_state st;
	struct rollout_settings cfg;
};

static struct world w;

static int setup(void **state)
{
	(void)state;
	memset(&w, 0, sizeof w);
	w.traffic[0] = (struct kserve_traffic){"churn-predictor-00001", 100, 1, "", ""};
	w.isvc = (struct kserve_isvc){.name = "churn",
	                              .ns = "models",
	                              .resource_version = "100",
	                              .generation = 3,
	                              .framework = "model",
	                              .storage_uri = "s3://m/churn/6",
	                              .canary_percent = -1,
	                              .deployment_mode = "Serverless",
	                              .latest_ready = "churn-predictor-00001",
	                              .latest_created = "churn-predictor-00001",
	                              .traffic = w.traffic,
	                              .ntraffic = 1};
	w.items[0] = (struct mlflow_model_version){
	    .name = "churn", .version = "7", .current_stage = "None", .source = "s3://m/churn/7"};
	w.items[1] = (struct mlflow_model_version){.name = "churn",
	                                           .version = "6",
	                                           .current_stage = "Production",
	                                           .source = "s3://m/churn/6"};
	w.items[2] = (struct mlflow_model_version){.name = "churn",
	                                           .version = "5",
	                                           .current_stage = "Archived",
	                                           .source = "s3://m/churn/5"};
	w.versions = (struct mlflow_versions){.items = w.items, .n = 3};
	w.aliases[0] = (struct mlflow_alias){"champion", "6"};
	w.model = (struct mlflow_registered_model){
	    .name = "churn", .aliases = w.aliases, .naliases = 1, .have_aliases = 1};
	w.st = (struct rollout_state){&w.isvc, &w.model, &w.versions, 1, NULL};
	w.cfg.context = "prod";
	return 0;
}

/* A canary of v7 at pct is running (storageUri and percent patched, challenger 7). */
static void canary_running(int pct)
{
	w.isvc.storage_uri = "s3://m/churn/7";
	w.isvc.canary_percent = pct;
	w.isvc.latest_created = w.isvc.latest_ready = "churn-predictor-00002";
	w.traffic[0] = (struct kserve_traffic){"churn-predictor-00002", pct, 1, "", ""};
	w.traffic[1] = (struct kserve_traffic){"churn-predictor-00001", 100 - pct, 0, "prev", ""};
	w.isvc.ntraffic = 2;
	w.aliases[1] = (struct mlflow_alias){"challenger", "7"};
	w.model.naliases = 2;
	w.items[0].current_stage = "Staging";
}

static void stages_only(void)
{
	w.st.registry_aliases = 0;
	w.model.naliases = 0;
}

/* One line per step: "KServe PATCH isvc <body> [plan|fresh|ready]", "MLflow POST alias <body>",
 * "hook <argv|…>"; the content type checked on the way. */
static void render_step(const struct rollout_step *s, char *out, size_t n)
{
	static const char *const rv[] = {"plan", "fresh", "ready"};
	assert_int_equal(s->state, ROLLOUT_PENDING);
	assert_non_null(s->summary);
	if (s->backend == ROLLOUT_HOOK) {
		size_t k = (size_t)snprintf(out, n, "hook");
		for (size_t i = 0; s->argv[i] && k < n; i++)
			k += (size_t)snprintf(out + k, n - k, "%s%s", i ? "|" : " ", s->argv[i]);
		return;
	}
	int ks = s->backend == ROLLOUT_KSERVE;
	assert_string_equal(s->content_type,
	                    ks ? "application/merge-patch+json" : "application/json");
	const char *path = strcmp(s->path, ISVC) == 0    ? "isvc"
	                   : strcmp(s->path, ALIAS) == 0 ? "alias"
	                   : strcmp(s->path, STAGE) == 0 ? "stage"
	                                                 : s->path;
	if (ks)
		snprintf(out, n, "KServe %s %s %s [%s]", s->method, path, s->body, rv[s->rv_from]);
	else
		snprintf(out, n, "MLflow %s %s %s", s->method, path, s->body);
}

/* The plan's steps, one line each, are want. */
static void plan_is(const struct rollout_plan *p, const char *want)
{
	char got[4096] = "", line[1024];
	assert_non_null(p);
	for (size_t i = 0; i < p->n; i++) {
		render_step(&p->steps[i], line, sizeof line);
		strncat(got, line, sizeof got - strlen(got) - 2);
		strcat(got, "\n");
	}
	if (strcmp(got, want) != 0)
		fprintf(stderr, "got:\n%swant:\n%s", got, want);
	assert_string_equal(got, want);
}

/* The exact requests, as plan_is shows them. */
#define SPEC_PCT(p) "\"spec\":{\"predictor\":{\"canaryTrafficPercent\":" p "}}}"
#define SPEC_PCT_URI(p, u)                                                                         \
	"\"spec\":{\"predictor\":{\"canaryTrafficPercent\":" p                                     \
	",\"model\":{\"storageUri\":\"s3://m/"                                                     \
	"churn/" u "\"}}}}"
#define FIRST(spec)                                                                                \
	"KServe PATCH isvc {\"metadata\":{\"resourceVersion\":\"100\"}," spec " [plan]\n"
#define LATER(spec, rv) "KServe PATCH isvc {" spec " [" rv "]\n"
#define REVERT(u)       LATER(SPEC_PCT_URI("0", u), "fresh") LATER(SPEC_PCT("null"), "ready")
#define SET(alias, v)                                                                              \
	"MLflow POST alias {\"name\":\"churn\",\"alias\":\"" alias "\",\"version\":\"" v "\"}\n"
#define DEL(alias) "MLflow DELETE alias {\"name\":\"churn\",\"alias\":\"" alias "\"}\n"
#define STAGE_TO(v, st, archive)                                                                   \
	"MLflow POST stage {\"name\":\"churn\",\"version\":\"" v "\",\"stage\":\"" st              \
	"\",\"archive_existing_versions\":" archive "}\n"

static struct rollout_plan *plan(enum rollout_action a, const char *v, int pct)
{
	struct err e = {0};
	struct rollout_plan *p = rollout_plan_new(a, "churn", v, pct, &w.st, &w.cfg, &e);
	if (!p)
		fprintf(stderr, "plan: %s\n", e.msg);
	assert_non_null(p);
	return p;
}

static void refused(enum rollout_action a, const char *v, int pct, int code, const char *why)
{
	struct err e = {0};
	struct rollout_plan *p = rollout_plan_new(a, "churn", v, pct, &w.st, &w.cfg, &e);
	assert_null(p);
	assert_int_equal(e.code, code);
	if (!strstr(e.msg, why))
		fprintf(stderr, "refused: %s\n", e.msg);
	assert_non_null(strstr(e.msg, why));
}

static void test_canary_kserve_aliases(void **state)
{
	(void)state;
	struct rollout_plan *p = plan(ROLLOUT_CANARY, "7", 10);
	assert_string_equal(p->from_version, "6");
	assert_string_equal(p->to_version, "7");
	assert_int_equal(p->percent, 10);
	assert_int_equal(p->full_traffic, 0);
	assert_string_equal(p->resource_version, "100");
	assert_string_equal(
	    p->steps[0].body,
	    "{\"metadata\":{\"resourceVersion\":\"100\"},\"spec\":{\"predictor\":{"
	    "\"canaryTrafficPercent\":10,\"model\":{\"storageUri\":\"s3://m/churn/7\"}}}}");
	plan_is(p, FIRST(SPEC_PCT_URI("10", "7")) SET("challenger", "7"));
	/* what the plan check compares, as the dialog shows it */
	assert_string_equal(p->steps[0].expect, "generation 3 (resourceVersion 100), storageUri "
	                                        "s3://m/churn/6, canaryTrafficPercent absent");
	/* the inverse: a safe revert in two patches, then the challenger removed */
	assert_int_equal(p->inverse->action, ROLLOUT_ROLLBACK);
	assert_null(p->inverse->inverse);
	plan_is(p->inverse, REVERT("6") DEL("challenger"));
	rollout_plan_free(&p);
	assert_null(p);
}

static void test_canary_default_percent_and_steps(void **state)
{
	(void)state;
	struct rollout_plan *p = plan(ROLLOUT_CANARY, "7", -1);
	assert_int_equal(p->percent, 10);
	rollout_plan_free(&p);
	struct config_model m;
	config_model_defaults(&m, "churn");
	m.canary_steps[0] = 5;
	w.cfg.model = &m;
	p = plan(ROLLOUT_CANARY, "7", -1);
	assert_int_equal(p->percent, 5);
	rollout_plan_free(&p);
}

static void test_canary_refusals(void **state)
{
	(void)state;
	refused(ROLLOUT_CANARY, "7", 101, ERR_ARG, "101 % is not a percent");
	refused(ROLLOUT_CANARY, "7", -5, ERR_ARG, "not a percent");
	refused(ROLLOUT_CANARY, "9", 10, ERR_ARG, "no version 9");
	refused(ROLLOUT_CANARY, NULL, 10, ERR_ARG, "which version");
	refused(ROLLOUT_CANARY, "6", 10, ERR_STATE, "v6 is the champion already");
	w.isvc.deployment_mode = "RawDeployment";
	refused(ROLLOUT_CANARY, "7", 10, ERR_STATE, "RawDeployment");
	w.items[0].source = "";
	w.isvc.deployment_mode = "Serverless";
	refused(ROLLOUT_CANARY, "7", 10, ERR_STATE, "no source");
}

static void test_step_and_step_to_promote(void **state)
{
	(void)state;
	canary_running(10);
	struct rollout_plan *p = plan(ROLLOUT_STEP, NULL, -1);
	assert_int_equal(p->action, ROLLOUT_STEP);
	assert_int_equal(p->percent, 25);
	plan_is(p, FIRST(SPEC_PCT("25")));
	plan_is(p->inverse, LATER(SPEC_PCT("10"), "fresh"));
	rollout_plan_free(&p);
	canary_running(50); /* the next step is 100: a promotion, typed by name */
	p = plan(ROLLOUT_STEP, NULL, -1);
	assert_int_equal(p->action, ROLLOUT_PROMOTE);
	assert_int_equal(p->full_traffic, 1);
	rollout_plan_free(&p);
	setup(NULL);
	refused(ROLLOUT_STEP, NULL, -1, ERR_STATE, "no canary to step");
}

static void test_promote_kserve_aliases(void **state)
{
	(void)state;
	canary_running(10);
	struct rollout_plan *p = plan(ROLLOUT_PROMOTE, NULL, -1);
	assert_string_equal(p->to_version, "7");
	assert_string_equal(p->from_version, "6");
	assert_int_equal(p->percent, 100);
	assert_int_equal(p->full_traffic, 1);
	plan_is(p, FIRST(SPEC_PCT("null")) SET("champion", "7") DEL("challenger"));
	assert_int_equal(p->inverse->action, ROLLOUT_CANARY);
	plan_is(p->inverse,
	        LATER(SPEC_PCT("10"), "fresh") SET("champion", "6") SET("challenger", "7"));
	rollout_plan_free(&p);
}

static void test_promote_refusals(void **state)
{
	(void)state;
	refused(ROLLOUT_PROMOTE, NULL, -1, ERR_STATE, "no canary running");
	canary_running(10);
	w.isvc.latest_created = "churn-predictor-00003"; /* not ready: no traffic yet */
	refused(ROLLOUT_PROMOTE, NULL, -1, ERR_STATE, "churn-predictor-00003 is not ready");
	w.isvc.latest_created = "churn-predictor-00002";
	w.traffic[0].revision_name = "churn-predictor-00001"; /* the latest entry names the old */
	refused(ROLLOUT_PROMOTE, NULL, -1, ERR_STATE, "not ready");
}

static void test_promote_without_canary(void **state)
{
	(void)state;
	struct rollout_plan *p = plan(ROLLOUT_PROMOTE, "7", -1);
	plan_is(p, FIRST(SPEC_PCT_URI("0", "7")) LATER(SPEC_PCT("null"), "ready")
	               SET("champion", "7"));
	plan_is(p->inverse, REVERT("6") SET("champion", "6"));
	rollout_plan_free(&p);
	refused(ROLLOUT_PROMOTE, "6", -1, ERR_STATE, "nothing to change");
}

static void test_rollback_canary(void **state)
{
	(void)state;
	canary_running(10);
	struct rollout_plan *p = plan(ROLLOUT_ROLLBACK, NULL, -1);
	assert_string_equal(p->from_version, "7");
	assert_string_equal(p->to_version, "6");
	plan_is(p,
	        FIRST(SPEC_PCT_URI("0", "6")) LATER(SPEC_PCT("null"), "ready") DEL("challenger"));
	assert_int_equal(p->inverse->action, ROLLOUT_CANARY);
	plan_is(p->inverse, LATER(SPEC_PCT_URI("10", "7"), "fresh") SET("challenger", "7"));
	rollout_plan_free(&p);
	/* abort: the same revert, without an inverse */
	p = plan(ROLLOUT_ABORT, NULL, -1);
	assert_int_equal(p->n, 3);
	assert_null(p->inverse);
	rollout_plan_free(&p);
}

static void test_rollback_promotion(void **state)
{
	(void)state;
	w.isvc.storage_uri = "s3://m/churn/7";
	w.aliases[0].version = "7";
	refused(ROLLOUT_ROLLBACK, NULL, -1, ERR_STATE, "no previous champion");
	refused(ROLLOUT_ABORT, NULL, -1, ERR_STATE, "nothing to abort");
	w.st.prev_champion = "6";
	struct rollout_plan *p = plan(ROLLOUT_ROLLBACK, NULL, -1);
	assert_string_equal(p->from_version, "7");
	assert_string_equal(p->to_version, "6");
	assert_int_equal(p->full_traffic, 1);
	plan_is(p, FIRST(SPEC_PCT_URI("0", "6")) LATER(SPEC_PCT("null"), "ready")
	               SET("champion", "6"));
	assert_int_equal(p->inverse->action, ROLLOUT_PROMOTE);
	plan_is(p->inverse, REVERT("7") SET("champion", "7"));
	rollout_plan_free(&p); /* a champion chosen in the rollback planner, further back */
	p = plan(ROLLOUT_ROLLBACK, "5", -1);
	assert_string_equal(p->to_version, "5");
	plan_is(p, FIRST(SPEC_PCT_URI("0", "5")) LATER(SPEC_PCT("null"), "ready")
	               SET("champion", "5"));
	rollout_plan_free(&p);
	refused(ROLLOUT_ROLLBACK, "9", -1, ERR_ARG, "no version 9");
	refused(ROLLOUT_ROLLBACK, "7", -1, ERR_STATE, "nothing to change");
}

static void test_rollback_chosen_under_canary(void **state)
{
	(void)state;
	canary_running(10);
	refused(ROLLOUT_ROLLBACK, "5", -1, ERR_STATE, "a canary of v7 is running");
	struct rollout_plan *p = plan(ROLLOUT_ROLLBACK, "6", -1); /* the champion: the canary's */
	assert_string_equal(p->from_version, "7");
	plan_is(p,
	        FIRST(SPEC_PCT_URI("0", "6")) LATER(SPEC_PCT("null"), "ready") DEL("challenger"));
	rollout_plan_free(&p);
}

static void test_stages_canary_promote(void **state)
{
	(void)state;
	stages_only();
	struct rollout_plan *p = plan(ROLLOUT_CANARY, "7", 25);
	plan_is(p, FIRST(SPEC_PCT_URI("25", "7")) STAGE_TO("7", "Staging", "false"));
	plan_is(p->inverse, REVERT("6") STAGE_TO("7", "None", "false"));
	rollout_plan_free(&p);
	canary_running(25);
	stages_only();
	p = plan(ROLLOUT_PROMOTE, NULL, -1);
	plan_is(p, FIRST(SPEC_PCT("null")) STAGE_TO("7", "Production", "true"));
	plan_is(p->inverse, LATER(SPEC_PCT("25"), "fresh") STAGE_TO("6", "Production", "true")
	                        STAGE_TO("7", "Staging", "false"));
	rollout_plan_free(&p);
	/* a rollback of the canary: v6 back, v7 out of Staging */
	p = plan(ROLLOUT_ROLLBACK, NULL, -1);
	plan_is(p, FIRST(SPEC_PCT_URI("0", "6")) LATER(SPEC_PCT("null"), "ready")
	               STAGE_TO("7", "None", "false"));
	rollout_plan_free(&p);
}

static void test_registry_only(void **state)
{
	(void)state;
	w.st.isvc = NULL;
	struct rollout_plan *p = plan(ROLLOUT_CANARY, "7", 10);
	assert_null(p->resource_version);
	assert_int_equal(p->percent, 10);
	plan_is(p, SET("challenger", "7"));
	plan_is(p->inverse, DEL("challenger"));
	rollout_plan_free(&p);
	refused(ROLLOUT_STEP, NULL, -1, ERR_STATE, "no traffic split without KServe");
	canary_running(10);
	w.st.isvc = NULL;
	p = plan(ROLLOUT_PROMOTE, NULL, -1);
	plan_is(p, SET("champion", "7") DEL("challenger"));
	plan_is(p->inverse, SET("champion", "6") SET("challenger", "7"));
	rollout_plan_free(&p);
	p = plan(ROLLOUT_ROLLBACK, NULL, -1);
	plan_is(p, DEL("challenger"));
	rollout_plan_free(&p);
	stages_only();
	p = plan(ROLLOUT_PROMOTE, NULL, -1);
	plan_is(p, STAGE_TO("7", "Production", "true"));
	rollout_plan_free(&p);
}

static const char *env_of(const struct rollout_step *s, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; s->env && s->env[i]; i++)
		if (strncmp(s->env[i], name, n) == 0 && s->env[i][n] == '=')
			return s->env[i] + n + 1;
	return NULL;
}

static void test_hooks(void **state)
{
	(void)state;
	const char *canary[] = {"/usr/local/bin/roll", "set image", "it's", NULL};
	const char *rollback[] = {"undo-it", NULL};
	w.cfg.canary_cmd = canary;
	w.cfg.rollback_cmd = rollback;
	w.st.isvc = NULL;
	struct rollout_plan *p = plan(ROLLOUT_CANARY, "7", 10);
	plan_is(p, SET("challenger", "7") "hook /usr/local/bin/roll|set image|it's\n");
	plan_is(p->inverse, DEL("challenger") "hook undo-it\n");
	const struct rollout_step *h = &p->steps[1];
	assert_null(h->method);
	assert_string_equal(env_of(h, "MLTOP_MODEL"), "churn");
	assert_string_equal(env_of(h, "MLTOP_VERSION"), "7");
	assert_string_equal(env_of(h, "MLTOP_PERCENT"), "10");
	assert_string_equal(env_of(h, "MLTOP_CONTEXT"), "prod");
	assert_string_equal(env_of(h, "MLTOP_ACTION"), "canary");
	const struct rollout_step *ih = &p->inverse->steps[1];
	assert_string_equal(env_of(ih, "MLTOP_VERSION"), "6");
	assert_string_equal(env_of(ih, "MLTOP_ACTION"), "rollback");
	rollout_plan_free(&p);
	/* promote has no hook configured: none in its plan */
	canary_running(10);
	p = plan(ROLLOUT_PROMOTE, NULL, -1);
	for (size_t i = 0; i < p->n; i++)
		assert_int_not_equal(p->steps[i].backend, ROLLOUT_HOOK);
	rollout_plan_free(&p);
}

static void test_check(void **state)
{
	(void)state;
	char what[512];
	struct rollout_plan *p = plan(ROLLOUT_CANARY, "7", 10);
	assert_int_equal(rollout_plan_check(p, &w.st, what, sizeof what), 0);
	assert_string_equal(what, "");
	/* the resourceVersion alone moved: the controller wrote its status, the plan holds */
	w.isvc.resource_version = "104";
	assert_int_equal(rollout_plan_check(p, &w.st, what, sizeof what), 0);
	/* an annotation added by someone */
	struct kv ann = {"serving.kserve.io/deploymentMode", "RawDeployment"};
	w.isvc.annotations = (struct kvlist){&ann, 1};
	assert_int_equal(rollout_plan_check(p, &w.st, what, sizeof what), 1);
	assert_string_equal(what, "InferenceService churn changed since the plan: annotations or "
	                          "labels");
	w.isvc.annotations = (struct kvlist){NULL, 0};
	w.isvc.generation = 4;
	w.isvc.canary_percent = 25;
	assert_int_equal(rollout_plan_check(p, &w.st, what, sizeof what), 1);
	assert_string_equal(what, "InferenceService churn changed since the plan: generation "
	                          "3 → 4, canaryTrafficPercent absent → 25");
	w.aliases[0].version = "8";
	assert_int_equal(rollout_plan_check(p, &w.st, what, sizeof what), 1);
	assert_non_null(strstr(what, "25; alias champion 6 → 8"));
	w.isvc.changed_by = "kubectl-edit"; /* who, when the server says */
	w.isvc.changed_at = "2026-12-02T05:10:00Z";
	assert_int_equal(rollout_plan_check(p, &w.st, what, sizeof what), 1);
	assert_string_equal(what, "InferenceService churn changed since the plan: generation "
	                          "3 → 4, canaryTrafficPercent absent → 25 (last changed by "
	                          "kubectl-edit at 2026-12-02T05:10:00Z); alias champion 6 → 8");
	setup(NULL);
	w.aliases[0].version = "8";
	assert_int_equal(rollout_plan_check(p, &w.st, what, sizeof what), 1);
	assert_string_equal(what, "alias champion 6 → 8");
	assert_int_equal(rollout_plan_check(p, &w.st, what, 8), 1); /* cut, still a string */
	assert_int_equal(strlen(what), 7);
	rollout_plan_free(&p);
}

static void test_rebase(void **state)
{
	(void)state;
	struct rollout_step s = {0};
	s.body = rollout_step_kserve_body(NULL, "sklearn", ROLLOUT_PCT_NULL, "gs://x");
	assert_string_equal(s.body, "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":null,"
	                            "\"sklearn\":{\"storageUri\":\"gs://x\"}}}}");
	assert_int_equal(rollout_step_rebase(&s, "42"), 0);
	assert_string_equal(s.body, "{\"metadata\":{\"resourceVersion\":\"42\"},\"spec\":{"
	                            "\"predictor\":{\"canaryTrafficPercent\":null,\"sklearn\":{"
	                            "\"storageUri\":\"gs://x\"}}}}");
	assert_int_equal(rollout_step_rebase(&s, "43"), 0);
	assert_non_null(strstr(s.body, "\"resourceVersion\":\"43\"},\"spec\""));
	rollout_step_fini(&s);
}

static void audit_add(struct cache *c, const char *ctx, const char *action, const char *from,
                      const char *to, int pct, const char *result)
{
	struct audit_row r = {.user = "ana",
	                      .host = "box",
	                      .context = ctx,
	                      .action = action,
	                      .model = "churn",
	                      .from_version = from,
	                      .to_version = to,
	                      .percent = pct,
	                      .phase = "after",
	                      .result = result};
	assert_true(cache_audit_append(c, &r, NULL) > 0);
}

static void test_prev_champion_from_audit(void **state)
{
	(void)state;
	struct cache *c = cache_open(":memory:", NULL);
	assert_non_null(c);
	assert_null(rollout_audit_prev_champion(c, "prod", "churn", "7"));
	audit_add(c, "prod", "promote", "4", "6", 100, "ok");
	audit_add(c, "prod", "canary", "6", "7", 10, "ok");
	audit_add(c, "prod", "step", "6", "7", 100, "ok"); /* a step to 100 % promotes */
	audit_add(c, "prod", "promote", "6", "8", 100, "failed");
	audit_add(c, "test", "promote", "1", "7", 100, "ok"); /* another context */
	char *v = rollout_audit_prev_champion(c, "prod", "churn", "7");
	assert_string_equal(v, "6");
	free(v);
	v = rollout_audit_prev_champion(c, "prod", "churn", NULL);
	assert_string_equal(v, "6");
	free(v);
	/* the last promotion is not of the champion now: the log cannot say */
	assert_null(rollout_audit_prev_champion(c, "prod", "churn", "9"));
	assert_null(rollout_audit_prev_champion(c, "prod", "other", NULL));
	cache_close(&c);
}

static void test_audit_request(void **state)
{
	(void)state;
	struct rollout_plan *p = plan(ROLLOUT_CANARY, "7", 10);
	char *req = rollout_audit_request(&p->steps[1]);
	assert_string_equal(req, "POST " ALIAS " {\"name\":\"churn\",\"alias\":\"challenger\","
	                         "\"version\":\"7\"}");
	free(req);
	rollout_plan_free(&p);
	char *argv[] = {"/bin/hook", "set image", "it's", "", "plain", NULL};
	struct rollout_step s = {.backend = ROLLOUT_HOOK, .argv = argv};
	req = rollout_audit_request(&s);
	assert_string_equal(req, "/bin/hook 'set image' 'it'\\''s' '' plain");
	free(req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_canary_kserve_aliases, setup),
	    cmocka_unit_test_setup(test_canary_default_percent_and_steps, setup),
	    cmocka_unit_test_setup(test_canary_refusals, setup),
	    cmocka_unit_test_setup(test_step_and_step_to_promote, setup),
	    cmocka_unit_test_setup(test_promote_kserve_aliases, setup),
	    cmocka_unit_test_setup(test_promote_refusals, setup),
	    cmocka_unit_test_setup(test_promote_without_canary, setup),
	    cmocka_unit_test_setup(test_rollback_canary, setup),
	    cmocka_unit_test_setup(test_rollback_promotion, setup),
	    cmocka_unit_test_setup(test_rollback_chosen_under_canary, setup),
	    cmocka_unit_test_setup(test_stages_canary_promote, setup),
	    cmocka_unit_test_setup(test_registry_only, setup),
	    cmocka_unit_test_setup(test_hooks, setup),
	    cmocka_unit_test_setup(test_check, setup),
	    cmocka_unit_test_setup(test_rebase, setup),
	    cmocka_unit_test_setup(test_prev_champion_from_audit, setup),
	    cmocka_unit_test_setup(test_audit_request, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
