/* test_hook_config: promote_cmd, canary_cmd, rollback_cmd and hook_timeout in a context and in
 * [model.NAME]: checked when the file is loaded (a quote left open names the file, the line and
 * the key), resolved into a rollout's settings with the model's commands overriding the
 * context's, split into argv without a shell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/config.h"
#include "clients/rollout_settings.h"

static char dir[64], file[128], sa[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mltop-test-hookcfg-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof file, "%s/config.ini", dir);
	snprintf(sa, sizeof sa, "%s/sa", dir);
	mkdir(sa, 0700);
	unsetenv("MLFLOW_TRACKING_URI");
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(file);
	rmdir(sa);
	return rmdir(dir);
}

static struct config *load(const char *text, struct err *e)
{
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct config_args a;
	char *argv[] = {"mltop", "-c", file, NULL};
	assert_int_equal(config_args_parse(&a, 3, argv, e), 0);
	struct config *cfg = config_load(&a, sa, e);
	config_args_fini(&a);
	return cfg;
}

static void test_hooks_resolved(void **state)
{
	(void)state;
	struct err e = {0};
	struct config *cfg = load("[context.prod]\n"
	                          "mlflow = http://127.0.0.1:1\n"
	                          "canary_cmd = /opt/hooks/argo 'set image' \"a b\"\n"
	                          "rollback_cmd = /opt/hooks/argo undo\n"
	                          "hook_timeout = 30\n"
	                          "[model.churn]\n"
	                          "rollback_cmd = /opt/hooks/churn-undo --hard\n"
	                          "hook_timeout = 5\n",
	                          &e);
	if (!cfg)
		fprintf(stderr, "%s\n", e.msg);
	assert_non_null(cfg);
	struct context *ctx = config_context_resolve(cfg, "prod", &e);
	assert_non_null(ctx);
	assert_string_equal(ctx->canary_cmd, "/opt/hooks/argo 'set image' \"a b\"");
	assert_int_equal(ctx->hook_timeout_ms, 30000);
	const struct config_model *m = config_model_find(cfg, "churn");
	assert_non_null(m);
	struct rollout_hooks h;
	assert_int_equal(rollout_hooks_init(&h, ctx, m, &e), 0);
	assert_null(h.s.promote_cmd);
	assert_string_equal(h.s.canary_cmd[1], "set image");
	assert_string_equal(h.s.canary_cmd[2], "a b");
	assert_null(h.s.canary_cmd[3]);
	assert_string_equal(h.s.rollback_cmd[0], "/opt/hooks/churn-undo");
	assert_string_equal(h.s.rollback_cmd[1], "--hard");
	assert_int_equal(h.s.hook_timeout_ms, 5000);
	assert_string_equal(h.s.context, "prod");
	assert_ptr_equal(h.s.model, m);
	rollout_hooks_fini(&h);
	/* a model without a section of its own: the context's */
	assert_int_equal(rollout_hooks_init(&h, ctx, NULL, &e), 0);
	assert_string_equal(h.s.rollback_cmd[1], "undo");
	assert_int_equal(h.s.hook_timeout_ms, 30000);
	rollout_hooks_fini(&h);
	config_context_free(&ctx);
	config_free(&cfg);
}

static void test_bad_hook_refused_at_load(void **state)
{
	(void)state;
	struct err e = {0};
	assert_null(load("[model.churn]\ncanary_cmd = deploy 'oops\n", &e));
	char want[256];
	snprintf(want, sizeof want, "%s:2: 'canary_cmd' in [model.churn]: a quote is not closed",
	         file);
	assert_string_equal(e.msg, want);
	assert_null(load("[context.x]\nmlflow = http://127.0.0.1:1\npromote_cmd = go\\\n", &e));
	assert_non_null(strstr(e.msg, ":3: 'promote_cmd' in [context.x]: a backslash at the end"));
	assert_null(load("[context.x]\nhook_timeout = -1\n", &e));
	assert_non_null(strstr(e.msg, "'hook_timeout' in [context.x]"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hooks_resolved, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_hook_refused_at_load, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
