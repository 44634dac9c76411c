/* test_config_mlflow: the MLflow keys of a context that only the MLflow client reads:
 * mlflow_static_prefix, the server's --static-prefix, kept as "/p" whatever slashes the file
 * gives it, and absent when the context has none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/config.h"

static const char ini[] = "[context.a]\nmlflow = http://m:1\nmlflow_static_prefix = mlflow/\n"
                          "[context.b]\nmlflow = http://m:2\n"
                          "[context.c]\nmlflow = http://m:3\nmlflow_static_prefix = /ml/x\n";

static void test_mlflow_static_prefix(void **state)
{
	static const struct {
		const char *ctx, *want;
	} cases[] = {{"a", "/mlflow"}, {"b", NULL}, {"c", "/ml/x"}};
	char path[] = "/tmp/mltop-config-mlflow-XXXXXX";
	int fd = mkstemp(path);
	struct config_args a;
	struct err e = {0};
	char *argv[] = {"mltop", "-c", path, NULL};

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ini, sizeof ini - 1), (ssize_t)(sizeof ini - 1));
	close(fd);
	unsetenv("MLFLOW_TRACKING_URI");
	assert_int_equal(config_args_parse(&a, 3, argv, &e), 0);
	struct config *cfg = config_load(&a, "/nonexistent", &e);
	config_args_fini(&a);
	unlink(path);
	assert_non_null(cfg);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct context *c = config_context_resolve(cfg, cases[i].ctx, &e);
		assert_non_null(c);
		if (cases[i].want)
			assert_string_equal(c->mlflow_static_prefix, cases[i].want);
		else
			assert_null(c->mlflow_static_prefix);
		config_context_free(&c);
	}
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mlflow_static_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
