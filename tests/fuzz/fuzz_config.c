/* fuzz_config: the configuration file parser (clients/config.h, clients/config_ini.c) on
 * arbitrary files: the input is written to a temporary file and loaded as `mltop -c FILE`, then
 * every context is resolved, every model and query read, and the --info description written.
 * The environment is emptied of what config_load reads (XDG_* point into a temporary directory,
 * no MLFLOW_TRACKING_*, no in-cluster KServe), so that only the file is under test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "support.h"

static char path[128], sa_dir[128];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static const char *const unset[] = {"MLFLOW_TRACKING_URI",
	                                    "MLFLOW_TRACKING_TOKEN",
	                                    "MLFLOW_TRACKING_USERNAME",
	                                    "MLFLOW_TRACKING_PASSWORD",
	                                    "MLFLOW_TRACKING_INSECURE_TLS",
	                                    "MLFLOW_TRACKING_SERVER_CERT_PATH",
	                                    "KUBERNETES_SERVICE_HOST",
	                                    "KUBERNETES_SERVICE_PORT",
	                                    "NO_COLOR"};
	for (size_t i = 0; i < sizeof unset / sizeof unset[0]; i++)
		unsetenv(unset[i]);
	const char *dir = fuzz_tmpdir();
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	setenv("HOME", dir, 1);
	snprintf(path, sizeof path, "%s/config.ini", dir);
	snprintf(sa_dir, sizeof sa_dir, "%s/no-serviceaccount", dir);
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

static void read_back(struct config *cfg)
{
	for (size_t i = 0; i < config_context_count(cfg); i++) {
		struct err e;
		struct context *ctx = config_context_resolve(cfg, config_context_name(cfg, i), &e);
		config_describe(cfg, ctx, NULL, devnull);
		config_context_free(&ctx);
	}
	for (size_t i = 0; i < config_model_count(cfg); i++) {
		const struct config_model *m = config_model_at(cfg, i);
		FUZZ_CHECK(m->n_canary_steps <= sizeof m->canary_steps / sizeof m->canary_steps[0]);
		FUZZ_CHECK(config_model_find(cfg, m->name) != NULL);
	}
	static const char *const queries[] = {"rps", "error_ratio", "p50", "p95", "p99", "drift"};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		const char *q = config_query(cfg, queries[i]);
		free(q ? config_query_expand(q, "churn\"\\\n", NULL) : NULL);
	}
	for (size_t i = 0; i < config_warning_count(cfg); i++)
		FUZZ_CHECK(config_warning(cfg, i) != NULL);
	config_metric_direction(cfg, "auc");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, f) == size);
	FUZZ_CHECK(fclose(f) == 0);

	struct config_args a = {.config_file = path};
	struct err e;
	struct config *cfg = config_load(&a, sa_dir, &e);
	if (cfg) {
		read_back(cfg);
		config_free(&cfg);
		FUZZ_CHECK(cfg == NULL);
	} else {
		FUZZ_CHECK(e.msg[0] != '\0');
	}
	return 0;
}
