/* test_rollout_sim: the rollout runner against ./mltop-sim (a fresh simulator per test): a canary
 * of churn-classifier v5 then its rollback, end to end, checked on the simulator and in the audit
 * log; a change by someone else between plan and confirm (refused by the re-read, nothing
 * written) and between the re-read and the write (the API server's 409, nothing written); a
 * failure between the KServe and the MLflow write (PARTIAL, the audit rows say which step
 * happened), then retry completing it, or undo reverting it; read-only refusing every write;
 * and kserve_patch's answers: the new object, 409, 422, 415 with their Status. */
#include "tests/unit/test_sim_ops.h"

#include "clients/cache.h"
#include "clients/http.h"
#include "clients/kserve.h"
#include "clients/mlflow.h"
#include "clients/rollout_run.h"

#define MODEL "churn-classifier"

struct fx {
	struct http *h;
	struct kserve *k;
	struct mlflow *m;
	struct cache *c;
	struct rollout_settings set;
	struct rollout_env env;
	struct rollout *r;
	enum rollout_phase last;
	int events;
	char changed[ERR_MSG_MAX];
	char err[ERR_MSG_MAX];
	int meddle; /* 1: PATCH the InferenceService when the first write is about to be sent */
};

static struct fx fx;

static int fx_setup(void **state)
{
	const char *args[] = {"--seed", "7", NULL};
	char url[64];
	(void)state;
	memset(&fx, 0, sizeof fx);
	if (sim_start(&main_sim, args) < 0)
		return -1;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", main_sim.port);
	fx.h = http_new(NULL);
	struct kserve_config kc = {.base_url = url, .ns = "models"};
	struct mlflow_config mc = {.base_url = url};
	fx.k = kserve_new(fx.h, &kc, NULL);
	fx.m = mlflow_new(fx.h, &mc, NULL);
	fx.c = cache_open(":memory:", NULL);
	fx.set.context = "sim";
	fx.env = (struct rollout_env){fx.k, fx.m, fx.c, "sim", "ana", "box", &fx.set, 0, 20, 10000};
	return fx.h && fx.k && fx.m && fx.c ? 0 : -1;
}

static int fx_teardown(void **state)
{
	(void)state;
	rollout_free(&fx.r);
	kserve_free(&fx.k);
	mlflow_free(&fx.m);
	cache_close(&fx.c);
	http_free(&fx.h);
	sim_stop(&main_sim);
	return 0;
}

static void on_event(void *ud, const struct rollout_event *ev)
{
	(void)ud;
	fx.events++;
	fx.last = ev->phase;
	if (ev->changed)
		snprintf(fx.changed, sizeof fx.changed, "%s", ev->changed);
	if (ev->err)
		snprintf(fx.err, sizeof fx.err, "%s", ev->err->msg);
	if (ev->phase == ROLLOUT_WRITING && fx.meddle && ev->step == 0) {
		fx.meddle = 0;
		cJSON_Delete(isvc_patch(MODEL, MERGE_PATCH,
		                        "{\"metadata\":{\"labels\":{\"owner\":\"someone-else\"}}}",
		                        200));
	}
}

static int settled(void)
{
	return fx.last == ROLLOUT_PLANNED || fx.last == ROLLOUT_REFUSED ||
	       fx.last == ROLLOUT_FINISHED || fx.last == ROLLOUT_PARTIAL;
}

/* Drives the pool and the runner until the rollout settles; returns the last phase. The world
 * clock is moved on by 10 s every half second, so that a new revision that takes time to get
 * ready (as the real controller's do) gets there while the runner waits for it. */
static enum rollout_phase run(void)
{
	int64_t until = now_ms() + 20000, tick = now_ms() + 500;
	while (!settled() && now_ms() < until) {
		int ready = 0;
		http_perform(fx.h);
		rollout_poll(fx.r);
		if (!settled())
			http_wait(fx.h, -1, 10, &ready);
		if (now_ms() > tick) {
			advance_s(10);
			tick = now_ms() + 500;
		}
	}
	assert_true(settled());
	return fx.last;
}

static void start(void)
{
	fx.r = rollout_new(&fx.env, on_event, NULL, NULL);
	assert_non_null(fx.r);
}

static const struct rollout_plan *plan(enum rollout_action a, const char *v, int pct)
{
	struct err e = {0};
	fx.last = ROLLOUT_READING;
	assert_int_equal(rollout_read(fx.r, a, MODEL, v, pct, &e), 0);
	if (run() != ROLLOUT_PLANNED || !rollout_current(fx.r))
		fprintf(stderr, "plan: %s\n", fx.err);
	assert_non_null(rollout_current(fx.r));
	return rollout_current(fx.r);
}

static enum rollout_phase exec(void)
{
	struct err e = {0};
	fx.last = ROLLOUT_CHECKING;
	assert_int_equal(rollout_exec(fx.r, NULL, &e), 0);
	return run();
}

/* Runs retry, undo or the plan of an abort (fn) to its end; the phase it settled in. */
static enum rollout_phase drive(int (*fn)(struct rollout *, struct err *))
{
	struct err e = {0};
	fx.last = ROLLOUT_READING;
	assert_int_equal(fn(fx.r, &e), 0);
	return run();
}

static int abort_read(struct rollout *r, struct err *e)
{
	return rollout_read(r, ROLLOUT_ABORT, MODEL, NULL, -1, e);
}

/* ---- what the simulator shows ---- */

static const cJSON *predictor_spec(const cJSON *isvc)
{
	return item(item(isvc, "spec"), "predictor");
}

/* canaryTrafficPercent of the InferenceService, -1 when absent; its storageUri into uri. */
static int sim_canary(char *uri, size_t n)
{
	cJSON *j = isvc_get(MODEL);
	const cJSON *p = predictor_spec(j);
	const cJSON *pct = item(p, "canaryTrafficPercent");
	int v = cJSON_IsNumber(pct) ? pct->valueint : -1;
	snprintf(uri, n, "%s", str(item(p, "model"), "storageUri"));
	cJSON_Delete(j);
	return v;
}

static void sim_serves(const char *version, int pct)
{
	char uri[512], *src = version_source(MODEL, version);
	assert_int_equal(sim_canary(uri, sizeof uri), pct);
	assert_string_equal(uri, src);
	free(src);
}

/* Waits (moving the world clock on) until the latest created revision is ready and the
 * latestRevision traffic entry names it, as the real controller gets there in its own time. */
static void sim_wait_ready(void)
{
	int64_t until = now_ms() + 10000;
	for (;;) {
		cJSON *j = isvc_get(MODEL);
		const cJSON *ps = predictor_status(j), *t;
		const char *created = str(ps, "latestCreatedRevision");
		const char *done = str(ps, "latestReadyRevision"), *latest = NULL;
		cJSON_ArrayForEach(t, item(ps, "traffic"))
		{
			if (cJSON_IsTrue(item(t, "latestRevision")))
				latest = str(t, "revisionName");
		}
		int ready = created && done && latest && strcmp(created, done) == 0 &&
		            strcmp(created, latest) == 0;
		cJSON_Delete(j);
		if (ready)
			return;
		assert_true(now_ms() < until);
		advance_s(10);
	}
}

/* The version an alias names in the simulator's registry ("" when none). */
static void sim_alias_is(const char *alias, const char *want)
{
	cJSON *j = get("/api/2.0/mlflow/registered-models/get?name=" MODEL);
	const cJSON *a;
	const char *got = "";
	cJSON_ArrayForEach(a, item(item(j, "registered_model"), "aliases"))
	{
		if (strcmp(str(a, "alias"), alias) == 0)
			got = str(a, "version");
	}
	assert_string_equal(got, want);
	cJSON_Delete(j);
}

/* ---- the audit log ---- */

struct rows {
	int n;
	char line[16][400];
};

static int on_row(void *ud, const struct audit_row *r)
{
	struct rows *rs = ud;
	if (rs->n < 16)
		snprintf(rs->line[rs->n], sizeof rs->line[0], "%s %s %s %s@%s %s→%s %.80s",
		         r->action ? r->action : "-", r->phase ? r->phase : "-",
		         r->result ? r->result : "-", r->user ? r->user : "-",
		         r->host ? r->host : "-", r->from_version ? r->from_version : "-",
		         r->to_version ? r->to_version : "-", r->detail ? r->detail : "-");
	rs->n++;
	return 0;
}

/* The rows oldest first. */
static struct rows audit(void)
{
	struct rows rs = {0}, out = {0};
	assert_true(cache_audit_list(fx.c, NULL, 0, on_row, &rs, NULL) >= 0);
	out.n = rs.n;
	for (int i = 0; i < rs.n && i < 16; i++)
		memcpy(out.line[i], rs.line[rs.n - 1 - i], sizeof out.line[0]);
	return out;
}

#if CACHE_SCHEMA_VERSION >= 4
struct match {
	const char *text;
	long status;
	int n;
};

static int on_match(void *ud, const struct audit_row *r)
{
	struct match *m = ud;
	if (m->status < 0)
		m->n += r->reason && strcmp(r->reason, m->text) == 0;
	else
		m->n += r->request && strstr(r->request, m->text) && r->http_status == m->status &&
		        r->result && strcmp(r->result, "ok") == 0;
	return 0;
}

/* How many rows carry the override reason why. */
static int reasons(const char *why)
{
	struct match m = {why, -1, 0};
	assert_true(cache_audit_list(fx.c, NULL, 0, on_match, &m, NULL) >= 0);
	return m.n;
}

/* How many "ok" rows name a request with text in it and that status. */
static int requests(const char *text, long status)
{
	struct match m = {text, status, 0};
	assert_true(cache_audit_list(fx.c, NULL, 0, on_match, &m, NULL) >= 0);
	return m.n;
}
#endif

static void row_starts(const struct rows *rs, int i, const char *prefix)
{
	if (strncmp(rs->line[i], prefix, strlen(prefix)) != 0)
		fprintf(stderr, "row %d: %s\n", i, rs->line[i]);
	assert_int_equal(strncmp(rs->line[i], prefix, strlen(prefix)), 0);
}

/* Rows are told apart by their detail: a "before" row has the step's summary, an "after" row
 * the backend's answer. */
#define KS "KServe " MODEL ": "

static void test_canary_then_rollback(void **state)
{
	(void)state;
	start();
	const struct rollout_plan *p = plan(ROLLOUT_CANARY, "5", 10);
	assert_int_equal(p->n, 1); /* v5 is the challenger already: KServe only */
	assert_string_equal(p->from_version, "3");
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	sim_serves("5", 10);
	struct rows rs = audit();
	assert_int_equal(rs.n, 2);
	row_starts(&rs, 0, "canary before - ana@box 3→5 " KS "canary 10 %");
	row_starts(&rs, 1, "canary after ok ana@box 3→5 200: resourceVersion");

	p = plan(ROLLOUT_ROLLBACK, NULL, -1);
	assert_int_equal(p->n, 3);
	assert_string_equal(p->to_version, "3");
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	sim_serves("3", -1);
	sim_alias_is("challenger", "");
	sim_alias_is("champion", "3");
	cJSON *j = isvc_get(MODEL);
	assert_int_equal(traffic_percent(j, 1), 100);
	cJSON_Delete(j);
	rs = audit();
	assert_int_equal(rs.n, 8);
	row_starts(&rs, 2, "rollback before - ana@box 5→3 " KS "mlflow-artifacts:/1/e855");
	row_starts(&rs, 3, "rollback after ok ana@box 5→3 200: resourceVersion");
	row_starts(&rs, 4, "rollback before - ana@box 5→3 " KS "100 % to it once ready");
	row_starts(&rs, 6,
	           "rollback before - ana@box 5→3 MLflow " MODEL ": alias challenger removed");
	row_starts(&rs, 7, "rollback after ok ana@box 5→3 200 OK");
}

static void test_changed_between_plan_and_confirm(void **state)
{
	(void)state;
	start();
	const struct rollout_plan *p = plan(ROLLOUT_CANARY, "5", 10);
	char want[256];
	snprintf(want, sizeof want,
	         "InferenceService " MODEL " changed since the plan: generation %lld → ",
	         (long long)p->expect.generation);
	cJSON_Delete(
	    isvc_patch(MODEL, MERGE_PATCH, "{\"spec\":{\"predictor\":{\"minReplicas\":2}}}", 200));
	assert_int_equal(exec(), ROLLOUT_REFUSED);
	assert_non_null(strstr(fx.changed, want));
	char uri[512];
	assert_int_equal(sim_canary(uri, sizeof uri), -1); /* nothing written */
	struct rows rs = audit();
	assert_int_equal(rs.n, 1);
	row_starts(&rs, 0, "canary after refused ana@box 3→5 InferenceService");
}

/* The controller's own status write (the canary's revision getting ready) moves the
 * resourceVersion between plan and confirm: the spec and the metadata are as planned, so the
 * plan is sent, carrying the resourceVersion read just before the write. */
static void test_status_write_is_not_a_change(void **state)
{
	(void)state;
	start();
	plan(ROLLOUT_CANARY, "5", 10);
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	const struct rollout_plan *p = plan(ROLLOUT_STEP, NULL, -1);
	assert_int_equal(p->percent, 25);
	char rv[64];
	snprintf(rv, sizeof rv, "%s", p->resource_version);
	sim_wait_ready();
	cJSON *j = isvc_get(MODEL);
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(j, "metadata");
	assert_string_not_equal(
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(meta, "resourceVersion")), rv);
	cJSON_Delete(j);
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	sim_serves("5", 25);
}

static void test_conflict_409(void **state)
{
	(void)state;
	start();
	plan(ROLLOUT_CANARY, "4", 25);
	fx.meddle = 1; /* someone patches after the re-read, before the write */
	assert_int_equal(exec(), ROLLOUT_PARTIAL);
	const struct rollout_plan *p = rollout_current(fx.r);
	assert_int_equal(p->steps[0].state, ROLLOUT_FAILED);
	assert_int_equal(p->steps[0].http_status, 409);
	assert_int_equal(p->steps[1].state, ROLLOUT_SKIPPED);
	assert_non_null(strstr(p->steps[0].answer, "Conflict"));
	char uri[512];
	assert_int_equal(sim_canary(uri, sizeof uri), -1); /* nothing written */
	sim_alias_is("challenger", "5");
	struct rows rs = audit();
	assert_int_equal(rs.n, 2);
	row_starts(&rs, 1, "canary after failed ana@box 3→4 KServe 409 Conflict");
	struct err e = {0};
	assert_int_equal(rollout_retry(fx.r, &e), ERR_STATE); /* never blindly */
	assert_non_null(strstr(e.msg, "409"));
	assert_int_equal(drive(rollout_undo), ROLLOUT_FINISHED);
	assert_int_equal(rollout_current(fx.r)->n, 0);
	assert_int_equal(rollout_in_flight(fx.r), 0);
	assert_int_equal(audit().n, 2);
}

/* Canary v4 at 25 % with the registry's alias endpoint failing: KServe done, MLflow not. */
static void partial_canary(void)
{
	start();
	const struct rollout_plan *p = plan(ROLLOUT_CANARY, "4", 25);
	assert_int_equal(p->n, 2);
	cJSON_Delete(post("/-/sim/faults",
	                  "{\"prefix\":\"/api/2.0/mlflow/registered-models/alias\","
	                  "\"kind\":\"status\",\"status\":503,\"body\":\"busy\"}"));
	assert_int_equal(exec(), ROLLOUT_PARTIAL);
	assert_non_null(strstr(fx.err, "stopped at step 2 of 2"));
	sim_serves("4", 25);
	sim_alias_is("challenger", "5");
	struct rows rs = audit();
	assert_int_equal(rs.n, 4);
	row_starts(&rs, 1, "canary after ok ana@box 3→4 200: resourceVersion");
	row_starts(&rs, 2, "canary before - ana@box 3→4 MLflow " MODEL ": alias challenger → v4");
	row_starts(&rs, 3, "canary after failed ana@box 3→4 MLflow 503");
	assert_int_equal(rollout_in_flight(fx.r), 1);
	struct err e = {0};
	assert_int_equal(rollout_read(fx.r, ROLLOUT_PROMOTE, MODEL, NULL, -1, &e), ERR_STATE);
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
}

static void test_partial_then_retry(void **state)
{
	(void)state;
	partial_canary();
	assert_int_equal(drive(rollout_retry), ROLLOUT_FINISHED);
	sim_serves("4", 25);
	sim_alias_is("challenger", "4");
	struct rows rs = audit();
	assert_int_equal(rs.n, 6); /* the KServe step is not sent again */
	row_starts(&rs, 4, "canary before - ana@box 3→4 MLflow " MODEL ": alias challenger → v4");
	row_starts(&rs, 5, "canary after ok ana@box 3→4 200 OK");
	/* and undo after it: back to v3 alone, challenger 5 */
	assert_int_equal(drive(rollout_undo), ROLLOUT_FINISHED);
	sim_serves("3", -1);
	sim_alias_is("challenger", "5");
}

static void test_partial_then_undo(void **state)
{
	(void)state;
	partial_canary();
	assert_int_equal(drive(rollout_undo), ROLLOUT_FINISHED);
	const struct rollout_plan *u = rollout_current(fx.r);
	assert_int_equal(u->n, 2); /* the KServe revert only: the alias never moved */
	sim_serves("3", -1);
	sim_alias_is("challenger", "5");
	struct rows rs = audit();
	assert_int_equal(rs.n, 8);
	row_starts(&rs, 5, "undo after ok ana@box 4→3 200: resourceVersion");
	row_starts(&rs, 7, "undo after ok ana@box 4→3 200: resourceVersion");
	assert_int_equal(rollout_in_flight(fx.r), 0);
}

/* A half-done action aborted: a plan back (shown and confirmed like any plan); cancelling it
 * leaves the half-done action as it was. */
/* A 409 on the first write, then abort: nothing was written, nothing to send. */
static void test_conflict_then_abort(void **state)
{
	(void)state;
	start();
	plan(ROLLOUT_CANARY, "4", 25);
	fx.meddle = 1;
	assert_int_equal(exec(), ROLLOUT_PARTIAL);
	assert_int_equal(drive(abort_read), ROLLOUT_PLANNED);
	assert_non_null(strstr(fx.err, "nothing to abort"));
	assert_int_equal(rollout_in_flight(fx.r), 0);
	assert_null(rollout_current(fx.r));
}

static void test_partial_then_abort(void **state)
{
	(void)state;
	partial_canary();
	struct err e = {0};
	assert_int_equal(drive(abort_read), ROLLOUT_PLANNED);
	const struct rollout_plan *p = rollout_current(fx.r);
	assert_int_equal(p->action, ROLLOUT_ABORT);
	assert_int_equal(p->n, 2); /* the KServe revert: the alias never moved */
	assert_int_equal(rollout_in_flight(fx.r), 1);
	rollout_cancel(fx.r); /* back to the half-done canary */
	assert_int_equal(rollout_in_flight(fx.r), 1);
	assert_int_equal(rollout_current(fx.r)->action, ROLLOUT_CANARY);
	assert_int_equal(rollout_read(fx.r, ROLLOUT_PROMOTE, MODEL, NULL, -1, &e), ERR_STATE);
	assert_int_equal(drive(abort_read), ROLLOUT_PLANNED);
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	sim_serves("3", -1);
	sim_alias_is("challenger", "5");
	assert_int_equal(rollout_in_flight(fx.r), 0);
	struct rows rs = audit();
	assert_int_equal(rs.n, 8);
	row_starts(&rs, 5, "abort after ok ana@box 4→3 200: resourceVersion");
	/* nothing half-done any more: a new action may start */
	fx.last = ROLLOUT_READING;
	assert_int_equal(rollout_read(fx.r, ROLLOUT_CANARY, MODEL, "4", 10, &e), 0);
	assert_int_equal(run(), ROLLOUT_PLANNED);
}

static void test_promote_then_rollback(void **state)
{
	(void)state;
	start();
	plan(ROLLOUT_CANARY, "5", 10);
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	sim_wait_ready();
	const struct rollout_plan *p = plan(ROLLOUT_PROMOTE, NULL, -1);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->full_traffic, 1);
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	sim_serves("5", -1);
	sim_alias_is("champion", "5");
	sim_alias_is("challenger", "");
	/* the promotion rolled back: to the champion before it, v3, on both sides */
	p = plan(ROLLOUT_ROLLBACK, NULL, -1);
	assert_string_equal(p->from_version, "5");
	assert_string_equal(p->to_version, "3");
	assert_int_equal(exec(), ROLLOUT_FINISHED);
	sim_serves("3", -1);
	sim_alias_is("champion", "3");
	cJSON *j = isvc_get(MODEL);
	assert_int_equal(traffic_percent(j, 1), 100);
	cJSON_Delete(j);
}

static void test_hook_step(void **state)
{
	(void)state;
	const char *hook[] = {"tests/fixtures/hook/print-argv.sh", "a b", NULL};
	fx.set.canary_cmd = hook;
	start();
	const struct rollout_plan *p = plan(ROLLOUT_CANARY, "4", 25);
	assert_int_equal(p->n, 3);
	struct err e = {0};
	fx.last = ROLLOUT_CHECKING;
	assert_int_equal(rollout_exec(fx.r, "drift alert is the known holiday shift", &e), 0);
	assert_int_equal(run(), ROLLOUT_FINISHED);
#if CACHE_SCHEMA_VERSION >= 4 /* the audit rows keep the reason, request and status */
	assert_int_equal(reasons("drift alert is the known holiday shift"), 6);
	assert_int_equal(requests(ISVC_PATH "/" MODEL, 200), 1);
	assert_int_equal(requests("tests/fixtures/hook/print-argv.sh 'a b'", 0), 1);
#endif
	p = rollout_current(fx.r);
	assert_int_equal(p->steps[2].exit_code, 0);
	assert_string_equal(p->steps[2].answer,
	                    "exit 0\n[a b]\nMLTOP_ACTION=canary\nMLTOP_CONTEXT=sim\n"
	                    "MLTOP_MODEL=" MODEL "\nMLTOP_PERCENT=25\nMLTOP_VERSION=4\nPATH set\n");
	struct rows rs = audit();
	assert_int_equal(rs.n, 6);
	row_starts(&rs, 4,
	           "canary before - ana@box 3→4 hook canary: tests/fixtures/hook/print-argv.sh");
	row_starts(&rs, 5, "canary after ok ana@box 3→4 exit 0\n[a b]");
}

/* A failure after both writes: the hook fails; undo reverts KServe and MLflow. */
static void test_hook_fails_after_both_writes(void **state)
{
	(void)state;
	const char *hook[] = {"sh", "-c", "echo refused by the pipeline; exit 3", NULL};
	fx.set.canary_cmd = hook;
	start();
	plan(ROLLOUT_CANARY, "4", 25);
	assert_int_equal(exec(), ROLLOUT_PARTIAL);
	const struct rollout_plan *p = rollout_current(fx.r);
	assert_int_equal(p->steps[0].state, ROLLOUT_DONE);
	assert_int_equal(p->steps[1].state, ROLLOUT_DONE);
	assert_int_equal(p->steps[2].state, ROLLOUT_FAILED);
	assert_int_equal(p->steps[2].exit_code, 3);
	sim_serves("4", 25);
	sim_alias_is("challenger", "4");
	struct rows rs = audit();
	row_starts(&rs, 5, "canary after failed ana@box 3→4 exit 3\nrefused by the pipeline");
	assert_int_equal(drive(rollout_undo), ROLLOUT_FINISHED);
	assert_int_equal(rollout_current(fx.r)->n, 3); /* two patches, the alias; no hook */
	sim_serves("3", -1);
	sim_alias_is("challenger", "5");
}

/* The simulator takes faults limited to one method and a number of times ("method", "times"):
 * 1, else 0 (an older simulator that applies every fault to every request). */
static int sim_has_method_faults(void)
{
	cJSON *j = post("/-/sim/faults", "{\"prefix\":\"/-probe\",\"kind\":\"status\","
	                                 "\"method\":\"PATCH\",\"times\":1}");
	const cJSON *f = cJSON_GetArrayItem(item(j, "faults"), 0);
	int yes = item(f, "method") != NULL && item(f, "times") != NULL;
	cJSON_Delete(j);
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
	return yes;
}

/* The first write fails (a 503 on the PATCH only, once): nothing happened, PARTIAL says so;
 * retry sends it again and the rest after it. Needs the simulator's method faults. */
static void test_first_write_fails(void **state)
{
	(void)state;
	if (!sim_has_method_faults())
		skip();
	start();
	plan(ROLLOUT_CANARY, "4", 25);
	cJSON_Delete(post("/-/sim/faults",
	                  "{\"prefix\":\"" ISVC_PATH "/" MODEL "\","
	                  "\"kind\":\"status\",\"status\":503,\"method\":\"PATCH\","
	                  "\"times\":1,\"body\":\"busy\"}"));
	assert_int_equal(exec(), ROLLOUT_PARTIAL);
	const struct rollout_plan *p = rollout_current(fx.r);
	assert_int_equal(p->steps[0].state, ROLLOUT_FAILED);
	assert_int_equal(p->steps[0].http_status, 503);
	assert_int_equal(p->steps[1].state, ROLLOUT_SKIPPED);
	char uri[512];
	assert_int_equal(sim_canary(uri, sizeof uri), -1);
	sim_alias_is("challenger", "5");
	assert_int_equal(drive(rollout_retry), ROLLOUT_FINISHED);
	sim_serves("4", 25);
	sim_alias_is("challenger", "4");
}

/* The re-read before writing fails: refused, nothing written. */
static void test_reread_fails(void **state)
{
	(void)state;
	start();
	plan(ROLLOUT_CANARY, "5", 10);
	cJSON_Delete(post("/-/sim/faults", "{\"prefix\":\"/apis/\",\"kind\":\"status\","
	                                   "\"status\":503,\"body\":\"down\"}"));
	assert_int_equal(exec(), ROLLOUT_REFUSED);
	assert_non_null(strstr(fx.changed, "could not read the state again"));
	cJSON_Delete(call(&main_sim, "DELETE", "/-/sim/faults", NULL, 200));
	char uri[512];
	assert_int_equal(sim_canary(uri, sizeof uri), -1);
	assert_int_equal(audit().n, 1);
}

struct patched {
	int n, rc;
	long http;
	struct kserve_status st;
	char rv[32];
	long long pct;
};

static void on_patched(void *ud, struct kserve_event *ev)
{
	struct patched *p = ud;
	p->n++;
	p->rc = ev->rc;
	p->http = ev->http_status;
	p->st = ev->status;
	assert_int_equal(ev->kind, KSERVE_PATCH);
	if (ev->rc == 0) {
		assert_int_equal(ev->isvcs->n, 1);
		snprintf(p->rv, sizeof p->rv, "%s", ev->isvcs->v[0].resource_version);
		p->pct = (long long)ev->isvcs->v[0].canary_percent;
	}
}

static struct patched patch(const char *body, const char *ctype)
{
	struct patched p = {0};
	assert_true(kserve_patch(fx.k, MODEL, body, ctype, on_patched, &p, NULL) > 0);
	int64_t until = now_ms() + 10000;
	while (!p.n && now_ms() < until) {
		int ready = 0;
		http_perform(fx.h);
		if (!p.n)
			http_wait(fx.h, -1, 10, &ready);
	}
	assert_int_equal(p.n, 1);
	return p;
}

/* kserve_patch: the new object, or the Status of the refusal with its reason and message. */
static void test_kserve_patch_answers(void **state)
{
	(void)state;
	cJSON *j = isvc_get(MODEL);
	char rv[32], body[256];
	snprintf(rv, sizeof rv, "%s", str(item(j, "metadata"), "resourceVersion"));
	cJSON_Delete(j);
	snprintf(body, sizeof body,
	         "{\"metadata\":{\"resourceVersion\":\"%s\"},\"spec\":{\"predictor\":{"
	         "\"minReplicas\":2}}}",
	         rv);
	struct patched p = patch(body, NULL);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.http, 200);
	assert_string_not_equal(p.rv, rv);
	assert_int_equal(p.pct, -1);
	p = patch(body, NULL); /* its resourceVersion is stale now */
	assert_true(p.rc < 0);
	assert_int_equal(p.http, 409);
	assert_int_equal(p.st.code, 409);
	assert_string_equal(p.st.reason, "Conflict");
	assert_non_null(strstr(p.st.message, "the object has been modified"));
	p = patch("{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":\"ten\"}}}", NULL);
	assert_int_equal(p.http, 422);
	assert_string_equal(p.st.reason, "Invalid");
	assert_non_null(strstr(p.st.message, "canaryTrafficPercent"));
	/* outside 0..100: KServe's validating webhook denies it, 403 (the older simulator: 422) */
	int webhook = sim_has_method_faults();
	p = patch("{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":101}}}", NULL);
	assert_int_equal(p.http, webhook ? 403 : 422);
	assert_string_equal(p.st.reason, webhook ? "Forbidden" : "Invalid");
	assert_non_null(strstr(p.st.message, webhook ? "denied" : "canaryTrafficPercent"));
	p = patch("{\"spec\":{}}", "application/strategic-merge-patch+json");
	assert_int_equal(p.http, 415);
	assert_string_equal(p.st.reason, "UnsupportedMediaType");
	struct err e = {0};
	assert_true(kserve_patch(fx.k, "Not A Name", "{}", NULL, on_patched, &p, &e) < 0);
	assert_true(kserve_patch(fx.k, MODEL, NULL, NULL, on_patched, &p, &e) < 0);
}

static void test_readonly(void **state)
{
	(void)state;
	fx.env.readonly = 1;
	start();
	struct err e = {0};
	assert_int_equal(rollout_read(fx.r, ROLLOUT_CANARY, MODEL, "5", 10, &e), ERR_STATE);
	assert_string_equal(e.msg, "read-only: writes are off");
	assert_int_equal(rollout_exec(fx.r, NULL, &e), ERR_STATE);
	assert_int_equal(rollout_retry(fx.r, &e), ERR_STATE);
	assert_int_equal(rollout_undo(fx.r, &e), ERR_STATE);
	char uri[512];
	assert_int_equal(sim_canary(uri, sizeof uri), -1);
	assert_int_equal(audit().n, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_canary_then_rollback),
	    T(test_changed_between_plan_and_confirm),
	    T(test_status_write_is_not_a_change),
	    T(test_conflict_409),
	    T(test_partial_then_retry),
	    T(test_partial_then_undo),
	    T(test_partial_then_abort),
	    T(test_conflict_then_abort),
	    T(test_promote_then_rollback),
	    T(test_hook_step),
	    T(test_hook_fails_after_both_writes),
	    T(test_reread_fails),
	    T(test_first_write_fails),
	    T(test_kserve_patch_answers),
	    T(test_readonly),
	};
	return sim_run_with("rollout_sim", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
