#include "clients/mlflow_op.h"

#include "clients/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/httperr.h"
#include "clients/json.h"
#include "clients/mlflow_parse_registry.h"
#include "clients/mlflow_req.h"
#include "clients/mlflow_types.h"

#define EMPTY_PAGES_MAX 3 /* pages in a row with nothing in them but a next token */

struct op *op_new(struct mlflow *m, const struct op_class *cls, mlflow_event_fn fn, void *ud)
{
	struct op *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->m = m;
	o->cls = cls;
	o->fn = fn;
	o->ud = ud;
	o->id = ++m->next_id;
	o->parallel = 1;
	o->res.op = o->id;
	o->res.kind = cls->kind;
	o->next = m->ops;
	m->ops = o;
	return o;
}

static void results_free(struct mlflow_event *ev)
{
	mlflow_experiments_free(&ev->experiments);
	mlflow_history_free(&ev->history);
	mlflow_models_free(&ev->models);
	mlflow_versions_free(&ev->versions);
	mlflow_artifacts_free(&ev->artifacts);
	mlflow_eval_table_free(&ev->eval);
	ev->runs = NULL; /* the caller's */
}

void op_destroy(struct op *o)
{
	for (struct op **p = &o->m->ops; *p; p = &(*p)->next) {
		if (*p == o) {
			*p = o->next;
			break;
		}
	}
	for (int i = 0; i < OP_PARALLEL; i++)
		if (o->slots[i].http_id > 0)
			http_cancel(o->m->http, o->slots[i].http_id);
	results_free(&o->res);
	for (size_t i = 0; i < o->nnames; i++)
		free(o->names[i]);
	free(o->names);
	free(o->seen);
	free(o->token);
	free(o->key);
	free(o->query);
	free(o->metric_key);
	free(o->body);
	free(o);
}

static int64_t now_ms(const struct mlflow *m)
{
	if (m->now_ms)
		return m->now_ms();
	return clock_wall_ms();
}

void op_put(struct op *o, const char *key, const char *body, size_t len)
{
	if (o->m->put && key)
		o->m->put(o->m->put_ud, key, body, len, now_ms(o->m));
}

/* ---- events ---- */

/* A progress event carries counters and the caller's run store, never a partial result. */
static void emit_progress(struct op *o)
{
	struct mlflow_event ev = {
	    .op = o->id,
	    .kind = o->res.kind,
	    .http_status = o->res.http_status,
	    .latency_ms = o->res.latency_ms,
	    .count = o->res.count,
	    .pages = o->res.pages,
	    .runs = o->res.runs,
	};
	o->in_callback = 1;
	o->fn(o->ud, &ev);
	o->in_callback = 0;
}

static void finish(struct op *o, int rc, const struct err *e)
{
	o->res.done = 1;
	o->res.rc = rc < 0 ? rc : 0;
	o->res.err = rc < 0 ? e : NULL;
	o->res.notice = rc >= 0 && o->notice[0] ? o->notice : NULL;
	if (rc < 0)
		results_free(&o->res);
	o->in_callback = 1;
	o->fn(o->ud, &o->res);
	o->in_callback = 0;
	op_destroy(o);
}

/* Sends while slots are free and the operation has something to send. */
static int pump(struct op *o, struct err *e)
{
	while (o->nflight < o->parallel) {
		int rc = o->cls->request(o, e);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	return 0;
}

static void on_http(void *ud, const struct http_resp *r)
{
	struct op_slot *slot = ud;
	struct op *o = slot->o;
	struct err e = {0};
	slot->http_id = 0;
	o->nflight--;
	o->tag = slot->tag;
	o->res.http_status = r->status;
	o->res.latency_ms = r->elapsed_ms;
	int rc = o->cls->answer(o, r, &e);
	if (rc == OP_MORE) {
		emit_progress(o);
		if (o->cancelled) {
			op_destroy(o);
			return;
		}
		rc = pump(o, &e);
	}
	if (rc < 0 || o->nflight == 0)
		finish(o, rc, &e);
}

long op_start(struct op *o, struct err *e)
{
	int rc = pump(o, e);
	if (rc < 0 || o->nflight == 0) {
		op_destroy(o);
		return rc < 0 ? rc : err_set(e, ERR_ARG, "MLflow: nothing to fetch");
	}
	return o->id;
}

/* ---- requests ---- */

static char *url_of(const struct mlflow *m, const char *path, const char *query, const char *token)
{
	char *tok = token ? http_escape(token) : NULL;
	if (token && !tok)
		return NULL;
	size_t n = strlen(m->base) + strlen(path) + (query ? strlen(query) : 0) +
	           (tok ? strlen(tok) : 0) + 32;
	char *url = malloc(n);
	if (url)
		snprintf(url, n, "%s%s%s%s%s%s", m->base, path, query || tok ? "?" : "",
		         query ? query : "", query && tok ? "&" : "", tok ? "page_token=" : "");
	if (url && tok)
		strcat(url, tok);
	free(tok);
	return url;
}

/* A POST body (a JSON object) with the page token added, and the size of the later pages. */
static char *body_with_token(const char *body, const char *token, int next_max)
{
	if (!token)
		return strdup(body);
	cJSON *o = cJSON_Parse(body);
	char *s = NULL;
	if (next_max > 0 && o)
		cJSON_ReplaceItemInObject(o, "max_results", cJSON_CreateNumber(next_max));
	if (o && cJSON_AddStringToObject(o, "page_token", token))
		s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

int op_send(struct op *o, const char *method, const char *path, const char *query, const char *body,
            struct err *e)
{
	struct mlflow *m = o->m;
	int post = body != NULL;
	char *url = url_of(m, path, query, post ? NULL : o->token);
	char *b = post ? body_with_token(body, o->token, o->next_max) : NULL;
	int rc = 0;
	if (!url || (post && !b)) {
		rc = err_set(e, ERR_NOMEM, "MLflow: out of memory");
		goto out;
	}
	struct http_req req = {
	    .method = method,
	    .url = url,
	    .body = b,
	    .auth = m->auth,
	    .timeout_ms = m->timeout_ms,
	    .max_body = m->max_body,
	};
	struct op_slot *slot = NULL;
	for (int i = 0; i < OP_PARALLEL && !slot; i++)
		if (o->slots[i].http_id == 0)
			slot = &o->slots[i];
	long id = slot ? http_start(m->http, &req, on_http, slot, e)
	               : err_set(e, ERR_STATE, "MLflow: too many requests in flight");
	if (id < 0) {
		rc = (int)id;
	} else {
		*slot = (struct op_slot){.o = o, .http_id = id, .tag = o->tag};
		o->nflight++;
	}
out:
	free(url);
	free(b);
	return rc;
}

/* ---- answers ---- */

int op_http_error(const struct op *o, const struct http_resp *r, struct err *e)
{
	(void)o;
	if (r->status == 200 && !r->too_big)
		return 0;
	return httperr_set(e, "MLflow", r);
}

int op_parse_error(const struct op *o, const struct http_resp *r, int rc, const struct err *pe,
                   struct err *e)
{
	size_t i = 0;
	while (i < r->len && (r->body[i] == ' ' || r->body[i] == '\n' || r->body[i] == '\r' ||
	                      r->body[i] == '\t'))
		i++;
	if (rc != ERR_PARSE || !r->len || r->body[i] == '{' || r->body[i] == '[')
		return err_set(e, rc, "MLflow %s", pe->msg);
	char text[HTTPERR_EXCERPT_MAX + 8];
	httperr_excerpt(text, sizeof text, r->status, r->body, r->len);
	const char *what =
	    o->path && strncmp(o->path, "/api/2.0/mlflow/", 16) == 0 ? o->path + 16 : o->cls->what;
	return err_set(e, rc, "MLflow %ld %s: not JSON (%s): %s", r->status, what,
	               *r->content_type ? r->content_type : "no content type", text);
}

static uint64_t token_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The item bound of the operation's kind. */
static size_t op_max_items(const struct op *o)
{
	if (o->m->max_items)
		return o->m->max_items;
	switch (o->cls->kind) {
	case MLFLOW_RUNS:
		return MLFLOW_MAX_RUNS;
	case MLFLOW_HISTORY:
		return MLFLOW_MAX_POINTS;
	default:
		return MLFLOW_MAX_ITEMS;
	}
}

static const char *item_noun(int kind)
{
	static const char *const nouns[] = {
	    [MLFLOW_EXPERIMENTS] = "experiments", [MLFLOW_RUNS] = "runs",
	    [MLFLOW_HISTORY] = "metric points",   [MLFLOW_MODELS] = "registered models",
	    [MLFLOW_VERSIONS] = "model versions", [MLFLOW_ARTIFACTS] = "artifact files",
	};
	return kind >= 0 && kind < (int)(sizeof nouns / sizeof *nouns) && nouns[kind] ? nouns[kind]
	                                                                              : "items";
}

/* n with a comma every three digits. */
static const char *thousands(char *buf, size_t cap, size_t n)
{
	char raw[32];
	int len = snprintf(raw, sizeof raw, "%zu", n), at = 0;
	for (int i = 0; i < len && (size_t)at + 2 < cap; i++) {
		if (i && (len - i) % 3 == 0)
			buf[at++] = ',';
		buf[at++] = raw[i];
	}
	buf[at] = '\0';
	return buf;
}

/* Ends the load early: o->notice says what is shown and why. */
static int stop_paging(struct op *o, const char *why)
{
	char n[32];
	size_t have = o->res.runs ? runstore_count(o->res.runs) : o->res.count;
	snprintf(o->notice, sizeof o->notice, "showing the first %s %s: %s",
	         thousands(n, sizeof n, have), item_noun(o->cls->kind), why);
	return OP_DONE;
}

/* The reason to stop before fetching token, written into why; 0 to go on. */
static int page_bound(struct op *o, uint64_t h, size_t items, char *why, size_t n)
{
	char cap[32];
	for (size_t i = 0; i < o->nseen; i++) {
		if (o->seen[i] == h) {
			snprintf(why, n, "the server repeated a page token (after %zu page%s)",
			         o->res.pages, o->res.pages == 1 ? "" : "s");
			return 1;
		}
	}
	o->empty_pages = items ? 0 : o->empty_pages + 1;
	if (o->empty_pages >= EMPTY_PAGES_MAX)
		snprintf(why, n, "the server sent %d empty pages in a row, each with a page token",
		         o->empty_pages);
	else if (o->res.count >= op_max_items(o))
		snprintf(why, n, "cap reached (at most %s a load)",
		         thousands(cap, sizeof cap, op_max_items(o)));
	else if (o->res.pages >= o->m->max_pages)
		snprintf(why, n, "cap reached (at most %zu pages a load)", o->m->max_pages);
	else
		return 0;
	return 1;
}

int op_next_page(struct op *o, char *token, size_t items, struct err *e)
{
	free(o->token);
	o->token = NULL;
	if (!token)
		return OP_DONE;
	char why[160];
	if (page_bound(o, token_hash(token), items, why, sizeof why)) {
		free(token);
		return stop_paging(o, why);
	}
	if (!mlflow_list_push((void **)&o->seen, &o->nseen, &o->capseen, sizeof *o->seen)) {
		free(token);
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	o->seen[o->nseen - 1] = token_hash(token);
	o->token = token;
	return OP_MORE;
}

/* ---- registry reads by model name ---- */

int op_names_add(struct op *o, size_t cap, const char *name)
{
	if (!o->names && !(o->names = calloc(cap ? cap : 1, sizeof *o->names)))
		return -1;
	if (o->nnames >= cap || !(o->names[o->nnames] = strdup(name)))
		return -1;
	o->nnames++;
	return 0;
}

int op_send_model_get(struct op *o, struct err *e)
{
	if (o->next_name >= o->nnames)
		return OP_DONE;
	o->tag = o->next_name++;
	const char *pairs[] = {"name", o->names[o->tag], NULL};
	char *q = mlflow_req_query(pairs);
	if (!q)
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	int rc = op_send(o, "GET", "/api/2.0/mlflow/registered-models/get", q, NULL, e);
	free(q);
	return rc;
}

int op_model_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	if (r->status == 404) /* deleted since the search */
		return 1;
	int rc = op_http_error(o, r, e);
	if (rc)
		return rc;
	struct err pe = {0};
	if ((rc = mlflow_parse_model(r->body, r->len, o->res.models, &pe)) != 0)
		return op_parse_error(o, r, rc, &pe, e);
	return 0;
}

int op_names_left(const struct op *o)
{
	return o->next_name < o->nnames || o->nflight ? OP_MORE : OP_DONE;
}

/* Pages are filed as "<key>/p<n>"; the last one adds the manifest under "<key>". */
static void file_page(struct op *o, const struct http_resp *r, int last)
{
	if (!o->m->put || !o->key)
		return;
	char *k = mlflow_req_page_key(o->key, o->res.pages - 1);
	op_put(o, k, r->body, r->len);
	free(k);
	if (last) {
		char *man = mlflow_req_manifest(o->res.pages, o->query);
		if (man)
			op_put(o, o->key, man, strlen(man));
		free(man);
	}
}

int op_paged_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	int rc = op_http_error(o, r, e);
	if (rc)
		return rc;
	char *next = NULL;
	size_t before = o->res.count;
	struct err pe = {0};
	rc = o->cls->parse(o, r->body, r->len, &next, &pe);
	if (rc)
		return op_parse_error(o, r, rc, &pe, e);
	o->res.pages++;
	rc = op_next_page(o, next, o->res.count - before, e);
	if (rc > 0)
		file_page(o, r, rc == OP_DONE);
	return rc;
}
