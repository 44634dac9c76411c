#include "clients/prom.h"

#include "clients/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/http.h"
#include "clients/httperr.h"
#include "clients/prom_decode.h"
#include "clients/prom_req.h"

/* One query of a refresh. */
struct prom_slot {
	struct prom *p;
	enum prom_fig fig;
	int range;
	long http_id; /* 0: not in flight */
};

struct prom {
	struct http *http;
	char *base_url;
	const struct http_auth *auth;
	int64_t (*now_ms)(void);
	long timeout_ms;
	size_t max_body;
	char *queries[PROM_NFIG];
	char *model_label, *version_label;
	int64_t range_ms, step_ms;
	prom_put_fn put;
	void *put_ud;
	struct prom_table table;
	/* the refresh in flight */
	long op, next_op;
	prom_event_fn fn;
	void *ud;
	struct prom_slot slots[2][PROM_NFIG];
	int pending;
	size_t asked, failed, warned;
	int starting;
	long status;
	int64_t latency_ms;
	struct err first;
	char notice[ERR_MSG_MAX];
};

static char *prom_dup(const char *s, const char *def)
{
	return strdup(s && *s ? s : def);
}

struct prom *prom_new(struct http *http, const struct prom_config *cfg, struct err *e)
{
	struct prom *p = calloc(1, sizeof *p);
	if (!p) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	*p = (struct prom){.http = http,
	                   .auth = cfg->auth,
	                   .timeout_ms = cfg->timeout_ms,
	                   .max_body = cfg->max_body,
	                   .put = cfg->put,
	                   .put_ud = cfg->put_ud,
	                   .next_op = 1};
	p->now_ms = cfg->now_ms ? cfg->now_ms : clock_wall_ms;
	p->range_ms = cfg->range_ms > 0 ? cfg->range_ms : PROM_RANGE_MS;
	p->step_ms = cfg->step_ms > 0 ? cfg->step_ms : p->range_ms / PROM_POINTS;
	if (p->step_ms < 1000)
		p->step_ms = 1000;
	p->base_url = prom_dup(cfg->base_url, "");
	p->model_label = prom_dup(cfg->model_label, "model");
	p->version_label = prom_dup(cfg->version_label, "version");
	int ok = p->base_url && p->model_label && p->version_label;
	for (int f = 0; f < PROM_NFIG; f++)
		if (cfg->queries[f] && *cfg->queries[f] &&
		    !(p->queries[f] = strdup(cfg->queries[f])))
			ok = 0;
	if (!ok || !*p->base_url) {
		err_set(e, ok ? ERR_CONFIG : ERR_NOMEM,
		        ok ? "Prometheus is not configured" : "out of memory");
		prom_free(&p);
	}
	return p;
}

static void prom_cancel_all(struct prom *p)
{
	for (int r = 0; r < 2; r++)
		for (int f = 0; f < PROM_NFIG; f++)
			if (p->slots[r][f].http_id) {
				http_cancel(p->http, p->slots[r][f].http_id);
				p->slots[r][f].http_id = 0;
			}
	p->pending = 0;
	p->op = 0;
}

void prom_free(struct prom **pp)
{
	struct prom *p = *pp;
	if (!p)
		return;
	prom_cancel_all(p);
	for (int f = 0; f < PROM_NFIG; f++)
		free(p->queries[f]);
	free(p->base_url);
	free(p->model_label);
	free(p->version_label);
	prom_table_fini(&p->table);
	free(p);
	*pp = NULL;
}

/* ---- answers ----------------------------------------------------------------------------- */

/* Keeps "<figure>: <line>" for the notice: the first failure, else the first warning; the
 * others are counted. */
static void prom_note(struct prom *p, const struct prom_slot *s, const char *line, int failure)
{
	if ((failure && p->failed == 1) || (!p->failed && p->warned == 1))
		snprintf(p->notice, sizeof p->notice, "%s%s: %s", prom_fig_name(s->fig),
		         s->range ? " (range)" : "", line);
}

static void prom_failed(struct prom *p, const struct prom_slot *s, const struct err *e)
{
	p->failed++;
	if (p->failed == 1)
		p->first = *e;
	prom_note(p, s, e->msg, 1);
}

static void prom_answer(struct prom *p, struct prom_slot *s, const struct http_resp *resp)
{
	struct prom_result r;
	struct err e = {0};
	int rc = resp->error[0] || resp->too_big
	             ? httperr_set(&e, "Prometheus", resp)
	             : prom_decode(resp->status, resp->content_type, resp->body, resp->len, &r, &e);
	if (!resp->error[0] && !resp->too_big) {
		p->starting |= r.starting;
		if (rc < 0)
			e.retry_after_ms = resp->retry_after_ms;
	}
	if (rc == 0 &&
	    prom_req_apply(&p->table, s->fig, s->range, &r, p->model_label, p->version_label) < 0)
		rc = err_set(&e, ERR_NOMEM, "out of memory");
	if (rc < 0) {
		p->status = resp->status;
		prom_failed(p, s, &e);
	} else {
		if (!p->failed)
			p->status = resp->status;
		if (r.nwarnings && ++p->warned)
			prom_note(p, s, r.warnings[0], 0);
		if (p->put)
			p->put(p->put_ud, prom_req_key(s->range, s->fig), resp->body, resp->len,
			       p->now_ms());
	}
	if (!resp->error[0] && !resp->too_big)
		prom_result_fini(&r);
}

static void prom_finish(struct prom *p)
{
	char notice[ERR_MSG_MAX + 32];
	size_t more = p->failed + p->warned - (p->notice[0] != '\0');
	snprintf(notice, sizeof notice, more ? "%s; %zu more" : "%s", p->notice, more);
	prom_table_prune(&p->table);
	p->table.at_ms = p->now_ms();
	struct prom_event ev = {.op = p->op,
	                        .notice = p->notice[0] ? notice : NULL,
	                        .starting = p->starting,
	                        .http_status = p->status,
	                        .latency_ms = p->latency_ms,
	                        .asked = p->asked,
	                        .failed = p->failed};
	if (p->failed < p->asked) {
		ev.table = calloc(1, sizeof *ev.table);
		if (!ev.table || prom_table_copy(ev.table, &p->table) < 0) {
			free(ev.table);
			ev.table = NULL;
			err_set(&p->first, ERR_NOMEM, "out of memory");
		}
	}
	if (!ev.table) {
		ev.rc = p->first.code ? p->first.code : ERR_HTTP;
		ev.err = &p->first;
		ev.notice = NULL;
	}
	p->op = 0;
	p->fn(p->ud, &ev);
	if (ev.table) {
		prom_table_fini(ev.table);
		free(ev.table);
	}
}

static void prom_on_http(void *ud, const struct http_resp *resp)
{
	struct prom_slot *s = ud;
	struct prom *p = s->p;
	s->http_id = 0;
	if (resp->elapsed_ms > p->latency_ms)
		p->latency_ms = resp->elapsed_ms;
	prom_answer(p, s, resp);
	if (--p->pending == 0 && p->op)
		prom_finish(p);
}

/* ---- refresh ------------------------------------------------------------------------------ */

static int prom_start_one(struct prom *p, enum prom_fig f, int range, struct err *e)
{
	struct prom_slot *s = &p->slots[range][f];
	double end = (double)p->now_ms() / 1000, start = end - (double)p->range_ms / 1000;
	struct prom_http h;
	if (prom_req_build(p->base_url, p->queries[f], range, start, end, (double)p->step_ms / 1000,
	                   &h) < 0)
		return err_set(e, ERR_NOMEM, "out of memory");
	struct http_req req = {.method = h.form ? "POST" : "GET",
	                       .url = h.url,
	                       .body = h.form,
	                       .content_type = h.form ? "application/x-www-form-urlencoded" : NULL,
	                       .auth = p->auth,
	                       .timeout_ms = p->timeout_ms,
	                       .max_body = p->max_body};
	*s = (struct prom_slot){.p = p, .fig = f, .range = range};
	long id = http_start(p->http, &req, prom_on_http, s, e);
	prom_http_fini(&h);
	if (id < 0)
		return (int)id;
	s->http_id = id;
	p->pending++;
	p->asked++;
	return 0;
}

long prom_refresh(struct prom *p, int what, prom_event_fn fn, void *ud, struct err *e)
{
	prom_cancel_all(p);
	p->asked = p->failed = p->warned = 0;
	p->starting = 0;
	p->status = 0;
	p->latency_ms = 0;
	p->notice[0] = '\0';
	p->first = (struct err){0};
	p->fn = fn;
	p->ud = ud;
	p->op = p->next_op++;
	for (int range = 0; range < 2; range++) {
		if (!(what & (range ? PROM_RANGE : PROM_INSTANT)))
			continue;
		for (int f = 0; f < PROM_NFIG; f++) {
			if (p->queries[f] && prom_start_one(p, f, range, e) < 0) {
				prom_cancel_all(p);
				return e ? e->code : ERR_NOMEM;
			}
		}
	}
	if (!p->asked) {
		p->op = 0;
		return err_set(e, ERR_CONFIG, "no Prometheus query to ask");
	}
	return p->op;
}

int prom_restore(struct prom *p, prom_get_fn get, void *ud, struct prom_table *out,
                 int64_t *fetched_ms)
{
	int used = 0;
	int64_t oldest = 0;
	for (int range = 0; range < 2; range++) {
		for (int f = 0; f < PROM_NFIG; f++) {
			char *body = NULL;
			size_t len = 0;
			int64_t at = 0;
			struct prom_result r;
			if (!p->queries[f] ||
			    get(ud, prom_req_key(range, f), &body, &len, &at) != 0)
				continue;
			if (prom_decode(200, "application/json", body, len, &r, NULL) == 0 &&
			    prom_req_apply(&p->table, f, range, &r, p->model_label,
			                   p->version_label) >= 0) {
				used++;
				oldest = !oldest || at < oldest ? at : oldest;
			}
			prom_result_fini(&r);
			free(body);
		}
	}
	prom_table_prune(&p->table);
	p->table.at_ms = oldest;
	if (fetched_ms)
		*fetched_ms = oldest;
	if (out && prom_table_copy(out, &p->table) < 0)
		return ERR_NOMEM;
	return used;
}
