/* mltop-sim: the model registry — registered models, versions, aliases, stages — and the
 * registered-model endpoints. The registry is mutable (alias set/delete, stage transitions),
 * always under the world lock. Version endpoints are in mlflow_registry_versions.c. */
#ifndef MLTOP_SIM_MLFLOW_REGISTRY_H
#define MLTOP_SIM_MLFLOW_REGISTRY_H

#include <stdint.h>

#include "sim/mlflow_req.h"
#include "sim/mlflow_world.h"

#define MLFLOW_REGISTRY_MODELS       3
#define MLFLOW_REGISTRY_MAX_VERSIONS 8
#define MLFLOW_REGISTRY_MAX_ALIASES  8
#define MLFLOW_REGISTRY_MAX_TAGS     8

struct mlflow_registry_tag {
	char key[256];
	char value[512];
};

struct mlflow_registry_version {
	int version;
	const struct mlflow_run *run;
	char source[160];
	char stage[16];
	char description[1024];
	const char *user;
	int64_t created, updated;
	int ntags;
	struct mlflow_registry_tag tags[MLFLOW_REGISTRY_MAX_TAGS];
};

struct mlflow_registry_model {
	const char *name;
	char description[1024];
	int64_t created, updated;
	int ntags;
	struct mlflow_registry_tag tags[MLFLOW_REGISTRY_MAX_TAGS];
	int nversions;
	struct mlflow_registry_version v[MLFLOW_REGISTRY_MAX_VERSIONS];
	int naliases;
	struct {
		char alias[256];
		int version;
	} aliases[MLFLOW_REGISTRY_MAX_ALIASES];
};

extern struct mlflow_registry_model mlflow_registry_models[MLFLOW_REGISTRY_MODELS];
extern int mlflow_registry_nmodels;

/* Builds the registry from the tracking world (call after mlflow_world_init). */
void mlflow_registry_init(void);
struct mlflow_registry_model *mlflow_registry_model(const char *name);
/* Sets or replaces a tag; -1 when there is no room for another. */
int mlflow_registry_tag_set(struct mlflow_registry_tag *tags, int *n, const char *k, const char *v);
void mlflow_registry_tag_delete(struct mlflow_registry_tag *tags, int *n, const char *k);
/* Sets or moves an alias; -1 when the model has no room for another. */
/* The index of alias on m, or m->naliases when it has none by that name. */
int mlflow_registry_alias_find(const struct mlflow_registry_model *m, const char *alias);
int mlflow_registry_alias_set(struct mlflow_registry_model *m, const char *alias, int version);
/* A version as the SQL store gives it: its aliases only when aliases is 1 (model-versions/get,
 * the alias GET and transition-stage fill them; search, latest versions and update leave them
 * out). */
cJSON *mlflow_registry_version_json(const struct mlflow_registry_model *m, int k, int aliases);
cJSON *mlflow_registry_model_json(const struct mlflow_registry_model *m);
/* The model named by the "name" argument; NULL after writing a 400/404. */
struct mlflow_registry_model *mlflow_registry_arg(const struct mlflow_args *a,
                                                  struct sim_resp *resp);

/* The model and version index named by "name" and "version"; -1 after writing a 400/404. */
int mlflow_registry_version_arg(const struct mlflow_args *a, struct mlflow_registry_model **mp,
                                struct sim_resp *resp);

void mlflow_registry_search_models(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_get_model(const struct mlflow_args *a, struct sim_resp *resp);
void mlflow_registry_latest_versions(const struct mlflow_args *a, struct sim_resp *resp);

#endif
