/* loop: the one event loop — keys, due polls, curl, recalc, draw, then one wait in
 * curl_multi_poll on the network and stdin, bounded by the next due poll and a 1 s tick. */
#ifndef MLTOP_LOOP_H
#define MLTOP_LOOP_H

#include <stdint.h>

struct app;
struct screen;

/* Interactive: runs until q, :q, a quit signal or stdin hang-up. Returns the exit status. */
int loop_run(struct app *a, struct screen *sc);

/* Headless: polls (no keys) until every configured source has answered once and no panel is
 * busy, or until deadline_ms (absolute, on a->now_ms). Returns 1 when everything answered. */
int loop_settle(struct app *a, int64_t deadline_ms);

#endif
