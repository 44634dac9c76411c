#include "clients/expo.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clients/err.h"

#define EXPO_FAMILY_MAX 1024

struct expo_parser {
	expo_sample_fn fn;
	void *ud;
	struct expo_stats *st;
	enum expo_type ftype;
	char family[EXPO_FAMILY_MAX]; /* the last # TYPE name, "" when none */
	struct expo_sample s;
	char line[EXPO_LINE_MAX + 1];
};

/* ---- numbers --------------------------------------------------------------------------- */

static const double expo_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The exact fast path: at most 15 significant digits and a power of ten up to 22, where one
 * multiplication or division of exact doubles rounds correctly. 1 when it does not apply. */
static int expo_float_fast(const char *s, double *out)
{
	const char *p = s;
	int neg = *p == '-', digits = 0, exp10 = 0;
	uint64_t m = 0;
	if (*p == '-' || *p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		m = m * 10 + (uint64_t)(*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++, exp10--)
			m = m * 10 + (uint64_t)(*p - '0');
	if (*p == 'e' || *p == 'E') {
		int eneg = p[1] == '-', e = 0, n = 0;
		for (p += (p[1] == '-' || p[1] == '+') ? 2 : 1; *p >= '0' && *p <= '9' && n < 4;
		     p++, n++)
			e = e * 10 + (*p - '0');
		if (!n)
			return 1;
		exp10 += eneg ? -e : e;
	}
	if (*p || digits == 0 || digits > 15 || exp10 < -22 || exp10 > 22)
		return 1;
	double v = (double)m;
	v = exp10 < 0 ? v / expo_pow10[-exp10] : v * expo_pow10[exp10];
	*out = neg ? -v : v;
	return 0;
}

/* strtod in the C locale (mltop runs under the user's LC_NUMERIC, where ',' may be the point). */
static int expo_float_slow(const char *s, double *out)
{
	static locale_t c_locale;
	if (!c_locale)
		c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
	char *end = NULL;
	double v = strtod(s, &end);
	if (old)
		uselocale(old);
	if (end == s || *end || strchr(s, '(') || strpbrk(s, "xX"))
		return -1;
	*out = v;
	return 0;
}

int expo_float(const char *s, double *out)
{
	const char *p = s + (*s == '+' || *s == '-');
	if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0) {
		*out = *s == '-' ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (strcasecmp(p, "nan") == 0) {
		*out = NAN;
		return 0;
	}
	if (!*p || (*p != '.' && (*p < '0' || *p > '9')))
		return -1;
	return expo_float_fast(s, out) == 0 ? 0 : expo_float_slow(s, out);
}

static int expo_int64(const char *s, int64_t *out)
{
	const char *p = s + (*s == '-' || *s == '+');
	int64_t v = 0;
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*out = *s == '-' ? -v : v;
	return 0;
}

/* ---- one line -------------------------------------------------------------------------- */

static int expo_is_name0(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

static int expo_is_name(char c)
{
	return expo_is_name0(c) || (c >= '0' && c <= '9');
}

static char *expo_skip_ws(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Reads a name (metric names may hold ':', label names may not) and ends it with NUL at its
 * end only when the caller has looked at the next character (returned via *next). */
static char *expo_name(char *p, int colon, char **end)
{
	if (!expo_is_name0(*p) || (!colon && *p == ':'))
		return NULL;
	char *q = p + 1;
	while (expo_is_name(*q) && (colon || *q != ':'))
		q++;
	*end = q;
	return p;
}

/* Unescapes a quoted label value in place, from just after the opening quote. Returns the
 * character after the closing quote, or NULL when the quote is missing. */
static char *expo_label_value(char *p, char **value)
{
	char *w = p;
	*value = p;
	for (; *p && *p != '"'; p++) {
		if (*p != '\\') {
			*w++ = *p;
			continue;
		}
		p++;
		if (!*p)
			return NULL;
		/* \\ \" \n are the escapes; anything else is kept as it came, as Prometheus does */
		if (*p == 'n')
			*w++ = '\n';
		else if (*p == '\\' || *p == '"')
			*w++ = *p;
		else {
			*w++ = '\\';
			*w++ = *p;
		}
	}
	if (*p != '"')
		return NULL;
	*w = '\0';
	return p + 1;
}

static const char *expo_add_label(struct expo_sample *s, const char *name, const char *value)
{
	for (size_t i = 0; i < s->nlabels; i++)
		if (strcmp(s->labels[i].name, name) == 0)
			return "repeated label";
	if (s->nlabels == EXPO_LABELS_MAX)
		return "too many labels";
	s->labels[s->nlabels++] = (struct expo_label){name, value};
	return NULL;
}

/* Parses "{a="x",b="y",}" from just after '{'; *pp ends just after '}'. */
static const char *expo_labels(struct expo_sample *s, char **pp)
{
	char *p = *pp, *end, *value;
	for (;;) {
		p = expo_skip_ws(p);
		if (*p == '}')
			break;
		char *name = expo_name(p, 0, &end);
		if (!name)
			return *p ? "bad label name" : "missing '}'";
		p = expo_skip_ws(end);
		if (*p != '=')
			return "missing '=' after a label name";
		*end = '\0';
		p = expo_skip_ws(p + 1);
		if (*p != '"')
			return "missing '\"' before a label value";
		if (!(p = expo_label_value(p + 1, &value)))
			return "unterminated label value";
		const char *why = expo_add_label(s, name, value);
		if (why)
			return why;
		p = expo_skip_ws(p);
		if (*p == ',')
			p++;
		else if (*p != '}')
			return "missing ',' or '}'";
	}
	*pp = p + 1;
	return NULL;
}

/* Cuts the next blank-separated token; NULL at the end of the line. */
static char *expo_token(char **pp)
{
	char *p = expo_skip_ws(*pp);
	if (!*p)
		return NULL;
	char *t = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*pp = p;
	return t;
}

static int expo_suffix(const char *name, size_t flen, const char *sfx)
{
	return strcmp(name + flen, sfx) == 0;
}

/* The family of a sample from the last # TYPE line: the type and which part it is. */
static void expo_family(struct expo_parser *ps, struct expo_sample *s)
{
	size_t flen = strlen(ps->family);
	s->family = s->name;
	s->type = EXPO_UNTYPED;
	s->part = EXPO_PLAIN;
	if (!flen || strncmp(s->name, ps->family, flen) != 0)
		return;
	enum expo_part part = EXPO_PLAIN;
	if (s->name[flen] == '\0')
		part = EXPO_PLAIN;
	else if (ps->ftype == EXPO_HISTOGRAM && expo_suffix(s->name, flen, "_bucket"))
		part = EXPO_BUCKET;
	else if ((ps->ftype == EXPO_HISTOGRAM || ps->ftype == EXPO_SUMMARY) &&
	         expo_suffix(s->name, flen, "_sum"))
		part = EXPO_SUM;
	else if ((ps->ftype == EXPO_HISTOGRAM || ps->ftype == EXPO_SUMMARY) &&
	         expo_suffix(s->name, flen, "_count"))
		part = EXPO_COUNT;
	else
		return;
	s->family = ps->family;
	s->type = ps->ftype;
	s->part = part;
}

static const char *expo_value_ts(struct expo_sample *s, char *p)
{
	char *v = expo_token(&p), *ts = expo_token(&p);
	if (!v)
		return "missing value";
	if (expo_float(v, &s->value) < 0)
		return "bad value";
	s->has_ts = ts != NULL;
	s->ts_ms = 0;
	if (ts && expo_int64(ts, &s->ts_ms) < 0)
		return "bad timestamp";
	return expo_token(&p) ? "text after the timestamp" : NULL;
}

static const char *expo_sample_line(struct expo_parser *ps, char *p)
{
	struct expo_sample *s = &ps->s;
	char *end;
	s->nlabels = 0;
	if (!(s->name = expo_name(p, 1, &end)))
		return "bad metric name";
	p = expo_skip_ws(end);
	int braces = *p == '{';
	if (!braces && p == end && *p)
		return "bad character after the metric name";
	*end = '\0';
	if (braces) {
		p++;
		const char *why = expo_labels(s, &p);
		if (why)
			return why;
		if (*p && *p != ' ' && *p != '\t')
			return "missing blank before the value";
	}
	const char *why = expo_value_ts(s, p);
	if (!why)
		expo_family(ps, s);
	return why;
}

static enum expo_type expo_type_of(const char *t)
{
	static const char *const names[] = {"untyped", "counter", "gauge", "histogram", "summary"};
	for (int i = 0; i < 5; i++)
		if (strcmp(t, names[i]) == 0)
			return (enum expo_type)i;
	return (enum expo_type) - 1;
}

/* "# TYPE name type" sets the family; "# HELP" and other comments are skipped. */
static const char *expo_comment(struct expo_parser *ps, char *p)
{
	if (p[1] != ' ' && p[1] != '\t')
		return NULL; /* "#TYPE" is a plain comment */
	p = expo_skip_ws(p + 1);
	char *kw = expo_token(&p);
	if (!kw || strcmp(kw, "TYPE") != 0)
		return NULL;
	char *name = expo_token(&p), *type = expo_token(&p), *end;
	if (!name || !type || !expo_name(name, 1, &end) || *end)
		return "bad # TYPE line";
	enum expo_type t = expo_type_of(type);
	if ((int)t < 0 || expo_token(&p))
		return "bad # TYPE line";
	ps->ftype = t;
	if (strlen(name) >= sizeof ps->family)
		return "metric name too long";
	strcpy(ps->family, name);
	return NULL;
}

static void expo_reject(struct expo_parser *ps, size_t lineno, const char *why)
{
	struct expo_stats *st = ps->st;
	if (!st->rejected++)
		snprintf(st->first_error, sizeof st->first_error, "line %zu: %s", lineno, why);
}

/* One line of n bytes (no newline). Returns 1 when the callback asked to stop. */
static int expo_line(struct expo_parser *ps, const char *text, size_t n, size_t lineno)
{
	if (n && text[n - 1] == '\r')
		n--;
	if (n > EXPO_LINE_MAX)
		return expo_reject(ps, lineno, "line too long"), 0;
	if (memchr(text, '\0', n))
		return expo_reject(ps, lineno, "NUL byte"), 0;
	memcpy(ps->line, text, n);
	ps->line[n] = '\0';
	char *p = expo_skip_ws(ps->line);
	if (!*p)
		return 0;
	const char *why = *p == '#' ? expo_comment(ps, p) : expo_sample_line(ps, p);
	if (why)
		return expo_reject(ps, lineno, why), 0;
	if (*p == '#')
		return 0;
	ps->s.line = lineno;
	ps->st->samples++;
	return ps->fn(ps->ud, &ps->s) != 0;
}

int expo_parse(const char *body, size_t len, expo_sample_fn fn, void *ud, struct expo_stats *st)
{
	struct expo_stats local = {0};
	struct expo_parser *ps = malloc(sizeof *ps);
	if (!ps)
		return ERR_NOMEM;
	*ps = (struct expo_parser){.fn = fn, .ud = ud, .st = st ? st : &local};
	memset(ps->st, 0, sizeof *ps->st);
	int rc = 0;
	size_t at = 0, lineno = 0;
	while (at < len && !rc) {
		const char *nl = memchr(body + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (body + at)) : len - at;
		ps->st->lines++;
		rc = expo_line(ps, body + at, n, ++lineno);
		at += n + 1;
	}
	free(ps);
	return rc;
}

const char *expo_label(const struct expo_sample *s, const char *name)
{
	for (size_t i = 0; i < s->nlabels; i++)
		if (strcmp(s->labels[i].name, name) == 0)
			return s->labels[i].value;
	return NULL;
}
