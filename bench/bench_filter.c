/* bench_filter: one keystroke of the runs view's `/` filter (docs/figures.md, "filter
 * keystroke"). A table (tui/widgets/table.h) over N run names in the simulator's style
 * ("brave-fox-42") with a haystack callback; each sample times what a keystroke costs the
 * panel — compiling the pattern one character longer (filter_new), table_set_filter and
 * table_recalc — for the pattern growing "b", "br", "bra", …, median of 200. The peer is
 * pcre2grep with the same pattern (caseless like the filter's smart case, UTF mode) over a file
 * of the same N names, output to /dev/null, timed from spawn to exit, alternating with mltop.
 * At 1,000, 10,000 and 100,000 names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"

#define SAMPLES 200

static const char *const adjectives[] = {
    "brave", "calm",    "clever", "bold",   "eager", "gentle", "happy",  "jolly", "keen",  "lively",
    "merry", "nimble",  "proud",  "quick",  "quiet", "rapid",  "shy",    "sly",   "swift", "witty",
    "amber", "crimson", "silver", "golden", "misty", "sunny",  "polite", "rare",  "wise",  "zesty",
};
static const char *const animals[] = {
    "fox",   "owl",   "bear",  "wolf",  "lynx",  "hawk", "otter", "seal",  "moose", "crane",
    "finch", "panda", "tiger", "koala", "heron", "mole", "bat",   "yak",   "ram",   "eel",
    "cod",   "ant",   "bee",   "asp",   "hound", "mule", "shrew", "stork", "toad",  "wren",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The pattern typed one character at a time. */
static const char typed[] = "brave-fox-42";

struct names {
	char *buf;   /* every name, each followed by '\n' */
	size_t *off; /* start of name i in buf */
	size_t n;
};

static void names_free(struct names *nm)
{
	free(nm->buf);
	free(nm->off);
	memset(nm, 0, sizeof *nm);
}

/* n names, the same for the same n. */
static int names_make(struct names *nm, size_t n)
{
	nm->buf = malloc(n * 24 + 1);
	nm->off = malloc((n + 1) * sizeof *nm->off);
	nm->n = n;
	if (!nm->buf || !nm->off)
		return -1;
	uint64_t x = 0x9E3779B97F4A7C15u;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		uint64_t h = x >> 11;
		nm->off[i] = len;
		len +=
		    (size_t)sprintf(nm->buf + len, "%s-%s-%d\n", adjectives[h % COUNT(adjectives)],
		                    animals[(h >> 16) % COUNT(animals)], (int)((h >> 32) % 99) + 1);
	}
	nm->off[n] = len;
	return 0;
}

static const char *haystack(void *ctx, size_t row, size_t *len)
{
	const struct names *nm = ctx;
	*len = nm->off[row + 1] - nm->off[row] - 1;
	return nm->buf + nm->off[row];
}

static const char *cell(void *ctx, size_t row, int col, char *buf, size_t bufsz)
{
	size_t len;
	const char *s = haystack(ctx, row, &len);
	(void)col;
	snprintf(buf, bufsz, "%.*s", (int)len, s);
	return buf;
}

/* The names as a file for pcre2grep; its path in path. */
static int names_file(const struct names *nm, char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, size, "%s/bench_filter_XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	size_t len = nm->off[nm->n], done = 0;
	while (done < len) {
		ssize_t w = write(fd, nm->buf + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	return done == len ? 0 : -1;
}

static void measure(const struct names *nm, struct table *t, const char *path)
{
	double *m = calloc(SAMPLES, sizeof *m), *g = calloc(SAMPLES, sizeof *g);
	size_t nm_ok = 0, ng = 0;
	if (m && g)
		bench_filter_series(t, typed, path, SAMPLES, m, &nm_ok, g, &ng);
	char name[64];
	snprintf(name, sizeof name, "filter_keystroke_%zu", nm->n);
	bench_line(name, bench_median(m, nm_ok) * 1e6, "us", "pcre2grep", bench_median(g, ng) * 1e6,
	           "us");
	free(m);
	free(g);
}

static int run(size_t n)
{
	static const struct table_col col = {"NAME", 10, 0, TEXT_LEFT, TABLE_SORT_TEXT};
	struct names nm = {0};
	struct table *t = NULL;
	char path[4096] = "";
	int rc = -1;
	if (names_make(&nm, n) < 0 || names_file(&nm, path, sizeof path) < 0)
		goto out;
	struct table_source src = {.ctx = &nm, .cell = cell, .haystack = haystack};
	t = table_new(&col, 1, &src);
	if (!t || table_set_rows(t, n) < 0 || table_recalc(t) < 0)
		goto out;
	table_set_size(t, 38, 120);
	measure(&nm, t, path);
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "bench_filter: out of memory or no temporary file at %zu names\n",
		        n);
	if (path[0])
		unlink(path);
	table_free(&t);
	names_free(&nm);
	return rc;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = {1000, 10000, 100000};
	int rc = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			rc |= run(strtoul(argv[i], NULL, 10));
		return rc ? 1 : 0;
	}
	for (size_t i = 0; i < COUNT(sizes); i++)
		rc |= run(sizes[i]);
	return rc ? 1 : 0;
}
