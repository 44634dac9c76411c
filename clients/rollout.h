/* rollout: the writes to production (canary, step, promote, roll back, abort) as plans. No curses,
 * no I/O here: a plan is built from the state the backends showed when it was read, and lists,
 * in order, every request it will send (method, path, body; or a hook's argv), the state each
 * backend must still show just before the first write, and its inverse plan. Running a plan
 * (re-reading, comparing, writing, auditing) is clients/rollout_run.h.
 *
 * Backends of a plan, chosen by what the context has:
 *   - KServe (when the context has one): one JSON merge-patch of the InferenceService carrying
 *     the metadata.resourceVersion read for the plan, so that a change by anyone else between
 *     plan and write is refused by the API server (409);
 *   - the MLflow registry: aliases "champion" / "challenger", or on servers without aliases stage
 *     transitions (Production, archive_existing_versions);
 *   - hooks: promote_cmd / canary_cmd / rollback_cmd of [model.NAME] or of the context, run with
 *     execve (clients/hook.h).
 * Without KServe the plan is registry-only (and hooks). */
#ifndef MLTOP_ROLLOUT_H
#define MLTOP_ROLLOUT_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"

struct kserve_isvc;
struct mlflow_registered_model;
struct mlflow_versions;
struct config_model;

enum rollout_action {
	ROLLOUT_CANARY,   /* start a canary of version at percent (storageUri and percent in one
	                     patch) */
	ROLLOUT_STEP,     /* move the running canary to the next of canary_steps (100: promote) */
	ROLLOUT_PROMOTE,  /* version takes 100 %: champion, challenger removed */
	ROLLOUT_ROLLBACK, /* a running canary to 0 %, else the promotion to the previous champion */
	ROLLOUT_ABORT,    /* undo what a half-done action did (its done steps' inverses) */
};

enum rollout_backend { ROLLOUT_KSERVE, ROLLOUT_MLFLOW, ROLLOUT_HOOK };

/* Where a KServe step's metadata.resourceVersion comes from. The first write of a plan carries
 * the one read for the plan (a change by anyone else since is refused with 409); the steps after
 * it, and the steps of an inverse plan, follow a write of this plan and carry the one read just
 * before they are sent; a READY step is sent only once the InferenceService's latest created
 * revision is ready and the latestRevision traffic entry names it (the second step of a revert). */
enum rollout_rv { ROLLOUT_RV_PLAN, ROLLOUT_RV_FRESH, ROLLOUT_RV_READY };

enum rollout_step_state {
	ROLLOUT_PENDING,
	ROLLOUT_RUNNING,
	ROLLOUT_DONE,
	ROLLOUT_FAILED,
	ROLLOUT_SKIPPED, /* not run: an earlier step failed or the plan was refused */
};

/* One request of a plan. For ROLLOUT_HOOK, argv (NULL-terminated) and env ("MLTOP_MODEL=…")
 * instead of method/path/body. */
struct rollout_step {
	enum rollout_backend backend;
	char
	    *summary; /* one line for the dialog: "KServe churn: canary 10 % → v7 (storageUri …)" */
	char *method;       /* "PATCH", "POST", "DELETE" */
	char *path;         /* relative to the backend's base URL, with the query string */
	char *body;         /* the exact body sent, or NULL */
	char *content_type; /* "application/merge-patch+json", "application/json" */
	char **argv, **env; /* hooks only */
	char *expect;       /* the state this step expects before the first write, one line */
	/* KServe: which metadata.resourceVersion the patch carries (enum rollout_rv) */
	int rv_from;
	/* filled while running */
	enum rollout_step_state state;
	long http_status; /* 0: none (hook: its exit status in exit_code) */
	int exit_code;
	char
	    *answer; /* the backend's answer (or the hook's output), cut; sanitize before drawing */
};

/* What the backends showed when the plan was read; every pointer borrowed, NULL when absent. */
struct rollout_state {
	const struct kserve_isvc *isvc;              /* NULL: no KServe in the context */
	const struct mlflow_registered_model *model; /* with its aliases when have_aliases */
	const struct mlflow_versions *versions;      /* the model's versions: source, stage */
	int registry_aliases;                        /* 1: the server has aliases; 0: stages only */
	const char *prev_champion; /* the champion before the current one (audit log, else the
	                            * registry's alias history), for rolling back a promotion */
};

/* What the context and [model.NAME] give a plan; borrowed. */
struct rollout_settings {
	const struct config_model *model; /* canary_steps and hooks; NULL: the defaults */
	const char *context;
	const char *const *promote_cmd, *const *canary_cmd, *const *rollback_cmd; /* argv or NULL */
	long hook_timeout_ms;                                                     /* 0: 60,000 */
};

/* What a plan expects the backends still to show just before its first write (copies). */
struct rollout_expect {
	int have_isvc;          /* 0: no KServe in the plan */
	char *resource_version; /* metadata.resourceVersion (the controller's status writes move it)
	                         */
	int64_t generation;     /* metadata.generation: moves with every change of the spec */
	char *meta;             /* the annotations and labels, "a name=value\n…l name=value\n" */
	char *storage_uri;
	long canary_percent; /* -1: absent */
	int have_registry;
	char *champion, *challenger; /* alias holders (aliases) or Production / Staging (stages) */
};

struct rollout_plan {
	enum rollout_action action;
	char *model;        /* registered model name (and InferenceService name) */
	char *from_version; /* the version serving / champion now, or NULL */
	char *to_version;   /* the version the plan moves to, or NULL */
	int percent;        /* of traffic to to_version after the plan; -1: not a traffic change */
	int full_traffic;   /* 1 when it sends 100 % somewhere: confirmed by typing the model's name
	                     */
	char *resource_version; /* the InferenceService's metadata.resourceVersion read, or NULL */
	struct rollout_step *steps;
	size_t n;
	struct rollout_plan *inverse; /* the plan that undoes this one, NULL for ROLLOUT_ABORT */
	struct rollout_expect expect;
	int registry_aliases; /* 1: the registry steps are alias calls; 0: stage transitions */
	char *isvc_name, *ns; /* the InferenceService patched, or NULL */
};

/* Builds the plan of action on model for version (NULL for STEP and ABORT; for ROLLBACK of a
 * promotion, the champion to return to as chosen in the rollback planner, NULL: the previous
 * one, st->prev_champion) at percent
 * (CANARY only; -1: the first canary step). NULL with e filled (ERR_ARG: a percent outside
 * 0..100, an unknown version; ERR_STATE: nothing to roll back, no canary to step, a canary on a
 * KServe in RawDeployment mode, which ignores canaryTrafficPercent) when it cannot be made. */
struct rollout_plan *rollout_plan_new(enum rollout_action action, const char *model,
                                      const char *version, int percent,
                                      const struct rollout_state *st,
                                      const struct rollout_settings *cfg, struct err *e);
void rollout_plan_free(struct rollout_plan **p);

/* The plan that takes the backends from what they show now (now) back to what p expected to find
 * before its first write: the inverses of the steps of p that were done, whatever their number
 * (an undo, an abort, after a failure part-way). It expects now (rollout_plan_check) and its
 * first patch carries now's resourceVersion. Its hook (the inverse of p's) only when with_hook
 * (p's own hook ran). A plan with n == 0 when there is nothing to undo; NULL with e when out of
 * memory. */
struct rollout_plan *rollout_plan_back(const struct rollout_plan *p,
                                       const struct rollout_state *now,
                                       const struct rollout_settings *cfg, int with_hook,
                                       struct err *e);

/* Compares the state read again just before writing with what the plan expects: 0 when it
 * still holds, else 1 with what changed, one line, and who changed the InferenceService when its
 * managedFields say ("InferenceService churn changed since the plan: generation 3 → 4,
 * canaryTrafficPercent 10 → 25 (last changed by kubectl-edit at 2026-12-02T05:10:00Z);
 * alias champion 6 → 8"). A resourceVersion that moved alone (the controller's status writes)
 * is no change: the runner then sends the one just read. Strings from the servers, as they
 * came: sanitize before drawing. */
int rollout_plan_check(const struct rollout_plan *p, const struct rollout_state *now, char *what,
                       size_t n);

/* The champion the state shows: the alias's holder, or the Production version on servers with
 * stages only; NULL when none. */
const char *rollout_champion(const struct rollout_state *st);

const char *rollout_action_name(enum rollout_action a); /* "canary", "promote", … */
const char *rollout_backend_name(enum rollout_backend b);

#endif
