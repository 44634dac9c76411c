/* mltop-sim: HTTP plumbing. Each request: collect the body (capped), take the world lock, tick the
 * world, look for an injected fault, then offer the request to mlflow_route and ops_route. */
#include "sim/server.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sim/clock.h"
#include "sim/fault.h"
#include "sim/rng.h"

#define SERVER_GARBAGE_LEN 4096

struct server_conn {
	char *buf;
	size_t len, cap;
	int too_big;
};

static pthread_mutex_t server_world = PTHREAD_MUTEX_INITIALIZER;
static struct MHD_Daemon *server_daemon;
static uint64_t server_garbage_count;

/* ---- request helpers (sim.h) ---- */

const char *sim_query(const struct sim_req *req, const char *key)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

struct server_query_iter {
	const char *key;
	void (*fn)(void *, const char *);
	void *ud;
};

static enum MHD_Result server_query_each(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
	struct server_query_iter *it = cls;

	(void)kind;
	if (key && strcmp(key, it->key) == 0)
		it->fn(it->ud, value ? value : "");
	return MHD_YES;
}

void sim_query_all(const struct sim_req *req, const char *key, void (*fn)(void *, const char *),
                   void *ud)
{
	struct server_query_iter it = {key, fn, ud};

	if (req->conn)
		MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, server_query_each, &it);
}

void sim_resp_json(struct sim_resp *resp, int status, void *cjson)
{
	char *text = cJSON_PrintUnformatted(cjson);

	cJSON_Delete(cjson);
	resp->status = text ? status : 500;
	resp->content_type = "application/json";
	free(resp->body);
	resp->body = text ? text : strdup("{}");
	resp->len = resp->body ? strlen(resp->body) : 0;
}

void sim_resp_text(struct sim_resp *resp, int status, const char *content_type, const char *text)
{
	resp->status = status;
	resp->content_type = content_type;
	free(resp->body);
	resp->body = strdup(text);
	resp->len = resp->body ? strlen(resp->body) : 0;
}

void sim_resp_mlflow_error(struct sim_resp *resp, int status, const char *code, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "error_code", code);
	cJSON_AddStringToObject(o, "message", msg);
	sim_resp_json(resp, status, o);
}

/* ---- special responses ---- */

static int server_is_mlflow_path(const char *path)
{
	return strncmp(path, "/api/2.0/mlflow", 15) == 0 || strncmp(path, "/ajax-api/", 10) == 0;
}

static void server_not_found(const struct sim_req *req, struct sim_resp *resp)
{
	char msg[512];

	if (server_is_mlflow_path(req->path)) {
		snprintf(msg, sizeof(msg), "No API endpoint found for %s %.400s", req->method,
		         req->path);
		sim_resp_mlflow_error(resp, 404, "ENDPOINT_NOT_FOUND", msg);
	} else {
		sim_resp_text(resp, 404, "text/plain; charset=utf-8", "404 page not found\n");
	}
}

static enum MHD_Result server_queue(struct MHD_Connection *conn, int status,
                                    const char *content_type, struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	if (content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	ret = MHD_queue_response(conn, (unsigned int)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result server_queue_resp(struct MHD_Connection *conn, struct sim_resp *resp)
{
	struct MHD_Response *r;

	if (resp->body) {
		r = MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_MUST_FREE);
		resp->body = NULL;
	} else {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	return server_queue(conn, resp->status, resp->content_type, r);
}

struct server_trunc {
	char *body;
	size_t half;
};

static ssize_t server_trunc_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct server_trunc *t = cls;
	size_t n;

	if (pos >= t->half)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = t->half - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, t->body + pos, n);
	return (ssize_t)n;
}

static void server_trunc_free(void *cls)
{
	struct server_trunc *t = cls;

	free(t->body);
	free(t);
}

/* Announces the full Content-Length, sends half of the body, then drops the connection. */
static enum MHD_Result server_queue_truncated(struct MHD_Connection *conn, struct sim_resp *resp)
{
	struct server_trunc *t = calloc(1, sizeof(*t));
	struct MHD_Response *r;

	if (!t)
		return MHD_NO;
	t->body = resp->body;
	t->half = resp->len / 2;
	resp->body = NULL;
	r = MHD_create_response_from_callback(resp->len, 4096, server_trunc_read, t,
	                                      server_trunc_free);
	if (!r) {
		server_trunc_free(t);
		return MHD_NO;
	}
	return server_queue(conn, resp->status, resp->content_type, r);
}

/* An oversize body: {"runs":[E,E,...,E]} padded with spaces, exactly total bytes, valid JSON. */
static const char server_big_head[] = "{\"runs\":[";
static const char server_big_elem[] =
    "{\"info\":{\"run_id\":\"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f\",\"experiment_id\":\"1\","
    "\"status\":\"FINISHED\",\"start_time\":1718012000000,\"lifecycle_stage\":\"active\"},"
    "\"data\":{\"metrics\":[{\"key\":\"auc\",\"value\":0.8731,\"timestamp\":1718012000000,"
    "\"step\":99}]}}";

static ssize_t server_big_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	uint64_t total = *(uint64_t *)cls;
	const uint64_t hl = sizeof(server_big_head) - 1, el = sizeof(server_big_elem);
	uint64_t n = (total - hl - 1) / el, items = n ? n * el - 1 : 0;
	size_t i;

	if (pos >= total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	for (i = 0; i < max && pos + i < total; i++) {
		uint64_t p = pos + i, q;

		if (p < hl) {
			buf[i] = server_big_head[p];
			continue;
		}
		q = p - hl;
		if (q < items)
			buf[i] = q % el < el - 1 ? server_big_elem[q % el] : ',';
		else
			buf[i] = q - items < 2 ? "]}"[q - items] : ' ';
	}
	return (ssize_t)i;
}

static enum MHD_Result server_queue_oversize(struct MHD_Connection *conn, long mib)
{
	uint64_t *total = malloc(sizeof(*total));
	struct MHD_Response *r;

	if (!total)
		return MHD_NO;
	*total = (uint64_t)(mib > 0 ? mib : 1) << 20;
	r = MHD_create_response_from_callback(*total, 64 * 1024, server_big_read, total, free);
	if (!r) {
		free(total);
		return MHD_NO;
	}
	return server_queue(conn, 200, "application/json", r);
}

static enum MHD_Result server_queue_garbage(struct MHD_Connection *conn)
{
	unsigned char *b = malloc(SERVER_GARBAGE_LEN);
	struct rng r;
	size_t i;

	if (!b)
		return MHD_NO;
	pthread_mutex_lock(&server_world);
	rng_init(&r, ++server_garbage_count);
	pthread_mutex_unlock(&server_world);
	rng_bytes(&r, b, SERVER_GARBAGE_LEN);
	for (i = 0; i < SERVER_GARBAGE_LEN; i++)
		b[i] |= 0x80; /* never ASCII, so never JSON */
	b[0] = 0xff;
	b[1] = 0xfe;
	return server_queue(
	    conn, 200, "application/json",
	    MHD_create_response_from_buffer(SERVER_GARBAGE_LEN, b, MHD_RESPMEM_MUST_FREE));
}

static enum MHD_Result server_reset(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct linger lg = {1, 0};

	if (ci)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	return MHD_NO;
}

static void server_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* ---- the request ---- */

/* Alertmanager's and Prometheus's health endpoints, which monitoring (and mltop) probe. */
static int server_health_route(const struct sim_req *req, struct sim_resp *resp)
{
	if (strcmp(req->path, "/-/ready") != 0 && strcmp(req->path, "/-/healthy") != 0)
		return 0;
	sim_resp_text(resp, 200, "text/plain; charset=utf-8", "OK");
	return 1;
}

static void server_route(const struct sim_req *req, struct sim_resp *resp)
{
	int64_t now;

	pthread_mutex_lock(&server_world);
	now = sim_now_ms();
	mlflow_tick(now);
	ops_tick(now);
	if (!mlflow_route(req, resp) && !ops_route(req, resp) && !server_health_route(req, resp))
		server_not_found(req, resp);
	pthread_mutex_unlock(&server_world);
}

static int server_find_fault(const char *method, const char *path, struct sim_fault *out)
{
	int64_t now;
	int found;

	if (strncmp(path, "/-/sim/", 7) == 0)
		return 0;
	pthread_mutex_lock(&server_world);
	now = sim_now_ms();
	mlflow_tick(now);
	ops_tick(now);
	found = fault_match(method, path, out);
	pthread_mutex_unlock(&server_world);
	return found;
}

/* Carries out a fault that answers on its own; returns 1 (and *ret) when it did. */
static int server_fault_answer(struct MHD_Connection *conn, struct sim_fault *fault,
                               enum MHD_Result *ret)
{
	struct sim_resp resp = {500, NULL, NULL, 0};

	switch (fault->kind) {
	case FAULT_STATUS:
		fault->content_type[sizeof(fault->content_type) - 1] = '\0';
		fault->body[sizeof(fault->body) - 1] = '\0';
		sim_resp_text(&resp, fault->status,
		              fault->content_type[0] ? fault->content_type : "text/plain",
		              fault->body);
		*ret = server_queue_resp(conn, &resp);
		return 1;
	case FAULT_RESET:
		*ret = server_reset(conn);
		return 1;
	case FAULT_GARBAGE:
		*ret = server_queue_garbage(conn);
		return 1;
	case FAULT_OVERSIZE:
		*ret = server_queue_oversize(conn, fault->mib);
		return 1;
	case FAULT_DELAY:
		server_sleep_ms(fault->delay_ms);
		return 0;
	case FAULT_TRUNCATE:
	case FAULT_PAGE_TOKEN:
		return 0;
	}
	return 0;
}

static enum MHD_Result server_answer(struct MHD_Connection *conn, const char *url,
                                     const char *method, struct server_conn *c)
{
	struct sim_req req = {method, url, NULL, c->buf, c->len, conn};
	struct sim_resp resp = {500, "text/plain", NULL, 0};
	struct sim_fault fault;
	enum MHD_Result ret;
	int faulty;

	req.content_type =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (c->too_big) {
		sim_resp_text(&resp, 413, "text/plain; charset=utf-8", "request body too large\n");
		return server_queue_resp(conn, &resp);
	}
	faulty = server_find_fault(method, url, &fault);
	if (faulty && server_fault_answer(conn, &fault, &ret))
		return ret;
	server_route(&req, &resp);
	if (faulty && fault.kind == FAULT_PAGE_TOKEN)
		fault_page_token(&fault, &resp);
	if (faulty && fault.kind == FAULT_TRUNCATE)
		return server_queue_truncated(conn, &resp);
	return server_queue_resp(conn, &resp);
}

static enum MHD_Result server_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
	struct server_conn *c = *con_cls;

	(void)cls;
	(void)version;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return MHD_NO;
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (c->too_big || c->len + n > SERVER_MAX_BODY) {
			c->too_big = 1;
			return MHD_YES;
		}
		if (c->len + n + 1 > c->cap) {
			size_t cap = (c->len + n + 1) * 2;
			char *p = realloc(c->buf, cap);

			if (!p)
				return MHD_NO;
			c->buf = p;
			c->cap = cap;
		}
		memcpy(c->buf + c->len, upload_data, n);
		c->len += n;
		c->buf[c->len] = '\0';
		return MHD_YES;
	}
	return server_answer(conn, url, method, c);
}

static void server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                             enum MHD_RequestTerminationCode toe)
{
	struct server_conn *c = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (c) {
		free(c->buf);
		free(c);
		*con_cls = NULL;
	}
}

int server_start(int port, int *bound_port)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *di;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	server_daemon = MHD_start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL,
	    NULL, server_handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_NOTIFY_COMPLETED, server_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)120, MHD_OPTION_END);
	if (!server_daemon) {
		fprintf(stderr, "mltop-sim: cannot listen on 127.0.0.1:%d\n", port);
		return -1;
	}
	di = MHD_get_daemon_info(server_daemon, MHD_DAEMON_INFO_BIND_PORT);
	*bound_port = di ? di->port : port;
	return 0;
}

void server_stop(void)
{
	if (server_daemon) {
		MHD_stop_daemon(server_daemon);
		server_daemon = NULL;
	}
}
