/* cache_audit: the audit log in memory, the verification of its chain, a row as JSON. */
#include "clients/cache_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache_chain.h"
#include "clients/jsonw.h"

const char **cache_audit_field(struct audit_row *r, int i)
{
	const char **f[CACHE_AUDIT_FIELDS] = {
	    &r->user,       &r->host,  &r->context, &r->action, &r->model,   &r->from_version,
	    &r->to_version, &r->phase, &r->result,  &r->detail, &r->request, &r->reason};
	return f[i];
}

const char *cache_audit_value(const struct audit_row *r, int i)
{
	return *cache_audit_field((struct audit_row *)r, i); /* read only */
}

struct cache_audit_acc {
	struct audit_row *rows;
	size_t n, cap;
	int failed;
};

static char *cache_dup(const char *s, int *failed)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*failed = 1;
	return d;
}

static int cache_audit_collect(void *ud, const struct audit_row *r)
{
	struct cache_audit_acc *a = ud;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		struct audit_row *rows = realloc(a->rows, cap * sizeof *rows);
		if (!rows) {
			a->failed = 1;
			return 1;
		}
		a->rows = rows;
		a->cap = cap;
	}
	struct audit_row *d = &a->rows[a->n++];
	*d = *r;
	for (int i = 0; i < CACHE_AUDIT_FIELDS; i++)
		*cache_audit_field(d, i) = cache_dup(*cache_audit_field(d, i), &a->failed);
	return a->failed;
}

int cache_audit_fetch(struct cache *c, const char *ctx, int limit, struct audit_row **rows,
                      size_t *n, struct err *e)
{
	struct cache_audit_acc a = {0};
	*rows = NULL;
	*n = 0;
	int rc = cache_audit_list(c, ctx, limit, cache_audit_collect, &a, e);
	if (rc >= 0 && a.failed)
		rc = err_set(e, ERR_NOMEM, "cache_audit_fetch: out of memory");
	if (rc < 0) {
		cache_audit_rows_free(&a.rows, a.n);
		return rc;
	}
	*rows = a.rows;
	*n = a.n;
	return 0;
}

void cache_audit_rows_free(struct audit_row **rows, size_t n)
{
	if (!rows || !*rows)
		return;
	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j < CACHE_AUDIT_FIELDS; j++)
			free((char *)*cache_audit_field(&(*rows)[i], j));
	}
	free(*rows);
	*rows = NULL;
}

static int cache_audit_by_id(const void *a, const void *b)
{
	int64_t x = ((const struct audit_row *)a)->id, y = ((const struct audit_row *)b)->id;
	return (x > y) - (x < y);
}

void cache_audit_sort_appended(struct audit_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof *rows, cache_audit_by_id);
}

const char *cache_audit_break_name(enum cache_audit_break why)
{
	static const char *const names[] = {"intact", "edited", "deleted", "reordered"};
	return names[why];
}

/* The row after rows[i] whose hash is h, or NULL. */
static const struct audit_row *cache_audit_later(const struct audit_row *rows, size_t i, size_t n,
                                                 const char *h)
{
	for (size_t j = i + 1; j < n; j++)
		if (strcmp(rows[j].hash, h) == 0)
			return &rows[j];
	return NULL;
}

/* rows[i] does not link to the row before it (prev_id, 0 for none): why, said in rep. */
static void cache_audit_unlinked(const struct audit_row *rows, size_t i, size_t n, int64_t prev_id,
                                 struct cache_audit_report *rep)
{
	const struct audit_row *r = &rows[i], *later = cache_audit_later(rows, i, n, r->prev_hash);
	char why[160];
	rep->why = later ? CACHE_AUDIT_REORDERED : CACHE_AUDIT_DELETED;
	if (later)
		snprintf(why, sizeof why, "it links to row #%lld, appended after it",
		         (long long)later->id);
	else if (r->id == prev_id + 2)
		snprintf(why, sizeof why, "row #%lld before it is missing", (long long)prev_id + 1);
	else if (r->id > prev_id + 2)
		snprintf(why, sizeof why, "rows #%lld to #%lld before it are missing",
		         (long long)prev_id + 1, (long long)r->id - 1);
	else
		snprintf(why, sizeof why,
		         "its link to the row before it does not match: a row removed and the ids "
		         "renumbered, or the link rewritten");
	snprintf(rep->text, sizeof rep->text, "audit chain broken at row #%lld: %s (%s)",
	         (long long)r->id, cache_audit_break_name(rep->why), why);
}

void cache_audit_verify_rows(struct audit_row *rows, size_t n, struct cache_audit_report *rep)
{
	const char *prev = CACHE_CHAIN_ZERO;
	int64_t prev_id = 0;
	memset(rep, 0, sizeof *rep);
	rep->rows = n;
	cache_audit_sort_appended(rows, n);
	for (size_t i = 0; i < n; i++, rep->checked++) {
		const struct audit_row *r = &rows[i];
		char h[65];
		rep->bad_id = r->id;
		if (strcmp(r->prev_hash, prev) != 0 || r->id != prev_id + 1) {
			cache_audit_unlinked(rows, i, n, prev_id, rep);
			return;
		}
		if (cache_chain_hash(r, h) < 0 || strcmp(h, r->hash) != 0) {
			rep->why = CACHE_AUDIT_EDITED;
			snprintf(
			    rep->text, sizeof rep->text,
			    "audit chain broken at row #%lld: edited (its hash does not match its "
			    "fields)",
			    (long long)r->id);
			return;
		}
		prev = r->hash;
		prev_id = r->id;
	}
	rep->bad_id = 0;
	snprintf(rep->text, sizeof rep->text, "audit chain: %zu row%s verified", n,
	         n == 1 ? "" : "s");
}

int cache_audit_verify(struct cache *c, struct cache_audit_report *rep, struct err *e)
{
	struct audit_row *rows = NULL;
	size_t n = 0;
	memset(rep, 0, sizeof *rep);
	int rc = cache_audit_fetch(c, NULL, 0, &rows, &n, e);
	if (rc < 0)
		return rc;
	cache_audit_verify_rows(rows, n, rep);
	cache_audit_rows_free(&rows, n);
	return 0;
}

void cache_audit_json_row(struct jsonw *w, const struct audit_row *r)
{
	jsonw_obj_begin(w, NULL);
	jsonw_int(w, "id", r->id);
	jsonw_time(w, "time", r->ts_ms);
	jsonw_int(w, "ts_ms", r->ts_ms);
	static const char *const keys[CACHE_AUDIT_FIELDS] = {
	    "user", "host",  "context", "action", "model",   "from",
	    "to",   "phase", "result",  "detail", "request", "reason"};
	for (int i = 0; i < CACHE_AUDIT_FIELDS; i++)
		jsonw_str(w, keys[i], cache_audit_value(r, i));
	if (r->percent >= 0)
		jsonw_int(w, "percent", r->percent);
	else
		jsonw_null(w, "percent");
	if (r->http_status)
		jsonw_int(w, "http_status", r->http_status);
	else
		jsonw_null(w, "http_status");
	jsonw_str(w, "prev_hash", r->prev_hash);
	jsonw_str(w, "hash", r->hash);
	jsonw_obj_end(w);
}
