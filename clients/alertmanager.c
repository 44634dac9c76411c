#include "clients/alertmanager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/http.h"
#include "clients/json.h"
#include "clients/rfc3339.h"

#define API "/api/v2/"

struct alertmanager {
	struct opcall_base b;
	int readonly;
};

/* One call in flight: what to decode and whom to tell. */
struct am_call {
	struct alertmanager *a;
	int kind;
	alertmanager_event_fn fn;
	void *ud;
};

struct alertmanager *alertmanager_new(struct http *http, const struct alertmanager_config *cfg,
                                      struct err *e)
{
	if (!cfg) {
		err_set(e, ERR_CONFIG, "Alertmanager: no configuration");
		return NULL;
	}
	struct alertmanager *a = calloc(1, sizeof *a);
	if (!a) {
		err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
		return NULL;
	}
	struct opcall_settings io = {cfg->auth,     cfg->now_ms, cfg->timeout_ms,
	                             cfg->max_body, cfg->put,    cfg->put_ud};
	if (opcall_base_init(&a->b, http, cfg->base_url, "Alertmanager", &io, alertmanager_error,
	                     e) < 0) {
		free(a);
		return NULL;
	}
	a->readonly = cfg->readonly;
	return a;
}

void alertmanager_free(struct alertmanager **a)
{
	if (!a || !*a)
		return;
	opcall_base_fini(&(*a)->b);
	free(*a);
	*a = NULL;
}

void alertmanager_cancel(struct alertmanager *a, long op)
{
	if (a)
		opcall_cancel(&a->b, op);
}

int alertmanager_busy(const struct alertmanager *a)
{
	return a ? opcall_busy(&a->b) : 0;
}

/* ---- requests ---- */

/* Appends "&name=<escaped value>" (or "?…" first) to *q; -1 out of memory. */
static int query_add(char **q, const char *name, const char *value)
{
	char *esc = http_escape(value);
	size_t have = *q ? strlen(*q) : 0;
	size_t n = have + strlen(name) + (esc ? strlen(esc) : 0) + 3;
	char *grown = esc ? realloc(*q, n) : NULL;
	if (grown) {
		snprintf(grown + have, n - have, "%c%s=%s", have && strchr(grown, '?') ? '&' : '?',
		         name, esc);
		*q = grown;
	}
	free(esc);
	return grown ? 0 : -1;
}

static int flag_add(char **q, const char *name, int flag)
{
	if (flag == AM_FLAG_DEFAULT)
		return 0;
	return query_add(q, name, flag == AM_FLAG_TRUE ? "true" : "false");
}

/* path followed by one filter parameter per matcher. */
static char *filtered(const char *path, const char *const *filters, size_t n)
{
	char *q = strdup(path);
	for (size_t i = 0; q && i < n; i++) {
		if (filters[i] && query_add(&q, "filter", filters[i]) < 0) {
			free(q);
			return NULL;
		}
	}
	return q;
}

/* path and the query of an alerts request. */
static char *alerts_query(const char *path, const struct am_alerts_query *q)
{
	static const struct am_alerts_query none;
	if (!q)
		q = &none;
	char *s = filtered(path, q->filters, q->nfilters);
	if (s && (flag_add(&s, "active", q->active) || flag_add(&s, "silenced", q->silenced) ||
	          flag_add(&s, "inhibited", q->inhibited) ||
	          (q->receiver && query_add(&s, "receiver", q->receiver)))) {
		free(s);
		s = NULL;
	}
	return s;
}

char *alertmanager_alerts_key(const struct am_alerts_query *q)
{
	return alerts_query(API "alerts", q);
}

char *alertmanager_groups_key(const struct am_alerts_query *q)
{
	return alerts_query(API "alerts/groups", q);
}

static int add_time(cJSON *o, const char *key, int64_t ms)
{
	char t[RFC3339_MAX];
	return *rfc3339_format(ms, t, sizeof t) && cJSON_AddStringToObject(o, key, t) ? 0 : -1;
}

static int add_matchers(cJSON *o, const struct am_silence_new *s)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "matchers");
	for (size_t i = 0; arr && i < s->nmatchers; i++) {
		const struct am_matcher *m = &s->matchers[i];
		cJSON *j = cJSON_CreateObject();
		if (!j || !cJSON_AddItemToArray(arr, j) ||
		    !cJSON_AddStringToObject(j, "name", m->name) ||
		    !cJSON_AddStringToObject(j, "value", m->value ? m->value : "") ||
		    !cJSON_AddBoolToObject(j, "isRegex", m->is_regex) ||
		    !cJSON_AddBoolToObject(j, "isEqual", m->is_equal))
			return -1;
	}
	return arr ? 0 : -1;
}

static int silence_check(const struct am_silence_new *s, struct err *e)
{
	if (!s || !s->matchers || !s->nmatchers)
		return err_set(e, ERR_CONFIG, "Alertmanager: a silence needs at least one matcher");
	for (size_t i = 0; i < s->nmatchers; i++)
		if (!s->matchers[i].name || !*s->matchers[i].name)
			return err_set(e, ERR_CONFIG,
			               "Alertmanager: a matcher without a label name");
	if (s->ends_ms <= s->starts_ms)
		return err_set(e, ERR_CONFIG, "Alertmanager: a silence must end after it starts");
	if (!s->created_by || !*s->created_by || !s->comment || !*s->comment)
		return err_set(e, ERR_CONFIG,
		               "Alertmanager: a silence needs a creator and a comment");
	return 0;
}

char *alertmanager_silence_body(const struct am_silence_new *s, struct err *e)
{
	if (silence_check(s, e) < 0)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	char *body = NULL;
	if (o && add_matchers(o, s) == 0 && add_time(o, "startsAt", s->starts_ms) == 0 &&
	    add_time(o, "endsAt", s->ends_ms) == 0 &&
	    cJSON_AddStringToObject(o, "createdBy", s->created_by) &&
	    cJSON_AddStringToObject(o, "comment", s->comment) &&
	    (!s->id || cJSON_AddStringToObject(o, "id", s->id)))
		body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!body)
		err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
	return body;
}

size_t alertmanager_matchers_from_labels(const struct kvlist *l, struct am_matcher *m, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; l && i < l->n && n < max; i++)
		m[n++] = (struct am_matcher){l->v[i].name, l->v[i].value, 0, 1};
	return n;
}

/* ---- answers ---- */

static int decode(struct am_call *c, struct alertmanager_event *ev, const struct http_resp *r,
                  struct err *e)
{
	switch (c->kind) {
	case ALERTMANAGER_ALERTS:
		if (!(ev->alerts = am_alerts_new()))
			return err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
		return alertmanager_parse_alerts(r->body, r->len, ev->alerts, e);
	case ALERTMANAGER_GROUPS:
		if (!(ev->groups = am_groups_new()))
			return err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
		return alertmanager_parse_groups(r->body, r->len, ev->groups, e);
	case ALERTMANAGER_SILENCES:
		if (!(ev->silences = am_silences_new()))
			return err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
		return alertmanager_parse_silences(r->body, r->len, ev->silences, e);
	case ALERTMANAGER_SILENCE_CREATE:
		return alertmanager_parse_silence_id(r->body, r->len, ev->silence_id,
		                                     sizeof ev->silence_id, e);
	default: /* expire: 200 with an empty body */
		return 0;
	}
}

static void event_fini(struct alertmanager_event *ev)
{
	am_alerts_free(&ev->alerts);
	am_groups_free(&ev->groups);
	am_silences_free(&ev->silences);
}

static int on_done(void *ud, struct opcall_result *r)
{
	struct am_call *c = ud;
	struct alertmanager_event ev = {
	    .op = r->id,
	    .kind = c->kind,
	    .http_status = r->resp->status,
	    .latency_ms = r->resp->elapsed_ms,
	};
	ev.rc = r->ok ? decode(c, &ev, r->resp, r->err) : r->err->code ? r->err->code : ERR_HTTP;
	if (ev.rc < 0) {
		event_fini(&ev);
		ev.err = r->err;
	}
	int rc = ev.rc;
	c->fn(c->ud, &ev);
	event_fini(&ev);
	free(c);
	return rc;
}

static long call(struct alertmanager *a, int kind, struct opcall_req *req, alertmanager_event_fn fn,
                 void *ud, struct err *e)
{
	if (!a || !fn)
		return err_set(e, ERR_ARG, "Alertmanager: no client or no callback");
	struct am_call *c = malloc(sizeof *c);
	if (!c)
		return err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
	*c = (struct am_call){a, kind, fn, ud};
	req->drop = free;
	long id = opcall_start(&a->b, req, on_done, c, e);
	if (id < 0)
		free(c);
	return id;
}

/* A GET of path (malloc'd, taken) filed under itself. */
static long get(struct alertmanager *a, int kind, char *path, alertmanager_event_fn fn, void *ud,
                struct err *e)
{
	if (!path)
		return err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
	struct opcall_req req = {.path = path, .key = path};
	long id = call(a, kind, &req, fn, ud, e);
	free(path);
	return id;
}

long alertmanager_alerts(struct alertmanager *a, const struct am_alerts_query *q,
                         alertmanager_event_fn fn, void *ud, struct err *e)
{
	return get(a, ALERTMANAGER_ALERTS, alertmanager_alerts_key(q), fn, ud, e);
}

long alertmanager_groups(struct alertmanager *a, const struct am_alerts_query *q,
                         alertmanager_event_fn fn, void *ud, struct err *e)
{
	return get(a, ALERTMANAGER_GROUPS, alertmanager_groups_key(q), fn, ud, e);
}

long alertmanager_silences(struct alertmanager *a, const char *const *filters, size_t nfilters,
                           alertmanager_event_fn fn, void *ud, struct err *e)
{
	return get(a, ALERTMANAGER_SILENCES, filtered(ALERTMANAGER_SILENCES_KEY, filters, nfilters),
	           fn, ud, e);
}

static int writable(const struct alertmanager *a, struct err *e)
{
	return a && a->readonly
	           ? err_set(e, ERR_STATE,
	                     "Alertmanager: read-only context: silences are not changed")
	           : 0;
}

long alertmanager_silence_create(struct alertmanager *a, const struct am_silence_new *s,
                                 alertmanager_event_fn fn, void *ud, struct err *e)
{
	if (writable(a, e) < 0)
		return ERR_STATE;
	char *body = alertmanager_silence_body(s, e);
	if (!body)
		return e ? e->code : ERR_CONFIG;
	struct opcall_req req = {.method = "POST", .path = API "silences", .body = body};
	long id = call(a, ALERTMANAGER_SILENCE_CREATE, &req, fn, ud, e);
	free(body);
	return id;
}

long alertmanager_silence_expire(struct alertmanager *a, const char *id, alertmanager_event_fn fn,
                                 void *ud, struct err *e)
{
	if (writable(a, e) < 0)
		return ERR_STATE;
	if (!id || !*id)
		return err_set(e, ERR_CONFIG, "Alertmanager: no silence id");
	char *esc = http_escape(id);
	size_t n = esc ? strlen(esc) + sizeof API "silence/" : 0;
	char *path = esc ? malloc(n) : NULL;
	long rc = ERR_NOMEM;
	if (path) {
		snprintf(path, n, API "silence/%s", esc);
		struct opcall_req req = {.method = "DELETE", .path = path};
		rc = call(a, ALERTMANAGER_SILENCE_EXPIRE, &req, fn, ud, e);
	} else {
		err_set(e, ERR_NOMEM, "Alertmanager: out of memory");
	}
	free(esc);
	free(path);
	return rc;
}
