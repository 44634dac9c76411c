/* keys: the one table of global keys. The ? help screen and the footer are generated from it
 * (and from each panel's hints), so what is shown is what works. */
#ifndef MLTOP_KEYS_H
#define MLTOP_KEYS_H

#include <stddef.h>

enum action {
	ACT_NONE,
	ACT_QUIT,
	ACT_HELP,
	ACT_COMMAND,
	ACT_FILTER,
	ACT_REFRESH,
	ACT_NEXT_TAB,
	ACT_PREV_TAB,
	ACT_TAB1,
	ACT_TAB2,
	ACT_TAB3,
	ACT_TAB4,
	ACT_TAB5,
	ACT_TAB6,
	ACT_BACK,
	ACT_REDRAW,
};

struct key_binding {
	int key;           /* curses key code or character */
	const char *label; /* as shown: "Tab", "1-6", "Ctrl-R" */
	const char *help;
	enum action act;
	int footer; /* shown on the footer line */
};

#define CTRL(c) ((c)&0x1f)

/* The action of a global key, ACT_NONE when it has none. */
enum action keys_action(int key);

/* The table, for the help screen: one row per distinct label. */
const struct key_binding *keys_table(size_t *n);

#endif
