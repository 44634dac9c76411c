#include "clients/httperr.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "clients/http.h"
#include "clients/json.h"

#define SCAN_MAX (64 * 1024) /* bytes of an error page worth looking at */
#define TEXT_MAX 512

/* "Bad Gateway" for 502, "" for an unknown status. */
static const char *httperr_reason(long status)
{
	static const struct {
		long status;
		const char *reason;
	} table[] = {
	    {400, "Bad Request"},
	    {401, "Unauthorized"},
	    {403, "Forbidden"},
	    {404, "Not Found"},
	    {405, "Method Not Allowed"},
	    {406, "Not Acceptable"},
	    {408, "Request Timeout"},
	    {409, "Conflict"},
	    {410, "Gone"},
	    {413, "Payload Too Large"},
	    {415, "Unsupported Media Type"},
	    {422, "Unprocessable Entity"},
	    {429, "Too Many Requests"},
	    {499, "Client Closed Request"},
	    {500, "Internal Server Error"},
	    {501, "Not Implemented"},
	    {502, "Bad Gateway"},
	    {503, "Service Unavailable"},
	    {504, "Gateway Timeout"},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].status == status)
			return table[i].reason;
	return "";
}

/* Appends text to out (capacity TEXT_MAX) with control characters as spaces, runs of
 * whitespace collapsed to one space, and bytes that are not UTF-8 as "\xNN": a binary or
 * mis-encoded body reads as its bytes, not as a row of replacement characters. */
struct text {
	char buf[TEXT_MAX];
	size_t len;
};

/* The length of the well-formed UTF-8 sequence at s (1 to 4), or 0 (no overlongs, surrogates
 * or code points past U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t k = s[0] < 0x80                    ? 1
	           : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
	           : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
	           : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
	                                          : 0;
	if (k == 0 || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
		return 0;
	return k;
}

static void text_put(struct text *t, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		size_t k = utf8_seq(u + i, n - i);
		if (c < 0x20 || c == 0x7f || c == ' ') {
			if (t->len && t->buf[t->len - 1] != ' ' && t->len + 1 < sizeof t->buf)
				t->buf[t->len++] = ' ';
			i++;
			continue;
		}
		if (t->len + (k ? k : 4) + 1 > sizeof t->buf)
			break;
		if (k)
			memcpy(t->buf + t->len, s + i, k);
		else
			snprintf(t->buf + t->len, 5, "\\x%02x", c);
		t->len += k ? k : 4;
		i += k ? k : 1;
	}
	t->buf[t->len] = '\0';
}

static void text_trim(struct text *t)
{
	while (t->len && t->buf[t->len - 1] == ' ')
		t->buf[--t->len] = '\0';
	size_t lead = 0;
	while (lead < t->len && t->buf[lead] == ' ')
		lead++;
	memmove(t->buf, t->buf + lead, t->len - lead + 1);
	t->len -= lead;
}

/* Cuts t to at most max bytes on a UTF-8 boundary, marking the cut with an ellipsis. */
static void text_cut(struct text *t, size_t max)
{
	if (t->len <= max)
		return;
	size_t n = max - 3;
	while (n > 0 && ((unsigned char)t->buf[n] & 0xC0) == 0x80)
		n--;
	for (size_t back = 1; back <= 3 && back <= n; back++) /* not inside a "\xNN" */
		if (t->buf[n - back] == '\\' && t->buf[n - back + 1] == 'x') {
			n -= back;
			break;
		}
	while (n > 0 && t->buf[n - 1] == ' ')
		n--;
	memcpy(t->buf + n, "\xe2\x80\xa6", 4);
	t->len = n + 3;
}

/* One segment of page text (between two tags): kept unless it only repeats the status line
 * or a segment already kept. */
/* Appends seg with the common HTML entities decoded (&amp; &lt; &gt; &quot; &#39; &apos;
 * &nbsp;); any other '&' is kept as it is. */
static void text_put_html(struct text *t, const char *seg, size_t n)
{
	static const struct {
		const char *name;
		const char *text;
	} ents[] = {{"&amp;", "&"}, {"&lt;", "<"},   {"&gt;", ">"},   {"&quot;", "\""},
	            {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}, {"&#34;", "\""}};
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (seg[i] != '&')
			continue;
		for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++) {
			size_t m = strlen(ents[k].name);
			if (m <= n - i && strncasecmp(seg + i, ents[k].name, m) == 0) {
				text_put(t, seg + start, i - start);
				text_put(t, ents[k].text, strlen(ents[k].text));
				start = i + m;
				i += m - 1;
				break;
			}
		}
	}
	text_put(t, seg + start, n - start);
}

static void segment_add(struct text *t, const char *seg, size_t n, long status)
{
	struct text s = {.len = 0};
	text_put_html(&s, seg, n);
	text_trim(&s);
	if (!s.len)
		return;
	char line[64];
	const char *reason = httperr_reason(status);
	snprintf(line, sizeof line, "%ld %s", status, reason);
	if (strcasecmp(s.buf, line) == 0 || (*reason && strcasecmp(s.buf, reason) == 0))
		return;
	if (t->len && strstr(t->buf, s.buf))
		return;
	if (t->len)
		text_put(t, " ", 1);
	text_put(t, s.buf, s.len);
}

static size_t skip_element(const char *p, size_t n, size_t i, const char *name)
{
	char close[16];
	int m = snprintf(close, sizeof close, "</%s", name);
	if (m < 0 || (size_t)m >= sizeof close) /* a name too long to look for */
		return n;
	for (size_t j = i; j + (size_t)m <= n; j++)
		if (p[j] == '<' && strncasecmp(p + j, close, (size_t)m) == 0)
			return j;
	return n;
}

/* The visible text of an HTML page or a plain-text body: tags, scripts and styles dropped. */
static void excerpt(struct text *t, const char *body, size_t len, long status)
{
	size_t n = len < SCAN_MAX ? len : SCAN_MAX, start = 0, i = 0;
	while (i < n) {
		if (body[i] != '<' || i + 1 >= n ||
		    !(isalpha((unsigned char)body[i + 1]) || strchr("/!?", body[i + 1]))) {
			i++;
			continue;
		}
		segment_add(t, body + start, i - start, status);
		const char *gt = memchr(body + i, '>', n - i);
		size_t after = gt ? (size_t)(gt - body) + 1 : n;
		if (n - i >= 7 && strncasecmp(body + i, "<script", 7) == 0)
			after = skip_element(body, n, after, "script");
		else if (n - i >= 6 && strncasecmp(body + i, "<style", 6) == 0)
			after = skip_element(body, n, after, "style");
		i = start = after;
	}
	segment_add(t, body + start, n - start, status);
	text_cut(t, HTTPERR_EXCERPT_MAX);
}

char *httperr_excerpt(char *buf, size_t size, long status, const char *body, size_t len)
{
	struct text t = {.len = 0};
	if (body && len)
		excerpt(&t, body, len, status);
	if (size)
		snprintf(buf, size, "%s", t.buf);
	return buf;
}

static const char *first_str(const cJSON *o, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *s = json_str(o, *keys);
		if (s && *s)
			return s;
	}
	return NULL;
}

/* A JSON error body: returns 1 when it had a code or a message, having written the line. */
static int json_line(char *buf, size_t size, const char *source, long status, const char *body,
                     size_t len)
{
	static const char *const code_keys[] = {"error_code", "errorType", "reason", "code", NULL};
	static const char *const msg_keys[] = {"message", "error", "detail", "msg", NULL};
	cJSON *root = json_parse_object(body, len, "error body", NULL);
	if (!root)
		return 0;
	const char *code = first_str(root, code_keys);
	const char *msg = first_str(root, msg_keys);
	if (!code && !msg) {
		cJSON_Delete(root);
		return 0;
	}
	struct text m = {.len = 0}, c = {.len = 0};
	if (msg)
		text_put(&m, msg, strlen(msg));
	text_trim(&m);
	text_cut(&m, 300);
	if (code) /* the code is the server's text too: one line, no controls */
		text_put(&c, code, strlen(code));
	text_trim(&c);
	text_cut(&c, 64);
	snprintf(buf, size, "%s %ld %s%s%s", source, status, c.len ? c.buf : httperr_reason(status),
	         m.len ? ": " : "", m.buf);
	cJSON_Delete(root);
	return 1;
}

static int looks_json(const char *content_type, const char *body, size_t len)
{
	if (content_type && strstr(content_type, "json"))
		return 1;
	for (size_t i = 0; i < len && i < 64; i++) {
		if (!isspace((unsigned char)body[i]))
			return body[i] == '{';
	}
	return 0;
}

char *httperr_format(char *buf, size_t size, const char *source, long status,
                     const char *content_type, const char *body, size_t len)
{
	if (!size)
		return buf;
	if (!body)
		len = 0;
	if (len && looks_json(content_type, body, len) &&
	    json_line(buf, size, source, status, body, len))
		return buf;
	struct text t = {.len = 0};
	if (len)
		excerpt(&t, body, len, status);
	const char *reason = httperr_reason(status);
	snprintf(buf, size, "%s %ld%s%s%s%s", source, status, *reason ? " " : "", reason,
	         t.len ? ": " : "", t.buf);
	return buf;
}

int httperr_set(struct err *e, const char *source, const struct http_resp *r)
{
	if (r->too_big)
		return err_set(e, ERR_TOO_BIG, "%s %ld: response body over the size cap", source,
		               r->status);
	if (r->status == 0)
		return err_set(e, ERR_NET, "%s: %s", source, *r->error ? r->error : "no answer");
	char line[ERR_MSG_MAX];
	httperr_format(line, sizeof line, source, r->status, r->content_type, r->body, r->len);
	err_set(e, ERR_HTTP, "%s", line);
	if (e)
		e->retry_after_ms =
		    r->retry_after_ms; /* for the scheduler: the server asked to wait */
	return ERR_HTTP;
}
