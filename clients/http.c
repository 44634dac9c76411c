/* http: see http.h. One curl multi handle; each transfer is a struct xfer on a list. Finished
 * transfers are first collected (removed from the multi handle and from the running list) and
 * only then called back, so a callback may start new transfers or cancel others. */
#include "clients/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define HTTP_CONNECT_TIMEOUT_MS 3000L
#define HTTP_TIMEOUT_MS         15000L
#define HTTP_MAX_BODY           ((size_t)64 << 20)
#define HTTP_MAX_REDIRS         5L
#define HTTP_USER_AGENT         "mltop/0.1"

struct xfer {
	struct xfer *next;
	long id;
	CURL *easy;
	struct curl_slist *headers;
	char *buf; /* the response body, NUL-terminated once finished */
	size_t len, cap;
	size_t max_body;
	int too_big;
	int canceled; /* cancelled while waiting for its callback */
	CURLcode result;
	long connect_timeout_ms, timeout_ms;
	long hdr_status;     /* of the last status line seen, for a body cut off by the cap */
	char hdr_ctype[128]; /* its Content-Type */
	int64_t hdr_retry;   /* its Retry-After in ms (0: none) */
	char where[160];     /* "host:port" of the request URL, for messages */
	http_done_fn done;
	void *ud;
};

struct http {
	CURLM *multi;
	struct xfer *running;  /* in the multi handle */
	struct xfer *finished; /* collected by http_perform, waiting for their callback */
	int nrunning;
	long next_id;
	int in_perform;
};

struct http *http_new(struct err *e)
{
	struct http *h = calloc(1, sizeof *h);
	if (!h) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	h->next_id = 1;
	return h;
}

/* libcurl is set up at the first request (or wakeup), not in http_new: a start from the cache
 * draws its first frame before any of it (the TLS library, its configuration file). 0 or -1. */
static int http_ready(struct http *h)
{
	if (h->multi)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	h->multi = curl_multi_init();
	if (!h->multi) {
		curl_global_cleanup();
		return -1;
	}
	return 0;
}

static void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	free(x->buf);
	free(x);
}

/* Takes x out of the running list and the multi handle (no callback). */
static void xfer_detach(struct http *h, struct xfer *x)
{
	for (struct xfer **pp = &h->running; *pp; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			x->next = NULL;
			h->nrunning--;
			break;
		}
	}
	curl_multi_remove_handle(h->multi, x->easy);
}

void http_free(struct http **hp)
{
	struct http *h = hp ? *hp : NULL;
	if (!h)
		return;
	while (h->running) {
		struct xfer *x = h->running;
		xfer_detach(h, x);
		xfer_free(x);
	}
	while (h->finished) {
		struct xfer *x = h->finished;
		h->finished = x->next;
		xfer_free(x);
	}
	if (h->multi) {
		curl_multi_cleanup(h->multi);
		curl_global_cleanup();
	}
	free(h);
	*hp = NULL;
}

/* "host:port" of an http(s) URL into buf (never the userinfo). Returns 0, or -1 when the URL is
 * not an absolute http:// or https:// URL. */
static int url_where(const char *url, char *buf, size_t n)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -1;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
		goto out;
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	snprintf(buf, n, "%s:%s", host, port);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t add = size * nmemb;
	if (add > x->max_body - x->len) {
		x->too_big = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (x->len + add + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 16 * 1024;
		while (cap < x->len + add + 1)
			cap *= 2;
		char *grown = realloc(x->buf, cap);
		if (!grown)
			return 0;
		x->buf = grown;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, data, add);
	x->len += add;
	return add;
}

/* A credential with a line break would split the request's header lines. */
static int auth_ok(const struct http_auth *a)
{
	const char *v[] = {a ? a->bearer_token : NULL, a ? a->username : NULL,
	                   a ? a->password : NULL};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (v[i] && strpbrk(v[i], "\r\n"))
			return 0;
	return 1;
}

/* Retry-After's value (delta-seconds or an HTTP-date) in ms from now, at most
 * HTTP_RETRY_AFTER_MAX_MS; 0 when it is unreadable or already past. */
static int64_t retry_after_ms(const char *v)
{
	long long secs;
	if (*v >= '0' && *v <= '9' && strspn(v, "0123456789") == strlen(v)) {
		secs = strlen(v) > 9 ? HTTP_RETRY_AFTER_MAX_MS : strtoll(v, NULL, 10);
	} else {
		time_t at = curl_getdate(v, NULL);
		if (at == (time_t)-1)
			return 0;
		secs = (long long)(at - time(NULL));
	}
	if (secs <= 0)
		return 0;
	return secs >= HTTP_RETRY_AFTER_MAX_MS / 1000 ? HTTP_RETRY_AFTER_MAX_MS : secs * 1000;
}

/* The value of a "Name: value" header line into buf (blanks and the line end trimmed) when the
 * line has that name; 0 or -1. */
static int header_value(const char *line, size_t n, const char *name, char *buf, size_t size)
{
	size_t k = strlen(name), j = n;
	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return -1;
	k++;
	while (k < n && (line[k] == ' ' || line[k] == '\t'))
		k++;
	while (j > k && (line[j - 1] == '\r' || line[j - 1] == '\n' || line[j - 1] == ' '))
		j--;
	snprintf(buf, size, "%.*s", (int)(j - k), line + k);
	return 0;
}

/* Notes the status line, Content-Type and Retry-After of each response (the last one is the
 * final one): curl does not report the first two when the body is aborted for its size. */
static size_t on_header(char *line, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	char v[64];
	if (n > 5 && memcmp(line, "HTTP/", 5) == 0) {
		const char *sp = memchr(line, ' ', n);
		x->hdr_status = sp ? strtol(sp + 1, NULL, 10) : 0;
		x->hdr_ctype[0] = '\0';
		x->hdr_retry = 0;
	} else if (header_value(line, n, "content-type", x->hdr_ctype, sizeof x->hdr_ctype) == 0) {
		/* noted */
	} else if (header_value(line, n, "retry-after", v, sizeof v) == 0) {
		x->hdr_retry = retry_after_ms(v);
	}
	return n;
}

static int known_method(const char *m)
{
	static const char *const ok[] = {"GET", "POST", "PATCH", "DELETE", "PUT"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(m, ok[i]) == 0)
			return 1;
	return 0;
}

/* Method, body (copied by curl) and the request headers. */
static int set_method_body(struct xfer *x, const struct http_req *req)
{
	const char *method = req->method ? req->method : "GET";
	CURL *c = x->easy;
	int rc = 0;
	if (req->body) {
		size_t n = req->body_len ? req->body_len : strlen(req->body);
		char ct[200];
		snprintf(ct, sizeof ct, "Content-Type: %s",
		         req->content_type ? req->content_type : "application/json");
		rc |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
		rc |= curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, req->body);
		x->headers = curl_slist_append(x->headers, ct);
	} else if (strcmp(method, "POST") == 0) {
		rc |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
		rc |= curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, "");
	}
	if (strcmp(method, "POST") != 0)
		rc |= curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	struct curl_slist *with_expect = curl_slist_append(x->headers, "Expect:");
	if (!with_expect)
		return -1;
	x->headers = with_expect;
	rc |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->headers);
	return rc ? -1 : 0;
}

/* Credentials and TLS. curl keeps credentials to the first host: after a redirect to another
 * host (or port, or scheme) they are not sent (CURLOPT_UNRESTRICTED_AUTH stays off). */
static int set_auth(CURL *c, const struct http_auth *a)
{
	int rc = 0;
	rc |= curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
	if (!a)
		return rc ? -1 : 0;
	if (a->bearer_token) {
		rc |= curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		rc |= curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, a->bearer_token);
	} else if (a->username) {
		rc |= curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		rc |= curl_easy_setopt(c, CURLOPT_USERNAME, a->username);
		rc |= curl_easy_setopt(c, CURLOPT_PASSWORD, a->password ? a->password : "");
	}
	if (a->ca_file)
		rc |= curl_easy_setopt(c, CURLOPT_CAINFO, a->ca_file);
	if (a->insecure) {
		rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	return rc ? -1 : 0;
}

static int set_common(struct xfer *x, const struct http_req *req)
{
	CURL *c = x->easy;
	int rc = 0;
	rc |= curl_easy_setopt(c, CURLOPT_URL, req->url);
	rc |= curl_easy_setopt(c, CURLOPT_PRIVATE, x);
	rc |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	rc |= curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	rc |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, HTTP_MAX_REDIRS);
	rc |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, x->connect_timeout_ms);
	rc |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, x->timeout_ms);
	rc |= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_body);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	rc |= curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	return rc ? -1 : 0;
}

long http_start(struct http *h, const struct http_req *req, http_done_fn done, void *ud,
                struct err *e)
{
	if (!h || !req || !req->url || !done)
		return err_set(e, ERR_ARG, "http_start: missing request, URL or callback");
	if (req->method && !known_method(req->method))
		return err_set(e, ERR_CONFIG, "unsupported HTTP method %.16s", req->method);
	if (!auth_ok(req->auth))
		return err_set(e, ERR_CONFIG,
		               "a token, user name or password contains a line break");
	if (http_ready(h) < 0)
		return err_set(e, ERR_NET, "cannot initialise libcurl");
	struct xfer *x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, ERR_NOMEM, "out of memory");
	int rc = 0;
	if (url_where(req->url, x->where, sizeof x->where) < 0) {
		rc = err_set(e, ERR_CONFIG, "not an http:// or https:// URL");
		goto out;
	}
	x->connect_timeout_ms =
	    req->connect_timeout_ms > 0 ? req->connect_timeout_ms : HTTP_CONNECT_TIMEOUT_MS;
	x->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : HTTP_TIMEOUT_MS;
	x->max_body = req->max_body ? req->max_body : HTTP_MAX_BODY;
	x->done = done;
	x->ud = ud;
	x->easy = curl_easy_init();
	if (!x->easy || set_common(x, req) < 0 || set_method_body(x, req) < 0 ||
	    set_auth(x->easy, req->auth) < 0) {
		rc = err_set(e, ERR_NOMEM, "cannot set up the request to %s", x->where);
		goto out;
	}
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		rc = err_set(e, ERR_NET, "cannot queue the request to %s", x->where);
		goto out;
	}
	x->id = h->next_id++;
	x->next = h->running;
	h->running = x;
	h->nrunning++;
	return x->id;
out:
	xfer_free(x);
	return rc;
}

void http_cancel(struct http *h, long id)
{
	if (!h)
		return;
	for (struct xfer *x = h->running; x; x = x->next) {
		if (x->id == id) {
			xfer_detach(h, x);
			xfer_free(x);
			return;
		}
	}
	for (struct xfer *x = h->finished; x; x = x->next)
		if (x->id == id)
			x->canceled = 1;
}

/* "300 ms", "15 s". */
static void ms_text(char *buf, size_t n, long ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, n, "%ld s", ms / 1000);
	else
		snprintf(buf, n, "%ld ms", ms);
}

/* A timeout is a connect timeout only when no connection was ready to send the request. A
 * reused keep-alive connection reports no connect time (and no new connection), so the connect
 * time alone would blame the connect; the time the request went out (PRETRANSFER) is set for a
 * new and a reused connection alike once the server can be talked to. */
static void describe_timeout(const struct xfer *x, char *buf, size_t n)
{
	curl_off_t connect_us = 0, sent_us = 0, first_byte_us = 0;
	char t[32];
	curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	curl_easy_getinfo(x->easy, CURLINFO_PRETRANSFER_TIME_T, &sent_us);
	curl_easy_getinfo(x->easy, CURLINFO_STARTTRANSFER_TIME_T, &first_byte_us);
	if (connect_us == 0 && sent_us == 0 && x->connect_timeout_ms < x->timeout_ms) {
		ms_text(t, sizeof t, x->connect_timeout_ms);
		snprintf(buf, n, "connect timed out after %s (%s)", t, x->where);
		return;
	}
	ms_text(t, sizeof t, x->timeout_ms);
	if (first_byte_us == 0)
		snprintf(buf, n, "no answer within %s (%s)", t, x->where);
	else
		snprintf(buf, n, "timed out after %s in the middle of the answer (%s)", t,
		         x->where);
}

/* One line for a transport failure: what happened and where, never the URL. */
static void describe_error(const struct xfer *x, char *buf, size_t n)
{
	long oserr = 0;
	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
	switch (x->result) {
	case CURLE_COULDNT_CONNECT:
		if (oserr == ECONNREFUSED)
			snprintf(buf, n, "connection refused (%s)", x->where);
		else if (oserr)
			snprintf(buf, n, "cannot connect (%s): %s", x->where, strerror((int)oserr));
		else
			snprintf(buf, n, "cannot connect (%s)", x->where);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(buf, n, "cannot resolve host (%s)", x->where);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		describe_timeout(x, buf, n);
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (oserr == ECONNRESET)
			snprintf(buf, n, "reset by peer (%s)", x->where);
		else if (oserr == 0)
			snprintf(buf, n, "connection broken (%s)", x->where);
		else
			snprintf(buf, n, "connection broken (%s): %s", x->where,
			         strerror((int)oserr));
		break;
	case CURLE_PARTIAL_FILE:
		snprintf(buf, n, "connection closed in the middle of the body (%s)", x->where);
		break;
	case CURLE_GOT_NOTHING:
		snprintf(buf, n, "empty reply (%s)", x->where);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		snprintf(buf, n, "TLS certificate not trusted (%s)", x->where);
		break;
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(buf, n, "cannot read the CA file (%s)", x->where);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(buf, n, "more than %ld redirects (%s)", HTTP_MAX_REDIRS, x->where);
		break;
	default:
		snprintf(buf, n, "%s (%s)", curl_easy_strerror(x->result), x->where);
		break;
	}
}

static void fill_resp(struct xfer *x, struct http_resp *r)
{
	memset(r, 0, sizeof *r);
	curl_off_t total_us = 0;
	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &total_us);
	r->elapsed_ms = (int64_t)(total_us / 1000);
	r->curl_code = (int)x->result;
	r->body = "";
	if (x->too_big || x->result == CURLE_FILESIZE_EXCEEDED) {
		/* the status line and headers came, the body was cut off */
		r->too_big = 1;
		r->status = x->hdr_status;
		snprintf(r->content_type, sizeof r->content_type, "%s", x->hdr_ctype);
		snprintf(r->error, sizeof r->error, "body over the size cap of %zu bytes (%s)",
		         x->max_body, x->where);
		return;
	}
	if (x->result != CURLE_OK) {
		describe_error(x, r->error, sizeof r->error);
		return;
	}
	const char *ct = NULL;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
	if (r->status == 429 || r->status == 503)
		r->retry_after_ms = x->hdr_retry;
	if (ct)
		snprintf(r->content_type, sizeof r->content_type, "%s", ct);
	if (x->buf) {
		x->buf[x->len] = '\0';
		r->body = x->buf;
		r->len = x->len;
	}
}

/* Moves every finished transfer from the multi handle to h->finished, in order. */
static void collect_finished(struct http *h)
{
	struct xfer **tail = &h->finished;
	while (*tail)
		tail = &(*tail)->next;
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(h->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		CURL *easy = m->easy_handle;
		CURLcode result = m->data.result;
		char *priv = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
		struct xfer *x = (struct xfer *)(void *)priv;
		if (!x)
			continue;
		xfer_detach(h, x);
		x->result = result;
		*tail = x;
		tail = &x->next;
	}
}

int http_perform(struct http *h)
{
	if (!h || !h->multi)
		return 0;
	if (h->in_perform)
		return h->nrunning; /* called from a callback: the outer call goes on */
	int still = 0;
	curl_multi_perform(h->multi, &still);
	collect_finished(h);
	h->in_perform = 1;
	while (h->finished) {
		struct xfer *x = h->finished;
		h->finished = x->next;
		x->next = NULL;
		if (!x->canceled) {
			struct http_resp resp;
			fill_resp(x, &resp);
			x->done(x->ud, &resp);
		}
		xfer_free(x);
	}
	h->in_perform = 0;
	return h->nrunning;
}

int http_inflight(const struct http *h)
{
	return h ? h->nrunning : 0;
}

/* http_wait before libcurl is set up: nothing is in flight, only extra_fd is watched. */
static int wait_fd(int extra_fd, int timeout_ms, int *extra_ready)
{
	struct pollfd p = {.fd = extra_fd, .events = POLLIN, .revents = 0};
	int n = poll(&p, extra_fd >= 0 ? 1u : 0u, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : ERR_IO;
	if (n > 0 && extra_ready && (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
		*extra_ready = 1;
	return n;
}

int http_wait(struct http *h, int extra_fd, int timeout_ms, int *extra_ready)
{
	struct curl_waitfd wfd = {.fd = extra_fd, .events = CURL_WAIT_POLLIN, .revents = 0};
	int numfds = 0;
	if (extra_ready)
		*extra_ready = 0;
	if (timeout_ms < 0)
		timeout_ms = 0;
	if (!h->multi)
		return wait_fd(extra_fd, timeout_ms, extra_ready);
	CURLMcode mc = curl_multi_poll(h->multi, extra_fd >= 0 ? &wfd : NULL,
	                               extra_fd >= 0 ? 1u : 0u, timeout_ms, &numfds);
	if (mc != CURLM_OK)
		return ERR_IO;
	if (extra_fd >= 0 && extra_ready) {
		/* curl drops POLLHUP from revents: ask the kernel directly, without waiting. */
		struct pollfd p = {.fd = extra_fd, .events = POLLIN, .revents = 0};
		if (poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
			*extra_ready = 1;
	}
	return numfds;
}

char *http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = s ? strlen(s) : 0;
	char *out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			*o++ = (char)ch;
		} else {
			*o++ = '%';
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		}
	}
	*o = '\0';
	return out;
}
