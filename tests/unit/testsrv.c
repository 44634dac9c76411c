/* testsrv: see testsrv.h. libmicrohttpd with a thread per connection, so that a delayed or
 * stalled answer only holds its own connection; every wait is sliced and ends when the server
 * stops. */
#include "tests/unit/testsrv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "clients/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define TESTSRV_KEEP 64

/* One request being received (the connection's con_cls). */
struct pending {
	char *uri;
	char *body;
	size_t len, cap;
	int seen;
};

/* What one answer needs once the lock is released: a copy of its route. */
struct reply {
	struct testsrv *srv;
	struct MHD_Connection *con;
	struct testsrv_route r; /* strings owned */
};

struct testsrv {
	struct MHD_Daemon *d;
	uint16_t port;
	char url[40];
	pthread_mutex_t mu;
	struct testsrv_route *routes; /* strings owned */
	int nroutes;
	struct testsrv_req recs[TESTSRV_KEEP];
	int count;
	atomic_int stopping;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char *dup_mem(const char *p, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		if (n)
			memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

/* Deep copy of a route into *dst; returns 0 or -1. */
static int route_copy(struct testsrv_route *dst, const struct testsrv_route *src)
{
	*dst = *src;
	dst->body_len = src->body ? (src->body_len ? src->body_len : strlen(src->body)) : 0;
	dst->method = dup_or_null(src->method);
	dst->path = dup_or_null(src->path ? src->path : "/");
	dst->content_type = dup_or_null(src->content_type);
	dst->location = dup_or_null(src->location);
	dst->headers = dup_or_null(src->headers);
	dst->body = dup_mem(src->body ? src->body : "", dst->body_len);
	if ((src->method && !dst->method) || !dst->path ||
	    (src->content_type && !dst->content_type) || (src->location && !dst->location) ||
	    (src->headers && !dst->headers) || !dst->body)
		return -1;
	return 0;
}

static void route_fini(struct testsrv_route *r)
{
	free((char *)r->method);
	free((char *)r->path);
	free((char *)r->content_type);
	free((char *)r->location);
	free((char *)r->headers);
	free((char *)r->body);
	memset(r, 0, sizeof *r);
}

void testsrv_req_fini(struct testsrv_req *r)
{
	if (!r)
		return;
	free(r->method);
	free(r->path);
	free(r->uri);
	for (int i = 0; i < r->nhdr; i++) {
		free(r->hdr[i].name);
		free(r->hdr[i].value);
	}
	free(r->hdr);
	free(r->body);
	memset(r, 0, sizeof *r);
}

/* Sleeps ms (0: until the server stops) in short slices; returns 1 when the server is stopping. */
static int nap(struct testsrv *s, int ms)
{
	struct timespec slice = {0, 5 * 1000 * 1000};
	for (int waited = 0; ms == 0 || waited < ms; waited += 5) {
		if (atomic_load(&s->stopping))
			return 1;
		nanosleep(&slice, NULL);
	}
	return atomic_load(&s->stopping);
}

/* Aborts the TCP connection with an RST while libmicrohttpd still owns the descriptor:
 * connect() with AF_UNSPEC disconnects a TCP socket (tcp_disconnect sends the reset). */
static void reset_connection(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci) {
		struct linger lg = {1, 0};
		struct sockaddr unspec = {.sa_family = AF_UNSPEC};
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		connect(ci->connect_fd, &unspec, sizeof unspec);
	}
}

static ssize_t body_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct reply *rp = cls;
	const struct testsrv_route *r = &rp->r;
	size_t limit = r->body_len;
	if (r->cut != TESTSRV_FULL && r->cut_after < limit)
		limit = r->cut_after;
	if (pos >= limit) {
		switch (r->cut) {
		case TESTSRV_FULL:
			return MHD_CONTENT_READER_END_OF_STREAM;
		case TESTSRV_STALL:
			if (nap(rp->srv, r->stall_ms))
				return MHD_CONTENT_READER_END_WITH_ERROR;
			rp->r.cut = TESTSRV_FULL;
			return body_reader(cls, pos, buf, max);
		case TESTSRV_RESET:
			reset_connection(rp->con);
			return MHD_CONTENT_READER_END_WITH_ERROR;
		case TESTSRV_CLOSE:
		default:
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	size_t n = limit - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, r->body + pos, n);
	return (ssize_t)n;
}

static void reply_free(void *cls)
{
	struct reply *rp = cls;
	route_fini(&rp->r);
	free(rp);
}

static int route_matches(const struct testsrv_route *r, const char *method, const char *path)
{
	if (r->method && strcmp(r->method, method) != 0)
		return 0;
	if (r->prefix)
		return strncmp(path, r->path, strlen(r->path)) == 0;
	return strcmp(path, r->path) == 0;
}

/* Copies the newest matching route, or a 404 route when none matches. Returns NULL on ENOMEM. */
static struct reply *reply_for(struct testsrv *s, const char *method, const char *path)
{
	static const struct testsrv_route no_route = {
	    .status = 404, .content_type = "text/plain", .body = "no route\n"};
	struct reply *rp = calloc(1, sizeof *rp);
	if (!rp)
		return NULL;
	rp->srv = s;
	pthread_mutex_lock(&s->mu);
	const struct testsrv_route *found = &no_route;
	for (int i = s->nroutes - 1; i >= 0; i--) {
		if (route_matches(&s->routes[i], method, path)) {
			found = &s->routes[i];
			break;
		}
	}
	int rc = route_copy(&rp->r, found);
	pthread_mutex_unlock(&s->mu);
	if (rc < 0) {
		reply_free(rp);
		return NULL;
	}
	return rp;
}

/* Adds the extra header lines "Name: value\n…" of a route to a response. */
static void add_extra_headers(struct MHD_Response *resp, const char *lines)
{
	char *copy = lines ? strdup(lines) : NULL;
	char *save = NULL;
	for (char *line = copy ? strtok_r(copy, "\r\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *value = colon + 1;
		while (*value == ' ')
			value++;
		MHD_add_response_header(resp, line, value);
	}
	free(copy);
}

static enum MHD_Result answer(struct testsrv *s, struct MHD_Connection *con, const char *method,
                              const char *path)
{
	struct reply *rp = reply_for(s, method, path);
	if (!rp)
		return MHD_NO;
	rp->con = con;
	if (rp->r.delay_ms > 0 && nap(s, rp->r.delay_ms)) {
		reply_free(rp);
		return MHD_NO;
	}
	unsigned status = rp->r.status ? rp->r.status : 200;
	uint64_t size = rp->r.chunked ? MHD_SIZE_UNKNOWN : rp->r.body_len;
	struct MHD_Response *resp =
	    MHD_create_response_from_callback(size, 16 * 1024, body_reader, rp, reply_free);
	if (!resp) {
		reply_free(rp);
		return MHD_NO;
	}
	if (rp->r.content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rp->r.content_type);
	if (rp->r.location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, rp->r.location);
	add_extra_headers(resp, rp->r.headers);
	enum MHD_Result ret = MHD_queue_response(con, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
	(void)kind;
	struct testsrv_req *r = cls;
	struct testsrv_hdr *grown = realloc(r->hdr, (size_t)(r->nhdr + 1) * sizeof *grown);
	if (!grown)
		return MHD_NO;
	r->hdr = grown;
	r->hdr[r->nhdr].name = strdup(key ? key : "");
	r->hdr[r->nhdr].value = strdup(value ? value : "");
	r->nhdr++;
	return MHD_YES;
}

/* Stores a copy of the request in the ring of recent requests. */
static void record(struct testsrv *s, struct MHD_Connection *con, const char *method,
                   const char *path, struct pending *p)
{
	struct testsrv_req r = {0};
	r.method = strdup(method);
	r.path = strdup(path);
	r.uri = strdup(p->uri ? p->uri : path);
	r.body = dup_mem(p->body ? p->body : "", p->len);
	r.body_len = p->len;
	MHD_get_connection_values(con, MHD_HEADER_KIND, collect_header, &r);
	pthread_mutex_lock(&s->mu);
	struct testsrv_req *slot = &s->recs[s->count % TESTSRV_KEEP];
	testsrv_req_fini(slot);
	*slot = r;
	s->count++;
	pthread_mutex_unlock(&s->mu);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct testsrv *s = cls;
	struct pending *p = *con_cls;
	if (!p)
		return MHD_NO;
	if (!p->seen) {
		p->seen = 1;
		return MHD_YES;
	}
	if (*upload_size) {
		if (p->len + *upload_size + 1 > p->cap) {
			size_t cap = (p->len + *upload_size + 1) * 2;
			char *grown = realloc(p->body, cap);
			if (!grown)
				return MHD_NO;
			p->body = grown;
			p->cap = cap;
		}
		memcpy(p->body + p->len, upload, *upload_size);
		p->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	record(s, con, method, url, p);
	return answer(s, con, method, url);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	(void)cls;
	(void)con;
	struct pending *p = calloc(1, sizeof *p);
	if (p)
		p->uri = strdup(uri);
	return p;
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)con;
	(void)toe;
	struct pending *p = *con_cls;
	if (p) {
		free(p->uri);
		free(p->body);
		free(p);
		*con_cls = NULL;
	}
}

/* A self-signed certificate for 127.0.0.1 and localhost, valid 2000-2099 (EC P-256). */
const char testsrv_cert_pem[] = "-----BEGIN CERTIFICATE-----\n"
                                "MIIBaTCCAQ+gAwIBAgIBATAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDAptbHRvcCB0\n"
                                "ZXN0MCAXDTAwMDEwMTAwMDAwMFoYDzIwOTkxMjMxMjM1OTU5WjAVMRMwEQYDVQQD\n"
                                "DAptbHRvcCB0ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEp9h7viXhGUE\n"
                                "NcnQIFMjTkDoa46e7pnOxH/YaXhHvZoQGaBQ+mdA5zo6CS+4KaNG3G3KNR1xPCmh\n"
                                "PWBYMaLjw6NOMEwwGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MA8GA1UdEwEB\n"
                                "/wQFMAMBAf8wHQYDVR0OBBYEFNFG7ANYaSeE4P//XnstkpKuj/JFMAoGCCqGSM49\n"
                                "BAMCA0gAMEUCICfFttc4E/j1Bol136ysbmTmf30DbepuU1Zi8RB7K+TTAiEA0AKC\n"
                                "G7ILEf1GTATX1JBapXT4Z7D//UrtKRowZmSK660=\n"
                                "-----END CERTIFICATE-----\n";

const char testsrv_key_pem[] = "-----BEGIN PRIVATE KEY-----\n"
                               "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdUfWAm40G8UWnu74\n"
                               "mB+Iq6HeDj0iGNXir7Hc7w6k9h+hRANCAAQSn2Hu+JeEZQQ1ydAgUyNOQOhrjp7u\n"
                               "mc7Ef9hpeEe9mhAZoFD6Z0DnOjoJL7gpo0bcbco1HXE8KaE9YFgxouPD\n"
                               "-----END PRIVATE KEY-----\n";

static struct MHD_Daemon *start_daemon(struct testsrv *s, const struct sockaddr_in *addr,
                                       const char *cert_pem, const char *key_pem)
{
	unsigned flags =
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	if (!cert_pem)
		return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
		                        addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		                        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		                        MHD_OPTION_END);
	return MHD_start_daemon(
	    flags | MHD_USE_TLS, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_HTTPS_MEM_KEY, key_pem, MHD_OPTION_END);
}

struct testsrv *testsrv_start_tls(const char *cert_pem, const char *key_pem)
{
	struct testsrv *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	pthread_mutex_init(&s->mu, NULL);
	atomic_init(&s->stopping, 0);
	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_port = 0;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->d = start_daemon(s, &addr, cert_pem, key_pem);
	if (!s->d)
		goto fail;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	if (!di || !di->port)
		goto fail;
	s->port = di->port;
	snprintf(s->url, sizeof s->url, "%s://127.0.0.1:%u", cert_pem ? "https" : "http",
	         (unsigned)s->port);
	return s;
fail:
	testsrv_stop(&s);
	return NULL;
}

struct testsrv *testsrv_start(void)
{
	return testsrv_start_tls(NULL, NULL);
}

void testsrv_reset(struct testsrv *s)
{
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < s->nroutes; i++)
		route_fini(&s->routes[i]);
	free(s->routes);
	s->routes = NULL;
	s->nroutes = 0;
	for (int i = 0; i < TESTSRV_KEEP; i++)
		testsrv_req_fini(&s->recs[i]);
	s->count = 0;
	pthread_mutex_unlock(&s->mu);
}

void testsrv_stop(struct testsrv **sp)
{
	struct testsrv *s = sp ? *sp : NULL;
	if (!s)
		return;
	atomic_store(&s->stopping, 1);
	if (s->d)
		MHD_stop_daemon(s->d);
	testsrv_reset(s);
	pthread_mutex_destroy(&s->mu);
	free(s);
	*sp = NULL;
}

uint16_t testsrv_port(const struct testsrv *s)
{
	return s->port;
}

const char *testsrv_url(const struct testsrv *s)
{
	return s->url;
}

char *testsrv_url_for(const struct testsrv *s, const char *path, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", s->url, path ? path : "");
	return buf;
}

int testsrv_route(struct testsrv *s, const struct testsrv_route *r)
{
	struct testsrv_route copy;
	if (route_copy(&copy, r) < 0) {
		route_fini(&copy);
		return -1;
	}
	pthread_mutex_lock(&s->mu);
	struct testsrv_route *grown = realloc(s->routes, (size_t)(s->nroutes + 1) * sizeof *grown);
	if (grown) {
		s->routes = grown;
		s->routes[s->nroutes++] = copy;
	}
	pthread_mutex_unlock(&s->mu);
	if (!grown) {
		route_fini(&copy);
		return -1;
	}
	return 0;
}

int testsrv_add(struct testsrv *s, const char *method, const char *path, unsigned status,
                const char *content_type, const char *body)
{
	struct testsrv_route r = {.method = method,
	                          .path = path,
	                          .status = status,
	                          .content_type = content_type,
	                          .body = body};
	return testsrv_route(s, &r);
}

int testsrv_request_count(struct testsrv *s)
{
	pthread_mutex_lock(&s->mu);
	int n = s->count;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static int req_copy(struct testsrv_req *dst, const struct testsrv_req *src)
{
	memset(dst, 0, sizeof *dst);
	dst->method = strdup(src->method);
	dst->path = strdup(src->path);
	dst->uri = strdup(src->uri);
	dst->body = dup_mem(src->body, src->body_len);
	dst->body_len = src->body_len;
	dst->hdr = calloc((size_t)src->nhdr + 1, sizeof *dst->hdr);
	if (!dst->method || !dst->path || !dst->uri || !dst->body || !dst->hdr)
		return -1;
	for (int i = 0; i < src->nhdr; i++) {
		dst->hdr[i].name = strdup(src->hdr[i].name);
		dst->hdr[i].value = strdup(src->hdr[i].value);
		dst->nhdr++;
		if (!dst->hdr[i].name || !dst->hdr[i].value)
			return -1;
	}
	return 0;
}

int testsrv_request(struct testsrv *s, int back, struct testsrv_req *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&s->mu);
	int rc = -1;
	if (back >= 0 && back < s->count && back < TESTSRV_KEEP) {
		rc = req_copy(out, &s->recs[(s->count - 1 - back) % TESTSRV_KEEP]);
		if (rc < 0)
			testsrv_req_fini(out);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

const char *testsrv_req_header(const struct testsrv_req *r, const char *name)
{
	for (int i = 0; i < r->nhdr; i++)
		if (r->hdr[i].name && strcasecmp(r->hdr[i].name, name) == 0)
			return r->hdr[i].value;
	return NULL;
}

int testsrv_fx_setup(void **state)
{
	struct testsrv_fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->srv = testsrv_start();
	assert_non_null(f->srv);
	f->h = http_new(NULL);
	assert_non_null(f->h);
	*state = f;
	return 0;
}

int testsrv_fx_teardown(void **state)
{
	struct testsrv_fx *f = *state;
	http_free(&f->h);
	testsrv_stop(&f->srv);
	free(f);
	return 0;
}
