/* test_config_demo: --demo runs in a context "demo" of its own, after the file's (which stay
 * reachable), never in "default" nor in a context of the user's; the flags the demo sets are its
 * URLs, and no credential of the environment goes to the simulator. */
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

#define END ((char *)NULL) /* the end of load's list */

static char dir[] = "/tmp/mltop-config-demo-XXXXXX";
static char file[64], mine[64]; /* two contexts; one named demo */

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof file, "%s/config.ini", dir);
	snprintf(mine, sizeof mine, "%s/demo.ini", dir);
	FILE *f = fopen(file, "w"), *g = fopen(mine, "w");
	if (!f || !g)
		return -1;
	fputs("[context.a]\nmlflow = http://file:5000\n[context.b]\nmlflow = http://file-b:5000\n",
	      f);
	fputs("[context.demo]\nmlflow = http://mine:5000\n", g);
	fclose(f);
	fclose(g);
	setenv("XDG_CONFIG_HOME", dir, 1); /* no config.ini of the user's below it */
	setenv("XDG_CACHE_HOME", dir, 1);
	unsetenv("MLFLOW_TRACKING_URI");
	setenv("MLFLOW_TRACKING_TOKEN", "tok-env", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(file);
	unlink(mine);
	return rmdir(dir);
}

/* config_load of argv (NULL-terminated after "mltop"); NULL with e on error. */
static struct config *load(struct err *e, ...)
{
	char *argv[16] = {"mltop"};
	int argc = 1;
	va_list ap;
	va_start(ap, e);
	for (char *s; argc < 15 && (s = va_arg(ap, char *));)
		argv[argc++] = s;
	va_end(ap);
	struct config_args a;
	assert_int_equal(config_args_parse(&a, argc, argv, e), 0);
	struct config *cfg = config_load(&a, "/nonexistent", e);
	config_args_fini(&a);
	return cfg;
}

static void test_demo_alone(void **state)
{
	struct err e = {0};
	(void)state;
	struct config *cfg = load(&e, "--demo", "--mlflow", "http://127.0.0.1:4321", END);
	assert_non_null(cfg);
	assert_int_equal(config_context_count(cfg), 1); /* no "default" */
	assert_string_equal(config_context_name(cfg, 0), "demo");
	assert_string_equal(config_context_default(cfg), "demo");
	struct context *c = config_context_resolve(cfg, NULL, &e);
	assert_non_null(c);
	assert_string_equal(c->name, "demo");
	assert_true(c->demo);
	assert_string_equal(c->src[SRC_MLFLOW].url, "http://127.0.0.1:4321");
	assert_int_equal(c->src[SRC_MLFLOW].kind,
	                 AUTH_NONE); /* MLFLOW_TRACKING_TOKEN is not sent */
	assert_null(c->src[SRC_MLFLOW].secret);
	config_context_free(&c);
	config_free(&cfg);
	/* without --demo, the same environment is the default context's, with its token */
	cfg = load(&e, "--mlflow", "http://127.0.0.1:4321", END);
	c = config_context_resolve(cfg, NULL, &e);
	assert_string_equal(c->name, "default");
	assert_false(c->demo);
	assert_int_equal(c->src[SRC_MLFLOW].kind, AUTH_BEARER);
	config_context_free(&c);
	config_free(&cfg);
}

static void test_demo_with_a_file(void **state)
{
	struct err e = {0};
	(void)state;
	struct config *cfg = load(&e, "--demo", "-c", file, "--mlflow", "http://s:1", END);
	assert_non_null(cfg);
	assert_int_equal(config_context_count(cfg), 3);
	assert_string_equal(config_context_name(cfg, 2), "demo");
	assert_string_equal(config_context_default(cfg), "demo");
	struct context *c = config_context_resolve(cfg, "a", &e);
	assert_string_equal(c->src[SRC_MLFLOW].url, "http://file:5000"); /* the file's, as it was */
	assert_false(c->demo);                                           /* the user's own */
	config_context_free(&c);
	c = config_context_resolve(cfg, "demo", &e);
	assert_string_equal(c->src[SRC_MLFLOW].url, "http://s:1");
	config_context_free(&c);
	config_free(&cfg);
}

static void test_demo_refused(void **state)
{
	struct err e = {0};
	(void)state;
	assert_null(load(&e, "--demo", "-c", file, "--context", "a", END));
	assert_string_equal(
	    e.msg, "--demo runs in a context of its own, 'demo': --context does not go with it");
	assert_null(load(&e, "--demo", "-c", mine, END));
	assert_string_equal(e.msg, "--demo runs in a context of its own, 'demo': the configuration "
	                           "defines one of that name");
}

/* main's --demo: the args borrow the demo's URLs (as they borrow argv), the scrape list becomes
 * the demo's one URL, and the config keeps copies that outlive both. */
static void test_demo_args_borrowed(void **state)
{
	struct err e = {0};
	char *argv[] = {"mltop", "--demo", "--scrape", "http://user:1/metrics", NULL};
	char mlflow[] = "http://127.0.0.1:4321", scrape[] = "http://127.0.0.1:4321/metrics";
	struct config_args a;
	(void)state;
	assert_int_equal(config_args_parse(&a, 4, argv, &e), 0);
	assert_int_equal(a.n_scrape, 1);
	a.mlflow = mlflow;
	assert_int_equal(config_args_scrape_only(&a, scrape), 0);
	assert_int_equal(a.n_scrape, 1);
	assert_ptr_equal(a.scrape[0], scrape); /* borrowed, not copied */
	struct config *cfg = config_load(&a, "/nonexistent", &e);
	assert_non_null(cfg);
	config_args_fini(&a);
	memset(mlflow, 'x', sizeof mlflow - 1);
	memset(scrape, 'x', sizeof scrape - 1);
	const struct config_args *kept = config_args(cfg);
	assert_string_equal(kept->mlflow, "http://127.0.0.1:4321");
	assert_int_equal(kept->n_scrape, 1);
	assert_string_equal(kept->scrape[0], "http://127.0.0.1:4321/metrics");
	assert_null(kept->theme);
	struct context *c = config_context_resolve(cfg, NULL, &e);
	assert_non_null(c);
	assert_string_equal(c->scrape[0], "http://127.0.0.1:4321/metrics");
	config_context_free(&c);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_demo_alone),
	    cmocka_unit_test(test_demo_with_a_file),
	    cmocka_unit_test(test_demo_refused),
	    cmocka_unit_test(test_demo_args_borrowed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
