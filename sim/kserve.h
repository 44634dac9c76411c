/* kserve.h: the KServe InferenceService v1beta1 subset of mltop-sim (docs/wire-formats.md, KServe):
 *   GET   /apis/serving.kserve.io/v1beta1/namespaces/{ns}/inferenceservices   (labelSelector=)
 *   GET   /apis/serving.kserve.io/v1beta1/namespaces/{ns}/inferenceservices/{name}
 *   PATCH the same, as application/merge-patch+json, application/json-patch+json or
 *         application/apply-patch+yaml (a JSON body, merged); any other type: 415
 * One InferenceService per deployment of serving.h in namespace "models", tag routing on. A PATCH
 * answers the stored object with the status as it was: the controller (kserve_ctl.h) reconciles
 * afterwards, in world time. Errors are Kubernetes Status objects, in the API server's order:
 * 400 (undecodable patch), 404, 405, 409 (a stale metadata.resourceVersion), 415, 422 (the CRD
 * schema: a field of the wrong type; a JSON Patch that does not apply), and 403 from KServe's
 * validating webhook (canaryTrafficPercent outside 0..100, a change of deployment mode). */
#ifndef MLTOP_SIM_KSERVE_H
#define MLTOP_SIM_KSERVE_H

#include "sim/sim.h"

int kserve_route(const struct sim_req *req, struct sim_resp *resp);

#endif
