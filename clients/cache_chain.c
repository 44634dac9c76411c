/* cache_chain: the canonical serialisation of an audit row, its SHA-256, and the row's columns. */
#include "clients/cache_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cache_audit.h"
#include "clients/sha256.h"

static void chain_str(FILE *m, const char *name, const char *v)
{
	if (v)
		fprintf(m, "%s %zu:%s\n", name, strlen(v), v);
	else
		fprintf(m, "%s -\n", name);
}

char *cache_chain_serialise(const struct audit_row *r, size_t *len)
{
	static const char *const names[CACHE_AUDIT_FIELDS] = {
	    "user",       "host",  "context", "action", "model",   "from_version",
	    "to_version", "phase", "result",  "detail", "request", "reason"};
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m)
		return NULL;
	fprintf(m, "mltop audit v1\nid %lld\nts_ms %lld\n", (long long)r->id, (long long)r->ts_ms);
	for (int i = 0; i < CACHE_AUDIT_FIELDS; i++) {
		if (i == 7) /* percent comes between to_version and phase */
			fprintf(m, "percent %d\n", r->percent < 0 ? -1 : r->percent);
		if (i == 11)
			fprintf(m, "http_status %ld\n", r->http_status);
		chain_str(m, names[i], cache_audit_value(r, i));
	}
	chain_str(m, "prev_hash", r->prev_hash);
	int failed = ferror(m);
	if (fclose(m) != 0 || failed) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int cache_chain_hash(const struct audit_row *r, char hex[65])
{
	size_t len = 0;
	char *s = cache_chain_serialise(r, &len);
	int rc = s && sha256_hex(s, len, hex) == 0 ? 0 : ERR_NOMEM;
	free(s);
	return rc;
}

static void chain_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* The column of string field i (cache_audit_field) in CACHE_CHAIN_COLUMNS. */
static int chain_col(int i)
{
	static const int cols[CACHE_AUDIT_FIELDS] = {2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15};
	return cols[i];
}

void cache_chain_bind(sqlite3_stmt *st, const struct audit_row *r)
{
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->ts_ms);
	for (int i = 0; i < CACHE_AUDIT_FIELDS; i++)
		chain_bind_text(st, chain_col(i) + 1, cache_audit_value(r, i));
	if (r->percent >= 0)
		sqlite3_bind_int(st, 10, r->percent);
	else
		sqlite3_bind_null(st, 10);
	sqlite3_bind_int64(st, 15, r->http_status);
	chain_bind_text(st, 17, r->prev_hash);
	chain_bind_text(st, 18, r->hash);
}

static void chain_copy_hash(sqlite3_stmt *st, int col, char out[65])
{
	const unsigned char *h = sqlite3_column_text(st, col);
	snprintf(out, 65, "%s", h ? (const char *)h : "");
}

void cache_chain_read(sqlite3_stmt *st, struct audit_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->ts_ms = sqlite3_column_int64(st, 1);
	for (int i = 0; i < CACHE_AUDIT_FIELDS; i++)
		*cache_audit_field(r, i) = (const char *)sqlite3_column_text(st, chain_col(i));
	r->percent = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 9);
	r->http_status = (long)sqlite3_column_int64(st, 14);
	chain_copy_hash(st, 16, r->prev_hash);
	chain_copy_hash(st, 17, r->hash);
}

/* Sets the chain of the row r (read without one), after prev. An SQLite code. */
static int chain_link_row(sqlite3_stmt *upd, struct audit_row *r, const char *prev)
{
	snprintf(r->prev_hash, sizeof r->prev_hash, "%s", prev);
	if (cache_chain_hash(r, r->hash) < 0)
		return SQLITE_NOMEM;
	sqlite3_bind_text(upd, 1, r->prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(upd, 2, r->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(upd, 3, r->id);
	int rc = sqlite3_step(upd);
	sqlite3_reset(upd);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int cache_chain_link_old(sqlite3 *db)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	char prev[65] = CACHE_CHAIN_ZERO;
	int rc = sqlite3_prepare_v2(db, "SELECT " CACHE_CHAIN_COLUMNS " FROM audit ORDER BY id", -1,
	                            &sel, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		    db, "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3", -1, &upd, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		struct audit_row r;
		cache_chain_read(sel, &r);
		rc = r.hash[0] ? SQLITE_OK : chain_link_row(upd, &r, prev);
		memcpy(prev, r.hash, sizeof prev);
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}
