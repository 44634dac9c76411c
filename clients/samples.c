#include "clients/samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/http.h"
#include "clients/httperr.h"
#include "clients/rfc3339.h"
#include "clients/samples_follow.h"

struct samples_src {
	struct opcall_base b;          /* URL sources */
	struct samples_follow *follow; /* file sources */
	struct samples *ring;
	char *target;
	long inflight;
	samples_event_fn fn;
	void *ud;
};

static int samples_errfmt(struct err *e, const struct http_resp *r)
{
	return httperr_set(e, "samples", r);
}

static int is_url(const char *t)
{
	return strncmp(t, "http://", 7) == 0 || strncmp(t, "https://", 8) == 0;
}

struct samples_src *samples_src_new(struct http *http, const struct samples_config *cfg,
                                    struct err *e)
{
	struct samples_src *s = calloc(1, sizeof *s);
	if (!cfg || !cfg->target || !*cfg->target) {
		free(s);
		err_set(e, ERR_CONFIG, "samples: no URL or file");
		return NULL;
	}
	if (!s || !(s->target = strdup(cfg->target)) || !(s->ring = samples_new(cfg->cap)) ||
	    (!is_url(cfg->target) && !(s->follow = samples_follow_new(cfg->target)))) {
		samples_src_free(&s);
		err_set(e, ERR_NOMEM, "samples: out of memory");
		return NULL;
	}
	struct opcall_settings io = {cfg->auth,     cfg->now_ms, cfg->timeout_ms,
	                             cfg->max_body, cfg->put,    cfg->put_ud};
	if (is_url(cfg->target) &&
	    opcall_base_init(&s->b, http, cfg->target, "samples", &io, samples_errfmt, e) < 0) {
		samples_src_free(&s);
		return NULL;
	}
	return s;
}

void samples_src_free(struct samples_src **s)
{
	if (!s || !*s)
		return;
	if ((*s)->b.base)
		opcall_base_fini(&(*s)->b);
	samples_follow_free(&(*s)->follow);
	samples_free(&(*s)->ring);
	free((*s)->target);
	free(*s);
	*s = NULL;
}

int samples_src_is_file(const struct samples_src *s)
{
	return s->follow != NULL;
}

struct samples *samples_src_samples(struct samples_src *s)
{
	return s->ring;
}

const struct samples_follow *samples_src_follow(const struct samples_src *s)
{
	return s->follow;
}

/* What a poll appends to the URL target for the newest time kept: "?since=<RFC 3339>" ("&…"
 * when target has a query already), "" when newest_ms is 0; malloc'd. */
static char *samples_poll_query(const char *target, int64_t newest_ms)
{
	char t[RFC3339_MAX] = "";
	if (newest_ms > 0)
		rfc3339_format(newest_ms - 1, t,
		               sizeof t); /* the newest ms comes again: see seen() */
	char *esc = http_escape(t);
	size_t n = esc ? strlen(esc) + 16 : 0;
	char *q = esc ? malloc(n) : NULL;
	if (q && *t)
		snprintf(q, n, "%csince=%s", strchr(target, '?') ? '&' : '?', esc);
	else if (q)
		q[0] = '\0';
	free(esc);
	return q;
}

/* A line of a poll answer already kept: older than the newest kept, or the same text as a kept
 * one of the same time (times to the ms collide; lines without a time are compared with the
 * kept lines without one). */
static int seen(const struct samples *r, int64_t newest_ms, const struct sample *x)
{
	if (x->time_ms && x->time_ms < newest_ms)
		return 1;
	for (size_t i = samples_count(r); i-- > 0;) {
		const struct sample *k = samples_at(r, i);
		if (x->time_ms && k->time_ms && k->time_ms < x->time_ms)
			break;
		if (k->time_ms == x->time_ms && k->raw_len == x->raw_len &&
		    memcmp(k->raw, x->raw, x->raw_len) == 0)
			return 1;
	}
	return 0;
}

struct poll_ctx {
	int64_t newest_ms; /* of the ring before the poll */
};

static int keep_new(void *ud, const struct samples *r, const struct sample *x)
{
	const struct poll_ctx *p = ud;
	return !seen(r, p->newest_ms, x);
}

static int64_t newest_ms(const struct samples *r)
{
	int64_t t = 0;
	for (size_t i = samples_count(r); i-- > 0 && !t;)
		t = samples_at(r, i)->time_ms;
	return t;
}

long samples_src_restore(struct samples_src *s, const char *body, size_t len)
{
	struct poll_ctx p = {newest_ms(s->ring)};
	return samples_add_text_if(s->ring, body, len, keep_new, &p);
}

/* The newest raw lines of the ring, for the cache. */
static void file_newest(struct samples_src *s, int64_t fetched_ms)
{
	size_t n = samples_count(s->ring),
	       from = n > SAMPLES_CACHE_LINES ? n - SAMPLES_CACHE_LINES : 0;
	size_t len = 0;
	for (size_t i = from; i < n; i++)
		len += samples_at(s->ring, i)->raw_len + 1;
	char *body = malloc(len + 1), *at = body;
	for (size_t i = from; body && i < n; i++) {
		const struct sample *x = samples_at(s->ring, i);
		memcpy(at, x->raw, x->raw_len);
		at += x->raw_len;
		*at++ = '\n';
	}
	if (body && s->b.put)
		s->b.put(s->b.put_ud, SAMPLES_CACHE_KEY, body, len, fetched_ms);
	free(body);
}

static int on_answer(void *ud, struct opcall_result *r)
{
	struct samples_src *s = ud;
	struct samples_event ev = {
	    .op = r->id, .http_status = r->resp->status, .latency_ms = r->resp->elapsed_ms};
	s->inflight = 0;
	if (r->ok) {
		struct poll_ctx p = {newest_ms(s->ring)};
		ev.added = samples_add_text_if(s->ring, r->resp->body, r->resp->len, keep_new, &p);
		ev.rc = ev.added < 0 ? err_set(r->err, ERR_NOMEM, "samples: out of memory") : 0;
	} else {
		ev.rc = r->err->code ? r->err->code : ERR_HTTP;
	}
	if (ev.rc < 0)
		ev.err = r->err;
	if (ev.rc == 0 && ev.added > 0)
		file_newest(s, r->fetched_ms);
	s->fn(s->ud, &ev);
	return 1; /* filed above, not as the delta body */
}

static long poll_file(struct samples_src *s, samples_event_fn fn, void *ud)
{
	struct err e;
	struct samples_event ev = {0};
	err_clear(&e);
	long rc = samples_follow_poll(s->follow, s->ring, &e);
	if (rc < 0) {
		char why[ERR_MSG_MAX];
		snprintf(why, sizeof why, "%s", e.msg);
		ev.rc = err_set(&e, (int)rc, "samples: %s", why);
		ev.err = &e;
	} else {
		ev.added = rc;
		ev.more = samples_follow_more(s->follow);
	}
	fn(ud, &ev);
	return 0;
}

long samples_src_poll(struct samples_src *s, samples_event_fn fn, void *ud, struct err *e)
{
	if (!s || !fn)
		return err_set(e, ERR_ARG, "samples: no source or no callback");
	if (s->follow)
		return poll_file(s, fn, ud);
	if (s->inflight)
		return err_set(e, ERR_STATE, "samples: a poll is in flight");
	char *q = samples_poll_query(s->target, newest_ms(s->ring));
	if (!q)
		return err_set(e, ERR_NOMEM, "samples: out of memory");
	s->fn = fn;
	s->ud = ud;
	struct opcall_req req = {.path = q};
	long id = opcall_start(&s->b, &req, on_answer, s, e);
	free(q);
	if (id > 0)
		s->inflight = id;
	return id;
}
