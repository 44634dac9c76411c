/* kserve.h: the KServe InferenceService v1beta1 subset of mltop-sim (docs/wire-formats.md, KServe):
 *   GET   /apis/serving.kserve.io/v1beta1/namespaces/{ns}/inferenceservices   (labelSelector=)
 *   GET   /apis/serving.kserve.io/v1beta1/namespaces/{ns}/inferenceservices/{name}
 *   PATCH the same, Content-Type application/merge-patch+json only (others: 415)
 * One InferenceService per deployment of serving.h in namespace "models", tag routing on.
 * A new storageUri makes a new revision (the registry version whose source it is); the traffic
 * follows the v0.14 controller: canaryTrafficPercent P gives the latest revision P % and the
 * last rolled-out one the rest, 0 rolls back, absent (null) or 100 promotes. The split is handed
 * to serving_set_split. Errors are Kubernetes Status objects (404, 405, 409, 415, 422). */
#ifndef MLTOP_SIM_KSERVE_H
#define MLTOP_SIM_KSERVE_H

#include "sim/sim.h"

void kserve_init(void);
int kserve_route(const struct sim_req *req, struct sim_resp *resp);

#endif
