#include "clients/prom_drift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/httperr.h"
#include "clients/prom_decode.h"

struct prom_drift {
	struct opcall_base b;
	char *path; /* /api/v1/query?query=… */
	char *model_label, *version_label;
	prom_drift_fn fn;
	void *ud;
	long op;
};

static int drift_errfmt(struct err *e, const struct http_resp *r)
{
	struct prom_result res = {0};
	if (r->status == 0 || r->too_big)
		return httperr_set(e, "Prometheus", r);
	int rc = prom_decode(r->status, r->content_type, r->body, r->len, &res, e);
	prom_result_fini(&res);
	return rc < 0 ? rc : httperr_set(e, "Prometheus", r);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int cell_add(struct prom_drift_list *l, const struct prom_series *s, const char *ml,
                    const char *vl)
{
	const char *model = prom_series_label(s, ml);
	if (!model || !s->n || !isfinite(s->samples[s->n - 1].v))
		return 0;
	struct prom_drift_cell *v = realloc(l->v, (l->n + 1) * sizeof *v);
	if (!v)
		return ERR_NOMEM;
	l->v = v;
	struct prom_drift_cell *c = &v[l->n];
	c->model = dup_or_empty(model);
	c->version = dup_or_empty(prom_series_label(s, vl));
	c->feature = dup_or_empty(prom_series_label(s, "feature"));
	c->method = dup_or_empty(prom_series_label(s, "method"));
	c->score = s->samples[s->n - 1].v;
	l->n++;
	return c->model && c->version && c->feature && c->method ? 0 : ERR_NOMEM;
}

int prom_drift_parse(const char *body, size_t len, const char *model_label,
                     const char *version_label, struct prom_drift_list *out, struct err *e)
{
	struct prom_result r = {0};
	int rc = prom_decode(200, "application/json", body, len, &r, e);
	if (rc == 0 && r.type != PROM_VECTOR && r.type != PROM_MATRIX)
		rc = err_set(e, ERR_PARSE, "Prometheus drift: expected a vector");
	for (size_t i = 0; rc == 0 && i < r.n; i++)
		rc = cell_add(out, &r.series[i], model_label ? model_label : "model",
		              version_label ? version_label : "version");
	if (rc == ERR_NOMEM)
		err_set(e, ERR_NOMEM, "Prometheus drift: out of memory");
	prom_result_fini(&r);
	return rc;
}

void prom_drift_list_free(struct prom_drift_list **l)
{
	if (!*l)
		return;
	for (size_t i = 0; i < (*l)->n; i++) {
		free((*l)->v[i].model);
		free((*l)->v[i].version);
		free((*l)->v[i].feature);
		free((*l)->v[i].method);
	}
	free((*l)->v);
	free(*l);
	*l = NULL;
}

struct prom_drift *prom_drift_new(struct http *http, const struct prom_drift_config *cfg,
                                  struct err *e)
{
	struct prom_drift *d = calloc(1, sizeof *d);
	char *q = cfg->query ? http_escape(cfg->query) : NULL;
	struct opcall_settings io = {
	    .auth = cfg->auth, .now_ms = cfg->now_ms, .put = cfg->put, .put_ud = cfg->put_ud};
	if (!d || !q)
		goto nomem;
	if (opcall_base_init(&d->b, http, cfg->base_url, "Prometheus", &io, drift_errfmt, e) < 0) {
		free(q);
		free(d);
		return NULL;
	}
	size_t n = strlen(q) + 32;
	d->path = malloc(n);
	d->model_label = dup_or_empty(cfg->model_label ? cfg->model_label : "model");
	d->version_label = dup_or_empty(cfg->version_label ? cfg->version_label : "version");
	if (!d->path || !d->model_label || !d->version_label) {
		free(q);
		prom_drift_free(&d);
		err_set(e, ERR_NOMEM, "Prometheus: out of memory");
		return NULL;
	}
	snprintf(d->path, n, "/api/v1/query?query=%s", q);
	free(q);
	return d;
nomem:
	free(q);
	free(d);
	err_set(e, ERR_NOMEM, "Prometheus: out of memory");
	return NULL;
}

void prom_drift_free(struct prom_drift **d)
{
	if (!*d)
		return;
	opcall_base_fini(&(*d)->b);
	free((*d)->path);
	free((*d)->model_label);
	free((*d)->version_label);
	free(*d);
	*d = NULL;
}

static int on_done(void *ud, struct opcall_result *r)
{
	struct prom_drift *d = ud;
	struct prom_drift_event ev = {.op = r->id, .latency_ms = r->resp ? r->resp->elapsed_ms : 0};
	struct prom_drift_list *l = calloc(1, sizeof *l);
	int rc = !r->ok ? (r->err->code ? r->err->code : ERR_HTTP)
	         : !l   ? err_set(r->err, ERR_NOMEM, "Prometheus: out of memory")
	                : prom_drift_parse(r->resp->body, r->resp->len, d->model_label,
	                                   d->version_label, l, r->err);
	d->op = 0;
	ev.rc = rc < 0 ? rc : 0;
	ev.err = rc < 0 ? r->err : NULL;
	ev.cells = rc < 0 ? NULL : l;
	d->fn(d->ud, &ev);
	if (rc < 0 || ev.cells)
		prom_drift_list_free(&l);
	return rc < 0 ? rc : 0;
}

long prom_drift_fetch(struct prom_drift *d, prom_drift_fn fn, void *ud, struct err *e)
{
	struct opcall_req req = {.path = d->path, .key = PROM_DRIFT_KEY};
	if (d->op)
		opcall_cancel(&d->b, d->op);
	d->fn = fn;
	d->ud = ud;
	long op = opcall_start(&d->b, &req, on_done, d, e);
	d->op = op > 0 ? op : 0;
	return op;
}
