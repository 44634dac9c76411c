/* exp_src: the state of the Experiments panel and its loads — the experiments list, the runs of
 * the open experiment (into a fresh store per load, swapped in when the load completes so that the
 * old runs stay on screen meanwhile, and kept when the server refuses a filter), a run looked up
 * by id (focus from the Registry), and the views that borrow the store (run detail, compare).
 *
 * Ownership: the panel owns the three stores (store, loading, lookup). The runs view borrows
 * store; the run detail borrows store, or lookup when detail_lookup is set, and is open only at
 * EXP_DETAIL; compare copies what it shows. A store is replaced or freed only after every view
 * that borrows it has been moved off it, and lookup only after its load was cancelled; the
 * detail and the compare exist whether or not there is a client. */
#ifndef MLTOP_EXP_SRC_H
#define MLTOP_EXP_SRC_H

#include <stddef.h>
#include <stdint.h>

#include "clients/mlflow.h"
#include "clients/runstore.h"
#include "panels/compare.h"
#include "panels/exp_list.h"
#include "panels/panel.h"
#include "panels/run_detail.h"
#include "panels/runs_view.h"
#include "tui/widgets/prompt.h"

enum exp_level { EXP_LIST, EXP_RUNS, EXP_DETAIL, EXP_COMPARE };

/* What a load shows: when its data came, from where, and its last error. */
struct exp_age {
	int64_t ms; /* when the data shown was fetched (0: none yet) */
	int cached; /* 1: restored from the cache, no answer yet */
	int loaded; /* 1: an answer came (ok or error) */
	char err[256];
	char note[256]; /* the load stopped early and shows what came: the client's why */
};

struct experiments {
	const struct panel_env *env;
	struct mlflow *client; /* NULL: MLflow not configured (or the client failed: client_err) */
	char client_err[256];
	enum exp_level level;
	int detail_lookup; /* the detail shows a looked-up run (Esc opens its experiment) */

	struct exp_list list;
	int job_exps; /* the whole list: at start and on r */
	uint64_t gen_exps;
	long op_exps;
	int job_changes; /* every refresh: the experiments changed last, merged into the list */
	uint64_t gen_changes;
	long op_changes;
	int exps_whole; /* the whole list came from the server at least once */
	size_t merged;  /* experiments changed by refreshes since the whole list came */
	struct exp_age exps;

	struct runs_view runs;
	char exp_id[64];
	char exp_name[256];
	struct runstore *store; /* shown */
	struct runstore
	    *loading; /* being filled (== store on a first load that shows as it comes) */
	int job_runs; /* -1 until an experiment is opened */
	uint64_t gen_runs;
	long op_runs;
	size_t progress;      /* runs received by the load in flight */
	int64_t load_started; /* monotonic ms, of the load in flight */
	int loud;             /* show that load's progress (first load, new filter) */
	struct exp_age rs;
	char filter[PROMPT_MAX];  /* the server filter of the runs shown */
	char pending[PROMPT_MAX]; /* the one being loaded */
	char filter_err[512];     /* the server refused the last filter typed */
	char refused[PROMPT_MAX]; /* that filter, offered again by f to be mended */
	struct prompt prompt;
	struct prompt_history hist;
	int reopened;        /* the experiment open was reopened at start, not yet seen listed */
	int restoring;       /* the cached runs are being read into store, page by page */
	size_t restore_page; /* the next page to read */

	struct runstore *lookup; /* a run looked up by id */
	long op_lookup;
	char want_run[64];
	char lookup_err[256];
	char select_run[64]; /* put the runs cursor on this run once it is loaded */
	char back_to[32];    /* the panel that opened the looked-up run: Esc returns there */

	struct run_detail *detail;
	struct compare *cmp;
	char cmp_ids[COMPARE_MAX_RUNS][64];
	size_t ncmp;
};

/* Sets up the loads (the client, the cache restore of the experiments list). */
int exp_src_init(struct experiments *s, const struct panel_env *env, struct err *e);
void exp_src_fini(struct experiments *s);
/* Adds the experiments poll (the runs poll is added when an experiment opens). */
void exp_src_schedule(struct experiments *s, struct sched *sched);

/* Opens an experiment's runs: restored from the cache at once, then loaded. */
void exp_src_open(struct experiments *s, const char *id, const char *name);
/* Reads cached pages of the open experiment's runs for up to budget_ms (at least one page);
 * called from the panel's recalc until the restore is done, so that no frame stalls on it. */
void exp_src_restore(struct experiments *s, int64_t budget_ms);
/* Loads the runs again with a new server filter ("" none). */
void exp_src_filter(struct experiments *s, const char *filter);
/* Shows run_id's detail, looking the run up over every experiment when it is not loaded. */
void exp_src_focus_run(struct experiments *s, const char *run_id);
/* Compares the marked runs; returns < 0 with e (a bad count). */
int exp_src_compare(struct experiments *s, struct err *e);
/* Leaves a looked-up run's detail for the runs of its experiment. */
void exp_src_leave_lookup(struct experiments *s);

#endif
