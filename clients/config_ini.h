/* config_ini: the INI file of mltop read through inih, into the private struct config that
 * clients/config.c and clients/config_ini.c share (nothing else includes this header). */
#ifndef MLTOP_CONFIG_INI_H
#define MLTOP_CONFIG_INI_H

#include <stddef.h>
#include <stdint.h>

#include "clients/config.h"
#include "clients/err.h"

/* [queries]: the six PromQL templates, then the names the serving clients use (label names,
 * the rate window, the metric names of a direct scrape), in the order of config.c's table. */
#define CONFIG_NQUERIES   14
#define CONFIG_NTEMPLATES 6
#define CONFIG_MAX_FILE   (1 << 20)

/* [context.NAME] as the file has it. */
struct config_ctx_def {
	char *name;
	int line; /* of its first [context.NAME] header */
	uint32_t seen;
	char *url[SRC_COUNT]; /* mlflow, prometheus, alertmanager, kserve */
	char **scrape;
	size_t n_scrape;
	char *namespace, *samples;
	int readonly, danger, insecure;
	int64_t refresh_ms;
	char *token_file[SRC_COUNT]; /* mlflow, prometheus, alertmanager, kserve */
	char *mlflow_username, *mlflow_password_file, *ca_file;
	char *mlflow_static_prefix;
	char *promote_cmd, *canary_cmd, *rollback_cmd;
	int64_t hook_timeout_ms;
	char *eval_failure;
};

/* A [model.NAME] section: the strings are owned here (own) and lent to m, whose fields are
 * const for its readers; config_ini_models_publish lends them once the file is read. */
struct config_model_strs {
	char *name, *deployment, *registered, *metric;
	char *promote_cmd, *canary_cmd, *rollback_cmd, *eval_failure;
};
struct config_model_def {
	struct config_model m;
	struct config_model_strs own;
	int line;
	uint32_t seen;
};

/* MLFLOW_TRACKING_* as read at load time. */
struct config_env {
	char *uri, *token, *username, *password, *cert;
	int insecure;
};

struct config {
	char *path, *themes_dir, *sa_dir, *start;
	int found;
	struct config_args args; /* a copy: its strings point into args_text */
	char *args_text;
	struct config_general general;
	uint32_t general_seen, queries_seen;
	int general_context_line;
	int general_theme_line; /* where [general] theme was set, 0: not in the file */
	struct config_ctx_def *ctxs;
	size_t n_ctxs;
	struct config_model_def *models;
	size_t n_models;
	char *queries[CONFIG_NQUERIES];
	char **warnings;
	size_t n_warnings;
	struct config_env env;
};

/* Reads cfg->path into cfg (a missing file is fine unless required). 0 or < 0 with e filled:
 * "FILE:LINE: unknown key 'foo' in [general]". */
int config_ini_parse(struct config *cfg, int required, struct err *e);

struct config_ctx_def *config_ini_ctx_find(struct config *cfg, const char *name);
struct config_ctx_def *config_ini_ctx_add(struct config *cfg, const char *name);

#endif
