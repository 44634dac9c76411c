/* bench_samples: one keystroke of the Samples panel's `/` filter over N failed samples
 * (docs/figures.md, "samples filter"). N JSON Lines in the simulator's style are read into the
 * samples ring (clients/samples_parse.h; its count cap set to N and its byte cap raised, since a
 * million samples take more than the panel's default caps), and a table over them filters on each
 * sample's line as received, as the panel does. Each sample times compiling the pattern one
 * character longer, table_set_filter and table_recalc, for the pattern growing one character at a
 * time; the median is reported. The peer is pcre2grep with the same pattern (caseless, UTF mode)
 * over the file of the same N lines, output to /dev/null, timed from spawn to exit, alternating.
 * Usage: bench_samples [N] [FILE]: with FILE, the lines are also left there (for bench/samples.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "clients/samples_parse.h"

#define SAMPLES  31
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char typed[] = "tenure_days\":12";
static const char *const regions[] = {"eu-west", "us-east", "ap-south", "sa-east"};
static const char *const plans[] = {"basic", "standard", "premium"};

/* n lines, the same for the same n; *len their bytes. */
static char *lines_make(size_t n, size_t *len)
{
	char *buf = malloc(n * 320 + 1);
	uint64_t x = 0x9E3779B97F4A7C15u;
	*len = 0;
	for (size_t i = 0; buf && i < n; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		uint64_t h = x >> 11;
		int err = h % 10 == 0;
		*len += (size_t)sprintf(
		    buf + *len,
		    "{\"id\":\"churn-classifier-%08zu\",\"time\":\"2026-11-29T%02d:%02d:%02d.%"
		    "03dZ\","
		    "\"model\":\"churn-classifier\",\"version\":\"v%d\",\"input\":{\"tenure_days\":"
		    "%d,"
		    "\"monthly_spend\":%d.%02d,\"region\":\"%s\",\"plan\":\"%s\",\"support_calls\":"
		    "%d},"
		    "\"prediction\":%s,\"label\":\"stay\",\"score\":%s,\"error\":%s}\n",
		    i, (int)(i / 3600000) % 24, (int)(i / 60000) % 60, (int)(i / 1000) % 60,
		    (int)(i % 1000), h % 3 ? 3 : 5, (int)((h >> 8) % 1000), (int)((h >> 20) % 120),
		    (int)((h >> 28) % 100), regions[(h >> 36) % COUNT(regions)],
		    plans[(h >> 40) % COUNT(plans)], (int)((h >> 44) % 6),
		    err ? "null" : "\"churn\"", err ? "null" : "0.813",
		    err ? "\"500 Internal Server Error: model raised ValueError\"" : "null");
	}
	return buf;
}

static int file_write(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t done = 0;
	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	return done == len ? 0 : -1;
}

static const char *haystack(void *ctx, size_t row, size_t *len)
{
	const struct sample *x = samples_at(ctx, row);
	*len = x->raw_len;
	return x->raw;
}

static const char *cell(void *ctx, size_t row, int col, char *buf, size_t bufsz)
{
	(void)col;
	snprintf(buf, bufsz, "%s", samples_at(ctx, row)->model);
	return buf;
}

static void measure(struct table *t, size_t n, const char *path)
{
	double m[SAMPLES], g[SAMPLES];
	size_t nm = 0, ng = 0;
	bench_filter_series(t, typed, path, SAMPLES, m, &nm, g, &ng);
	char name[64];
	snprintf(name, sizeof name, "samples_filter_keystroke_%zu", n);
	bench_line(name, bench_median(m, nm) * 1e3, "ms", "pcre2grep", bench_median(g, ng) * 1e3,
	           "ms");
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000, len = 0;
	char tmp[4096];
	const char *dir = getenv("TMPDIR"), *path = argc > 2 ? argv[2] : NULL;
	if (!path) {
		snprintf(tmp, sizeof tmp, "%s/bench_samples_%d.jsonl", dir && *dir ? dir : "/tmp",
		         (int)getpid());
		path = tmp;
	}
	static const struct table_col col = {"MODEL", 10, 0, TEXT_LEFT, TABLE_SORT_TEXT};
	char *buf = lines_make(n, &len);
	struct samples *s = samples_new(n);
	struct table *t = NULL;
	int rc = 1;
	if (!buf || !s || file_write(path, buf, len) < 0)
		goto out;
	samples_set_max_bytes(s, (size_t)8 << 30);
	int64_t t0 = bench_now_ns();
	if (samples_add_text(s, buf, len) != (long)n)
		goto out;
	printf("samples_ingest_%zu %.0f ms  (%.0f MiB kept)\n", n,
	       (double)(bench_now_ns() - t0) / 1e6, (double)samples_bytes(s) / (1 << 20));
	struct table_source src = {.ctx = s, .cell = cell, .haystack = haystack};
	t = table_new(&col, 1, &src);
	if (!t || table_set_rows(t, n) < 0 || table_recalc(t) < 0)
		goto out;
	table_set_size(t, 38, 120);
	measure(t, n, path);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_samples: out of memory or no file at %zu samples\n", n);
	if (path == tmp)
		unlink(tmp);
	table_free(&t);
	samples_free(&s);
	free(buf);
	return rc;
}
