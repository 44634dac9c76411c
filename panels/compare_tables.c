/* compare_tables: the params and metrics rows of the Compare view. */
#include "panels/compare_tables.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "tui/widgets/text.h"

/* Name tokens of metrics where lower is better. A token is a run of letters and digits, so that
 * "val_loss", "test-rmse" and "p99.latency_ms" match and "power" does not match "wer". */
static const char *const lower_tokens[] = {
    "err", "mae",   "mse",      "mape",    "smape",  "rmsle", "msle",       "nll",
    "ppl", "time",  "duration", "seconds", "ms",     "wer",   "cer",        "fpr",
    "fnr", "brier", "hamming",  "cost",    "regret", "psi",   "divergence", "drift",
};

/* Lower-is-better words, also inside a token ("trainLoss", "evalerror", "logloss"). */
static const char *const lower_substrings[] = {"loss", "error", "rmse", "perplexity", "latency"};

static int token_is_lower(const char *tok, size_t len)
{
	char low[32];
	size_t i;

	if (len == 0 || len >= sizeof(low))
		return 0;
	for (i = 0; i < len; i++)
		low[i] = (char)tolower((unsigned char)tok[i]);
	low[len] = '\0';
	for (i = 0; i < sizeof(lower_tokens) / sizeof(lower_tokens[0]); i++)
		if (strcmp(low, lower_tokens[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(lower_substrings) / sizeof(lower_substrings[0]); i++)
		if (strstr(low, lower_substrings[i]))
			return 1;
	return 0;
}

int compare_direction(const struct config *cfg, const char *metric)
{
	int conf = cfg ? config_metric_direction(cfg, metric) : 0;
	const char *p = metric;

	if (conf)
		return conf < 0 ? -1 : 1;
	while (p && *p) {
		size_t len = 0;
		while (p[len] && isalnum((unsigned char)p[len]))
			len++;
		if (token_is_lower(p, len))
			return -1;
		p += len ? len : 1;
	}
	return 1;
}

int compare_best(const double *v, size_t n, int dir)
{
	int best = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (best < 0 || (dir < 0 ? v[i] < v[best] : v[i] > v[best]))
			best = (int)i;
	}
	return best;
}

enum compare_verdict compare_delta(double v, double base, int dir, double *delta)
{
	*delta = 0;
	if (!isfinite(v) || !isfinite(base))
		return COMPARE_NONE;
	*delta = v - base;
	if (*delta == 0)
		return COMPARE_SAME;
	return (*delta < 0) == (dir < 0) ? COMPARE_BETTER : COMPARE_WORSE;
}

static int clamp_digits(int digits)
{
	return digits < 1 ? 1 : digits > COMPARE_VALUE_DIGITS ? COMPARE_VALUE_DIGITS : digits;
}

char *compare_fmt_value(char *buf, size_t n, double v, int digits)
{
	double a = fabs(v);

	digits = clamp_digits(digits);
	if (text_nonfinite(v))
		snprintf(buf, n, "%s", text_nonfinite(v));
	else if (a != 0 && (a >= 1e6 || a < 1e-4))
		snprintf(buf, n, "%.*e", digits - 1, v);
	else
		snprintf(buf, n, "%.*g", digits, v);
	return buf;
}

char *compare_fmt_delta(char *buf, size_t n, double d, int digits)
{
	double a = fabs(d);

	digits = clamp_digits(digits);
	if (d == 0)
		snprintf(buf, n, "+0");
	else if (a >= 1e6 || a < 1e-4)
		snprintf(buf, n, "%+.*e", digits - 1, d);
	else
		snprintf(buf, n, "%+.*g", digits, d);
	return buf;
}

static char *clean_dup(const char *s)
{
	return s ? text_sanitize(s, strlen(s), NULL, 0) : NULL;
}

static void prow_fini(struct compare_prow *r)
{
	size_t i;

	free(r->label);
	for (i = 0; i < COMPARE_MAX_RUNS; i++)
		free(r->val[i]);
}

void compare_tables_fini(struct compare_tables *t)
{
	size_t i;

	for (i = 0; i < COMPARE_MAX_RUNS; i++) {
		free(t->name[i]);
		free(t->id[i]);
	}
	for (i = 0; i < t->np; i++)
		prow_fini(&t->p[i]);
	for (i = 0; i < t->nm; i++) {
		free(t->m[i].key);
		free(t->m[i].label);
	}
	free(t->p);
	free(t->pview);
	free(t->m);
	memset(t, 0, sizeof(*t));
}

/* The union of the key ids of kind in the runs, sorted by name. Returns the count or -1. */
static long key_union(const struct runstore *s, const struct mlflow_run *const *runs, size_t n,
                      int kind, uint32_t **out)
{
	const uint32_t *all;
	size_t nall = runstore_keys(s, kind, &all), i, k, cnt = 0;
	uint32_t *ids = malloc((nall ? nall : 1) * sizeof(*ids));

	if (!ids)
		return -1;
	for (i = 0; i < nall; i++) { /* runstore_keys is already sorted by name */
		for (k = 0; k < n; k++) {
			if (kind == RUNSTORE_METRIC ? runstore_metric(runs[k], all[i]) != NULL
			                            : runstore_param(runs[k], all[i]) != NULL)
				break;
		}
		if (k < n)
			ids[cnt++] = all[i];
	}
	*out = ids;
	return (long)cnt;
}

/* The dataset a run is compared by: the first training input, else the first input. */
static const struct mlflow_dataset_input *dataset_pick(const struct mlflow_run *r)
{
	const struct mlflow_dataset_input *d = NULL;
	size_t i;

	for (i = 0; i < r->ndatasets; i++) {
		if (!d ||
		    (r->datasets[i].context && strcmp(r->datasets[i].context, "training") == 0 &&
		     !(d->context && strcmp(d->context, "training") == 0)))
			d = &r->datasets[i];
	}
	return d;
}

static const char *dataset_of(const struct mlflow_run *r, char *buf, size_t n)
{
	const struct mlflow_dataset_input *d = dataset_pick(r);

	if (!d)
		return NULL;
	snprintf(buf, n, "%s@%s", d->name ? d->name : "?", d->digest ? d->digest : "?");
	return buf;
}

static const char *meta_of(const struct mlflow_run *r, int kind, char *buf, size_t n)
{
	const char *git;

	if (kind == COMPARE_ROW_DATASET)
		return dataset_of(r, buf, n);
	git = runstore_git_commit(r);
	if (!git)
		return NULL;
	snprintf(buf, n, "%.10s", git);
	return buf;
}

/* Fills row r of kind (key for params) from the runs; a meta row no run has is left out (0). */
static int prow_fill(struct compare_prow *r, int kind, const char *label, uint32_t key,
                     const struct mlflow_run *const *runs, size_t n)
{
	char buf[512];
	size_t i;
	int any = 0;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	for (i = 0; i < n; i++) {
		const char *v = kind == COMPARE_ROW_PARAM
		                    ? runstore_param(runs[i], key)
		                    : meta_of(runs[i], kind, buf, sizeof(buf));
		any |= v != NULL;
		if (v && !(r->val[i] = clean_dup(v)))
			goto fail;
		if (i > 0 &&
		    (!r->val[i] != !r->val[0] || (r->val[i] && strcmp(r->val[i], r->val[0]) != 0)))
			r->differs = 1;
	}
	if (any && (r->label = clean_dup(label)) != NULL)
		return 1;
fail:
	prow_fini(r);
	memset(r, 0, sizeof(*r));
	return any ? -1 : 0;
}

/* The digest of a dataset value "name@digest": after its last '@'. */
static const char *digest_in(const char *val)
{
	const char *at = strrchr(val, '@');

	return at ? at + 1 : val;
}

/* How the dataset row's values differ: one name or several, and the bytes their digests share
 * when the digests differ (cut back to a whole character). */
static void dataset_shared(struct compare_prow *r, size_t n)
{
	const char *first = NULL, *d0 = NULL;
	size_t i, k, shared = (size_t)-1;
	int same_digest = 1;

	r->same_name = 1;
	for (i = 0; i < n; i++) {
		const char *v = r->val[i], *d;
		if (!v)
			continue;
		d = digest_in(v);
		if (!first) {
			first = v;
			d0 = d;
			continue;
		}
		if (d - v != d0 - first || strncmp(v, first, (size_t)(d - v)) != 0)
			r->same_name = 0;
		for (k = 0; d[k] && d[k] == d0[k]; k++)
			;
		if (d[k] || d0[k])
			same_digest = 0;
		if ((!d[k] || !d0[k]) && k > 0)
			k--; /* one digest starts the other: keep its last character */
		shared = k < shared ? k : shared;
	}
	if (same_digest || shared == (size_t)-1)
		shared = 0;
	while (shared > 0 && ((unsigned char)d0[shared] & 0xC0) == 0x80)
		shared--;
	r->shared = shared;
}

static int build_params(struct compare_tables *t, const struct runstore *s,
                        const struct mlflow_run *const *runs, size_t n)
{
	uint32_t *ids = NULL;
	long nk = key_union(s, runs, n, RUNSTORE_PARAM, &ids), i;
	int rc = -1, got;

	if (nk < 0)
		return -1;
	t->p = calloc((size_t)nk + 2, sizeof(*t->p));
	t->pview = calloc((size_t)nk + 2, sizeof(*t->pview));
	if (!t->p || !t->pview)
		goto out;
	if ((got = prow_fill(&t->p[t->np], COMPARE_ROW_GIT, "git commit", 0, runs, n)) < 0)
		goto out;
	t->np += (size_t)got;
	if ((got = prow_fill(&t->p[t->np], COMPARE_ROW_DATASET, "dataset", 0, runs, n)) < 0)
		goto out;
	if (got)
		dataset_shared(&t->p[t->np], n);
	t->np += (size_t)got;
	for (i = 0; i < nk; i++) {
		got = prow_fill(&t->p[t->np], COMPARE_ROW_PARAM, runstore_key_name(s, ids[i]),
		                ids[i], runs, n);
		if (got < 0)
			goto out;
		t->np += (size_t)got;
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

static int build_metrics(struct compare_tables *t, const struct runstore *s,
                         const struct mlflow_run *const *runs, size_t n, const struct config *cfg)
{
	uint32_t *ids = NULL;
	long nk = key_union(s, runs, n, RUNSTORE_METRIC, &ids), i;
	size_t k;
	int rc = -1;

	if (nk < 0)
		return -1;
	t->m = calloc((size_t)nk + 1, sizeof(*t->m));
	if (!t->m)
		goto out;
	for (i = 0; i < nk; i++, t->nm++) {
		struct compare_mrow *r = &t->m[t->nm];
		const char *name = runstore_key_name(s, ids[i]);
		r->key = strdup(name ? name : "");
		r->label = clean_dup(name ? name : "");
		if (!r->key || !r->label)
			goto out;
		r->dir = compare_direction(cfg, r->key);
		for (k = 0; k < n; k++) {
			const struct mlflow_metric *m = runstore_metric(runs[k], ids[i]);
			r->have[k] = m != NULL;
			r->v[k] = m ? m->value : NAN;
		}
		r->best = compare_best(r->v, n, r->dir);
	}
	rc = 0;
out:
	if (rc < 0 && t->m) { /* the row being filled is not counted yet */
		free(t->m[t->nm].key);
		free(t->m[t->nm].label);
	}
	free(ids);
	return rc;
}

static int build_names(struct compare_tables *t, const struct mlflow_run *const *runs, size_t n)
{
	char buf[16];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *id = runs[i]->id ? runs[i]->id : "";
		const char *name = runs[i]->name;
		if (!name || !*name) {
			snprintf(buf, sizeof(buf), "%.8s", id);
			name = buf;
		}
		t->name[i] = clean_dup(name);
		t->id[i] = strdup(id);
		t->start_ms[i] = runs[i]->start_time;
		if (!t->name[i] || !t->id[i])
			return -1;
	}
	return 0;
}

int compare_tables_build(struct compare_tables *t, const struct runstore *s,
                         const struct mlflow_run *const *runs, size_t n, const struct config *cfg,
                         struct err *e)
{
	compare_tables_fini(t);
	if (n > COMPARE_MAX_RUNS)
		n = COMPARE_MAX_RUNS;
	t->nruns = n;
	if (build_names(t, runs, n) < 0 || build_params(t, s, runs, n) < 0 ||
	    build_metrics(t, s, runs, n, cfg) < 0) {
		compare_tables_fini(t);
		return err_set(e, ERR_NOMEM, "compare: out of memory");
	}
	compare_tables_filter(t, 0);
	return 0;
}

void compare_tables_filter(struct compare_tables *t, int diff_only)
{
	size_t i;

	t->npview = 0;
	for (i = 0; i < t->np; i++)
		if (!diff_only || t->p[i].differs)
			t->pview[t->npview++] = i;
}

int compare_tables_metric(const struct compare_tables *t, const char *key)
{
	size_t i;

	for (i = 0; key && i < t->nm; i++)
		if (strcmp(t->m[i].key, key) == 0)
			return (int)i;
	return -1;
}
