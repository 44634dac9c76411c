/* mltop-sim: MLflow request arguments (query string for GET, JSON body otherwise), page tokens
 * and the common error answers. */
#ifndef MLTOP_SIM_MLFLOW_REQ_H
#define MLTOP_SIM_MLFLOW_REQ_H

#include <cjson/cJSON.h>

#include "sim/mlflow_filter.h"
#include "sim/sim.h"

#define MLFLOW_REQ_MAX_ORDER 4

struct mlflow_args {
	const struct sim_req *req;
	cJSON *body; /* the parsed JSON body (non-GET), or NULL */
};

/* A string argument, or NULL. Numbers in a JSON body are not strings. */
const char *mlflow_req_str(const struct mlflow_args *a, const char *key);
/* An integer argument (number or numeric string) into *out, dflt when absent. Returns 0, or -1
 * after writing a 400 into resp. */
int mlflow_req_int(const struct mlflow_args *a, const char *key, long long dflt, long long *out,
                   struct sim_resp *resp);
int mlflow_req_bool(const struct mlflow_args *a, const char *key);
/* Calls fn for each value of a repeated argument (query keys or a JSON string array). */
void mlflow_req_each(const struct mlflow_args *a, const char *key, void (*fn)(void *, const char *),
                     void *ud);
/* The required string argument, or NULL after writing MLflow's 400 into resp. */
const char *mlflow_req_need(const struct mlflow_args *a, const char *key, struct sim_resp *resp);

/* Page tokens are base64 of {"offset": N}, as the SQL and file stores make them. */
char *mlflow_req_token(long offset);
/* The same with a number that makes it differ from every other token of that offset. */
char *mlflow_req_token_nonce(long offset, unsigned long nonce);
/* The offset in a page_token argument (0 when absent). Returns 0, or -1 after writing a 400. */
int mlflow_req_offset(const struct mlflow_args *a, long *offset, struct sim_resp *resp);

/* What a search endpoint accepts. */
struct mlflow_query_spec {
	const struct mlflow_filter_rule *rules;
	int nrules;
	long long default_max; /* when max_results is absent (0: it must be sent) */
	long long limit;
	const char *limit_msg; /* the 400 message above the limit, %s is the value */
};

/* A search request: filter, order_by, max_results, page_token. */
struct mlflow_query {
	struct mlflow_filter filter;
	int norder;
	struct mlflow_order order[MLFLOW_REQ_MAX_ORDER];
	long long max;
	long offset;
};

/* Parses a search request; returns 0, or -1 after writing MLflow's 400 into resp. */
int mlflow_req_query(const struct mlflow_args *a, const struct mlflow_query_spec *spec,
                     struct mlflow_query *q, struct sim_resp *resp);
/* Adds items [offset, offset + max) of n under key (built by item(ud, i)), and a
 * next_page_token when more remain. */
void mlflow_req_page(cJSON *out, const char *key, long n, long offset, long long max,
                     cJSON *(*item)(void *ud, long i), void *ud);

void mlflow_req_bad(struct sim_resp *resp, const char *fmt, const char *arg);
void mlflow_req_not_found(struct sim_resp *resp, const char *fmt, const char *arg);
/* {"key": k, "value": v} appended to arr. */
void mlflow_req_add_kv(cJSON *arr, const char *k, const char *v);
/* A double as MLflow writes it: a number, or "NaN" / "Infinity" / "-Infinity". */
cJSON *mlflow_req_double(double v);

#endif
