/* rollout_reads: one read of all a rollout plan is built from, every request at once and
 * without blocking: the InferenceService (KServe), the registered model with its aliases, its
 * versions, the MLflow server's version and a probe of the alias endpoint (which tell a
 * registry with aliases from one with stages only). done is called once every answer is in. */
#ifndef MLTOP_ROLLOUT_READS_H
#define MLTOP_ROLLOUT_READS_H

#include "clients/err.h"
#include "clients/mlflow_types.h"
#include "clients/rollout.h"

struct kserve;
struct mlflow;
struct cache;
struct kserve_isvcs;

struct rollout_reads {
	/* set by the owner, kept by rollout_reads_fini */
	struct kserve *kserve; /* NULL: no KServe */
	struct mlflow *mlflow; /* NULL: no registry */
	void (*done)(void *ud);
	void *ud;
	/* the read in progress and its answers */
	int pending;
	long op_isvc, op_model, op_versions, op_server, op_alias;
	long alias_status; /* of the probe of the champion alias: 200, 400 (no such alias), 404 */
	struct kserve_isvcs *isvcs;
	struct mlflow_models *models;
	struct mlflow_versions *versions;
	struct mlflow_server_version server;
	int have_server;
	struct err err; /* the first failure */
};

/* Starts every read (of the InferenceService isvc and the registered model model) after
 * dropping any earlier one. 0, then done once pending falls to 0 (never from here: with
 * nothing started, pending is 0 at once and the caller goes on); < 0 with e when a request
 * could not start (nothing in flight then). */
int rollout_reads_start(struct rollout_reads *rd, const char *isvc, const char *model,
                        struct err *e);
/* Cancels what is in flight and frees the answers. */
void rollout_reads_fini(struct rollout_reads *rd);

/* The state the answers show (pointers into rd). prev (malloc'd, the caller frees) is the
 * champion before the current one: from the audit log in cache (the last promotion of model in
 * context, when it made the current champion), else the registry's guess (a version still in
 * Production that is not the champion, else the one archived last, else the newest below). */
void rollout_reads_state(const struct rollout_reads *rd, struct cache *cache, const char *context,
                         const char *model, struct rollout_state *st, char **prev);

#endif
