/* audit_cli: the audit log printed as a table, as JSON, or its chain verified. */
#include "tui/audit_cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "clients/cache.h"
#include "clients/cache_audit.h"
#include "clients/jsonw.h"
#include "tui/widgets/text.h"

enum {
	COL_TIME,
	COL_WHO,
	COL_CTX,
	COL_ACTION,
	COL_MODEL,
	COL_CHANGE,
	COL_PCT,
	COL_PHASE,
	COL_RESULT,
	COL_HTTP,
	COL_REASON,
	COL_COUNT
};

#define AUDIT_CLI_MAX_WIDTH 40 /* columns of a cell before it is clipped (the last: never) */

/* The cells of one printed row, sanitized, malloc'd (NULL: out of memory or nothing). */
struct audit_cli_line {
	char *cell[COL_COUNT];
};

static char *audit_cli_clean(const char *s)
{
	return text_sanitize(s ? s : "-", strlen(s ? s : "-"), NULL, 0);
}

static void audit_cli_cells(const struct audit_row *r, struct audit_cli_line *l, int utf8)
{
	char buf[512];
	time_t t = (time_t)(r->ts_ms / 1000);
	struct tm tm;
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	l->cell[COL_TIME] = audit_cli_clean(buf);
	snprintf(buf, sizeof buf, "%s%s%s", r->user ? r->user : "-", r->host ? "@" : "",
	         r->host ? r->host : "");
	l->cell[COL_WHO] = audit_cli_clean(buf);
	l->cell[COL_CTX] = audit_cli_clean(r->context);
	l->cell[COL_ACTION] = audit_cli_clean(r->action);
	l->cell[COL_MODEL] = audit_cli_clean(r->model);
	snprintf(buf, sizeof buf, "%s %s %s", r->from_version ? r->from_version : "-",
	         utf8 ? "→" : "->", r->to_version ? r->to_version : "-");
	l->cell[COL_CHANGE] = audit_cli_clean(buf);
	snprintf(buf, sizeof buf, "%d", r->percent);
	l->cell[COL_PCT] = audit_cli_clean(r->percent >= 0 ? buf : NULL);
	l->cell[COL_PHASE] = audit_cli_clean(r->phase);
	l->cell[COL_RESULT] = audit_cli_clean(r->result);
	snprintf(buf, sizeof buf, "%ld", r->http_status);
	l->cell[COL_HTTP] = audit_cli_clean(r->http_status ? buf : NULL);
	l->cell[COL_REASON] = audit_cli_clean(r->reason);
}

static void audit_cli_header(struct audit_cli_line *l, int utf8)
{
	static const char *const names[COL_COUNT] = {"TIME",   "USER@HOST", "CONTEXT", "ACTION",
	                                             "MODEL",  NULL,        "%",       "PHASE",
	                                             "RESULT", "HTTP",      "REASON"};
	for (int i = 0; i < COL_COUNT; i++)
		l->cell[i] = audit_cli_clean(names[i] ? names[i]
		                             : utf8   ? "FROM → TO"
		                                      : "FROM -> TO");
}

/* Prints lines[0..n) as aligned columns, two spaces apart. */
static void audit_cli_table(const struct audit_cli_line *lines, size_t n, FILE *out, int utf8)
{
	int width[COL_COUNT] = {0};
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < COL_COUNT; c++) {
			int w = lines[i].cell[c] ? text_width(lines[i].cell[c]) : 0;
			width[c] = w > width[c]
			               ? (w < AUDIT_CLI_MAX_WIDTH ? w : AUDIT_CLI_MAX_WIDTH)
			               : width[c];
		}
	enum text_ellipsis el = utf8 ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_DOTS;
	for (size_t i = 0; i < n; i++) {
		char cell[AUDIT_CLI_MAX_WIDTH * 4 + 8];
		for (int c = 0; c < COL_COUNT - 1; c++) {
			text_pad(cell, sizeof cell, lines[i].cell[c] ? lines[i].cell[c] : "?",
			         width[c], c == COL_PCT || c == COL_HTTP ? TEXT_RIGHT : TEXT_LEFT,
			         el);
			fprintf(out, "%s  ", cell);
		}
		fprintf(out, "%s\n", lines[i].cell[COL_REASON] ? lines[i].cell[COL_REASON] : "?");
	}
}

static int audit_cli_print_table(const struct audit_row *rows, size_t n, FILE *out)
{
	int utf8 = text_locale_utf8();
	struct audit_cli_line *lines = calloc(n + 1, sizeof *lines);
	if (!lines)
		return -1;
	audit_cli_header(&lines[0], utf8);
	for (size_t i = 0; i < n; i++)
		audit_cli_cells(&rows[i], &lines[i + 1], utf8);
	audit_cli_table(lines, n + 1, out, utf8);
	for (size_t i = 0; i <= n; i++)
		for (int c = 0; c < COL_COUNT; c++)
			free(lines[i].cell[c]);
	free(lines);
	return 0;
}

/* Every field of every row; JSON escapes every control character, so nothing in it can drive
 * a terminal. */
static int audit_cli_print_json(const struct audit_row *rows, size_t n, FILE *out)
{
	struct jsonw *w = jsonw_new();
	if (!w)
		return -1;
	jsonw_arr_begin(w, NULL);
	for (size_t i = 0; i < n; i++)
		cache_audit_json_row(w, &rows[i]);
	jsonw_arr_end(w);
	const char *text = jsonw_text(w, NULL);
	if (text)
		fprintf(out, "%s\n", text);
	jsonw_free(&w);
	return text ? 0 : -1;
}

/* One line for err, through the sanitizer (a path or SQLite's message may hold anything). */
static void audit_cli_say(FILE *err, const char *what, const char *msg)
{
	char *m = text_sanitize(msg, strlen(msg), NULL, 0);
	fprintf(err, "mltop: %s%s\n", what, m ? m : "out of memory");
	free(m);
}

static int audit_cli_verify(struct cache *c, FILE *out, FILE *err)
{
	struct cache_audit_report rep;
	struct err e = {0};
	if (cache_audit_verify(c, &rep, &e) < 0) {
		audit_cli_say(err, "audit log: ", e.msg);
		return 1;
	}
	fprintf(out, "%s\n", rep.text);
	return rep.why == CACHE_AUDIT_INTACT ? 0 : 1;
}

static int audit_cli_list(struct cache *c, const char *ctx, int json, FILE *out, FILE *err)
{
	struct audit_row *rows = NULL;
	size_t n = 0;
	struct err e = {0};
	if (cache_audit_fetch(c, ctx, 0, &rows, &n, &e) < 0) {
		audit_cli_say(err, "audit log: ", e.msg);
		return 1;
	}
	cache_audit_sort_appended(rows, n);
	int rc = json ? audit_cli_print_json(rows, n, out) : audit_cli_print_table(rows, n, out);
	cache_audit_rows_free(&rows, n);
	if (rc < 0)
		audit_cli_say(err, "", "out of memory");
	return rc < 0 ? 1 : 0;
}

static int audit_cli_run(const char *cache_path, const char *ctx, int json, int verify, FILE *out,
                         FILE *err)
{
	struct stat st;
	struct err e = {0};
	if (!cache_path || (stat(cache_path, &st) < 0 && errno == ENOENT)) {
		/* nothing was ever written there: an empty log, and no file made for it */
		audit_cli_say(err, "no audit log yet at ", cache_path ? cache_path : "(no cache)");
		fputs(verify ? "audit chain: 0 rows verified\n" : json ? "[]\n" : "", out);
		return 0;
	}
	struct cache *c = cache_open(cache_path, &e);
	if (!c) {
		audit_cli_say(err, "", e.msg);
		return 2;
	}
	if (cache_notice(c))
		audit_cli_say(err, "warning: ", cache_notice(c));
	int rc = verify ? audit_cli_verify(c, out, err) : audit_cli_list(c, ctx, json, out, err);
	cache_close(&c);
	return rc;
}

int audit_cli_main(const struct config_args *args)
{
	struct config_args a = *args;
	struct err e = {0};
	a.context = NULL; /* a name in the log, not one the configuration must define */
	struct config *cfg = config_load(&a, NULL, &e);
	if (!cfg) {
		audit_cli_say(stderr, "", e.msg);
		return 2;
	}
	int rc = audit_cli_run(config_general(cfg)->cache, args->context, args->json, args->verify,
	                       stdout, stderr);
	config_free(&cfg);
	return rc;
}
