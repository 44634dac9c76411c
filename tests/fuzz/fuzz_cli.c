/* fuzz_cli: the command line parser (config_args_parse in clients/cli.c) on arbitrary argument
 * vectors: the input split at NUL bytes is argv[1..]. A command line that parses is then loaded
 * (flags merged over an empty environment and no file) and its default context resolved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/config.h"
#include "support.h"

#define MAX_ARGS 32

static char sa_dir[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = fuzz_tmpdir();
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	setenv("HOME", dir, 1);
	unsetenv("MLFLOW_TRACKING_URI");
	unsetenv("KUBERNETES_SERVICE_HOST");
	snprintf(sa_dir, sizeof sa_dir, "%s/no-serviceaccount", dir);
	return 0;
}

/* A -c FILE is left out: it could name any file (fuzz_config covers the file parser). */
static void load(const struct config_args *a)
{
	struct err e;
	if (a->config_file)
		return;
	struct config *cfg = config_load(a, sa_dir, &e);
	if (!cfg)
		return;
	struct context *ctx = config_context_resolve(cfg, NULL, &e);
	config_context_free(&ctx);
	config_free(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_strndup(data, size);
	const char *piece[MAX_ARGS];
	size_t len[MAX_ARGS];
	size_t n = fuzz_split((const uint8_t *)copy, size, piece, len, MAX_ARGS - 2);
	char *argv[MAX_ARGS];
	argv[0] = "mltop";
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = (char *)piece[i]; /* NUL-terminated: the split points at NULs */
	argv[n + 1] = NULL;

	struct config_args a;
	struct err e;
	memset(&a, 0, sizeof a);
	if (config_args_parse(&a, (int)n + 1, argv, &e) == 0) {
		FUZZ_CHECK(a.n_scrape == 0 || a.scrape != NULL);
		load(&a);
	} else {
		FUZZ_CHECK(e.msg[0] != '\0');
	}
	config_args_fini(&a);
	free(copy);
	return 0;
}
