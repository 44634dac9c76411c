/* mlflow_merge: a refresh of a long experiments list from the first page of experiments/search
 * ordered by last_update_time DESC (view ALL, so that deletions show), instead of every page:
 * what the page holds replaces, adds or (deleted) removes items of the list, the rest stays. */
#ifndef MLTOP_MLFLOW_MERGE_H
#define MLTOP_MLFLOW_MERGE_H

#include <stddef.h>

#include "clients/mlflow_types.h"

/* Merges page into list (its strings are copied into the list's arena; items that did not change
 * are left alone, so a quiet refresh copies nothing), keeping the list newest first. page_size is
 * the max_results asked: when the page is full and even its oldest item is newer than anything
 * the list had, changes may lie beyond it and *overflow is set (reload the whole list). Returns
 * how many items changed (0: the list is as it was), or ERR_NOMEM (the list is unchanged). */
int mlflow_experiments_merge(struct mlflow_experiments *list, const struct mlflow_experiments *page,
                             size_t page_size, int *overflow);

#endif
