#include "clients/json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

cJSON *json_parse_object(const char *body, size_t len, const char *what, struct err *e)
{
	if (!body || len == 0) {
		err_set(e, ERR_PARSE, "%s: empty body", what);
		return NULL;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (!root) {
		size_t at = end && end >= body ? (size_t)(end - body) : 0;
		err_set(e, ERR_PARSE, "%s: invalid JSON near byte %zu of %zu", what, at, len);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
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
