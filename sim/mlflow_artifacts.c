/* mltop-sim: run artifacts, generated from the run's seed. */
#include "sim/mlflow_artifacts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/mlflow_runs.h"
#include "sim/rng.h"

static const char *const art_files[] = {"eval_results_table.json", "model/MLmodel",
                                        "model/model.pkl", "model/requirements.txt"};
#define ART_NFILES ((int)(sizeof(art_files) / sizeof(art_files[0])))

static const char *const art_queries[][3] = {
    {"wireless noise cancelling headphones", "SKU-1042 Aurora ANC-700 headphones",
     "SKU-2210 Basic wired earbuds"},
    {"running shoes size 44", "SKU-3318 Stride Pro running shoe", "SKU-0917 Leather loafers"},
    {"4k monitor 27 inch", "SKU-5521 Vista 27\" 4K IPS monitor", "SKU-5502 Vista 24\" HD monitor"},
    {"espresso machine", "SKU-7730 Barista One espresso machine", "SKU-7712 Drip coffee maker"},
    {"kids bike helmet", "SKU-8841 Junior safety helmet", "SKU-8820 Adult road helmet"},
    {"usb-c charger 65w", "SKU-6604 PowerFlow 65W GaN charger", "SKU-6601 5W USB-A charger"},
    {"waterproof hiking jacket", "SKU-4410 Summit shell jacket", "SKU-4402 Cotton hoodie"},
    {"standing desk", "SKU-9905 LiftDesk electric standing desk", "SKU-9911 Folding camp table"},
};

static int art_failing(struct rng *g, const struct mlflow_run *r)
{
	return rng_unit(g) < 0.08 + 0.35 * (1.0 - mlflow_world_quality(r));
}

static double art_round(double v, double unit)
{
	return round(v / unit) * unit;
}

static void art_row_tabular(cJSON *row, struct rng *g, const struct mlflow_run *r, int i, int fraud)
{
	static const char *const contracts[] = {"month-to-month", "one-year", "two-year"};
	static const char *const merchants[] = {"grocery", "electronics", "travel", "gaming",
	                                        "fuel"};
	static const char *const countries[] = {"DE", "FR", "US", "BR", "NG", "GB"};
	char id[32];
	int target = rng_unit(g) < (fraud ? 0.2 : 0.3), fail = art_failing(g, r);

	snprintf(id, sizeof(id), fraud ? "T-%06ld" : "C-%06ld", rng_range(g, 1, 999999) + i);
	cJSON_AddItemToArray(row, cJSON_CreateString(id));
	if (fraud) {
		cJSON_AddItemToArray(row,
		                     cJSON_CreateNumber(art_round(rng_uniform(g, 2, 2500), 0.01)));
		cJSON_AddItemToArray(row, cJSON_CreateString(merchants[rng_range(g, 0, 4)]));
		cJSON_AddItemToArray(row, cJSON_CreateString(countries[rng_range(g, 0, 5)]));
	} else {
		cJSON_AddItemToArray(row, cJSON_CreateNumber((double)rng_range(g, 1, 72)));
		cJSON_AddItemToArray(row,
		                     cJSON_CreateNumber(art_round(rng_uniform(g, 18, 120), 0.01)));
		cJSON_AddItemToArray(row, cJSON_CreateString(contracts[rng_range(g, 0, 2)]));
	}
	cJSON_AddItemToArray(row, cJSON_CreateNumber(target));
	cJSON_AddItemToArray(row, cJSON_CreateNumber(fail ? !target : target));
	cJSON_AddItemToArray(row, cJSON_CreateNumber(art_round(rng_uniform(g, 0.002, 0.03), 1e-4)));
}

static void art_row_ranking(cJSON *row, struct rng *g, const struct mlflow_run *r)
{
	const char *const *q = art_queries[rng_range(g, 0, 7)];
	int fail = art_failing(g, r),
	    score = fail ? (int)rng_range(g, 1, 2) : (int)rng_range(g, 3, 5);

	cJSON_AddItemToArray(row, cJSON_CreateString(q[0]));
	cJSON_AddItemToArray(row, cJSON_CreateString(q[1]));
	cJSON_AddItemToArray(row, cJSON_CreateString(fail ? q[2] : q[1]));
	cJSON_AddItemToArray(row, cJSON_CreateNumber((double)rng_range(g, 6, 40)));
	cJSON_AddItemToArray(row, cJSON_CreateNumber(art_round(rng_uniform(g, 0.05, 1.2), 1e-3)));
	cJSON_AddItemToArray(row, cJSON_CreateNumber(score));
	cJSON_AddItemToArray(
	    row, cJSON_CreateString(fail ? "The top result does not match the query intent."
	                                 : "The top result matches the query intent."));
}

static char *art_eval_table(const struct mlflow_run *r)
{
	static const char *const tabular[] = {
	    "customer_id", "tenure", "monthly_charges", "contract", "target", "outputs", "latency"};
	static const char *const fraudcols[] = {"transaction_id", "amount", "merchant_category",
	                                        "country",        "target", "outputs",
	                                        "latency"};
	static const char *const ranking[] = {"inputs",
	                                      "ground_truth",
	                                      "outputs",
	                                      "token_count",
	                                      "latency",
	                                      "relevance/v1/score",
	                                      "relevance/v1/justification"};
	const char *table = mlflow_world.exps[r->exp].table;
	int fraud = table && strcmp(table, "fraud") == 0;
	int rank = table && strcmp(table, "ranking") == 0;
	const char *const *cols = rank ? ranking : fraud ? fraudcols : tabular;
	cJSON *o = cJSON_CreateObject(), *data;
	struct rng g;
	char *text;
	int i, n;

	rng_init(&g, rng_hash(r->seed, 0xE7A1));
	cJSON_AddItemToObject(o, "columns", cJSON_CreateStringArray(cols, 7));
	data = cJSON_AddArrayToObject(o, "data");
	n = (int)rng_range(&g, 24, 40);
	for (i = 0; i < n; i++) {
		cJSON *row = cJSON_CreateArray();

		if (rank)
			art_row_ranking(row, &g, r);
		else
			art_row_tabular(row, &g, r, i, fraud);
		cJSON_AddItemToArray(data, row);
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static char *art_text(const struct mlflow_run *r, int which)
{
	char buf[1024];
	struct mlflow_kv params[MLFLOW_WORLD_MAX_KEYS];

	mlflow_world_params(r, params);
	if (which == 1)
		snprintf(buf, sizeof(buf),
		         "artifact_path: model\nflavors:\n  python_function:\n    env:\n      "
		         "virtualenv: python_env.yaml\n    loader_module: mlflow.%s\n    "
		         "python_version: 3.11.9\n  %s:\n    model_format: pkl\nmlflow_version: "
		         "2.16.2\nrun_id: %s\nmodel_uuid: %016llx%016llx\n",
		         strcmp(params[0].value, "xgboost") == 0 ? "xgboost" : "sklearn",
		         params[0].value, r->run_id, (unsigned long long)rng_hash(r->seed, 0x0de1),
		         (unsigned long long)rng_hash(r->seed, 0x0de2));
	else
		snprintf(buf, sizeof(buf),
		         "mlflow==2.16.2\nnumpy==1.26.4\npandas==2.2.2\nscikit-learn==1.5.1\n%s\n",
		         strcmp(params[0].value, "xgboost") == 0    ? "xgboost==2.1.1"
		         : strcmp(params[0].value, "lightgbm") == 0 ? "lightgbm==4.5.0"
		                                                    : "scipy==1.14.0");
	return strdup(buf);
}

char *mlflow_artifacts_content(const struct mlflow_run *r, const char *path, size_t *len,
                               const char **content_type)
{
	char *out = NULL;
	struct rng g;
	int i;

	for (i = 0; i < ART_NFILES && strcmp(path, art_files[i]) != 0; i++)
		;
	if (i == ART_NFILES || (i > 0 && r->status == MLFLOW_FAILED))
		return NULL;
	*content_type = i == 0   ? "application/json"
	                : i == 2 ? "application/octet-stream"
	                         : "text/plain; charset=utf-8";
	if (i == 0) {
		out = art_eval_table(r);
	} else if (i == 2) {
		rng_init(&g, rng_hash(r->seed, 0x9C1));
		*len = (size_t)rng_range(&g, 40000, 90000);
		out = malloc(*len);
		if (out)
			rng_bytes(&g, out, *len);
		return out;
	} else {
		out = art_text(r, i);
	}
	*len = out ? strlen(out) : 0;
	return out;
}

static void art_entry(cJSON *files, const struct mlflow_run *r, const char *path, int basename)
{
	cJSON *o = cJSON_CreateObject();
	const char *slash = strrchr(path, '/'), *ctype;
	size_t len = 0;
	char *bytes;

	cJSON_AddStringToObject(o, "path", basename && slash ? slash + 1 : path);
	bytes = mlflow_artifacts_content(r, path, &len, &ctype);
	if (bytes) {
		cJSON_AddFalseToObject(o, "is_dir");
		cJSON_AddNumberToObject(o, "file_size", (double)len);
		free(bytes);
	} else {
		cJSON_AddTrueToObject(o, "is_dir");
	}
	cJSON_AddItemToArray(files, o);
}

/* One level of the run's artifact tree under dir ("" for the root). */
static void art_listing(cJSON *out, const struct mlflow_run *r, const char *dir, int basename)
{
	cJSON *files = cJSON_CreateArray();
	int i;

	if (!*dir) {
		art_entry(files, r, art_files[0], basename);
		if (r->status != MLFLOW_FAILED)
			art_entry(files, r, "model", basename);
	} else if (strcmp(dir, "model") == 0 && r->status != MLFLOW_FAILED) {
		for (i = 1; i < ART_NFILES; i++)
			art_entry(files, r, art_files[i], basename);
	}
	if (cJSON_GetArraySize(files) > 0)
		cJSON_AddItemToObject(out, "files", files);
	else
		cJSON_Delete(files);
}

static int art_path_ok(const char *path, struct sim_resp *resp)
{
	if (path && (strstr(path, "..") || path[0] == '/')) {
		mlflow_req_bad(resp, "Invalid path: '%s'", path);
		return 0;
	}
	return 1;
}

void mlflow_artifacts_list(const struct mlflow_args *a, struct sim_resp *resp)
{
	const struct mlflow_run *r = mlflow_runs_arg(a, resp);
	const char *path = mlflow_req_str(a, "path");
	char uri[160], dir[256];
	cJSON *out;

	if (!r || !art_path_ok(path, resp))
		return;
	snprintf(dir, sizeof(dir), "%s", path ? path : "");
	while (*dir && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	out = cJSON_CreateObject();
	mlflow_world_artifact_uri(r, uri, sizeof(uri));
	cJSON_AddStringToObject(out, "root_uri", uri);
	art_listing(out, r, dir, 0);
	sim_resp_json(resp, 200, out);
}

static void art_send(const struct mlflow_run *r, const char *path, struct sim_resp *resp)
{
	const char *ctype = NULL;
	size_t len = 0;
	char *bytes = mlflow_artifacts_content(r, path, &len, &ctype);

	if (!bytes) {
		sim_resp_text(resp, 404, "text/plain; charset=utf-8", "File not found\n");
		return;
	}
	free(resp->body);
	resp->status = 200;
	resp->content_type = ctype;
	resp->body = bytes;
	resp->len = len;
}

void mlflow_artifacts_get(const struct mlflow_args *a, struct sim_resp *resp)
{
	const struct mlflow_run *r = mlflow_runs_arg(a, resp);
	const char *path;

	if (!r || !(path = mlflow_req_need(a, "path", resp)) || !art_path_ok(path, resp))
		return;
	art_send(r, path, resp);
}

/* "<exp>/<run>/artifacts[/rel]" → the run and rel; NULL when it names no run. */
static const struct mlflow_run *art_split(const char *p, const char **rel)
{
	char run_id[40];
	const char *s = strchr(p, '/'), *e;
	const struct mlflow_run *r;

	if (!s)
		return NULL;
	e = strchr(s + 1, '/');
	if (!e || e - s - 1 >= (long)sizeof(run_id) || strncmp(e, "/artifacts", 10) != 0 ||
	    (e[10] && e[10] != '/'))
		return NULL;
	snprintf(run_id, sizeof(run_id), "%.*s", (int)(e - s - 1), s + 1);
	r = mlflow_world_run(run_id);
	if (!r || strncmp(p, mlflow_world.exps[r->exp].id, (size_t)(s - p)) != 0)
		return NULL;
	*rel = e[10] ? e + 11 : "";
	return r;
}

void mlflow_artifacts_proxy(const struct mlflow_args *a, const char *rest, struct sim_resp *resp)
{
	const char *path = *rest ? rest + 1 : mlflow_req_str(a, "path"), *rel = "";
	const struct mlflow_run *r;
	char dir[256];
	cJSON *out;

	if (!art_path_ok(path, resp))
		return;
	r = path ? art_split(path, &rel) : NULL;
	if (*rest) {
		if (r && *rel)
			art_send(r, rel, resp);
		else
			sim_resp_text(resp, 404, "text/plain; charset=utf-8", "File not found\n");
		return;
	}
	out = cJSON_CreateObject();
	if (r) {
		snprintf(dir, sizeof(dir), "%s", rel);
		while (*dir && dir[strlen(dir) - 1] == '/')
			dir[strlen(dir) - 1] = '\0';
		art_listing(out, r, dir, 1);
	}
	sim_resp_json(resp, 200, out);
}
