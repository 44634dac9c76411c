/* json: typed getters over cJSON, for the parsers of clients/. Every getter tolerates a missing
 * key and a value of the wrong type (the caller gets "absent"), so that JSON of the wrong shape
 * never crashes a parser. cJSON never leaves clients/: no header outside it includes this one. */
#ifndef MLTOP_JSON_H
#define MLTOP_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"

/* Parses len bytes (a body need not be NUL-terminated) and requires a JSON object at the top.
 * what names the body in the error ("runs/search page"). Returns NULL with e filled
 * (ERR_PARSE) for invalid or truncated JSON or a top level that is not an object. A NUL escaped
 * in a string (\u0000) comes back as the two characters '\' '0' instead of ending the string. */
cJSON *json_parse_object(const char *body, size_t len, const char *what, struct err *e);
/* The same for any JSON value at the top (an array, a bare string). */
cJSON *json_parse_any(const char *body, size_t len, const char *what, struct err *e);

/* The member key of obj when it has the named type, else NULL (also when obj is NULL or not an
 * object). */
const cJSON *json_obj(const cJSON *obj, const char *key);
const cJSON *json_arr(const cJSON *obj, const char *key);
const char *json_str(const cJSON *obj, const char *key);

/* A double from a JSON number or one of the strings "NaN", "Infinity", "-Infinity" (protobuf
 * JSON), or a numeric string. Returns 0 and sets *out, or -1 (absent or not a number). */
int json_item_double(const cJSON *item, double *out);
int json_double(const cJSON *obj, const char *key, double *out);

/* An int64 from a JSON number or a numeric string (protobuf int64). Returns 0 or -1. */
int json_item_i64(const cJSON *item, int64_t *out);
/* The int64 member, or def when absent or not an integer. */
int64_t json_i64(const cJSON *obj, const char *key, int64_t def);

/* 1 for true, 0 for false, def when absent or not a boolean. */
int json_bool(const cJSON *obj, const char *key, int def);

/* The number of elements of an array item (0 for NULL or a non-array). */
size_t json_count(const cJSON *arr);

#endif
