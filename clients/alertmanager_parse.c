#include "clients/alertmanager_parse.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/http.h"
#include "clients/httperr.h"
#include "clients/json.h"
#include "clients/rfc3339.h"

#define SOURCE "Alertmanager"

/* kvlist_list_new and _free find the arena first */
_Static_assert(offsetof(struct am_alerts, arena) == 0, "arena first");
_Static_assert(offsetof(struct am_silences, arena) == 0, "arena first");
_Static_assert(offsetof(struct am_groups, arena) == 0, "arena first");

struct am_alerts *am_alerts_new(void)
{
	return kvlist_list_new(sizeof(struct am_alerts));
}

void am_alerts_free(struct am_alerts **l)
{
	if (!l || !*l)
		return;
	kvlist_list_free(*l, (*l)->v);
	*l = NULL;
}

struct am_silences *am_silences_new(void)
{
	return kvlist_list_new(sizeof(struct am_silences));
}

void am_silences_free(struct am_silences **l)
{
	if (!l || !*l)
		return;
	kvlist_list_free(*l, (*l)->v);
	*l = NULL;
}

const struct am_silence *am_silences_find(const struct am_silences *l, const char *id)
{
	for (size_t i = 0; l && id && i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

static enum am_state am_state_of(const char *s)
{
	if (!s)
		return AM_STATE_UNKNOWN;
	return strcmp(s, "active") == 0        ? AM_STATE_ACTIVE
	       : strcmp(s, "suppressed") == 0  ? AM_STATE_SUPPRESSED
	       : strcmp(s, "unprocessed") == 0 ? AM_STATE_UNPROCESSED
	                                       : AM_STATE_UNKNOWN;
}

static enum am_silence_state am_silence_state_of(const char *s)
{
	if (!s)
		return AM_SILENCE_UNKNOWN;
	return strcmp(s, "active") == 0    ? AM_SILENCE_ACTIVE
	       : strcmp(s, "pending") == 0 ? AM_SILENCE_PENDING
	       : strcmp(s, "expired") == 0 ? AM_SILENCE_EXPIRED
	                                   : AM_SILENCE_UNKNOWN;
}

/* A string member into the arena, "" when absent or not a string; NULL only out of memory. */
static const char *str_or_empty(struct arena *a, const cJSON *o, const char *key)
{
	const char *s = json_str(o, key);
	return arena_strdup(a, s ? s : "");
}

static int64_t time_of(const cJSON *o, const char *key)
{
	int64_t ms;
	return rfc3339_parse(json_str(o, key), &ms) == 0 ? ms : 0;
}

static int alert_read(struct arena *ar, size_t *skipped, const cJSON *o, struct am_alert *a)
{
	const cJSON *st = json_obj(o, "status");
	if (kvlist_from_json(ar, json_obj(o, "labels"), &a->labels, skipped) ||
	    kvlist_from_json(ar, json_obj(o, "annotations"), &a->annotations, skipped) ||
	    strlist_from_json(ar, json_arr(st, "silencedBy"), &a->silenced_by, skipped) ||
	    strlist_from_json(ar, json_arr(st, "inhibitedBy"), &a->inhibited_by, skipped))
		return -1;
	a->starts_ms = time_of(o, "startsAt");
	a->ends_ms = time_of(o, "endsAt");
	a->updated_ms = time_of(o, "updatedAt");
	a->state = am_state_of(json_str(st, "state"));
	a->state_text = str_or_empty(ar, st, "state");
	a->fingerprint = str_or_empty(ar, o, "fingerprint");
	a->generator_url = str_or_empty(ar, o, "generatorURL");
	return a->state_text && a->fingerprint && a->generator_url ? 0 : -1;
}

/* The top-level array of a list body; NULL with e filled otherwise. */
static cJSON *parse_array(const char *body, size_t len, const char *what, struct err *e)
{
	cJSON *root = json_parse_any(body, len, what, e);
	if (root && !cJSON_IsArray(root)) {
		cJSON_Delete(root);
		err_set(e, ERR_PARSE, "%s: expected a JSON array", what);
		return NULL;
	}
	return root;
}

static int alerts_item(void *ctx, const cJSON *o, void *slot)
{
	struct am_alerts *l = ctx;
	return alert_read(l->arena, &l->skipped, o, slot);
}

/* Reads the objects of a list body (an array) with read into the list's array. */
static int list_read(const char *body, size_t len, const char *what, void **v, size_t *n,
                     size_t *skipped, size_t size, kvlist_read_fn read, void *ctx, struct err *e)
{
	cJSON *root = parse_array(body, len, what, e);
	if (!root)
		return ERR_PARSE;
	int rc = kvlist_objects(v, n, skipped, size, root->child, json_count(root), read, ctx);
	cJSON_Delete(root);
	return rc ? err_set(e, ERR_NOMEM, "%s: out of memory", what) : 0;
}

int alertmanager_parse_alerts(const char *body, size_t len, struct am_alerts *out, struct err *e)
{
	void *v = out->v;
	int rc = list_read(body, len, SOURCE " alerts", &v, &out->n, &out->skipped, sizeof *out->v,
	                   alerts_item, out, e);
	out->v = v;
	return rc;
}

struct am_groups *am_groups_new(void)
{
	return kvlist_list_new(sizeof(struct am_groups));
}

void am_groups_free(struct am_groups **l)
{
	if (!l || !*l)
		return;
	kvlist_list_free(*l, (*l)->v);
	*l = NULL;
}

static int group_alert(void *ctx, const cJSON *o, void *slot)
{
	struct am_groups *l = ctx;
	return alert_read(l->arena, &l->skipped, o, slot);
}

/* One group: its labels, receiver and alerts (in the arena). */
static int group_read(struct am_groups *l, const cJSON *o, struct am_group *g)
{
	const char *receiver = json_str(json_obj(o, "receiver"), "name");
	void *alerts = NULL;
	g->receiver = arena_strdup(l->arena, receiver ? receiver : "");
	if (!g->receiver ||
	    kvlist_from_json(l->arena, json_obj(o, "labels"), &g->labels, &l->skipped) ||
	    kvlist_objects_in(l->arena, &alerts, &g->nalerts, &l->skipped, sizeof *g->alerts,
	                      json_arr(o, "alerts"), group_alert, l))
		return -1;
	g->alerts = alerts;
	return 0;
}

static int groups_item(void *ctx, const cJSON *o, void *slot)
{
	return group_read(ctx, o, slot);
}

int alertmanager_parse_groups(const char *body, size_t len, struct am_groups *out, struct err *e)
{
	void *v = out->v;
	int rc = list_read(body, len, SOURCE " alert groups", &v, &out->n, &out->skipped,
	                   sizeof *out->v, groups_item, out, e);
	out->v = v;
	return rc;
}

static int matcher_item(void *ctx, const cJSON *it, void *slot)
{
	struct am_silences *l = ctx;
	struct am_matcher *m = slot;
	m->name = str_or_empty(l->arena, it, "name");
	m->value = str_or_empty(l->arena, it, "value");
	m->is_regex = json_bool(it, "isRegex", 0);
	m->is_equal = json_bool(it, "isEqual", 1);
	return m->name && m->value ? 0 : -1;
}

static int matchers_read(struct am_silences *l, const cJSON *arr, struct am_silence *s)
{
	void *m = NULL;
	int rc = kvlist_objects_in(l->arena, &m, &s->nmatchers, &l->skipped, sizeof *s->matchers,
	                           arr, matcher_item, l);
	s->matchers = m;
	return rc;
}

static int silence_read(struct am_silences *l, const cJSON *o, struct am_silence *s)
{
	struct arena *a = l->arena;
	const cJSON *st = json_obj(o, "status");
	s->id = str_or_empty(a, o, "id");
	s->state = am_silence_state_of(json_str(st, "state"));
	s->state_text = str_or_empty(a, st, "state");
	s->starts_ms = time_of(o, "startsAt");
	s->ends_ms = time_of(o, "endsAt");
	s->updated_ms = time_of(o, "updatedAt");
	s->created_by = str_or_empty(a, o, "createdBy");
	s->comment = str_or_empty(a, o, "comment");
	if (!s->id || !s->state_text || !s->created_by || !s->comment)
		return -1;
	return matchers_read(l, json_arr(o, "matchers"), s);
}

static int silences_item(void *ctx, const cJSON *o, void *slot)
{
	return silence_read(ctx, o, slot);
}

/* Appends the silence objects of items (one object, or an array of them). */
static int silences_add(struct am_silences *out, const cJSON *items, size_t n, struct err *e)
{
	void *v = out->v;
	int rc = kvlist_objects(&v, &out->n, &out->skipped, sizeof *out->v, items, n, silences_item,
	                        out);
	out->v = v;
	return rc ? err_set(e, ERR_NOMEM, SOURCE " silences: out of memory") : 0;
}

int alertmanager_parse_silences(const char *body, size_t len, struct am_silences *out,
                                struct err *e)
{
	int rc;
	cJSON *root = json_parse_any(body, len, SOURCE " silences", e);
	if (!root)
		return ERR_PARSE;
	if (cJSON_IsArray(root))
		rc = silences_add(out, root->child, json_count(root), e);
	else if (cJSON_IsObject(root))
		rc = silences_add(out, root, 1, e);
	else
		rc = err_set(e, ERR_PARSE, SOURCE " silences: expected a JSON array or object");
	cJSON_Delete(root);
	return rc;
}

int alertmanager_parse_silence_id(const char *body, size_t len, char *id, size_t size,
                                  struct err *e)
{
	cJSON *root = json_parse_object(body, len, SOURCE " silence", e);
	if (size)
		id[0] = '\0';
	if (!root)
		return ERR_PARSE;
	const char *s = json_str(root, "silenceID");
	int rc = s && *s ? 0 : err_set(e, ERR_PARSE, SOURCE " silence: no silenceID in the answer");
	if (s && size) {
		size_t n = strlen(s) < size - 1 ? strlen(s) : size - 1;
		memcpy(id, s, n);
		id[n] = '\0';
	}
	cJSON_Delete(root);
	return rc;
}

int alertmanager_error(struct err *e, const struct http_resp *r)
{
	size_t i = 0;
	while (r->body && i < r->len && isspace((unsigned char)r->body[i]))
		i++;
	if (r->status == 0 || r->too_big || !r->body || i == r->len || r->body[i] != '"')
		return httperr_set(e, SOURCE, r);
	/* a handler error: a bare JSON string; its text is the message */
	cJSON *s = json_parse_any(r->body, r->len, SOURCE " error", NULL);
	struct http_resp plain = *r;
	if (cJSON_IsString(s)) {
		plain.body = s->valuestring;
		plain.len = strlen(s->valuestring);
		snprintf(plain.content_type, sizeof plain.content_type, "text/plain");
	}
	int rc = httperr_set(e, SOURCE, &plain);
	cJSON_Delete(s);
	return rc;
}
