/* kserve_status.c: the status block, the object and the end state of an InferenceService. */
#include "sim/kserve_status.h"

#include <stdio.h>
#include <string.h>

#include "sim/ops.h"

#define STATUS_DOMAIN "example.com"
#define STATUS_LOCAL  "svc.cluster.local"

void kserve_status_add_time(cJSON *o, const char *key, int64_t ms)
{
	char t[32];

	ops_time_fmt(ms - ms % 1000, t);
	strcpy(t + 19, "Z");
	cJSON_AddStringToObject(o, key, t);
}

static void status_url(char *out, size_t cap, const char *prefix, const struct kserve_isvc *s,
                       const char *suffix, const char *domain)
{
	snprintf(out, cap, "http://%s%s%s.%s.%s", prefix, s->dep->name, suffix, SERVING_NS, domain);
}

static void status_add_url(cJSON *o, const char *key, const char *url)
{
	cJSON *a = cJSON_AddObjectToObject(o, key);

	cJSON_AddStringToObject(a, "url", url);
}

static const char *status_rev_name(const struct kserve_isvc *s, int num)
{
	const struct kserve_ctl_rev *r = kserve_ctl_rev(s, num);

	return r ? r->name : "";
}

/* latestCreatedRevision ("" before the first reconcile). */
static const char *status_created(const struct kserve_isvc *s)
{
	return s->n_revs ? s->revs[s->n_revs - 1].name : "";
}

/* The prev entry is always tagged and has a URL; the latest one only with tag routing. */
static cJSON *status_traffic(const struct kserve_isvc *s)
{
	int tags = strcmp(kserve_ctl_annotation(s->obj, KSERVE_CTL_TAG_ANNOT), "true") == 0;
	cJSON *arr = cJSON_CreateArray();
	char url[256];

	for (int i = 0; i < s->n_traffic; i++) {
		const struct kserve_ctl_entry *e = &s->traffic[i];
		cJSON *t = cJSON_CreateObject();
		cJSON_AddBoolToObject(t, "latestRevision", e->latest);
		cJSON_AddNumberToObject(t, "percent", e->percent);
		cJSON_AddStringToObject(t, "revisionName", status_rev_name(s, e->rev));
		if (!e->latest || tags) {
			cJSON_AddStringToObject(t, "tag", e->latest ? "latest" : "prev");
			status_url(url, sizeof(url), e->latest ? "latest-" : "prev-", s,
			           "-predictor", STATUS_DOMAIN);
			cJSON_AddStringToObject(t, "url", url);
		}
		cJSON_AddItemToArray(arr, t);
	}
	return arr;
}

static void status_failure(const struct kserve_isvc *s, char *out, size_t cap)
{
	const char *uri = kserve_ctl_storage_uri(s->obj);

	snprintf(out, cap,
	         "Revision \"%s\" failed with message: the storage initializer could not download "
	         "the model from %.300s.",
	         status_created(s), uri ? uri : "");
}

/* The conditions a revision's readiness moves; the others stay True. */
static int status_follows_revision(const struct kserve_isvc *s, const char *type)
{
	return !s->raw && (strcmp(type, "LatestDeploymentReady") == 0 ||
	                   strcmp(type, "PredictorConfigurationReady") == 0 ||
	                   strcmp(type, "PredictorReady") == 0 || strcmp(type, "Ready") == 0);
}

static cJSON *status_conditions(const struct kserve_isvc *s)
{
	static const char *const types[] = {
	    "IngressReady",   "LatestDeploymentReady", "PredictorConfigurationReady",
	    "PredictorReady", "PredictorRouteReady",   "Ready",
	    "RoutesReady"};
	static const char *const states[] = {"True", "Unknown", "False"};
	cJSON *arr = cJSON_CreateArray();
	char msg[600];

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int moves = status_follows_revision(s, types[i]);
		cJSON *c;
		if (s->raw && strcmp(types[i], "IngressReady") &&
		    strcmp(types[i], "PredictorReady") && strcmp(types[i], "Ready"))
			continue;
		c = cJSON_CreateObject();
		kserve_status_add_time(c, "lastTransitionTime",
		                       moves ? s->state_ms : s->created_ms);
		if (moves && s->state == KSERVE_CTL_FAILED) {
			status_failure(s, msg, sizeof(msg));
			cJSON_AddStringToObject(c, "message", msg);
			cJSON_AddStringToObject(c, "reason", "RevisionFailed");
		}
		cJSON_AddStringToObject(c, "status", moves ? states[s->state] : "True");
		cJSON_AddStringToObject(c, "type", types[i]);
		cJSON_AddItemToArray(arr, c);
	}
	return arr;
}

static cJSON *status_model(const struct kserve_isvc *s)
{
	static const char *const target[] = {"Loaded", "Loading", "FailedToLoad"};
	static const char *const transition[] = {"UpToDate", "InProgress", "BlockedByFailedLoad"};
	cJSON *ms = cJSON_CreateObject(), *copies, *states, *info;
	char msg[600];

	copies = cJSON_AddObjectToObject(ms, "copies");
	cJSON_AddNumberToObject(copies, "failedCopies", s->state == KSERVE_CTL_FAILED);
	cJSON_AddNumberToObject(copies, "totalCopies", 1);
	if (s->state == KSERVE_CTL_FAILED) {
		info = cJSON_AddObjectToObject(ms, "lastFailureInfo");
		status_failure(s, msg, sizeof(msg));
		cJSON_AddStringToObject(info, "message", msg);
		cJSON_AddStringToObject(info, "reason", "ModelLoadFailed");
		kserve_status_add_time(info, "time", s->state_ms);
	}
	states = cJSON_AddObjectToObject(ms, "states");
	cJSON_AddStringToObject(states, "activeModelState", "Loaded");
	cJSON_AddStringToObject(states, "targetModelState", target[s->state]);
	cJSON_AddStringToObject(ms, "transitionStatus", transition[s->state]);
	return ms;
}

static cJSON *status_predictor(const struct kserve_isvc *s)
{
	cJSON *pred = cJSON_CreateObject();
	char url[256];

	status_url(url, sizeof(url), "", s, "-predictor", STATUS_LOCAL);
	status_add_url(pred, "address", url);
	if (!s->raw) {
		cJSON_AddStringToObject(pred, "latestCreatedRevision", status_created(s));
		cJSON_AddStringToObject(pred, "latestReadyRevision", status_rev_name(s, s->ready));
		if (s->rolled)
			cJSON_AddStringToObject(pred, "latestRolledoutRevision",
			                        status_rev_name(s, s->rolled));
		if (s->prev_rolled)
			cJSON_AddStringToObject(pred, "previousRolledoutRevision",
			                        status_rev_name(s, s->prev_rolled));
		cJSON_AddItemToObject(pred, "traffic", status_traffic(s));
	}
	status_url(url, sizeof(url), "", s, "-predictor", STATUS_DOMAIN);
	cJSON_AddStringToObject(pred, "url", url);
	return pred;
}

cJSON *kserve_status_json(const struct kserve_isvc *s)
{
	cJSON *st = cJSON_CreateObject(), *comp;
	char url[256];

	status_url(url, sizeof(url), "", s, "", STATUS_LOCAL);
	status_add_url(st, "address", url);
	comp = cJSON_AddObjectToObject(st, "components");
	cJSON_AddItemToObject(comp, "predictor", status_predictor(s));
	cJSON_AddItemToObject(st, "conditions", status_conditions(s));
	cJSON_AddStringToObject(st, "deploymentMode", s->raw ? KSERVE_CTL_RAW : "Serverless");
	cJSON_AddItemToObject(st, "modelStatus", status_model(s));
	cJSON_AddNumberToObject(st, "observedGeneration", (double)s->observed);
	status_url(url, sizeof(url), "", s, "", STATUS_DOMAIN);
	cJSON_AddStringToObject(st, "url", url);
	return st;
}

cJSON *kserve_status_object(const struct kserve_isvc *s)
{
	cJSON *o = cJSON_Duplicate(s->obj, 1),
	      *meta = cJSON_GetObjectItemCaseSensitive(o, "metadata");
	char rv[32];

	snprintf(rv, sizeof(rv), "%ld", s->rv);
	cJSON_DeleteItemFromObjectCaseSensitive(meta, "resourceVersion");
	cJSON_DeleteItemFromObjectCaseSensitive(meta, "generation");
	cJSON_AddStringToObject(meta, "resourceVersion", rv);
	cJSON_AddNumberToObject(meta, "generation", (double)s->generation);
	cJSON_AddItemToObject(o, "status", kserve_status_json(s));
	return o;
}

/* ---- the end state ---- */

static const char *status_version_of(const struct kserve_isvc *s, int num)
{
	const struct kserve_ctl_rev *r = kserve_ctl_rev(s, num);

	return r && r->version >= 0 ? s->dep->v[r->version].name : "";
}

static cJSON *status_state_traffic(const struct kserve_isvc *s)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; i < s->n_traffic; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "revisionName", status_rev_name(s, s->traffic[i].rev));
		cJSON_AddStringToObject(t, "version", status_version_of(s, s->traffic[i].rev));
		cJSON_AddNumberToObject(t, "percent", s->traffic[i].percent);
		cJSON_AddBoolToObject(t, "latestRevision", s->traffic[i].latest);
		cJSON_AddItemToArray(arr, t);
	}
	return arr;
}

static cJSON *status_state_one(const struct kserve_isvc *s)
{
	cJSON *o = cJSON_CreateObject(), *split;
	const char *uri = kserve_ctl_storage_uri(s->obj);
	long p = kserve_ctl_canary(s->obj);
	char rv[32];

	cJSON_AddStringToObject(o, "name", s->dep->name);
	cJSON_AddStringToObject(o, "namespace", SERVING_NS);
	snprintf(rv, sizeof(rv), "%ld", s->rv);
	cJSON_AddStringToObject(o, "resourceVersion", rv);
	cJSON_AddNumberToObject(o, "generation", (double)s->generation);
	cJSON_AddStringToObject(o, "deploymentMode", s->raw ? KSERVE_CTL_RAW : "Serverless");
	cJSON_AddItemToObject(o, "storageUri", uri ? cJSON_CreateString(uri) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "canaryTrafficPercent",
	                      p >= 0 ? cJSON_CreateNumber((double)p) : cJSON_CreateNull());
	/* raw deployments have no revisions to show */
	cJSON_AddStringToObject(o, "latestCreatedRevision", s->raw ? "" : status_created(s));
	cJSON_AddStringToObject(o, "latestReadyRevision",
	                        status_rev_name(s, s->raw ? 0 : s->ready));
	cJSON_AddStringToObject(o, "latestRolledoutRevision", status_rev_name(s, s->rolled));
	cJSON_AddStringToObject(o, "previousRolledoutRevision", status_rev_name(s, s->prev_rolled));
	cJSON_AddItemToObject(o, "traffic", status_state_traffic(s));
	split = cJSON_AddObjectToObject(o, "split");
	for (int v = 0; v < s->dep->n_versions; v++)
		if (s->dep->v[v].percent > 0)
			cJSON_AddNumberToObject(split, s->dep->v[v].name, s->dep->v[v].percent);
	return o;
}

cJSON *kserve_status_state(void)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; i < kserve_ctl_count(); i++)
		cJSON_AddItemToArray(arr, status_state_one(kserve_ctl_at(i)));
	return arr;
}
