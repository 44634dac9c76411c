#include "clients/mlflow_parse_eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/json.h"

static const char *const judge_names[] = {
    "answer_similarity", "answer_correctness", "faithfulness", "relevance",
    "answer_relevance",  "correctness",        "groundedness", NULL,
};
static const char *const output_names[] = {"outputs", "output", "predictions", "prediction", NULL};
static const char *const target_names[] = {"target",   "targets", "ground_truth", "label", "labels",
                                           "expected", NULL};

static int name_in(const char *name, const char *const *list, int exact)
{
	for (; *list; list++)
		if (exact ? strcmp(name, *list) == 0 : strstr(name, *list) != NULL)
			return 1;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int find_column(const struct mlflow_eval_table *t, const char *const *names)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		if (name_in(t->columns[i].name, names, 1))
			return (int)i;
	return -1;
}

/* "<prefix>/score" with a "<prefix>/justification" column beside it: an LLM judge on 1–5. */
static int has_justification(const struct mlflow_eval_table *t, const char *score)
{
	size_t plen = strlen(score) - strlen("/score");
	for (size_t i = 0; i < t->ncolumns; i++) {
		const char *n = t->columns[i].name;
		if (strncmp(n, score, plen) == 0 && strcmp(n + plen, "/justification") == 0)
			return 1;
	}
	return 0;
}

/* Decides each column's rule; returns the index of the target column, or -1. */
static int classify(struct mlflow_eval_table *t)
{
	int scored = 0;
	for (size_t i = 0; i < t->ncolumns; i++) {
		struct mlflow_eval_column *c = &t->columns[i];
		if (!ends_with(c->name, "/score"))
			continue;
		if (strstr(c->name, "toxicity")) {
			c->rule = EVAL_RULE_SCORE_ABOVE;
			c->threshold = 0.5;
		} else if (name_in(c->name, judge_names, 0) || has_justification(t, c->name)) {
			c->rule = EVAL_RULE_SCORE_AT_MOST;
			c->threshold = 2;
		}
		scored |= c->rule != EVAL_RULE_NONE;
	}
	t->output_column = find_column(t, output_names);
	int target = scored || t->output_column < 0 ? -1 : find_column(t, target_names);
	if (target >= 0)
		t->columns[target].rule = EVAL_RULE_TARGET;
	return target;
}

static int columns_read(struct mlflow_eval_table *t, const cJSON *cols)
{
	size_t n = json_count(cols);
	t->columns = n ? arena_calloc(t->arena, n, sizeof *t->columns) : NULL;
	if (n && !t->columns)
		return -1;
	const cJSON *it;
	cJSON_ArrayForEach(it, cols)
	{
		const char *name = cJSON_IsString(it) ? it->valuestring : "";
		t->columns[t->ncolumns].name = arena_strdup(t->arena, name);
		if (!t->columns[t->ncolumns++].name)
			return -1;
	}
	return 0;
}

/* The text of a cell: a string as it is, null as "", anything else as compact JSON. */
static const char *cell_text(struct arena *a, const cJSON *cell)
{
	if (!cell || cJSON_IsNull(cell))
		return "";
	if (cJSON_IsString(cell)) {
		size_t n = strlen(cell->valuestring);
		if (n > MLFLOW_EVAL_CELL_MAX) {
			n = MLFLOW_EVAL_CELL_MAX;
			while (n > 0 && ((unsigned char)cell->valuestring[n] & 0xC0) == 0x80)
				n--;
		}
		return arena_strndup(a, cell->valuestring, n);
	}
	char *s = cJSON_PrintUnformatted(cell);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	const char *c = arena_strndup(a, s, n > MLFLOW_EVAL_CELL_MAX ? MLFLOW_EVAL_CELL_MAX : n);
	free(s);
	return c;
}

static int cells_equal(const cJSON *x, const cJSON *y)
{
	double a, b;
	if (cJSON_IsNumber(x) && cJSON_IsNumber(y) && json_item_double(x, &a) == 0 &&
	    json_item_double(y, &b) == 0)
		return a == b;
	return cJSON_Compare(x, y, 1);
}

static int column_fails(const struct mlflow_eval_column *c, const cJSON *cell, const cJSON *out)
{
	double v;
	switch (c->rule) {
	case EVAL_RULE_SCORE_AT_MOST:
		return json_item_double(cell, &v) == 0 && !isnan(v) && v <= c->threshold;
	case EVAL_RULE_SCORE_ABOVE:
		return json_item_double(cell, &v) == 0 && !isnan(v) && v > c->threshold;
	case EVAL_RULE_SCORE_BELOW:
		return json_item_double(cell, &v) == 0 && !isnan(v) && v < c->threshold;
	case EVAL_RULE_SCORE_AT_LEAST:
		return json_item_double(cell, &v) == 0 && !isnan(v) && v >= c->threshold;
	case EVAL_RULE_TARGET:
		return cell && out && !cells_equal(cell, out);
	default:
		return 0;
	}
}

static int keep_row(struct mlflow_eval_table *t, const cJSON **cells, size_t index)
{
	struct mlflow_eval_row *r = &t->failed[t->nfailed];
	r->index = index;
	r->cells = arena_calloc(t->arena, t->ncolumns ? t->ncolumns : 1, sizeof *r->cells);
	if (!r->cells)
		return -1;
	for (size_t i = 0; i < t->ncolumns; i++)
		if (!(r->cells[i] = cell_text(t->arena, cells[i])))
			return -1;
	t->nfailed++;
	return 0;
}

/* Walks the rows; each row's cells are collected once into cells (ncolumns slots). */
static int rows_read(struct mlflow_eval_table *t, const cJSON *data, const cJSON **cells)
{
	const cJSON *row;
	cJSON_ArrayForEach(row, data)
	{
		size_t index = t->rows++, i = 0;
		if (!cJSON_IsArray(row))
			continue;
		memset(cells, 0, t->ncolumns * sizeof *cells);
		for (const cJSON *c = row->child; c && i < t->ncolumns; c = c->next)
			cells[i++] = c;
		const cJSON *out = t->output_column >= 0 ? cells[t->output_column] : NULL;
		int fails = 0;
		for (i = 0; i < t->ncolumns; i++) {
			struct mlflow_eval_column *c = &t->columns[i];
			if (c->rule != EVAL_RULE_NONE && column_fails(c, cells[i], out)) {
				c->failing++;
				fails = 1;
			}
		}
		t->failing += (size_t)fails;
		if (fails && t->nfailed < MLFLOW_EVAL_MAX_FAILED_ROWS && keep_row(t, cells, index))
			return -1;
	}
	return 0;
}

static int column_index(const struct mlflow_eval_table *t, const char *name)
{
	for (size_t i = 0; name && i < t->ncolumns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The caller's rule replaces the automatic ones. */
static int rule_apply(struct mlflow_eval_table *t, const struct mlflow_eval_rule_spec *r,
                      struct err *e)
{
	int col = column_index(t, r->column);
	int other = r->rule == EVAL_RULE_TARGET ? column_index(t, r->other) : 0;
	if (col < 0 || other < 0)
		return err_set(e, ERR_PARSE, "eval table: no column '%.100s'",
		               col < 0 ? r->column : r->other);
	for (size_t i = 0; i < t->ncolumns; i++)
		t->columns[i].rule = EVAL_RULE_NONE;
	t->columns[col].rule = r->rule;
	t->columns[col].threshold = r->threshold;
	if (r->rule == EVAL_RULE_TARGET)
		t->output_column = other;
	return 0;
}

int mlflow_parse_eval_table(const char *body, size_t len, struct mlflow_eval_table *t,
                            struct err *e)
{
	return mlflow_parse_eval_table_rule(body, len, t, NULL, e);
}

int mlflow_parse_eval_table_rule(const char *body, size_t len, struct mlflow_eval_table *t,
                                 const struct mlflow_eval_rule_spec *rule, struct err *e)
{
	int rc = 0;
	const cJSON **cells = NULL;
	cJSON *root = json_parse_object(body, len, "eval table", e);
	if (!root)
		return ERR_PARSE;
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(root, "columns");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	if ((cols && !cJSON_IsArray(cols)) || (data && !cJSON_IsArray(data))) {
		rc = err_set(e, ERR_PARSE, "eval table: \"columns\" and \"data\" must be lists");
		goto out;
	}
	if (columns_read(t, cols)) {
		rc = err_set(e, ERR_NOMEM, "eval table: out of memory");
		goto out;
	}
	classify(t);
	if (rule && (rc = rule_apply(t, rule, e)) < 0)
		goto out;
	t->failed = arena_calloc(t->arena, MLFLOW_EVAL_MAX_FAILED_ROWS, sizeof *t->failed);
	cells = calloc(t->ncolumns ? t->ncolumns : 1, sizeof *cells);
	if (!t->failed || !cells || rows_read(t, data, cells))
		rc = err_set(e, ERR_NOMEM, "eval table: out of memory");
out:
	free(cells);
	cJSON_Delete(root);
	return rc;
}

int mlflow_eval_table_path(const char *logged_artifacts, char *path, size_t size)
{
	static const char suffix[] = "eval_results_table.json";
	cJSON *list = logged_artifacts ? cJSON_Parse(logged_artifacts) : NULL;
	const cJSON *it, *arr = cJSON_IsArray(list) ? list : NULL;
	int rc = 1;
	cJSON_ArrayForEach(it, arr)
	{
		const char *p = json_str(it, "path"), *type = json_str(it, "type");
		if (p && type && strcmp(type, "table") == 0 && ends_with(p, suffix) &&
		    strlen(p) < size) {
			memcpy(path, p, strlen(p) + 1);
			rc = 0;
			break;
		}
	}
	cJSON_Delete(list);
	return rc;
}
