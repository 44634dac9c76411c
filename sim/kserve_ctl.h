/* kserve_ctl.h: the KServe controller of mltop-sim: the InferenceServices as stored (metadata and
 * spec), their revisions, and the status the controller writes, reconcile after reconcile, in
 * world time.
 *
 * What it imitates (the v0.14 serverless reconciler, the Knative route under it, and the status
 * propagation):
 *   - a change of the predictor (canaryTrafficPercent aside), of the annotations or of the labels
 *     makes a new revision; it gets ready after the readiness delay, or, when its storageUri is
 *     the source of no registry version, fails after that delay (Ready False, RevisionFailed,
 *     BlockedByFailedLoad) and never receives traffic;
 *   - traffic: with canaryTrafficPercent P and a rolled-out revision, the latest entry gets P %
 *     and the rolled-out one 100-P % (tagged prev, omitted at 100); else the latest entry 100 %.
 *     The latest entry routes to the latest READY revision, so before the canary is ready both
 *     entries name the rolled-out one;
 *   - "rolled out" moves only when the latest ready revision serves 100 %; a prev entry that
 *     names the latest ready revision which is also the rolled-out one (a rollback after a
 *     promotion) moves latestRolledoutRevision back to previousRolledoutRevision, and the next
 *     reconcile routes the prev entry there;
 *   - each reconcile that changes the status bumps resourceVersion, like the controller's own
 *     status writes; a change schedules another reconcile shortly after, until nothing moves;
 *   - raw deployment mode (annotation serving.kserve.io/deploymentMode: RawDeployment): no
 *     traffic in the status, canaryTrafficPercent ignored, a new storageUri replaces the old one
 *     once ready (a rolling update).
 * The serving world's split (serving_set_split) follows the resolved traffic. */
#ifndef MLTOP_SIM_KSERVE_CTL_H
#define MLTOP_SIM_KSERVE_CTL_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "sim/serving.h"
#include "sim/sim.h"

#define KSERVE_CTL_MAX_REVS   64
#define KSERVE_CTL_MODE_ANNOT "serving.kserve.io/deploymentMode"
#define KSERVE_CTL_RAW        "RawDeployment"
#define KSERVE_CTL_TAG_ANNOT  "serving.kserve.io/enable-tag-routing"
/* The delay between a reconcile that changed the status and the next one. */
#define KSERVE_CTL_RECONCILE_MS 500

struct kserve_ctl_rev {
	char name[96];
	int num;                   /* the name's number, from 1 */
	int version;               /* serving version index; -1 when it names none (it fails) */
	int64_t created_ms;        /* when the controller made it */
	int64_t ready_ms, fail_ms; /* when it gets ready or fails (INT64_MAX: never) */
};

struct kserve_ctl_entry {
	int rev;     /* revision number */
	int percent; /* 0..100 */
	int latest;  /* latestRevision: true */
};

enum kserve_ctl_state { KSERVE_CTL_READY, KSERVE_CTL_IN_PROGRESS, KSERVE_CTL_FAILED };

struct kserve_isvc {
	struct serving_dep *dep;
	cJSON *obj;  /* apiVersion, kind, metadata, spec as stored (no status) */
	cJSON *tmpl; /* what the latest revision was made from */
	struct kserve_ctl_rev revs[KSERVE_CTL_MAX_REVS];
	int n_revs, next_rev;
	int ready, rolled, prev_rolled; /* revision numbers, 0: none */
	struct kserve_ctl_entry traffic[2];
	int n_traffic;
	int raw;
	enum kserve_ctl_state state;
	long generation, observed, rv;
	int64_t created_ms, state_ms, next_ms; /* next_ms: the next reconcile (INT64_MAX: none) */
};

/* Builds one InferenceService per deployment of the serving world; revisions get ready
 * ready_ms after they are made; the one named raw_name (or none: NULL) runs in raw deployment
 * mode. Returns 0, or -1 when no deployment is named raw_name. */
int kserve_ctl_init(int64_t ready_ms, const char *raw_name);
/* Runs the reconciles due at or before now. */
void kserve_ctl_tick(int64_t now);

int kserve_ctl_count(void);
struct kserve_isvc *kserve_ctl_at(int i);
/* A revision by number, or NULL. */
const struct kserve_ctl_rev *kserve_ctl_rev(const struct kserve_isvc *s, int num);
/* In namespace ns, by name; NULL when there is none. */
struct kserve_isvc *kserve_ctl_find(const char *ns, const char *name);
/* The newest resourceVersion handed out (an InferenceServiceList's). */
long kserve_ctl_list_rv(void);

/* Stores next (taken) as the object after a write at now: generation when the
 * spec changed, resourceVersion when anything did, and a reconcile due at once. */
void kserve_ctl_store(struct kserve_isvc *s, cJSON *next, int64_t now);
/* The predictor of an object, and what the spec says. */
cJSON *kserve_ctl_predictor(const cJSON *obj);
const char *kserve_ctl_storage_uri(const cJSON *obj);
/* canaryTrafficPercent, or -1 when absent. */
long kserve_ctl_canary(const cJSON *obj);
/* An annotation's value, or "" when absent or not a string. */
const char *kserve_ctl_annotation(const cJSON *obj, const char *key);

#endif
