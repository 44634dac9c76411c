/* bench: what the bench programs share — a clock, medians, and the one line format of
 * bench/results.txt:
 *   name value unit  [peer value unit, ratio r]
 * Every bench/bench_*.c file is its own program (see the Makefile), so this is a header of static
 * inline helpers rather than a .c of its own. Benchmarks report; they never assert. */
#ifndef MLTOP_BENCH_H
#define MLTOP_BENCH_H

#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tui/widgets/filter.h"
#include "tui/widgets/table.h"

extern char **environ;

static inline int64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of v[0..n) (sorts v); 0 when n is 0. */
static inline double bench_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A value with about four significant digits and no exponent. */
static inline void bench_fmt(char *buf, size_t size, double v)
{
	double a = v < 0 ? -v : v;
	snprintf(buf, size, a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.4f", v);
}

/* One figure against its peer, on stdout; the ratio is value / peer. */
static inline void bench_line(const char *name, double v, const char *unit, const char *peer,
                              double pv, const char *punit)
{
	char a[32], b[32], r[32];
	bench_fmt(a, sizeof a, v);
	bench_fmt(b, sizeof b, pv);
	if (pv > 0)
		bench_fmt(r, sizeof r, v / pv);
	else
		snprintf(r, sizeof r, "n/a");
	printf("%s %s %s  [%s %s %s, ratio %s]\n", name, a, unit, peer, b, punit, r);
	fflush(stdout);
}

/* Seconds from spawning pcre2grep with pattern (caseless, UTF mode, like the filter's smart
 * case) on the file at path, output to /dev/null, to its exit; < 0 when it could not run. */
static inline double bench_pcre2grep(const char *pattern, const char *path)
{
	char *argv[] = {"pcre2grep", "-i", "-u", (char *)pattern, (char *)path, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	int64_t t0 = bench_now_ns();
	pid_t pid;
	int rc = posix_spawnp(&pid, "pcre2grep", &fa, NULL, argv, environ), status = 0;
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	waitpid(pid, &status, 0);
	double s = (double)(bench_now_ns() - t0) / 1e9;
	/* 0: lines matched, 1: none did; anything else is a failure. */
	return WIFEXITED(status) && WEXITSTATUS(status) <= 1 ? s : -1;
}

/* Seconds of one keystroke of a list's / filter that makes the pattern the first len bytes of
 * typed: compiling it, table_set_filter and table_recalc. *f is replaced. < 0 on failure. */
static inline double bench_keystroke(struct table *t, struct filter **f, const char *typed,
                                     size_t len)
{
	char pat[256];
	snprintf(pat, sizeof pat, "%.*s", (int)len, typed);
	int64_t t0 = bench_now_ns();
	struct filter *nf = filter_new(pat, NULL);
	table_set_filter(t, nf, TABLE_FILTER_HIDE);
	int rc = table_recalc(t);
	double s = (double)(bench_now_ns() - t0) / 1e9;
	filter_free(f);
	*f = nf;
	return nf && rc == 0 ? s : -1;
}

/* count keystrokes of the pattern typed growing one character at a time (starting over, untimed,
 * once it is whole), each followed by pcre2grep with the same pattern over the file at path: the
 * seconds of each into m (*nm of them) and g (*ng). */
static inline void bench_filter_series(struct table *t, const char *typed, const char *path,
                                       int count, double *m, size_t *nm, double *g, size_t *ng)
{
	size_t len = 0;
	struct filter *f = NULL;
	*nm = *ng = 0;
	for (int i = 0; i < count; i++) {
		if (len == strlen(typed)) {
			table_set_filter(t, NULL, TABLE_FILTER_HIDE);
			table_recalc(t);
			filter_free(&f);
			len = 0;
		}
		len++;
		double s = bench_keystroke(t, &f, typed, len);
		if (s >= 0)
			m[(*nm)++] = s;
		char pat[256];
		snprintf(pat, sizeof pat, "%.*s", (int)len, typed);
		if ((s = bench_pcre2grep(pat, path)) >= 0)
			g[(*ng)++] = s;
	}
	table_set_filter(t, NULL, TABLE_FILTER_HIDE);
	filter_free(&f);
}

#endif
