/* kserve.c: KServe InferenceServices over the serving world. */
#include "sim/kserve.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/ops.h"
#include "sim/serving.h"

#define KSERVE_GROUP        "serving.kserve.io"
#define KSERVE_API          "serving.kserve.io/v1beta1"
#define KSERVE_PREFIX       "/apis/serving.kserve.io/v1beta1/"
#define KSERVE_RESOURCE     "inferenceservices"
#define KSERVE_DOMAIN       "example.com"
#define KSERVE_MAX_REVS     64
#define KSERVE_MAX_REGISTRY 64 /* registry versions tried when mapping a storageUri back */
#define KSERVE_TAG_ANNOT    "serving.kserve.io/enable-tag-routing"

struct kserve_rev {
	char name[96];
	int version; /* index in the deployment's versions */
	int64_t created_ms;
};

struct kserve_isvc {
	struct serving_dep *dep;
	cJSON *obj; /* apiVersion, kind, metadata, spec (status is computed) */
	struct kserve_rev revs[KSERVE_MAX_REVS];
	int n_revs, next_rev;
	int rolled, prev_rolled;  /* latest / previous rolled-out revision, -1 if none */
	int pct[KSERVE_MAX_REVS]; /* traffic per revision */
	int64_t created_ms, changed_ms;
	long generation;
	long rv;
};

static struct kserve_isvc kserve_tab[SERVING_MAX_ALL];
static int kserve_n;
static long kserve_rv = 1000;

/* ---- time, uri ---- */

/* metav1.Time: RFC3339 in whole seconds. */
static void kserve_time(int64_t ms, char *out)
{
	ops_time_fmt(ms - ms % 1000, out);
	strcpy(out + 19, "Z");
}

static void kserve_add_time(cJSON *o, const char *key, int64_t ms)
{
	char t[32];

	kserve_time(ms, t);
	cJSON_AddStringToObject(o, key, t);
}

/* The storageUri of registry version n of the deployment's model (the registry's source). */
static void kserve_uri(const struct serving_dep *d, int n, char *out, size_t cap)
{
	char num[16];
	const char *src;

	snprintf(num, sizeof(num), "%d", n);
	src = mlflow_version_source(d->name, num);
	if (src)
		snprintf(out, cap, "%s", src);
	else
		snprintf(out, cap, "mlflow-artifacts:/models/%s/%d", d->name, n);
}

/* The version index for a storageUri, adding the registry version to the world; -1 if none. */
static int kserve_version_of(struct serving_dep *d, const char *uri)
{
	char cand[512], name[16];

	for (int n = 1; n <= KSERVE_MAX_REGISTRY; n++) {
		kserve_uri(d, n, cand, sizeof(cand));
		if (strcmp(cand, uri) == 0) {
			snprintf(name, sizeof(name), "v%d", n);
			return serving_version_add(d, name);
		}
	}
	return -1;
}

/* ---- Status errors ---- */

static cJSON *kserve_status_obj(int code, const char *reason, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", "Status");
	cJSON_AddStringToObject(o, "apiVersion", "v1");
	cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(o, "status", "Failure");
	cJSON_AddStringToObject(o, "message", msg);
	cJSON_AddStringToObject(o, "reason", reason);
	cJSON_AddObjectToObject(o, "details");
	cJSON_AddNumberToObject(o, "code", code);
	return o;
}

static void kserve_status(struct sim_resp *resp, int code, const char *reason, const char *msg)
{
	sim_resp_json(resp, code, kserve_status_obj(code, reason, msg));
}

static cJSON *kserve_details(cJSON *status, const char *name, const char *kind)
{
	cJSON *d = cJSON_GetObjectItemCaseSensitive(status, "details");

	cJSON_AddStringToObject(d, "name", name);
	cJSON_AddStringToObject(d, "group", KSERVE_GROUP);
	cJSON_AddStringToObject(d, "kind", kind);
	return d;
}

static void kserve_not_found(struct sim_resp *resp, const char *name)
{
	char msg[300];
	cJSON *o;

	snprintf(msg, sizeof(msg), KSERVE_RESOURCE "." KSERVE_GROUP " \"%.200s\" not found", name);
	o = kserve_status_obj(404, "NotFound", msg);
	kserve_details(o, name, KSERVE_RESOURCE);
	sim_resp_json(resp, 404, o);
}

/* 422 Invalid with one cause: field and what is wrong with it ("Invalid value: 101: ..."). */
static void kserve_invalid(struct sim_resp *resp, const char *name, const char *field,
                           const char *what)
{
	char msg[800];
	cJSON *o, *causes, *c;

	snprintf(msg, sizeof(msg), "InferenceService." KSERVE_GROUP " \"%s\" is invalid: %s: %s",
	         name, field, what);
	o = kserve_status_obj(422, "Invalid", msg);
	causes = cJSON_AddArrayToObject(kserve_details(o, name, "InferenceService"), "causes");
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "reason",
	                        strncmp(what, "Required", 8) == 0 ? "FieldValueRequired"
	                                                          : "FieldValueInvalid");
	cJSON_AddStringToObject(c, "message", what);
	cJSON_AddStringToObject(c, "field", field);
	cJSON_AddItemToArray(causes, c);
	sim_resp_json(resp, 422, o);
}

/* ---- the object ---- */

static cJSON *kserve_predictor(cJSON *obj)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "spec"),
	                                        "predictor");
}

static const char *kserve_storage_uri(cJSON *obj)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(kserve_predictor(obj), "model"), "storageUri");

	return cJSON_IsString(u) ? u->valuestring : NULL;
}

/* canaryTrafficPercent, or -1 when absent. */
static long kserve_canary(cJSON *obj)
{
	const cJSON *c =
	    cJSON_GetObjectItemCaseSensitive(kserve_predictor(obj), "canaryTrafficPercent");

	return cJSON_IsNumber(c) ? (long)c->valuedouble : -1;
}

static int kserve_tag_routing(const cJSON *obj)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"),
	                                     "annotations"),
	    KSERVE_TAG_ANNOT);

	return cJSON_IsString(a) && strcmp(a->valuestring, "true") == 0;
}

static void kserve_add_rev(struct kserve_isvc *s, int version, int64_t now)
{
	struct kserve_rev *r;

	if (s->n_revs == KSERVE_MAX_REVS) {
		/* drop the oldest revision that is neither rolled out nor the previous one */
		int i = 0;
		while (i == s->rolled || i == s->prev_rolled)
			i++;
		memmove(&s->revs[i], &s->revs[i + 1],
		        sizeof(s->revs[0]) * (size_t)(s->n_revs - i - 1));
		s->n_revs--;
		s->rolled -= s->rolled > i;
		s->prev_rolled -= s->prev_rolled > i;
	}
	r = &s->revs[s->n_revs];
	snprintf(r->name, sizeof(r->name), "%s-predictor-%05d", s->dep->name, ++s->next_rev);
	r->version = version;
	r->created_ms = now;
	s->n_revs++;
}

/* The v0.14 controller: traffic from the spec, and the rolled-out bookkeeping. Fills pct
 * (per revision) and hands the per-version split to the serving world. */
static void kserve_reconcile(struct kserve_isvc *s)
{
	int *pct = s->pct;
	int latest = s->n_revs - 1, split[SERVING_MAX_VERSIONS] = {0};
	long p = kserve_canary(s->obj);

	memset(pct, 0, sizeof(int) * KSERVE_MAX_REVS);
	if (p >= 0 && p < 100 && s->rolled >= 0 && s->rolled != latest) {
		pct[latest] = (int)p;
		pct[s->rolled] = 100 - (int)p;
	} else {
		pct[latest] = 100;
		if (s->rolled != latest) {
			s->prev_rolled = s->rolled;
			s->rolled = latest;
		}
	}
	for (int i = 0; i < s->n_revs; i++)
		split[s->revs[i].version] += pct[i];
	serving_set_split(s->dep, split);
}

static void kserve_url(char *out, size_t cap, const char *prefix, const struct kserve_isvc *s,
                       const char *suffix, const char *domain)
{
	snprintf(out, cap, "http://%s%s%s.%s.%s", prefix, s->dep->name, suffix, SERVING_NS, domain);
}

static cJSON *kserve_traffic(const struct kserve_isvc *s, const int *pct, int tags)
{
	cJSON *arr = cJSON_CreateArray();
	int latest = s->n_revs - 1;
	char url[256];

	for (int pass = 0; pass < 2; pass++) {
		int i = pass == 0 ? latest : s->rolled;
		cJSON *t;
		if (pass == 1 && (i < 0 || i == latest || (pct[latest] == 100)))
			break;
		t = cJSON_CreateObject();
		cJSON_AddBoolToObject(t, "latestRevision", pass == 0);
		cJSON_AddNumberToObject(t, "percent", pct[i]);
		cJSON_AddStringToObject(t, "revisionName", s->revs[i].name);
		if (tags) {
			cJSON_AddStringToObject(t, "tag", pass == 0 ? "latest" : "prev");
			kserve_url(url, sizeof(url), pass == 0 ? "latest-" : "prev-", s,
			           "-predictor", KSERVE_DOMAIN);
			cJSON_AddStringToObject(t, "url", url);
		}
		cJSON_AddItemToArray(arr, t);
	}
	return arr;
}

static cJSON *kserve_conditions(const struct kserve_isvc *s)
{
	static const char *const types[] = {
	    "IngressReady",   "LatestDeploymentReady", "PredictorConfigurationReady",
	    "PredictorReady", "PredictorRouteReady",   "Ready",
	    "RoutesReady"};
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		cJSON *c = cJSON_CreateObject();
		kserve_add_time(c, "lastTransitionTime", s->changed_ms);
		cJSON_AddStringToObject(c, "status", "True");
		cJSON_AddStringToObject(c, "type", types[i]);
		cJSON_AddItemToArray(arr, c);
	}
	return arr;
}

static void kserve_add_url(cJSON *o, const char *key, const char *url)
{
	cJSON *a = cJSON_AddObjectToObject(o, key);

	cJSON_AddStringToObject(a, "url", url);
}

static cJSON *kserve_status_json(const struct kserve_isvc *s)
{
	cJSON *st = cJSON_CreateObject(), *comp, *pred, *ms, *states, *copies;
	int latest = s->n_revs - 1;
	char url[256];

	kserve_url(url, sizeof(url), "", s, "", "svc.cluster.local");
	kserve_add_url(st, "address", url);
	comp = cJSON_AddObjectToObject(st, "components");
	pred = cJSON_AddObjectToObject(comp, "predictor");
	kserve_url(url, sizeof(url), "", s, "-predictor", "svc.cluster.local");
	kserve_add_url(pred, "address", url);
	cJSON_AddStringToObject(pred, "latestCreatedRevision", s->revs[latest].name);
	cJSON_AddStringToObject(pred, "latestReadyRevision", s->revs[latest].name);
	cJSON_AddStringToObject(pred, "latestRolledoutRevision", s->revs[s->rolled].name);
	if (s->prev_rolled >= 0)
		cJSON_AddStringToObject(pred, "previousRolledoutRevision",
		                        s->revs[s->prev_rolled].name);
	cJSON_AddItemToObject(pred, "traffic",
	                      kserve_traffic(s, s->pct, kserve_tag_routing(s->obj)));
	kserve_url(url, sizeof(url), "", s, "-predictor", KSERVE_DOMAIN);
	cJSON_AddStringToObject(pred, "url", url);
	cJSON_AddItemToObject(st, "conditions", kserve_conditions(s));
	ms = cJSON_AddObjectToObject(st, "modelStatus");
	copies = cJSON_AddObjectToObject(ms, "copies");
	cJSON_AddNumberToObject(copies, "failedCopies", 0);
	cJSON_AddNumberToObject(copies, "totalCopies", 1);
	states = cJSON_AddObjectToObject(ms, "states");
	cJSON_AddStringToObject(states, "activeModelState", "Loaded");
	cJSON_AddStringToObject(states, "targetModelState", "Loaded");
	cJSON_AddStringToObject(ms, "transitionStatus", "UpToDate");
	cJSON_AddNumberToObject(st, "observedGeneration", (double)s->generation);
	kserve_url(url, sizeof(url), "", s, "", KSERVE_DOMAIN);
	cJSON_AddStringToObject(st, "url", url);
	return st;
}

/* The whole object as GET returns it. */
static cJSON *kserve_json(const struct kserve_isvc *s)
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

static cJSON *kserve_initial_obj(const struct kserve_isvc *s, const char *uri, int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *meta, *ann, *labels, *spec, *pred, *model, *fmt;
	char uid[40];
	uint64_t h = rng_hash(0x6b7365727665ULL, (uint64_t)(s - kserve_tab));

	snprintf(uid, sizeof(uid), "%08llx-%04llx-4%03llx-a%03llx-%012llx",
	         (unsigned long long)(h >> 32), (unsigned long long)(h >> 16) & 0xffff,
	         (unsigned long long)h & 0xfff, (unsigned long long)(h >> 52) & 0xfff,
	         (unsigned long long)rng_hash(h, 1) & 0xffffffffffffULL);
	cJSON_AddStringToObject(o, "apiVersion", KSERVE_API);
	cJSON_AddStringToObject(o, "kind", "InferenceService");
	meta = cJSON_AddObjectToObject(o, "metadata");
	ann = cJSON_AddObjectToObject(meta, "annotations");
	cJSON_AddStringToObject(ann, KSERVE_TAG_ANNOT, "true");
	cJSON_AddStringToObject(ann, "serving.kserve.io/enable-prometheus-scraping", "true");
	kserve_add_time(meta, "creationTimestamp", now);
	labels = cJSON_AddObjectToObject(meta, "labels");
	cJSON_AddStringToObject(labels, "app", s->dep->name);
	cJSON_AddStringToObject(labels, "team", "ml-platform");
	cJSON_AddStringToObject(meta, "name", s->dep->name);
	cJSON_AddStringToObject(meta, "namespace", SERVING_NS);
	cJSON_AddStringToObject(meta, "uid", uid);
	spec = cJSON_AddObjectToObject(o, "spec");
	pred = cJSON_AddObjectToObject(spec, "predictor");
	cJSON_AddNumberToObject(pred, "minReplicas", 1);
	model = cJSON_AddObjectToObject(pred, "model");
	fmt = cJSON_AddObjectToObject(model, "modelFormat");
	cJSON_AddStringToObject(fmt, "name", "mlflow");
	cJSON_AddStringToObject(model, "protocolVersion", "v2");
	cJSON_AddStringToObject(model, "storageUri", uri);
	return o;
}

void kserve_init(void)
{
	int64_t now = sim_now_ms();
	char uri[512];

	for (int i = 0; i < kserve_n; i++)
		cJSON_Delete(kserve_tab[i].obj);
	memset(kserve_tab, 0,
	       sizeof(kserve_tab[0]) *
	           (size_t)(kserve_n > serving_dep_count() ? kserve_n : serving_dep_count()));
	kserve_n = 0;
	for (int i = 0; i < serving_dep_count(); i++) {
		struct kserve_isvc *s = &kserve_tab[kserve_n++];

		s->dep = serving_dep_at(i);
		s->rolled = s->prev_rolled = -1;
		s->created_ms = s->changed_ms = now - 7LL * 86400 * 1000;
		s->generation = 1;
		s->rv = ++kserve_rv;
		kserve_uri(s->dep, atoi(s->dep->v[s->dep->stable].name + 1), uri, sizeof(uri));
		s->obj = kserve_initial_obj(s, uri, s->created_ms);
		kserve_add_rev(s, s->dep->stable, s->created_ms);
		kserve_reconcile(s);
	}
}

/* ---- PATCH (RFC 7386 JSON merge patch) ---- */

static cJSON *kserve_merge(cJSON *target, const cJSON *patch)
{
	const cJSON *p;

	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		return cJSON_Duplicate(patch, 1);
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
	}
	cJSON_ArrayForEach(p, patch)
	{
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, p->string);
		if (cJSON_IsNull(p))
			cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
		else if (cur)
			cJSON_ReplaceItemInObjectCaseSensitive(
			    target, p->string, kserve_merge(cJSON_Duplicate(cur, 1), p));
		else
			cJSON_AddItemToObject(target, p->string, kserve_merge(NULL, p));
	}
	return target;
}

/* What the server owns: a patch cannot change it. */
static void kserve_keep_owned(cJSON *to, const cJSON *from)
{
	static const char *const top[] = {"apiVersion", "kind"};
	static const char *const meta[] = {"name", "namespace", "uid", "creationTimestamp"};
	cJSON *tm = cJSON_GetObjectItemCaseSensitive(to, "metadata");
	const cJSON *fm = cJSON_GetObjectItemCaseSensitive(from, "metadata");

	for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
		cJSON_DeleteItemFromObjectCaseSensitive(to, top[i]);
		cJSON_AddItemToObject(
		    to, top[i], cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(from, top[i]), 1));
	}
	if (!cJSON_IsObject(tm)) {
		cJSON_DeleteItemFromObjectCaseSensitive(to, "metadata");
		tm = cJSON_AddObjectToObject(to, "metadata");
	}
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
		cJSON_DeleteItemFromObjectCaseSensitive(tm, meta[i]);
		cJSON_AddItemToObject(
		    tm, meta[i], cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(fm, meta[i]), 1));
	}
	cJSON_DeleteItemFromObjectCaseSensitive(tm, "resourceVersion");
	cJSON_DeleteItemFromObjectCaseSensitive(tm, "generation");
	cJSON_DeleteItemFromObjectCaseSensitive(to, "status");
}

/* Validates the patched object; the version its storageUri names (-1 after writing a 422). */
static int kserve_validate(struct kserve_isvc *s, cJSON *next, struct sim_resp *resp)
{
	const cJSON *c =
	    cJSON_GetObjectItemCaseSensitive(kserve_predictor(next), "canaryTrafficPercent");
	const char *uri = kserve_storage_uri(next), *name = s->dep->name;
	char what[700];
	int v;

	if (!cJSON_IsObject(kserve_predictor(next))) {
		kserve_invalid(resp, name, "spec.predictor", "Required value");
		return -1;
	}
	if (c && (!cJSON_IsNumber(c) || c->valuedouble != floor(c->valuedouble))) {
		kserve_invalid(resp, name, "spec.predictor.canaryTrafficPercent",
		               "Invalid value: must be an integer");
		return -1;
	}
	if (c && (c->valuedouble < 0 || c->valuedouble > 100)) {
		snprintf(what, sizeof(what), "Invalid value: %.0f: must be between 0 and 100",
		         c->valuedouble);
		kserve_invalid(resp, name, "spec.predictor.canaryTrafficPercent", what);
		return -1;
	}
	if (!uri || !*uri) {
		kserve_invalid(resp, name, "spec.predictor.model.storageUri", "Required value");
		return -1;
	}
	v = strcmp(uri, kserve_storage_uri(s->obj)) == 0 ? s->revs[s->n_revs - 1].version
	                                                 : kserve_version_of(s->dep, uri);
	if (v < 0) {
		snprintf(what, sizeof(what),
		         "Invalid value: \"%.300s\": not the source of a registered version of %s",
		         uri, name);
		kserve_invalid(resp, name, "spec.predictor.model.storageUri", what);
	}
	return v;
}

/* Takes next as the object: generation, revision, resourceVersion, traffic. */
static void kserve_apply(struct kserve_isvc *s, cJSON *next, int version, int64_t now)
{
	cJSON *old_pred = cJSON_Duplicate(kserve_predictor(s->obj), 1);
	cJSON *new_pred = cJSON_Duplicate(kserve_predictor(next), 1);

	cJSON_DeleteItemFromObjectCaseSensitive(old_pred, "canaryTrafficPercent");
	cJSON_DeleteItemFromObjectCaseSensitive(new_pred, "canaryTrafficPercent");
	if (!cJSON_Compare(cJSON_GetObjectItemCaseSensitive(s->obj, "spec"),
	                   cJSON_GetObjectItemCaseSensitive(next, "spec"), 1))
		s->generation++;
	if (!cJSON_Compare(old_pred, new_pred, 1))
		kserve_add_rev(s, version, now);
	if (!cJSON_Compare(s->obj, next, 1)) {
		s->rv = ++kserve_rv;
		s->changed_ms = now;
	}
	cJSON_Delete(old_pred);
	cJSON_Delete(new_pred);
	cJSON_Delete(s->obj);
	s->obj = next;
	kserve_reconcile(s);
}

static int kserve_is_merge_patch(const char *ctype)
{
	static const char want[] = "application/merge-patch+json";
	size_t n = sizeof(want) - 1;

	while (ctype && isspace((unsigned char)*ctype))
		ctype++;
	return ctype && strncasecmp(ctype, want, n) == 0 &&
	       (ctype[n] == '\0' || ctype[n] == ';' || isspace((unsigned char)ctype[n]));
}

/* A stale metadata.resourceVersion in the patch: 409 (optimistic locking). */
static int kserve_conflict(const struct kserve_isvc *s, const cJSON *patch, struct sim_resp *resp)
{
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(patch, "metadata"), "resourceVersion");
	char cur[32], msg[400];

	snprintf(cur, sizeof(cur), "%ld", s->rv);
	if (!cJSON_IsString(rv) || strcmp(rv->valuestring, cur) == 0)
		return 0;
	snprintf(msg, sizeof(msg),
	         "Operation cannot be fulfilled on " KSERVE_RESOURCE "." KSERVE_GROUP
	         " \"%s\": the object has been modified; please apply your changes to the latest "
	         "version and try again",
	         s->dep->name);
	{
		cJSON *o = kserve_status_obj(409, "Conflict", msg);
		kserve_details(o, s->dep->name, KSERVE_RESOURCE);
		sim_resp_json(resp, 409, o);
	}
	return 1;
}

static void kserve_patch(struct kserve_isvc *s, const char *name, const struct sim_req *req,
                         struct sim_resp *resp)
{
	cJSON *patch = NULL, *next;
	int v;

	if (!kserve_is_merge_patch(req->content_type)) {
		kserve_status(resp, 415, "UnsupportedMediaType",
		              "the body of the request was in an unknown format - accepted media "
		              "types include: application/merge-patch+json");
		return;
	}
	if (!s) {
		kserve_not_found(resp, name);
		return;
	}
	patch = req->body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
	if (!cJSON_IsObject(patch)) {
		kserve_status(resp, 400, "BadRequest",
		              "error decoding patch: the body must be a JSON merge patch object");
		goto out;
	}
	if (kserve_conflict(s, patch, resp))
		goto out;
	next = kserve_merge(cJSON_Duplicate(s->obj, 1), patch);
	kserve_keep_owned(next, s->obj);
	v = kserve_validate(s, next, resp);
	if (v < 0) {
		cJSON_Delete(next);
		goto out;
	}
	kserve_apply(s, next, v, sim_now_ms());
	sim_resp_json(resp, 200, kserve_json(s));
out:
	cJSON_Delete(patch);
}

/* ---- GET ---- */

/* labelSelector: comma-separated k=v, k==v, k!=v, k, !k. 1 keeps, 0 drops, -1 bad selector. */
static int kserve_selects(const struct kserve_isvc *s, const char *sel)
{
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(s->obj, "metadata"), "labels");
	char buf[512], *save = NULL, *term;
	int keep = 1;

	if (!sel || !*sel)
		return 1;
	if (strlen(sel) >= sizeof(buf))
		return -1;
	strcpy(buf, sel);
	for (term = strtok_r(buf, ",", &save); term; term = strtok_r(NULL, ",", &save)) {
		char *op = strpbrk(term, "!=");
		int neg = op && op[0] == '!';
		const cJSON *v;
		if (op == term && neg) { /* !key */
			v = cJSON_GetObjectItemCaseSensitive(labels, term + 1);
			keep = keep && !v;
			continue;
		}
		if (!op) {
			keep = keep && cJSON_GetObjectItemCaseSensitive(labels, term);
			continue;
		}
		if (neg && op[1] != '=')
			return -1;
		*op = '\0';
		op += neg ? 2 : (op[1] == '=' ? 2 : 1);
		v = cJSON_GetObjectItemCaseSensitive(labels, term);
		keep = keep && (neg != (cJSON_IsString(v) && strcmp(v->valuestring, op) == 0));
	}
	return keep;
}

static void kserve_list(const char *ns, const struct sim_req *req, struct sim_resp *resp)
{
	const char *sel = sim_query(req, "labelSelector");
	cJSON *o = cJSON_CreateObject(), *items, *meta;
	char rv[32];

	cJSON_AddStringToObject(o, "apiVersion", KSERVE_API);
	items = cJSON_AddArrayToObject(o, "items");
	for (int i = 0; i < kserve_n; i++) {
		int keep = kserve_selects(&kserve_tab[i], sel);
		if (keep < 0) {
			cJSON_Delete(o);
			kserve_status(resp, 400, "BadRequest",
			              "unable to parse requirement: bad "
			              "labelSelector");
			return;
		}
		if (keep && (!ns || strcmp(ns, SERVING_NS) == 0))
			cJSON_AddItemToArray(items, kserve_json(&kserve_tab[i]));
	}
	cJSON_AddStringToObject(o, "kind", "InferenceServiceList");
	meta = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(meta, "continue", "");
	snprintf(rv, sizeof(rv), "%ld", kserve_rv);
	cJSON_AddStringToObject(meta, "resourceVersion", rv);
	sim_resp_json(resp, 200, o);
}

static struct kserve_isvc *kserve_find(const char *ns, const char *name)
{
	if (strcmp(ns, SERVING_NS) != 0)
		return NULL;
	for (int i = 0; i < kserve_n; i++)
		if (strcmp(kserve_tab[i].dep->name, name) == 0)
			return &kserve_tab[i];
	return NULL;
}

static void kserve_method_not_allowed(struct sim_resp *resp)
{
	kserve_status(resp, 405, "MethodNotAllowed",
	              "the server does not allow this method on the requested resource");
}

/* Splits "namespaces/{ns}/inferenceservices[/{name}]" or "inferenceservices"; 0 or -1. */
static int kserve_parse_path(const char *p, char *ns, char *name, size_t cap)
{
	const char *slash;

	ns[0] = name[0] = '\0';
	if (strncmp(p, "namespaces/", 11) == 0) {
		p += 11;
		slash = strchr(p, '/');
		if (!slash || slash == p || (size_t)(slash - p) >= cap)
			return -1;
		memcpy(ns, p, (size_t)(slash - p));
		ns[slash - p] = '\0';
		p = slash + 1;
	}
	if (strncmp(p, KSERVE_RESOURCE, strlen(KSERVE_RESOURCE)) != 0)
		return -1;
	p += strlen(KSERVE_RESOURCE);
	if (*p == '\0')
		return 0;
	if (*p != '/' || !ns[0] || !p[1] || strchr(p + 1, '/') || strlen(p + 1) >= cap)
		return -1;
	strcpy(name, p + 1);
	return 0;
}

int kserve_route(const struct sim_req *req, struct sim_resp *resp)
{
	char ns[128], name[256];
	struct kserve_isvc *s;
	const char *m = req->method;

	if (strncmp(req->path, KSERVE_PREFIX, strlen(KSERVE_PREFIX)) != 0)
		return 0;
	if (kserve_parse_path(req->path + strlen(KSERVE_PREFIX), ns, name, sizeof(ns)) < 0) {
		kserve_status(resp, 404, "NotFound",
		              "the server could not find the requested resource");
		return 1;
	}
	if (!name[0]) {
		if (strcmp(m, "GET") == 0)
			kserve_list(ns[0] ? ns : NULL, req, resp);
		else
			kserve_method_not_allowed(resp);
		return 1;
	}
	s = kserve_find(ns, name);
	if (strcmp(m, "PATCH") == 0)
		kserve_patch(s, name, req, resp);
	else if (strcmp(m, "GET") != 0)
		kserve_method_not_allowed(resp);
	else if (!s)
		kserve_not_found(resp, name);
	else
		sim_resp_json(resp, 200, kserve_json(s));
	return 1;
}
