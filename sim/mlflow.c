/* mltop-sim: the MLflow REST subset — routing, content-type rules, /version and /health. */
#include "sim/mlflow.h"

#include <string.h>

int mlflow_init(const struct sim_opts *opts)
{
	(void)opts;
	return 0;
}

void mlflow_tick(int64_t now_ms)
{
	(void)now_ms;
}

int mlflow_route(const struct sim_req *req, struct sim_resp *resp)
{
	if (strcmp(req->path, "/version") == 0) {
		sim_resp_text(resp, 200, "text/plain; charset=utf-8", MLFLOW_SERVER_VERSION);
		return 1;
	}
	if (strcmp(req->path, "/health") == 0) {
		sim_resp_text(resp, 200, "text/plain; charset=utf-8", "OK");
		return 1;
	}
	return 0;
}

const char *mlflow_version_source(const char *model, const char *version)
{
	(void)model;
	(void)version;
	return NULL;
}
