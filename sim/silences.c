/* silences.c: Alertmanager v2 silences. */
#include "sim/silences.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/matcher.h"
#include "sim/ops.h"

#define SILENCES_MAX      256
#define SILENCE_MATCHERS  16
#define SILENCE_RETAIN_MS (120LL * 3600 * 1000) /* --data.retention */
#define SILENCES_PATH     "/api/v2/silences"
#define SILENCE_PATH      "/api/v2/silence/"

enum silence_state { SILENCE_ACTIVE, SILENCE_PENDING, SILENCE_EXPIRED };
static const char *const silence_state_names[] = {"active", "pending", "expired"};

struct silence {
	int used;
	char id[37];
	struct matcher m[SILENCE_MATCHERS];
	int n;
	int64_t starts, ends, updated;
	char *created_by, *comment;
};

static struct silence silences_tab[SILENCES_MAX];

static void silence_clear(struct silence *s)
{
	for (int i = 0; i < s->n; i++)
		matcher_fini(&s->m[i]);
	free(s->created_by);
	free(s->comment);
	memset(s, 0, sizeof(*s));
}

void silences_init(void)
{
	for (int i = 0; i < SILENCES_MAX; i++)
		silence_clear(&silences_tab[i]);
}

static enum silence_state silence_state(const struct silence *s, int64_t now)
{
	if (now < s->starts)
		return SILENCE_PENDING;
	return now < s->ends ? SILENCE_ACTIVE : SILENCE_EXPIRED;
}

static void silences_prune(int64_t now)
{
	for (int i = 0; i < SILENCES_MAX; i++)
		if (silences_tab[i].used && silences_tab[i].ends < now - SILENCE_RETAIN_MS)
			silence_clear(&silences_tab[i]);
}

static struct silence *silences_find(const char *id)
{
	for (int i = 0; i < SILENCES_MAX; i++)
		if (silences_tab[i].used && strcmp(silences_tab[i].id, id) == 0)
			return &silences_tab[i];
	return NULL;
}

void silences_matching(const void *labels, int64_t now_ms, void (*fn)(void *, const char *),
                       void *ud)
{
	for (int i = 0; i < SILENCES_MAX; i++) {
		const struct silence *s = &silences_tab[i];
		int all = s->used && silence_state(s, now_ms) == SILENCE_ACTIVE;
		for (int k = 0; all && k < s->n; k++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(labels, s->m[k].name);
			all = matcher_matches(&s->m[k], cJSON_IsString(v) ? v->valuestring : "");
		}
		if (all)
			fn(ud, s->id);
	}
}

static int silences_is_uuid(const char *s)
{
	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static void silences_new_id(char *out)
{
	unsigned char b[16];

	rng_bytes(ops_rng(), b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

/* ---- JSON out ---- */

static cJSON *silence_json(const struct silence *s, int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *st, *ms;

	cJSON_AddStringToObject(o, "id", s->id);
	st = cJSON_AddObjectToObject(o, "status");
	cJSON_AddStringToObject(st, "state", silence_state_names[silence_state(s, now)]);
	ops_json_time(o, "updatedAt", s->updated);
	cJSON_AddStringToObject(o, "comment", s->comment);
	cJSON_AddStringToObject(o, "createdBy", s->created_by);
	ops_json_time(o, "endsAt", s->ends);
	ms = cJSON_AddArrayToObject(o, "matchers");
	for (int i = 0; i < s->n; i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddBoolToObject(m, "isEqual", s->m[i].is_equal);
		cJSON_AddBoolToObject(m, "isRegex", s->m[i].is_regex);
		cJSON_AddStringToObject(m, "name", s->m[i].name);
		cJSON_AddStringToObject(m, "value", s->m[i].value);
		cJSON_AddItemToArray(ms, m);
	}
	ops_json_time(o, "startsAt", s->starts);
	return o;
}

/* ---- errors (bare JSON strings, or {"code","message"} objects) ---- */

static void silences_err_string(struct sim_resp *resp, int status, const char *msg)
{
	sim_resp_json(resp, status, cJSON_CreateString(msg));
}

/* ---- GET /api/v2/silences ---- */

/* The filter matches a silence's own matchers exactly (name, operator and value). */
static int silences_filter_keeps(const struct matcher_list *f, const struct silence *s)
{
	for (int i = 0; i < f->n; i++) {
		int found = 0;
		for (int k = 0; k < s->n && !found; k++)
			found = matcher_same(&f->m[i], &s->m[k]);
		if (!found)
			return 0;
	}
	return 1;
}

static int64_t silences_now;

/* active (soonest end first), pending (soonest start first), expired (latest end first) */
static int silences_cmp(const void *a, const void *b)
{
	const struct silence *x = *(const struct silence *const *)a;
	const struct silence *y = *(const struct silence *const *)b;
	enum silence_state sx = silence_state(x, silences_now), sy = silence_state(y, silences_now);
	int64_t kx, ky;

	if (sx != sy)
		return (int)sx - (int)sy;
	kx = sx == SILENCE_PENDING ? x->starts : x->ends;
	ky = sy == SILENCE_PENDING ? y->starts : y->ends;
	if (kx == ky)
		return strcmp(x->id, y->id);
	return (kx < ky) == (sx != SILENCE_EXPIRED) ? -1 : 1;
}

static void silences_list(const struct sim_req *req, struct sim_resp *resp, int64_t now)
{
	struct matcher_list f;
	const struct silence *sorted[SILENCES_MAX];
	size_t n = 0;
	cJSON *arr;

	if (matcher_list_from_query(&f, req) < 0) {
		silences_err_string(resp, 400, f.bad);
		goto out;
	}
	for (int i = 0; i < SILENCES_MAX; i++)
		if (silences_tab[i].used && silences_filter_keeps(&f, &silences_tab[i]))
			sorted[n++] = &silences_tab[i];
	silences_now = now;
	qsort(sorted, n, sizeof(sorted[0]), silences_cmp);
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, silence_json(sorted[i], now));
	sim_resp_json(resp, 200, arr);
out:
	matcher_list_fini(&f);
}

/* ---- POST /api/v2/silences ---- */

struct silence_post {
	const char *id, *comment, *created_by;
	int64_t starts, ends;
	struct matcher m[SILENCE_MATCHERS];
	int n;
};

/* Swagger's required-field check: the first missing field, as go-openapi serves it. */
static const char *silences_missing(const cJSON *o, char *buf, size_t cap)
{
	static const char *const top[] = {"comment", "createdBy", "endsAt", "matchers"};
	static const char *const sub[] = {"isRegex", "name", "value"};
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(o, "matchers"), *m;
	int i = 0;

	for (size_t k = 0; k < sizeof(top) / sizeof(top[0]); k++)
		if (!cJSON_GetObjectItemCaseSensitive(o, top[k]))
			return top[k];
	cJSON_ArrayForEach(m, ms)
	{
		for (size_t k = 0; k < sizeof(sub) / sizeof(sub[0]); k++)
			if (!cJSON_GetObjectItemCaseSensitive(m, sub[k])) {
				snprintf(buf, cap, "matchers.%d.%s", i, sub[k]);
				return buf;
			}
		i++;
	}
	return cJSON_GetObjectItemCaseSensitive(o, "startsAt") ? NULL : "startsAt";
}

/* Type checks, as Go's decoder does them before validation; NULL or a message. */
static const char *silences_types(const cJSON *o)
{
	static const char *const strs[] = {"id", "comment", "createdBy", "startsAt", "endsAt"};
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(o, "matchers"), *m;

	if (!cJSON_IsObject(o))
		return "json: cannot unmarshal value into Go value of type models.PostableSilence";
	for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, strs[k]);
		if (v && !cJSON_IsString(v) && !cJSON_IsNull(v))
			return "json: cannot unmarshal value into a string field of "
			       "models.PostableSilence";
	}
	if (ms && !cJSON_IsArray(ms))
		return "json: cannot unmarshal value into Go struct field of type models.Matchers";
	cJSON_ArrayForEach(m, ms)
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "value");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(m, "isRegex");
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(m, "isEqual");
		if (!cJSON_IsObject(m) || (n && !cJSON_IsString(n)) || (v && !cJSON_IsString(v)) ||
		    (r && !cJSON_IsBool(r)) || (e && !cJSON_IsBool(e)))
			return "json: cannot unmarshal value into Go struct field of type "
			       "models.Matcher";
	}
	return NULL;
}

static int silences_can_update(const struct silence *old, const struct silence_post *p, int64_t now)
{
	if (old->n != p->n)
		return 0;
	for (int i = 0; i < p->n; i++)
		if (!matcher_same(&old->m[i], &p->m[i]))
			return 0;
	switch (silence_state(old, now)) {
	case SILENCE_ACTIVE:
		return p->starts == old->starts && p->ends >= now;
	case SILENCE_PENDING:
		return p->starts >= now;
	default:
		return 0;
	}
}

static void silence_expire(struct silence *s, int64_t now)
{
	enum silence_state st = silence_state(s, now);

	if (st == SILENCE_EXPIRED)
		return;
	if (st == SILENCE_PENDING)
		s->starts = now;
	s->ends = now;
	s->updated = now;
}

/* Moves p's matchers and texts into s. */
static void silence_fill(struct silence *s, struct silence_post *p, int64_t now)
{
	for (int i = 0; i < s->n; i++)
		matcher_fini(&s->m[i]);
	memcpy(s->m, p->m, sizeof(p->m));
	s->n = p->n;
	p->n = 0;
	free(s->comment);
	free(s->created_by);
	s->comment = strdup(p->comment);
	s->created_by = strdup(p->created_by);
	if (!s->comment || !s->created_by)
		abort();
	s->starts = p->starts;
	s->ends = p->ends;
	s->updated = now;
	s->used = 1;
}

/* Stores p (new or updated); the silence's id, or NULL (msg says why, status in *status). */
static const char *silences_store(struct silence_post *p, int64_t now, int *status)
{
	struct silence *old = NULL, *s = NULL;

	if (p->id && *p->id) {
		old = silences_find(p->id);
		if (!old) {
			*status = 404;
			return NULL;
		}
		if (silences_can_update(old, p, now)) {
			silence_fill(old, p, now);
			return old->id;
		}
		silence_expire(old, now);
	}
	for (int i = 0; i < SILENCES_MAX && !s; i++)
		if (!silences_tab[i].used)
			s = &silences_tab[i];
	if (!s) {
		*status = 500;
		return NULL;
	}
	silences_new_id(s->id);
	if (p->starts < now)
		p->starts = now;
	silence_fill(s, p, now);
	return s->id;
}

/* Builds p's matchers; NULL or the reason they are refused. */
static const char *silences_build_matchers(const cJSON *ms, struct silence_post *p, char *msg,
                                           size_t cap)
{
	const cJSON *m;
	int empty_ok = 1;

	cJSON_ArrayForEach(m, ms)
	{
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(m, "isEqual");
		if (p->n == SILENCE_MATCHERS) {
			snprintf(msg, cap, "silence invalid: too many matchers");
			return msg;
		}
		if (matcher_set(&p->m[p->n],
		                cJSON_GetObjectItemCaseSensitive(m, "name")->valuestring,
		                cJSON_GetObjectItemCaseSensitive(m, "value")->valuestring,
		                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "isRegex")),
		                !cJSON_IsFalse(e)) < 0) {
			snprintf(msg, cap, "silence invalid: invalid label matcher %d", p->n);
			return msg;
		}
		empty_ok = empty_ok && matcher_matches(&p->m[p->n], "");
		p->n++;
	}
	if (empty_ok) {
		snprintf(msg, cap,
		         "silence invalid: at least one matcher must not match the empty string");
		return msg;
	}
	return NULL;
}

static const char *silences_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Validates the decoded body in Alertmanager's order; 0, or the status of the error written. */
static int silences_check(const cJSON *o, struct silence_post *p, int64_t now,
                          struct sim_resp *resp)
{
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(o, "matchers");
	char msg[400], field[64];
	const char *why;

	if ((why = silences_missing(o, field, sizeof(field)))) {
		snprintf(msg, sizeof(msg), "%s in body is required", why);
		ops_resp_am_error(resp, 422, 602, msg);
		return 422;
	}
	if (cJSON_GetArraySize(ms) == 0) {
		ops_resp_am_error(resp, 422, 612, "matchers in body should have at least 1 items");
		return 422;
	}
	p->id = silences_str(o, "id");
	p->comment = silences_str(o, "comment");
	p->created_by = silences_str(o, "createdBy");
	if (ops_time_parse(silences_str(o, "startsAt"), &p->starts) < 0 ||
	    ops_time_parse(silences_str(o, "endsAt"), &p->ends) < 0) {
		ops_resp_am_error(resp, 400, 400,
		                  "parsing silence body from \"\" failed, because parsing time: "
		                  "want RFC3339 like 2006-01-02T15:04:05Z07:00");
		return 400;
	}
	if (p->starts >= p->ends) {
		silences_err_string(resp, 400,
		                    "Failed to create silence: start time must be before end time");
		return 400;
	}
	if (p->ends < now) {
		silences_err_string(resp, 400,
		                    "Failed to create silence: end time can't be in the past");
		return 400;
	}
	if ((why = silences_build_matchers(ms, p, msg, sizeof(msg)))) {
		silences_err_string(resp, 400, why);
		return 400;
	}
	return 0;
}

static void silences_post(const struct sim_req *req, struct sim_resp *resp, int64_t now)
{
	cJSON *o = req->body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
	struct silence_post p;
	const char *why, *id;
	char msg[400];
	int status = 0;

	memset(&p, 0, sizeof(p));
	why = o ? silences_types(o) : "unexpected end of JSON input or invalid character";
	if (why) {
		snprintf(msg, sizeof(msg), "parsing silence body from \"\" failed, because %s",
		         why);
		ops_resp_am_error(resp, 400, 400, msg);
		goto out;
	}
	if (silences_check(o, &p, now, resp) != 0)
		goto out;
	id = silences_store(&p, now, &status);
	if (!id) {
		silences_err_string(resp, status,
		                    status == 404 ? "silence not found" : "too many silences");
	} else {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "silenceID", id);
		sim_resp_json(resp, 200, r);
	}
out:
	for (int i = 0; i < p.n; i++)
		matcher_fini(&p.m[i]);
	cJSON_Delete(o);
}

/* ---- /api/v2/silence/{id} ---- */

static void silences_one(const struct sim_req *req, const char *id, struct sim_resp *resp,
                         int64_t now)
{
	struct silence *s;
	char msg[200];

	if (!silences_is_uuid(id)) {
		snprintf(msg, sizeof(msg), "silenceID in path must be of type uuid: \"%.100s\"",
		         id);
		ops_resp_am_error(resp, 422, 601, msg);
		return;
	}
	s = silences_find(id);
	if (strcmp(req->method, "GET") == 0) {
		if (s)
			sim_resp_json(resp, 200, silence_json(s, now));
		else
			ops_resp_empty(resp, 404);
	} else if (!s) {
		silences_err_string(resp, 500, "silence not found");
	} else {
		silence_expire(s, now);
		ops_resp_empty(resp, 200);
	}
}

int silences_route(const struct sim_req *req, struct sim_resp *resp)
{
	int64_t now = sim_now_ms();
	const char *m = req->method;

	silences_prune(now);
	if (strcmp(req->path, SILENCES_PATH) == 0) {
		if (strcmp(m, "GET") == 0)
			silences_list(req, resp, now);
		else if (strcmp(m, "POST") == 0)
			silences_post(req, resp, now);
		else
			ops_resp_empty(resp, 405);
		return 1;
	}
	if (strncmp(req->path, SILENCE_PATH, strlen(SILENCE_PATH)) == 0) {
		if (strcmp(m, "GET") == 0 || strcmp(m, "DELETE") == 0)
			silences_one(req, req->path + strlen(SILENCE_PATH), resp, now);
		else
			ops_resp_empty(resp, 405);
		return 1;
	}
	return 0;
}
