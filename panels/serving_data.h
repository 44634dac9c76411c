/* serving_data: what the Serving panel shows, computed without curses or clients from what the
 * sources gave: the InferenceServices (KServe), the figures per (model, version) (Prometheus or
 * a scrape) and the registry's model versions (MLflow).
 *
 * A deployment is an InferenceService, or a model seen in the metrics that no InferenceService
 * claims. Its model in the metrics and its registered model come from its [model.NAME] section
 * (the one whose `deployment` names it, else the one named like it), else its own name. Its
 * versions are the metric versions with traffic, and the revisions of its split, matched by
 * revision name: the latest created revision serves the registry version whose `source` is the
 * InferenceService's storageUri, any other revision with traffic the other version with traffic
 * (the busiest). Until the created revision is ready, the traffic stays with the old one (both
 * entries name it): the new version starts, or fails, at 0 %. What a revision was rolled out as
 * is remembered (panels/serving_revs.h) and wins over the guess by traffic. In raw deployment mode
 * there is no traffic in the status: the storageUri's version takes it all. A metric version "v5"
 * or "5" is registry version 5 of the registered model. Strings are the servers' own: sanitize them
 * to draw. */
#ifndef MLTOP_SERVING_DATA_H
#define MLTOP_SERVING_DATA_H

#include <stddef.h>

#include "clients/config.h"
#include "clients/err.h"
#include "clients/kserve_parse.h"
#include "clients/mlflow_types.h"
#include "clients/prom_table.h"
#include "panels/serving_revs.h"

enum serving_line_state {
	SERVING_LINE_SERVING,  /* a revision with traffic, or a version seen in the metrics */
	SERVING_LINE_STARTING, /* the created revision, not ready yet: no traffic */
	SERVING_LINE_FAILED,   /* the created revision failed: it never gets traffic */
};

struct serving_line {
	char version[64];   /* "v5": the metrics' label, else "v" + the registry version; "": not
	                       known (a revision whose model is in no registry version) */
	char revision[128]; /* the KServe revision serving it, "" when none is known */
	int percent;        /* its share of the traffic, -1 when unknown */
	int canary;   /* 1: the canary (created revision, ready, while another one keeps traffic) */
	int state;    /* enum serving_line_state */
	char reg[32]; /* the registry version ("5"), "" when not joined */
	char aliases[128];              /* its aliases in the registry, "champion, challenger" */
	double value[PROM_NFIG];        /* NaN: missing */
	const struct prom_spark *spark; /* into the table given, NULL: none */
	int metrics;                    /* 1: the metrics name this version */
};

#define SERVING_MODEL_MAX 128

struct serving_dep {
	char name[128];                   /* the deployment */
	char model[SERVING_MODEL_MAX];    /* the model label of its metrics */
	char registered[128];             /* the registered model */
	double slo_p99_ms, slo_error_pct; /* < 0: none */
	double p95_tol;                   /* the canary rule's p95 tolerance; <= 1: the default */
	int isvc;                         /* 1: an InferenceService */
	char uid[128]; /* the InferenceService's uid (its name when it has none): whose revisions */
	int ready;     /* its Ready condition: 1 True, 0 False, -1 Unknown or absent */
	char why[512]; /* not True: "reason: message"; Unknown without a reason explained: "new
	                  revision not ready yet" (created != ready), else "Ready unknown" */
	int raw;       /* 1: raw deployment mode (no traffic split, no canary) */
	char storage_uri[512];
	struct serving_line *lines;
	size_t n;
	int metrics;    /* 1: some version of it is in the metrics */
	int out_of_slo; /* 1: a version breaks one of its SLOs */
};

struct serving_deps {
	struct serving_dep *v;
	size_t n;
};

/* Builds out (emptied first) from what is known; each argument may be NULL. The lines point
 * into t: build again whenever t changes. revs: what was learned of the revisions so far, which
 * this build adds to (NULL: nothing is kept). Returns 0 or ERR_NOMEM. */
int serving_data_build(struct serving_deps *out, const struct config *cfg,
                       const struct kserve_isvcs *isvcs, const struct prom_table *t,
                       const struct mlflow_versions *versions, const struct mlflow_models *models,
                       struct serving_revs *revs, struct err *e);
void serving_deps_fini(struct serving_deps *d);

/* Whether figure f of a line breaks the deployment's SLO: 1 yes, 0 no, -1 no SLO or no value.
 * Error ratio against slo_error_pct, p99 against slo_p99_ms. */
int serving_slo_breach(const struct serving_dep *d, const struct serving_line *l, int f);

/* The deployment's stable and canary lines (NULL when it has no canary). */
const struct serving_line *serving_canary_line(const struct serving_dep *d);
const struct serving_line *serving_stable_line(const struct serving_dep *d);

/* The rate window of the queries ("5m", "30s", "1h") in seconds; 300 when unreadable. */
double serving_window_s(const char *window);

#endif
