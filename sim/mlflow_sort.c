/* mltop-sim: multi-key sorting of search results. */
#include "sim/mlflow_sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mlflow_sort_init(struct mlflow_sort *s)
{
	memset(s, 0, sizeof(*s));
}

int mlflow_sort_key(struct mlflow_sort *s, int desc)
{
	if (s->nkeys >= MLFLOW_SORT_KEYS)
		return -1;
	s->desc[s->nkeys] = desc;
	return s->nkeys++;
}

struct mlflow_sort_row *mlflow_sort_add(struct mlflow_sort *s, int index)
{
	struct mlflow_sort_row *r;

	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 256;
		struct mlflow_sort_row *p = realloc(s->rows, (size_t)cap * sizeof(*p));

		if (!p)
			return NULL;
		s->rows = p;
		s->cap = cap;
	}
	r = &s->rows[s->n++];
	memset(r, 0, sizeof(*r));
	r->index = index;
	r->owner = s;
	return r;
}

void mlflow_sort_num(struct mlflow_sort_row *r, int k, double v)
{
	if (k < 0 || k >= MLFLOW_SORT_KEYS)
		return;
	r->v[k].kind = 1;
	r->v[k].num = v;
}

void mlflow_sort_str(struct mlflow_sort *s, struct mlflow_sort_row *r, int k, const char *v,
                     int copy)
{
	if (k < 0 || k >= MLFLOW_SORT_KEYS || !v)
		return;
	if (copy) {
		char *dup;

		if (s->nstrs == s->capstrs) {
			int cap = s->capstrs ? s->capstrs * 2 : 256;
			char **p = realloc(s->strs, (size_t)cap * sizeof(*p));

			if (!p)
				return;
			s->strs = p;
			s->capstrs = cap;
		}
		dup = strdup(v);
		if (!dup)
			return;
		s->strs[s->nstrs++] = dup;
		v = dup;
	}
	r->v[k].kind = 2;
	r->v[k].str = v;
}

static int sort_val_cmp(const struct mlflow_sort_val *a, const struct mlflow_sort_val *b)
{
	if (a->kind == 2 && b->kind == 2)
		return strcmp(a->str, b->str);
	if (isnan(a->num) || isnan(b->num))
		return isnan(a->num) - isnan(b->num);
	return a->num < b->num ? -1 : a->num > b->num;
}

static int sort_cmp(const void *pa, const void *pb)
{
	const struct mlflow_sort_row *a = pa, *b = pb;
	int k, c;

	for (k = 0; k < a->owner->nkeys; k++) {
		if (a->v[k].kind != b->v[k].kind && (!a->v[k].kind || !b->v[k].kind))
			return a->v[k].kind ? -1 : 1; /* missing values last, both ways */
		if (!a->v[k].kind)
			continue;
		c = sort_val_cmp(&a->v[k], &b->v[k]);
		if (c)
			return a->owner->desc[k] ? -c : c;
	}
	return (a->index > b->index) - (a->index < b->index);
}

void mlflow_sort_run(struct mlflow_sort *s)
{
	if (s->n > 1)
		qsort(s->rows, (size_t)s->n, sizeof(*s->rows), sort_cmp);
}

void mlflow_sort_fini(struct mlflow_sort *s)
{
	int i;

	for (i = 0; i < s->nstrs; i++)
		free(s->strs[i]);
	free(s->strs);
	free(s->rows);
	memset(s, 0, sizeof(*s));
}
