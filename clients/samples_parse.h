/* samples_parse: failed samples (misclassified or errored predictions) as JSON Lines, kept in a
 * bounded ring the caller owns. One line is one JSON object:
 *   {"time": "2026-11-29T04:00:48.205Z", "model": "churn", "version": "v5",
 *    "prediction": "churn", "label": "stay", "score": 0.91, "error": null,
 *    "input": {"tenure": 3, "plan": "basic"}, …}
 * time (RFC 3339, or Unix seconds as a number), model, version, prediction, label, score and
 * error are read by name; the feature values are the members of "input" (or "features",
 * "inputs") when the line has such an object, else every other member ("id" aside). Values that
 * are not strings are kept as compact JSON text. A line that is not a JSON object is kept as a
 * bad line (its raw text only) and counted; it never stops the lines after it. Blank lines are
 * skipped. The ring keeps the newest cap samples, and at most SAMPLES_BYTES_MAX bytes of them:
 * adding one more drops the oldest (counted). */
#ifndef MLTOP_SAMPLES_PARSE_H
#define MLTOP_SAMPLES_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/kvlist.h"

#define SAMPLES_CAP_DEFAULT 10000
#define SAMPLES_LINE_MAX    (1024 * 1024)        /* a longer line is cut there and kept as bad */
#define SAMPLES_BYTES_MAX   (256u * 1024 * 1024) /* memory of the kept samples, at most */

struct sample {
	uint64_t seq;    /* arrival number, from 1 */
	int bad;         /* 1: not a JSON object; only raw is set, the rest "" */
	int64_t time_ms; /* 0 when absent or unreadable */
	const char *time;
	const char *model;
	const char *version;
	const char *prediction;
	const char *label;
	const char *error; /* "" when null or absent */
	double score;      /* NaN when absent or not a number ("NaN" strings give NaN too) */
	int has_score;
	struct kvlist features;
	const char *raw; /* the line, without its newline */
	size_t raw_len;
};

struct samples;

struct samples *samples_new(size_t cap); /* cap 0: SAMPLES_CAP_DEFAULT; NULL out of memory */
void samples_free(struct samples **s);

/* Adds one line (no newline needed; a trailing '\r' is dropped). Returns 1 when a sample was
 * kept, 0 for a blank line, -1 out of memory. */
int samples_add_line(struct samples *s, const char *line, size_t len);
/* Adds every line of text (the last one need not end with a newline). Returns how many samples
 * were kept, or -1 out of memory. samples_add_text_if keeps a sample only when keep (NULL:
 * always) returns 1 for it: the filter sees the ring as it is and the decoded sample. */
typedef int (*samples_keep_fn)(void *ud, const struct samples *s, const struct sample *x);
long samples_add_text(struct samples *s, const char *text, size_t len);
long samples_add_text_if(struct samples *s, const char *text, size_t len, samples_keep_fn keep,
                         void *ud);

size_t samples_count(const struct samples *s);
/* i from 0 (the oldest kept) to count - 1 (the newest); NULL when out of range. */
const struct sample *samples_at(const struct samples *s, size_t i);
const struct sample *samples_newest(const struct samples *s);

uint64_t samples_total(const struct samples *s);   /* every sample kept since the start */
uint64_t samples_dropped(const struct samples *s); /* dropped to stay within the caps */
size_t samples_bytes(const struct samples *s);     /* memory the kept samples take */
/* Sets the byte cap (0: SAMPLES_BYTES_MAX), lower or higher (a million samples take about
 * 1.1 GiB); the newest sample is always kept. */
void samples_set_max_bytes(struct samples *s, size_t max);
uint64_t samples_bad(const struct samples *s); /* lines that were not JSON objects */
void samples_clear(struct samples *s);         /* forgets the samples, keeps the counters */

#endif
