/* kserve_parse: the decoders of KServe InferenceService v1beta1 bodies (a list, one object) and
 * of the Kubernetes Status error body, into plain C structs the caller owns. No I/O: a panel
 * restoring from the cache and the fuzzers call them directly.
 *
 * Strings live in the list's arena as the server sent them (never NULL: "" when absent); whoever
 * draws them sanitizes them. Traffic entries keep the server's order: pick them with
 * kserve_traffic_latest / kserve_traffic_prev (by latestRevision and tag), never by position. */
#ifndef MLTOP_KSERVE_PARSE_H
#define MLTOP_KSERVE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/kvlist.h"

struct http_resp;

struct kserve_traffic {
	const char *revision_name;
	int64_t percent;     /* -1 when absent */
	int latest_revision; /* 1, 0, or -1 when absent */
	const char *tag;     /* "latest", "prev", or "" */
	const char *url;
};

struct kserve_condition {
	const char *type;   /* Ready, PredictorReady, LatestDeploymentReady, … */
	const char *status; /* "True", "False", "Unknown" */
	const char *reason;
	const char *message;
	int64_t last_transition_ms; /* 0 when absent */
};

struct kserve_isvc {
	/* metadata: resourceVersion goes back in a merge-patch for optimistic locking */
	const char *name;
	const char *ns;
	const char *uid; /* another one when the InferenceService is deleted and made again */
	const char *resource_version;
	int64_t generation; /* 0 when absent */
	/* metadata.managedFields: who made the newest change of the object that was not a status
	 * write (its manager: "kubectl-edit", "argocd-controller", …) and when (RFC 3339 as sent);
	 * "" when the server did not say */
	const char *changed_by, *changed_at;
	struct kvlist annotations;
	struct kvlist labels;
	/* spec.predictor */
	const char *framework;    /* "model" for the model: form, else the older key ("sklearn") */
	const char *model_format; /* model.modelFormat.name, or the framework key */
	const char *model_format_version; /* model.modelFormat.version */
	const char *storage_uri;
	const char *runtime;
	int64_t canary_percent; /* spec.predictor.canaryTrafficPercent, -1 when absent */
	/* serving.kserve.io/deploymentMode or status.deploymentMode ("Serverless",
	 * "RawDeployment");
	 * "" when neither says: canaries only work in Serverless mode */
	const char *deployment_mode;
	/* status */
	const char *url;
	int64_t observed_generation; /* -1 when absent; not comparable to generation */
	const char *latest_ready;    /* status.components.predictor.latestReadyRevision */
	const char *latest_created;
	const char *latest_rolledout;
	const char *previous_rolledout;
	const char *predictor_url;
	const char *transition_status; /* status.modelStatus.transitionStatus */
	struct kserve_traffic *traffic;
	size_t ntraffic;
	struct kserve_condition *conditions;
	size_t nconditions;
};

struct kserve_isvcs {
	struct arena *arena;
	struct kserve_isvc *v;
	size_t n;
	size_t skipped;               /* items that were not objects, fields of the wrong type */
	const char *resource_version; /* of the list ("" for one object) */
};

/* A Kubernetes Status body (kind "Status"); strings cut to fit. */
struct kserve_status {
	char status[16]; /* "Failure" */
	char reason[64]; /* NotFound, Conflict, Forbidden, Invalid, … */
	char message[400];
	long code; /* 0 when absent */
};

struct kserve_isvcs *kserve_isvcs_new(void);
void kserve_isvcs_free(struct kserve_isvcs **l);

/* Appends the items of an InferenceServiceList, or the one InferenceService of a GET by name
 * (told apart by "items"), to out. ERR_PARSE when the body is not a JSON object, or is a
 * Status. */
int kserve_parse(const char *body, size_t len, struct kserve_isvcs *out, struct err *e);

/* 0 when body is a Status object (st filled), 1 otherwise. */
int kserve_parse_status(const char *body, size_t len, struct kserve_status *st);

/* The one line of a failed answer into e: "KServe 409 Conflict: Operation cannot be fulfilled
 * on inferenceservices.serving.kserve.io \"x\": the object has been modified", "KServe 401
 * Unauthorized", "KServe: connection refused …". Returns the negative code. */
int kserve_error(struct err *e, const struct http_resp *r);

/* The entry with latestRevision true, the one tagged "prev" (else the first with
 * latestRevision false); NULL when there is none. */
const struct kserve_traffic *kserve_traffic_latest(const struct kserve_isvc *s);
const struct kserve_traffic *kserve_traffic_prev(const struct kserve_isvc *s);
/* The condition of that type, or NULL. */
const struct kserve_condition *kserve_condition(const struct kserve_isvc *s, const char *type);

#endif
