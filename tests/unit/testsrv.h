/* testsrv: a small HTTP server for unit tests (libmicrohttpd, one thread per connection).
 *
 * It listens on 127.0.0.1 on a free port, answers from a table of routes (method + exact path or
 * path prefix -> status, content type, body, extra headers) and can misbehave on purpose: wait
 * before answering, stall in the middle of the body, close or reset the connection in the middle
 * of the body, send the body chunked, redirect. It records the requests it received (method, path,
 * raw URI with the query, headers, body) so that a test can assert what a client sent.
 *
 *	struct testsrv *srv = testsrv_start();
 *	testsrv_add(srv, "GET", "/api/2.0/mlflow/experiments/search", 200, "application/json",
 *		    "{\"experiments\":[]}");
 *	... point the client at testsrv_url(srv) and drive it ...
 *	struct testsrv_req req;
 *	testsrv_request(srv, 0, &req);      (the last request)
 *	assert_string_equal(testsrv_req_header(&req, "Authorization"), "Bearer t0k");
 *	testsrv_req_fini(&req);
 *	testsrv_stop(&srv);
 *
 * Routes and records are protected by a lock: routes may be added or changed while the server
 * runs. The newest matching route wins, so a test can override an earlier one. A request that
 * matches no route gets 404 text/plain "no route\n". */
#ifndef MLTOP_TESTSRV_H
#define MLTOP_TESTSRV_H

#include <stddef.h>
#include <stdint.h>

enum testsrv_cut {
	TESTSRV_FULL,  /* send the whole body */
	TESTSRV_STALL, /* send cut_after bytes, then wait stall_ms (0: until stopped) */
	TESTSRV_CLOSE, /* send cut_after bytes, then close the connection (FIN) */
	TESTSRV_RESET, /* send cut_after bytes, then reset the connection (RST) */
};

struct testsrv_route {
	const char *method;       /* "GET", …; NULL: any method */
	const char *path;         /* matched against the path without the query string */
	int prefix;               /* 1: path is a prefix */
	unsigned status;          /* 0: 200 */
	const char *content_type; /* NULL: no Content-Type header */
	const char *body;         /* NULL: empty */
	size_t body_len;          /* 0: strlen(body) */
	const char *location;     /* Location header (redirects), or NULL */
	const char *headers;      /* extra header lines "Name: value\n…", or NULL */
	int delay_ms;             /* wait before answering at all */
	enum testsrv_cut cut;
	size_t cut_after; /* body bytes sent before the cut */
	int stall_ms;     /* TESTSRV_STALL: how long; then the rest is sent. 0: until stopped */
	int chunked;      /* 1: no Content-Length, chunked transfer encoding */
};

struct testsrv_hdr {
	char *name;
	char *value;
};

/* A copy of one received request; release with testsrv_req_fini. */
struct testsrv_req {
	char *method;
	char *path; /* decoded, without the query string */
	char *uri;  /* as sent on the request line, with the query string */
	struct testsrv_hdr *hdr;
	int nhdr;
	char *body; /* NUL-terminated ("" when none) */
	size_t body_len;
};

struct testsrv;
struct http;

/* Starts the server on 127.0.0.1 on a free port. Returns NULL when it cannot. */
struct testsrv *testsrv_start(void);
/* The same over TLS (https:// URLs) with a PEM certificate and key; testsrv_cert_pem and
 * testsrv_key_pem are a self-signed pair for 127.0.0.1 and localhost, valid 2000-2099, whose
 * certificate a client can use as its CA file. cert_pem NULL: plain HTTP. */
struct testsrv *testsrv_start_tls(const char *cert_pem, const char *key_pem);
extern const char testsrv_cert_pem[];
extern const char testsrv_key_pem[];
/* Stops the server (ends stalled and delayed answers at once) and frees it; sets *s to NULL. */
void testsrv_stop(struct testsrv **s);

uint16_t testsrv_port(const struct testsrv *s);
const char *testsrv_url(const struct testsrv *s); /* "http://127.0.0.1:PORT" (or https), no '/' */
/* Writes testsrv_url(s) followed by path into buf; returns buf. */
char *testsrv_url_for(const struct testsrv *s, const char *path, char *buf, size_t n);

/* Adds a route (everything is copied). Returns 0, or -1 when out of memory. */
int testsrv_route(struct testsrv *s, const struct testsrv_route *r);
/* The common case: exact path, whole body. */
int testsrv_add(struct testsrv *s, const char *method, const char *path, unsigned status,
                const char *content_type, const char *body);
/* Forgets every route and every recorded request. */
void testsrv_reset(struct testsrv *s);

/* How many requests arrived since the start (or the last reset). */
int testsrv_request_count(struct testsrv *s);
/* Copies a recorded request: back 0 is the last one, 1 the one before, … (the last 64 are kept).
 * Returns 0, or -1 when there is no such request (out is then zeroed). */
int testsrv_request(struct testsrv *s, int back, struct testsrv_req *out);
/* The value of a header of a recorded request (case-insensitive name), or NULL. */
const char *testsrv_req_header(const struct testsrv_req *r, const char *name);
void testsrv_req_fini(struct testsrv_req *r);

/* The fixture of the HTTP tests: a server and a client (clients/http) to talk to it. As cmocka
 * setup and teardown, *state is a struct testsrv_fx. */
struct testsrv_fx {
	struct testsrv *srv;
	struct http *h;
	char url[256]; /* a buffer for one URL at a time */
};
int testsrv_fx_setup(void **state);
int testsrv_fx_teardown(void **state);

#endif
