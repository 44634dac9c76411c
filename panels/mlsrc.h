/* mlsrc: the MLflow client of a panel, wired to the context (URL, auth) and to the cache: every
 * body the client fetches is filed under (context, MLflow server, "mlflow", key), and the
 * restore functions of clients/mlflow_cache.h read them back through mlsrc_get, so that a panel
 * draws from the cache at once on start and then refreshes in the background. The server is in
 * the key: another server's answers are never read back, whether this one answers or not. */
#ifndef MLTOP_MLSRC_H
#define MLTOP_MLSRC_H

#include <stddef.h>
#include <stdint.h>

#include "clients/cache.h"
#include "clients/cache_server.h"
#include "clients/mlflow.h"
#include "clients/mlflow_cache.h"
#include "panels/panel.h"

/* A new client for the context's MLflow, or NULL when MLflow is not configured (e says so) or
 * memory ran out. Free with mlflow_free. */
struct mlflow *mlsrc_client(const struct panel_env *env, struct err *e);

/* Sets which rows of the eval tables m loads fail: text is an eval_failure rule of the config
 * ("prediction != label", "score < 0.5"); NULL leaves m's rule as it is. mlsrc_client sets the
 * context's. 0, or ERR_CONFIG / ERR_NOMEM with e filled. */
int mlsrc_eval_rule(struct mlflow *m, const char *text, struct err *e);

/* The cache scope of the context's MLflow server for source ("mlflow", "ui"), its server
 * identity (cache_server_id of the URL; the demo's simulator has one of its own) written into
 * server (cap bytes, CACHE_SERVER_MAX will do). Returns 0, or -1 when there is no cache or no
 * MLflow URL: nothing is then read or filed. */
int mlsrc_scope(const struct panel_env *env, const char *source, char *server, size_t cap,
                struct cache_scope *out);

/* The same for the server at url (another source of the context: failed samples over HTTP). */
int mlsrc_scope_of(const struct panel_env *env, const char *url, const char *source, char *server,
                   size_t cap, struct cache_scope *out);

/* mlflow_get_fn over the cache; ud is the panel_env. */
int mlsrc_get(void *ud, const char *key, char **body, size_t *len, int64_t *fetched_ms);

/* Reports an operation's final event to the scheduler (health of the mlflow source) and returns
 * whether the answer is current (sched_done's verdict). */
int mlsrc_done(const struct panel_env *env, int job, uint64_t gen, const struct mlflow_event *ev);

#endif
