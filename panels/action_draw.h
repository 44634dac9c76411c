/* action_draw: the write dialog (panels/action.h) drawn as a frame over the panel: the plan's
 * steps (summary, method and path, the body cut to the width, what each expects) and, while it
 * runs or after, each step's state with its HTTP status and the first line of a failed answer;
 * the plan that undoes it; the live figures and the canary verdict of both versions; the alerts
 * firing for the target; and on the last lines what the operator is asked. Every text from a
 * server is sanitized before it is drawn. */
#ifndef MLTOP_ACTION_DRAW_H
#define MLTOP_ACTION_DRAW_H

#include "panels/action.h"

void action_draw(const struct action_ui *a, WINDOW *w, const struct theme *t);

/* Where the terminal cursor goes in a body of rows x cols while the dialog asks for something
 * typed (the model's name, override, a reason): 1 with (*y, *x), else 0. */
int action_draw_cursor(const struct action_ui *a, int rows, int cols, int *y, int *x);

#endif
