/* exp_list: the experiments list of the Experiments panel — name, id, runs (when a load of that
 * experiment's runs told us), last update, lifecycle — over a struct mlflow_experiments it owns. */
#ifndef MLTOP_EXP_LIST_H
#define MLTOP_EXP_LIST_H

#include <stddef.h>

#include "clients/mlflow_types.h"
#include "panels/listview.h"

struct exp_count {
	char id[64];
	size_t runs;
};

struct jsonw;

struct exp_list {
	struct listview lv;
	struct mlflow_experiments *exps; /* owned; NULL: none yet */
	struct exp_count *counts;        /* runs per experiment id, as loads told */
	size_t ncounts;
};

int exp_list_init(struct exp_list *l, int utf8, struct err *e);
void exp_list_fini(struct exp_list *l);
/* Takes exps (owned from now on; the old list is freed); the cursor stays on the same id. */
void exp_list_set(struct exp_list *l, struct mlflow_experiments *exps);
/* Merges a refresh's first page (clients/mlflow_merge.h) into the list, the cursor staying on the
 * same id; returns how many experiments changed, or < 0. */
int exp_list_merge(struct exp_list *l, const struct mlflow_experiments *page, size_t page_size,
                   int *overflow);
/* Remembers how many runs an experiment has. */
void exp_list_set_count(struct exp_list *l, const char *id, size_t runs);
const struct mlflow_experiment *exp_list_current(const struct exp_list *l);
/* Puts the cursor on an experiment; returns whether it is in the view. */
int exp_list_select(struct exp_list *l, const char *id);

/* The experiments in the order shown, as "rows" (--snapshot --json). */
void exp_list_json(const struct exp_list *l, struct jsonw *w);

#endif
