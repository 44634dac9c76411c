#include "runs_same.h"

#include <stdio.h>
#include <string.h>

static int str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int differ(char *why, size_t n, const char *what, size_t run, const char *a, const char *b)
{
	snprintf(why, n, "run %zu: %s differs: \"%s\" / \"%s\"", run, what, a ? a : "(null)",
	         b ? b : "(null)");
	return 0;
}

static int keys_same(const struct runstore *a, const struct runstore *b, char *why, size_t n)
{
	for (uint32_t id = 0;; id++) {
		const char *x = runstore_key_name(a, id), *y = runstore_key_name(b, id);
		if (!x && !y)
			break;
		if (!str_same(x, y)) {
			snprintf(why, n, "key %u: \"%s\" / \"%s\"", id, x ? x : "(none)",
			         y ? y : "(none)");
			return 0;
		}
	}
	static const int kinds[] = {RUNSTORE_METRIC, RUNSTORE_PARAM, RUNSTORE_TAG};
	for (int k = 0; k < 3; k++) {
		const uint32_t *ia, *ib;
		size_t na = runstore_keys(a, kinds[k], &ia), nb = runstore_keys(b, kinds[k], &ib);
		if (na != nb || (na && memcmp(ia, ib, na * sizeof *ia) != 0)) {
			snprintf(why, n, "key list of kind %d: %zu / %zu keys", kinds[k], na, nb);
			return 0;
		}
	}
	return 1;
}

static int kvs_same(const struct mlflow_kv *a, const struct mlflow_kv *b, uint32_t count,
                    const char *what, size_t run, char *why, size_t n)
{
	for (uint32_t i = 0; i < count; i++)
		if (a[i].key != b[i].key || !str_same(a[i].value, b[i].value))
			return differ(why, n, what, run, a[i].value, b[i].value);
	return 1;
}

static int datasets_same(const struct mlflow_run *a, const struct mlflow_run *b, size_t run,
                         char *why, size_t n)
{
	for (uint16_t i = 0; i < a->ndatasets; i++) {
		const struct mlflow_dataset_input *x = &a->datasets[i], *y = &b->datasets[i];
		const char *fx[] = {x->name,   x->digest, x->context, x->source_type,
		                    x->source, x->schema, x->profile};
		const char *fy[] = {y->name,   y->digest, y->context, y->source_type,
		                    y->source, y->schema, y->profile};
		for (size_t f = 0; f < sizeof fx / sizeof fx[0]; f++)
			if (!str_same(fx[f], fy[f]))
				return differ(why, n, "a dataset field", run, fx[f], fy[f]);
	}
	return 1;
}

static int metrics_same(const struct mlflow_run *a, const struct mlflow_run *b, size_t run,
                        char *why, size_t n)
{
	for (uint32_t i = 0; i < a->nmetrics; i++) {
		const struct mlflow_metric *x = &a->metrics[i], *y = &b->metrics[i];
		if (x->key != y->key || memcmp(&x->value, &y->value, sizeof x->value) != 0 ||
		    x->timestamp != y->timestamp || x->step != y->step) {
			snprintf(why, n,
			         "run %zu: metric %u differs: key %u=%.17g@%lld/%lld, key "
			         "%u=%.17g@%lld/%lld",
			         run, i, x->key, x->value, (long long)x->timestamp,
			         (long long)x->step, y->key, y->value, (long long)y->timestamp,
			         (long long)y->step);
			return 0;
		}
	}
	return 1;
}

static int run_same(const struct mlflow_run *a, const struct mlflow_run *b, size_t run, char *why,
                    size_t n)
{
	const char *sa[] = {a->id, a->name, a->experiment_id, a->user, a->artifact_uri};
	const char *sb[] = {b->id, b->name, b->experiment_id, b->user, b->artifact_uri};
	static const char *const names[] = {"id", "name", "experiment_id", "user", "artifact_uri"};
	for (size_t i = 0; i < 5; i++)
		if (!str_same(sa[i], sb[i]))
			return differ(why, n, names[i], run, sa[i], sb[i]);
	if (a->start_time != b->start_time || a->end_time != b->end_time ||
	    a->status != b->status || a->deleted != b->deleted || a->nmetrics != b->nmetrics ||
	    a->nparams != b->nparams || a->ntags != b->ntags || a->ndatasets != b->ndatasets) {
		snprintf(why, n,
		         "run %zu: times, status or counts differ: %lld %lld %d %d %u %u %u %u / "
		         "%lld %lld %d %d %u %u %u %u",
		         run, (long long)a->start_time, (long long)a->end_time, a->status,
		         a->deleted, a->nmetrics, a->nparams, a->ntags, a->ndatasets,
		         (long long)b->start_time, (long long)b->end_time, b->status, b->deleted,
		         b->nmetrics, b->nparams, b->ntags, b->ndatasets);
		return 0;
	}
	return metrics_same(a, b, run, why, n) &&
	       kvs_same(a->params, b->params, a->nparams, "a param", run, why, n) &&
	       kvs_same(a->tags, b->tags, a->ntags, "a tag", run, why, n) &&
	       datasets_same(a, b, run, why, n);
}

int runs_same(const struct runstore *a, const struct runstore *b, char *why, size_t n)
{
	if (!keys_same(a, b, why, n))
		return 0;
	if (runstore_count(a) != runstore_count(b)) {
		snprintf(why, n, "%zu / %zu runs", runstore_count(a), runstore_count(b));
		return 0;
	}
	for (size_t i = 0; i < runstore_count(a); i++)
		if (!run_same(runstore_at(a, i), runstore_at(b, i), i, why, n))
			return 0;
	return 1;
}
