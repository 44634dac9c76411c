#include "clients/json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* cJSON decodes the escape \u0000 into a NUL byte, and every C string then ends there: a run
 * named "a\u0000b" would read as "a", the rest silently gone. So before parsing, each \u0000
 * escape is rewritten as the JSON text \\0, which decodes to the two visible characters '\'
 * and '0' (what the sanitizer shows for a NUL byte): both halves survive and the NUL is seen.
 * The scan steps over every escape pair, so an escaped backslash followed by "u0000" is left
 * alone. It works on a copy, made only when the text \u0000 occurs in the body; the copy is
 * never longer than the body. Returns NULL when there is nothing to rewrite or no memory. */
static char *json_unnul(const char *body, size_t len, size_t *out_len)
{
	static const char esc[] = "\\u0000";
	const char *p = body, *end = body + len;
	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL &&
	       (end - p < 6 || memcmp(p, esc, 6)))
		p++;
	if (!p)
		return NULL;
	char *out = malloc(len);
	size_t o = 0;
	for (size_t i = 0; out && i < len;) {
		if (body[i] == '\\' && len - i >= 6 && memcmp(body + i, esc, 6) == 0) {
			memcpy(out + o, "\\\\0", 3);
			o += 3;
			i += 6;
		} else if (body[i] == '\\' && i + 1 < len) {
			out[o++] = body[i++];
			out[o++] = body[i++];
		} else {
			out[o++] = body[i++];
		}
	}
	*out_len = o;
	return out;
}

cJSON *json_parse_any(const char *body, size_t len, const char *what, struct err *e)
{
	if (!body || len == 0) {
		err_set(e, ERR_PARSE, "%s: empty body", what);
		return NULL;
	}
	const char *end = NULL;
	size_t clean_len = 0;
	char *clean = json_unnul(body, len, &clean_len);
	cJSON *root = clean ? cJSON_ParseWithLengthOpts(clean, clean_len, &end, 0)
	                    : cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (clean) {
		end = NULL; /* an offset into the copy: not the body's */
		free(clean);
	}
	if (!root) {
		size_t at = end && end >= body ? (size_t)(end - body) : 0;
		err_set(e, ERR_PARSE, "%s: invalid JSON near byte %zu of %zu", what, at, len);
		return NULL;
	}
	return root;
}

cJSON *json_parse_object(const char *body, size_t len, const char *what, struct err *e)
{
	cJSON *root = json_parse_any(body, len, what, e);
	if (root && !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		err_set(e, ERR_PARSE, "%s: expected a JSON object", what);
		return NULL;
	}
	return root;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const cJSON *json_obj(const cJSON *obj, const char *key)
{
	const cJSON *it = member(obj, key);
	return cJSON_IsObject(it) ? it : NULL;
}

const cJSON *json_arr(const cJSON *obj, const char *key)
{
	const cJSON *it = member(obj, key);
	return cJSON_IsArray(it) ? it : NULL;
}

const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *it = member(obj, key);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int string_double(const char *s, double *out)
{
	if (strcmp(s, "NaN") == 0) {
		*out = NAN;
		return 0;
	}
	if (strcmp(s, "Infinity") == 0) {
		*out = INFINITY;
		return 0;
	}
	if (strcmp(s, "-Infinity") == 0) {
		*out = -INFINITY;
		return 0;
	}
	if (!*s)
		return -1;
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (*end || errno == ERANGE)
		return -1;
	*out = d;
	return 0;
}

int json_item_double(const cJSON *item, double *out)
{
	if (cJSON_IsNumber(item)) {
		*out = item->valuedouble;
		return 0;
	}
	if (cJSON_IsString(item) && item->valuestring)
		return string_double(item->valuestring, out);
	return -1;
}

int json_double(const cJSON *obj, const char *key, double *out)
{
	return json_item_double(member(obj, key), out);
}

int json_item_i64(const cJSON *item, int64_t *out)
{
	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;
		if (!(d >= -9.2e18 && d <= 9.2e18))
			return -1;
		*out = (int64_t)d;
		return 0;
	}
	if (cJSON_IsString(item) && item->valuestring && *item->valuestring) {
		char *end;
		errno = 0;
		long long v = strtoll(item->valuestring, &end, 10);
		if (*end || errno == ERANGE)
			return -1;
		*out = v;
		return 0;
	}
	return -1;
}

int64_t json_i64(const cJSON *obj, const char *key, int64_t def)
{
	int64_t v;
	return json_item_i64(member(obj, key), &v) == 0 ? v : def;
}

int json_bool(const cJSON *obj, const char *key, int def)
{
	const cJSON *it = member(obj, key);
	if (cJSON_IsTrue(it))
		return 1;
	if (cJSON_IsFalse(it))
		return 0;
	return def;
}

size_t json_count(const cJSON *arr)
{
	size_t n = 0;
	if (!cJSON_IsArray(arr))
		return 0;
	for (const cJSON *c = arr->child; c; c = c->next)
		n++;
	return n;
}
