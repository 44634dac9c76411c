/* test_http: the asynchronous HTTP layer against the local test server. */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "clients/http.h"
#include "tests/unit/testsrv.h"

struct got {
	int calls;
	struct http_resp r;
	char *body;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_done(void *ud, const struct http_resp *r)
{
	struct got *g = ud;
	g->calls++;
	free(g->body);
	g->r = *r;
	g->body = malloc(r->len + 1);
	assert_non_null(g->body);
	memcpy(g->body, r->body, r->len + 1);
	g->r.body = g->body;
}

static void got_fini(struct got *g)
{
	free(g->body);
	memset(g, 0, sizeof *g);
}

/* Drives h until *flag is set or limit_ms passes; returns 1 when the flag was set. */
static int run_until(struct http *h, const int *flag, int limit_ms)
{
	int64_t deadline = mono_ms() + limit_ms;
	for (;;) {
		http_perform(h);
		if (*flag)
			return 1;
		if (mono_ms() > deadline)
			return 0;
		http_wait(h, -1, 50, NULL);
	}
}

/* Drives h a little longer so that a second (wrong) callback would show. */
static void settle(struct http *h)
{
	int64_t until = mono_ms() + 100;
	while (mono_ms() < until) {
		http_perform(h);
		http_wait(h, -1, 20, NULL);
	}
}

/* The URL of path on the test server, in one buffer per fixture: one request at a time. */
static const char *url(struct testsrv_fx *f, const char *path)
{
	return testsrv_url_for(f->srv, path, f->url, sizeof f->url);
}

/* Runs one request to completion and checks it was called back exactly once. */
static void fetch(struct testsrv_fx *f, const struct http_req *req, struct got *g)
{
	struct err e = {0};
	long id = http_start(f->h, req, on_done, g, &e);
	assert_true(id > 0);
	assert_int_equal(g->calls, 0); /* never from http_start */
	assert_true(run_until(f->h, &g->calls, 10000));
	settle(f->h);
	assert_int_equal(g->calls, 1);
	assert_int_equal(http_inflight(f->h), 0);
}

static void test_get_json(void **state)
{
	struct testsrv_fx *f = *state;
	testsrv_add(f->srv, "GET", "/a", 200, "application/json", "{\"ok\":1}");
	struct http_req req = {.url = url(f, "/a?x=1")};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 200);
	assert_string_equal(g.r.content_type, "application/json");
	assert_string_equal(g.body, "{\"ok\":1}");
	assert_int_equal(g.r.len, 8);
	assert_string_equal(g.r.error, "");
	assert_int_equal(g.r.too_big, 0);
	assert_int_equal(g.r.curl_code, 0);
	struct testsrv_req sr;
	assert_int_equal(testsrv_request(f->srv, 0, &sr), 0);
	assert_string_equal(sr.method, "GET");
	assert_string_equal(sr.path, "/a");
	assert_string_equal(sr.uri, "/a?x=1");
	assert_string_equal(testsrv_req_header(&sr, "User-Agent"), "mltop/0.1");
	assert_non_null(strstr(testsrv_req_header(&sr, "Accept-Encoding"), "gzip"));
	assert_null(testsrv_req_header(&sr, "Authorization"));
	testsrv_req_fini(&sr);
	got_fini(&g);
}

static void check_method(struct testsrv_fx *f, const char *method, const char *body)
{
	testsrv_reset(f->srv);
	testsrv_add(f->srv, method, "/m", 201, "application/json", "{}");
	char copy[64];
	snprintf(copy, sizeof copy, "%s", body ? body : "");
	struct http_req req = {.method = method, .url = url(f, "/m"), .body = body ? copy : NULL};
	struct got g = {0};
	struct err e = {0};
	assert_true(http_start(f->h, &req, on_done, &g, &e) > 0);
	memset(copy, 'X', sizeof copy - 1); /* the body was copied at start */
	assert_true(run_until(f->h, &g.calls, 10000));
	assert_int_equal(g.r.status, 201);
	struct testsrv_req sr;
	assert_int_equal(testsrv_request(f->srv, 0, &sr), 0);
	assert_string_equal(sr.method, method);
	assert_string_equal(sr.body, body ? body : "");
	if (body)
		assert_string_equal(testsrv_req_header(&sr, "Content-Type"), "application/json");
	testsrv_req_fini(&sr);
	got_fini(&g);
}

static void test_methods_and_bodies(void **state)
{
	struct testsrv_fx *f = *state;
	check_method(f, "POST", "{\"name\":\"exp\"}");
	check_method(f, "PATCH", "{\"percent\":10}");
	check_method(f, "DELETE", "{\"id\":\"7\"}");
	check_method(f, "POST", NULL);
	check_method(f, "DELETE", NULL);
	check_method(f, "GET", NULL);
}

static void test_error_pages(void **state)
{
	struct testsrv_fx *f = *state;
	static const char page[] = "<html><body>Internal Server Error</body></html>";
	testsrv_add(f->srv, NULL, "/boom", 500, "text/html; charset=utf-8", page);
	struct http_req req = {.url = url(f, "/boom")};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 500);
	assert_string_equal(g.r.content_type, "text/html; charset=utf-8");
	assert_string_equal(g.body, page);
	assert_string_equal(g.r.error, "");
	got_fini(&g);

	req.url = url(f, "/nothing-here");
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 404);
	assert_string_equal(g.r.content_type, "text/plain");
	got_fini(&g);
}

static void test_connection_refused(void **state)
{
	struct testsrv_fx *f = *state;
	/* A bound socket that does not listen: nobody else can take the port, connects are refused.
	 */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t alen = sizeof a;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	char u[64], want[80];
	snprintf(u, sizeof u, "http://user:pw@127.0.0.1:%u/x", (unsigned)ntohs(a.sin_port));
	snprintf(want, sizeof want, "connection refused (127.0.0.1:%u)",
	         (unsigned)ntohs(a.sin_port));
	struct http_req req = {.url = u};
	struct got g = {0};
	fetch(f, &req, &g);
	close(fd);
	assert_int_equal(g.r.status, 0);
	assert_int_equal(g.r.curl_code, CURLE_COULDNT_CONNECT);
	assert_string_equal(g.r.error, want);
	assert_null(strstr(g.r.error, "pw"));
	assert_int_equal(g.r.len, 0);
	got_fini(&g);
}

/* A name that cannot resolve (.invalid never does): said as such with the host, without the
 * credentials, at once (no wait for a connect timeout), and one answer (the client never retries
 * on its own: the scheduler's backoff does). */
static void test_dns_failure(void **state)
{
	struct testsrv_fx *f = *state;
	struct http_req req = {.url = "http://user:pw@no-such-host.invalid:9093/api/v2/alerts"};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 0);
	assert_int_equal(g.r.curl_code, CURLE_COULDNT_RESOLVE_HOST);
	assert_string_equal(g.r.error, "cannot resolve host (no-such-host.invalid:9093)");
	assert_null(strstr(g.r.error, "pw"));
	assert_true(g.r.elapsed_ms < 2500);
	got_fini(&g);
}

/* A listening socket whose accept queue is full: further SYNs are dropped, so a connect hangs. */
static int full_listener(uint16_t *port, int *fillers, int nfill)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 0), 0);
	socklen_t alen = sizeof a;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	for (int i = 0; i < nfill; i++) {
		fillers[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fillers[i] >= 0);
		connect(fillers[i], (struct sockaddr *)&a, sizeof a);
	}
	return fd;
}

static void test_connect_timeout(void **state)
{
	struct testsrv_fx *f = *state;
	uint16_t port;
	int fill[4];
	int fd = full_listener(&port, fill, 4);
	char u[64];
	snprintf(u, sizeof u, "http://127.0.0.1:%u/x", (unsigned)port);
	struct http_req req = {.url = u, .connect_timeout_ms = 200, .timeout_ms = 5000};
	struct got g = {0};
	int64_t t0 = mono_ms();
	fetch(f, &req, &g);
	int64_t took = mono_ms() - t0;
	for (int i = 0; i < 4; i++)
		close(fill[i]);
	close(fd);
	assert_int_equal(g.r.curl_code, CURLE_OPERATION_TIMEDOUT);
	assert_true(took < 3000);
	char want[80];
	snprintf(want, sizeof want, "connect timed out after 200 ms (127.0.0.1:%u)",
	         (unsigned)port);
	assert_string_equal(g.r.error, want);
	got_fini(&g);
}

static void test_timeout_on_stalled_body(void **state)
{
	struct testsrv_fx *f = *state;
	struct testsrv_route r = {.path = "/stall",
	                          .content_type = "application/json",
	                          .body = "{\"runs\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}",
	                          .cut = TESTSRV_STALL,
	                          .cut_after = 9};
	testsrv_route(f->srv, &r);
	struct http_req req = {.url = url(f, "/stall"), .timeout_ms = 300};
	struct got g = {0};
	int64_t t0 = mono_ms();
	fetch(f, &req, &g);
	int64_t took = mono_ms() - t0;
	assert_true(took >= 290);
	assert_true(took < 5000);
	assert_int_equal(g.r.curl_code, CURLE_OPERATION_TIMEDOUT);
	assert_int_equal(g.r.status, 0);
	assert_int_equal(g.r.len, 0);
	assert_non_null(strstr(g.r.error, "timed out after 300 ms"));
	got_fini(&g);
}

static void test_stall_then_rest_arrives(void **state)
{
	struct testsrv_fx *f = *state;
	struct testsrv_route r = {.path = "/slow",
	                          .body = "0123456789",
	                          .cut = TESTSRV_STALL,
	                          .cut_after = 4,
	                          .stall_ms = 50};
	testsrv_route(f->srv, &r);
	struct http_req req = {.url = url(f, "/slow")};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 200);
	assert_string_equal(g.body, "0123456789");
	got_fini(&g);
}

static char *big_body(size_t n)
{
	char *b = malloc(n + 1);
	assert_non_null(b);
	memset(b, 'a', n);
	b[n] = '\0';
	return b;
}

static void test_reset_and_close_mid_body(void **state)
{
	struct testsrv_fx *f = *state;
	char *body = big_body(200000);
	struct testsrv_route r = {
	    .path = "/reset", .body = body, .cut = TESTSRV_RESET, .cut_after = 1000};
	testsrv_route(f->srv, &r);
	r.path = "/close";
	r.cut = TESTSRV_CLOSE;
	testsrv_route(f->srv, &r);
	free(body);
	struct http_req req = {.url = url(f, "/reset")};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 0);
	assert_int_equal(g.r.len, 0);
	assert_non_null(strstr(g.r.error, "reset by peer"));
	got_fini(&g);

	req.url = url(f, "/close");
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 0);
	assert_int_equal(g.r.curl_code, CURLE_PARTIAL_FILE);
	assert_non_null(strstr(g.r.error, "closed in the middle of the body"));
	got_fini(&g);
}

static void test_body_over_cap(void **state)
{
	struct testsrv_fx *f = *state;
	char *body = big_body(100000);
	struct testsrv_route r = {.path = "/big", .body = body, .content_type = "text/plain"};
	testsrv_route(f->srv, &r);
	r.path = "/big-chunked";
	r.chunked = 1;
	testsrv_route(f->srv, &r);
	free(body);

	struct http_req req = {.url = url(f, "/big"), .max_body = 1000};
	struct got g = {0};
	fetch(f, &req, &g); /* Content-Length announces too much */
	assert_int_equal(g.r.too_big, 1);
	assert_int_equal(g.r.status, 200);
	assert_string_equal(g.r.content_type, "text/plain");
	assert_int_equal(g.r.len, 0);
	assert_string_equal(g.body, "");
	assert_non_null(strstr(g.r.error, "size cap"));
	got_fini(&g);

	req.url = url(f, "/big-chunked"); /* no length: aborted once the cap is passed */
	fetch(f, &req, &g);
	assert_int_equal(g.r.too_big, 1);
	assert_int_equal(g.r.status, 200);
	assert_int_equal(g.r.len, 0);
	got_fini(&g);

	req.max_body = 100000; /* exactly at the cap is fine */
	fetch(f, &req, &g);
	assert_int_equal(g.r.too_big, 0);
	assert_int_equal(g.r.status, 200);
	assert_int_equal(g.r.len, 100000);
	got_fini(&g);
}

/* gzip of {"pad":"a…a"} with 200,000 'a': 242 bytes on the wire, mostly zeros. */
static size_t gzip_bomb(unsigned char *out)
{
	static const unsigned char head[38] = {
	    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0xc1, 0x41,
	    0x0d, 0x00, 0x30, 0x08, 0x04, 0x30, 0x2f, 0x27, 0x03, 0x37, 0x24, 0x13, 0xb0,
	    0xff, 0x32, 0xef, 0x68, 0xe0, 0xdf, 0xf6, 0xe5, 0xf6, 0x49, 0xa5, 0x01};
	static const unsigned char tail[12] = {0x80, 0xb5, 0xfc, 0x01, 0x89, 0x1d,
	                                       0xd8, 0xe4, 0x4a, 0x0d, 0x03, 0x00};
	memcpy(out, head, sizeof head);
	memset(out + sizeof head, 0, 192);
	memcpy(out + sizeof head + 192, tail, sizeof tail);
	return sizeof head + 192 + sizeof tail;
}

static void test_gzip_decoded_and_capped(void **state)
{
	struct testsrv_fx *f = *state;
	unsigned char gz[242];
	struct testsrv_route r = {.path = "/gz",
	                          .content_type = "application/json",
	                          .headers = "Content-Encoding: gzip\n",
	                          .body = (const char *)gz,
	                          .body_len = gzip_bomb(gz)};
	testsrv_route(f->srv, &r);
	struct http_req req = {.url = url(f, "/gz"), .max_body = 300000};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 200);
	assert_int_equal(g.r.len, 200010);
	assert_memory_equal(g.body, "{\"pad\":\"aaa", 11);
	got_fini(&g);

	req.max_body = 10000; /* the cap counts decoded bytes: a small body cannot blow up */
	fetch(f, &req, &g);
	assert_int_equal(g.r.too_big, 1);
	assert_int_equal(g.r.len, 0);
	got_fini(&g);
}

/* Follows /start on host `first`, which redirects to /target on host `second`; returns the
 * Authorization header seen at /start and at /target (copied into the buffers, "" when none). */
static void redirect_auth(struct testsrv_fx *f, const struct http_auth *auth, const char *second,
                          char *at_start, char *at_target, size_t n)
{
	char loc[128];
	snprintf(loc, sizeof loc, "http://%s:%u/target", second, (unsigned)testsrv_port(f->srv));
	testsrv_reset(f->srv);
	struct testsrv_route r = {.path = "/start", .status = 302, .location = loc};
	testsrv_route(f->srv, &r);
	testsrv_add(f->srv, "GET", "/target", 200, "application/json", "{\"here\":true}");
	struct http_req req = {.url = url(f, "/start"), .auth = auth};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.status, 200);
	assert_string_equal(g.body, "{\"here\":true}");
	assert_int_equal(testsrv_request_count(f->srv), 2);
	struct testsrv_req a, b;
	assert_int_equal(testsrv_request(f->srv, 1, &a), 0);
	assert_int_equal(testsrv_request(f->srv, 0, &b), 0);
	assert_string_equal(a.path, "/start");
	assert_string_equal(b.path, "/target");
	const char *va = testsrv_req_header(&a, "Authorization");
	const char *vb = testsrv_req_header(&b, "Authorization");
	snprintf(at_start, n, "%s", va ? va : "");
	snprintf(at_target, n, "%s", vb ? vb : "");
	testsrv_req_fini(&a);
	testsrv_req_fini(&b);
	got_fini(&g);
}

static void test_redirect_drops_credentials(void **state)
{
	struct testsrv_fx *f = *state;
	char s[128], t[128];
	struct http_auth bearer = {.bearer_token = "s3cret-token"};
	struct http_auth basic = {.username = "alice", .password = "pw"};

	redirect_auth(f, &bearer, "127.0.0.1", s, t, sizeof s); /* same host: kept */
	assert_string_equal(s, "Bearer s3cret-token");
	assert_string_equal(t, "Bearer s3cret-token");

	redirect_auth(f, &bearer, "localhost", s, t, sizeof s); /* another host: dropped */
	assert_string_equal(s, "Bearer s3cret-token");
	assert_string_equal(t, "");

	redirect_auth(f, &basic, "localhost", s, t, sizeof s);
	assert_string_equal(s, "Basic YWxpY2U6cHc=");
	assert_string_equal(t, "");
}

static void test_too_many_redirects(void **state)
{
	struct testsrv_fx *f = *state;
	char loc[128];
	testsrv_url_for(f->srv, "/loop", loc, sizeof loc);
	struct testsrv_route r = {.path = "/loop", .status = 302, .location = loc};
	testsrv_route(f->srv, &r);
	struct http_req req = {.url = url(f, "/loop")};
	struct got g = {0};
	fetch(f, &req, &g);
	assert_int_equal(g.r.curl_code, CURLE_TOO_MANY_REDIRECTS);
	assert_int_equal(testsrv_request_count(f->srv), 6);
	assert_non_null(strstr(g.r.error, "redirects"));
	got_fini(&g);
}

static void tls_fetch(struct testsrv_fx *f, const char *u, const struct http_auth *auth,
                      struct got *g)
{
	struct http_req req = {.url = u, .auth = auth};
	got_fini(g);
	fetch(f, &req, g);
}

static void test_tls_verification(void **state)
{
	struct testsrv_fx *f = *state;
	struct testsrv *tls = testsrv_start_tls(testsrv_cert_pem, testsrv_key_pem);
	assert_non_null(tls);
	testsrv_add(tls, "GET", "/secure", 200, "application/json", "{\"tls\":1}");
	char u[128], where[64], ca[] = "/tmp/mltop-test-ca-XXXXXX";
	testsrv_url_for(tls, "/secure", u, sizeof u);
	assert_memory_equal(u, "https://", 8);
	snprintf(where, sizeof where, "(127.0.0.1:%u)", (unsigned)testsrv_port(tls));
	int fd = mkstemp(ca);
	assert_true(fd >= 0);
	size_t n = strlen(testsrv_cert_pem);
	assert_int_equal(write(fd, testsrv_cert_pem, n), (ssize_t)n);
	close(fd);
	struct got g = {0};

	tls_fetch(f, u, NULL, &g); /* verified by default: a self-signed certificate fails */
	assert_int_equal(g.r.curl_code, CURLE_PEER_FAILED_VERIFICATION);
	assert_int_equal(g.r.status, 0);
	assert_non_null(strstr(g.r.error, "TLS certificate not trusted"));
	assert_non_null(strstr(g.r.error, where));

	struct http_auth with_ca = {.ca_file = ca};
	tls_fetch(f, u, &with_ca, &g);
	assert_int_equal(g.r.status, 200);
	assert_string_equal(g.body, "{\"tls\":1}");

	struct http_auth insecure = {.insecure = 1};
	tls_fetch(f, u, &insecure, &g);
	assert_int_equal(g.r.status, 200);

	struct http_auth missing = {.ca_file = "/nonexistent/ca.pem"};
	tls_fetch(f, u, &missing, &g);
	assert_int_equal(g.r.status, 0);
	assert_true(g.r.error[0] != '\0');
	got_fini(&g);
	unlink(ca);
	testsrv_stop(&tls);
}

static void test_auth_headers(void **state)
{
	struct testsrv_fx *f = *state;
	testsrv_add(f->srv, "GET", "/who", 200, "application/json", "{}");
	struct http_auth basic = {.username = "alice", .password = "pw"};
	struct http_auth bearer = {.bearer_token = "t0k"};
	const struct {
		const struct http_auth *auth;
		const char *want;
	} cases[] = {{&basic, "Basic YWxpY2U6cHc="}, {&bearer, "Bearer t0k"}};
	for (size_t i = 0; i < 2; i++) {
		struct http_req req = {.url = url(f, "/who"), .auth = cases[i].auth};
		struct got g = {0};
		fetch(f, &req, &g);
		struct testsrv_req sr;
		assert_int_equal(testsrv_request(f->srv, 0, &sr), 0);
		assert_string_equal(testsrv_req_header(&sr, "Authorization"), cases[i].want);
		testsrv_req_fini(&sr);
		got_fini(&g);
	}
}

struct chain {
	struct testsrv_fx *f;
	int done;
	int statuses[3];
};

static void on_chain(void *ud, const struct http_resp *r)
{
	struct chain *c = ud;
	c->statuses[c->done++] = (int)r->status;
	if (c->done < 3) {
		struct http_req req = {.url = url(c->f, "/next")};
		assert_true(http_start(c->f->h, &req, on_chain, c, NULL) > 0);
	}
}

static void test_callback_starts_requests(void **state)
{
	struct testsrv_fx *f = *state;
	testsrv_add(f->srv, "GET", "/next", 200, "text/plain", "ok");
	struct chain c = {.f = f};
	struct http_req req = {.url = url(f, "/next")};
	assert_true(http_start(f->h, &req, on_chain, &c, NULL) > 0);
	int three = 0;
	int64_t deadline = mono_ms() + 10000;
	while (!three && mono_ms() < deadline) {
		http_perform(f->h);
		three = c.done == 3;
		http_wait(f->h, -1, 50, NULL);
	}
	settle(f->h);
	assert_int_equal(c.done, 3);
	assert_int_equal(c.statuses[2], 200);
	assert_int_equal(testsrv_request_count(f->srv), 3);
	assert_int_equal(http_inflight(f->h), 0);
}

struct canceller {
	struct http *h;
	long victim;
	int calls;
};

static void on_cancel_other(void *ud, const struct http_resp *r)
{
	(void)r;
	struct canceller *c = ud;
	c->calls++;
	http_cancel(c->h, c->victim);
}

static void test_cancel(void **state)
{
	struct testsrv_fx *f = *state;
	struct testsrv_route slow = {.path = "/slow", .body = "late", .delay_ms = 300};
	testsrv_route(f->srv, &slow);
	testsrv_add(f->srv, "GET", "/fast", 200, "text/plain", "soon");

	struct got a = {0}, b = {0};
	char slow_url[128], slower_url[128], fast_url[128];
	struct http_req rs = {.url = testsrv_url_for(f->srv, "/slow", slow_url, sizeof slow_url)};
	long ida = http_start(f->h, &rs, on_done, &a, NULL);
	long idb = http_start(f->h, &rs, on_done, &b, NULL);
	assert_true(ida > 0 && idb > 0 && ida != idb);
	http_perform(f->h);
	http_cancel(f->h, ida);
	assert_int_equal(http_inflight(f->h), 1);
	assert_true(run_until(f->h, &b.calls, 10000));
	settle(f->h);
	assert_int_equal(a.calls, 0);
	assert_int_equal(b.calls, 1);
	got_fini(&b);

	/* A callback cancels another transfer: that one is never called back. */
	struct testsrv_route slower = {.path = "/slower", .body = "never", .delay_ms = 10000};
	testsrv_route(f->srv, &slower);
	struct got v = {0};
	struct canceller c = {.h = f->h};
	struct http_req rv = {.url = testsrv_url_for(f->srv, "/slower", slower_url, 128)};
	c.victim = http_start(f->h, &rv, on_done, &v, NULL);
	struct http_req rf = {.url = testsrv_url_for(f->srv, "/fast", fast_url, 128)};
	assert_true(http_start(f->h, &rf, on_cancel_other, &c, NULL) > 0);
	assert_true(run_until(f->h, &c.calls, 10000));
	settle(f->h);
	assert_int_equal(v.calls, 0);
	assert_int_equal(http_inflight(f->h), 0);

	/* Two transfers that cancel each other: exactly one is called back, whether they end in
	 * the same http_perform (the other waits for its callback) or in two. */
	struct canceller x = {.h = f->h}, y = {.h = f->h};
	y.victim = http_start(f->h, &rf, on_cancel_other, &x, NULL);
	x.victim = http_start(f->h, &rf, on_cancel_other, &y, NULL);
	int any = 0;
	int64_t deadline = mono_ms() + 10000;
	while (!(any = x.calls + y.calls) && mono_ms() < deadline) {
		http_perform(f->h);
		http_wait(f->h, -1, 20, NULL);
	}
	settle(f->h);
	assert_int_equal(x.calls + y.calls, 1);
	assert_int_equal(http_inflight(f->h), 0);

	/* http_free with transfers in flight calls nobody back. */
	http_start(f->h, &rv, on_done, &v, NULL);
	http_perform(f->h);
	http_free(&f->h);
	assert_null(f->h);
	assert_int_equal(v.calls, 0);
}

static void test_bad_requests(void **state)
{
	struct testsrv_fx *f = *state;
	struct got g = {0};
	struct err e = {0};
	struct http_req req = {.url = "ftp://127.0.0.1/x"};
	assert_true(http_start(f->h, &req, on_done, &g, &e) < 0);
	assert_int_equal(e.code, ERR_CONFIG);
	req.url = "not a url";
	assert_true(http_start(f->h, &req, on_done, &g, &e) < 0);
	req.url = url(f, "/x");
	req.method = "TRACE";
	assert_true(http_start(f->h, &req, on_done, &g, &e) < 0);
	assert_non_null(strstr(e.msg, "TRACE"));
	req.method = NULL;
	struct http_auth split = {.bearer_token = "t0k\r\nX-Evil: 1"};
	req.auth = &split;
	assert_true(http_start(f->h, &req, on_done, &g, &e) < 0);
	assert_int_equal(e.code, ERR_CONFIG);
	assert_null(strstr(e.msg, "t0k"));
	settle(f->h);
	assert_int_equal(g.calls, 0);
}

static void test_wait_reports_stdin_hangup(void **state)
{
	struct testsrv_fx *f = *state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	int ready = -1;
	assert_true(http_wait(f->h, p[0], 10, &ready) >= 0);
	assert_int_equal(ready, 0);

	assert_int_equal(write(p[1], "k", 1), 1);
	int64_t t0 = mono_ms();
	http_wait(f->h, p[0], 5000, &ready);
	assert_int_equal(ready, 1);
	assert_true(mono_ms() - t0 < 2000);
	char ch;
	assert_int_equal(read(p[0], &ch, 1), 1);

	close(p[1]); /* EOF: hang-up must wake the loop */
	t0 = mono_ms();
	http_wait(f->h, p[0], 5000, &ready);
	assert_int_equal(ready, 1);
	assert_true(mono_ms() - t0 < 2000);
	close(p[0]);
}

/* A pool that has sent nothing yet has not set libcurl up: waiting watches the extra descriptor
 * alone (a key, stdin at EOF) and a timeout without one, and the first request after works. */
static void test_wait_before_any_request(void **state)
{
	struct testsrv_fx *f = *state;
	struct http *h = http_new(NULL);
	int p[2], ready = 0;
	assert_non_null(h);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(http_perform(h), 0);
	int64_t t0 = mono_ms();
	assert_int_equal(http_wait(h, p[0], 50, &ready), 0);
	assert_int_equal(ready, 0);
	assert_true(mono_ms() - t0 >= 40);
	assert_int_equal(write(p[1], "k", 1), 1);
	assert_true(http_wait(h, p[0], 5000, &ready) > 0);
	assert_int_equal(ready, 1);
	close(p[1]);
	close(p[0]);
	/* the first request sets libcurl up and is answered */
	struct got g = {0};
	testsrv_add(f->srv, "GET", "/json", 200, "application/json", "{}");
	struct http_req req = {.url = url(f, "/json")};
	assert_true(http_start(h, &req, on_done, &g, NULL) > 0);
	assert_true(run_until(h, &g.calls, 10000));
	assert_int_equal(g.r.status, 200);
	got_fini(&g);
	http_free(&h);
}

static void test_escape(void **state)
{
	(void)state;
	char *s = http_escape("a b/c&d=é~_.-");
	assert_string_equal(s, "a%20b%2Fc%26d%3D%C3%A9~_.-");
	free(s);
	s = http_escape("");
	assert_string_equal(s, "");
	free(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, testsrv_fx_setup, testsrv_fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_get_json),
	    T(test_methods_and_bodies),
	    T(test_error_pages),
	    T(test_connection_refused),
	    T(test_dns_failure),
	    T(test_connect_timeout),
	    T(test_timeout_on_stalled_body),
	    T(test_stall_then_rest_arrives),
	    T(test_reset_and_close_mid_body),
	    T(test_body_over_cap),
	    T(test_gzip_decoded_and_capped),
	    T(test_redirect_drops_credentials),
	    T(test_too_many_redirects),
	    T(test_tls_verification),
	    T(test_auth_headers),
	    T(test_callback_starts_requests),
	    T(test_cancel),
	    T(test_bad_requests),
	    T(test_wait_reports_stdin_hangup),
	    T(test_wait_before_any_request),
	    T(test_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
