/* prom_table: the serving figures per (model, version), as both serving clients hand them to a
 * panel: clients/prom.h (from Prometheus) and clients/scrape.h (from scraped model servers).
 *
 * A row holds, for each figure (requests per second, error ratio, p50, p95, p99 latency in
 * seconds, drift), its current value (NaN when there is none: no traffic, no such series; draw
 * "-", never 0) and its recent window for a sparkline, oldest first. Rows are kept sorted by
 * model, then version; strings are owned by the table. A panel walks t->rows[0..n) or asks
 * prom_table_find for one deployment's version, and draws value[] and spark[]. */
#ifndef MLTOP_PROM_TABLE_H
#define MLTOP_PROM_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum prom_fig {
	PROM_FIG_RPS,
	PROM_FIG_ERROR_RATIO,
	PROM_FIG_P50,
	PROM_FIG_P95,
	PROM_FIG_P99,
	PROM_FIG_DRIFT, /* the highest drift score over the version's features */
	PROM_NFIG
};

/* Points kept per sparkline at most (the oldest go first). */
#define PROM_SPARK_MAX 720
/* The stretch of the clock a sparkline kept by prom_spark_merge holds one point for: 30 min in
 * 144 points, and 9 to each of the p99 column's cells of 112.5 s (a multiple of it, so that no
 * stretch straddles two cells). */
#define PROM_SPARK_STEP_MS 12500

struct prom_pt {
	int64_t ts_ms;
	double v;
};

struct prom_spark {
	struct prom_pt *pts;
	size_t n, cap;
};

struct prom_row {
	char *model;
	char *version; /* "" when the series had no version label */
	double value[PROM_NFIG];
	struct prom_spark spark[PROM_NFIG];
	/* bit f: the source's last answer for figure f named this row (its value may still be NaN:
	 * a version without traffic has no latency) */
	unsigned present;
};

struct prom_table {
	struct prom_row *rows;
	size_t n, cap;
	int64_t at_ms; /* when the figures were computed or fetched; 0: never */
};

/* The wall clock in ms: the default clock of both serving clients. */

/* "rps", "error_ratio", "p50", "p95", "p99", "drift": the names of [queries]. */
const char *prom_fig_name(enum prom_fig f);

/* The row of (model, version), added (every value NaN) when absent; NULL when out of memory.
 * A NULL version is "". Pointers to rows move when a row is added. */
struct prom_row *prom_table_row(struct prom_table *t, const char *model, const char *version);
const struct prom_row *prom_table_find(const struct prom_table *t, const char *model,
                                       const char *version);
/* Appends a point (a point at or before the last one replaces or is dropped), keeping at most
 * max (0: PROM_SPARK_MAX); room grows by doubling, never past max. Returns 0 or ERR_NOMEM. */
int prom_spark_push(struct prom_spark *s, int64_t ts_ms, double v, size_t max);
/* Appends a point to a sparkline kept by time: one point per stretch of step_ms of the clock
 * (stretches start at multiples of step_ms), at the newest time of its stretch and with the
 * highest value in it (NaN only when every value was NaN). A point older than the last is
 * dropped. At most max points (0: PROM_SPARK_MAX), allocated at once on the first point; the
 * oldest go first. Returns 0 or ERR_NOMEM. */
int prom_spark_merge(struct prom_spark *s, int64_t ts_ms, double v, int64_t step_ms, size_t max);
/* Room for cap points in all (nothing done when there is). Returns 0 or ERR_NOMEM. */
int prom_spark_reserve(struct prom_spark *s, size_t cap);
/* Drops the points older than from_ms. */
void prom_spark_trim(struct prom_spark *s, int64_t from_ms);
/* A deep copy of src into dst (dst's old content freed). Returns 0 or ERR_NOMEM. */
int prom_table_copy(struct prom_table *dst, const struct prom_table *src);
/* The same with the sparklines of the figures of bit mask figs only (the others' left empty). */
int prom_table_copy_figs(struct prom_table *dst, const struct prom_table *src, unsigned figs);
/* Drops the rows that no answer names any more and that have no sparkline point left. */
void prom_table_prune(struct prom_table *t);
void prom_table_fini(struct prom_table *t); /* frees the rows; t is empty after */

#endif
