/* Tests of tui/widgets/table: sort, filter, cursor, marks, keys, and golden screens. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/screen.h"
#include "tui/widgets/table.h"

struct run {
	const char *name, *status;
	double auc;
	long dur_s;
	const char *user;
};

static const struct run runs[] = {
    {"dazzling-owl-12", "FINISHED", 0.912, 3720, "ana"},
    {"brave-fox-7", "FINISHED", 0.934, 4100, "bo"},
    {"quiet-elk-3", "RUNNING", NAN, 65, "chen"},
    {"eager-ant-9", "FAILED", 0.884, 12, "ana"},
    {"calm-yak-2", "FINISHED", 0.905, 7300, "\xE4\xB8\xAD\xE6\x96\x87\xE5\x90\x8D"},
    {"a-very-long-run-name-that-does-not-fit-anywhere-near-its-column", "FINISHED", 0.912, 400,
     "dee"},
    {"\xE6\xA8\xA1\xE5\x9E\x8B\xE8\xAE\xAD\xE7\xBB\x83-\xE5\xAE\x9E\xE9\xAA\x8C", "KILLED", NAN, 5,
     "bo"},
    {"zesty-gnu-1", "FINISHED", 0.7, 3 * 86400, "eve"},
};
#define NRUNS (sizeof(runs) / sizeof(runs[0]))

enum { C_NAME, C_STATUS, C_AUC, C_DUR, C_USER };

static const struct table_col cols[] = {
    {"NAME", 12, 0, TEXT_LEFT, TABLE_SORT_TEXT}, {"STATUS", 8, 10, TEXT_LEFT, TABLE_SORT_TEXT},
    {"AUC", 6, 8, TEXT_RIGHT, TABLE_SORT_NUM},   {"DURATION", 8, 10, TEXT_RIGHT, TABLE_SORT_NUM},
    {"USER", 6, 12, TEXT_LEFT, TABLE_SORT_TEXT},
};

static char hay[NRUNS][256];
static int cell_calls;

static const char *run_cell(void *ctx, size_t row, int col, char *buf, size_t bufsz)
{
	const struct run *r = &((const struct run *)ctx)[row];

	cell_calls++;
	switch (col) {
	case C_NAME:
		return r->name;
	case C_STATUS:
		return r->status;
	case C_AUC:
		if (isnan(r->auc))
			return NULL;
		snprintf(buf, bufsz, "%.3f", r->auc);
		return buf;
	case C_DUR:
		return text_duration(buf, bufsz, (int64_t)r->dur_s * 1000);
	default:
		return r->user;
	}
}

static double run_num(void *ctx, size_t row, int col)
{
	const struct run *r = &((const struct run *)ctx)[row];

	return col == C_AUC ? r->auc : (double)r->dur_s;
}

static const char *run_hay(void *ctx, size_t row, size_t *len)
{
	(void)ctx;
	*len = strlen(hay[row]);
	return hay[row];
}

static enum role run_role(void *ctx, size_t row)
{
	const struct run *r = &((const struct run *)ctx)[row];

	if (strcmp(r->status, "FAILED") == 0)
		return ROLE_CRIT;
	return strcmp(r->status, "KILLED") == 0 ? ROLE_MUTED : ROLE_NORMAL;
}

static struct table *new_runs_table(void)
{
	struct table_source src = {(void *)runs, run_cell, run_num, run_hay, run_role};
	struct table *t;

	for (size_t i = 0; i < NRUNS; i++)
		snprintf(hay[i], sizeof(hay[i]), "%s %s %s", runs[i].name, runs[i].status,
		         runs[i].user);
	t = table_new(cols, 5, &src);
	assert_non_null(t);
	assert_int_equal(table_set_rows(t, NRUNS), 0);
	table_set_size(t, 10, 80);
	assert_int_equal(table_recalc(t), 0);
	return t;
}

/* The view as a string of data row indexes, "3 1 0 ...". */
static const char *view_str(const struct table *t)
{
	static char buf[256];
	size_t i, row, n = 0;

	buf[0] = '\0';
	for (i = 0; table_row_at(t, i, &row); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%zu", i ? " " : "", row);
	return buf;
}

static size_t cursor_row(const struct table *t)
{
	size_t row = SIZE_MAX;

	assert_true(table_cursor(t, &row));
	return row;
}

static void test_data_order_and_sorts(void **state)
{
	struct table *t = new_runs_table();

	(void)state;
	assert_string_equal(view_str(t), "0 1 2 3 4 5 6 7");
	table_set_sort(t, C_AUC, false);
	table_recalc(t);
	/* stable: 0 and 5 tie at 0.912 and keep data order; NaN rows 2 and 6 last */
	assert_string_equal(view_str(t), "7 3 4 0 5 1 2 6");
	table_set_sort(t, C_AUC, true);
	table_recalc(t);
	assert_string_equal(view_str(t), "1 0 5 4 3 7 2 6");
	table_set_sort(t, C_NAME, false);
	table_recalc(t);
	assert_string_equal(view_str(t), "5 1 4 0 3 2 7 6");
	table_set_sort(t, C_USER, false);
	table_recalc(t);
	assert_string_equal(view_str(t), "0 3 1 6 2 5 7 4");
	table_set_sort(t, -1, false);
	table_recalc(t);
	assert_string_equal(view_str(t), "0 1 2 3 4 5 6 7");
	table_free(&t);
	assert_null(t);
}

/* A new sort shows the top of the new order, and the position follows the cursor. */
static void test_sort_shows_top_and_position(void **state)
{
	struct table *t = new_runs_table();
	char st[64];

	(void)state;
	table_set_size(t, 5, 80);
	assert_string_equal(table_position(t, st, sizeof(st)), "row 1 of 8");
	table_key(t, 'G');
	assert_string_equal(table_position(t, st, sizeof(st)), "row 8 of 8");
	assert_true(table_key(t, 's'));
	assert_true(table_cursor(t, &(size_t){0}));
	assert_string_equal(table_position(t, st, sizeof(st)), "row 1 of 8");
	table_key(t, 'j');
	table_key(t, 'j');
	assert_true(table_key(t, 'S'));
	assert_string_equal(table_position(t, st, sizeof(st)), "row 1 of 8");
	struct filter *f = filter_new("nothing-matches-this", NULL);
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_string_equal(table_position(t, st, sizeof(st)), "no rows");
	int col = table_sort_col(t);
	bool rev = table_sort_reverse(t);
	table_set_filter(t, NULL, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_int_equal(table_sort_col(t), col); /* the sort survives a filter that matched none */
	assert_true(table_sort_reverse(t) == rev);
	filter_free(&f);
	table_free(&t);
}

static void test_filter_hide_and_status(void **state)
{
	struct table *t = new_runs_table();
	struct filter *f = filter_new("finished", NULL);
	char st[64];

	(void)state;
	assert_string_equal(table_status(t, st, sizeof(st)), "8 rows");
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_string_equal(view_str(t), "0 1 4 5 7");
	assert_int_equal(table_count(t), 5);
	assert_int_equal(table_matches(t), 5);
	assert_string_equal(table_status(t, st, sizeof(st)), "5 of 8 match");
	/* n/N in hide mode: every row shown matches, so the next/previous row, wrapping; the
	 * view is rows 0 1 4 5 7 (the FINISHED runs, in data order) */
	assert_string_equal(table_match_position(t, st, sizeof(st)), "match 1 of 5");
	assert_true(table_key(t, 'n'));
	assert_int_equal(cursor_row(t), 1);
	assert_string_equal(table_match_position(t, st, sizeof(st)), "match 2 of 5");
	assert_true(table_key(t, 'N'));
	assert_true(table_key(t, 'N')); /* from the first to the last */
	assert_int_equal(cursor_row(t), 7);
	assert_string_equal(table_match_position(t, st, sizeof(st)), "match 5 of 5");
	filter_free(&f);
	f = filter_new("!finished", NULL);
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_string_equal(view_str(t), "2 3 6");
	filter_free(&f);
	f = filter_new("nothing-matches-this", NULL);
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_int_equal(table_count(t), 0);
	assert_false(table_cursor(t, &(size_t){0}));
	assert_string_equal(table_status(t, st, sizeof(st)), "0 of 8 match");
	assert_true(table_key(t, 'n')); /* nothing to move to, nothing breaks */
	assert_string_equal(table_match_position(t, st, sizeof(st)), "no match");
	table_set_filter(t, NULL, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_int_equal(table_count(t), 8);
	assert_false(table_key(t, 'n')); /* no filter: n is not the table's */
	assert_string_equal(table_match_position(t, st, sizeof(st)), "no match");
	filter_free(&f);
	table_free(&t);
}

static void test_filter_highlight_next_prev(void **state)
{
	struct table *t = new_runs_table();
	struct filter *f = filter_new("ana|eve", NULL);

	(void)state;
	table_set_filter(t, f, TABLE_FILTER_HIGHLIGHT);
	table_recalc(t);
	assert_int_equal(table_count(t), 8);
	assert_int_equal(table_matches(t), 3);
	assert_int_equal(cursor_row(t), 0);
	assert_true(table_key(t, 'n'));
	assert_int_equal(cursor_row(t), 3);
	assert_true(table_key(t, 'n'));
	assert_int_equal(cursor_row(t), 7);
	assert_true(table_key(t, 'n')); /* wraps */
	assert_int_equal(cursor_row(t), 0);
	assert_true(table_key(t, 'N'));
	assert_int_equal(cursor_row(t), 7);
	/* the matches are rows 0 (ana), 3 (ana) and 7 (eve) */
	char st[32];
	assert_string_equal(table_match_position(t, st, sizeof(st)), "match 3 of 3");
	assert_true(table_key(t, 'N'));
	assert_int_equal(cursor_row(t), 3);
	assert_string_equal(table_match_position(t, st, sizeof(st)), "match 2 of 3");
	assert_true(table_key(t, 'j')); /* row 4, calm-yak-2: not a match */
	assert_string_equal(table_match_position(t, st, sizeof(st)), "no match");
	table_free(&t);
	filter_free(&f);
}

static void test_cursor_follows_row(void **state)
{
	struct table *t = new_runs_table();
	struct filter *f = filter_new("[a-z]-[0-9]", NULL);

	(void)state;
	assert_true(table_key(t, 'j'));
	assert_true(table_key(t, KEY_DOWN));
	assert_int_equal(cursor_row(t), 2);
	table_set_sort(t, C_NAME, true);
	table_recalc(t);
	assert_int_equal(cursor_row(t), 2); /* same row after a re-sort */
	assert_true(table_select_row(t, 4));
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_int_equal(cursor_row(t), 4); /* and after a filter */
	/* the data shrinks and the cursor's row goes: the cursor stays in range */
	assert_true(table_select_row(t, 7));
	assert_int_equal(table_set_rows(t, 5), 0);
	table_recalc(t);
	assert_true(cursor_row(t) < 5);
	assert_false(table_select_row(t, 7));
	table_free(&t);
	filter_free(&f);
}

static void test_moves_and_paging(void **state)
{
	struct table *t = new_runs_table();

	(void)state;
	table_set_size(t, 4, 80); /* three rows a page */
	assert_true(table_key(t, 'G'));
	assert_int_equal(cursor_row(t), 7);
	assert_true(table_key(t, 'j')); /* stays at the end */
	assert_int_equal(cursor_row(t), 7);
	assert_true(table_key(t, 'g'));
	assert_int_equal(cursor_row(t), 0);
	assert_true(table_key(t, 'k'));
	assert_int_equal(cursor_row(t), 0);
	assert_true(table_key(t, KEY_NPAGE));
	assert_int_equal(cursor_row(t), 3);
	assert_true(table_key(t, KEY_END));
	assert_true(table_key(t, KEY_PPAGE));
	assert_int_equal(cursor_row(t), 4);
	assert_true(table_key(t, KEY_HOME));
	assert_int_equal(cursor_row(t), 0);
	/* a click on line 2 of the table (the header is line 0) */
	assert_true(table_click(t, 2));
	assert_int_equal(cursor_row(t), 1);
	assert_false(table_click(t, 0));
	assert_false(table_click(t, 9));
	assert_false(table_key(t, 'x'));
	table_free(&t);
}

static void test_marks_by_row(void **state)
{
	struct table *t = new_runs_table();

	(void)state;
	assert_true(table_key(t, ' '));
	assert_true(table_key(t, 'j'));
	assert_true(table_key(t, ' '));
	assert_true(table_marked(t, 0));
	assert_false(table_marked(t, 1));
	assert_true(table_marked(t, 2));
	assert_int_equal(table_marked_count(t), 2);
	assert_int_equal(cursor_row(t), 3); /* Space moves down */
	table_set_sort(t, C_AUC, false);
	table_recalc(t);
	assert_true(table_marked(t, 0));
	assert_true(table_marked(t, 2));
	table_mark(t, 2, false);
	assert_int_equal(table_marked_count(t), 1);
	table_mark(t, 7, true);
	assert_int_equal(table_set_rows(t, 5), 0); /* row 7 goes */
	assert_int_equal(table_marked_count(t), 1);
	assert_int_equal(table_set_rows(t, 8), 0);
	assert_false(table_marked(t, 7)); /* and does not come back */
	table_clear_marks(t);
	assert_int_equal(table_marked_count(t), 0);
	assert_false(table_marked(t, 0));
	table_free(&t);
}

static void test_sort_keys(void **state)
{
	struct table *t = new_runs_table();

	(void)state;
	assert_int_equal(table_sort_col(t), -1);
	assert_true(table_key(t, 's'));
	assert_int_equal(table_sort_col(t), C_NAME);
	assert_true(table_key(t, 's'));
	assert_int_equal(table_sort_col(t), C_STATUS);
	assert_true(table_key(t, '>'));
	assert_int_equal(table_sort_col(t), C_AUC);
	assert_true(table_key(t, 'S'));
	assert_true(table_sort_reverse(t));
	assert_string_equal(view_str(t), "1 0 5 4 3 7 2 6");
	assert_true(table_key(t, '<'));
	assert_int_equal(table_sort_col(t), C_STATUS);
	assert_true(table_sort_reverse(t)); /* < and > keep the direction */
	assert_true(table_key(t, '>'));
	assert_true(table_key(t, '>'));
	assert_true(table_key(t, '>'));
	assert_int_equal(table_sort_col(t), C_USER); /* no wrap */
	assert_true(table_key(t, 's'));
	assert_int_equal(table_sort_col(t), C_NAME); /* s wraps */
	table_free(&t);
}

static char *draw(const struct table *t, int ncols, int rows)
{
	char *dump;

	screen_close(); /* in case a failed test left one open */
	assert_int_equal(screen_open(ncols, rows), 0);
	table_draw(t, stdscr, 0, 0, rows, ncols, NULL);
	dump = screen_dump(stdscr);
	assert_non_null(dump);
	return dump;
}

static void test_golden_80x24(void **state)
{
	struct table *t = new_runs_table();
	struct filter *f = filter_new("fox|ana", NULL);
	char *dump;

	(void)state;
	table_set_size(t, 24, 80);
	table_set_sort(t, C_AUC, true);
	table_recalc(t);
	table_mark(t, 4, true);
	table_mark(t, 3, true);
	assert_true(table_select_row(t, 5));
	table_set_filter(t, f, TABLE_FILTER_HIGHLIGHT);
	table_recalc(t);
	dump = draw(t, 80, 24);
	assert_int_equal(screen_golden("table_80x24", dump), 0);
	/* the header row, the cursor row (data row 5 is third: 1 0 5 ...), matches */
	assert_true(screen_attr(stdscr, 0, 2) & A_BOLD);
	assert_true(screen_attr(stdscr, 3, 2) & A_REVERSE);
	assert_false(screen_attr(stdscr, 2, 2) & A_REVERSE);
	assert_true(screen_attr(stdscr, 1, 7) & A_UNDERLINE); /* "fox" in brave-fox-7 */
	assert_false(screen_attr(stdscr, 1, 2) & A_UNDERLINE);
	free(dump);
	screen_close();
	table_free(&t);
	filter_free(&f);
}

static void test_golden_120x40(void **state)
{
	struct table *t = new_runs_table();
	char *dump;

	(void)state;
	table_set_size(t, 40, 120);
	table_set_sort(t, C_NAME, false);
	table_recalc(t);
	assert_true(table_key(t, ' '));
	dump = draw(t, 120, 40);
	assert_int_equal(screen_golden("table_120x40", dump), 0);
	free(dump);
	screen_close();
	table_free(&t);
}

static void test_golden_hscroll_ascii(void **state)
{
	struct table *t = new_runs_table();
	struct filter *f = filter_new("RUN", NULL);
	char *dump;

	(void)state;
	table_set_size(t, 8, 36);
	table_set_ascii(t, true);
	table_set_frozen(t, 1);
	table_set_sort(t, C_DUR, false);
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	dump = draw(t, 36, 8);
	assert_int_equal(screen_golden("table_36x8_filtered", dump), 0);
	free(dump);
	screen_close();
	table_set_filter(t, NULL, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_true(table_key(t, 'l'));
	assert_true(table_key(t, KEY_RIGHT));
	dump = draw(t, 36, 8);
	assert_int_equal(screen_golden("table_36x8_scrolled", dump), 0);
	free(dump);
	screen_close();
	table_free(&t);
	filter_free(&f);
}

static void test_top_follows_cursor_row(void **state)
{
	struct table *t = new_runs_table();
	struct filter *f = filter_new("zzz", NULL);
	char *dump;

	(void)state;
	table_set_size(t, 4, 80); /* three rows a page */
	assert_true(table_key(t, 'G'));
	assert_true(table_key(t, 'k'));
	/* rows 5 6 7 shown, cursor on row 6 at screen line 2 */
	table_set_sort(t, C_NAME, false); /* 5 1 4 0 3 2 7 6: row 6 last */
	table_recalc(t);
	dump = draw(t, 40, 4);
	assert_true(screen_attr(stdscr, 3, 2) & A_REVERSE); /* as far down as it can be */
	assert_non_null(strstr(dump, "zesty-gnu-1"));
	free(dump);
	screen_close();
	table_set_sort(t, C_DUR, false); /* 6 3 2 5 0 1 4 7: row 6 first */
	table_recalc(t);
	dump = draw(t, 40, 4);
	assert_true(screen_attr(stdscr, 1, 2) & A_REVERSE);
	free(dump);
	screen_close();
	/* a filter that hides everything leaves a note, not a blank */
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	dump = draw(t, 40, 4);
	assert_string_equal(dump, " NAME         STATUS      AUC DURATION▲\n no match\n\n\n");
	free(dump);
	screen_close();
	table_free(&t);
	filter_free(&f);
}

static void test_set_cols_and_wide_highlight(void **state)
{
	static const struct table_col two[] = {{"NAME", 12, 0, TEXT_LEFT, TABLE_SORT_TEXT},
	                                       {"STATUS", 8, 0, TEXT_LEFT, TABLE_SORT_TEXT}};
	struct table *t = new_runs_table();
	struct filter *f = filter_new("\xE8\xAE\xAD\xE7\xBB\x83", NULL); /* 训练 */
	char *dump;

	(void)state;
	table_set_sort(t, C_STATUS, false);
	table_recalc(t);
	assert_int_equal(table_set_cols(t, two, 2), 0);
	assert_int_equal(table_sort_col(t), C_STATUS); /* still a column: kept */
	assert_int_equal(table_set_cols(t, two, 0), -1);
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_string_equal(view_str(t), "6");
	dump = draw(t, 30, 3);
	assert_non_null(strstr(dump, " \xE6\xA8\xA1\xE5\x9E\x8B\xE8\xAE\xAD")); /* 模型训 */
	/* 模 and 型 take cells 1-4, the match 训练 cells 5-8 */
	assert_false(screen_attr(stdscr, 1, 3) & A_UNDERLINE);
	assert_true(screen_attr(stdscr, 1, 5) & A_UNDERLINE);
	assert_true(screen_attr(stdscr, 1, 7) & A_UNDERLINE);
	assert_false(screen_attr(stdscr, 1, 9) & A_UNDERLINE);
	free(dump);
	screen_close();
	table_free(&t);
	filter_free(&f);
}

/* The golden helper itself: missing fails, UPDATE_GOLDEN=1 writes, a difference fails. */
static void test_golden_helper(void **state)
{
	char dir[] = "/tmp/mltop-golden-XXXXXX", path[128];
	const char *upd = getenv("UPDATE_GOLDEN");
	bool updating = upd && strcmp(upd, "1") == 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tests", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/tests/golden", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	setenv("MLTOP_SRCDIR", dir, 1);
	unsetenv("UPDATE_GOLDEN");
	assert_int_equal(screen_golden("probe", "a\nb\n"), -1);
	setenv("UPDATE_GOLDEN", "1", 1);
	assert_int_equal(screen_golden("probe", "a\nb\n"), 0);
	unsetenv("UPDATE_GOLDEN");
	assert_int_equal(screen_golden("probe", "a\nb\n"), 0);
	assert_int_equal(screen_golden("probe", "a\nc\n"), -1);
	unsetenv("MLTOP_SRCDIR");
	if (updating)
		setenv("UPDATE_GOLDEN", "1", 1);
	snprintf(path, sizeof(path), "%s/tests/golden/probe.txt", dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/tests/golden", dir);
	assert_int_equal(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/tests", dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* A panel with 100,000 rows: drawing asks only for the visible cells. */
static const char *big_cell(void *ctx, size_t row, int col, char *buf, size_t bufsz)
{
	(void)ctx;
	cell_calls++;
	snprintf(buf, bufsz, "%s-%zu", col ? "v" : "run", row);
	return buf;
}

static double big_num(void *ctx, size_t row, int col)
{
	(void)ctx;
	(void)col;
	return (double)(row % 1000);
}

static void test_draw_touches_visible_rows_only(void **state)
{
	static const struct table_col bc[] = {{"NAME", 10, 0, TEXT_LEFT, TABLE_SORT_TEXT},
	                                      {"V", 6, 0, TEXT_RIGHT, TABLE_SORT_NUM}};
	struct table_source src = {NULL, big_cell, big_num, NULL, NULL};
	struct table *t = table_new(bc, 2, &src);
	struct filter *f = filter_new("run-9999", NULL);
	char *dump, st[64];

	(void)state;
	assert_int_equal(table_set_rows(t, 100000), 0);
	table_set_sort(t, 1, true);
	table_set_filter(t, f, TABLE_FILTER_HIDE);
	table_set_size(t, 24, 80);
	assert_int_equal(table_recalc(t), 0);
	assert_int_equal(table_matches(t), 11); /* 9999 and 99990..99999 */
	assert_string_equal(table_status(t, st, sizeof(st)), "11 of 100,000 match");
	table_set_filter(t, NULL, TABLE_FILTER_HIDE);
	table_recalc(t);
	assert_true(table_key(t, KEY_END));
	cell_calls = 0;
	dump = draw(t, 80, 24);
	/* 23 rows of 2 columns, each asked at most three times (the decimals of a number column,
	 * the widths, the drawing): never more than the page, whatever the row count. */
	assert_true(cell_calls <= 23 * 2 * 3);
	assert_non_null(strstr(dump, "run-99000"));
	free(dump);
	screen_close();
	table_free(&t);
	filter_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_data_order_and_sorts),
	    cmocka_unit_test(test_sort_shows_top_and_position),
	    cmocka_unit_test(test_filter_hide_and_status),
	    cmocka_unit_test(test_filter_highlight_next_prev),
	    cmocka_unit_test(test_cursor_follows_row),
	    cmocka_unit_test(test_moves_and_paging),
	    cmocka_unit_test(test_marks_by_row),
	    cmocka_unit_test(test_sort_keys),
	    cmocka_unit_test(test_golden_80x24),
	    cmocka_unit_test(test_golden_120x40),
	    cmocka_unit_test(test_golden_hscroll_ascii),
	    cmocka_unit_test(test_top_follows_cursor_row),
	    cmocka_unit_test(test_set_cols_and_wide_highlight),
	    cmocka_unit_test(test_draw_touches_visible_rows_only),
	    cmocka_unit_test(test_golden_helper),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
