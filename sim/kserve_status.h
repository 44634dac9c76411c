/* kserve_status.h: what mltop-sim's KServe shows of an InferenceService: the status block the
 * controller writes (revisions, traffic with its tags and URLs, conditions, modelStatus,
 * deploymentMode), the whole object as GET answers it, and the end state for tests. */
#ifndef MLTOP_SIM_KSERVE_STATUS_H
#define MLTOP_SIM_KSERVE_STATUS_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "sim/kserve_ctl.h"

#define KSERVE_STATUS_API "serving.kserve.io/v1beta1"

/* metav1.Time (RFC3339 in whole seconds) under key. */
void kserve_status_add_time(cJSON *o, const char *key, int64_t ms);
/* The status block. */
cJSON *kserve_status_json(const struct kserve_isvc *s);
/* The whole object: metadata (with resourceVersion and generation), spec, status. */
cJSON *kserve_status_object(const struct kserve_isvc *s);
/* The end state for tests, one object per InferenceService: name, storageUri,
 * canaryTrafficPercent (null when absent), resourceVersion, generation, deploymentMode, the
 * revision names, the traffic (each entry with the version it serves) and the split per
 * version. */
cJSON *kserve_status_state(void);

#endif
