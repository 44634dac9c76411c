/* kserve_patch.h: the two patch formats the Kubernetes API server takes for custom resources:
 * JSON merge patch (RFC 7386: null deletes, objects merge, anything else replaces) and JSON
 * Patch (RFC 6902: add, remove, replace, move, copy, test on JSON pointers). */
#ifndef MLTOP_SIM_KSERVE_PATCH_H
#define MLTOP_SIM_KSERVE_PATCH_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Merges patch into target (taken) and returns the result. */
cJSON *kserve_patch_merge(cJSON *target, const cJSON *patch);
/* Applies the operations (an array) to *doc in order. Returns 0, or -1 with why filled (the
 * document is then partly patched: apply to a copy). */
int kserve_patch_json(cJSON **doc, const cJSON *ops, char *why, size_t cap);

#endif
