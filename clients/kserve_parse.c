#include "clients/kserve_parse.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/http.h"
#include "clients/httperr.h"
#include "clients/json.h"
#include "clients/rfc3339.h"

#define SOURCE     "KServe"
#define MODE_ANNOT "serving.kserve.io/deploymentMode"

_Static_assert(offsetof(struct kserve_isvcs, arena) == 0, "kvlist_list_new finds the arena first");

struct kserve_isvcs *kserve_isvcs_new(void)
{
	struct kserve_isvcs *l = kvlist_list_new(sizeof *l);
	if (l)
		l->resource_version = "";
	return l;
}

void kserve_isvcs_free(struct kserve_isvcs **l)
{
	if (!l || !*l)
		return;
	kvlist_list_free(*l, (*l)->v);
	*l = NULL;
}

/* Reading one object: the arena, and whether memory ran out. */
struct rd {
	struct kserve_isvcs *l;
	int nomem;
};

static const char *str(struct rd *r, const cJSON *o, const char *key)
{
	const char *s = json_str(o, key);
	const char *c = arena_strdup(r->l->arena, s ? s : "");
	if (!c) {
		r->nomem = 1;
		return "";
	}
	return c;
}

/* An int64 member, def when absent; a member of the wrong type is counted as skipped. */
static int64_t i64(struct rd *r, const cJSON *o, const char *key, int64_t def)
{
	const cJSON *it = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	int64_t v;
	if (!it || cJSON_IsNull(it))
		return def;
	if (json_item_i64(it, &v) == 0)
		return v;
	r->l->skipped++;
	return def;
}

static const char *const frameworks[] = {
    "sklearn",  "xgboost", "tensorflow", "pytorch",     "onnx", "triton",
    "lightgbm", "pmml",    "paddle",     "huggingface", NULL,
};

/* The predictor's model block: "model", else an older framework key. */
static const cJSON *model_block(const cJSON *pred, const char **framework)
{
	const cJSON *m = json_obj(pred, "model");
	*framework = m ? "model" : "";
	for (int i = 0; !m && frameworks[i]; i++)
		if ((m = json_obj(pred, frameworks[i])))
			*framework = frameworks[i];
	return m;
}

static void spec_read(struct rd *r, const cJSON *spec, struct kserve_isvc *s)
{
	const cJSON *pred = json_obj(spec, "predictor");
	const char *fw;
	const cJSON *m = model_block(pred, &fw);
	const cJSON *fmt = json_obj(m, "modelFormat");
	s->framework = fw;
	s->model_format = fmt || !*fw || strcmp(fw, "model") == 0 ? str(r, fmt, "name") : fw;
	s->model_format_version = str(r, fmt, "version");
	s->storage_uri = str(r, m, "storageUri");
	s->runtime = str(r, m, "runtime");
	s->canary_percent = i64(r, pred, "canaryTrafficPercent", -1);
}

static int traffic_item(void *ctx, const cJSON *it, void *slot)
{
	struct rd *r = ctx;
	struct kserve_traffic *t = slot;
	t->revision_name = str(r, it, "revisionName");
	t->percent = i64(r, it, "percent", -1);
	t->latest_revision = json_bool(it, "latestRevision", -1);
	t->tag = str(r, it, "tag");
	t->url = str(r, it, "url");
	return 0;
}

static int condition_item(void *ctx, const cJSON *it, void *slot)
{
	struct rd *r = ctx;
	struct kserve_condition *c = slot;
	c->type = str(r, it, "type");
	c->status = str(r, it, "status");
	c->reason = str(r, it, "reason");
	c->message = str(r, it, "message");
	if (rfc3339_parse(json_str(it, "lastTransitionTime"), &c->last_transition_ms) < 0)
		c->last_transition_ms = 0;
	return 0;
}

/* The traffic entries and the conditions, in the arena. */
static int status_lists(struct rd *r, const cJSON *traffic, const cJSON *conds,
                        struct kserve_isvc *s)
{
	struct kserve_isvcs *l = r->l;
	void *t = NULL, *c = NULL;
	int rc = kvlist_objects_in(l->arena, &t, &s->ntraffic, &l->skipped, sizeof *s->traffic,
	                           traffic, traffic_item, r) ||
	         kvlist_objects_in(l->arena, &c, &s->nconditions, &l->skipped,
	                           sizeof *s->conditions, conds, condition_item, r);
	s->traffic = t;
	s->conditions = c;
	return rc ? -1 : 0;
}

static int status_read(struct rd *r, const cJSON *st, struct kserve_isvc *s)
{
	const cJSON *pred = json_obj(json_obj(st, "components"), "predictor");
	s->url = str(r, st, "url");
	s->observed_generation = i64(r, st, "observedGeneration", -1);
	s->latest_ready = str(r, pred, "latestReadyRevision");
	s->latest_created = str(r, pred, "latestCreatedRevision");
	s->latest_rolledout = str(r, pred, "latestRolledoutRevision");
	s->previous_rolledout = str(r, pred, "previousRolledoutRevision");
	s->predictor_url = str(r, pred, "url");
	s->transition_status = str(r, json_obj(st, "modelStatus"), "transitionStatus");
	if (!*s->deployment_mode)
		s->deployment_mode = str(r, st, "deploymentMode");
	return status_lists(r, json_arr(pred, "traffic"), json_arr(st, "conditions"), s);
}

/* The newest entry of metadata.managedFields that is not a write of the status subresource. */
static void last_change(struct rd *r, const cJSON *fields, struct kserve_isvc *s)
{
	const cJSON *it, *best = NULL;
	cJSON_ArrayForEach(it, fields)
	{
		const char *t = json_str(it, "time"), *sub = json_str(it, "subresource");
		if (t && !(sub && *sub) && (!best || strcmp(t, json_str(best, "time")) > 0))
			best = it;
	}
	s->changed_by = best ? str(r, best, "manager") : "";
	s->changed_at = best ? str(r, best, "time") : "";
}

static int isvc_read(struct rd *r, const cJSON *o, struct kserve_isvc *s)
{
	const cJSON *meta = json_obj(o, "metadata");
	struct arena *a = r->l->arena;
	s->name = str(r, meta, "name");
	s->ns = str(r, meta, "namespace");
	s->uid = str(r, meta, "uid");
	s->resource_version = str(r, meta, "resourceVersion");
	s->generation = i64(r, meta, "generation", 0);
	last_change(r, json_arr(meta, "managedFields"), s);
	if (kvlist_from_json(a, json_obj(meta, "annotations"), &s->annotations, &r->l->skipped) ||
	    kvlist_from_json(a, json_obj(meta, "labels"), &s->labels, &r->l->skipped))
		return -1;
	const char *mode = kvlist_get(&s->annotations, MODE_ANNOT);
	s->deployment_mode = mode ? mode : "";
	spec_read(r, json_obj(o, "spec"), s);
	if (status_read(r, json_obj(o, "status"), s))
		return -1;
	return r->nomem ? -1 : 0;
}

static int isvc_item(void *ctx, const cJSON *o, void *slot)
{
	struct rd *r = ctx;
	return isvc_read(r, o, slot);
}

static int items_add(struct kserve_isvcs *out, const cJSON *first, size_t n, struct err *e)
{
	struct rd r = {out, 0};
	void *v = out->v;
	int rc =
	    kvlist_objects(&v, &out->n, &out->skipped, sizeof *out->v, first, n, isvc_item, &r);
	out->v = v;
	return rc ? err_set(e, ERR_NOMEM, SOURCE ": out of memory") : 0;
}

int kserve_parse(const char *body, size_t len, struct kserve_isvcs *out, struct err *e)
{
	int rc;
	cJSON *root = json_parse_object(body, len, SOURCE " InferenceService", e);
	if (!root)
		return ERR_PARSE;
	const char *kind = json_str(root, "kind");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
	if (kind && strcmp(kind, "Status") == 0) {
		rc = err_set(e, ERR_PARSE,
		             SOURCE ": a Status where an InferenceService was expected");
	} else if (items && !cJSON_IsArray(items) && !cJSON_IsNull(items)) {
		rc = err_set(e, ERR_PARSE, SOURCE " InferenceServiceList: \"items\" is not a list");
	} else if (items) {
		struct rd r = {out, 0};
		out->resource_version = str(&r, json_obj(root, "metadata"), "resourceVersion");
		rc = items_add(out, cJSON_IsArray(items) ? items->child : NULL, json_count(items),
		               e);
	} else {
		rc = items_add(out, root, 1, e);
	}
	cJSON_Delete(root);
	return rc;
}

static void copy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

int kserve_parse_status(const char *body, size_t len, struct kserve_status *st)
{
	cJSON *root = json_parse_object(body, len, "Status", NULL);
	const char *kind = json_str(root, "kind");
	int rc = kind && strcmp(kind, "Status") == 0 ? 0 : 1;
	memset(st, 0, sizeof *st);
	if (rc == 0) {
		copy(st->status, sizeof st->status, json_str(root, "status"));
		copy(st->reason, sizeof st->reason, json_str(root, "reason"));
		copy(st->message, sizeof st->message, json_str(root, "message"));
		int64_t code = json_i64(root, "code", 0);
		st->code = code > 0 && code < 1000 ? (long)code : 0;
	}
	cJSON_Delete(root);
	return rc;
}

int kserve_error(struct err *e, const struct http_resp *r)
{
	/* a Status carries reason and message, which the shared formatter reads */
	return httperr_set(e, SOURCE, r);
}

const struct kserve_traffic *kserve_traffic_latest(const struct kserve_isvc *s)
{
	for (size_t i = 0; i < s->ntraffic; i++)
		if (s->traffic[i].latest_revision == 1)
			return &s->traffic[i];
	return NULL;
}

const struct kserve_traffic *kserve_traffic_prev(const struct kserve_isvc *s)
{
	for (size_t i = 0; i < s->ntraffic; i++)
		if (strcmp(s->traffic[i].tag, "prev") == 0)
			return &s->traffic[i];
	for (size_t i = 0; i < s->ntraffic; i++)
		if (s->traffic[i].latest_revision == 0)
			return &s->traffic[i];
	return NULL;
}

const struct kserve_condition *kserve_condition(const struct kserve_isvc *s, const char *type)
{
	for (size_t i = 0; i < s->nconditions; i++)
		if (strcmp(s->conditions[i].type, type) == 0)
			return &s->conditions[i];
	return NULL;
}
