#include "clients/cache_audit.h"

#include <stdlib.h>
#include <string.h>

const char **cache_audit_field(struct audit_row *r, int i)
{
	const char **f[CACHE_AUDIT_FIELDS] = {
	    &r->user,         &r->host,       &r->context, &r->action, &r->model,
	    &r->from_version, &r->to_version, &r->phase,   &r->result, &r->detail};
	return f[i];
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
