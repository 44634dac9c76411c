/* mlflow_types: the plain C structs of MLflow data, shared upward with the panels. No cJSON here.
 *
 * Ownership: each list type below owns an arena that holds every string and array of its items
 * (free the list, everything goes). Runs live in a struct runstore (clients/runstore.h), where
 * keys of metrics, params and tags are small integer ids interned once per store.
 * Every field is optional on the wire: a missing string is NULL, a missing time is 0, a missing
 * size is -1. Times are milliseconds since the epoch. IDs and versions are strings. */
#ifndef MLTOP_MLFLOW_TYPES_H
#define MLTOP_MLFLOW_TYPES_H

#include <stddef.h>
#include <stdint.h>

struct arena;

struct mlflow_tag {
	const char *key;
	const char *value;
};

/* experiments */
struct mlflow_experiment {
	const char *id;
	const char *name;
	const char *artifact_location;
	const char *lifecycle_stage; /* "active" / "deleted" */
	const char *description;     /* the tag mlflow.note.content */
	int64_t creation_time;
	int64_t last_update_time;
	struct mlflow_tag *tags;
	size_t ntags;
};

struct mlflow_experiments {
	struct arena *arena;
	struct mlflow_experiment *items;
	size_t n, cap;
};

/* runs. In a run, keys are ids of the run store's intern table. */
enum mlflow_run_status {
	RUN_STATUS_UNKNOWN,
	RUN_STATUS_RUNNING,
	RUN_STATUS_SCHEDULED,
	RUN_STATUS_FINISHED,
	RUN_STATUS_FAILED,
	RUN_STATUS_KILLED,
};

struct mlflow_metric {
	double value; /* may be NaN or ±Inf */
	int64_t timestamp;
	int64_t step;
	uint32_t key;
};

struct mlflow_kv { /* a param or a tag */
	uint32_t key;
	const char *value;
};

struct mlflow_dataset_input {
	const char *name;
	const char *digest;
	const char *context; /* the input tag mlflow.data.context, e.g. "training" */
	const char *source_type;
	const char *source;  /* JSON text, as sent */
	const char *schema;  /* JSON text, as sent */
	const char *profile; /* JSON text, as sent */
};

struct mlflow_run {
	const char *id;
	const char *name; /* info.run_name, else the tag mlflow.runName */
	const char *experiment_id;
	const char *user; /* info.user_id, else the tag mlflow.user */
	const char *artifact_uri;
	int64_t start_time;
	int64_t end_time; /* 0 while running */
	uint8_t status;   /* enum mlflow_run_status */
	uint8_t deleted;  /* lifecycle_stage "deleted" */
	uint16_t ndatasets;
	uint32_t nmetrics; /* metrics, params and tags are sorted by key id */
	uint32_t nparams;
	uint32_t ntags;
	struct mlflow_metric *metrics;
	struct mlflow_kv *params;
	struct mlflow_kv *tags;
	struct mlflow_dataset_input *datasets;
};

/* metric history: one series per run, sorted by (step, timestamp). */
struct mlflow_point {
	int64_t step;
	int64_t timestamp;
	double value;
};

struct mlflow_series {
	const char *run_id;
	struct mlflow_point *points;
	size_t n;
	size_t cap;
};

struct mlflow_history {
	struct arena *arena;
	const char *metric_key;
	struct mlflow_series *series;
	size_t n;
	size_t cap;
	int sampled; /* 1: get-history-bulk-interval (downsampled); 0: full get-history */
};

/* registry */
struct mlflow_alias {
	const char *alias;
	const char *version;
};

struct mlflow_model_version {
	const char *name;
	const char *version;
	const char *user_id;
	const char *current_stage; /* "None", "Staging", "Production", "Archived" */
	const char *description;
	const char *source;
	const char *run_id;
	const char *run_link;
	const char *status; /* "READY", "PENDING_REGISTRATION", "FAILED_REGISTRATION" */
	const char *status_message;
	int64_t creation_timestamp;
	int64_t last_updated_timestamp;
	struct mlflow_tag *tags;
	size_t ntags;
	const char **aliases; /* plain strings on a version */
	size_t naliases;
};

struct mlflow_registered_model {
	const char *name;
	const char *description;
	int64_t creation_timestamp;
	int64_t last_updated_timestamp;
	struct mlflow_model_version *latest_versions;
	size_t nlatest;
	struct mlflow_tag *tags;
	size_t ntags;
	struct mlflow_alias *aliases;
	size_t naliases;
	int have_aliases; /* 1 once registered-models/get answered for this model */
};

struct mlflow_models {
	struct arena *arena;
	struct mlflow_registered_model *items;
	size_t n, cap;
};

struct mlflow_versions {
	struct arena *arena;
	struct mlflow_model_version *items;
	size_t n, cap;
};

/* artifacts */
struct mlflow_artifact {
	const char *path; /* run-relative, including the directory */
	int is_dir;
	int64_t file_size; /* -1 for directories and unknown sizes */
};

struct mlflow_artifacts {
	struct arena *arena;
	const char *root_uri;
	struct mlflow_artifact *items;
	size_t n, cap;
};

/* eval_results_table.json (pandas "split"). A row fails when one of the rules says so:
 * a score column under its threshold (judge scores 1–5: <= 2; toxicity: > 0.5), or, when no
 * score rule applies, a target column that differs from the output column. */
enum mlflow_eval_rule {
	EVAL_RULE_NONE,
	EVAL_RULE_SCORE_AT_MOST, /* fails when the score <= threshold */
	EVAL_RULE_SCORE_ABOVE,   /* fails when the score > threshold */
	EVAL_RULE_TARGET,      /* the target column: fails when it differs from the output column */
	EVAL_RULE_SCORE_BELOW, /* fails when the score < threshold */
	EVAL_RULE_SCORE_AT_LEAST, /* fails when the score >= threshold */
};

struct mlflow_eval_column {
	const char *name;
	int rule; /* enum mlflow_eval_rule */
	double threshold;
	size_t failing; /* rows this column fails */
};

#define MLFLOW_EVAL_MAX_FAILED_ROWS 1000

struct mlflow_eval_row {
	size_t index;       /* row number in the table */
	const char **cells; /* ncolumns cells as text (strings as-is, others as compact JSON) */
};

struct mlflow_eval_table {
	struct arena *arena;
	struct mlflow_eval_column *columns;
	size_t ncolumns;
	size_t rows;
	size_t failing;
	int output_column;              /* index of the prediction column, -1 when none */
	struct mlflow_eval_row *failed; /* the first MLFLOW_EVAL_MAX_FAILED_ROWS failing rows */
	size_t nfailed;
};

/* /version: 0.0.0 with old = 1 when the server has no /version (404). */
struct mlflow_server_version {
	int major, minor, patch;
	int old;
	char text[32];
};

/* Lists: _new returns an empty list (NULL when out of memory), _free frees it and its arena
 * and sets the pointer to NULL. Items and series arrays are malloc'd, strings in the arena. */
struct mlflow_experiments *mlflow_experiments_new(void);
void mlflow_experiments_free(struct mlflow_experiments **l);
struct mlflow_models *mlflow_models_new(void);
void mlflow_models_free(struct mlflow_models **l);
struct mlflow_versions *mlflow_versions_new(void);
void mlflow_versions_free(struct mlflow_versions **l);
struct mlflow_artifacts *mlflow_artifacts_new(void);
void mlflow_artifacts_free(struct mlflow_artifacts **l);
struct mlflow_history *mlflow_history_new(const char *metric_key);
void mlflow_history_free(struct mlflow_history **h);
struct mlflow_eval_table *mlflow_eval_table_new(void);
void mlflow_eval_table_free(struct mlflow_eval_table **t);

/* Lookups: NULL when absent. */
const struct mlflow_experiment *mlflow_experiments_find(const struct mlflow_experiments *l,
                                                        const char *id);
const struct mlflow_registered_model *mlflow_models_find(const struct mlflow_models *l,
                                                         const char *name);
const struct mlflow_series *mlflow_history_find(const struct mlflow_history *h, const char *run_id);
/* The version an alias of the model points to ("champion" -> "3"), or NULL. */
const char *mlflow_model_alias(const struct mlflow_registered_model *m, const char *alias);

/* Grows an items array to hold one more (items are zeroed). Returns the new slot or NULL. */
void *mlflow_list_push(void **items, size_t *n, size_t *cap, size_t item_size);

#endif
