/* test_hook: the hooks of actions: the command line split without a shell (quotes, escapes,
 * nothing expanded), arguments with blanks and quotes arriving intact in a script that prints
 * them, only MLTOP_* (and PATH, HOME) in its environment, exit codes, a command that is not
 * there, the timeout (SIGTERM, then SIGKILL for a hook that ignores it), an output far over
 * the cap (kept up to it, the rest counted), hook_poll never blocking; and the Argo Rollouts hook
 * of contrib/ mapping each action to its kubectl commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/clock.h"
#include "clients/hook.h"

#define PRINT_ARGV "tests/fixtures/hook/print-argv.sh"

static void split_is(const char *cmd, const char *const *want)
{
	char **v = NULL;
	struct err e = {0};
	assert_int_equal(hook_split(cmd, &v, &e), 0);
	size_t i = 0;
	for (; want[i]; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
	hook_argv_free(&v);
	assert_null(v);
}

static void test_split(void **state)
{
	(void)state;
	const char *a[] = {"kubectl", "argo", "rollouts", NULL};
	split_is("  kubectl\targo   rollouts ", a);
	const char *b[] = {"x", "b c", "d e", "f g", "q\"x", "", "$HOME", "`id`;", "a'b", NULL};
	split_is("x \"b c\" 'd e' f\\ g \"q\\\"x\" '' $HOME `id`; \"a'b\"", b);
	const char *c[] = {"pre'mid'post", NULL};
	split_is("pre\"'mid'\"post", c);
	const char *bad[] = {"a 'b", "a \"b", "a\\", "", "   "};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char **v = (char **)1;
		struct err e = {0};
		assert_int_equal(hook_split(bad[i], &v, &e), ERR_CONFIG);
		assert_null(v);
		assert_true(e.msg[0] != '\0');
	}
}

static struct hook *run(const char *const *argv, const char *const *env, long timeout_ms)
{
	struct err e = {0};
	struct hook *h = hook_start(argv, env, timeout_ms, &e);
	if (!h)
		fprintf(stderr, "hook_start: %s\n", e.msg);
	assert_non_null(h);
	hook_wait(h);
	return h;
}

static void test_argv_and_env_intact(void **state)
{
	(void)state;
	char **argv = NULL;
	assert_int_equal(hook_split(PRINT_ARGV
	                            " 'two words' \"say \\\"hi\\\"\" it\\'s '$(reboot)' '' ;",
	                            &argv, NULL),
	                 0);
	const char *env[] = {"MLTOP_MODEL=churn", "MLTOP_VERSION=7", "MLTOP_PERCENT=10",
	                     "MLTOP_CONTEXT=prod ; rm -rf", NULL};
	setenv("TEST_HOOK_LEAK", "1", 1);
	struct hook *h = run((const char *const *)argv, env, 5000);
	unsetenv("TEST_HOOK_LEAK");
	size_t len;
	const char *out = hook_output(h, &len);
	assert_string_equal(out, "[two words]\n[say \"hi\"]\n[it's]\n[$(reboot)]\n[]\n[;]\n"
	                         "MLTOP_CONTEXT=prod ; rm -rf\nMLTOP_MODEL=churn\n"
	                         "MLTOP_PERCENT=10\nMLTOP_VERSION=7\nPATH set\n");
	assert_int_equal(len, strlen(out));
	assert_int_equal(hook_exit_code(h), 0);
	assert_int_equal(hook_timed_out(h), 0);
	char line[128];
	hook_describe(h, line, sizeof line);
	assert_string_equal(line, "exit 0");
	hook_free(&h);
	assert_null(h);
	hook_argv_free(&argv);
}

static void test_exit_codes(void **state)
{
	(void)state;
	FILE *held = tmpfile(); /* a descriptor of the test's own, not inherited */
	assert_non_null(held);
	char fdpath[64];
	snprintf(fdpath, sizeof fdpath, "test -e /proc/self/fd/%d && echo leaked; exit 0",
	         fileno(held));
	const char *fds[] = {"sh", "-c", fdpath, NULL};
	struct hook *hf = run(fds, NULL, 5000);
	assert_string_equal(hook_output(hf, NULL), "");
	hook_free(&hf);
	fclose(held);
	const char *three[] = {"sh", "-c", "echo failing >&2; exit 3", NULL};
	struct hook *h = run(three, NULL, 5000);
	assert_int_equal(hook_exit_code(h), 3);
	assert_string_equal(hook_output(h, NULL), "failing\n"); /* stderr is kept too */
	hook_free(&h);
	const char *sig[] = {"sh", "-c", "kill -9 $$", NULL};
	h = run(sig, NULL, 5000);
	assert_int_equal(hook_exit_code(h), 128 + 9);
	char line[128];
	hook_describe(h, line, sizeof line);
	assert_string_equal(line, "killed by signal 9");
	hook_free(&h);
	struct err e = {0};
	const char *none[] = {"/nonexistent/hook", NULL};
	assert_null(hook_start(none, NULL, 1000, &e));
	assert_int_equal(e.code, ERR_CONFIG);
	const char *nopath[] = {"no-such-hook-anywhere", NULL};
	assert_null(hook_start(nopath, NULL, 1000, &e));
	assert_int_equal(e.code, ERR_CONFIG);
}

static void test_timeout(void **state)
{
	(void)state;
	const char *slow[] = {"sh", "-c", "echo started; sleep 30", NULL};
	int64_t t0 = clock_mono_ms();
	struct err e = {0};
	struct hook *h = hook_start(slow, NULL, 2000, &e);
	assert_non_null(h);
	/* running: poll returns at once, not when the hook's 30 s are over */
	assert_int_equal(hook_poll(h), 1);
	assert_true(clock_mono_ms() - t0 < 1500);
	hook_wait(h);
	int64_t took = clock_mono_ms() - t0;
	assert_true(took >= 2000 && took < 15000);
	assert_int_equal(hook_timed_out(h), 1);
	assert_int_equal(hook_exit_code(h), 128 + 15);
	assert_string_equal(hook_output(h, NULL), "started\n");
	char line[128];
	hook_describe(h, line, sizeof line);
	assert_string_equal(line, "killed by signal 15 after the timeout");
	hook_free(&h);
	/* one that ignores SIGTERM gets SIGKILL after the grace period */
	const char *deaf_to_term[] = {"sh", "-c", "trap '' TERM; sleep 30", NULL};
	t0 = clock_mono_ms();
	h = run(deaf_to_term, NULL, 200);
	took = clock_mono_ms() - t0;
	assert_true(took >= 200 + HOOK_GRACE_MS && took < 200 + HOOK_GRACE_MS + 15000);
	assert_int_equal(hook_exit_code(h), 128 + 9);
	hook_free(&h);
}

static void test_huge_output(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN); /* as mltop has it: the hook gets the default back */
	const char *big[] = {"sh", "-c", "head -c 1000000 /dev/zero | tr '\\000' x; echo end >&2",
	                     NULL};
	struct hook *h = run(big, NULL, 10000);
	size_t len;
	const char *out = hook_output(h, &len);
	assert_int_equal(len, HOOK_OUTPUT_MAX);
	assert_int_equal(hook_output_dropped(h), 1000000 + 4 - HOOK_OUTPUT_MAX);
	assert_int_equal(out[0], 'x');
	assert_int_equal(strlen(out), HOOK_OUTPUT_MAX);
	assert_int_equal(hook_exit_code(h), 0);
	char line[128];
	hook_describe(h, line, sizeof line);
	assert_string_equal(line, "exit 0, 934468 bytes of output not kept");
	hook_free(&h);
	/* a pipeline cut short ends by SIGPIPE, not by a write error, as in a shell */
	const char *cut[] = {"sh", "-c", "yes | head -c 3; echo; exit 0", NULL};
	h = run(cut, NULL, 10000);
	assert_string_equal(hook_output(h, NULL), "y\ny\n");
	assert_int_equal(hook_exit_code(h), 0);
	hook_free(&h);
	const char *err[] = {"sh", "-c", "yes 2>&1 | head -c 1 >/dev/null; echo done", NULL};
	h = run(err, NULL, 10000);
	assert_string_equal(hook_output(h, NULL), "done\n"); /* no "yes: write error" */
	hook_free(&h);
	signal(SIGPIPE, SIG_DFL);
}

static void test_free_while_running(void **state)
{
	(void)state;
	const char *slow[] = {"sleep", "30", NULL};
	struct hook *h = hook_start(slow, NULL, 60000, NULL);
	assert_non_null(h);
	int64_t t0 = clock_mono_ms();
	hook_free(&h); /* killed and reaped */
	assert_null(h);
	assert_true(clock_mono_ms() - t0 < 15000);
	assert_int_equal(hook_poll(NULL), 0);
}

/* contrib/argo-rollouts-hook run as mltop runs a hook: each action's kubectl commands. */
static void argo_is(const char *action, const char *version, const char *want)
{
	char a[64], v[64];
	snprintf(a, sizeof a, "MLTOP_ACTION=%s", action);
	snprintf(v, sizeof v, "MLTOP_VERSION=%s", version);
	const char *env[] = {a, v, "MLTOP_MODEL=churn", "MLTOP_PERCENT=10", NULL};
	const char *argv[] = {
	    "contrib/argo-rollouts-hook",   "--rollout", "churn", "--container", "model", "--image",
	    "reg.example/churn:v{version}", "--dry-run", NULL};
	struct hook *h = run(argv, env, 5000);
	assert_string_equal(hook_output(h, NULL), want);
	assert_int_equal(hook_exit_code(h), want[0] == 'k' ? 0 : 2);
	hook_free(&h);
}

static void test_argo_rollouts_hook(void **state)
{
	(void)state;
	argo_is("canary", "7",
	        "kubectl argo rollouts set image churn model=reg.example/churn:v7\n");
	argo_is("step", "7", "kubectl argo rollouts promote churn\n");
	argo_is("promote", "7", "kubectl argo rollouts promote --full churn\n");
	argo_is("rollback", "6",
	        "kubectl argo rollouts abort churn\n"
	        "kubectl argo rollouts set image churn model=reg.example/churn:v6\n");
	argo_is("rollback", "",
	        "kubectl argo rollouts abort churn\nkubectl argo rollouts undo churn\n");
	argo_is("canary", "7;reboot",
	        "argo-rollouts-hook: MLTOP_VERSION is not a version: 7;reboot\n");
	argo_is("dance", "7",
	        "argo-rollouts-hook: MLTOP_ACTION is not canary, step, promote or "
	        "rollback: 'dance'\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split),
	    cmocka_unit_test(test_argv_and_env_intact),
	    cmocka_unit_test(test_exit_codes),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_huge_output),
	    cmocka_unit_test(test_free_while_running),
	    cmocka_unit_test(test_argo_rollouts_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
