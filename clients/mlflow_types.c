#include "clients/mlflow_types.h"

#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"

#define LIST_ARENA_BLOCK (32 * 1024)

void *mlflow_list_push(void **items, size_t *n, size_t *cap, size_t item_size)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		if (c > SIZE_MAX / item_size)
			return NULL;
		void *p = realloc(*items, c * item_size);
		if (!p)
			return NULL;
		*items = p;
		*cap = c;
	}
	void *slot = (char *)*items + *n * item_size;
	memset(slot, 0, item_size);
	(*n)++;
	return slot;
}

/* Every list starts the same way: the struct zeroed and an arena of its own. */
static void *list_new(size_t size, struct arena **arena)
{
	void *l = calloc(1, size);
	if (!l)
		return NULL;
	*arena = arena_new(LIST_ARENA_BLOCK);
	if (!*arena) {
		free(l);
		return NULL;
	}
	return l;
}

static void list_release(void *l, struct arena *arena, void *items)
{
	arena_free(&arena);
	free(items);
	free(l);
}

struct mlflow_experiments *mlflow_experiments_new(void)
{
	struct arena *a;
	struct mlflow_experiments *l = list_new(sizeof *l, &a);
	if (l)
		l->arena = a;
	return l;
}

void mlflow_experiments_free(struct mlflow_experiments **l)
{
	if (l && *l) {
		list_release(*l, (*l)->arena, (*l)->items);
		*l = NULL;
	}
}

struct mlflow_models *mlflow_models_new(void)
{
	struct arena *a;
	struct mlflow_models *l = list_new(sizeof *l, &a);
	if (l)
		l->arena = a;
	return l;
}

void mlflow_models_free(struct mlflow_models **l)
{
	if (l && *l) {
		list_release(*l, (*l)->arena, (*l)->items);
		*l = NULL;
	}
}

struct mlflow_versions *mlflow_versions_new(void)
{
	struct arena *a;
	struct mlflow_versions *l = list_new(sizeof *l, &a);
	if (l)
		l->arena = a;
	return l;
}

void mlflow_versions_free(struct mlflow_versions **l)
{
	if (l && *l) {
		list_release(*l, (*l)->arena, (*l)->items);
		*l = NULL;
	}
}

struct mlflow_artifacts *mlflow_artifacts_new(void)
{
	struct arena *a;
	struct mlflow_artifacts *l = list_new(sizeof *l, &a);
	if (l)
		l->arena = a;
	return l;
}

void mlflow_artifacts_free(struct mlflow_artifacts **l)
{
	if (l && *l) {
		list_release(*l, (*l)->arena, (*l)->items);
		*l = NULL;
	}
}

struct mlflow_history *mlflow_history_new(const char *metric_key)
{
	struct arena *a;
	struct mlflow_history *h = list_new(sizeof *h, &a);
	if (!h)
		return NULL;
	h->arena = a;
	h->metric_key = arena_strdup(a, metric_key ? metric_key : "");
	if (!h->metric_key)
		mlflow_history_free(&h);
	return h;
}

void mlflow_history_free(struct mlflow_history **h)
{
	if (!h || !*h)
		return;
	for (size_t i = 0; i < (*h)->n; i++)
		free((*h)->series[i].points);
	free((*h)->series);
	arena_free(&(*h)->arena);
	free(*h);
	*h = NULL;
}

struct mlflow_eval_table *mlflow_eval_table_new(void)
{
	struct arena *a;
	struct mlflow_eval_table *t = list_new(sizeof *t, &a);
	if (!t)
		return NULL;
	t->arena = a;
	t->output_column = -1;
	return t;
}

void mlflow_eval_table_free(struct mlflow_eval_table **t)
{
	if (!t || !*t)
		return;
	arena_free(&(*t)->arena);
	free(*t);
	*t = NULL;
}

const struct mlflow_experiment *mlflow_experiments_find(const struct mlflow_experiments *l,
                                                        const char *id)
{
	for (size_t i = 0; l && id && i < l->n; i++)
		if (l->items[i].id && strcmp(l->items[i].id, id) == 0)
			return &l->items[i];
	return NULL;
}

const struct mlflow_registered_model *mlflow_models_find(const struct mlflow_models *l,
                                                         const char *name)
{
	for (size_t i = 0; l && name && i < l->n; i++)
		if (l->items[i].name && strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

const struct mlflow_series *mlflow_history_find(const struct mlflow_history *h, const char *run_id)
{
	for (size_t i = 0; h && run_id && i < h->n; i++)
		if (strcmp(h->series[i].run_id, run_id) == 0)
			return &h->series[i];
	return NULL;
}

const char *mlflow_model_alias(const struct mlflow_registered_model *m, const char *alias)
{
	for (size_t i = 0; m && alias && i < m->naliases; i++)
		if (m->aliases[i].alias && strcmp(m->aliases[i].alias, alias) == 0)
			return m->aliases[i].version;
	return NULL;
}
