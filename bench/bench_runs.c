/* bench_runs URL N CACHE [AS_URL]: the runs figures of docs/figures.md at N runs.
 *
 * URL is a simulator whose experiment "1" holds N runs (run.sh starts `mltop-sim --scale 3N`: the
 * simulator spreads its runs over three experiments). The MLflow client fetches the experiments
 * list and every runs/search page of experiment 1 (1,000 a page) with the queries of the
 * experiments panel (panels/exp_src.c), and the bodies it files are kept in memory, so that the
 * network is not what is measured. Then:
 *   runs_ingest_N        runs/s through mlflow_parse_runs into a run store plus cache_put of each
 *                        body into the cache file CACHE, against cJSON_Parse + cJSON_Delete of the
 *                        same bytes; alternating, median of repeats. The comment line under it
 *                        also says how many pages the scanner read (the rest went to cJSON).
 *   memory_peak_rss_N    peak RSS of a fresh process (this program run again with --rss-child)
 *                        that loads the N runs into a run store, page by page, from a pipe;
 *                        memory_loaded_rss_N is the same minus that process's RSS before
 *                        loading. Both against the size of the cache file holding the same bodies
 *                        (page_count * page_size). The peak is VmHWM of /proc/self/status, the
 *                        high-water mark of the process's own address space: getrusage's
 *                        ru_maxrss survives execve on Linux and would carry this program's peak
 *                        (every body in memory) into the child.
 * CACHE is left holding what mltop would have filed for context "default" (the context of a
 * command line without a configuration): the experiments pages, the runs pages and their
 * manifests, for the first-frame figure of run.sh. They are filed as answers of the server
 * AS_URL (default URL): the one mltop is then pointed at, closed, so that only the cache serves
 * (the cache gives a server only its own answers). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "clients/cache.h"
#include "clients/cache_server.h"
#include "clients/http.h"
#include "clients/mlflow.h"
#include "clients/mlflow_req.h"
#include "clients/mlflow_parse_runs.h"
#include "clients/mlflow_scan_runs.h"
#include "clients/runstore.h"

#define CTX    "default"
#define SOURCE "mlflow"

static char server[CACHE_SERVER_MAX]; /* the identity the bodies are filed under */
static double fetch_seconds;          /* of the fetch from the simulator */

static const struct cache_scope *at_server(const char *source)
{
	static struct cache_scope sc;
	sc = (struct cache_scope){CTX, server, source};
	return &sc;
}
#define EXP_ID        "1"
#define FETCH_SECONDS 300
#define MAX_REPS      15 /* of the ingest, at 1,000 runs; fewer for more */

/* One body the client filed. */
struct body {
	char *key;
	char *text;
	size_t len;
	int64_t fetched_ms;
	int page; /* a runs/search page of experiment 1 */
};

struct fetched {
	struct body *b;
	size_t n, cap;
	int pending; /* operations without their final event */
	int failed;
	char err[ERR_MSG_MAX];
};

static void fetched_free(struct fetched *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->b[i].key);
		free(f->b[i].text);
	}
	free(f->b);
	memset(f, 0, sizeof *f);
}

static void on_put(void *ud, const char *key, const char *text, size_t len, int64_t fetched_ms)
{
	struct fetched *f = ud;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct body *nb = realloc(f->b, cap * sizeof *nb);
		if (!nb) {
			f->failed = 1;
			return;
		}
		f->b = nb;
		f->cap = cap;
	}
	struct body *b = &f->b[f->n];
	b->key = strdup(key);
	b->text = malloc(len + 1);
	if (!b->key || !b->text) {
		free(b->key);
		free(b->text);
		f->failed = 1;
		return;
	}
	memcpy(b->text, text, len);
	b->text[len] = '\0';
	b->len = len;
	b->fetched_ms = fetched_ms;
	b->page = 0;
	f->n++;
}

static void on_event(void *ud, struct mlflow_event *ev)
{
	struct fetched *f = ud;
	if (!ev->done)
		return;
	f->pending--;
	if (ev->rc < 0) {
		f->failed = 1;
		snprintf(f->err, sizeof f->err, "%s", ev->err ? ev->err->msg : "MLflow: failed");
	}
}

/* Marks the runs pages: keys "<runs key>/p<n>". */
static int mark_pages(struct fetched *f, const struct mlflow_runs_query *q)
{
	char *key = mlflow_req_runs_key(q);
	if (!key)
		return -1;
	size_t kl = strlen(key), pages = 0;
	for (size_t i = 0; i < f->n; i++) {
		struct body *b = &f->b[i];
		b->page = strncmp(b->key, key, kl) == 0 && strncmp(b->key + kl, "/p", 2) == 0;
		pages += (size_t)b->page;
	}
	free(key);
	return pages ? 0 : -1;
}

/* Drives the client until both loads are done (or FETCH_SECONDS passed). */
static int fetch_wait(struct http *h, struct fetched *f)
{
	int64_t deadline = bench_now_ns() + (int64_t)FETCH_SECONDS * 1000000000;
	while (f->pending > 0 && bench_now_ns() < deadline) {
		int ready = 0;
		http_perform(h);
		if (f->pending > 0)
			http_wait(h, -1, 100, &ready);
	}
	if (f->pending > 0 && !f->err[0])
		snprintf(f->err, sizeof f->err, "no answer within %d s", FETCH_SECONDS);
	return f->pending > 0 || f->failed ? -1 : 0;
}

/* The experiments list and the runs of experiment 1, as the experiments panel loads them. */
static int fetch(const char *url, struct fetched *f)
{
	static const char *const order[] = {"last_update_time DESC"};
	static const char *const ids[] = {EXP_ID};
	struct mlflow_experiments_query xq = {.order_by = order, .norder_by = 1};
	struct mlflow_runs_query rq = {.experiment_ids = ids, .nexperiments = 1};
	struct mlflow_config cfg = {.base_url = url, .put = on_put, .put_ud = f};
	struct err e = {0};
	struct runstore *store = runstore_new();
	struct http *h = http_new(&e);
	struct mlflow *m = h ? mlflow_new(h, &cfg, &e) : NULL;
	int rc = -1;
	if (!m || !store)
		goto out;
	if (mlflow_experiments(m, &xq, on_event, f, &e) < 0)
		goto out;
	f->pending++;
	if (mlflow_runs(m, &rq, store, on_event, f, &e) < 0)
		goto out;
	f->pending++;
	rc = fetch_wait(h, f) == 0 && mark_pages(f, &rq) == 0 ? 0 : -1;
out:
	if (rc < 0)
		fprintf(stderr, "bench_runs: fetch from %s failed: %s\n", url,
		        f->err[0]  ? f->err
		        : e.msg[0] ? e.msg
		                   : "out of memory or no runs");
	mlflow_free(&m);
	http_free(&h);
	runstore_free(&store);
	return rc;
}

/* ---- ingest ---- */

static void cache_remove(const char *path)
{
	static const char *const sfx[] = {"", "-wal", "-shm"};
	char p[4096];
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}

/* Files every body but the runs pages (experiments pages, manifests) into c. */
static int file_others(struct cache *c, const struct fetched *f, struct err *e)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct body *b = &f->b[i];
		if (!b->page &&
		    cache_put(c, at_server(SOURCE), b->key, b->text, b->len, b->fetched_ms, e) < 0)
			return -1;
	}
	return 0;
}

/* The stages of one pass of mltop's ingest, in seconds. */
struct stages {
	double parse; /* mlflow_parse_runs: the JSON parse and the run store (interning, arena) */
	double cache; /* cache_put of each body */
};

/* One pass of mltop's ingest into a new cache at path: 0, or < 0. *nruns: runs parsed. */
static int ingest_mltop(const struct fetched *f, const char *path, size_t *nruns, struct stages *t)
{
	struct err e = {0};
	cache_remove(path);
	struct cache *c = cache_open(path, &e);
	struct runstore *s = runstore_new();
	int rc = -1;
	*nruns = 0;
	*t = (struct stages){0};
	if (!c || !s)
		goto out;
	for (size_t i = 0; i < f->n; i++) {
		const struct body *b = &f->b[i];
		size_t n = 0;
		char *next = NULL;
		if (!b->page)
			continue;
		int64_t t0 = bench_now_ns();
		int prc = mlflow_parse_runs(b->text, b->len, s, &n, &next, &e);
		int64_t t1 = bench_now_ns();
		free(next);
		if (prc < 0 ||
		    cache_put(c, at_server(SOURCE), b->key, b->text, b->len, b->fetched_ms, &e) < 0)
			goto out;
		t->parse += (double)(t1 - t0) / 1e9;
		t->cache += (double)(bench_now_ns() - t1) / 1e9;
		*nruns += n;
	}
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "bench_runs: ingest failed: %s\n", e.msg);
	runstore_free(&s);
	cache_close(&c);
	return rc;
}

/* One pass of cJSON's bare parse of the same bytes (the tree built and freed): seconds, or < 0. */
static double ingest_cjson(const struct fetched *f)
{
	int64_t t0 = bench_now_ns();
	for (size_t i = 0; i < f->n; i++) {
		if (!f->b[i].page)
			continue;
		cJSON *j = cJSON_ParseWithLength(f->b[i].text, f->b[i].len);
		if (!j)
			return -1;
		cJSON_Delete(j);
	}
	return (double)(bench_now_ns() - t0) / 1e9;
}

/* "median ms (min-max)" of v[0..n) (sorts v). */
static void spread_ms(char *buf, size_t size, double *v, size_t n)
{
	double med = bench_median(v, n);
	snprintf(buf, size, "%.1f ms (%.1f-%.1f)", med * 1e3, v[0] * 1e3, v[n - 1] * 1e3);
}

/* How many of the runs pages the scanner read itself (the others went to the cJSON parser), out
 * of how many: once, outside the timed passes. */
static void scanned_pages(const struct fetched *f, size_t *read, size_t *pages)
{
	struct runstore *s = runstore_new();
	*read = *pages = 0;
	for (size_t i = 0; s && i < f->n; i++) {
		size_t n;
		char *next = NULL;
		if (!f->b[i].page)
			continue;
		(*pages)++;
		*read += mlflow_scan_runs(f->b[i].text, f->b[i].len, s, &n, &next, NULL) !=
		         MLFLOW_SCAN_DECLINED;
		free(next);
	}
	runstore_free(&s);
}

/* The stages of the ingest, as a comment line under its figure: medians of the repeats, with
 * their min-max; "transfer" is the one fetch from the simulator (HTTP, loopback). */
static void ingest_split(const struct fetched *f, size_t n, int reps, double *all, double *parse,
                         double *cache, double *cj, size_t nm, size_t nj)
{
	char a[64], p[64], c[64], j[64];
	size_t read, pages;
	scanned_pages(f, &read, &pages);
	spread_ms(a, sizeof a, all, nm);
	spread_ms(p, sizeof p, parse, nm);
	spread_ms(c, sizeof c, cache, nm);
	spread_ms(j, sizeof j, cj, nj);
	printf("# runs_ingest_%zu: %d repeats, alternating; median (min-max): transfer %.1f ms "
	       "once; mltop %s = parse and store %s + cache %s; cJSON bare parse %s; the scanner "
	       "read %zu of %zu pages\n",
	       n, reps, fetch_seconds * 1e3, a, p, c, j, read, pages);
}

static int bench_ingest(const struct fetched *f, size_t n, const char *path)
{
	int reps = n <= 1000 ? MAX_REPS : n <= 10000 ? 9 : 5;
	double m[MAX_REPS], mp[MAX_REPS], mc[MAX_REPS], j[MAX_REPS];
	size_t nm = 0, nj = 0, nruns = 0;
	/* Which goes first changes every repeat: what one leaves in the heap (a freed store, freed
	 * trees) is met by the other. */
	for (int i = 0; i < 2 * reps; i++) {
		struct stages t;
		if ((i % 4 == 0 || i % 4 == 3) && ingest_mltop(f, path, &nruns, &t) == 0) {
			mp[nm] = t.parse;
			mc[nm] = t.cache;
			m[nm++] = t.parse + t.cache;
		}
		double s = i % 4 == 1 || i % 4 == 2 ? ingest_cjson(f) : -1;
		if (s > 0)
			j[nj++] = s;
	}
	if (!nm || !nj)
		return -1;
	if (nruns != n)
		fprintf(stderr, "bench_runs: experiment %s holds %zu runs, not %zu\n", EXP_ID,
		        nruns, n);
	char name[64];
	snprintf(name, sizeof name, "runs_ingest_%zu", n);
	double mm = bench_median(m, nm), jm = bench_median(j, nj);
	bench_line(name, (double)nruns / mm, "runs/s", "cjson_parse", (double)nruns / jm, "runs/s");
	ingest_split(f, n, reps, m, mp, mc, j, nm, nj);
	return 0;
}

/* ---- memory ---- */

/* page_count * page_size of the SQLite file at path, in bytes; < 0 on failure. */
static double sqlite_size(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double bytes = 1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		bytes = -1;
		goto out;
	}
	static const char *const pragmas[] = {"PRAGMA page_count", "PRAGMA page_size"};
	for (size_t i = 0; i < 2; i++) {
		if (sqlite3_prepare_v2(db, pragmas[i], -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW) {
			bytes = -1;
			goto out;
		}
		bytes *= (double)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return bytes;
}

/* A "Vm…:" line of /proc/self/status, in KiB; -1 when absent. */
static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	size_t fl = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, fl) == 0 && line[fl] == ':') {
			kb = strtol(line + fl + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return kb;
}

static int read_full(int fd, void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t r = read(fd, (char *)buf + done, len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t w = write(fd, (const char *)buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* The child: pages from stdin (a size_t length, then the body), each parsed into one store and
 * freed; prints "<RSS before, KiB> <peak RSS, KiB> <runs>". */
static int rss_child(void)
{
	struct runstore *s = runstore_new();
	if (!s)
		return 1;
	long before = status_kb("VmRSS");
	size_t len;
	while (read_full(0, &len, sizeof len) == 0) {
		char *text = malloc(len + 1), *next = NULL;
		size_t n = 0;
		if (!text || read_full(0, text, len) < 0) {
			free(text);
			return 1;
		}
		text[len] = '\0';
		int rc = mlflow_parse_runs(text, len, s, &n, &next, NULL);
		free(next);
		free(text);
		if (rc < 0)
			return 1;
	}
	printf("%ld %ld %zu\n", before, status_kb("VmHWM"), runstore_count(s));
	runstore_free(&s);
	return 0;
}

/* Runs the child on the runs pages; before_kb and peak_kb from its answer. */
static int rss_measure(const struct fetched *f, long *before_kb, long *peak_kb)
{
	int in[2], out[2], rc = -1, status = 0;
	if (pipe(in) < 0)
		return -1;
	if (pipe(out) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl("/proc/self/exe", "bench_runs", "--rss-child", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	for (size_t i = 0; pid > 0 && i < f->n; i++)
		if (f->b[i].page && (write_full(in[1], &f->b[i].len, sizeof f->b[i].len) < 0 ||
		                     write_full(in[1], f->b[i].text, f->b[i].len) < 0))
			break;
	close(in[1]);
	FILE *r = fdopen(out[0], "r");
	size_t nruns = 0;
	if (r && fscanf(r, "%ld %ld %zu", before_kb, peak_kb, &nruns) == 3)
		rc = 0;
	if (r)
		fclose(r);
	else
		close(out[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int bench_memory(const struct fetched *f, size_t n, const char *path)
{
	long before = 0, peak = 0;
	double db = sqlite_size(path);
	if (db < 0 || rss_measure(f, &before, &peak) < 0) {
		fprintf(stderr, "bench_runs: memory at %zu runs: no figure\n", n);
		return -1;
	}
	const double mib = 1024.0 * 1024.0;
	char name[64];
	snprintf(name, sizeof name, "memory_peak_rss_%zu", n);
	bench_line(name, (double)peak * 1024 / mib, "MiB", "sqlite_cache", db / mib, "MiB");
	snprintf(name, sizeof name, "memory_loaded_rss_%zu", n);
	bench_line(name, (double)(peak - before) * 1024 / mib, "MiB", "sqlite_cache", db / mib,
	           "MiB");
	return 0;
}

/* The other bodies (experiments pages, manifests) go into the cache after the figures: it then
 * holds what mltop files for this experiment. */
static int finish_cache(const struct fetched *f, const char *path)
{
	struct err e = {0};
	struct cache *c = cache_open(path, &e);
	int rc = c ? file_others(c, f, &e) : -1;
	/* As if the operator had this experiment open when mltop last ran: it opens again at start
	 * (panels/experiments.c), so the first frame has its runs, from the cache. */
	static const char open[] = EXP_ID "\t" EXP_ID;
	if (rc == 0 &&
	    cache_put(c, at_server("ui"), "experiments/open", open, sizeof open - 1, 0, &e) < 0)
		rc = -1;
	cache_close(&c);
	if (rc < 0)
		fprintf(stderr, "bench_runs: filing the cache failed: %s\n", e.msg);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--rss-child") == 0)
		return rss_child();
	if ((argc != 4 && argc != 5) ||
	    cache_server_id(argv[argc == 5 ? 4 : 1], server, sizeof server, NULL) < 0) {
		fprintf(stderr, "usage: bench_runs URL N CACHE [AS_URL]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	size_t n = strtoul(argv[2], NULL, 10);
	struct fetched f = {0};
	int64_t t0 = bench_now_ns();
	int rc = fetch(argv[1], &f);
	fetch_seconds = (double)(bench_now_ns() - t0) / 1e9;
	if (rc == 0)
		rc = bench_ingest(&f, n, argv[3]);
	if (rc == 0)
		rc = bench_memory(&f, n, argv[3]);
	if (rc == 0)
		rc = finish_cache(&f, argv[3]);
	fetched_free(&f);
	return rc < 0 ? 1 : 0;
}
