/* mltop-sim: metric histories, derived point by point from the run's curve. */
#include "sim/mlflow_history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mlflow.h"
#include "sim/mlflow_runs.h"
#include "sim/mlflow_world.h"

#define HISTORY_BULK_RUNS 100
#define HISTORY_BULK_MAX  2500

static cJSON *history_point(const struct mlflow_run *r, int m, int step, int with_run)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "key", mlflow_world.exps[r->exp].metrics[m].key);
	cJSON_AddItemToObject(o, "value", mlflow_req_double(mlflow_world_metric(r, m, step)));
	cJSON_AddNumberToObject(o, "timestamp", (double)mlflow_world_metric_ts(r, m, step));
	cJSON_AddNumberToObject(o, "step", step);
	if (with_run)
		cJSON_AddStringToObject(o, "run_id", r->run_id);
	return o;
}

struct history_run {
	const struct mlflow_run *r;
	int m;
};

static cJSON *history_item(void *ud, long i)
{
	const struct history_run *h = ud;

	return history_point(h->r, h->m, (int)i, 0);
}

/* The page get-history answers, by release: before 3.4 the handler passes neither max_results nor
 * page_token to the store (the whole history, one answer); from 3.4 it passes both, and until 3.13
 * a missing max_results reads as 0: no point, and a token back to the start, forever. */
static void history_page(cJSON *out, struct history_run *h, int have_max, long long max,
                         long offset)
{
	long n = h->r->nsteps;

	if (!mlflow_server_since(3, 4)) {
		mlflow_req_page(out, "metrics", n, 0, n, history_item, h);
	} else if (!have_max && !mlflow_server_since(3, 14)) {
		char *tok = mlflow_req_token(offset);

		cJSON_AddStringToObject(out, "next_page_token", tok ? tok : "");
		free(tok);
	} else {
		mlflow_req_page(out, "metrics", n, offset, have_max ? max : n, history_item, h);
	}
}

void mlflow_history_get(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct history_run h = {mlflow_runs_arg(a, resp), -1};
	const char *key;
	long long max;
	long offset;
	cJSON *out;

	if (!h.r || !(key = mlflow_req_need(a, "metric_key", resp)))
		return;
	if (mlflow_req_int(a, "max_results", 0, &max, resp) != 0 ||
	    mlflow_req_offset(a, &offset, resp) != 0)
		return;
	if (max < 0) {
		mlflow_req_bad(resp, "Invalid value %s for parameter 'max_results' supplied.",
		               "negative");
		return;
	}
	out = cJSON_CreateObject();
	h.m = mlflow_world_metric_index(h.r, key);
	if (h.m >= 0)
		history_page(out, &h, mlflow_req_str(a, "max_results") != NULL && max > 0, max,
		             offset);
	sim_resp_json(resp, 200, out);
}

/* The runs asked for: a run the store does not have has no point (the SQL store selects the
 * metrics of the ids given), but counts against the limit. */
struct history_ids {
	int n, given;
	const struct mlflow_run *runs[HISTORY_BULK_RUNS];
};

static void history_id_one(void *ud, const char *id)
{
	struct history_ids *ids = ud;
	const struct mlflow_run *r = mlflow_world_run(id);

	if (++ids->given <= HISTORY_BULK_RUNS && r)
		ids->runs[ids->n++] = r;
}

/* Evenly spaced steps of [lo, hi], keeping both ends: about max of them. */
static void history_sample(cJSON *arr, const struct mlflow_run *r, int m, long lo, long hi,
                           long max)
{
	long n = hi - lo + 1, i, prev = -1;

	for (i = 0; n > 0 && i < (n < max ? n : max); i++) {
		long step = n <= max ? lo + i : lo + (max > 1 ? i * (n - 1) / (max - 1) : 0);

		if (step == prev)
			continue;
		prev = step;
		cJSON_AddItemToArray(arr, history_point(r, m, (int)step, 1));
	}
}

static int history_bulk_args(const struct mlflow_args *a, struct history_ids *ids, long long *max,
                             long long *lo, long long *hi, struct sim_resp *resp)
{
	int have_lo = mlflow_req_str(a, "start_step") != NULL;
	int have_hi = mlflow_req_str(a, "end_step") != NULL;

	memset(ids, 0, sizeof(*ids));
	mlflow_req_each(a, "run_ids", history_id_one, ids);
	if (ids->given == 0) {
		mlflow_req_need(a, "run_ids", resp);
		return -1;
	}
	if (ids->given > HISTORY_BULK_RUNS) {
		mlflow_req_bad(resp,
		               "GetMetricHistoryBulkInterval request must specify at most "
		               "%s run_ids.",
		               "100");
		return -1;
	}
	if (!mlflow_req_need(a, "metric_key", resp) ||
	    mlflow_req_int(a, "max_results", HISTORY_BULK_MAX, max, resp) != 0 ||
	    mlflow_req_int(a, "start_step", 0, lo, resp) != 0 ||
	    mlflow_req_int(a, "end_step", 0, hi, resp) != 0)
		return -1;
	if (*max <= 0 || *max > HISTORY_BULK_MAX) {
		mlflow_req_bad(resp, "max_results must be between 1 and %s.", "2500");
		return -1;
	}
	if (have_lo != have_hi || (have_lo && *lo > *hi)) {
		mlflow_req_bad(resp, "%s",
		               have_lo != have_hi
		                   ? "If either start step or end step are specified, both must be "
		                     "specified."
		                   : "end_step must be greater than start_step.");
		return -1;
	}
	if (!have_lo)
		*hi = -1; /* the whole history */
	return 0;
}

void mlflow_history_bulk_interval(const struct mlflow_args *a, struct sim_resp *resp)
{
	struct history_ids ids;
	long long max, lo, hi;
	cJSON *out, *arr;
	int i;

	if (history_bulk_args(a, &ids, &max, &lo, &hi, resp) != 0)
		return;
	out = cJSON_CreateObject();
	arr = cJSON_CreateArray();
	for (i = 0; i < ids.n; i++) {
		const struct mlflow_run *r = ids.runs[i];
		int m = mlflow_world_metric_index(r, mlflow_req_str(a, "metric_key"));
		long top = r->nsteps - 1;

		if (m < 0)
			continue;
		if (hi >= 0)
			top = hi < top ? (long)hi : top;
		history_sample(arr, r, m, hi >= 0 ? (long)lo : 0, top, (long)max);
	}
	if (cJSON_GetArraySize(arr) > 0)
		cJSON_AddItemToObject(out, "metrics", arr);
	else
		cJSON_Delete(arr);
	sim_resp_json(resp, 200, out);
}
