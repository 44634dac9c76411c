/* rollout_run: reads the state a plan needs, and runs a confirmed plan, without blocking: every
 * request goes through the shared http pool, hooks through clients/hook.h; progress comes back
 * through one callback.
 *
 *   rollout_read(action, model, version, percent)  -> reads KServe (the InferenceService) and the
 *                                                    registry (the model with its aliases, its
 *                                                    versions, the server's version: a server
 *                                                    before 2.3.0, or without /version, and no
 *                                                    alias on the model, is taken as stages
 *                                                    only) now, builds the plan
 *                                                    (clients/rollout.h), calls back with it (or
 *                                                    with why it cannot be made);
 *   rollout_exec(plan, override_reason)            -> reads every backend again, compares with
 *                                                    the plan (refused, nothing written, when
 *                                                    anything changed or a read failed), then
 *                                                    sends the steps in order, stopping at the
 *                                                    first failure;
 *   rollout_retry / rollout_undo                   -> after a failure part-way: send the steps
 *                                                    not done (not after a 409: the state
 *                                                    changed, plan again), or the inverses of
 *                                                    those done.
 *   rollout_read(ROLLOUT_ABORT) after a failure    -> the same way back as undo, but as a plan
 *                                                    (action ROLLOUT_ABORT) shown and confirmed
 *                                                    with rollout_exec like any other;
 *                                                    rollout_cancel goes back to the half-done
 *                                                    action. With nothing to undo, PLANNED
 *                                                    with why and the half-done action is
 *                                                    forgotten.
 *
 * The champion before the current one (rolling a promotion back) comes from the audit log (the
 * last promotion done for the model, when it made the current champion), else from the
 * registry (a version still in Production that is not the champion, else the one archived
 * last, else the newest below it).
 *
 * KServe steps after the first carry the resourceVersion of a read made just before them; the
 * second patch of a revert waits (env->ready_poll_ms, at most env->ready_timeout_ms) for the new
 * revision to be ready and named by the latestRevision traffic entry. Undo reads every backend
 * again and sends the plan from what they show back to what the plan found
 * (rollout_plan_back): the inverses of the steps done, whatever they were; its audit rows have
 * the action "undo".
 *
 * The audit log (clients/cache.h) gets a row before and a row after every step (user@host,
 * context, action, model, from → to, percent, the request, the HTTP status, the answer, the
 * result, the override reason), and one row "refused" (what changed) for a plan refused before
 * any write, so that a failure part-way says exactly which steps happened. A hook's answer is
 * its exit ("exit 0", "killed by signal 15 after the timeout") and its output (64 KiB kept). */
#ifndef MLTOP_ROLLOUT_RUN_H
#define MLTOP_ROLLOUT_RUN_H

#include "clients/err.h"
#include "clients/rollout.h"

struct kserve;
struct mlflow;
struct cache;

/* Where a rollout writes; every pointer borrowed and outliving the struct rollout. */
struct rollout_env {
	struct kserve *kserve; /* NULL: registry-only */
	struct mlflow *mlflow;
	struct cache *cache; /* the audit log; NULL: not kept (the UI says so) */
	const char *context;
	const char *user, *host; /* for the audit: user@host */
	const struct rollout_settings *settings;
	int readonly; /* 1: every write is refused (ERR_STATE "read-only: writes are off") */
	/* the second step of a revert waits for the new revision to be ready: re-read every
	 * ready_poll_ms (0: 1,000) for at most ready_timeout_ms (0: 300,000) */
	long ready_poll_ms, ready_timeout_ms;
};

enum rollout_phase {
	ROLLOUT_READING,  /* reading the state for the plan */
	ROLLOUT_PLANNED,  /* ev->plan ready to show (or ev->err: cannot be made) */
	ROLLOUT_CHECKING, /* re-reading before the first write */
	ROLLOUT_REFUSED, /* the state changed since the plan: ev->changed says what; nothing written
	                  */
	ROLLOUT_WRITING, /* ev->step is running */
	ROLLOUT_STEPPED, /* ev->step ended (its state, status and answer set) */
	ROLLOUT_FINISHED, /* every step done */
	ROLLOUT_PARTIAL,  /* stopped at a failed step: retry or undo */
};

struct rollout_event {
	enum rollout_phase phase;
	const struct rollout_plan *plan; /* the plan being read or run; owned by the rollout */
	size_t step;                     /* index of the step for WRITING / STEPPED */
	const char *changed;             /* REFUSED: what changed, one line */
	const struct err
	    *err; /* PLANNED without a plan, PARTIAL: why; REFUSED: the re-read failed */
};

typedef void (*rollout_event_fn)(void *ud, const struct rollout_event *ev);

struct rollout;

struct rollout *rollout_new(const struct rollout_env *env, rollout_event_fn fn, void *ud,
                            struct err *e);
void rollout_free(struct rollout **r); /* cancels what is in flight; not from a callback */

/* One action at a time: ERR_STATE while another is in flight or one stopped part-way (except
 * ROLLOUT_ABORT, which plans its undoing). */
int rollout_read(struct rollout *r, enum rollout_action action, const char *model,
                 const char *version, int percent, struct err *e);
/* reason: the operator's override of a firing critical alert (kept in the audit), or NULL. */
int rollout_exec(struct rollout *r, const char *reason, struct err *e);
int rollout_retry(struct rollout *r, struct err *e);
int rollout_undo(struct rollout *r, struct err *e);
void rollout_cancel(struct rollout *r); /* drops a plan not yet confirmed */

/* 1 while a plan is being run, or stopped part-way waiting for retry or undo (the header shows
 * it; q asks before quitting). */
int rollout_in_flight(const struct rollout *r);
/* The plan read or run last, or NULL. */
const struct rollout_plan *rollout_current(const struct rollout *r);
/* Drives hooks and timeouts: called by the event loop on every tick (cheap when idle). */
void rollout_poll(struct rollout *r);

#endif
