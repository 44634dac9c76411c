/* Tests of the files mltop reads at start and on :ctx (the config file, token and password
 * files) when they are not what they should be: a FIFO nobody writes to, a device that never
 * ends, a file far over its cap. Each must be refused at once with the file's name, never
 * waited on. A watchdog (alarm) turns a blocking open or read into a failed test. */
#define _GNU_SOURCE
#include <errno.h>
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

#include "clients/cli.h"
#include "clients/config.h"

#define WATCHDOG_S 5

static char dir[256];

static const char *in_dir(const char *name)
{
	static char buf[8][512];
	static int i;
	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mltop-test-cfgfiles-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	unsetenv("MLFLOW_TRACKING_URI");
	unsetenv("MLFLOW_TRACKING_TOKEN");
	setenv("XDG_CONFIG_HOME", in_dir("xdg"), 1);
	setenv("XDG_CACHE_HOME", in_dir("xdg"), 1);
	alarm(WATCHDOG_S);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	alarm(0);
	const char *names[] = {"config.ini", "fifo", "big", "token", "sa"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		unlink(in_dir(names[i]));
		rmdir(in_dir(names[i]));
	}
	return rmdir(dir);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
}

static struct config *load_file(const char *file, struct err *e)
{
	struct config_args a;
	char *argv[] = {"mltop", "-c", (char *)file, NULL};
	assert_int_equal(config_args_parse(&a, 3, argv, e), 0);
	mkdir(in_dir("sa"), 0700);
	struct config *cfg = config_load(&a, in_dir("sa"), e);
	config_args_fini(&a);
	return cfg;
}

static void assert_msg(const struct err *e, const char *path, const char *why)
{
	char want[700];
	snprintf(want, sizeof want, "%s: %s", path, why);
	assert_non_null(strstr(e->msg, want));
}

/* -c FIFO: an error naming the file (main exits 2), not a hang. */
static void test_config_file_fifo(void **state)
{
	(void)state;
	struct err e = {0};
	assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
	assert_null(load_file(in_dir("fifo"), &e));
	assert_int_equal(e.code, ERR_CONFIG);
	assert_msg(&e, in_dir("fifo"), "not a regular file");
}

/* -c /dev/zero never ends; a sparse file of 2 GiB is over the 1 MiB cap. */
static void test_config_file_device_and_huge(void **state)
{
	(void)state;
	struct err e = {0};
	assert_null(load_file("/dev/zero", &e));
	assert_msg(&e, "/dev/zero", "not a regular file");
	FILE *f = fopen(in_dir("big"), "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(truncate(in_dir("big"), (off_t)2 << 30), 0);
	assert_null(load_file(in_dir("big"), &e));
	assert_msg(&e, in_dir("big"), "larger than 1 MiB");
}

/* A token file that is a FIFO, at start and again on :ctx (which reads token files anew). */
static void test_token_file_fifo(void **state)
{
	(void)state;
	struct err e = {0};
	put_file(in_dir("token"), "s3cret\n");
	put_file(in_dir("config.ini"), "[context.a]\nprometheus = http://p:9090\n"
	                               "prometheus_token_file = token\n"
	                               "[context.b]\nprometheus = http://p:9090\n"
	                               "prometheus_token_file = fifo\n"
	                               "[context.c]\nprometheus = http://p:9090\n"
	                               "prometheus_token_file = /dev/zero\n"
	                               "[context.d]\nprometheus = http://p:9090\n"
	                               "ca_file = fifo\n");
	assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
	struct config *cfg = load_file(in_dir("config.ini"), &e);
	assert_non_null(cfg);
	struct context *c = config_context_resolve(cfg, "a", &e);
	assert_non_null(c);
	assert_string_equal(c->src[SRC_PROMETHEUS].auth.bearer_token, "s3cret");
	assert_null(config_context_resolve(cfg, "b", &e));
	assert_msg(&e, in_dir("fifo"), "not a regular file");
	assert_null(config_context_resolve(cfg, "c", &e));
	assert_msg(&e, "/dev/zero", "not a regular file");
	/* a CA file that is a FIFO would stall curl when the first request starts */
	assert_null(config_context_resolve(cfg, "d", &e));
	assert_msg(&e, in_dir("fifo"), "not a regular file");
	/* the token file is replaced by a FIFO while mltop runs: reloading refuses it */
	assert_int_equal(unlink(in_dir("token")), 0);
	assert_int_equal(mkfifo(in_dir("token"), 0600), 0);
	assert_true(config_context_reload_tokens(c, &e) < 0);
	assert_msg(&e, in_dir("token"), "not a regular file");
	config_context_free(&c);
	config_free(&cfg);
}

/* The helper itself: the cap is inclusive, and each refusal says why. */
static void test_read_file_caps(void **state)
{
	(void)state;
	struct err e = {0};
	char *buf = NULL;
	size_t len = 0;
	unsigned mode = 0;
	put_file(in_dir("big"), "0123456789");
	assert_int_equal(cli_read_file(in_dir("big"), 10, &buf, &len, &mode, &e), 0);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "0123456789");
	assert_int_equal(mode, 0600);
	free(buf);
	assert_int_equal(cli_read_file(in_dir("big"), 9, &buf, &len, NULL, &e), -EFBIG);
	assert_null(buf);
	assert_msg(&e, in_dir("big"), "larger than 9 bytes");
	assert_int_equal(cli_read_file(in_dir("none"), 9, &buf, &len, NULL, &e), -ENOENT);
	assert_msg(&e, in_dir("none"), "No such file or directory");
	assert_int_equal(cli_read_file(dir, 9, &buf, &len, NULL, &e), -EINVAL);
	assert_msg(&e, dir, "not a regular file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_config_file_fifo, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_file_device_and_huge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_token_file_fifo, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_file_caps, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
