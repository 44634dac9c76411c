#include "clients/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JSONW_DEPTH 64

struct jsonw {
	char *buf;
	size_t len, cap;
	int failed;
	int depth;
	int first[JSONW_DEPTH]; /* per level: no value written yet */
};

struct jsonw *jsonw_new(void)
{
	struct jsonw *w = calloc(1, sizeof *w);
	if (w)
		w->first[0] = 1;
	return w;
}

void jsonw_free(struct jsonw **w)
{
	if (!w || !*w)
		return;
	free((*w)->buf);
	free(*w);
	*w = NULL;
}

static void put(struct jsonw *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		while (cap < w->len + n + 1)
			cap *= 2;
		char *b = realloc(w->buf, cap);
		if (!b) {
			w->failed = 1;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void puts_(struct jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

/* The length of the valid UTF-8 sequence at s (1–4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80             ? 1
	           : (s[0] & 0xE0) == 0xC0 ? 2
	           : (s[0] & 0xF0) == 0xE0 ? 3
	           : (s[0] & 0xF8) == 0xF0 ? 4
	                                   : 0;
	if (n == 2 && s[0] < 0xC2)
		return 0; /* overlong */
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0; /* overlong, surrogate */
	if (n == 4 &&
	    ((s[0] == 0xF0 && s[1] < 0x90) || s[0] > 0xF4 || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

static void quoted(struct jsonw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	put(w, "\"", 1);
	while (*p) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\', esc[1] = (char)*p;
			put(w, esc, 2);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			puts_(w, esc);
			p++;
		} else {
			size_t n = utf8_len(p);
			if (n)
				put(w, (const char *)p, n);
			else
				puts_(w, "\\ufffd");
			p += n ? n : 1;
		}
	}
	put(w, "\"", 1);
}

/* The comma and the key before a value. */
static void lead(struct jsonw *w, const char *key)
{
	if (!w->first[w->depth])
		put(w, ",", 1);
	w->first[w->depth] = 0;
	if (key) {
		quoted(w, key);
		put(w, ":", 1);
	}
}

static void open_(struct jsonw *w, const char *key, const char *c)
{
	lead(w, key);
	puts_(w, c);
	if (w->depth + 1 < JSONW_DEPTH)
		w->first[++w->depth] = 1;
	else
		w->failed = 1;
}

static void close_(struct jsonw *w, const char *c)
{
	if (w->depth > 0)
		w->depth--;
	puts_(w, c);
}

void jsonw_obj_begin(struct jsonw *w, const char *key)
{
	open_(w, key, "{");
}

void jsonw_obj_end(struct jsonw *w)
{
	close_(w, "}");
}

void jsonw_arr_begin(struct jsonw *w, const char *key)
{
	open_(w, key, "[");
}

void jsonw_arr_end(struct jsonw *w)
{
	close_(w, "]");
}

void jsonw_str(struct jsonw *w, const char *key, const char *v)
{
	lead(w, key);
	if (v)
		quoted(w, v);
	else
		puts_(w, "null");
}

void jsonw_num(struct jsonw *w, const char *key, double v)
{
	char b[40];
	lead(w, key);
	if (!isfinite(v)) {
		puts_(w, "null");
		return;
	}
	snprintf(b, sizeof b, "%.17g", v);
	/* the shortest form that reads back the same */
	for (int prec = 6; prec < 17; prec++) {
		char t[40];
		snprintf(t, sizeof t, "%.*g", prec, v);
		if (strtod(t, NULL) == v) {
			snprintf(b, sizeof b, "%s", t);
			break;
		}
	}
	puts_(w, b);
}

void jsonw_int(struct jsonw *w, const char *key, long long v)
{
	char b[32];
	lead(w, key);
	snprintf(b, sizeof b, "%lld", v);
	puts_(w, b);
}

void jsonw_bool(struct jsonw *w, const char *key, int v)
{
	lead(w, key);
	puts_(w, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w, const char *key)
{
	lead(w, key);
	puts_(w, "null");
}

void jsonw_time(struct jsonw *w, const char *key, int64_t ms)
{
	if (ms <= 0) {
		jsonw_null(w, key);
		return;
	}
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	char b[40], out[48];
	if (!gmtime_r(&s, &tm) || !strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm)) {
		jsonw_null(w, key);
		return;
	}
	snprintf(out, sizeof out, "%s.%03dZ", b, (int)(ms % 1000));
	jsonw_str(w, key, out);
}

const char *jsonw_text(const struct jsonw *w, size_t *len)
{
	if (w->failed)
		return NULL;
	if (len)
		*len = w->len;
	return w->buf ? w->buf : "";
}
