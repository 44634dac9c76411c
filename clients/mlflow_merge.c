#include "clients/mlflow_merge.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/err.h"

static const struct mlflow_experiments *merge_sort_page;

static int merge_by_id(const void *a, const void *b)
{
	const struct mlflow_experiment *x = &merge_sort_page->items[*(const size_t *)a];
	const struct mlflow_experiment *y = &merge_sort_page->items[*(const size_t *)b];
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int merge_newest_first(const void *a, const void *b)
{
	const struct mlflow_experiment *x = a, *y = b;
	if (x->last_update_time != y->last_update_time)
		return x->last_update_time > y->last_update_time ? -1 : 1;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int merge_deleted(const struct mlflow_experiment *x)
{
	return x->lifecycle_stage && strcmp(x->lifecycle_stage, "deleted") == 0;
}

static int merge_same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int merge_same(const struct mlflow_experiment *a, const struct mlflow_experiment *b)
{
	return a->last_update_time == b->last_update_time && merge_same_str(a->name, b->name) &&
	       merge_same_str(a->lifecycle_stage, b->lifecycle_stage) &&
	       merge_same_str(a->description, b->description) && a->ntags == b->ntags;
}

/* A copy of src whose strings live in a. */
static int merge_copy(struct arena *a, struct mlflow_experiment *dst,
                      const struct mlflow_experiment *src)
{
	struct mlflow_experiment x = *src;
	x.id = arena_strdup(a, src->id);
	x.name = arena_strdup(a, src->name);
	x.artifact_location = arena_strdup(a, src->artifact_location);
	x.lifecycle_stage = arena_strdup(a, src->lifecycle_stage);
	x.description = arena_strdup(a, src->description);
	x.tags = src->ntags ? arena_calloc(a, src->ntags, sizeof *x.tags) : NULL;
	if ((src->ntags && !x.tags) || (src->id && !x.id) || (src->name && !x.name))
		return ERR_NOMEM;
	for (size_t i = 0; i < src->ntags; i++) {
		x.tags[i].key = arena_strdup(a, src->tags[i].key);
		x.tags[i].value = arena_strdup(a, src->tags[i].value);
	}
	*dst = x;
	return 0;
}

/* at[k]: where page item k is in list (SIZE_MAX: not there); one pass over the list, each id
 * looked up among the page's sorted ids. */
static size_t *merge_locate(const struct mlflow_experiments *list,
                            const struct mlflow_experiments *page)
{
	size_t *order = malloc((page->n + 1) * sizeof *order);
	size_t *at = malloc((page->n + 1) * sizeof *at);
	if (!order || !at) {
		free(order);
		free(at);
		return NULL;
	}
	for (size_t k = 0; k < page->n; k++) {
		order[k] = k;
		at[k] = SIZE_MAX;
	}
	merge_sort_page = page;
	qsort(order, page->n, sizeof *order, merge_by_id);
	for (size_t i = 0; i < list->n; i++) {
		size_t lo = 0, hi = page->n;
		const char *id = list->items[i].id ? list->items[i].id : "";
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			const char *pid = page->items[order[mid]].id;
			int c = strcmp(id, pid ? pid : "");
			if (c == 0) {
				at[order[mid]] = i;
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	free(order);
	return at;
}

/* Drops the items marked with a NULL id (deleted on the server). */
static void merge_compact(struct mlflow_experiments *list)
{
	size_t n = 0;
	for (size_t i = 0; i < list->n; i++)
		if (list->items[i].id)
			list->items[n++] = list->items[i];
	list->n = n;
}

static int64_t merge_newest(const struct mlflow_experiments *list)
{
	int64_t t = INT64_MIN;
	for (size_t i = 0; i < list->n; i++)
		if (list->items[i].last_update_time > t)
			t = list->items[i].last_update_time;
	return t;
}

int mlflow_experiments_merge(struct mlflow_experiments *list, const struct mlflow_experiments *page,
                             size_t page_size, int *overflow)
{
	int64_t oldest = INT64_MAX, newest = merge_newest(list);
	size_t *at = merge_locate(list, page);
	int changed = 0, removed = 0;
	if (!at)
		return ERR_NOMEM;
	for (size_t k = 0; k < page->n; k++) {
		const struct mlflow_experiment *p = &page->items[k];
		struct mlflow_experiment *slot = at[k] == SIZE_MAX ? NULL : &list->items[at[k]];
		if (p->last_update_time < oldest)
			oldest = p->last_update_time;
		if ((slot && merge_same(slot, p)) || (!slot && merge_deleted(p)))
			continue;
		if (slot && merge_deleted(p)) {
			slot->id = NULL;
			removed = 1;
		} else if (!slot && !(slot = mlflow_list_push((void **)&list->items, &list->n,
		                                              &list->cap, sizeof *slot))) {
			free(at);
			return ERR_NOMEM;
		}
		if (slot->id || !merge_deleted(p)) {
			if (merge_copy(list->arena, slot, p) < 0) {
				free(at);
				return ERR_NOMEM;
			}
		}
		changed++;
	}
	free(at);
	if (removed)
		merge_compact(list);
	if (changed)
		qsort(list->items, list->n, sizeof *list->items, merge_newest_first);
	if (overflow)
		*overflow = page_size && page->n >= page_size && oldest > newest;
	return changed;
}
