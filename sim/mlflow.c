/* mltop-sim: the MLflow REST subset — routing, method and content-type rules, /version and
 * /health, the release imitated. Every protobuf endpoint answers at /api/2.0/mlflow/... and
 * /ajax-api/2.0/mlflow/...; /get-artifact and the mlflow-artifacts proxy are root routes. The
 * static prefix moves the ajax copies, /health, /version and /get-artifact. */
#include "sim/mlflow.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/mlflow_artifacts.h"
#include "sim/mlflow_experiments.h"
#include "sim/mlflow_history.h"
#include "sim/mlflow_registry.h"
#include "sim/mlflow_registry_tags.h"
#include "sim/mlflow_registry_versions.h"
#include "sim/mlflow_req.h"
#include "sim/mlflow_runs.h"
#include "sim/mlflow_world.h"

#define MLFLOW_PROXY "/api/2.0/mlflow-artifacts/artifacts"

typedef void (*mlflow_handler)(const struct mlflow_args *, struct sim_resp *);

static const struct {
	const char *path;
	const char *method;
	mlflow_handler fn;
} mlflow_endpoints[] = {
    {"experiments/search", "GET", mlflow_experiments_search},
    {"experiments/search", "POST", mlflow_experiments_search},
    {"experiments/get", "GET", mlflow_experiments_get},
    {"experiments/get-by-name", "GET", mlflow_experiments_get_by_name},
    {"runs/search", "POST", mlflow_runs_search},
    {"runs/get", "GET", mlflow_runs_get},
    {"metrics/get-history", "GET", mlflow_history_get},
    {"metrics/get-history-bulk-interval", "GET", mlflow_history_bulk_interval},
    {"artifacts/list", "GET", mlflow_artifacts_list},
    {"registered-models/search", "GET", mlflow_registry_search_models},
    {"registered-models/get", "GET", mlflow_registry_get_model},
    {"registered-models/get-latest-versions", "GET", mlflow_registry_latest_versions},
    {"registered-models/get-latest-versions", "POST", mlflow_registry_latest_versions},
    {"registered-models/alias", "POST", mlflow_registry_versions_set_alias},
    {"registered-models/alias", "DELETE", mlflow_registry_versions_delete_alias},
    {"registered-models/alias", "GET", mlflow_registry_versions_get_alias},
    {"model-versions/search", "GET", mlflow_registry_versions_search},
    {"model-versions/get", "GET", mlflow_registry_versions_get},
    {"model-versions/get-download-uri", "GET", mlflow_registry_versions_download_uri},
    {"model-versions/transition-stage", "POST", mlflow_registry_versions_transition},
    {"registered-models/set-tag", "POST", mlflow_registry_tags_set_model},
    {"registered-models/delete-tag", "DELETE", mlflow_registry_tags_delete_model},
    {"registered-models/update", "PATCH", mlflow_registry_tags_update_model},
    {"model-versions/set-tag", "POST", mlflow_registry_tags_set_version},
    {"model-versions/delete-tag", "DELETE", mlflow_registry_tags_delete_version},
    {"model-versions/update", "PATCH", mlflow_registry_tags_update_version},
};
#define MLFLOW_NENDPOINTS ((int)(sizeof(mlflow_endpoints) / sizeof(mlflow_endpoints[0])))

struct mlflow_server mlflow_server;

int mlflow_server_parse(const char *text, struct mlflow_server *s)
{
	int v[3] = {0, 0, 0}, used = 0, n;

	if (strlen(text) > 14 || strspn(text, "0123456789.") != strlen(text))
		return -1;
	n = sscanf(text, "%d.%d%n.%d%n", &v[0], &v[1], &used, &v[2], &used);
	if (n < 2 || (size_t)used != strlen(text) || v[0] < 2 || v[0] > 3)
		return -1;
	s->major = v[0];
	s->minor = v[1];
	s->patch = v[2];
	snprintf(s->version, sizeof(s->version), "%d.%d.%d", v[0], v[1], v[2]);
	return 0;
}

int mlflow_server_since(int major, int minor)
{
	return mlflow_server.major > major ||
	       (mlflow_server.major == major && mlflow_server.minor >= minor);
}

int mlflow_init(const struct sim_opts *opts)
{
	if (mlflow_server_parse(opts->mlflow_version ? opts->mlflow_version : MLFLOW_SERVER_VERSION,
	                        &mlflow_server) != 0)
		return -1;
	snprintf(mlflow_server.prefix, sizeof(mlflow_server.prefix), "%s",
	         opts->static_prefix ? opts->static_prefix : "");
	if (mlflow_world_init(opts, sim_now_ms()) != 0)
		return -1;
	mlflow_registry_init();
	return 0;
}

void mlflow_tick(int64_t now_ms)
{
	mlflow_world_tick(now_ms);
}

/* The path without the static prefix, for the routes that take it; NULL when a prefix is set and
 * the path is not under it. */
static const char *mlflow_unprefixed(const char *path)
{
	size_t n = strlen(mlflow_server.prefix);

	if (n == 0)
		return path;
	if (strncmp(path, mlflow_server.prefix, n) == 0 && path[n] == '/')
		return path + n;
	return NULL;
}

const char *mlflow_route_subpath(const char *path)
{
	static const char api[] = "/api/2.0/mlflow/", ajax[] = "/ajax-api/2.0/mlflow/";
	const char *un = mlflow_unprefixed(path);

	if (strncmp(path, api, strlen(api)) == 0)
		return path + strlen(api);
	if (un && strncmp(un, ajax, strlen(ajax)) == 0)
		return un + strlen(ajax);
	return NULL;
}

/* POST and PUT must say application/json (handlers._validate_content_type). */
static int mlflow_content_type_ok(const struct sim_req *req, struct sim_resp *resp)
{
	const char *ct = req->content_type;
	size_t n;

	if (strcmp(req->method, "POST") != 0 && strcmp(req->method, "PUT") != 0)
		return 1;
	if (!ct) {
		sim_resp_mlflow_error(resp, 400, "INVALID_PARAMETER_VALUE",
		                      "Bad Request. Content-Type header is missing.");
		return 0;
	}
	n = strcspn(ct, ";");
	while (n > 0 && isspace((unsigned char)ct[n - 1]))
		n--;
	if (n != 16 || strncasecmp(ct, "application/json", 16) != 0) {
		sim_resp_mlflow_error(resp, 400, "INVALID_PARAMETER_VALUE",
		                      "Bad Request. Content-Type must be one of "
		                      "['application/json'].");
		return 0;
	}
	return 1;
}

static void mlflow_call(const struct sim_req *req, mlflow_handler fn, struct sim_resp *resp)
{
	struct mlflow_args a = {req, NULL};

	if (!mlflow_content_type_ok(req, resp))
		return;
	if (strcmp(req->method, "GET") != 0) {
		a.body = req->body && req->body_len
		             ? cJSON_ParseWithLength(req->body, req->body_len)
		             : cJSON_CreateObject();
		if (!cJSON_IsObject(a.body)) {
			cJSON_Delete(a.body);
			sim_resp_mlflow_error(resp, 400, "INVALID_PARAMETER_VALUE",
			                      "Malformed request: the body is not a JSON object");
			return;
		}
	}
	fn(&a, resp);
	cJSON_Delete(a.body);
}

static void mlflow_not_allowed(struct sim_resp *resp)
{
	sim_resp_text(resp, 405, "text/html; charset=utf-8",
	              "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n"
	              "<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the "
	              "requested URL.</p>\n");
}

/* Flask's answer to a route the server does not have. */
static int mlflow_no_route(struct sim_resp *resp)
{
	sim_resp_text(resp, 404, "text/html; charset=utf-8",
	              "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n"
	              "<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If "
	              "you entered the URL manually please check your spelling and try "
	              "again.</p>\n");
	return 1;
}

static int mlflow_route_root(const struct sim_req *req, struct sim_resp *resp)
{
	struct mlflow_args a = {req, NULL};
	int get = strcmp(req->method, "GET") == 0;
	const char *p = mlflow_unprefixed(req->path);

	if (p && (strcmp(p, "/version") == 0 || strcmp(p, "/health") == 0)) {
		if (get)
			sim_resp_text(resp, 200, "text/plain; charset=utf-8",
			              p[1] == 'v' ? mlflow_server.version : "OK");
		else
			mlflow_not_allowed(resp);
		return 1;
	}
	if (p && strcmp(p, "/get-artifact") == 0) {
		if (get)
			mlflow_artifacts_get(&a, resp);
		else
			mlflow_not_allowed(resp);
		return 1;
	}
	if (strncmp(req->path, MLFLOW_PROXY, strlen(MLFLOW_PROXY)) == 0 &&
	    (req->path[strlen(MLFLOW_PROXY)] == '\0' || req->path[strlen(MLFLOW_PROXY)] == '/')) {
		if (get)
			mlflow_artifacts_proxy(&a, req->path + strlen(MLFLOW_PROXY), resp);
		else
			mlflow_not_allowed(resp);
		return 1;
	}
	return 0;
}

int mlflow_route(const struct sim_req *req, struct sim_resp *resp)
{
	const char *sub = mlflow_route_subpath(req->path);
	int i, known = 0;

	if (!sub)
		return mlflow_route_root(req, resp);
	for (i = 0; i < MLFLOW_NENDPOINTS; i++) {
		if (strcmp(sub, mlflow_endpoints[i].path) != 0)
			continue;
		if (strcmp(sub, "metrics/get-history-bulk-interval") == 0 &&
		    !mlflow_server_since(2, 11))
			return mlflow_no_route(resp); /* a protobuf RPC since 2.11 */
		if (strcmp(sub, "registered-models/alias") == 0 && !mlflow_server_since(2, 3))
			return mlflow_no_route(resp); /* the alias RPCs arrived in 2.3 */
		known = 1;
		if (strcmp(req->method, mlflow_endpoints[i].method) == 0) {
			mlflow_call(req, mlflow_endpoints[i].fn, resp);
			return 1;
		}
	}
	if (known)
		mlflow_not_allowed(resp);
	return known;
}
