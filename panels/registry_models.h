/* registry_models: the registered models table of the Registry panel — name, versions (count),
 * aliases, champion version, last update (age), description — over the panel's lists. */
#ifndef MLTOP_REGISTRY_MODELS_H
#define MLTOP_REGISTRY_MODELS_H

#include <stdint.h>

#include "clients/mlflow_types.h"
#include "panels/listview.h"

struct jsonw;

struct registry_models {
	struct listview lv;
	const struct mlflow_models *models; /* borrowed from the panel's source */
	size_t *counts;                     /* versions per model, parallel to models->items */
	int64_t now_ms;                     /* for the ages, set at each recalc */
	int ascii;
};

/* 0, or ERR_NOMEM. */
int registry_models_init(struct registry_models *v, int ascii, struct err *e);
void registry_models_fini(struct registry_models *v);

/* New lists (either may be NULL): the rows follow them; the cursor stays on the same model. */
void registry_models_set(struct registry_models *v, const struct mlflow_models *models,
                         const struct mlflow_versions *all);

/* The model under the cursor, or NULL. */
const struct mlflow_registered_model *registry_models_cursor(const struct registry_models *v);

/* Puts the cursor on the model called name; returns whether it is in the view. */
int registry_models_select(struct registry_models *v, const char *name);

/* The models in the order shown, as "rows" (--snapshot --json). */
void registry_models_json(const struct registry_models *v, struct jsonw *w);

#endif
