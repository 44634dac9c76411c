/* mltop-sim: the MLflow tracking world, generated from the seed. */
#include "sim/mlflow_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/rng.h"

#define WORLD_HOUR_MS       3600000LL
#define WORLD_DAY_MS        (24 * WORLD_HOUR_MS)
#define WORLD_SPAN_MS       (45 * WORLD_DAY_MS)
#define WORLD_RUNNING_AGE   (20 * 60 * 1000LL)
#define WORLD_RUNNING_EVERY 20000

struct mlflow_world mlflow_world;

static const struct mlflow_metric_def world_churn_metrics[MLFLOW_WORLD_MAX_KEYS] = {
    {"auc", 1, 0.50, 0.93, 0.76},        {"f1", 1, 0.20, 0.79, 0.52},
    {"precision", 1, 0.30, 0.86, 0.58},  {"recall", 1, 0.20, 0.81, 0.47},
    {"logloss", 0, 0.69, 0.27, 0.47},    {"accuracy", 1, 0.60, 0.92, 0.80},
    {"train_loss", 0, 0.69, 0.19, 0.41}, {"val_loss", 0, 0.69, 0.26, 0.48},
    {"pr_auc", 1, 0.30, 0.76, 0.48},     {"brier_score", 0, 0.25, 0.08, 0.16},
};
static const struct mlflow_metric_def world_fraud_metrics[MLFLOW_WORLD_MAX_KEYS] = {
    {"auc", 1, 0.50, 0.985, 0.89},         {"pr_auc", 1, 0.05, 0.86, 0.52},
    {"f1", 1, 0.05, 0.81, 0.48},           {"precision", 1, 0.10, 0.91, 0.58},
    {"recall", 1, 0.05, 0.80, 0.43},       {"logloss", 0, 0.69, 0.028, 0.095},
    {"train_loss", 0, 0.69, 0.021, 0.082}, {"val_loss", 0, 0.69, 0.030, 0.101},
    {"accuracy", 1, 0.90, 0.998, 0.989},   {"brier_score", 0, 0.10, 0.005, 0.021},
};
static const struct mlflow_metric_def world_ranking_metrics[MLFLOW_WORLD_MAX_KEYS] = {
    {"ndcg_at_10", 1, 0.20, 0.53, 0.37},
    {"map", 1, 0.10, 0.41, 0.24},
    {"mrr", 1, 0.20, 0.62, 0.39},
    {"recall_at_100", 1, 0.40, 0.91, 0.69},
    {"logloss", 0, 0.69, 0.29, 0.51},
    {"precision_at_10", 1, 0.10, 0.36, 0.19},
    {"train_loss", 0, 0.69, 0.24, 0.46},
    {"val_loss", 0, 0.69, 0.31, 0.53},
    {"hit_rate_at_10", 1, 0.30, 0.86, 0.58},
    {"coverage", 1, 0.20, 0.71, 0.41},
};

struct world_exp_def {
	const char *name, *description, *team, *dataset, *source, *table;
	const struct mlflow_metric_def *metrics;
};

static const struct world_exp_def world_exp_defs[] = {
    {"churn-weekly", "Weekly churn retrain on the last 90 days of usage", "retention",
     "churn_weekly_train", "pipelines/churn/train.py", "churn", world_churn_metrics},
    {"fraud-detection", "Card fraud scoring, hourly features", "risk", "fraud_tx_train",
     "pipelines/fraud/train.py", "fraud", world_fraud_metrics},
    {"search-ranking", "Learning-to-rank for product search", "search", "search_clicks_train",
     "pipelines/ranking/train.py", "ranking", world_ranking_metrics},
};
#define WORLD_NEXP ((int)(sizeof(world_exp_defs) / sizeof(world_exp_defs[0])))

static const char *const world_adjectives[] = {
    "brave", "calm",    "clever", "bold",   "eager", "gentle", "happy",  "jolly", "keen",  "lively",
    "merry", "nimble",  "proud",  "quick",  "quiet", "rapid",  "shy",    "sly",   "swift", "witty",
    "amber", "crimson", "silver", "golden", "misty", "sunny",  "polite", "rare",  "wise",  "zesty",
};
static const char *const world_animals[] = {
    "fox",   "owl",   "bear",  "wolf",  "lynx",  "hawk", "otter", "seal",  "moose", "crane",
    "finch", "panda", "tiger", "koala", "heron", "mole", "bat",   "yak",   "ram",   "eel",
    "cod",   "ant",   "bee",   "asp",   "hound", "mule", "shrew", "stork", "toad",  "wren",
};
static const char *const world_users[] = {"alice", "bob",   "chen", "dmitri",
                                          "esha",  "farid", "grace"};
static const char *const world_models[] = {"xgboost", "lightgbm", "random_forest",
                                           "logistic_regression"};
static const double world_model_bonus[] = {0.12, 0.10, 0.0, -0.18};
static const double world_rates[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.3};
static const int world_trees[] = {100, 200, 300, 500, 800, 1000};
static const char *const world_param_keys[MLFLOW_WORLD_MAX_KEYS] = {
    "model_type", "learning_rate",    "max_depth",        "n_estimators", "feature_set",
    "subsample",  "colsample_bytree", "min_child_weight", "reg_lambda",   "random_state",
};

#define WORLD_PICK(arr, h) (arr[(h) % (sizeof(arr) / sizeof(arr[0]))])

static uint64_t world_h(const struct mlflow_run *r, uint64_t what)
{
	return rng_hash(r->seed, what);
}

static void world_date(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

static void world_run_id(uint64_t seed, int index, char *out)
{
	uint64_t a = rng_hash(seed, 0x52554e00u + (uint64_t)index),
	         b = rng_hash(a, (uint64_t)index);

	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

static int world_by_id_cmp(const void *a, const void *b)
{
	return strcmp(mlflow_world.runs[*(const int *)a].run_id,
	              mlflow_world.runs[*(const int *)b].run_id);
}

/* One run of experiment e, number i of n in that experiment. */
static void world_make_run(struct mlflow_run *r, int gi, int e, int i, int n, int64_t t0)
{
	struct rng g;
	double u;
	int64_t slot = WORLD_SPAN_MS / (n > 0 ? n : 1);

	world_run_id(mlflow_world.seed, gi, r->run_id);
	r->seed = rng_hash(mlflow_world.seed, (uint64_t)gi * 7919u + 17u);
	rng_init(&g, r->seed);
	r->exp = (unsigned char)e;
	r->planned = (int)rng_range(&g, 50, 200);
	r->interval_ms = (int)rng_range(&g, 800, 6000);
	r->start_time = t0 + (int64_t)i * slot + (int64_t)(rng_unit(&g) * (double)slot * 0.5);
	r->nan_metric = -1;
	u = rng_unit(&g);
	if (u < 0.07) {
		r->status = MLFLOW_FAILED;
		r->nsteps = (int)(r->planned * rng_uniform(&g, 0.2, 0.7));
	} else if (u < 0.09) {
		r->status = MLFLOW_KILLED;
		r->nsteps = (int)(r->planned * rng_uniform(&g, 0.3, 0.9));
	} else {
		r->status = MLFLOW_FINISHED;
		r->nsteps = r->planned;
		if (u > 0.95)
			r->nan_metric = (signed char)rng_range(&g, 1, 3);
	}
	if (r->nsteps < 5)
		r->nsteps = 5;
	r->end_time =
	    r->start_time + (int64_t)r->nsteps * r->interval_ms + rng_range(&g, 2000, 30000);
}

/* --experiments N: N more experiments without runs, an hour apart, the newest an hour old. */
static void world_make_extra(int64_t t0)
{
	long i;

	for (i = 0; i < mlflow_world.nextra; i++) {
		struct mlflow_exp *x = &mlflow_world.exps[mlflow_world.nexps++];

		snprintf(x->id, sizeof(x->id), "%d", mlflow_world.nexps + 1000);
		snprintf(x->own_name, sizeof(x->own_name), "bulk-%07ld", i);
		x->name = x->own_name;
		x->metrics = world_churn_metrics;
		x->creation_time = t0 - (int64_t)(i + 1) * WORLD_HOUR_MS;
		x->last_update_time = x->creation_time;
	}
}

static void world_make_exps(int64_t *t0)
{
	int e;

	mlflow_world.nexps = WORLD_NEXP + 1;
	snprintf(mlflow_world.exps[0].id, sizeof(mlflow_world.exps[0].id), "0");
	mlflow_world.exps[0].name = "Default";
	mlflow_world.exps[0].creation_time = mlflow_world.anchor_ms - 200 * WORLD_DAY_MS;
	mlflow_world.exps[0].last_update_time = mlflow_world.exps[0].creation_time;
	mlflow_world.exps[0].metrics = world_churn_metrics;
	*t0 = mlflow_world.anchor_ms - WORLD_HOUR_MS - WORLD_SPAN_MS;
	for (e = 1; e <= WORLD_NEXP; e++) {
		struct mlflow_exp *x = &mlflow_world.exps[e];
		const struct world_exp_def *d = &world_exp_defs[e - 1];

		snprintf(x->id, sizeof(x->id), "%d", e);
		x->name = d->name;
		x->description = d->description;
		x->team = d->team;
		x->dataset = d->dataset;
		x->source = d->source;
		x->table = d->table;
		x->metrics = d->metrics;
		x->creation_time = *t0 - (int64_t)(3 + e) * WORLD_DAY_MS + e * 3713000LL;
	}
	world_make_extra(*t0);
	/* A deleted experiment, visible with view_type DELETED_ONLY or ALL. */
	{
		struct mlflow_exp *x = &mlflow_world.exps[mlflow_world.nexps++];

		snprintf(x->id, sizeof(x->id), "%d", WORLD_NEXP + 1);
		x->name = "churn-baseline-2023";
		x->description = "Superseded by churn-weekly";
		x->team = "retention";
		x->deleted = 1;
		x->metrics = world_churn_metrics;
		x->creation_time = mlflow_world.anchor_ms - 300 * WORLD_DAY_MS;
		x->last_update_time = x->creation_time + 20 * WORLD_DAY_MS;
	}
}

/* How many runs each real experiment gets. */
static void world_counts(int *counts)
{
	int e;

	for (e = 0; e < WORLD_NEXP; e++) {
		if (mlflow_world.scale > 0)
			counts[e] =
			    mlflow_world.scale / WORLD_NEXP + (e < mlflow_world.scale % WORLD_NEXP);
		else
			counts[e] =
			    40 + (int)(rng_hash(mlflow_world.seed, 0xC0u + (uint64_t)e) % 111);
	}
}

static void world_make_running(void)
{
	struct mlflow_exp *x = &mlflow_world.exps[1];
	struct mlflow_run *r;

	if (x->nruns == 0)
		return;
	mlflow_world.running = x->first_run + x->nruns - 1;
	r = &mlflow_world.runs[mlflow_world.running];
	r->status = MLFLOW_RUNNING;
	r->nan_metric = -1;
	r->planned = 600;
	r->interval_ms = WORLD_RUNNING_EVERY;
	r->start_time = mlflow_world.anchor_ms - WORLD_RUNNING_AGE;
	r->end_time = 0;
	mlflow_world_tick(mlflow_world.anchor_ms);
}

int mlflow_world_init(const struct sim_opts *opts, int64_t start_ms)
{
	int counts[WORLD_NEXP], e, i, gi = 0;
	int64_t t0;

	free(mlflow_world.exps);
	memset(&mlflow_world, 0, sizeof(mlflow_world));
	mlflow_world.nextra = opts->experiments > 0 ? opts->experiments : 0;
	mlflow_world.exps = calloc((size_t)(MLFLOW_WORLD_MAX_EXP + mlflow_world.nextra),
	                           sizeof(*mlflow_world.exps));
	if (!mlflow_world.exps)
		return -1;
	mlflow_world.seed = opts->seed;
	mlflow_world.scale = opts->scale > 0 ? (int)opts->scale : 0;
	mlflow_world.nmetrics = mlflow_world.scale ? 10 : 7;
	mlflow_world.nparams = mlflow_world.scale ? 10 : 5;
	mlflow_world.anchor_ms = start_ms - start_ms % WORLD_HOUR_MS;
	mlflow_world.now_ms = start_ms;
	mlflow_world.running = -1;
	world_make_exps(&t0);
	world_counts(counts);
	for (e = 0; e < WORLD_NEXP; e++)
		mlflow_world.nruns += counts[e];
	mlflow_world.runs = calloc((size_t)mlflow_world.nruns + 1, sizeof(*mlflow_world.runs));
	mlflow_world.by_id = calloc((size_t)mlflow_world.nruns + 1, sizeof(int));
	if (!mlflow_world.runs || !mlflow_world.by_id)
		return -1;
	for (e = 0; e < WORLD_NEXP; e++) {
		struct mlflow_exp *x = &mlflow_world.exps[e + 1];

		x->first_run = gi;
		x->nruns = counts[e];
		for (i = 0; i < counts[e]; i++, gi++)
			world_make_run(&mlflow_world.runs[gi], gi, e + 1, i, counts[e], t0);
		x->last_update_time =
		    counts[e] ? mlflow_world.runs[gi - 1].end_time : x->creation_time;
	}
	world_make_running();
	for (i = 0; i < mlflow_world.nruns; i++)
		mlflow_world.by_id[i] = i;
	qsort(mlflow_world.by_id, (size_t)mlflow_world.nruns, sizeof(int), world_by_id_cmp);
	return 0;
}

void mlflow_world_free(void)
{
	free(mlflow_world.runs);
	free(mlflow_world.by_id);
	free(mlflow_world.exps);
	mlflow_world.exps = NULL;
	mlflow_world.runs = NULL;
	mlflow_world.by_id = NULL;
}

void mlflow_world_tick(int64_t now_ms)
{
	struct mlflow_run *r;
	int64_t steps;

	if (now_ms > mlflow_world.now_ms)
		mlflow_world.now_ms = now_ms;
	if (mlflow_world.running < 0)
		return;
	r = &mlflow_world.runs[mlflow_world.running];
	steps = 1 + (mlflow_world.now_ms - r->start_time) / r->interval_ms;
	if (steps > 100000000)
		steps = 100000000;
	r->nsteps = (int)steps;
	mlflow_world.exps[r->exp].last_update_time = mlflow_world_metric_ts(r, 0, r->nsteps - 1);
}

const struct mlflow_exp *mlflow_world_exp_by_id(const char *id)
{
	int e;

	for (e = 0; id && e < mlflow_world.nexps; e++)
		if (strcmp(mlflow_world.exps[e].id, id) == 0)
			return &mlflow_world.exps[e];
	return NULL;
}

const struct mlflow_exp *mlflow_world_exp_by_name(const char *name)
{
	int e;

	for (e = 0; name && e < mlflow_world.nexps; e++)
		if (strcmp(mlflow_world.exps[e].name, name) == 0)
			return &mlflow_world.exps[e];
	return NULL;
}

int mlflow_world_exp_index(const struct mlflow_exp *e)
{
	return (int)(e - mlflow_world.exps);
}

const struct mlflow_run *mlflow_world_run(const char *run_id)
{
	int lo = 0, hi = mlflow_world.nruns - 1;

	while (run_id && lo <= hi) {
		int mid = (lo + hi) / 2, c;
		const struct mlflow_run *r = &mlflow_world.runs[mlflow_world.by_id[mid]];

		c = strcmp(run_id, r->run_id);
		if (c == 0)
			return r;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *mlflow_world_status_name(int status)
{
	static const char *const names[] = {"RUNNING", "FINISHED", "FAILED", "KILLED"};

	return status >= 0 && status <= MLFLOW_KILLED ? names[status] : "FINISHED";
}

void mlflow_world_run_name(const struct mlflow_run *r, char *buf, size_t len)
{
	uint64_t h = world_h(r, 1);

	snprintf(buf, len, "%s-%s-%d", WORLD_PICK(world_adjectives, h),
	         WORLD_PICK(world_animals, h >> 16), (int)((h >> 32) % 99) + 1);
}

const char *mlflow_world_user(const struct mlflow_run *r)
{
	/* Each experiment has a few regular users. */
	uint64_t h = world_h(r, 2) % 3;

	return world_users[((size_t)r->exp * 2 + h) %
	                   (sizeof(world_users) / sizeof(world_users[0]))];
}

void mlflow_world_artifact_uri(const struct mlflow_run *r, char *buf, size_t len)
{
	snprintf(buf, len, "mlflow-artifacts:/%s/%s/artifacts", mlflow_world.exps[r->exp].id,
	         r->run_id);
}

static int world_model_index(const struct mlflow_run *r)
{
	return (int)(world_h(r, 3) % 4);
}

double mlflow_world_quality(const struct mlflow_run *r)
{
	double q = 0.45 + world_model_bonus[world_model_index(r)] +
	           0.35 * (rng_hash_unit(r->seed, 4) - 0.5) +
	           0.04 * (1.0 + (double)(r->start_time - mlflow_world.anchor_ms) / WORLD_SPAN_MS);

	return q < 0 ? 0 : q > 1 ? 1 : q;
}

int mlflow_world_params(const struct mlflow_run *r, struct mlflow_kv *out)
{
	int i, n = mlflow_world.nparams;

	for (i = 0; i < n; i++) {
		uint64_t h = world_h(r, 100 + (uint64_t)i);
		char *v = out[i].value;
		size_t vl = sizeof(out[i].value);

		out[i].key = world_param_keys[i];
		switch (i) {
		case 0:
			snprintf(v, vl, "%s", world_models[world_model_index(r)]);
			break;
		case 1:
			snprintf(v, vl, "%g", WORLD_PICK(world_rates, h));
			break;
		case 2:
			snprintf(v, vl, "%d", 3 + (int)(h % 10));
			break;
		case 3:
			snprintf(v, vl, "%d", WORLD_PICK(world_trees, h));
			break;
		case 4:
			world_date(r->start_time, v, vl);
			memmove(v + 3, v, 7); /* "fs-YYYY-MM": the month's feature snapshot */
			memcpy(v, "fs-", 3);
			v[10] = '\0';
			break;
		case 5:
			snprintf(v, vl, "%.1f", 0.5 + 0.1 * (double)(h % 6));
			break;
		case 6:
			snprintf(v, vl, "%.1f", 0.4 + 0.1 * (double)(h % 7));
			break;
		case 7:
			snprintf(v, vl, "%d", 1 + (int)(h % 10));
			break;
		case 8:
			snprintf(v, vl, "%g", WORLD_PICK(world_rates, h) * 10);
			break;
		default:
			snprintf(v, vl, "%d", (int)(h % 100000));
			break;
		}
	}
	return n;
}

static void world_kv(struct mlflow_kv *kv, const char *key, const char *value)
{
	kv->key = key;
	snprintf(kv->value, sizeof(kv->value), "%s", value);
}

int mlflow_world_tags(const struct mlflow_run *r, struct mlflow_kv *out)
{
	const struct mlflow_exp *x = &mlflow_world.exps[r->exp];
	uint64_t c = rng_hash(mlflow_world.seed,
	                      rng_hash(r->exp, (uint64_t)(r->start_time / (3 * WORLD_DAY_MS))));
	char buf[MLFLOW_WORLD_VALUE_MAX];
	int n = 0;

	mlflow_world_run_name(r, buf, sizeof(buf));
	world_kv(&out[n++], "mlflow.runName", buf);
	world_kv(&out[n++], "mlflow.user", mlflow_world_user(r));
	world_kv(&out[n++], "mlflow.source.name", x->source ? x->source : "train.py");
	world_kv(&out[n++], "mlflow.source.type", world_h(r, 5) % 4 ? "JOB" : "LOCAL");
	snprintf(buf, sizeof(buf), "%016llx%016llx%08llx", (unsigned long long)c,
	         (unsigned long long)rng_hash(c, 1), (unsigned long long)(rng_hash(c, 2) >> 32));
	world_kv(&out[n++], "mlflow.source.git.commit", buf);
	world_kv(&out[n++], "mlflow.loggedArtifacts",
	         "[{\"path\": \"eval_results_table.json\", \"type\": \"table\"}]");
	world_kv(&out[n++], "team", x->team ? x->team : "ml");
	if (r->status == MLFLOW_FAILED) {
		snprintf(buf, sizeof(buf), "Diverged: loss became NaN at step %d", r->nsteps - 3);
		world_kv(&out[n++], "mlflow.note.content", buf);
	}
	return n;
}

void mlflow_world_dataset(const struct mlflow_run *r, int eval, char *digest, size_t dlen,
                          char *date, size_t datelen)
{
	/* The data is refreshed weekly: runs of the same week share a digest. */
	int64_t week = r->start_time / (7 * WORLD_DAY_MS);
	uint64_t h =
	    rng_hash(rng_hash(mlflow_world.seed, r->exp), (uint64_t)week * 2 + (eval != 0));

	snprintf(digest, dlen, "%08llx", (unsigned long long)(h >> 32));
	world_date(week * 7 * WORLD_DAY_MS, date, datelen);
}

int mlflow_world_metric_index(const struct mlflow_run *r, const char *key)
{
	int m;

	for (m = 0; m < mlflow_world.nmetrics; m++)
		if (strcmp(mlflow_world.exps[r->exp].metrics[m].key, key) == 0)
			return m;
	return -1;
}

static double world_round(double v)
{
	return round(v * 1e6) / 1e6;
}

double mlflow_world_metric(const struct mlflow_run *r, int m, int step)
{
	const struct mlflow_metric_def *d = &mlflow_world.exps[r->exp].metrics[m];
	double q = mlflow_world_quality(r), qm, fin, v, tau, sd;
	struct rng g;

	if (r->status == MLFLOW_FAILED && !d->rising && step >= r->nsteps - 3)
		return NAN;
	if (m == r->nan_metric && step == r->nsteps - 1)
		return NAN;
	qm = q + 0.12 * (rng_hash_unit(r->seed, 200 + (uint64_t)m) - 0.5);
	qm = qm < 0 ? 0 : qm > 1 ? 1 : qm;
	fin = d->worst + (d->best - d->worst) * qm;
	tau = r->planned / 6.0;
	rng_init(&g, rng_hash(r->seed, ((uint64_t)m << 32) | (uint64_t)step));
	sd = 0.012 * fabs(d->start - fin) + 0.0015;
	v = fin + (d->start - fin) * exp(-step / tau) + sd * rng_gauss(&g);
	if (r->status == MLFLOW_FAILED && !d->rising)
		v *= 1.0 + 0.5 * exp((step - r->nsteps) / 2.0);
	if (v < 0)
		v = 0;
	if (d->rising && v > 1)
		v = 1;
	return world_round(v);
}

int64_t mlflow_world_metric_ts(const struct mlflow_run *r, int m, int step)
{
	return r->start_time + (int64_t)(step + 1) * r->interval_ms + m;
}
