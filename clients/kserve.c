#include "clients/kserve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "clients/http.h"
#include "clients/kserve_token.h"

#define ISVC_PATH "/apis/serving.kserve.io/v1beta1/namespaces/%s/inferenceservices"

struct kserve {
	struct opcall_base b;
	char *ns;
	struct kserve_token *token;
	opcall_put_fn put; /* the config's; the base files through kserve_file */
	void *put_ud;
	/* kserve_keep_last: the last list body parsed, and whether the answer being filed is it */
	int keep, same;
	kserve_touch_fn touch;
	char *last;
	size_t last_len;
};

struct ks_call {
	struct kserve *k;
	int kind;
	kserve_event_fn fn;
	void *ud;
};

/* A DNS label (namespace) or, with dots, a subdomain (object name). */
static int dns_name(const char *s, int dots)
{
	size_t n = s ? strlen(s) : 0;
	const char *ok = dots ? "abcdefghijklmnopqrstuvwxyz0123456789-."
	                      : "abcdefghijklmnopqrstuvwxyz0123456789-";
	return n && n <= (dots ? 253u : 63u) && strspn(s, ok) == n && s[0] != '-' && s[0] != '.' &&
	       s[n - 1] != '-' && s[n - 1] != '.';
}

/* Files an answer through the config's put, or only its new time through touch when it is the
 * last list again. */
static void kserve_file(void *ud, const char *key, const char *body, size_t len, int64_t fetched_ms)
{
	struct kserve *k = ud;
	if (!k->same || !k->touch || k->touch(k->put_ud, key, fetched_ms) != 0)
		k->put(k->put_ud, key, body, len, fetched_ms);
	k->same = 0;
}

void kserve_keep_last(struct kserve *k, kserve_touch_fn touch)
{
	k->keep = 1;
	k->touch = touch;
}

/* 1 when the answer is byte for byte the last list parsed (kserve_keep_last on). */
static int kserve_list_same(struct kserve *k, const struct http_resp *resp)
{
	return k->keep && k->last && resp->len == k->last_len &&
	       memcmp(resp->body, k->last, resp->len) == 0;
}

/* Keeps a copy of a list that parsed, for the next kserve_list_same. */
static void kserve_list_keep(struct kserve *k, const struct http_resp *resp)
{
	if (!k->keep)
		return;
	char *copy = malloc(resp->len + 1);
	free(k->last);
	k->last = copy; /* out of memory: nothing kept, the next list is parsed */
	k->last_len = copy ? resp->len : 0;
	if (copy)
		memcpy(copy, resp->body, resp->len);
}

struct kserve *kserve_new(struct http *http, const struct kserve_config *cfg, struct err *e)
{
	if (!cfg || !dns_name(cfg->ns, 0)) {
		err_set(e, ERR_CONFIG, "KServe: the namespace must be a DNS label");
		return NULL;
	}
	struct kserve *k = calloc(1, sizeof *k);
	if (!k || !(k->ns = strdup(cfg->ns)) ||
	    (cfg->token_file && !(k->token = kserve_token_new(cfg->token_file)))) {
		if (k)
			free(k->ns);
		free(k);
		err_set(e, ERR_NOMEM, "KServe: out of memory");
		return NULL;
	}
	k->put = cfg->put;
	k->put_ud = cfg->put_ud;
	struct opcall_settings io = {
	    cfg->auth, cfg->now_ms, cfg->timeout_ms, cfg->max_body, cfg->put ? kserve_file : NULL,
	    k};
	if (opcall_base_init(&k->b, http, cfg->base_url, "KServe", &io, kserve_error, e) < 0) {
		kserve_free(&k);
		return NULL;
	}
	return k;
}

void kserve_free(struct kserve **k)
{
	if (!k || !*k)
		return;
	opcall_base_fini(&(*k)->b);
	kserve_token_free(&(*k)->token);
	free((*k)->ns);
	free((*k)->last);
	free(*k);
	*k = NULL;
}

void kserve_cancel(struct kserve *k, long op)
{
	if (k)
		opcall_cancel(&k->b, op);
}

int kserve_busy(const struct kserve *k)
{
	return k ? opcall_busy(&k->b) : 0;
}

const char *kserve_namespace(const struct kserve *k)
{
	return k->ns;
}

int kserve_token_reads_of(const struct kserve *k)
{
	return k ? kserve_token_reads(k->token) : 0;
}

char *kserve_list_key(const char *ns)
{
	size_t n = strlen(ns) + sizeof ISVC_PATH;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, ISVC_PATH, ns);
	return s;
}

char *kserve_get_key(const char *ns, const char *name)
{
	size_t n = strlen(ns) + strlen(name) + sizeof ISVC_PATH + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, ISVC_PATH "/%s", ns, name);
	return s;
}

static int on_done(void *ud, struct opcall_result *r)
{
	struct ks_call *c = ud;
	const struct http_resp *resp = r->resp;
	struct kserve_event ev = {
	    .op = r->id,
	    .kind = c->kind,
	    .http_status = resp->status,
	    .latency_ms = resp->elapsed_ms,
	};
	int list = c->kind == KSERVE_LIST;
	c->k->same = 0;
	if (r->ok && list && kserve_list_same(c->k, resp))
		ev.unchanged = c->k->same = 1;
	else if (r->ok && !(ev.isvcs = kserve_isvcs_new()))
		ev.rc = err_set(r->err, ERR_NOMEM, "KServe: out of memory");
	else if (r->ok && (ev.rc = kserve_parse(resp->body, resp->len, ev.isvcs, r->err)) == 0 &&
	         list)
		kserve_list_keep(c->k, resp);
	else if (!r->ok)
		ev.rc = r->err->code ? r->err->code : ERR_HTTP;
	if (!r->ok && resp->len)
		kserve_parse_status(resp->body, resp->len, &ev.status);
	if (resp->status == 401)
		kserve_token_stale(c->k->token);
	if (ev.rc < 0) {
		kserve_isvcs_free(&ev.isvcs);
		ev.err = r->err;
	}
	int rc = ev.rc;
	c->fn(c->ud, &ev);
	kserve_isvcs_free(&ev.isvcs);
	free(c);
	return rc;
}

/* The token of this request: the file's current one (auth's fixed one without a file). */
static int token_refresh(struct kserve *k, struct err *e)
{
	if (!k->token)
		return 0;
	const char *t = kserve_token_get(k->token, e);
	if (!t) {
		char why[ERR_MSG_MAX];
		snprintf(why, sizeof why, "%s", e ? e->msg : "");
		return err_set(e, ERR_CONFIG, "KServe token: %s", why);
	}
	k->b.auth.bearer_token = t;
	return 0;
}

/* Starts one call of path (taken); req gives the method, body and content type of a write
 * (NULL: a GET whose answer is filed under its path). */
static long call(struct kserve *k, int kind, char *path, const struct opcall_req *w,
                 kserve_event_fn fn, void *ud, struct err *e)
{
	long id = ERR_NOMEM;
	struct ks_call *c = NULL;
	if (!path) {
		err_set(e, ERR_NOMEM, "KServe: out of memory");
		goto out;
	}
	if ((id = token_refresh(k, e)) < 0)
		goto out;
	if (!(c = malloc(sizeof *c))) {
		id = err_set(e, ERR_NOMEM, "KServe: out of memory");
		goto out;
	}
	*c = (struct ks_call){k, kind, fn, ud};
	struct opcall_req req = {.path = path, .key = path, .drop = free};
	if (w) {
		req.method = w->method;
		req.body = w->body;
		req.content_type = w->content_type;
		req.key = NULL; /* the answer of a write is not the last known list */
	}
	if ((id = opcall_start(&k->b, &req, on_done, c, e)) < 0)
		free(c);
out:
	free(path);
	return id;
}

long kserve_list(struct kserve *k, kserve_event_fn fn, void *ud, struct err *e)
{
	if (!k || !fn)
		return err_set(e, ERR_ARG, "KServe: no client or no callback");
	return call(k, KSERVE_LIST, kserve_list_key(k->ns), NULL, fn, ud, e);
}

long kserve_get(struct kserve *k, const char *name, kserve_event_fn fn, void *ud, struct err *e)
{
	if (!k || !fn)
		return err_set(e, ERR_ARG, "KServe: no client or no callback");
	if (!dns_name(name, 1))
		return err_set(e, ERR_CONFIG, "KServe: not an InferenceService name");
	return call(k, KSERVE_GET, kserve_get_key(k->ns, name), NULL, fn, ud, e);
}

long kserve_patch(struct kserve *k, const char *name, const char *body, const char *content_type,
                  kserve_event_fn fn, void *ud, struct err *e)
{
	if (!k || !fn || !body)
		return err_set(e, ERR_ARG, "KServe: no client, callback or body");
	if (!dns_name(name, 1))
		return err_set(e, ERR_CONFIG, "KServe: not an InferenceService name");
	struct opcall_req w = {.method = "PATCH",
	                       .body = body,
	                       .content_type =
	                           content_type ? content_type : "application/merge-patch+json"};
	return call(k, KSERVE_PATCH, kserve_get_key(k->ns, name), &w, fn, ud, e);
}

struct kserve *kserve_for_context(struct http *http, const struct context *ctx, opcall_put_fn put,
                                  void *put_ud, struct err *e)
{
	const struct config_source *src = ctx ? &ctx->src[SRC_KSERVE] : NULL;
	if (!src || !src->url) {
		err_set(e, ERR_CONFIG, "KServe is not configured");
		return NULL;
	}
	struct kserve_config cfg = {
	    .base_url = src->url,
	    .ns = ctx->namespace ? ctx->namespace : "default",
	    .auth = &src->auth,
	    .token_file = src->kind == AUTH_BEARER ? src->secret_file : NULL,
	    .put = put,
	    .put_ud = put_ud,
	};
	return kserve_new(http, &cfg, e);
}
