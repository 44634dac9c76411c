/* serving_canary: the canary view of a deployment. Canary and stable side by side per figure,
 * and the verdict of clients/canary.h with every number it used: the requests and errors over
 * the rate window (rps x window, error ratio x requests), z and its p-value, the p95 ratio and
 * the rule's thresholds, so that the operator can check it by hand. */
#ifndef MLTOP_SERVING_CANARY_H
#define MLTOP_SERVING_CANARY_H

#include "clients/canary.h"
#include "panels/panel.h"
#include "panels/serving_data.h"

/* The verdict on d's canary over a window of window_s seconds; 0, or -1 when d has no canary. */
int serving_canary_judge(const struct serving_dep *d, double window_s, struct canary_result *r);

/* Draws the view of d from line y of w. */
void serving_canary_draw(WINDOW *w, int y, const struct theme *t, const struct serving_dep *d,
                         double window_s, int utf8);

#endif
