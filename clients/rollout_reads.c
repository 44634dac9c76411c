#include "clients/rollout_reads.h"

#include <stdlib.h>
#include <string.h>

#include "clients/kserve.h"
#include "clients/mlflow.h"
#include "clients/mlflow_write.h"
#include "clients/rollout_audit.h"

void rollout_reads_fini(struct rollout_reads *rd)
{
	if (rd->kserve && rd->op_isvc > 0)
		kserve_cancel(rd->kserve, rd->op_isvc);
	long ops[] = {rd->op_model, rd->op_versions, rd->op_server, rd->op_alias};
	for (size_t i = 0; rd->mlflow && i < 4; i++)
		if (ops[i] > 0)
			mlflow_cancel(rd->mlflow, ops[i]);
	kserve_isvcs_free(&rd->isvcs);
	mlflow_models_free(&rd->models);
	mlflow_versions_free(&rd->versions);
	struct rollout_reads keep = {
	    .kserve = rd->kserve, .mlflow = rd->mlflow, .done = rd->done, .ud = rd->ud};
	*rd = keep;
}

static void read_failed(struct rollout_reads *rd, const char *what, const struct err *e)
{
	if (!rd->err.code)
		err_set(&rd->err, e && e->code ? e->code : ERR_HTTP, "%s: %s", what,
		        e ? e->msg : "failed");
}

static void one_done(struct rollout_reads *rd)
{
	if (--rd->pending == 0)
		rd->done(rd->ud);
}

static void on_isvc(void *ud, struct kserve_event *ev)
{
	struct rollout_reads *rd = ud;
	rd->op_isvc = 0;
	if (ev->rc < 0) {
		read_failed(rd, "reading the InferenceService", ev->err);
	} else {
		rd->isvcs = ev->isvcs;
		ev->isvcs = NULL;
	}
	one_done(rd);
}

static void on_mlflow(void *ud, struct mlflow_event *ev)
{
	struct rollout_reads *rd = ud;
	if (!ev->done)
		return;
	if (ev->op == rd->op_alias) {
		rd->op_alias = 0;
		rd->alias_status = ev->http_status;
	} else if (ev->op == rd->op_server) {
		rd->op_server = 0;
		rd->have_server = ev->rc == 0;
		rd->server = ev->version;
	} else if (ev->op == rd->op_model) {
		rd->op_model = 0;
		if (ev->rc < 0)
			read_failed(rd, "reading the registered model", ev->err);
		rd->models = ev->models;
		ev->models = NULL;
	} else {
		rd->op_versions = 0;
		if (ev->rc < 0)
			read_failed(rd, "reading the model's versions", ev->err);
		rd->versions = ev->versions;
		ev->versions = NULL;
	}
	one_done(rd);
}

/* Counts a started request (op > 0); op < 0 stops the starting. */
static long started(struct rollout_reads *rd, long *slot, long op)
{
	if (op > 0) {
		*slot = op;
		rd->pending++;
	}
	return op;
}

int rollout_reads_start(struct rollout_reads *rd, const char *isvc, const char *model,
                        struct err *e)
{
	rollout_reads_fini(rd);
	struct mlflow *m = rd->mlflow;
	long op = 0;
	rd->pending = 1; /* held until every read is started */
	if (rd->kserve)
		op = started(rd, &rd->op_isvc, kserve_get(rd->kserve, isvc, on_isvc, rd, e));
	if (op >= 0 && m)
		op = started(rd, &rd->op_model, mlflow_get_model(m, model, on_mlflow, rd, e));
	if (op >= 0 && m)
		op = started(rd, &rd->op_versions, mlflow_versions(m, model, on_mlflow, rd, e));
	if (op >= 0 && m)
		op = started(rd, &rd->op_server, mlflow_server_version(m, on_mlflow, rd, e));
	if (op >= 0 && m)
		op = started(rd, &rd->op_alias,
		             mlflow_get_alias(m, model, "champion", on_mlflow, rd, e));
	rd->pending--;
	if (op < 0) {
		rollout_reads_fini(rd);
		return (int)op;
	}
	return 0;
}

/* Aliases when the model shows one, or when the alias endpoint answers (200, or 400 for an
 * alias the model does not have); not when it is not there (404); else when the server is
 * 2.3.0 or later. */
static int have_aliases(const struct rollout_reads *rd, const struct mlflow_registered_model *m)
{
	if ((m && m->naliases) || rd->alias_status == 200 || rd->alias_status == 400)
		return 1;
	if (rd->alias_status == 404)
		return 0;
	if (!rd->have_server || rd->server.old)
		return 0;
	return rd->server.major > 2 || (rd->server.major == 2 && rd->server.minor >= 3);
}

/* The registry's guess at the champion before current: a version still in Production that is
 * not it (aliases moved, stages left), else the one archived last, else the newest below it. */
static const char *registry_prev(const struct mlflow_versions *l, const char *current)
{
	const struct mlflow_model_version *prod = NULL, *arch = NULL, *below = NULL;
	long long cur = current ? atoll(current) : 0;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct mlflow_model_version *v = &l->items[i];
		const char *stage = v->current_stage ? v->current_stage : "";
		if (!v->version || (current && strcmp(v->version, current) == 0))
			continue;
		if (strcmp(stage, "Production") == 0 && !prod)
			prod = v;
		if (strcmp(stage, "Archived") == 0 &&
		    (!arch || v->last_updated_timestamp > arch->last_updated_timestamp))
			arch = v;
		if (atoll(v->version) < cur &&
		    (!below || atoll(v->version) > atoll(below->version)))
			below = v;
	}
	return prod ? prod->version : arch ? arch->version : below ? below->version : NULL;
}

void rollout_reads_state(const struct rollout_reads *rd, struct cache *cache, const char *context,
                         const char *model, struct rollout_state *st, char **prev)
{
	const struct kserve_isvcs *k = rd->isvcs;
	const struct mlflow_registered_model *m =
	    rd->models && rd->models->n ? &rd->models->items[0] : NULL;
	memset(st, 0, sizeof *st);
	st->isvc = k && k->n ? &k->v[0] : NULL;
	st->model = m;
	st->versions = rd->versions;
	st->registry_aliases = have_aliases(rd, m);
	const char *cur = rollout_champion(st);
	*prev = rollout_audit_prev_champion(cache, context, model, cur);
	if (!*prev && registry_prev(rd->versions, cur))
		*prev = strdup(registry_prev(rd->versions, cur));
	st->prev_champion = *prev;
}
