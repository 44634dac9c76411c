/* action_keys: the keys of the write dialog (panels/action.h) in each of its states: y / n to
 * confirm below 100 % of traffic, the model's name or `override` and a reason typed, Esc to hide
 * a plan being written, r / u after a failure part-way, the planner's list. */
#ifndef MLTOP_ACTION_KEYS_H
#define MLTOP_ACTION_KEYS_H

#include "panels/action.h"

/* One key while action_modal(a); is_key: a KEY_* code. */
enum panel_rc action_keys_key(struct action_ui *a, wint_t ch, int is_key);

/* The keys of the dialog's current state, {NULL}-terminated, for the footer and the help. */
const struct keyhint *action_keys_hints(const struct action_ui *a);

#endif
