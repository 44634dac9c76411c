/* probe: the health of a configured source that no panel polls (so the header shows every
 * source's state from the start): a cheap GET of the source's health URL on the scheduler. */
#ifndef MLTOP_PROBE_H
#define MLTOP_PROBE_H

#include <stdint.h>

#include "clients/config.h"
#include "clients/http.h"
#include "clients/sched.h"

struct probe;

/* Probes every source configured in ctx whose bit (1u << SRC_…) is not in skip. */
struct probe *probe_new(struct http *h, struct sched *s, const struct context *ctx, unsigned skip,
                        int64_t interval_ms);
void probe_free(struct probe **p);

#endif
