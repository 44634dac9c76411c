/* text: UTF-8 decoding, widths, clipping, formatting and the sanitizer for remote text. */
#include "tui/widgets/text.h"

#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

/* An output buffer that counts when buf is NULL and never splits a character or an escape. */
struct sbuf {
	char *buf;
	size_t cap; /* bytes available for text, the NUL excluded */
	size_t len;
	bool full;
};

static void sb_init(struct sbuf *b, char *buf, size_t size)
{
	b->buf = buf;
	b->cap = buf && size ? size - 1 : 0;
	b->len = 0;
	b->full = false;
	if (buf && size)
		buf[0] = '\0';
}

/* Appends s[0..n). When it does not fit: an atomic piece is dropped whole, text is cut at the
 * last character boundary; either way nothing more is appended afterwards. */
static void sb_put(struct sbuf *b, const char *s, size_t n, bool atomic)
{
	if (b->full)
		return;
	if (!b->buf) {
		b->len += n;
		return;
	}
	if (n > b->cap - b->len) {
		b->full = true;
		if (atomic)
			return;
		n = b->cap - b->len;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void sb_spaces(struct sbuf *b, int n)
{
	static const char sp[] = "                                ";
	while (n > 0) {
		int k = n < (int)sizeof(sp) - 1 ? n : (int)sizeof(sp) - 1;
		sb_put(b, sp, (size_t)k, true);
		n -= k;
	}
}

size_t text_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlongs */
		hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		lo = c == 0xF0 ? 0x90 : 0x80; /* no overlongs */
		hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing past U+10FFFF */
	} else {
		*cp = TEXT_INVALID;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || p[i] < lo || p[i] > hi) {
			*cp = TEXT_INVALID;
			return i;
		}
		v = (v << 6) | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

int text_cpwidth(uint32_t cp)
{
	int w;

	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	if (cp == TEXT_INVALID || cp < 0xA0)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int text_nwidth(const char *s, size_t len)
{
	size_t i = 0;
	int w = 0;
	uint32_t cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			w++;
			i++;
			continue;
		}
		i += text_decode(s + i, len - i, &cp);
		w += text_cpwidth(cp);
	}
	return w;
}

int text_width(const char *s)
{
	return text_nwidth(s, strlen(s));
}

size_t text_fit(const char *s, size_t len, int width, int *used)
{
	size_t i = 0, n;
	int w = 0, cw;
	uint32_t cp;

	while (i < len) {
		n = text_decode(s + i, len - i, &cp);
		cw = text_cpwidth(cp);
		if (w + cw > width)
			break;
		w += cw;
		i += n;
	}
	if (used)
		*used = w;
	return i;
}

const char *text_ellipsis_str(enum text_ellipsis e)
{
	switch (e) {
	case TEXT_ELLIPSIS_TILDE:
		return "~";
	case TEXT_ELLIPSIS_DOTS:
		return "...";
	case TEXT_ELLIPSIS_UTF8:
	default:
		return "\xE2\x80\xA6";
	}
}

bool text_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

int text_clip(const char *s, size_t len, int width, enum text_ellipsis e, size_t *keep,
              bool *ellipsis)
{
	int total, used, ew = e == TEXT_ELLIPSIS_DOTS ? 3 : 1;

	if (width <= 0) {
		*keep = 0;
		*ellipsis = false;
		return 0;
	}
	total = text_nwidth(s, len);
	if (total <= width) {
		*keep = len;
		*ellipsis = false;
		return total;
	}
	if (width < ew) {
		*keep = text_fit(s, len, width, &used);
		*ellipsis = false;
		return used;
	}
	*keep = text_fit(s, len, width - ew, &used);
	*ellipsis = true;
	return used + ew;
}

int text_ellipsize(char *out, size_t outsz, const char *s, int width, enum text_ellipsis e)
{
	size_t keep;
	bool ell;
	struct sbuf b;
	int w = text_clip(s, strlen(s), width, e, &keep, &ell);

	sb_init(&b, out, outsz);
	sb_put(&b, s, keep, false);
	if (ell) {
		const char *es = text_ellipsis_str(e);
		sb_put(&b, es, strlen(es), true);
	}
	return w;
}

size_t text_pad(char *out, size_t outsz, const char *s, int width, enum text_align align,
                enum text_ellipsis e)
{
	size_t keep;
	bool ell;
	struct sbuf b;
	int used = text_clip(s, strlen(s), width, e, &keep, &ell);
	int gap = width > used ? width - used : 0;
	int left = align == TEXT_RIGHT ? gap : align == TEXT_CENTER ? gap / 2 : 0;

	sb_init(&b, out, outsz);
	sb_spaces(&b, left);
	sb_put(&b, s, keep, false);
	if (ell) {
		const char *es = text_ellipsis_str(e);
		sb_put(&b, es, strlen(es), true);
	}
	sb_spaces(&b, gap - left);
	return b.len;
}

int text_casecmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; *x && *y; x++, y++) {
		int cx = *x >= 'A' && *x <= 'Z' ? *x + 32 : *x;
		int cy = *y >= 'A' && *y <= 'Z' ? *y + 32 : *y;
		if (cx != cy)
			return cx - cy;
	}
	if (*x || *y)
		return *x ? 1 : -1;
	return strcmp(a, b);
}

char *text_thousands(char *out, size_t outsz, long long v)
{
	char tmp[32];
	int n = 0, digits = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	struct sbuf b;

	do {
		if (digits && digits % 3 == 0)
			tmp[n++] = ',';
		tmp[n++] = (char)('0' + u % 10);
		digits++;
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[n++] = '-';
	sb_init(&b, out, outsz);
	while (n > 0)
		sb_put(&b, &tmp[--n], 1, true);
	return out;
}

static const struct {
	int64_t secs;
	const char *unit;
} units[] = {
    {365LL * 86400, "y"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"},
};

#define N_UNITS (sizeof(units) / sizeof(units[0]))

char *text_duration(char *out, size_t outsz, int64_t ms)
{
	const char *sign = ms < 0 ? "-" : "";
	uint64_t ams = ms < 0 ? 0ULL - (uint64_t)ms : (uint64_t)ms;
	uint64_t s = ams / 1000, a, rest;
	size_t i = 1; /* durations stop at days: "400d", not "1y35d" */

	if (ams < 1000) {
		snprintf(out, outsz, "%s%llums", sign, (unsigned long long)ams);
		return out;
	}
	while (i + 1 < N_UNITS && s < (uint64_t)units[i].secs)
		i++;
	a = s / (uint64_t)units[i].secs;
	rest = i + 1 < N_UNITS ? s % (uint64_t)units[i].secs / (uint64_t)units[i + 1].secs : 0;
	if (rest)
		snprintf(out, outsz, "%s%llu%s%llu%s", sign, (unsigned long long)a, units[i].unit,
		         (unsigned long long)rest, units[i + 1].unit);
	else
		snprintf(out, outsz, "%s%llu%s", sign, (unsigned long long)a, units[i].unit);
	return out;
}

char *text_age(char *out, size_t outsz, int64_t ms)
{
	int64_t s = ms > 0 ? ms / 1000 : 0;
	size_t i = 0;

	while (i + 1 < N_UNITS && s < units[i].secs)
		i++;
	snprintf(out, outsz, "%lld%s", (long long)(s / units[i].secs), units[i].unit);
	return out;
}

/* The code points that are escaped as "\uXXXX" although they are well-formed. */
static bool is_hidden_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static void sanitize_control(struct sbuf *b, unsigned char c)
{
	char esc[12];
	const char *named = NULL;

	switch (c) {
	case 0x1B:
		named = "\\e";
		break;
	case '\n':
		named = "\\n";
		break;
	case '\r':
		named = "\\r";
		break;
	case '\t':
		named = "\\t";
		break;
	case '\0':
		named = "\\0";
		break;
	default:
		snprintf(esc, sizeof(esc), "\\x%02x", c);
		named = esc;
	}
	sb_put(b, named, strlen(named), true);
}

static void sanitize_into(struct sbuf *b, const char *in, size_t len)
{
	size_t i = 0, run, n;
	uint32_t cp;
	char esc[12];

	while (i < len && !b->full) {
		for (run = i; run < len; run++) {
			unsigned char c = (unsigned char)in[run];
			if (c < 0x20 || c >= 0x7F)
				break;
		}
		if (run > i) {
			sb_put(b, in + i, run - i, false);
			i = run;
			continue;
		}
		if ((unsigned char)in[i] < 0x80) {
			sanitize_control(b, (unsigned char)in[i++]);
			continue;
		}
		n = text_decode(in + i, len - i, &cp);
		if (cp == TEXT_INVALID) {
			sb_put(b, "\xEF\xBF\xBD", 3, true);
		} else if (is_hidden_control(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)(cp & 0xFFFF));
			sb_put(b, esc, 6, true);
		} else {
			sb_put(b, in + i, n, true);
		}
		i += n;
	}
}

size_t text_sanitized_len(const char *in, size_t len)
{
	struct sbuf b;

	sb_init(&b, NULL, 0);
	sanitize_into(&b, in, len);
	return b.len;
}

char *text_sanitize(const char *in, size_t len, char *out, size_t outsz)
{
	struct sbuf b;

	if (!out) {
		outsz = text_sanitized_len(in, len) + 1;
		out = malloc(outsz);
		if (!out)
			return NULL;
	} else if (outsz == 0) {
		return out;
	}
	sb_init(&b, out, outsz);
	sanitize_into(&b, in, len);
	return out;
}

const char *text_nonfinite(double v)
{
	if (isnan(v))
		return "NaN";
	if (isinf(v))
		return v < 0 ? "-Inf" : "Inf";
	return NULL;
}

char *text_number(char *buf, size_t n, double v, int sig)
{
	const char *s = text_nonfinite(v);
	if (s)
		snprintf(buf, n, "%s", s);
	else
		snprintf(buf, n, "%.*g", sig, v);
	return buf;
}
