/* mlflow_merge: a refresh's first page merged into the experiments list — a changed experiment
 * replaced, a new one added, a deleted one removed, the rest untouched and newest first; a quiet
 * page changes nothing; a page full of changes newer than the list asks for a whole reload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "clients/arena.h"
#include "clients/mlflow_merge.h"

static void add(struct mlflow_experiments *l, const char *id, const char *name, int64_t t,
                const char *stage)
{
	struct mlflow_experiment *x =
	    mlflow_list_push((void **)&l->items, &l->n, &l->cap, sizeof *x);
	assert_non_null(x);
	x->id = arena_strdup(l->arena, id);
	x->name = arena_strdup(l->arena, name);
	x->lifecycle_stage = arena_strdup(l->arena, stage);
	x->last_update_time = t;
}

/* The ids in list order, "a,b,c". */
static const char *ids(const struct mlflow_experiments *l)
{
	static char buf[256];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++)
		n +=
		    (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "", l->items[i].id);
	return buf;
}

static struct mlflow_experiments *list_of_five(void)
{
	struct mlflow_experiments *l = mlflow_experiments_new();
	assert_non_null(l);
	for (int i = 5; i >= 1; i--) {
		char id[8], name[16];
		snprintf(id, sizeof id, "%d", i);
		snprintf(name, sizeof name, "exp-%d", i);
		add(l, id, name, 1000 + i, "active");
	}
	return l;
}

static void test_merge_changes(void **state)
{
	(void)state;
	struct mlflow_experiments *l = list_of_five(), *page = mlflow_experiments_new();
	int overflow = -1;
	assert_string_equal(ids(l), "5,4,3,2,1");
	add(page, "2", "exp-2-renamed", 2000, "active"); /* changed: to the top */
	add(page, "9", "exp-9", 1999, "active");         /* new */
	add(page, "4", "exp-4", 1998, "deleted");        /* deleted: gone */
	add(page, "77", "gone-before", 1997, "deleted"); /* deleted, never listed: ignored */
	add(page, "5", "exp-5", 1005, "active");         /* as it was */
	assert_int_equal(mlflow_experiments_merge(l, page, 100, &overflow), 3);
	assert_int_equal(overflow, 0);
	assert_string_equal(ids(l), "2,9,5,3,1");
	assert_string_equal(l->items[0].name, "exp-2-renamed");
	mlflow_experiments_free(&page);
	/* the list owns its strings: the page is gone */
	assert_string_equal(l->items[1].name, "exp-9");
	/* the same page again: nothing changes */
	page = mlflow_experiments_new();
	add(page, "2", "exp-2-renamed", 2000, "active");
	add(page, "9", "exp-9", 1999, "active");
	assert_int_equal(mlflow_experiments_merge(l, page, 100, &overflow), 0);
	assert_string_equal(ids(l), "2,9,5,3,1");
	mlflow_experiments_free(&page);
	mlflow_experiments_free(&l);
}

static void test_merge_overflow(void **state)
{
	(void)state;
	struct mlflow_experiments *l = list_of_five(), *page = mlflow_experiments_new();
	int overflow = 0;
	add(page, "10", "a", 3000, "active");
	add(page, "11", "b", 2999, "active");
	/* a full page, all newer than the list: more may have changed beyond it */
	assert_int_equal(mlflow_experiments_merge(l, page, 2, &overflow), 2);
	assert_int_equal(overflow, 1);
	mlflow_experiments_free(&page);
	/* a full page that reaches what the list had: all changes are in it */
	page = mlflow_experiments_new();
	add(page, "12", "c", 4000, "active");
	add(page, "10", "a", 3000, "active");
	assert_int_equal(mlflow_experiments_merge(l, page, 2, &overflow), 1);
	assert_int_equal(overflow, 0);
	assert_string_equal(ids(l), "12,10,11,5,4,3,2,1");
	mlflow_experiments_free(&page);
	mlflow_experiments_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge_changes),
	    cmocka_unit_test(test_merge_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
