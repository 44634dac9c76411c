/* demo: `mltop --demo` starts the bundled simulator (mltop-sim) on a free loopback port as a
 * child that dies with mltop, even when mltop crashes (PR_SET_PDEATHSIG), and hands back its URL.
 */
#ifndef MLTOP_DEMO_H
#define MLTOP_DEMO_H

#include <stddef.h>
#include <sys/types.h>

#include "clients/err.h"

struct demo {
	pid_t pid;
	char url[128]; /* "http://127.0.0.1:PORT" */
	char mlflow[160], scrape[160], samples[160];
};

/* Finds mltop-sim beside the mltop binary (or on PATH), starts it, and waits up to 5 s for its
 * "listening on URL" line. */
int demo_start(struct demo *d, struct err *e);
void demo_stop(struct demo *d);

#endif
