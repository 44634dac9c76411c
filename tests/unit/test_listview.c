/* Tests of panels/listview: what every list panel (Experiments, runs, Registry, Samples, Audit)
 * gets from it around its table — n/N under a / filter that hides the rest move to the
 * next/previous match and say where on the message line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "panels/listview.h"

static const char *const names[] = {"churn-weekly", "fraud-detection", "search-ranking",
                                    "churn-daily", "Default"};
#define NNAMES (sizeof names / sizeof names[0])

static const struct table_col cols[] = {{"NAME", 8, 0, TEXT_LEFT, TABLE_SORT_TEXT}};

static const char *name_cell(void *ctx, size_t row, int col, char *buf, size_t n)
{
	(void)ctx, (void)col, (void)buf, (void)n;
	return names[row];
}

static char note[64];
static int notes;

static void on_notify(void *app, const char *msg)
{
	(void)app;
	snprintf(note, sizeof note, "%s", msg);
	notes++;
}

static void test_next_match_in_hide_mode(void **state)
{
	struct table_source src = {.cell = name_cell};
	struct panel_env env = {.rows = 10, .cols = 40, .notify = on_notify};
	struct listview lv;
	struct err e = {0};
	(void)state;
	listview_init(&lv, table_new(cols, 1, &src));
	assert_int_equal(table_set_rows(lv.table, NNAMES), 0);
	listview_layout(&lv, &env, 0);
	table_recalc(lv.table);
	/* no filter: n is not the list's, and says nothing */
	assert_int_equal(listview_key(&lv, 'n'), PANEL_IGNORED);
	assert_int_equal(notes, 0);
	/* "churn" matches rows 0 and 3; the others are hidden */
	assert_int_equal(listview_filter(&lv, "churn", &e), 0);
	assert_int_equal(table_count(lv.table), 2);
	assert_int_equal(listview_key(&lv, 'n'), PANEL_HANDLED);
	assert_string_equal(note, "match 2 of 2");
	size_t row = 9;
	assert_true(table_cursor(lv.table, &row));
	assert_int_equal(row, 3);
	assert_int_equal(listview_key(&lv, 'n'), PANEL_HANDLED); /* wraps to the first */
	assert_string_equal(note, "match 1 of 2");
	assert_int_equal(listview_key(&lv, 'N'), PANEL_HANDLED); /* and back to the last */
	assert_string_equal(note, "match 2 of 2");
	assert_int_equal(notes, 3);
	/* another key of the table says nothing */
	assert_int_equal(listview_key(&lv, 'k'), PANEL_HANDLED);
	assert_int_equal(notes, 3);
	listview_fini(&lv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_next_match_in_hide_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
