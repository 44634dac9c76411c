/* jsonw: a small JSON writer for --snapshot --json and the audit export, so that panels can emit
 * JSON without knowing cJSON. Keys and strings are escaped (control characters as \u00XX, invalid
 * UTF-8 as U+FFFD); numbers that are not finite are written as null; times as RFC 3339 in UTC.
 * Calls nest: an object or array begun with a key inside an object, without one inside an array.
 * The text grows in memory; out of memory makes jsonw_text return NULL. */
#ifndef MLTOP_JSONW_H
#define MLTOP_JSONW_H

#include <stddef.h>
#include <stdint.h>

struct jsonw;

struct jsonw *jsonw_new(void);
void jsonw_free(struct jsonw **w);

/* key is NULL inside an array (and for the outermost value). */
void jsonw_obj_begin(struct jsonw *w, const char *key);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr_begin(struct jsonw *w, const char *key);
void jsonw_arr_end(struct jsonw *w);

void jsonw_str(struct jsonw *w, const char *key, const char *v); /* NULL: null */
void jsonw_num(struct jsonw *w, const char *key, double v);      /* NaN, ±Inf: null */
void jsonw_int(struct jsonw *w, const char *key, long long v);
void jsonw_bool(struct jsonw *w, const char *key, int v);
void jsonw_null(struct jsonw *w, const char *key);
/* Milliseconds since the epoch as "2026-12-02T03:14:15.123Z"; 0 or less: null. */
void jsonw_time(struct jsonw *w, const char *key, int64_t ms);

/* The text so far (NUL-terminated), or NULL after an allocation failed. */
const char *jsonw_text(const struct jsonw *w, size_t *len);

#endif
