#include "clients/jscan.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define NUMBER_MAX 63 /* characters: cJSON reads no more of a number */

void jscan_init(struct jscan *j, const char *body, size_t len)
{
	*j = (struct jscan){.p = body, .end = body ? body + len : NULL, .cap = len};
	j->bad = !body;
}

void jscan_free(struct jscan *j)
{
	free(j->buf);
	j->buf = NULL;
}

static int fail(struct jscan *j)
{
	j->bad = 1;
	return -1;
}

/* How a string is read: checked only, decoded, or refused when it has an escape. */
enum scan_mode { SCAN_CHECK, SCAN_DECODE, SCAN_PLAIN };
static int scan_string(struct jscan *j, struct jstr *s, enum scan_mode mode);

static int peek_space(struct jscan *j)
{
	const char *p = j->p, *end = j->end;
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	j->p = p;
	if (j->bad || p == end)
		return 0;
	if ((unsigned char)*p <= ' ') { /* what cJSON also skips as space; JSON does not */
		j->bad = 1;
		return 0;
	}
	return (unsigned char)*p;
}

static inline int peek(struct jscan *j)
{
	if (j->p < j->end && (unsigned char)*j->p > ' ' && !j->bad)
		return (unsigned char)*j->p;
	return peek_space(j);
}

int jscan_peek(struct jscan *j)
{
	return peek(j);
}

int jscan_enter(struct jscan *j, char open)
{
	int c = peek(j);
	if (!c)
		return fail(j);
	if (c != open)
		return 1;
	j->p++;
	return ++j->depth > JSCAN_DEPTH ? fail(j) : 0;
}

/* Before a member or an item: the end of the container (0), a first one or one after a comma
 * (1), or bad (-1). */
static int next_in(struct jscan *j, size_t *count, char close)
{
	int c = peek(j);
	if (c == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	if (*count > 0) {
		if (c != ',')
			return fail(j);
		j->p++;
	} else if (!c) {
		return fail(j);
	}
	(*count)++;
	return 1;
}

int jscan_member(struct jscan *j, size_t *count, struct jstr *key)
{
	int rc = next_in(j, count, '}');
	if (rc <= 0)
		return rc;
	if (peek(j) != '"' || scan_string(j, key, SCAN_PLAIN) < 0 || peek(j) != ':')
		return fail(j);
	j->p++;
	return 1;
}

int jscan_item(struct jscan *j, size_t *count)
{
	return next_in(j, count, ']');
}

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

static int special(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

/* The first '"', '\' or control byte at or after p, or end. Eight bytes at a time where words
 * can be read so: in each test the lowest flagged byte is a true one. */
static const char *find_special(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - p >= 8) {
		uint64_t v, q, b;
		memcpy(&v, p, 8);
		q = v ^ (ONES * '"');
		b = v ^ (ONES * '\\');
		uint64_t m = ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((v - ONES * 0x20) & ~v);
		m &= HIGH;
		if (m)
			return p + (__builtin_ctzll(m) >> 3);
		p += 8;
	}
#endif
	while (p < end && !special((unsigned char)*p))
		p++;
	return p;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)p[i];
		unsigned d = c >= '0' && c <= '9'   ? c - '0'
		             : c >= 'a' && c <= 'f' ? c - 'a' + 10
		             : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                                    : 16;
		if (d == 16)
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t utf8_put(char *o, unsigned cp)
{
	if (cp == 0) { /* the visible "\0", as clients/json.h reads it */
		o[0] = '\\';
		o[1] = '0';
		return 2;
	}
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* \uXXXX at p (after the backslash and 'u'), with its low half when it is a high surrogate:
 * the code point, and *p past what was read; -1 for a lone or invalid one. */
static long utf16_escape(const char **p, const char *end)
{
	unsigned hi, lo;
	if (hex4(*p, end, &hi) < 0 || (hi >= 0xDC00 && hi <= 0xDFFF))
		return -1;
	*p += 4;
	if (hi < 0xD800 || hi > 0xDBFF)
		return hi;
	if (end - *p < 6 || (*p)[0] != '\\' || (*p)[1] != 'u' || hex4(*p + 2, end, &lo) < 0 ||
	    lo < 0xDC00 || lo > 0xDFFF)
		return -1;
	*p += 6;
	return 0x10000 + ((long)(hi - 0xD800) << 10) + (lo - 0xDC00);
}

/* The byte a one-letter escape stands for, or -1. */
static int escaped(char c)
{
	switch (c) {
	case '"':
	case '\\':
	case '/':
		return c;
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	}
	return -1;
}

/* One escape at p (after the backslash): its bytes into o (when not NULL), their count; *p past
 * it. -1 when invalid. */
static int escape(const char **p, const char *end, char *o)
{
	char tmp[4];
	if (*p >= end)
		return -1;
	int c = escaped(**p);
	if (c >= 0) {
		if (o)
			*o = (char)c;
		(*p)++;
		return 1;
	}
	if (**p != 'u')
		return -1;
	(*p)++;
	long cp = utf16_escape(p, end);
	return cp < 0 ? -1 : (int)utf8_put(o ? o : tmp, (unsigned)cp);
}

/* The string at j->p (its opening quote), read as mode says. */
static int scan_string(struct jscan *j, struct jstr *s, enum scan_mode mode)
{
	const char *p = j->p + 1, *start = p, *end = j->end;
	char *o = NULL;
	for (;;) {
		const char *q = find_special(p, end);
		if (q == end || (unsigned char)*q < 0x20)
			return fail(j);
		if (o) {
			memcpy(o, p, (size_t)(q - p));
			o += q - p;
		}
		p = q + 1;
		if (*q == '"')
			break;
		if (mode == SCAN_PLAIN)
			return fail(j);
		if (mode == SCAN_DECODE && !o) {
			if (!j->buf && !(j->buf = malloc(j->cap ? j->cap : 1)))
				return fail(j);
			o = j->buf + j->used;
			memcpy(o, start, (size_t)(q - start));
			o += q - start;
		}
		int n = escape(&p, end, o);
		if (n < 0)
			return fail(j);
		if (o)
			o += n;
	}
	j->p = p;
	if (o) {
		s->p = j->buf + j->used;
		s->n = (size_t)(o - s->p);
		j->used += s->n;
	} else {
		s->p = start;
		s->n = (size_t)(p - 1 - start);
	}
	return 0;
}

int jstr_is(const struct jstr *s, const char *w)
{
	return s->p && strlen(w) == s->n && memcmp(s->p, w, s->n) == 0;
}

/* ---- numbers ---- */

static const double pow10s[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

struct numtext {
	uint64_t w;  /* the digits, as long as they fit */
	int exp;     /* the power of ten that w is scaled by */
	int inexact; /* digits were dropped from w, or the exponent is huge */
};

static const char *digits(const char *p, const char *end, struct numtext *t, int frac)
{
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (t->w <= (UINT64_MAX - 9) / 10) {
			t->w = t->w * 10 + (uint64_t)(*p - '0');
			t->exp -= frac;
		} else {
			t->inexact = 1;
		}
	}
	return p;
}

static const char *exponent(const char *p, const char *end, struct numtext *t)
{
	int neg = 0, e = 0;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		if (e < 100000)
			e = e * 10 + (*p - '0');
	if (e >= 100000)
		t->inexact = 1;
	t->exp += neg ? -e : e;
	return p;
}

/* The grammar of a JSON number from p: its end, or NULL. */
static const char *number_text(const char *p, const char *end, struct numtext *t)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		p = digits(p, end, t, 0);
	else
		return NULL;
	if (p < end && *p == '.') {
		if (++p >= end || *p < '0' || *p > '9')
			return NULL;
		p = digits(p, end, t, 1);
	}
	if (p < end && (*p == 'e' || *p == 'E'))
		p = exponent(p + 1, end, t);
	return p;
}

/* What cJSON takes as part of a number (and so must not follow one here). */
static int number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

/* As cJSON: strtod over a copy with the locale's decimal point. */
static double slow_strtod(const char *s, size_t n)
{
	char buf[NUMBER_MAX + 1];
	char point = *localeconv()->decimal_point;
	for (size_t i = 0; i < n; i++)
		buf[i] = s[i] == '.' ? point : s[i];
	buf[n] = '\0';
	return strtod(buf, NULL);
}

int jscan_number(struct jscan *j, double *d)
{
	struct numtext t = {0};
	int c = peek(j);
	if (c != '-' && (c < '0' || c > '9'))
		return fail(j);
	const char *s = j->p, *e = number_text(s, j->end, &t);
	if (!e || e - s > NUMBER_MAX || (e < j->end && number_char(*e)))
		return fail(j);
	j->p = e;
	/* Both the digits and the power of ten exact as doubles: one rounding, as strtod's. */
	if (!t.inexact && t.w <= (1ULL << 53) && t.exp >= -22 && t.exp <= 22)
		*d = t.exp < 0 ? (double)t.w / pow10s[-t.exp] : (double)t.w * pow10s[t.exp];
	else
		*d = slow_strtod(s + (*s == '-'), (size_t)(e - s - (*s == '-')));
	if (*s == '-')
		*d = -*d;
	return 0;
}

/* ---- any value ---- */

static int literal(struct jscan *j, const char *w, size_t n)
{
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return fail(j);
	j->p += n;
	return 0;
}

static int skip_container(struct jscan *j, char open)
{
	size_t count = 0;
	struct jstr key;
	int rc;
	if (jscan_enter(j, open) != 0)
		return fail(j);
	while ((rc = open == '{' ? jscan_member(j, &count, &key) : jscan_item(j, &count)) > 0)
		if (jscan_skip(j) < 0)
			return -1;
	return rc;
}

int jscan_skip(struct jscan *j)
{
	struct jstr s;
	double d;
	switch (peek(j)) {
	case '{':
		return skip_container(j, '{');
	case '[':
		return skip_container(j, '[');
	case '"':
		return scan_string(j, &s, SCAN_CHECK);
	case 't':
		return literal(j, "true", 4);
	case 'f':
		return literal(j, "false", 5);
	case 'n':
		return literal(j, "null", 4);
	default:
		return jscan_number(j, &d);
	}
}

int jscan_str(struct jscan *j, struct jstr *s)
{
	s->p = NULL;
	s->n = 0;
	if (peek(j) == '"')
		return scan_string(j, s, SCAN_DECODE);
	return jscan_skip(j);
}
