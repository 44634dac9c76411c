/* mlflow_parse_eval: the summary of an eval_results_table.json artifact (docs/wire-formats.md, Eval
 * tables): pandas to_json(orient="split"), {"columns": [...], "data": [[...], ...]}. Counts the
 * rows and the failing rows (the rules are in clients/mlflow_types.h, struct mlflow_eval_table) and
 * keeps the first failing rows as text for the samples panel. */
#ifndef MLTOP_MLFLOW_PARSE_EVAL_H
#define MLTOP_MLFLOW_PARSE_EVAL_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/mlflow_types.h"

#define MLFLOW_EVAL_CELL_MAX (16 * 1024) /* a longer cell is cut (on a UTF-8 boundary) */

/* Fills t (from mlflow_eval_table_new). ERR_PARSE for bad JSON or columns/data of the wrong type;
 * rows that are not arrays are counted but never fail. */
int mlflow_parse_eval_table(const char *body, size_t len, struct mlflow_eval_table *t,
                            struct err *e);

/* A rule of the caller's instead of the automatic ones: column fails by rule (enum
 * mlflow_eval_rule) against threshold, or, for EVAL_RULE_TARGET, when it differs from the
 * column named other. ERR_PARSE when a named column is not in the table. */
struct mlflow_eval_rule_spec {
	const char *column;
	int rule;
	double threshold;
	const char *other;
};
int mlflow_parse_eval_table_rule(const char *body, size_t len, struct mlflow_eval_table *t,
                                 const struct mlflow_eval_rule_spec *rule, struct err *e);

/* The run-relative path of the eval table named in a run's mlflow.loggedArtifacts tag (a JSON
 * list of {path, type}: the first "table" whose path ends in eval_results_table.json, a metric
 * prefix allowed). Returns 0 with path filled, or 1 when the tag names none (or is not JSON). */
int mlflow_eval_table_path(const char *logged_artifacts, char *path, size_t size);

#endif
