#include "tui/keys.h"

#include <curses.h>

/* k9s / less / vim habits. Rows with a NULL label are aliases: they act but are listed on the
 * row of the same action above them. Rows with key -1 are listed only: keys that the panels' lists
 * or the terminal handle. */
static const struct key_binding table[] = {
    {-1, "j/k", "move (Up Down PgUp PgDn g G Home End; the mouse wheel)", ACT_NONE, 0},
    {'?', "?", "help for this panel", ACT_HELP, 1},
    {':', ":", "command line (:experiments … :audit, :ctx, :theme, :q)", ACT_COMMAND, 1},
    {'/', "/", "filter by regex (!re inverts, n/N next/previous match)", ACT_FILTER, 1},
    {'r', "r Ctrl-R", "refresh now", ACT_REFRESH, 0},
    {CTRL('r'), NULL, NULL, ACT_REFRESH, 0},
    {'\t', "Tab ]", "next panel", ACT_NEXT_TAB, 0},
    {']', NULL, NULL, ACT_NEXT_TAB, 0},
    {KEY_BTAB, "Shift-Tab [", "previous panel", ACT_PREV_TAB, 0},
    {'[', NULL, NULL, ACT_PREV_TAB, 0},
    {'1', "1-6", "go to panel 1 … 6", ACT_TAB1, 0},
    {'2', NULL, NULL, ACT_TAB2, 0},
    {'3', NULL, NULL, ACT_TAB3, 0},
    {'4', NULL, NULL, ACT_TAB4, 0},
    {'5', NULL, NULL, ACT_TAB5, 0},
    {'6', NULL, NULL, ACT_TAB6, 0},
    {27, "Esc", "back / close", ACT_BACK, 0},
    {CTRL('l'), "Ctrl-L", "redraw the screen", ACT_REDRAW, 0},
    {-1, "Ctrl-Z", "suspend to the shell (fg comes back)", ACT_NONE, 0},
    {'q', "q Ctrl-C", "quit", ACT_QUIT, 1},
    {CTRL('c'), NULL, NULL, ACT_QUIT, 0},
};

enum action keys_action(int key)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].key == key && key >= 0)
			return table[i].act;
	return ACT_NONE;
}

const struct key_binding *keys_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}
