/* runstore: compact storage of many runs (100,000 and more) for the experiments panels.
 *
 * Strings and arrays live in one arena; metric, param and tag names are interned once per store
 * and a run holds (key id, value) pairs sorted by key id; metric values are doubles. Runs are
 * kept in chunks, so a const struct mlflow_run * stays valid until the store is freed (a run
 * added again with the same id is updated in place). The store owns everything it hands out. */
#ifndef MLTOP_RUNSTORE_H
#define MLTOP_RUNSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/mlflow_types.h"

#define RUNSTORE_NO_KEY UINT32_MAX

/* Tag keys interned by runstore_new, so that their ids are constants. */
enum runstore_wellknown {
	RUNSTORE_TAG_RUN_NAME,         /* mlflow.runName */
	RUNSTORE_TAG_USER,             /* mlflow.user */
	RUNSTORE_TAG_SOURCE_NAME,      /* mlflow.source.name */
	RUNSTORE_TAG_SOURCE_TYPE,      /* mlflow.source.type */
	RUNSTORE_TAG_GIT_COMMIT,       /* mlflow.source.git.commit */
	RUNSTORE_TAG_PARENT_RUN,       /* mlflow.parentRunId */
	RUNSTORE_TAG_NOTE,             /* mlflow.note.content */
	RUNSTORE_TAG_LOGGED_ARTIFACTS, /* mlflow.loggedArtifacts */
	RUNSTORE_WELLKNOWN_COUNT
};

/* What a key was seen as (a name can be a metric and a param at once). */
enum runstore_kind {
	RUNSTORE_METRIC = 1,
	RUNSTORE_PARAM = 2,
	RUNSTORE_TAG = 4,
	RUNSTORE_OTHER = 8, /* interned values (experiment ids, users): in no key list */
};

struct runstore;

struct runstore *runstore_new(void);
void runstore_free(struct runstore **s);

size_t runstore_count(const struct runstore *s);
const struct mlflow_run *runstore_at(const struct runstore *s, size_t i); /* NULL past the end */
const struct mlflow_run *runstore_find(const struct runstore *s, const char *run_id);

/* Keys: RUNSTORE_NO_KEY when the name was never seen. */
uint32_t runstore_key_id(const struct runstore *s, const char *name);
const char *runstore_key_name(const struct runstore *s, uint32_t id); /* NULL when unknown */
/* Every key seen as kind (RUNSTORE_METRIC, _PARAM or _TAG), sorted by name, for the column
 * picker. The array is the store's; it changes when runs are added. */
size_t runstore_keys(const struct runstore *s, int kind, const uint32_t **ids);

/* Lookups in one run (binary search on the key id); NULL when the run lacks the key. */
const struct mlflow_metric *runstore_metric(const struct mlflow_run *r, uint32_t key);
const char *runstore_param(const struct mlflow_run *r, uint32_t key);
const char *runstore_tag(const struct mlflow_run *r, uint32_t key);
const char *runstore_git_commit(const struct mlflow_run *r);
const char *runstore_source_name(const struct mlflow_run *r);
const char *runstore_parent_run(const struct mlflow_run *r);

const char *runstore_status_name(int status); /* "FINISHED", …, "UNKNOWN" */
int runstore_status_parse(const char *s);     /* enum mlflow_run_status */

/* Bytes of memory the store holds (arena, chunks, tables). */
size_t runstore_bytes(const struct runstore *s);

/* Building, for the parsers. Strings and arrays of a run being added come from the store's
 * arena; runstore_intern returns a key id (RUNSTORE_NO_KEY when out of memory) and marks the
 * name as seen as kind; runstore_intern_str returns the interned copy of a repeated value. */
struct arena *runstore_arena(struct runstore *s);
uint32_t runstore_intern(struct runstore *s, const char *name, size_t len, int kind);
const char *runstore_intern_str(struct runstore *s, const char *str);
/* Copies *r into the store (sorting its metrics, params and tags by key id), replacing a run
 * with the same id. r->id must be set. */
int runstore_put(struct runstore *s, const struct mlflow_run *r, struct err *e);

#endif
