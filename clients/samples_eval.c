#include "clients/samples_eval.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/json.h"

/* Copies s[0..n) with the blanks around it dropped; -1 when empty or too long. */
static int name_copy(char *dst, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n || n >= SAMPLES_RULE_NAME_MAX)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static const struct {
	const char *op;
	int rule;
} ops[] = {
    {"!=", EVAL_RULE_TARGET},     {"<=", EVAL_RULE_SCORE_AT_MOST}, {">=", EVAL_RULE_SCORE_AT_LEAST},
    {"<", EVAL_RULE_SCORE_BELOW}, {">", EVAL_RULE_SCORE_ABOVE},
};

int samples_rule_parse(const char *text, struct samples_rule *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	const char *at = NULL;
	size_t k = 0;
	for (size_t i = 0; text && i < sizeof ops / sizeof ops[0] && !at; i++)
		if ((at = strstr(text, ops[i].op)))
			k = i;
	if (!at)
		return err_set(e, ERR_CONFIG, "failure rule: want 'A != B' or 'COLUMN < NUMBER'");
	const char *rhs = at + strlen(ops[k].op);
	/* "A != B": A is the output (prediction) column, B the target (label) one, which carries
	 * the rule; "A < N": A carries it */
	int target = ops[k].rule == EVAL_RULE_TARGET;
	if (name_copy(target ? r->other : r->column, text, (size_t)(at - text)) < 0)
		return err_set(e, ERR_CONFIG, "failure rule: no column before '%s'", ops[k].op);
	r->spec = (struct mlflow_eval_rule_spec){r->column, ops[k].rule, 0, NULL};
	if (target) {
		if (name_copy(r->column, rhs, strlen(rhs)) < 0)
			return err_set(e, ERR_CONFIG, "failure rule: no column after '!='");
		r->spec.other = r->other;
		return 0;
	}
	char *end;
	r->spec.threshold = strtod(rhs, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == rhs || *end || !isfinite(r->spec.threshold))
		return err_set(e, ERR_CONFIG, "failure rule: not a number after '%s'", ops[k].op);
	return 0;
}

static int column_named(const struct mlflow_eval_table *t, const char *const *names)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		for (size_t k = 0; names[k]; k++)
			if (strcmp(t->columns[i].name, names[k]) == 0)
				return (int)i;
	return -1;
}

/* Which columns are the label and the score. */
static void roles(const struct mlflow_eval_table *t, int *label, int *score)
{
	static const char *const labels[] = {"label",        "target",   "targets",
	                                     "ground_truth", "expected", NULL};
	static const char *const scores[] = {"score", NULL};
	*label = *score = -1;
	for (size_t i = 0; i < t->ncolumns; i++) {
		int r = t->columns[i].rule;
		if (r == EVAL_RULE_TARGET && *label < 0)
			*label = (int)i;
		else if (r != EVAL_RULE_NONE && r != EVAL_RULE_TARGET && *score < 0)
			*score = (int)i;
	}
	if (*label < 0)
		*label = column_named(t, labels);
	if (*score < 0)
		*score = column_named(t, scores);
}

/* One failing row as a JSON line. */
static char *row_line(const struct mlflow_eval_table *t, const struct mlflow_eval_row *row,
                      const char *model, const char *version, int label, int score)
{
	cJSON *o = cJSON_CreateObject(), *in = cJSON_CreateObject();
	char *end, *line = NULL;
	int ok = o && in && cJSON_AddStringToObject(o, "model", model ? model : "") &&
	         cJSON_AddStringToObject(o, "version", version ? version : "") &&
	         cJSON_AddNumberToObject(o, "row", (double)row->index);
	for (size_t i = 0; ok && i < t->ncolumns; i++) {
		const char *cell = row->cells[i], *name = t->columns[i].name;
		if ((int)i == t->output_column)
			ok = cJSON_AddStringToObject(o, "prediction", cell) != NULL;
		else if ((int)i == label)
			ok = cJSON_AddStringToObject(o, "label", cell) != NULL;
		else if ((int)i == score && isfinite(strtod(cell, &end)) && end != cell && !*end)
			ok = cJSON_AddNumberToObject(o, "score", strtod(cell, NULL)) != NULL;
		else
			ok = cJSON_AddStringToObject(in, name, cell) != NULL;
	}
	if (ok && cJSON_AddItemToObject(o, "input", in)) {
		in = NULL;
		line = cJSON_PrintUnformatted(o);
	}
	cJSON_Delete(in);
	cJSON_Delete(o);
	return line;
}

long samples_add_eval_table(struct samples *s, const struct mlflow_eval_table *t, const char *model,
                            const char *version)
{
	int label, score;
	long kept = 0;
	roles(t, &label, &score);
	for (size_t i = 0; i < t->nfailed; i++) {
		char *line = row_line(t, &t->failed[i], model, version, label, score);
		int rc = line ? samples_add_line(s, line, strlen(line)) : -1;
		free(line);
		if (rc < 0)
			return -1;
		kept += rc;
	}
	return kept;
}

long samples_add_eval(struct samples *s, const char *body, size_t len,
                      const struct samples_rule *rule, const char *model, const char *version,
                      struct err *e)
{
	struct mlflow_eval_table *t = mlflow_eval_table_new();
	long rc;
	if (!t)
		return err_set(e, ERR_NOMEM, "eval table: out of memory");
	rc = mlflow_parse_eval_table_rule(body, len, t, rule ? &rule->spec : NULL, e);
	if (rc == 0 && (rc = samples_add_eval_table(s, t, model, version)) < 0)
		rc = err_set(e, ERR_NOMEM, "eval table: out of memory");
	mlflow_eval_table_free(&t);
	return rc;
}
