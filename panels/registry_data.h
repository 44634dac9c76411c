/* registry_data: what the Registry panel computes from the MLflow registry, with no curses and
 * no client: alias summaries, the champion of a model, the versions of a model and their count,
 * the key metric of a model's source runs, the runs/search filter for those runs, and the
 * lineage of a run (the versions it produced), which the Experiments panel may use too.
 * Strings returned point into the lists given (borrowed) or into the caller's buffers. */
#ifndef MLTOP_REGISTRY_DATA_H
#define MLTOP_REGISTRY_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "clients/config.h"
#include "clients/mlflow_types.h"
#include "clients/runstore.h"

/* "champion→3 challenger→5": the model's aliases in the server's order, arrow between alias and
 * version ("→", or "->" without UTF-8). Returns buf ("" when the model has none). */
char *registry_alias_summary(const struct mlflow_registered_model *m, const char *arrow, char *buf,
                             size_t n);

/* The champion version of a model: the version of the alias "champion" when it has one, else
 * that of the newest version in the stage Production (legacy stages), else NULL. */
const char *registry_champion(const struct mlflow_registered_model *m);

/* The aliases of a version, "champion, challenger": from the model's aliases when
 * registered-models/get gave them (they are authoritative: search results may lack them), else
 * the version's own. m may be NULL. Returns buf. */
char *registry_version_aliases(const struct mlflow_registered_model *m,
                               const struct mlflow_model_version *v, char *buf, size_t n);

/* Whether a version carries an alias (as registry_version_aliases sees it). */
int registry_version_has_alias(const struct mlflow_registered_model *m,
                               const struct mlflow_model_version *v, const char *alias);

/* The versions of the model `name` in all (pointers into all) into *out (malloc'd, the caller
 * frees; NULL when none). Returns how many, or -1 when out of memory. */
long registry_versions_of(const struct mlflow_versions *all, const char *name,
                          const struct mlflow_model_version ***out);

/* counts[i] = the number of versions of models->items[i] in all. Returns 0 or -1 (memory). */
int registry_version_counts(const struct mlflow_models *models, const struct mlflow_versions *all,
                            size_t *counts);

/* The key offline metric of a registered model: the metric of its [model.NAME] section (the
 * section whose `registered` name is `model`, else the section named `model`), else the first of
 * auc, accuracy, f1, rmse that one of the source runs (runs_of the versions v) has; NULL when
 * none. cfg and runs may be NULL. */
const char *registry_key_metric(const struct config *cfg, const char *model,
                                const struct runstore *runs,
                                const struct mlflow_model_version *const *v, size_t n);

/* The runs/search filter of the versions' source runs, "attributes.run_id IN ('a', 'b')"
 * (each run once; ids with a quote are left out), malloc'd; NULL when no version has a run id
 * or out of memory. */
char *registry_runs_filter(const struct mlflow_model_version *const *v, size_t n);

/* Lineage: the versions produced by the run run_id (pointers into all, at most max of them,
 * in the list's order) into out. Returns how many there are (may exceed max). */
size_t registry_lineage(const struct mlflow_versions *all, const char *run_id,
                        const struct mlflow_model_version **out, size_t max);

/* Remote text as one table cell: newlines and tabs become spaces, then text_sanitize. NULL
 * when s is NULL or empty, else buf. */
const char *registry_clean(const char *s, char *buf, size_t n);

/* "3d ago" for a time in ms since the epoch, NULL when the time is missing (0). */
const char *registry_age(int64_t ts_ms, int64_t now_ms, char *buf, size_t n);

/* A metric value as the tables show it: "0.934", "12.35", "1.2e+06", "NaN". Returns buf. */
char *registry_metric_format(double v, char *buf, size_t n);

#endif
