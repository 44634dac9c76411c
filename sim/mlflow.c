/* mltop-sim: the MLflow REST subset — routing, method and content-type rules, /version and
 * /health. Every protobuf endpoint answers at /api/2.0/mlflow/... and /ajax-api/2.0/mlflow/...;
 * /get-artifact and the mlflow-artifacts proxy are root routes. */
#include "sim/mlflow.h"

#include <ctype.h>
#include <stdio.h>
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

int mlflow_init(const struct sim_opts *opts)
{
	if (mlflow_world_init(opts, sim_now_ms()) != 0)
		return -1;
	mlflow_registry_init();
	return 0;
}

void mlflow_tick(int64_t now_ms)
{
	mlflow_world_tick(now_ms);
}

const char *mlflow_route_subpath(const char *path)
{
	static const char *const prefixes[] = {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(path, prefixes[i], strlen(prefixes[i])) == 0)
			return path + strlen(prefixes[i]);
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

static int mlflow_route_root(const struct sim_req *req, struct sim_resp *resp)
{
	struct mlflow_args a = {req, NULL};
	int get = strcmp(req->method, "GET") == 0;

	if (strcmp(req->path, "/version") == 0 || strcmp(req->path, "/health") == 0) {
		if (get)
			sim_resp_text(resp, 200, "text/plain; charset=utf-8",
			              req->path[1] == 'v' ? MLFLOW_SERVER_VERSION : "OK");
		else
			mlflow_not_allowed(resp);
		return 1;
	}
	if (strcmp(req->path, "/get-artifact") == 0) {
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
