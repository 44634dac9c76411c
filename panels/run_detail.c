#include "panels/run_detail.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/mlflow_cache.h"
#include "clients/mlflow_registry_ops.h"
#include "panels/mlsrc.h"
#include "panels/notice.h"
#include "tui/widgets/text.h"
#include "tui/widgets/textview.h"

#define EVAL_TABLE "eval_results_table.json"

/* A fetch: its operation (0: none in flight), whether it ended, and its error line. */
struct fetch {
	long op;
	int done;
	char err[256];
};

struct stat {
	uint32_t key;
	char name[128];
	double min, max;
	int have;
	int cached;      /* min and max came from the cache, no answer since */
	int64_t data_ms; /* when the history they come from was fetched (0: none yet) */
	struct fetch f;
};

struct run_detail {
	const struct panel_env *env;
	struct mlflow *client;
	const struct runstore *store;
	const struct mlflow_run *run;
	char run_id[64];
	struct stat *stats;
	size_t nstats;
	struct fetch arts_f, eval_f, vers_f;
	struct mlflow_artifacts *arts;
	struct mlflow_eval_table *eval;
	struct mlflow_versions *versions;
	struct textview tv; /* the lines, the scroll and the / search */
};

struct run_detail *run_detail_new(const struct panel_env *env, struct mlflow *client)
{
	struct run_detail *d = calloc(1, sizeof *d);
	if (d) {
		d->env = env;
		d->client = client;
		textview_init(&d->tv, !env->utf8);
	}
	return d;
}

static void fetch_stop(struct run_detail *d, struct fetch *f)
{
	if (f->op > 0 && d->client)
		mlflow_cancel(d->client, f->op);
	memset(f, 0, sizeof *f);
}

void run_detail_close(struct run_detail *d)
{
	for (size_t i = 0; i < d->nstats; i++)
		fetch_stop(d, &d->stats[i].f);
	free(d->stats);
	d->stats = NULL;
	d->nstats = 0;
	fetch_stop(d, &d->arts_f);
	fetch_stop(d, &d->eval_f);
	fetch_stop(d, &d->vers_f);
	mlflow_artifacts_free(&d->arts);
	mlflow_eval_table_free(&d->eval);
	mlflow_versions_free(&d->versions);
	d->run = NULL;
	d->store = NULL;
	d->run_id[0] = '\0';
	textview_clear(&d->tv);
	d->tv.top = 0;
	textview_search(&d->tv, "", NULL, 0); /* a new run starts without a search */
}

void run_detail_free(struct run_detail **pd)
{
	if (!pd || !*pd)
		return;
	run_detail_close(*pd);
	textview_fini(&(*pd)->tv);
	free(*pd);
	*pd = NULL;
}

/* ---- fetches ---- */

/* Ends a fetch from its final event; returns 1 when the answer is good. */
static int fetch_end(struct run_detail *d, struct fetch *f, const struct mlflow_event *ev)
{
	f->op = 0;
	f->done = 1;
	if (ev->rc < 0)
		snprintf(f->err, sizeof f->err, "%s", ev->err ? ev->err->msg : "failed");
	d->env->changed(d->env->app);
	return ev->rc == 0;
}

/* Min and max of the run's series in h (none when it has no number). */
static void stat_set(struct stat *s, const struct mlflow_history *h, const char *run_id)
{
	const struct mlflow_series *ser = mlflow_history_find(h, run_id);
	s->have = 0;
	for (size_t k = 0; ser && k < ser->n; k++) {
		double v = ser->points[k].value;
		if (isnan(v))
			continue;
		s->min = s->have && s->min < v ? s->min : v;
		s->max = s->have && s->max > v ? s->max : v;
		s->have = 1;
	}
}

static void on_history(void *ud, struct mlflow_event *ev)
{
	struct run_detail *d = ud;
	if (!ev->done)
		return;
	for (size_t i = 0; i < d->nstats; i++) {
		struct stat *s = &d->stats[i];
		if (s->f.op != ev->op)
			continue;
		if (!fetch_end(d, &s->f, ev))
			return;
		stat_set(s, ev->history, d->run_id);
		s->cached = 0;
		s->data_ms = d->env->now_ms();
		return;
	}
}

/* Min and max from the histories the client filed, shown until the answers come. */
static void restore_histories(struct run_detail *d)
{
	const char *ids[] = {d->run_id};
	for (size_t i = 0; i < d->nstats; i++) {
		struct stat *s = &d->stats[i];
		struct mlflow_history *h = NULL;
		int64_t when = 0;
		if (mlflow_restore_history(mlsrc_get, (void *)d->env, ids, 1, s->name, &h, &when,
		                           NULL) != 0)
			continue;
		stat_set(s, h, d->run_id);
		s->cached = 1;
		s->data_ms = when;
		mlflow_history_free(&h);
	}
}

static void on_eval(void *ud, struct mlflow_event *ev)
{
	struct run_detail *d = ud;
	if (ev->done && ev->op == d->eval_f.op && fetch_end(d, &d->eval_f, ev)) {
		d->eval = ev->eval;
		ev->eval = NULL;
	}
}

static void start_eval(struct run_detail *d)
{
	for (size_t i = 0; d->arts && i < d->arts->n; i++) {
		const struct mlflow_artifact *a = &d->arts->items[i];
		if (a->is_dir || !a->path || strcmp(a->path, EVAL_TABLE) != 0)
			continue;
		struct err e = {0};
		long op = mlflow_eval_table(d->client, d->run_id, EVAL_TABLE, on_eval, d, &e);
		if (op < 0)
			snprintf(d->eval_f.err, sizeof d->eval_f.err, "%s", e.msg);
		d->eval_f.op = op > 0 ? op : 0;
		d->eval_f.done = op < 0;
		return;
	}
}

static void on_artifacts(void *ud, struct mlflow_event *ev)
{
	struct run_detail *d = ud;
	if (!ev->done || ev->op != d->arts_f.op || !fetch_end(d, &d->arts_f, ev))
		return;
	mlflow_artifacts_free(&d->arts);
	d->arts = ev->artifacts;
	ev->artifacts = NULL;
	start_eval(d);
}

static void on_versions(void *ud, struct mlflow_event *ev)
{
	struct run_detail *d = ud;
	if (!ev->done || ev->op != d->vers_f.op || !fetch_end(d, &d->vers_f, ev))
		return;
	mlflow_versions_free(&d->versions);
	d->versions = ev->versions;
	ev->versions = NULL;
}

/* Records the start of a fetch: its op, or its error. */
static void fetch_started(struct fetch *f, long op, const struct err *e)
{
	memset(f, 0, sizeof *f);
	if (op > 0) {
		f->op = op;
		return;
	}
	f->done = 1;
	snprintf(f->err, sizeof f->err, "%s", e->msg);
}

static void start_histories(struct run_detail *d)
{
	const char *ids[] = {d->run_id};
	for (size_t i = 0; i < d->nstats; i++) {
		struct stat *s = &d->stats[i];
		if (s->f.op > 0)
			continue;
		struct err e = {0};
		long op = mlflow_history(d->client, ids, 1, s->name, 0, on_history, d, &e);
		int had = s->have;
		double mn = s->min, mx = s->max;
		fetch_started(&s->f, op, &e);
		s->have = had; /* the old figures stay until the new ones come */
		s->min = mn;
		s->max = mx;
	}
}

/* One stat per metric of the run, in the run's (key id) order. */
static int make_stats(struct run_detail *d)
{
	const struct mlflow_run *r = d->run;
	d->stats = r->nmetrics ? calloc(r->nmetrics, sizeof *d->stats) : NULL;
	if (r->nmetrics && !d->stats)
		return -1;
	for (uint32_t i = 0; i < r->nmetrics; i++) {
		const char *name = runstore_key_name(d->store, r->metrics[i].key);
		d->stats[i].key = r->metrics[i].key;
		snprintf(d->stats[i].name, sizeof d->stats[i].name, "%s", name ? name : "");
	}
	d->nstats = r->nmetrics;
	return 0;
}

void run_detail_open(struct run_detail *d, const struct runstore *store,
                     const struct mlflow_run *run)
{
	run_detail_close(d);
	if (!run || !run->id)
		return;
	d->store = store;
	d->run = run;
	snprintf(d->run_id, sizeof d->run_id, "%s", run->id);
	if (make_stats(d) < 0 || !d->client)
		return;
	restore_histories(d);
	start_histories(d);
	struct err e = {0};
	long op = mlflow_artifacts(d->client, d->run_id, NULL, on_artifacts, d, &e);
	fetch_started(&d->arts_f, op, &e);
	op = mlflow_versions_by_run(d->client, d->run_id, on_versions, d, &e);
	fetch_started(&d->vers_f, op, &e);
}

void run_detail_rebind(struct run_detail *d, const struct runstore *store)
{
	if (!d->run_id[0])
		return;
	d->store = store;
	d->run = store ? runstore_find(store, d->run_id) : NULL;
	if (!d->run)
		return;
	/* Key ids are the new store's. */
	for (size_t i = 0; i < d->nstats; i++)
		d->stats[i].key = runstore_key_id(store, d->stats[i].name);
	if (d->run->status == RUN_STATUS_RUNNING && d->client)
		start_histories(d);
}

const char *run_detail_run_id(const struct run_detail *d)
{
	return d->run_id;
}

const struct mlflow_run *run_detail_run(const struct run_detail *d)
{
	return d->run;
}

int run_detail_busy(const struct run_detail *d)
{
	int n = d->arts_f.op > 0 || d->eval_f.op > 0 || d->vers_f.op > 0;
	for (size_t i = 0; i < d->nstats; i++)
		n |= d->stats[i].f.op > 0;
	return n;
}

/* ---- lines ---- */

#define add(d, ...) textview_add(&(d)->tv, __VA_ARGS__)

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static char *when(char *buf, size_t n, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms <= 0)
		snprintf(buf, n, "-");
	else
		strftime(buf, n, "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
	return buf;
}

static void eval_line(struct run_detail *d)
{
	if (d->eval)
		add(d, d->eval->failing ? ROLE_WARN : ROLE_OK, "  %-13s %zu of %zu rows fail",
		    "eval table", d->eval->failing, d->eval->rows);
	else if (d->eval_f.op > 0)
		add(d, ROLE_MUTED, "  %-13s …", "eval table");
	else if (d->eval_f.err[0])
		add(d, ROLE_ERROR, "  %-13s %s", "eval table", d->eval_f.err);
}

static void card(struct run_detail *d)
{
	const struct mlflow_run *r = d->run;
	const struct runstore *s = d->store;
	char a[64], b[32];
	uint32_t ep = runstore_key_id(s, "mlflow.project.entryPoint");
	int64_t end = r->end_time > 0 ? r->end_time : d->env->now_ms();
	add(d, ROLE_ACCENT, "REPRODUCE");
	add(d, ROLE_NORMAL, "  %-13s %s", "source", or_dash(runstore_source_name(r)));
	add(d, ROLE_NORMAL, "  %-13s %s", "git commit", or_dash(runstore_git_commit(r)));
	add(d, ROLE_NORMAL, "  %-13s %s", "entry point",
	    or_dash(ep != RUNSTORE_NO_KEY ? runstore_tag(r, ep) : NULL));
	add(d, ROLE_NORMAL, "  %-13s %s", "user", or_dash(r->user));
	add(d, ROLE_NORMAL, "  %-13s %s · duration %s%s", "start", when(a, sizeof a, r->start_time),
	    r->start_time > 0 ? text_duration(b, sizeof b, end - r->start_time) : "-",
	    r->end_time > 0 ? "" : " (running)");
	for (uint16_t i = 0; i < r->ndatasets; i++)
		add(d, ROLE_NORMAL, "  %-13s %s %s (%s)", i ? "" : "datasets",
		    or_dash(r->datasets[i].name), or_dash(r->datasets[i].digest),
		    or_dash(r->datasets[i].context));
	if (!r->ndatasets)
		add(d, ROLE_MUTED, "  %-13s none logged", "datasets");
	add(d, ROLE_NORMAL, "  %-13s %u", "params", (unsigned)r->nparams);
	eval_line(d);
}

static void kvs(struct run_detail *d, const char *title, const struct mlflow_kv *kv, uint32_t n)
{
	add(d, ROLE_ACCENT, "%s (%u)", title, (unsigned)n);
	for (uint32_t i = 0; i < n; i++)
		add(d, ROLE_NORMAL, "  %-24s %s", or_dash(runstore_key_name(d->store, kv[i].key)),
		    kv[i].value ? kv[i].value : "");
}

static const struct stat *stat_of(const struct run_detail *d, const char *name)
{
	for (size_t i = 0; i < d->nstats; i++)
		if (strcmp(d->stats[i].name, name) == 0)
			return &d->stats[i];
	return NULL;
}

/* The age of min and max that are not from a current answer: "cached 3m ago" before the first
 * answer, "stale: data 3m old" with the error of a failed one. */
static void history_note(struct run_detail *d)
{
	const struct stat *bad = NULL;
	int64_t oldest = 0;
	int cached = 0;
	char age[16] = "";
	for (size_t i = 0; i < d->nstats; i++) {
		const struct stat *s = &d->stats[i];
		bad = bad || !s->f.err[0] ? bad : s;
		cached |= s->cached;
		if ((s->cached || s->f.err[0]) && s->data_ms > 0)
			oldest = oldest && oldest < s->data_ms ? oldest : s->data_ms;
	}
	if (oldest)
		text_age(age, sizeof age, d->env->now_ms() - oldest);
	if (bad && oldest)
		add(d, ROLE_ERROR, "  min/max stale: data %s old · history of %s: %s", age,
		    bad->name, bad->f.err);
	else if (bad)
		add(d, ROLE_ERROR, "  history of %s: %s", bad->name, bad->f.err);
	else if (cached)
		add(d, ROLE_WARN, "  min/max cached %s ago", age);
}

static void metrics(struct run_detail *d)
{
	const struct mlflow_run *r = d->run;
	add(d, ROLE_ACCENT, "METRICS (%u)%*s%12s %12s %12s %8s", (unsigned)r->nmetrics, 14, "",
	    "LAST", "MIN", "MAX", "STEP");
	for (uint32_t i = 0; i < r->nmetrics; i++) {
		const char *name = or_dash(runstore_key_name(d->store, r->metrics[i].key));
		const struct stat *s = stat_of(d, name);
		char mn[32] = "…", mx[32] = "…";
		if (s && s->have) {
			text_number(mn, sizeof mn, s->min, 6);
			text_number(mx, sizeof mx, s->max, 6);
		} else if (s && (s->f.done || s->cached)) {
			snprintf(mn, sizeof mn, "%s", s->f.err[0] ? "error" : "-");
			snprintf(mx, sizeof mx, "%s", mn);
		}
		char val[32];
		add(d, ROLE_NORMAL, "  %-24s %12s %12s %12s %8lld", name,
		    text_number(val, sizeof val, r->metrics[i].value, 6), mn, mx,
		    (long long)r->metrics[i].step);
	}
	history_note(d);
}

static void datasets(struct run_detail *d)
{
	const struct mlflow_run *r = d->run;
	add(d, ROLE_ACCENT, "DATASETS (%u)", (unsigned)r->ndatasets);
	for (uint16_t i = 0; i < r->ndatasets; i++) {
		const struct mlflow_dataset_input *x = &r->datasets[i];
		add(d, ROLE_NORMAL, "  %-20s %-10s %-10s %s %s", or_dash(x->name),
		    or_dash(x->digest), or_dash(x->context), or_dash(x->source_type),
		    x->source ? x->source : "");
	}
}

static void artifacts(struct run_detail *d)
{
	if (!d->arts) {
		add(d, ROLE_ACCENT, "ARTIFACTS");
		add(d, d->arts_f.err[0] ? ROLE_ERROR : ROLE_MUTED, "  %s",
		    d->arts_f.err[0] ? d->arts_f.err : "…");
		return;
	}
	add(d, ROLE_ACCENT, "ARTIFACTS (%zu) %s", d->arts->n,
	    d->arts->root_uri ? d->arts->root_uri : "");
	for (size_t i = 0; i < d->arts->n; i++) {
		const struct mlflow_artifact *a = &d->arts->items[i];
		char size[32] = "";
		if (a->file_size >= 0)
			text_thousands(size, sizeof size, (long long)a->file_size);
		add(d, ROLE_NORMAL, "  %-40s %12s%s", or_dash(a->path), a->is_dir ? "dir" : size,
		    a->file_size >= 0 ? " B" : "");
	}
}

static void versions(struct run_detail *d)
{
	add(d, ROLE_ACCENT, "REGISTERED VERSIONS");
	if (!d->versions) {
		add(d, d->vers_f.err[0] ? ROLE_ERROR : ROLE_MUTED, "  %s",
		    d->vers_f.err[0] ? d->vers_f.err : "…");
		return;
	}
	if (!d->versions->n)
		add(d, ROLE_MUTED, "  none: no registered model version comes from this run");
	for (size_t i = 0; i < d->versions->n; i++) {
		const struct mlflow_model_version *v = &d->versions->items[i];
		char aliases[128] = "";
		for (size_t k = 0; k < v->naliases; k++)
			snprintf(aliases + strlen(aliases), sizeof aliases - strlen(aliases),
			         "%s%s", k ? "," : "", v->aliases[k]);
		add(d, ROLE_NORMAL, "  %-24s v%-5s %-10s %-10s %s", or_dash(v->name),
		    or_dash(v->version), or_dash(v->status), or_dash(v->current_stage), aliases);
	}
}

void run_detail_recalc(struct run_detail *d)
{
	textview_clear(&d->tv);
	if (!d->run) {
		if (d->run_id[0])
			add(d, ROLE_MUTED, "run %s is no longer in the loaded runs", d->run_id);
		return;
	}
	const struct mlflow_run *r = d->run;
	add(d, ROLE_ACCENT, "%s · run %s · %s · experiment %s", or_dash(r->name), r->id,
	    runstore_status_name(r->status), or_dash(r->experiment_id));
	card(d);
	kvs(d, "PARAMS", r->params, r->nparams);
	metrics(d);
	kvs(d, "TAGS", r->tags, r->ntags);
	datasets(d);
	artifacts(d);
	versions(d);
	d->tv.h = d->env->rows > 0 ? d->env->rows : 1;
	textview_clamp(&d->tv);
}

void run_detail_draw(const struct run_detail *d, WINDOW *w, const struct theme *t)
{
	textview_draw(&d->tv, w, t);
}

enum panel_rc run_detail_key(struct run_detail *d, int key)
{
	if (key == PANEL_KEY_ESC || key == KEY_LEFT)
		return PANEL_BACK;
	if (key == 'F' && d->eval && d->env->open) { /* the failing eval rows, in Samples */
		char arg[96];
		snprintf(arg, sizeof arg, "run=%s", d->run_id);
		d->env->open(d->env->app, "samples", arg);
		return PANEL_HANDLED;
	}
	d->tv.h = d->env->rows > 0 ? d->env->rows : 1;
	return textview_key(&d->tv, key) ? PANEL_HANDLED : PANEL_IGNORED;
}

int run_detail_search(struct run_detail *d, const char *pattern, struct err *e)
{
	char msg[256];
	if (textview_search(&d->tv, pattern, msg, sizeof msg) < 0)
		return err_set(e, ERR_PARSE, "%s", msg);
	return 0;
}

const char *run_detail_pattern(const struct run_detail *d)
{
	return textview_pattern(&d->tv);
}

static const struct keyhint detail_keys[] = {
    {"Esc", "back to the runs", 1},           {"j/k", "scroll", 1},     {"/", "search the text", 0},
    {"n/N", "next / previous match", 0},      {"PgUp/PgDn", "page", 0}, {"g/G", "top / bottom", 0},
    {"F", "failing eval rows in Samples", 0}, {NULL, NULL, 0},
};

const struct keyhint *run_detail_hints(const struct run_detail *d)
{
	(void)d;
	return detail_keys;
}

void run_detail_status(const struct run_detail *d, char *buf, size_t n)
{
	if (run_detail_busy(d))
		snprintf(buf, n, "loading run details …");
	else
		textview_status(&d->tv, buf, n);
}
