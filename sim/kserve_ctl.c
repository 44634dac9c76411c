/* kserve_ctl.c: the KServe controller: revisions, traffic, status, reconcile by reconcile. */
#include "sim/kserve_ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kserve_status.h"
#include "sim/ops.h"

#define CTL_MAX_REGISTRY 64 /* registry versions tried when mapping a storageUri back */
#define CTL_LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"
#define CTL_NEVER        INT64_MAX
#define CTL_MAX_ROUNDS   16 /* reconciles of one InferenceService in one tick */

static struct kserve_isvc ctl_tab[SERVING_MAX_ALL];
static int ctl_n;
static long ctl_rv = 1000;
static int64_t ctl_ready_ms = 3000;
static int64_t ctl_due = CTL_NEVER; /* the earliest next_ms of all */

/* ---- the object ---- */

cJSON *kserve_ctl_predictor(const cJSON *obj)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "spec"),
	                                        "predictor");
}

const char *kserve_ctl_storage_uri(const cJSON *obj)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(kserve_ctl_predictor(obj), "model"), "storageUri");

	return cJSON_IsString(u) ? u->valuestring : NULL;
}

long kserve_ctl_canary(const cJSON *obj)
{
	const cJSON *c =
	    cJSON_GetObjectItemCaseSensitive(kserve_ctl_predictor(obj), "canaryTrafficPercent");

	return cJSON_IsNumber(c) ? (long)c->valuedouble : -1;
}

const char *kserve_ctl_annotation(const cJSON *obj, const char *key)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"),
	                                     "annotations"),
	    key);

	return cJSON_IsString(a) ? a->valuestring : "";
}

static void ctl_add_dup(cJSON *to, const char *key, const cJSON *from)
{
	cJSON *d = from ? cJSON_Duplicate(from, 1) : NULL;

	cJSON_AddItemToObject(to, key, d ? d : cJSON_CreateNull());
}

/* What a revision is made from: the predictor without canaryTrafficPercent, the annotations
 * (but kubectl's record of the last apply) and the labels. */
static cJSON *ctl_template(const cJSON *obj)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	cJSON *t = cJSON_CreateObject(), *pred, *ann;

	ctl_add_dup(t, "predictor", kserve_ctl_predictor(obj));
	ctl_add_dup(t, "annotations", cJSON_GetObjectItemCaseSensitive(meta, "annotations"));
	ctl_add_dup(t, "labels", cJSON_GetObjectItemCaseSensitive(meta, "labels"));
	pred = cJSON_GetObjectItemCaseSensitive(t, "predictor");
	ann = cJSON_GetObjectItemCaseSensitive(t, "annotations");
	cJSON_DeleteItemFromObjectCaseSensitive(pred, "canaryTrafficPercent");
	cJSON_DeleteItemFromObjectCaseSensitive(ann, CTL_LAST_APPLIED);
	return t;
}

/* ---- revisions ---- */

/* The storageUri of registry version n of the deployment's model (the registry's source). */
static void ctl_uri(const struct serving_dep *d, int n, char *out, size_t cap)
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
static int ctl_version_of(struct serving_dep *d, const char *uri)
{
	char cand[512], name[16];

	for (int n = 1; uri && n <= CTL_MAX_REGISTRY; n++) {
		ctl_uri(d, n, cand, sizeof(cand));
		if (strcmp(cand, uri) == 0) {
			snprintf(name, sizeof(name), "v%d", n);
			return serving_version_add(d, name);
		}
	}
	return -1;
}

const struct kserve_ctl_rev *kserve_ctl_rev(const struct kserve_isvc *s, int num)
{
	for (int i = s->n_revs - 1; num > 0 && i >= 0; i--)
		if (s->revs[i].num == num)
			return &s->revs[i];
	return NULL;
}

static int ctl_rev_in_use(const struct kserve_isvc *s, int num)
{
	if (num == s->ready || num == s->rolled || num == s->prev_rolled)
		return 1;
	for (int i = 0; i < s->n_traffic; i++)
		if (s->traffic[i].rev == num)
			return 1;
	return 0;
}

static void ctl_add_rev(struct kserve_isvc *s, int version, int64_t now)
{
	struct kserve_ctl_rev *r;

	if (s->n_revs == KSERVE_CTL_MAX_REVS) { /* forget the oldest revision nobody names */
		int i = 0;
		while (i < s->n_revs - 1 && ctl_rev_in_use(s, s->revs[i].num))
			i++;
		memmove(&s->revs[i], &s->revs[i + 1],
		        sizeof(s->revs[0]) * (size_t)(s->n_revs - i - 1));
		s->n_revs--;
	}
	r = &s->revs[s->n_revs++];
	r->num = ++s->next_rev;
	snprintf(r->name, sizeof(r->name), "%s-predictor-%05d", s->dep->name, r->num);
	r->version = version;
	r->created_ms = now;
	r->ready_ms = version >= 0 ? now + ctl_ready_ms : CTL_NEVER;
	r->fail_ms = version >= 0 ? CTL_NEVER : now + ctl_ready_ms;
}

/* A new revision when the template changed since the latest one. */
static void ctl_revise(struct kserve_isvc *s, int64_t t)
{
	cJSON *tmpl = ctl_template(s->obj);

	if (s->tmpl && cJSON_Compare(tmpl, s->tmpl, 1)) {
		cJSON_Delete(tmpl);
		return;
	}
	cJSON_Delete(s->tmpl);
	s->tmpl = tmpl;
	ctl_add_rev(s, ctl_version_of(s->dep, kserve_ctl_storage_uri(s->obj)), t);
}

static int ctl_latest_ready(const struct kserve_isvc *s, int64_t t)
{
	for (int i = s->n_revs - 1; i >= 0; i--)
		if (s->revs[i].ready_ms <= t)
			return s->revs[i].num;
	return 0;
}

static enum kserve_ctl_state ctl_state_at(const struct kserve_isvc *s, int64_t t)
{
	const struct kserve_ctl_rev *last = &s->revs[s->n_revs - 1];

	if (last->num == s->ready)
		return KSERVE_CTL_READY;
	return last->fail_ms <= t ? KSERVE_CTL_FAILED : KSERVE_CTL_IN_PROGRESS;
}

/* ---- reconcile ---- */

static void ctl_entry(struct kserve_isvc *s, int rev, int percent, int latest)
{
	struct kserve_ctl_entry *e = &s->traffic[s->n_traffic++];

	e->rev = rev;
	e->percent = percent;
	e->latest = latest;
}

/* The ksvc's traffic as the reconciler writes it, resolved as the Knative route does: the
 * latest entry goes to the latest ready revision. */
static void ctl_route(struct kserve_isvc *s)
{
	long p = kserve_ctl_canary(s->obj);

	s->n_traffic = 0;
	if (s->raw)
		return;
	if (p >= 0 && s->rolled) {
		ctl_entry(s, s->ready, (int)(p < 100 ? p : 100), 1);
		if (p < 100)
			ctl_entry(s, s->rolled, 100 - (int)p, 0);
	} else {
		ctl_entry(s, s->ready, 100, 1);
	}
}

/* The rolled-out bookkeeping of the status propagation. */
static void ctl_propagate(struct kserve_isvc *s)
{
	int at_ready = 0, created = s->revs[s->n_revs - 1].num;
	const struct kserve_ctl_entry *prev = s->n_traffic > 1 ? &s->traffic[1] : NULL;

	for (int i = 0; i < s->n_traffic; i++)
		at_ready += s->traffic[i].rev == s->ready ? s->traffic[i].percent : 0;
	if (s->raw || !s->ready)
		return;
	if (at_ready == 100 && s->ready != s->rolled) {
		s->prev_rolled = s->rolled;
		s->rolled = s->ready;
	} else if (prev && prev->rev == s->ready && s->ready == s->rolled && created == s->ready &&
	           s->prev_rolled && s->prev_rolled != s->rolled) {
		s->rolled = s->prev_rolled; /* a rollback after a promotion */
	}
}

/* Hands the resolved traffic to the serving world. */
static void ctl_split(struct kserve_isvc *s)
{
	int split[SERVING_MAX_VERSIONS] = {0};
	const struct kserve_ctl_rev *r;

	if (s->raw) {
		r = kserve_ctl_rev(s, s->ready);
		if (r && r->version >= 0)
			split[r->version] = 100;
	}
	for (int i = 0; i < s->n_traffic; i++) {
		r = kserve_ctl_rev(s, s->traffic[i].rev);
		if (r && r->version >= 0)
			split[r->version] += s->traffic[i].percent;
	}
	serving_set_split(s->dep, split);
}

/* The earliest pending event after t: a revision getting ready or failing. */
static int64_t ctl_next_event(const struct kserve_isvc *s, int64_t t)
{
	int64_t next = CTL_NEVER;

	for (int i = 0; i < s->n_revs; i++) {
		const struct kserve_ctl_rev *r = &s->revs[i];
		if (r->ready_ms > t && r->ready_ms < next)
			next = r->ready_ms;
		if (r->fail_ms > t && r->fail_ms < next)
			next = r->fail_ms;
	}
	return next;
}

/* One reconcile at world time t. */
static void ctl_reconcile(struct kserve_isvc *s, int64_t t)
{
	cJSON *before = kserve_status_json(s), *after;
	enum kserve_ctl_state old = s->state;

	ctl_revise(s, t);
	s->ready = ctl_latest_ready(s, t);
	s->observed = s->generation;
	ctl_route(s);
	ctl_propagate(s);
	s->state = ctl_state_at(s, t);
	if (s->state != old)
		s->state_ms = t;
	ctl_split(s);
	after = kserve_status_json(s);
	if (!cJSON_Compare(before, after, 1)) {
		s->rv = ++ctl_rv;
		s->next_ms = t + KSERVE_CTL_RECONCILE_MS;
	} else {
		s->next_ms = ctl_next_event(s, t);
	}
	cJSON_Delete(before);
	cJSON_Delete(after);
}

void kserve_ctl_tick(int64_t now)
{
	int64_t due = CTL_NEVER;

	if (now < ctl_due)
		return;
	for (int i = 0; i < ctl_n; i++) {
		struct kserve_isvc *s = &ctl_tab[i];
		for (int k = 0; k < CTL_MAX_ROUNDS && s->next_ms <= now; k++)
			ctl_reconcile(s, s->next_ms);
		if (s->next_ms < due)
			due = s->next_ms;
	}
	ctl_due = due;
}

void kserve_ctl_store(struct kserve_isvc *s, cJSON *next, int64_t now)
{
	if (!cJSON_Compare(cJSON_GetObjectItemCaseSensitive(s->obj, "spec"),
	                   cJSON_GetObjectItemCaseSensitive(next, "spec"), 1))
		s->generation++;
	if (!cJSON_Compare(s->obj, next, 1))
		s->rv = ++ctl_rv;
	cJSON_Delete(s->obj);
	s->obj = next;
	s->next_ms = now;
	if (now < ctl_due)
		ctl_due = now;
}

/* ---- the table ---- */

int kserve_ctl_count(void)
{
	return ctl_n;
}

struct kserve_isvc *kserve_ctl_at(int i)
{
	return i >= 0 && i < ctl_n ? &ctl_tab[i] : NULL;
}

struct kserve_isvc *kserve_ctl_find(const char *ns, const char *name)
{
	if (strcmp(ns, SERVING_NS) != 0)
		return NULL;
	for (int i = 0; i < ctl_n; i++)
		if (strcmp(ctl_tab[i].dep->name, name) == 0)
			return &ctl_tab[i];
	return NULL;
}

long kserve_ctl_list_rv(void)
{
	return ctl_rv;
}

static void ctl_uid(const struct kserve_isvc *s, char *out, size_t cap)
{
	uint64_t h = rng_hash(0x6b7365727665ULL, (uint64_t)(s - ctl_tab));

	snprintf(out, cap, "%08llx-%04llx-4%03llx-a%03llx-%012llx", (unsigned long long)(h >> 32),
	         (unsigned long long)(h >> 16) & 0xffff, (unsigned long long)h & 0xfff,
	         (unsigned long long)(h >> 52) & 0xfff,
	         (unsigned long long)rng_hash(h, 1) & 0xffffffffffffULL);
}

static cJSON *ctl_initial_meta(const struct kserve_isvc *s, cJSON *o)
{
	cJSON *meta = cJSON_AddObjectToObject(o, "metadata"), *ann, *labels;
	char uid[40];

	ann = cJSON_AddObjectToObject(meta, "annotations");
	if (s->raw)
		cJSON_AddStringToObject(ann, KSERVE_CTL_MODE_ANNOT, KSERVE_CTL_RAW);
	else
		cJSON_AddStringToObject(ann, KSERVE_CTL_TAG_ANNOT, "true");
	cJSON_AddStringToObject(ann, "serving.kserve.io/enable-prometheus-scraping", "true");
	kserve_status_add_time(meta, "creationTimestamp", s->created_ms);
	labels = cJSON_AddObjectToObject(meta, "labels");
	cJSON_AddStringToObject(labels, "app", s->dep->name);
	cJSON_AddStringToObject(labels, "team", "ml-platform");
	cJSON_AddStringToObject(meta, "name", s->dep->name);
	cJSON_AddStringToObject(meta, "namespace", SERVING_NS);
	ctl_uid(s, uid, sizeof(uid));
	cJSON_AddStringToObject(meta, "uid", uid);
	return meta;
}

static cJSON *ctl_initial_obj(const struct kserve_isvc *s, const char *uri)
{
	cJSON *o = cJSON_CreateObject(), *spec, *pred, *model, *fmt;

	cJSON_AddStringToObject(o, "apiVersion", KSERVE_STATUS_API);
	cJSON_AddStringToObject(o, "kind", "InferenceService");
	ctl_initial_meta(s, o);
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

static void ctl_build(struct kserve_isvc *s, struct serving_dep *d, const char *raw_name,
                      int64_t created)
{
	int64_t ready = ctl_ready_ms;
	char uri[512];

	s->dep = d;
	s->raw = raw_name && strcmp(raw_name, d->name) == 0;
	s->created_ms = s->state_ms = created;
	s->generation = 1;
	ctl_uri(d, atoi(d->v[d->stable].name + 1), uri, sizeof(uri));
	s->obj = ctl_initial_obj(s, uri);
	ctl_ready_ms = 0; /* the first revision is ready from the start */
	ctl_reconcile(s, created);
	ctl_ready_ms = ready;
	s->rv = ++ctl_rv;
	s->next_ms = CTL_NEVER;
}

int kserve_ctl_init(int64_t ready_ms, const char *raw_name)
{
	int raw_found = 0;

	int64_t created = sim_now_ms() - 7LL * 86400 * 1000;
	int n = serving_dep_count();

	for (int i = 0; i < ctl_n; i++) {
		cJSON_Delete(ctl_tab[i].obj);
		cJSON_Delete(ctl_tab[i].tmpl);
	}
	memset(ctl_tab, 0, sizeof(ctl_tab[0]) * (size_t)(ctl_n > n ? ctl_n : n));
	ctl_n = 0;
	ctl_ready_ms = ready_ms;
	ctl_due = CTL_NEVER;
	for (int i = 0; i < n; i++) {
		ctl_build(&ctl_tab[ctl_n], serving_dep_at(i), raw_name, created);
		raw_found |= ctl_tab[ctl_n++].raw;
	}
	return raw_name && !raw_found ? -1 : 0;
}
