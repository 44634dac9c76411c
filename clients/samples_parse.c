#include "clients/samples_parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/json.h"
#include "clients/rfc3339.h"

/* One kept sample and the arena its strings live in. */
struct slot {
	struct sample s;
	struct arena *a;
};

struct samples {
	struct slot *v;
	size_t cap, head, n; /* head: the oldest */
	size_t bytes, max_bytes;
	uint64_t total, dropped, bad;
};

struct samples *samples_new(size_t cap)
{
	struct samples *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cap = cap ? cap : SAMPLES_CAP_DEFAULT;
	s->max_bytes = SAMPLES_BYTES_MAX;
	if (!(s->v = calloc(s->cap, sizeof *s->v))) {
		free(s);
		return NULL;
	}
	return s;
}

void samples_clear(struct samples *s)
{
	for (size_t i = 0; s && i < s->cap; i++) {
		arena_free(&s->v[i].a);
		memset(&s->v[i].s, 0, sizeof s->v[i].s);
	}
	if (s)
		s->head = s->n = s->bytes = 0;
}

size_t samples_bytes(const struct samples *s)
{
	return s ? s->bytes : 0;
}

void samples_set_max_bytes(struct samples *s, size_t max)
{
	s->max_bytes = max ? max : SAMPLES_BYTES_MAX;
}

static void drop_oldest(struct samples *s)
{
	s->bytes -= arena_bytes(s->v[s->head].a);
	arena_free(&s->v[s->head].a);
	s->head = (s->head + 1) % s->cap;
	s->n--;
	s->dropped++;
}

void samples_free(struct samples **s)
{
	if (!s || !*s)
		return;
	samples_clear(*s);
	free((*s)->v);
	free(*s);
	*s = NULL;
}

size_t samples_count(const struct samples *s)
{
	return s ? s->n : 0;
}

const struct sample *samples_at(const struct samples *s, size_t i)
{
	return s && i < s->n ? &s->v[(s->head + i) % s->cap].s : NULL;
}

const struct sample *samples_newest(const struct samples *s)
{
	return s && s->n ? samples_at(s, s->n - 1) : NULL;
}

uint64_t samples_total(const struct samples *s)
{
	return s ? s->total : 0;
}

uint64_t samples_dropped(const struct samples *s)
{
	return s ? s->dropped : 0;
}

uint64_t samples_bad(const struct samples *s)
{
	return s ? s->bad : 0;
}

/* A number of at most 6 decimals between 1e-4 and 1e9 in those decimals, as "%.15g" writes it
 * (the decimal that reads back as d is the one 15 digits round d to), without printf; 0 when d
 * is not one. */
static int decimal_text(double d, char *buf)
{
	static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
	double a = fabs(d);
	int k = 1;
	long long m = 0;
	if (!(a >= 1e-4 && a < 1e9))
		return 0;
	while (k <= 6 && (double)(m = llround(a * p10[k])) / p10[k] != a)
		k++;
	if (k > 6)
		return 0;
	while (m % 10 == 0 && k > 0) {
		m /= 10;
		k--;
	}
	char rev[24]; /* the digits, last first, at least k + 1 of them */
	int n = 0;
	do {
		rev[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m || n <= k);
	char *o = buf;
	if (d < 0)
		*o++ = '-';
	for (int i = n - 1; i >= 0; i--) {
		*o++ = rev[i];
		if (i == k && k)
			*o++ = '.';
	}
	*o = '\0';
	return 1;
}

/* A number as compact JSON writes it (whole numbers as integers, else the shortest of 15 or 17
 * digits that reads back the same; not finite: null), without a heap string per value nor, for
 * the common ones, printf's floating point: a followed file brings thousands a second. */
static const char *number_text(struct arena *a, double d)
{
	char buf[32];
	if (!isfinite(d))
		return arena_strdup(a, "null");
	if (d != 0 && fabs(d) < 1e15 && d == (double)(long long)d)
		snprintf(buf, sizeof buf, "%lld", (long long)d);
	else if (decimal_text(d, buf))
		;
	else if (snprintf(buf, sizeof buf, "%.15g", d) > 0 && strtod(buf, NULL) != d)
		snprintf(buf, sizeof buf, "%.17g", d);
	return arena_strdup(a, buf);
}

/* A value as text: a string as it is, null or absent as "", anything else compact JSON. */
static const char *text_of(struct arena *a, const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return arena_strdup(a, "");
	if (cJSON_IsString(v))
		return arena_strdup(a, v->valuestring);
	if (cJSON_IsNumber(v))
		return number_text(a, v->valuedouble);
	if (cJSON_IsBool(v))
		return arena_strdup(a, cJSON_IsTrue(v) ? "true" : "false");
	char *j = cJSON_PrintUnformatted(v);
	const char *t = j ? arena_strdup(a, j) : NULL;
	free(j);
	return t;
}

static const char *const known[] = {"time",  "model", "version", "prediction", "label",
                                    "score", "error", "id",      NULL};
static const char *const input_keys[] = {"input", "features", "inputs", NULL};

static int is_known(const char *k)
{
	for (int i = 0; known[i]; i++)
		if (strcmp(k, known[i]) == 0)
			return 1;
	return 0;
}

/* The feature values: the input object's members, or the line's other members. */
static int features_read(struct arena *a, const cJSON *o, struct kvlist *out)
{
	const cJSON *in = NULL, *it;
	for (int i = 0; !in && input_keys[i]; i++)
		in = json_obj(o, input_keys[i]);
	size_t n = 0;
	for (it = (in ? in : o)->child; it; it = it->next)
		n++;
	if (n && !(out->v = arena_calloc(a, n, sizeof *out->v)))
		return -1;
	for (it = (in ? in : o)->child; it; it = it->next) {
		if (!in && is_known(it->string))
			continue;
		struct kv *kv = &out->v[out->n];
		if (!(kv->name = arena_strdup(a, it->string)) || !(kv->value = text_of(a, it)))
			return -1;
		out->n++;
	}
	return 0;
}

static int64_t time_of(const cJSON *t)
{
	int64_t ms = 0;
	if (cJSON_IsString(t))
		rfc3339_parse(t->valuestring, &ms);
	else if (cJSON_IsNumber(t) && isfinite(t->valuedouble) && fabs(t->valuedouble) < 1e12)
		ms = (int64_t)(t->valuedouble * 1000);
	return ms;
}

static int fields_read(struct arena *a, const cJSON *o, struct sample *x)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "time");
	x->time_ms = time_of(t);
	x->time = text_of(a, t);
	x->model = text_of(a, cJSON_GetObjectItemCaseSensitive(o, "model"));
	x->version = text_of(a, cJSON_GetObjectItemCaseSensitive(o, "version"));
	x->prediction = text_of(a, cJSON_GetObjectItemCaseSensitive(o, "prediction"));
	x->label = text_of(a, cJSON_GetObjectItemCaseSensitive(o, "label"));
	x->error = text_of(a, cJSON_GetObjectItemCaseSensitive(o, "error"));
	x->has_score = json_double(o, "score", &x->score) == 0;
	if (!x->has_score)
		x->score = NAN;
	if (!x->time || !x->model || !x->version || !x->prediction || !x->label || !x->error)
		return -1;
	return features_read(a, o, &x->features);
}

/* Fills x from line (len bytes) in a; -1 out of memory. */
static int sample_read(struct arena *a, const char *line, size_t len, struct sample *x)
{
	static const char empty[] = "";
	cJSON *o = json_parse_object(line, len, "sample", NULL);
	int rc = 0;
	x->raw = arena_strndup(a, line, len);
	x->raw_len = len;
	if (!x->raw)
		rc = -1;
	else if (!o || len >= SAMPLES_LINE_MAX)
		x->bad = 1;
	else
		rc = fields_read(a, o, x);
	cJSON_Delete(o);
	if (x->bad) {
		x->time = x->model = x->version = x->prediction = x->label = x->error = empty;
		x->score = NAN;
	}
	return rc;
}

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* samples_add_line, keeping the sample only when keep (NULL: always) returns 1 for it. Returns 1
 * kept, 0 blank or not kept, -1. */
static int samples_add_line_if(struct samples *s, const char *line, size_t len,
                               samples_keep_fn keep, void *ud)
{
	if (len > SAMPLES_LINE_MAX)
		len = SAMPLES_LINE_MAX;
	if (len && line[len - 1] == '\r')
		len--;
	if (blank(line, len))
		return 0;
	struct slot new = {.a = arena_new(len * 2 + 256)};
	if (!new.a || sample_read(new.a, line, len, &new.s) < 0) {
		arena_free(&new.a);
		return -1;
	}
	if (keep && !keep(ud, s, &new.s)) {
		arena_free(&new.a);
		return 0;
	}
	size_t size = arena_bytes(new.a);
	while (s->n && (s->n == s->cap || s->bytes + size > s->max_bytes))
		drop_oldest(s);
	s->bytes += size;
	new.s.seq = ++s->total;
	s->bad += (uint64_t) new.s.bad;
	s->v[(s->head + s->n++) % s->cap] = new;
	return 1;
}

int samples_add_line(struct samples *s, const char *line, size_t len)
{
	return samples_add_line_if(s, line, len, NULL, NULL);
}

long samples_add_text(struct samples *s, const char *text, size_t len)
{
	return samples_add_text_if(s, text, len, NULL, NULL);
}

long samples_add_text_if(struct samples *s, const char *text, size_t len, samples_keep_fn keep,
                         void *ud)
{
	long kept = 0;
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		int rc = samples_add_line_if(s, text + at, n, keep, ud);
		if (rc < 0)
			return -1;
		kept += rc;
		at += n + 1;
	}
	return kept;
}
