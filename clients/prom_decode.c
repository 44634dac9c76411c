#include "clients/prom_decode.h"

#include <stdlib.h>
#include <string.h>

#include "clients/expo.h"
#include "clients/httperr.h"
#include "clients/json.h"

static void prom_series_fini(struct prom_series *s)
{
	for (size_t i = 0; i < s->nlabels; i++) {
		free(s->labels[i].name);
		free(s->labels[i].value);
	}
	free(s->labels);
	free(s->samples);
}

void prom_result_fini(struct prom_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		prom_series_fini(&r->series[i]);
	free(r->series);
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->string);
	long status = r->status;
	*r = (struct prom_result){.status = status};
}

const char *prom_series_label(const struct prom_series *s, const char *name)
{
	for (size_t i = 0; i < s->nlabels; i++)
		if (strcmp(s->labels[i].name, name) == 0)
			return s->labels[i].value;
	return NULL;
}

/* [ts, "value"]: 0, or -1 when the pair is not one. */
static int prom_pair(const cJSON *pair, struct prom_sample *out)
{
	const cJSON *t = cJSON_GetArrayItem(pair, 0), *v = cJSON_GetArrayItem(pair, 1);
	if (!cJSON_IsArray(pair) || json_count(pair) != 2 || !cJSON_IsNumber(t) ||
	    !cJSON_IsString(v))
		return -1;
	out->t = t->valuedouble;
	return expo_float(v->valuestring, &out->v);
}

static int prom_labels(struct prom_series *s, const cJSON *metric)
{
	size_t n = 0;
	const cJSON *l;
	cJSON_ArrayForEach(l, metric) n += cJSON_IsString(l) != 0;
	if (!n)
		return 0;
	if (!(s->labels = calloc(n, sizeof *s->labels)))
		return ERR_NOMEM;
	cJSON_ArrayForEach(l, metric)
	{
		if (!cJSON_IsString(l))
			continue;
		struct prom_label *d = &s->labels[s->nlabels++];
		d->name = strdup(l->string);
		d->value = strdup(l->valuestring);
		if (!d->name || !d->value)
			return ERR_NOMEM;
	}
	return 0;
}

/* The samples of one series: its "value" (vector) or "values" (matrix). */
static int prom_samples(struct prom_result *r, struct prom_series *s, const cJSON *item)
{
	const cJSON *one = cJSON_GetObjectItemCaseSensitive(item, "value");
	const cJSON *many = json_arr(item, "values"), *p;
	size_t n = r->type == PROM_VECTOR ? 1 : json_count(many);
	if (n > PROM_MAX_SAMPLES) {
		n = PROM_MAX_SAMPLES;
		r->truncated = 1;
	}
	if (!n)
		return 0;
	if (!(s->samples = malloc(n * sizeof *s->samples)))
		return ERR_NOMEM;
	if (r->type == PROM_VECTOR)
		return prom_pair(one, s->samples) == 0 ? (s->n = 1, 0) : ERR_PARSE;
	cJSON_ArrayForEach(p, many)
	{
		if (s->n == n)
			break;
		if (prom_pair(p, &s->samples[s->n]) < 0)
			return ERR_PARSE;
		s->n++;
	}
	return 0;
}

static int prom_series_list(struct prom_result *r, const cJSON *result)
{
	size_t n = json_count(result);
	const cJSON *item;
	if (!cJSON_IsArray(result))
		return ERR_PARSE;
	if (n > PROM_MAX_SERIES) {
		n = PROM_MAX_SERIES;
		r->truncated = 1;
	}
	if (n && !(r->series = calloc(n, sizeof *r->series)))
		return ERR_NOMEM;
	cJSON_ArrayForEach(item, result)
	{
		if (r->n == n)
			break;
		struct prom_series *s = &r->series[r->n++];
		const cJSON *metric = json_obj(item, "metric");
		if (!metric)
			return ERR_PARSE;
		int rc = prom_labels(s, metric);
		if (rc == 0)
			rc = prom_samples(r, s, item);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int prom_data(struct prom_result *r, const cJSON *data)
{
	static const char *const types[] = {"", "vector", "matrix", "scalar", "string"};
	const char *type = json_str(data, "resultType");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(data, "result");
	for (int i = 1; type && i < 5; i++)
		if (strcmp(type, types[i]) == 0)
			r->type = (enum prom_rtype)i;
	if (r->type == PROM_VECTOR || r->type == PROM_MATRIX)
		return prom_series_list(r, result);
	if (r->type == PROM_SCALAR)
		return prom_pair(result, &r->scalar) == 0 ? 0 : ERR_PARSE;
	if (r->type != PROM_STRING || json_count(result) != 2)
		return ERR_PARSE;
	const cJSON *t = cJSON_GetArrayItem(result, 0), *v = cJSON_GetArrayItem(result, 1);
	if (!cJSON_IsNumber(t) || !cJSON_IsString(v))
		return ERR_PARSE;
	r->scalar.t = t->valuedouble;
	return (r->string = strdup(v->valuestring)) ? 0 : ERR_NOMEM;
}

static int prom_warnings(struct prom_result *r, const cJSON *root)
{
	const cJSON *w;
	size_t n = json_count(json_arr(root, "warnings"));
	if (n > PROM_MAX_WARNINGS)
		n = PROM_MAX_WARNINGS;
	if (!n)
		return 0;
	if (!(r->warnings = calloc(n, sizeof *r->warnings)))
		return ERR_NOMEM;
	cJSON_ArrayForEach(w, json_arr(root, "warnings"))
	{
		if (r->nwarnings == n)
			break;
		if (cJSON_IsString(w) && !(r->warnings[r->nwarnings++] = strdup(w->valuestring)))
			return ERR_NOMEM;
	}
	return 0;
}

static int prom_error(struct prom_result *r, const char *content_type, const char *body, size_t len,
                      struct err *e)
{
	char line[ERR_MSG_MAX];
	cJSON *o = json_parse_object(body, len, "", NULL);
	r->starting = r->status == 503 && !o;
	cJSON_Delete(o);
	if (r->starting)
		return err_set(e, ERR_HTTP, "Prometheus 503: starting up, not ready yet");
	httperr_format(line, sizeof line, "Prometheus", r->status, content_type, body, len);
	return err_set(e, ERR_HTTP, "%s", line);
}

int prom_decode(long status, const char *content_type, const char *body, size_t len,
                struct prom_result *r, struct err *e)
{
	*r = (struct prom_result){.status = status};
	if (status != 200)
		return prom_error(r, content_type, body, len, e);
	cJSON *root = json_parse_object(body, len, "Prometheus answer", e);
	if (!root)
		return ERR_PARSE;
	const char *st = json_str(root, "status");
	int rc = ERR_PARSE;
	if (st && strcmp(st, "error") == 0)
		rc = prom_error(r, content_type, body, len, e);
	else if (st && strcmp(st, "success") == 0 && (rc = prom_warnings(r, root)) == 0)
		rc = prom_data(r, json_obj(root, "data"));
	if (rc == ERR_PARSE)
		err_set(e, ERR_PARSE, "Prometheus %ld: not a Prometheus answer (bad %s)", status,
		        r->type ? "result"
		        : st    ? "data"
		                : "status");
	else if (rc == ERR_NOMEM)
		err_set(e, ERR_NOMEM, "out of memory");
	cJSON_Delete(root);
	if (rc < 0 && rc != ERR_HTTP)
		prom_result_fini(r);
	return rc;
}
