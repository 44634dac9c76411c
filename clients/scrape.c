#include "clients/scrape.h"

#include "clients/clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache_server.h"
#include "clients/http.h"
#include "clients/httperr.h"
#include "clients/json.h"

struct scrape_slot {
	struct scrape *s;
	size_t target;
	long http_id; /* 0: not in flight */
};

struct scrape {
	struct http *http;
	char **urls;
	size_t n;
	const struct http_auth *auth;
	int64_t (*now_ms)(void);
	long timeout_ms;
	size_t max_body;
	int64_t spark_ms;
	int64_t flush_ms, flushed_ms; /* points up to flushed_ms were handed out; 0: none yet */
	unsigned history;
	scrape_sample_fn sample;
	prom_put_fn put;
	void *ud;
	struct scrape_agg *agg;
	struct scrape_slot *slots;
	/* the poll in flight */
	long op, next_op;
	scrape_event_fn fn;
	void *fn_ud;
	size_t pending, failed, rejected, answered, scrapes;
	int64_t last_ts, latency_ms;
	long status;
	struct err first;
	char first_rejected[128];
};

static void scrape_finish(struct scrape *s);

struct scrape *scrape_new(struct http *http, const struct scrape_config *cfg, struct err *e)
{
	struct scrape *s = calloc(1, sizeof *s);
	if (!s || !cfg->n_urls) {
		free(s);
		err_set(e, s ? ERR_CONFIG : ERR_NOMEM, s ? "no scrape target" : "out of memory");
		return NULL;
	}
	*s = (struct scrape){.http = http,
	                     .auth = cfg->auth,
	                     .timeout_ms = cfg->timeout_ms,
	                     .max_body = cfg->max_body,
	                     .sample = cfg->sample,
	                     .put = cfg->put,
	                     .ud = cfg->ud,
	                     .next_op = 1};
	s->now_ms = cfg->now_ms ? cfg->now_ms : clock_wall_ms;
	s->spark_ms = cfg->spark_ms > 0 ? cfg->spark_ms : SCRAPE_SPARK_MS;
	s->flush_ms = cfg->flush_ms ? cfg->flush_ms : SCRAPE_FLUSH_MS;
	s->history = cfg->history ? cfg->history : (1u << PROM_NFIG) - 1;
	s->agg = scrape_agg_new(&cfg->metrics, cfg->window_ms, s->spark_ms);
	s->urls = calloc(cfg->n_urls, sizeof *s->urls);
	s->slots = calloc(cfg->n_urls, sizeof *s->slots);
	int ok = s->agg && s->urls && s->slots;
	if (s->agg)
		scrape_agg_keep(s->agg, s->history);
	for (size_t i = 0; ok && i < cfg->n_urls; i++, s->n++)
		ok = (s->urls[i] = strdup(cfg->urls[i])) != NULL;
	if (!ok) {
		err_set(e, ERR_NOMEM, "out of memory");
		scrape_free(&s);
	}
	return s;
}

static void scrape_cancel_all(struct scrape *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->slots[i].http_id) {
			http_cancel(s->http, s->slots[i].http_id);
			s->slots[i].http_id = 0;
		}
	s->pending = 0;
	s->op = 0;
}

void scrape_free(struct scrape **ps)
{
	struct scrape *s = *ps;
	if (!s)
		return;
	if (s->slots)
		scrape_cancel_all(s);
	for (size_t i = 0; i < s->n; i++)
		free(s->urls[i]);
	free(s->urls);
	free(s->slots);
	scrape_agg_free(&s->agg);
	free(s);
	*ps = NULL;
}

/* ---- names --------------------------------------------------------------------------------- */

char *scrape_series_name(enum prom_fig f, const char *model, const char *version)
{
	size_t n = strlen(model) + strlen(version) + 64;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%zu:%s/%zu:%s", prom_fig_name(f), strlen(model), model,
		         strlen(version), version);
	return s;
}

static int scrape_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int scrape_server_id(const char *const *urls, size_t n, char *out, size_t cap)
{
	char(*ids)[CACHE_SERVER_MAX] = calloc(n ? n : 1, sizeof *ids);
	char **order = calloc(n ? n : 1, sizeof *order);
	int rc = ids && order ? 0 : ERR_NOMEM;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = cache_server_id(urls[i], ids[i], sizeof ids[i], NULL);
		order[i] = ids[i];
	}
	if (rc == 0)
		qsort(order, n, sizeof *order, scrape_cmp_str);
	size_t at = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t len = strlen(order[i]);
		if (at + len + 2 > cap)
			rc = ERR_CONFIG;
		else
			at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? " " : "", order[i]);
	}
	if (rc == 0 && !n && cap)
		out[0] = '\0';
	free(ids);
	free(order);
	return rc;
}

/* ---- a round of scrapes ------------------------------------------------------------------- */

/* One target failed: the first failure of the round is the one told, with its target. */
static void scrape_failed(struct scrape *s, const struct scrape_slot *slot, const struct err *e,
                          long status)
{
	if (++s->failed == 1) {
		s->first = *e;
		snprintf(s->first.msg, sizeof s->first.msg, "target %zu of %zu: %s",
		         slot->target + 1, s->n, e->msg);
	}
	s->status = status;
}

static void scrape_feed(struct scrape *s, struct scrape_slot *slot, const struct http_resp *r)
{
	struct expo_stats st;
	int64_t now = s->now_ms();
	if (scrape_agg_feed(s->agg, (int)slot->target, r->body, r->len, now, &st) < 0) {
		s->failed++;
		if (s->failed == 1)
			err_set(&s->first, ERR_NOMEM, "out of memory");
		return;
	}
	if (!st.samples && st.rejected) {
		/* nothing but rejected lines: a failed scrape, as Prometheus counts one it cannot
		 * parse, not an empty target */
		struct err e = {.code = ERR_PARSE};
		snprintf(e.msg, sizeof e.msg, "scrape %ld: not the text exposition format (%s)",
		         r->status, st.first_error);
		scrape_failed(s, slot, &e, r->status);
		return;
	}
	s->answered++;
	if (now > s->last_ts)
		s->last_ts = now;
	if (st.rejected && !s->rejected)
		snprintf(s->first_rejected, sizeof s->first_rejected, "%s", st.first_error);
	s->rejected += st.rejected;
}

static void scrape_on_http(void *ud, const struct http_resp *r)
{
	struct scrape_slot *slot = ud;
	struct scrape *s = slot->s;
	slot->http_id = 0;
	if (r->elapsed_ms > s->latency_ms)
		s->latency_ms = r->elapsed_ms;
	if (r->error[0] || r->too_big || r->status != 200) {
		struct err e;
		httperr_set(&e, "scrape", r);
		scrape_failed(s, slot, &e, r->status);
	} else {
		if (!s->failed)
			s->status = r->status;
		scrape_feed(s, slot, r);
	}
	if (--s->pending == 0 && s->op)
		scrape_finish(s);
}

/* The list of rows, for the restore. */
static void scrape_put_rows(struct scrape *s, const struct prom_table *t)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < t->n; i++) {
		cJSON *pair = cJSON_CreateArray();
		cJSON_AddItemToArray(arr, pair);
		cJSON_AddItemToArray(pair, cJSON_CreateString(t->rows[i].model));
		cJSON_AddItemToArray(pair, cJSON_CreateString(t->rows[i].version));
	}
	char *body = arr ? cJSON_PrintUnformatted(arr) : NULL;
	if (body)
		s->put(s->ud, SCRAPE_ROWS_KEY, body, strlen(body), t->at_ms);
	free(body);
	cJSON_Delete(arr);
}

/* Hands out the points of the history newer than the last handed out, oldest first (of a
 * figure without its history kept, the newest only). */
static void scrape_put_points(struct scrape *s, const struct prom_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct prom_row *row = &t->rows[i];
		for (int f = 0; f < PROM_NFIG; f++) {
			/* a kept sparkline's points are its stretches' highest, at their newest
			 * time (a stretch flushed twice is merged again on restore); of the other
			 * figures the one point is the figure */
			const struct prom_spark *sp = &row->spark[f];
			size_t k = sp->n;
			while (k > 0 && sp->pts[k - 1].ts_ms > s->flushed_ms &&
			       (k == sp->n || (s->history & 1u << f)))
				k--;
			char *name =
			    k < sp->n ? scrape_series_name(f, row->model, row->version) : NULL;
			for (; name && k < sp->n; k++)
				if (!isnan(sp->pts[k].v))
					s->sample(s->ud, name, sp->pts[k].ts_ms, sp->pts[k].v);
			free(name);
		}
	}
}

void scrape_flush(struct scrape *s)
{
	const struct prom_table *h = scrape_agg_history(s->agg);
	if (h->at_ms <= s->flushed_ms)
		return;
	if (s->sample)
		scrape_put_points(s, h);
	if (s->put)
		scrape_put_rows(s, h);
	s->flushed_ms = h->at_ms;
}

static int scrape_figures(struct scrape *s, struct scrape_event *ev)
{
	ev->table = calloc(1, sizeof *ev->table);
	if (!ev->table || scrape_agg_figures(s->agg, s->last_ts, NULL) < 0 ||
	    prom_table_copy_figs(ev->table, scrape_agg_history(s->agg), s->history) < 0) {
		free(ev->table);
		ev->table = NULL;
		return err_set(&s->first, ERR_NOMEM, "out of memory");
	}
	s->scrapes++;
	if (!s->flushed_ms || s->flush_ms < 0 || ev->table->at_ms - s->flushed_ms >= s->flush_ms)
		scrape_flush(s);
	return 0;
}

static void scrape_finish(struct scrape *s)
{
	char notice[ERR_MSG_MAX + 200] = "";
	struct scrape_event ev = {.op = s->op,
	                          .http_status = s->status,
	                          .latency_ms = s->latency_ms,
	                          .targets = s->n,
	                          .failed = s->failed,
	                          .rejected = s->rejected};
	if (!s->answered || scrape_figures(s, &ev) < 0) {
		ev.rc = s->first.code ? s->first.code : ERR_HTTP;
		ev.err = &s->first;
	} else {
		if (s->failed)
			snprintf(notice, sizeof notice, "%s%s", s->first.msg,
			         s->failed > 1 ? " (and more targets)" : "");
		if (s->rejected)
			snprintf(notice + strlen(notice), sizeof notice - strlen(notice),
			         "%s%zu lines rejected (%s)", *notice ? "; " : "", s->rejected,
			         s->first_rejected);
		ev.notice = *notice ? notice : NULL;
	}
	ev.scrapes = s->scrapes;
	s->op = 0;
	s->fn(s->fn_ud, &ev);
	if (ev.table) {
		prom_table_fini(ev.table);
		free(ev.table);
	}
}

long scrape_poll(struct scrape *s, scrape_event_fn fn, void *ud, struct err *e)
{
	scrape_cancel_all(s);
	s->failed = s->rejected = s->answered = 0;
	s->latency_ms = 0;
	s->status = 0;
	s->first = (struct err){0};
	s->fn = fn;
	s->fn_ud = ud;
	s->op = s->next_op++;
	for (size_t i = 0; i < s->n; i++) {
		struct http_req req = {.url = s->urls[i],
		                       .auth = s->auth,
		                       .timeout_ms = s->timeout_ms,
		                       .max_body = s->max_body};
		s->slots[i] = (struct scrape_slot){.s = s, .target = i};
		long id = http_start(s->http, &req, scrape_on_http, &s->slots[i], e);
		if (id < 0) {
			scrape_cancel_all(s);
			return id;
		}
		s->slots[i].http_id = id;
		s->pending++;
	}
	return s->op;
}

/* ---- restore ------------------------------------------------------------------------------- */

struct scrape_fill {
	const struct scrape_agg *agg;
	struct prom_spark *sp;
	int whole;   /* the figure's sparkline is kept whole, else its newest point only */
	double last; /* the newest value read */
	int any, nomem;
};

static int scrape_fill_point(void *ud, int64_t ts_ms, double v)
{
	struct scrape_fill *f = ud;
	if ((f->whole ? scrape_agg_spark_push(f->agg, f->sp, ts_ms, v)
	              : prom_spark_push(f->sp, ts_ms, v, 1)) < 0)
		f->nomem = 1;
	f->last = v;
	f->any = 1;
	return f->nomem;
}

static int scrape_restore_row(struct scrape *s, scrape_range_fn range, void *ud, const char *model,
                              const char *version, int64_t from, int64_t to)
{
	struct prom_row *row = prom_table_row(scrape_agg_history(s->agg), model, version);
	if (!row)
		return ERR_NOMEM;
	for (int f = 0; f < PROM_NFIG; f++) {
		char *name = scrape_series_name(f, model, version);
		struct scrape_fill fill = {
		    .agg = s->agg, .sp = &row->spark[f], .whole = (s->history & 1u << f) != 0};
		if (!name)
			return ERR_NOMEM;
		range(ud, name, from, to, scrape_fill_point, &fill);
		free(name);
		if (fill.nomem)
			return ERR_NOMEM;
		if (fill.any) /* the last known value, until scrapes give a new one */
			row->value[f] = fill.last;
	}
	return 0;
}

int scrape_restore(struct scrape *s, prom_get_fn get, scrape_range_fn range, void *ud,
                   struct prom_table *out)
{
	char *body = NULL;
	size_t len = 0;
	int64_t at = 0, now = s->now_ms();
	if (get(ud, SCRAPE_ROWS_KEY, &body, &len, &at) != 0)
		return 0;
	cJSON *arr = cJSON_ParseWithLength(body, len);
	const cJSON *list = cJSON_IsArray(arr) ? arr : NULL, *pair;
	int rc = 0, rows = 0;
	cJSON_ArrayForEach(pair, list)
	{
		const cJSON *m = cJSON_GetArrayItem(pair, 0), *v = cJSON_GetArrayItem(pair, 1);
		if (!cJSON_IsString(m) || !cJSON_IsString(v))
			continue;
		if ((rc = scrape_restore_row(s, range, ud, m->valuestring, v->valuestring,
		                             now - s->spark_ms, now)) < 0)
			break;
		rows++;
	}
	cJSON_Delete(arr);
	free(body);
	struct prom_table *h = scrape_agg_history(s->agg);
	h->at_ms = at;
	prom_table_prune(h);
	s->flushed_ms = now; /* what came from the cache is filed already */
	if (rc == 0 && out)
		rc = prom_table_copy_figs(out, h, s->history);
	return rc < 0 ? rc : rows;
}
