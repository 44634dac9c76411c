/* kserve.c: the Kubernetes API side of mltop-sim's KServe: paths, list and get, PATCH in its
 * three accepted formats, and the API server's answers (Status objects). The controller behind
 * it is kserve_ctl.c. */
#include "sim/kserve.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/kserve_ctl.h"
#include "sim/kserve_patch.h"
#include "sim/kserve_status.h"
#include "sim/ops.h"
#include "sim/serving.h"

#define KSERVE_GROUP    "serving.kserve.io"
#define KSERVE_PREFIX   "/apis/serving.kserve.io/v1beta1/"
#define KSERVE_RESOURCE "inferenceservices"
#define KSERVE_WEBHOOK                                                                             \
	"admission webhook \"inferenceservice.kserve-webhook-server.validator\" "                  \
	"denied the request: "

enum kserve_format { KSERVE_MERGE, KSERVE_JSON_PATCH, KSERVE_APPLY, KSERVE_UNKNOWN };

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

/* ---- PATCH ---- */

/* 403 from KServe's validating webhook. */
static void kserve_denied(struct sim_resp *resp, const char *why)
{
	char msg[800];

	snprintf(msg, sizeof(msg), KSERVE_WEBHOOK "%s", why);
	kserve_status(resp, 403, "Forbidden", msg);
}

static void kserve_conflict(struct sim_resp *resp, const char *name)
{
	char msg[400];
	cJSON *o;

	snprintf(msg, sizeof(msg),
	         "Operation cannot be fulfilled on " KSERVE_RESOURCE "." KSERVE_GROUP
	         " \"%s\": the object has been modified; please apply your changes to the latest "
	         "version and try again",
	         name);
	o = kserve_status_obj(409, "Conflict", msg);
	kserve_details(o, name, KSERVE_RESOURCE);
	sim_resp_json(resp, 409, o);
}

static enum kserve_format kserve_format_of(const char *ctype)
{
	static const struct {
		const char *type;
		enum kserve_format format;
	} known[] = {{"application/merge-patch+json", KSERVE_MERGE},
	             {"application/json-patch+json", KSERVE_JSON_PATCH},
	             {"application/apply-patch+yaml", KSERVE_APPLY}};
	size_t n;

	while (ctype && isspace((unsigned char)*ctype))
		ctype++;
	if (!ctype)
		return KSERVE_UNKNOWN;
	n = strcspn(ctype, "; \t");
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].type) == n && strncasecmp(ctype, known[i].type, n) == 0)
			return known[i].format;
	return KSERVE_UNKNOWN;
}

/* The stored object (with its resourceVersion) after the patch; NULL after answering 400 or
 * 422. An apply configuration written in JSON is merged (field ownership is not kept). */
static cJSON *kserve_patched(const struct kserve_isvc *s, enum kserve_format f,
                             const struct sim_req *req, struct sim_resp *resp)
{
	cJSON *body = req->body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
	cJSON *doc = kserve_status_object(s);
	char why[512];

	if (f == KSERVE_JSON_PATCH ? !cJSON_IsArray(body) : !cJSON_IsObject(body)) {
		kserve_status(resp, 400, "BadRequest",
		              f == KSERVE_JSON_PATCH
		                  ? "error decoding patch: the body must be a JSON Patch array"
		                  : "error decoding patch: the body must be a JSON object");
		cJSON_Delete(doc);
		doc = NULL;
	} else if (f != KSERVE_JSON_PATCH) {
		doc = kserve_patch_merge(doc, body);
	} else if (kserve_patch_json(&doc, body, why, sizeof(why)) != 0) {
		kserve_status(resp, 422, "Invalid", why);
		cJSON_Delete(doc);
		doc = NULL;
	}
	cJSON_Delete(body);
	return doc;
}

/* A resourceVersion in the patched object that is not the stored one: 409. */
static int kserve_stale(const struct kserve_isvc *s, const cJSON *next)
{
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(next, "metadata"), "resourceVersion");
	char cur[32];

	snprintf(cur, sizeof(cur), "%ld", s->rv);
	return rv &&
	       !(cJSON_IsString(rv) && (strcmp(rv->valuestring, cur) == 0 || !*rv->valuestring));
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

static const char *kserve_json_type(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNumber(v))
		return v->valuedouble == floor(v->valuedouble) ? "integer" : "number";
	if (cJSON_IsArray(v))
		return "array";
	return cJSON_IsObject(v) ? "object" : "null";
}

/* The CRD's schema: 422 for a field of the wrong type. 0, or -1 after answering. */
static int kserve_schema(const struct kserve_isvc *s, const cJSON *next, struct sim_resp *resp)
{
	static const struct {
		const char *field, *key, *type;
	} typed[] = {{"spec.predictor.canaryTrafficPercent", "canaryTrafficPercent", "integer"},
	             {"spec.predictor.model.storageUri", "storageUri", "string"}};
	const cJSON *pred = kserve_ctl_predictor(next);
	char what[600];

	if (!cJSON_IsObject(pred)) {
		kserve_invalid(resp, s->dep->name, "spec.predictor", "Required value");
		return -1;
	}
	for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		    i ? cJSON_GetObjectItemCaseSensitive(pred, "model") : pred, typed[i].key);
		const char *t = kserve_json_type(v);
		if (!v || strcmp(t, typed[i].type) == 0)
			continue;
		snprintf(what, sizeof(what),
		         "Invalid value: \"%s\": %s in body must be of type %s: \"%s\"", t,
		         typed[i].field, typed[i].type, t);
		kserve_invalid(resp, s->dep->name, typed[i].field, what);
		return -1;
	}
	return 0;
}

static const char *kserve_mode_of(const cJSON *obj)
{
	const char *m = kserve_ctl_annotation(obj, KSERVE_CTL_MODE_ANNOT);

	return *m ? m : "Serverless";
}

/* KServe's validating webhook: 403. 0, or -1 after answering. */
static int kserve_webhook(const struct kserve_isvc *s, const cJSON *next, struct sim_resp *resp)
{
	const cJSON *c =
	    cJSON_GetObjectItemCaseSensitive(kserve_ctl_predictor(next), "canaryTrafficPercent");
	char why[300];

	if (c && (c->valuedouble < 0 || c->valuedouble > 100)) {
		snprintf(why, sizeof(why),
		         "canaryTrafficPercent must be between 0 and 100, got %.0f",
		         c->valuedouble);
		kserve_denied(resp, why);
		return -1;
	}
	if (strcmp(kserve_mode_of(s->obj), kserve_mode_of(next)) != 0) {
		snprintf(why, sizeof(why),
		         "update rejected: deploymentMode cannot be changed from %.40s to %.40s",
		         kserve_mode_of(s->obj), kserve_mode_of(next));
		kserve_denied(resp, why);
		return -1;
	}
	return 0;
}

static void kserve_patch(struct kserve_isvc *s, const char *name, const struct sim_req *req,
                         struct sim_resp *resp)
{
	enum kserve_format f = kserve_format_of(req->content_type);
	cJSON *next;

	if (f == KSERVE_UNKNOWN) {
		kserve_status(resp, 415, "UnsupportedMediaType",
		              "the body of the request was in an unknown format - accepted media "
		              "types include: application/json-patch+json, "
		              "application/merge-patch+json, application/apply-patch+yaml");
		return;
	}
	if (!s) {
		kserve_not_found(resp, name);
		return;
	}
	next = kserve_patched(s, f, req, resp);
	if (!next)
		return;
	if (!cJSON_IsObject(next)) {
		kserve_invalid(resp, name, "<root>", "Invalid value: the object must be an object");
		cJSON_Delete(next);
		return;
	}
	if (kserve_stale(s, next)) {
		kserve_conflict(resp, name);
		cJSON_Delete(next);
		return;
	}
	kserve_keep_owned(next, s->obj);
	if (kserve_schema(s, next, resp) != 0 || kserve_webhook(s, next, resp) != 0) {
		cJSON_Delete(next);
		return;
	}
	kserve_ctl_store(s, next, sim_now_ms());
	sim_resp_json(resp, 200, kserve_status_object(s));
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

	cJSON_AddStringToObject(o, "apiVersion", KSERVE_STATUS_API);
	items = cJSON_AddArrayToObject(o, "items");
	for (int i = 0; i < kserve_ctl_count(); i++) {
		int keep = kserve_selects(kserve_ctl_at(i), sel);
		if (keep < 0) {
			cJSON_Delete(o);
			kserve_status(resp, 400, "BadRequest",
			              "unable to parse requirement: bad "
			              "labelSelector");
			return;
		}
		if (keep && (!ns || strcmp(ns, SERVING_NS) == 0))
			cJSON_AddItemToArray(items, kserve_status_object(kserve_ctl_at(i)));
	}
	cJSON_AddStringToObject(o, "kind", "InferenceServiceList");
	meta = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(meta, "continue", "");
	snprintf(rv, sizeof(rv), "%ld", kserve_ctl_list_rv());
	cJSON_AddStringToObject(meta, "resourceVersion", rv);
	sim_resp_json(resp, 200, o);
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
	s = kserve_ctl_find(ns, name);
	if (strcmp(m, "PATCH") == 0)
		kserve_patch(s, name, req, resp);
	else if (strcmp(m, "GET") != 0)
		kserve_method_not_allowed(resp);
	else if (!s)
		kserve_not_found(resp, name);
	else
		sim_resp_json(resp, 200, kserve_status_object(s));
	return 1;
}
