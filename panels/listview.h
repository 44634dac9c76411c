/* listview: what every list panel does the same way around its table — the / filter (compiled
 * once, the old one kept when the new pattern is invalid), the footer status, the table's keys
 * and mouse clicks, and the error line shown above a list when its source failed. */
#ifndef MLTOP_LISTVIEW_H
#define MLTOP_LISTVIEW_H

#include "panels/panel.h"
#include "tui/widgets/filter.h"
#include "tui/widgets/prompt.h"
#include "tui/widgets/sortpick.h"
#include "tui/widgets/table.h"

/* The keys every list has, for a panel's hints: {"Enter", …}, LISTVIEW_HINTS, {NULL, NULL, 0}. */
#define LISTVIEW_HINTS                                                                             \
	{"s", "sort by a column", 1}, {"S", "reverse the sort", 0},                                \
	    {"< >", "sort column left / right", 0},                                                \
	{                                                                                          \
		"h/l", "scroll sideways", 0                                                        \
	}

struct listview {
	struct table *table;
	struct filter *filter;       /* owned; NULL: none */
	struct sortpick pick;        /* the sort column picker (s) */
	const struct panel_env *env; /* kept by listview_layout, for the messages of n/N */
};

/* The table is created by the caller (columns and source are the panel's). */
void listview_init(struct listview *lv, struct table *t);
void listview_fini(struct listview *lv);

/* Applies pattern ("" clears). On an invalid pattern returns ERR_PARSE with PCRE2's message and
 * offset in e, and the previous filter stays. */
int listview_filter(struct listview *lv, const char *pattern, struct err *e);

/* The pattern in force, "" for none. */
const char *listview_pattern(const struct listview *lv);

/* "212 of 1,840 match · row 3" with a filter, "row 12 of 1,840" without. */
void listview_status(const struct listview *lv, char *buf, size_t n);

/* Tells the table its size: the body less `top` lines the panel keeps for itself (in recalc),
 * and keeps env for the messages of the list keys. */
void listview_layout(struct listview *lv, const struct panel_env *env, int top);

/* The list keys: s opens the sort column picker, which then takes every key until it closes;
 * the others go to the table (move, mark, S, < >, n/N). n/N under a filter move to the
 * next/previous match and say where on the message line: "match 3 of 17". */
enum panel_rc listview_key(struct listview *lv, int key);

/* The picker is open: the panel hands it every key (Esc included) before its own. */
int listview_modal(const struct listview *lv);

/* A click at line y of the body, the table drawn from line `top`: selects that row. */
enum panel_rc listview_click(struct listview *lv, int top, int y);

/* Draws the table in the whole window, below `top` lines the panel keeps for itself. */
void listview_draw(const struct listview *lv, WINDOW *w, int top, const struct theme *t);

/* A panel's own one-line editor (a server filter, a file name) on the last line of the body:
 * label, then the prompt. */
void listview_prompt_draw(WINDOW *w, const struct theme *t, const char *label,
                          const struct prompt *p);
/* Where the terminal cursor goes while that editor is open (the panel's cursor op). */
void listview_prompt_cursor(const struct panel_env *env, const char *label, const struct prompt *p,
                            int *y, int *x);

#endif
