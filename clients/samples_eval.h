/* samples_eval: the failing rows of an MLflow eval_results_table.json artifact as failed
 * samples. The table is read by clients/mlflow_parse_eval.h; which rows fail is its automatic rule
 * (judge scores <= 2, toxicity > 0.5, else target != output), or one rule of the operator's,
 * written as a comparison:
 *     prediction != label      a row fails when the two columns differ (the first is the
 *                              prediction, the second the label)
 *     score < 0.5              a row fails when the column's number is below 0.5
 *                              (also <=, >, >=)
 * Column names are taken as written (they may hold '/', as in "toxicity/v1/score"; blanks
 * around them are dropped). Each failing row becomes one sample: the output column is the
 * prediction, the rule's other column (or a target / label column) the label, a score column
 * the score, the rest of the row the feature values, and its raw line a JSON object of them. */
#ifndef MLTOP_SAMPLES_EVAL_H
#define MLTOP_SAMPLES_EVAL_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/mlflow_parse_eval.h"
#include "clients/samples_parse.h"

#define SAMPLES_RULE_NAME_MAX 256

struct samples_rule {
	char column[SAMPLES_RULE_NAME_MAX];
	char other[SAMPLES_RULE_NAME_MAX];
	struct mlflow_eval_rule_spec spec; /* points into column and other */
};

/* Parses "A != B" or "A OP NUMBER" (OP one of < <= > >=). ERR_CONFIG with the reason. */
int samples_rule_parse(const char *text, struct samples_rule *r, struct err *e);

/* The failing rows of a table (from the MLflow client's eval event, or read below) into s,
 * with model and version (NULL: "") on every sample. Returns samples kept or -1. */
long samples_add_eval_table(struct samples *s, const struct mlflow_eval_table *t, const char *model,
                            const char *version);
/* Reads an eval table body with rule (NULL: the automatic one) and adds its failing rows.
 * Returns samples kept, or a negative code with e filled (not JSON, no such column). */
long samples_add_eval(struct samples *s, const char *body, size_t len,
                      const struct samples_rule *rule, const char *model, const char *version,
                      struct err *e);

#endif
