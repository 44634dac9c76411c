/* state.c: the simulator's end state for tests (GET /-/sim/state). */
#include "sim/state.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "sim/kserve_status.h"

int state_route(const struct sim_req *req, struct sim_resp *resp)
{
	cJSON *o;

	if (strcmp(req->path, "/-/sim/state") != 0)
		return 0;
	if (strcmp(req->method, "GET") != 0) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "error", "method not allowed");
		sim_resp_json(resp, 405, o);
		return 1;
	}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "now_ms", (double)sim_now_ms());
	cJSON_AddItemToObject(o, "inferenceservices", kserve_status_state());
	cJSON_AddItemToObject(o, "registered_models", mlflow_registry_state());
	sim_resp_json(resp, 200, o);
	return 1;
}
