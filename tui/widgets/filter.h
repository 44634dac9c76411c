/* filter: the `/` regex of every list. PCRE2 (8-bit, UTF mode, JIT), smart case (caseless unless
 * the pattern has an upper-case letter outside an escape), a leading "!" inverts, an empty pattern
 * (or a bare "!") matches everything. Invalid UTF-8 in subjects is tolerated.
 * One match data block is kept inside the filter and reused by every call, so matching costs no
 * allocation; it also means a filter must not be used from two threads at once. */
#ifndef MLTOP_FILTER_H
#define MLTOP_FILTER_H

#include <stdbool.h>
#include <stddef.h>

struct filter;

/* Why a pattern was refused: PCRE2's message with the offset, e.g.
 * "missing closing parenthesis at 7" (offset in bytes into the pattern as typed, "!" included). */
struct filter_error {
	int offset;
	char msg[160];
};

/* A byte range [start, end) of a subject that the pattern matched. */
struct filter_span {
	size_t start, end;
};

/* Compiles pattern (NUL-terminated, as typed). Returns a new filter the caller frees with
 * filter_free, or NULL with *e filled (e may be NULL) when the pattern is invalid or memory ran
 * out; the caller then keeps its previous filter. */
struct filter *filter_new(const char *pattern, struct filter_error *e);

/* Frees *f and sets it to NULL; NULL and *f == NULL are fine. */
void filter_free(struct filter **f);

/* The pattern as typed (owned by the filter). */
const char *filter_pattern(const struct filter *f);

/* True for a "!pattern" filter. */
bool filter_inverted(const struct filter *f);

/* True when the filter lets everything through (empty pattern): callers may skip matching. */
bool filter_all(const struct filter *f);

/* Whether subject[0..len) passes the filter (inversion applied). A NULL filter passes all. */
bool filter_match(const struct filter *f, const char *subject, size_t len);

/* The non-overlapping matches of the pattern in subject[0..len), for highlighting, in order;
 * stores at most max of them and returns how many it stored. Inverted and empty filters have no
 * spans (there is nothing to highlight). */
int filter_spans(const struct filter *f, const char *subject, size_t len, struct filter_span *spans,
                 int max);

#endif
