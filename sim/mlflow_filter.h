/* mltop-sim: MLflow's search filter and order_by grammar (the SearchUtils subset): clauses
 * "<entity>.<key> <op> <value>" joined by AND, checked against a table of allowed keys. */
#ifndef MLTOP_SIM_MLFLOW_FILTER_H
#define MLTOP_SIM_MLFLOW_FILTER_H

#include <stddef.h>

#define MLFLOW_FILTER_MAX  12
#define MLFLOW_FILTER_LIST 24
#define MLFLOW_FILTER_STR  256

enum mlflow_entity { MLFLOW_METRIC, MLFLOW_PARAM, MLFLOW_TAG, MLFLOW_ATTR, MLFLOW_DATASET };
enum mlflow_op {
	MLFLOW_EQ,
	MLFLOW_NE,
	MLFLOW_GT,
	MLFLOW_GE,
	MLFLOW_LT,
	MLFLOW_LE,
	MLFLOW_LIKE,
	MLFLOW_ILIKE,
	MLFLOW_IN,
	MLFLOW_NOT_IN
};
enum mlflow_value { MLFLOW_VNUM, MLFLOW_VSTR, MLFLOW_VLIST, MLFLOW_VBARE };

struct mlflow_clause {
	enum mlflow_entity entity;
	char key[MLFLOW_FILTER_STR];
	enum mlflow_op op;
	enum mlflow_value kind;
	double num;
	char str[MLFLOW_FILTER_STR]; /* the literal (for numbers, their text) */
	int nlist;
	char list[MLFLOW_FILTER_LIST][72];
};

struct mlflow_filter {
	int n;
	struct mlflow_clause c[MLFLOW_FILTER_MAX];
};

/* Which clauses an endpoint accepts. key NULL: any key of that entity. */
struct mlflow_filter_rule {
	enum mlflow_entity entity;
	const char *key;
	int numeric;
	int list; /* IN / NOT IN allowed */
};

/* Parses (and, with rules, checks) a filter; an empty or NULL text is no clause. Returns 0, or
 * -1 with MLflow's message in err. */
int mlflow_filter_parse(const char *text, const struct mlflow_filter_rule *rules, int nrules,
                        struct mlflow_filter *f, char *err, size_t errlen);
int mlflow_filter_match_str(const struct mlflow_clause *c, const char *value);
int mlflow_filter_match_num(const struct mlflow_clause *c, double value);
/* SQL LIKE with % and _, case-insensitive when icase. */
int mlflow_filter_like(const char *pattern, const char *s, int icase);

struct mlflow_order {
	enum mlflow_entity entity;
	char key[MLFLOW_FILTER_STR];
	int desc;
};

/* Parses "metrics.auc DESC" and the like; checks the key against rules (numeric ignored). */
int mlflow_filter_order(const char *text, const struct mlflow_filter_rule *rules, int nrules,
                        struct mlflow_order *o, char *err, size_t errlen);

#endif
