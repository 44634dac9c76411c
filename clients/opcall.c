#include "clients/opcall.h"

#include "clients/clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct opcall {
	struct opcall_base *b;
	struct opcall *next;
	long id, http_id;
	char *key;
	opcall_done_fn done;
	void (*drop)(void *ud);
	void *ud;
};

int opcall_base_init(struct opcall_base *b, struct http *http, const char *url, const char *what,
                     const struct opcall_settings *s, opcall_errfmt_fn errfmt, struct err *e)
{
	memset(b, 0, sizeof *b);
	if (!http || !url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		return err_set(e, ERR_CONFIG, "%s: the URL must start with http:// or https://",
		               what);
	if (!(b->base = strdup(url)))
		return err_set(e, ERR_NOMEM, "%s: out of memory", what);
	size_t n = strlen(b->base);
	while (n > 8 && b->base[n - 1] == '/')
		b->base[--n] = '\0';
	b->http = http;
	b->next_id = 1;
	b->errfmt = errfmt;
	if (s->auth)
		b->auth = *s->auth;
	b->now_ms = s->now_ms;
	b->timeout_ms = s->timeout_ms;
	b->max_body = s->max_body;
	b->put = s->put;
	b->put_ud = s->put_ud;
	return 0;
}

static void call_unlink(struct opcall *c, int dropped)
{
	if (dropped && c->drop)
		c->drop(c->ud);
	for (struct opcall **p = &c->b->calls; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	free(c->key);
	free(c);
}

void opcall_base_fini(struct opcall_base *b)
{
	while (b->calls) {
		http_cancel(b->http, b->calls->http_id);
		call_unlink(b->calls, 1);
	}
	free(b->base);
	b->base = NULL;
}

void opcall_cancel(struct opcall_base *b, long id)
{
	for (struct opcall *c = b->calls; c; c = c->next) {
		if (c->id == id) {
			http_cancel(b->http, c->http_id);
			call_unlink(c, 1);
			return;
		}
	}
}

int opcall_busy(const struct opcall_base *b)
{
	int n = 0;
	for (const struct opcall *c = b->calls; c; c = c->next)
		n++;
	return n;
}

static void on_answer(void *ud, const struct http_resp *resp)
{
	struct opcall *c = ud;
	struct opcall_base *b = c->b;
	struct err e;
	err_clear(&e);
	struct opcall_result r = {
	    .id = c->id,
	    .ok = resp->status >= 200 && resp->status < 300 && !resp->too_big && !resp->error[0],
	    .resp = resp,
	    .err = &e,
	    .fetched_ms = b->now_ms ? b->now_ms() : clock_wall_ms(),
	};
	if (!r.ok)
		b->errfmt(&e, resp);
	/* unlinked first: the callback may cancel other calls or start new ones */
	char *key = c->key;
	opcall_done_fn done = c->done;
	void *dud = c->ud;
	c->key = NULL;
	call_unlink(c, 0);
	int rc = done(dud, &r);
	if (r.ok && rc == 0 && key && b->put)
		b->put(b->put_ud, key, resp->body, resp->len, r.fetched_ms);
	free(key);
}

long opcall_start(struct opcall_base *b, const struct opcall_req *req, opcall_done_fn done,
                  void *ud, struct err *e)
{
	size_t n = strlen(b->base) + strlen(req->path) + 1;
	char *url = malloc(n);
	struct opcall *c = calloc(1, sizeof *c);
	long rc = ERR_NOMEM;
	if (!url || !c || (req->key && !(c->key = strdup(req->key)))) {
		err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	memcpy(url, b->base, strlen(b->base));
	memcpy(url + strlen(b->base), req->path, strlen(req->path) + 1);
	struct http_req hr = {
	    .method = req->method,
	    .url = url,
	    .body = req->body,
	    .content_type = req->content_type,
	    .auth = &b->auth,
	    .timeout_ms = b->timeout_ms,
	    .max_body = b->max_body,
	};
	*c = (struct opcall){
	    .b = b, .id = b->next_id++, .key = c->key, .done = done, .drop = req->drop, .ud = ud};
	rc = http_start(b->http, &hr, on_answer, c, e);
	if (rc < 0)
		goto out;
	c->http_id = rc;
	c->next = b->calls;
	b->calls = c;
	rc = c->id;
	c = NULL;
out:
	if (c)
		free(c->key);
	free(c);
	free(url);
	return rc;
}
