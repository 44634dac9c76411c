/* partage: the age line of a panel whose data comes in parts (registry models and versions;
 * serving metrics and InferenceServices), each with its fetch time, whether it came from the
 * cache, and its last error: "updated 4s ago", "cached 3m ago", "stale: data from 5m ago". */
#ifndef MLTOP_PARTAGE_H
#define MLTOP_PARTAGE_H

#include <stddef.h>
#include <stdint.h>

#include "panels/registry_src.h"
#include "themes/theme.h"

/* The oldest fetch time of parts[0..n) (0: none), and in *cached whether one is from the
 * cache. */
int64_t partage_time(const struct registry_part_state *parts, int n, int *cached);

/* The age line of parts[0..n) at now_ms into buf, and its role. failed: a part shown has an
 * error (the data is stale); waiting: what to say before any data ("waiting for MLflow"). */
enum role partage_text(const struct registry_part_state *parts, int n, int failed, int64_t now_ms,
                       const char *waiting, char *buf, size_t size);

#endif
