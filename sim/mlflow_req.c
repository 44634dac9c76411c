/* mltop-sim: request arguments, page tokens and error answers shared by the MLflow handlers. */
#include "sim/mlflow_req.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mlflow_req_str(const struct mlflow_args *a, const char *key)
{
	cJSON *v;

	if (!a->body)
		return sim_query(a->req, key);
	v = cJSON_GetObjectItemCaseSensitive(a->body, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int mlflow_req_int(const struct mlflow_args *a, const char *key, long long dflt, long long *out,
                   struct sim_resp *resp)
{
	const char *s = NULL;
	char *end;
	cJSON *v;

	*out = dflt;
	if (a->body) {
		v = cJSON_GetObjectItemCaseSensitive(a->body, key);
		if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble)) {
			*out = (long long)v->valuedouble;
			return 0;
		}
		if (v && !cJSON_IsString(v) && !cJSON_IsNull(v))
			goto bad;
		s = cJSON_IsString(v) ? v->valuestring : NULL;
	} else {
		s = sim_query(a->req, key);
	}
	if (!s)
		return 0;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		goto bad;
	return 0;
bad:
	mlflow_req_bad(resp, "Invalid value for parameter '%s': expected an integer", key);
	return -1;
}

int mlflow_req_bool(const struct mlflow_args *a, const char *key)
{
	const char *s;
	cJSON *v;

	if (a->body) {
		v = cJSON_GetObjectItemCaseSensitive(a->body, key);
		if (cJSON_IsBool(v))
			return cJSON_IsTrue(v);
		s = cJSON_IsString(v) ? v->valuestring : NULL;
	} else {
		s = sim_query(a->req, key);
	}
	return s && strcmp(s, "true") == 0;
}

void mlflow_req_each(const struct mlflow_args *a, const char *key, void (*fn)(void *, const char *),
                     void *ud)
{
	cJSON *v, *it;

	if (!a->body) {
		sim_query_all(a->req, key, fn, ud);
		return;
	}
	v = cJSON_GetObjectItemCaseSensitive(a->body, key);
	if (cJSON_IsString(v))
		fn(ud, v->valuestring);
	if (!cJSON_IsArray(v))
		return;
	cJSON_ArrayForEach(it, v)
	{
		if (cJSON_IsString(it))
			fn(ud, it->valuestring);
	}
}

const char *mlflow_req_need(const struct mlflow_args *a, const char *key, struct sim_resp *resp)
{
	const char *s = mlflow_req_str(a, key);

	if (!s || !*s)
		mlflow_req_bad(resp,
		               "Missing value for required parameter '%s'. See the API docs for "
		               "more information about request parameters.",
		               key);
	return s && *s ? s : NULL;
}

static const char req_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *mlflow_req_token(long offset)
{
	return mlflow_req_token_nonce(offset, 0);
}

char *mlflow_req_token_nonce(long offset, unsigned long nonce)
{
	char json[64], *out;
	size_t n, i, o = 0;
	int w = nonce ? snprintf(json, sizeof(json), "{\"offset\": %ld, \"n\": %lu}", offset, nonce)
	              : snprintf(json, sizeof(json), "{\"offset\": %ld}", offset);

	if (w < 0 || (size_t)w >= sizeof(json))
		return NULL;
	n = (size_t)w;
	out = malloc((n + 2) / 3 * 4 + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)json[i] << 16;

		v |= i + 1 < n ? (unsigned char)json[i + 1] << 8 : 0;
		v |= i + 2 < n ? (unsigned char)json[i + 2] : 0;
		out[o++] = req_b64[(v >> 18) & 63];
		out[o++] = req_b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? req_b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? req_b64[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/* Decodes base64 (standard or URL-safe alphabet); returns the length or -1. */
static int req_unbase64(const char *s, char *out, size_t cap)
{
	unsigned v = 0;
	int bits = 0;
	size_t n = 0;

	for (; *s && *s != '='; s++) {
		const char *p = strchr(req_b64, *s == '-' ? '+' : *s == '_' ? '/' : *s);

		if (!p || !*s)
			return -1;
		v = (v << 6) | (unsigned)(p - req_b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= cap)
				return -1;
			out[n++] = (char)((v >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return (int)n;
}

int mlflow_req_offset(const struct mlflow_args *a, long *offset, struct sim_resp *resp)
{
	const char *tok = mlflow_req_str(a, "page_token");
	char json[128];
	cJSON *o, *v;

	*offset = 0;
	if (!tok || !*tok)
		return 0;
	if (req_unbase64(tok, json, sizeof(json)) < 0) {
		mlflow_req_bad(resp, "Invalid page token, could not base64-decode: %s", tok);
		return -1;
	}
	o = cJSON_Parse(json);
	v = cJSON_GetObjectItemCaseSensitive(o, "offset");
	if (!cJSON_IsNumber(v) || v->valuedouble < 0) {
		cJSON_Delete(o);
		mlflow_req_bad(resp, "Invalid page token, offset is not a valid integer: %s", tok);
		return -1;
	}
	*offset = (long)v->valuedouble;
	cJSON_Delete(o);
	return 0;
}

static void req_error(struct sim_resp *resp, int status, const char *code, const char *fmt,
                      const char *arg)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	sim_resp_mlflow_error(resp, status, code, msg);
}

void mlflow_req_bad(struct sim_resp *resp, const char *fmt, const char *arg)
{
	req_error(resp, 400, "INVALID_PARAMETER_VALUE", fmt, arg);
}

void mlflow_req_not_found(struct sim_resp *resp, const char *fmt, const char *arg)
{
	req_error(resp, 404, "RESOURCE_DOES_NOT_EXIST", fmt, arg);
}

void mlflow_req_add_kv(cJSON *arr, const char *k, const char *v)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "key", k);
	if (v && *v)
		cJSON_AddStringToObject(o, "value", v);
	cJSON_AddItemToArray(arr, o);
}

cJSON *mlflow_req_double(double v)
{
	if (isnan(v))
		return cJSON_CreateString("NaN");
	if (isinf(v))
		return cJSON_CreateString(v > 0 ? "Infinity" : "-Infinity");
	return cJSON_CreateNumber(v);
}

struct req_orders {
	const struct mlflow_query_spec *spec;
	struct mlflow_query *q;
	int bad;
	char err[512];
};

static void req_order_one(void *ud, const char *text)
{
	struct req_orders *os = ud;
	struct mlflow_query *q = os->q;

	if (os->bad || q->norder >= MLFLOW_REQ_MAX_ORDER)
		return;
	if (mlflow_filter_order(text, os->spec->rules, os->spec->nrules, &q->order[q->norder],
	                        os->err, sizeof(os->err)) != 0)
		os->bad = 1;
	else
		q->norder++;
}

int mlflow_req_query(const struct mlflow_args *a, const struct mlflow_query_spec *spec,
                     struct mlflow_query *q, struct sim_resp *resp)
{
	struct req_orders os;
	char num[32];

	memset(q, 0, sizeof(*q));
	os.spec = spec;
	os.q = q;
	os.bad = 0;
	os.err[0] = '\0';
	if (mlflow_req_int(a, "max_results", spec->default_max, &q->max, resp) != 0 ||
	    mlflow_req_offset(a, &q->offset, resp) != 0)
		return -1;
	snprintf(num, sizeof(num), "%lld", q->max);
	if (q->max <= 0 || q->max > spec->limit) {
		mlflow_req_bad(resp,
		               q->max <= 0
		                   ? "Invalid value %s for parameter 'max_results' supplied."
		                   : spec->limit_msg,
		               num);
		return -1;
	}
	if (mlflow_filter_parse(mlflow_req_str(a, "filter"), spec->rules, spec->nrules, &q->filter,
	                        os.err, sizeof(os.err)) != 0) {
		mlflow_req_bad(resp, "%s", os.err);
		return -1;
	}
	mlflow_req_each(a, "order_by", req_order_one, &os);
	if (os.bad) {
		mlflow_req_bad(resp, "%s", os.err);
		return -1;
	}
	return 0;
}

void mlflow_req_page(cJSON *out, const char *key, long n, long offset, long long max,
                     cJSON *(*item)(void *ud, long i), void *ud)
{
	cJSON *arr = NULL;
	long i;

	for (i = offset; i < n && i < offset + max; i++) {
		if (!arr)
			arr = cJSON_AddArrayToObject(out, key);
		cJSON_AddItemToArray(arr, item(ud, i));
	}
	if (offset + max < n) {
		char *tok = mlflow_req_token(offset + max);

		cJSON_AddStringToObject(out, "next_page_token", tok ? tok : "");
		free(tok);
	}
}
