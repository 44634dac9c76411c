/* expo: a parser of the Prometheus text exposition format (version 0.0.4), the body of a model
 * server's /metrics.
 *
 * expo_parse walks the body line by line and calls back once per sample with its name, its
 * labels (escapes \\ \" \n undone), its value (NaN, +Inf, -Inf included), its optional
 * timestamp (ms) and the type of its family from the last matching # TYPE line (histogram and
 * summary samples also say which of _bucket / _sum / _count they are). Blank lines, # HELP and
 * other comments are skipped. A line that is not valid (over EXPO_LINE_MAX bytes, a missing
 * brace or quote, a NUL or other binary byte, a bad number, a repeated label) is rejected on its
 * own and counted; the rest of the body is still read. Nothing is allocated per line: the
 * strings handed to the callback live in one buffer of the parse, valid during the call only.
 *
 * A client (clients/scrape.h) passes each body it fetched and keeps what its callback needs. */
#ifndef MLTOP_EXPO_H
#define MLTOP_EXPO_H

#include <stddef.h>
#include <stdint.h>

#define EXPO_LINE_MAX   65536 /* bytes of one line, newline excluded */
#define EXPO_LABELS_MAX 64    /* labels of one sample */

enum expo_type { EXPO_UNTYPED, EXPO_COUNTER, EXPO_GAUGE, EXPO_HISTOGRAM, EXPO_SUMMARY };

/* Which sample of a histogram or summary family; EXPO_PLAIN for every other sample. */
enum expo_part { EXPO_PLAIN, EXPO_BUCKET, EXPO_SUM, EXPO_COUNT };

struct expo_label {
	const char *name;  /* NUL-terminated */
	const char *value; /* NUL-terminated, unescaped; may hold other bytes than ASCII */
};

struct expo_sample {
	const char *name;   /* the full sample name ("x_bucket") */
	const char *family; /* the # TYPE name it belongs to, or name when none matches */
	enum expo_type type;
	enum expo_part part;
	size_t nlabels;
	struct expo_label labels[EXPO_LABELS_MAX];
	double value;
	int has_ts;    /* 1 when the line had a timestamp */
	int64_t ts_ms; /* milliseconds since the epoch */
	size_t line;   /* 1-based line number in the body */
};

/* What one parse saw. first_error names the first rejected line ("line 7: missing '}'"). */
struct expo_stats {
	size_t lines;    /* every line, blank and comment included */
	size_t samples;  /* handed to the callback */
	size_t rejected; /* lines rejected */
	char first_error[128];
};

/* Returns non-zero to stop the parse (expo_parse then returns 1). */
typedef int (*expo_sample_fn)(void *ud, const struct expo_sample *s);

/* Parses len bytes of body (need not be NUL-terminated). st may be NULL. Returns 0 when the
 * whole body was read, 1 when the callback stopped it, ERR_NOMEM. */
int expo_parse(const char *body, size_t len, expo_sample_fn fn, void *ud, struct expo_stats *st);

/* The value of the label name of s, or NULL. */
const char *expo_label(const struct expo_sample *s, const char *name);

/* Reads a sample value or an le bound: a decimal or exponent float, NaN, +Inf, -Inf, Inf (any
 * case, as Prometheus reads them). Returns 0, or -1 when s is not all a number. */
int expo_float(const char *s, double *out);

#endif
