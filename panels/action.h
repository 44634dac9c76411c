/* action: the writes to production from the keyboard (canary, step, promote, roll back, abort)
 * as a modal dialog over the current panel. A key or a command asks for a plan
 * (clients/rollout_run.h reads the backends); the dialog shows every step with its exact request
 * and what it expects, the plan that would undo it, the live figures and canary verdict of both
 * versions and the alerts firing for the target; the operator confirms (y below 100 % of
 * traffic, the model's name typed when all of it moves, `override` and a reason when a critical
 * alert fires for the target); then the progress of each step, what changed when the plan was
 * refused, and retry / undo after a failure part-way. R on a model without a running canary
 * opens the rollback planner (panels/action_planner.h). One action per context at a time. */
#ifndef MLTOP_ACTION_H
#define MLTOP_ACTION_H

#include <wchar.h>

#include "clients/rollout_run.h"
#include "clients/rollout_settings.h"
#include "panels/action_planner.h"
#include "panels/alerts_data.h"
#include "panels/panel.h"
#include "panels/serving_data.h"
#include "tui/widgets/prompt.h"

/* What the dialog shows beside the plan, as the panels have it now; any member may be NULL. */
struct action_data {
	const struct serving_deps *deps;        /* the Serving panel's deployments */
	double window_s;                        /* their rate window */
	const struct mlflow_versions *versions; /* every registry version known */
	const struct alerts_view *alerts;       /* the active alerts */
};

/* The shell's side: where the data comes from, and a refresh of what shows the split. */
struct action_hooks {
	void (*data)(void *ud, struct action_data *out);
	void (*reread)(void *ud); /* after a write: the Serving panel polls again now */
	void *ud;
};

enum action_mode {
	ACTION_CLOSED,
	ACTION_READING, /* the plan is being read */
	ACTION_NOPLAN,  /* it could not be made: why */
	ACTION_CONFIRM, /* the plan, waiting for the operator */
	ACTION_RUNNING, /* re-reading, writing */
	ACTION_DONE,    /* every step done */
	ACTION_REFUSED, /* the state changed: nothing written */
	ACTION_PARTIAL, /* stopped part-way: retry or undo */
	ACTION_PLANNER, /* choosing the champion to roll back to */
};

/* What the confirmation asks for now. */
enum action_ask { ASK_YES, ASK_NAME, ASK_OVERRIDE, ASK_REASON };

struct action_ui {
	const struct panel_env *env;
	struct action_hooks hooks;
	struct rollout *r;
	struct kserve *kserve;
	struct mlflow *mlflow;
	struct rollout_hooks settings; /* the context's, then the acted-on model's */
	char user[128], host[128];
	enum action_mode mode;
	int hidden; /* Esc while running: the dialog is out of the way, the header says it runs */
	enum action_ask ask;
	int blocked; /* a firing critical alert for the target version */
	struct prompt input;
	char reason[PROMPT_MAX];
	char msg[512];     /* the line under the plan: a wrong name, why a key did nothing */
	char changed[512]; /* REFUSED: what changed */
	int unread;        /* REFUSED: the state could not be read again */
	char why[512];     /* NOPLAN / PARTIAL: the error */
	const struct rollout_plan *plan; /* owned by the rollout */
	int undoing;                     /* the plan shown is the undo of a partial one */
	enum rollout_action asked;       /* the action being read */
	char model[128], version[64];    /* what was asked */
	int scroll;
	struct action_planner planner;
	int64_t figs_ms; /* the live figures were last filed for the planner */
};

/* A new action for the context of env, with its own KServe and MLflow clients (when the context
 * has them) and the audit in env->cache; NULL with e filled on failure. */
struct action_ui *action_new(const struct panel_env *env, const struct action_hooks *hooks,
                             struct err *e);
void action_free(struct action_ui **a);

/* Asks for the plan of act on model (version: NULL for STEP, ROLLBACK, ABORT; percent: CANARY
 * only, -1 for the first canary step) and opens the dialog. Read-only contexts, a second action
 * while one runs, and a model or version missing are told on the message line. */
void action_start(struct action_ui *a, enum rollout_action act, const char *model,
                  const char *version, int percent);
/* R: a running canary of model is rolled back; without one the planner opens. */
void action_rollback(struct action_ui *a, const char *model);
/* C or +: the running canary of model steps on; without one a canary of version starts (NULL:
 * the newest version that does not serve). */
void action_canary(struct action_ui *a, const char *model, const char *version);

/* 1 while the dialog takes the keys (panels/action_keys.h) and is drawn over the panel
 * (panels/action_draw.h). */
int action_modal(const struct action_ui *a);

/* 1 when a step of the plan shown was written (there is something to undo). */
int action_wrote(const struct action_ui *a);
/* Closes the dialog, dropping a plan not confirmed (not while one is written). */
void action_close(struct action_ui *a);
/* Confirms the plan shown: rollout_exec with the override reason, if any. */
void action_exec(struct action_ui *a);

/* 1 while a plan is being written (the header shows it, q asks before quitting). */
int action_in_flight(const struct action_ui *a);
/* "canary churn v6 → v7 at 10 %" of the action shown or written, sanitized; brief: without the
 * version it leaves and the percent ("canary churn → v7", for the header). */
void action_label(const struct action_ui *a, char *buf, size_t n, int brief);
/* The event loop's tick. */
void action_poll(struct action_ui *a);

/* The write keys a panel lists among its hints (C +, P, R, A): ACTION_WRITE_HINTS in a
 * {NULL}-terminated array; action_hints_readable copies in without them into out (n rows) for a
 * read-only context, and returns out (in itself when the context writes). */
#define ACTION_WRITE_HINTS                                                                         \
	{"C +", "canary / step it", 1}, {"P", "promote", 1}, {"R", "roll back", 1},                \
	{                                                                                          \
		"A", "abort a half-done action", 0                                                 \
	}
const struct keyhint *action_hints_readable(const struct panel_env *env, const struct keyhint *in,
                                            struct keyhint *out, size_t n);

/* The data the dialog shows now (the hooks', or all NULL). */
void action_data_now(const struct action_ui *a, struct action_data *out);

/* While a plan waits for its confirmation: what is asked follows the critical alerts firing for
 * the target now (override and a reason, or the usual question). */
void action_alerts_now(struct action_ui *a);

#endif
