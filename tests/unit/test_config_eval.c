/* The eval_failure key: in [context.NAME] and [model.NAME], checked when the file is read (an
 * error names the file and the line), carried into the resolved context; and the rule it holds
 * decides which rows of an eval table the MLflow client counts as failing, in place of the
 * automatic rules; the Samples panel opened on a run lists the failing rows of the context's
 * rule, or of the model's when it is opened on a model that has one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clients/config.h"
#include "clients/http.h"
#include "clients/mlflow.h"
#include "panels/mlsrc.h"
#include "panels/samples.h"
#include "tests/unit/mlflow_fixture.h"
#include "tests/unit/panelh.h"
#include "tests/unit/screen.h"
#include "tests/unit/testsrv.h"

static char path[64];

/* The config of every test here: a context with a rule, one without, a model with its own. */
static const char ini[] = "[context.lab]\n"
                          "mlflow = http://127.0.0.1:5000\n"
                          "eval_failure = token_count < 5\n"
                          "[context.other]\n"
                          "mlflow = http://127.0.0.1:5001\n"
                          "[model.churn]\n"
                          "eval_failure = latency >= 0.2\n";

/* Loads the config text with -c (a temporary file, removed after). */
static struct config *load_text(const char *text, struct err *e)
{
	snprintf(path, sizeof path, "/tmp/mltop-test-eval-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char *argv[] = {"mltop", "-c", path, NULL};
	struct config_args a;
	assert_int_equal(config_args_parse(&a, 3, argv, e), 0);
	struct config *cfg = config_load(&a, "/nonexistent", e);
	config_args_fini(&a);
	unlink(path);
	return cfg;
}

static void test_keys(void **state)
{
	(void)state;
	struct err e = {0};
	struct config *cfg = load_text(ini, &e);
	assert_non_null(cfg);
	const struct config_model *m = config_model_find(cfg, "churn");
	assert_non_null(m);
	assert_string_equal(m->eval_failure, "latency >= 0.2");
	struct context *lab = config_context_resolve(cfg, "lab", &e);
	struct context *other = config_context_resolve(cfg, "other", &e);
	assert_non_null(lab);
	assert_non_null(other);
	assert_string_equal(lab->eval_failure, "token_count < 5");
	assert_null(other->eval_failure);
	config_context_free(&lab);
	config_context_free(&other);
	config_free(&cfg);
}

static void test_bad_rule(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"[context.lab]\nmlflow = http://127.0.0.1:5000\neval_failure = outputs\n",
	     ":3: 'eval_failure' in [context.lab]: failure rule: want 'A != B' or 'COLUMN < "
	     "NUMBER': 'outputs'"},
	    {"[model.churn]\neval_failure = score < low\n",
	     ":2: 'eval_failure' in [model.churn]: failure rule: not a number after '<': "
	     "'score < low'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err e = {0};
		struct config *cfg = load_text(cases[i].text, &e);
		char want[512];
		snprintf(want, sizeof want, "%s%s", path, cases[i].want);
		if (cfg || strcmp(e.msg, want) != 0)
			fail_msg("got '%s', want '%s'", e.msg, want);
	}
}

/* ---- the rule at work: the eval table of tests/fixtures/mlflow through the client ---- */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct got {
	int done;
	long failing;
};

static void on_eval(void *ud, struct mlflow_event *ev)
{
	struct got *g = ud;
	if (!ev->done)
		return;
	g->done = 1;
	g->failing = ev->rc < 0 || !ev->eval ? -1 : (long)ev->eval->failing;
}

/* The failing rows the client counts in the fixture's table under rule (NULL: automatic). */
static long failing(struct testsrv *srv, struct http *h, const char *rule)
{
	struct mlflow_config cfg = {.base_url = testsrv_url(srv)};
	struct err e = {0};
	struct mlflow *m = mlflow_new(h, &cfg, &e);
	struct got g = {0};
	assert_non_null(m);
	assert_int_equal(mlsrc_eval_rule(m, rule, &e), 0);
	assert_true(mlflow_eval_table(m, "run1", NULL, on_eval, &g, &e) > 0);
	for (int64_t end = mono_ms() + 10000; !g.done && mono_ms() < end;) {
		http_perform(h);
		if (!g.done)
			http_wait(h, -1, 50, NULL);
	}
	assert_true(g.done);
	mlflow_free(&m);
	return g.failing;
}

static void test_rule_decides_failures(void **state)
{
	(void)state;
	struct err e = {0};
	struct config *cfg = load_text(ini, &e);
	assert_non_null(cfg);
	struct context *ctx = config_context_resolve(cfg, "lab", &e);
	assert_non_null(ctx);
	struct testsrv *srv = testsrv_start();
	struct http *h = http_new(NULL);
	char *body = mlflow_fixture("eval_results_table.json", NULL);
	testsrv_add(srv, "GET", "/get-artifact", 200, "application/octet-stream", body);
	free(body);
	/* automatic: the judge's score of 1, the toxicity of 0.93 */
	assert_int_equal(failing(srv, h, NULL), 2);
	/* token counts 3 and 0 */
	assert_int_equal(failing(srv, h, ctx->eval_failure), 2);
	/* latencies 0.82, 0.41 and 0.2 */
	assert_int_equal(failing(srv, h, config_model_find(cfg, "churn")->eval_failure), 3);
	/* outputs differing from the ground truth: every row but the empty one */
	assert_int_equal(failing(srv, h, "outputs != ground_truth"), 3);
	/* a column the table does not have: the load fails, saying so */
	assert_int_equal(failing(srv, h, "confidence < 0.5"), -1);
	http_free(&h);
	testsrv_stop(&srv);
	config_context_free(&ctx);
	config_free(&cfg);
}

/* The status of the Samples panel opened on focus, once the run's eval table is in. */
static void samples_status(struct testsrv *srv, const char *focus, char *buf, size_t n)
{
	const char *argv[] = {"--context", "lab", "--mlflow", testsrv_url(srv), NULL};
	struct panelh h;
	panelh_init(&h, NULL, 120, 40);
	panelh_config(&h, ini, argv);
	panelh_create(&h, &samples_ops, focus);
	panelh_settle(&h);
	h.p.ops->recalc(&h.p);
	h.p.ops->status(&h.p, buf, n);
	panelh_stop(&h);
}

/* Samples opened on a run's eval table lists its failing rows under the context's rule, or
 * under the model's when the focus names a model that has one. */
static void test_samples_follow_the_rule(void **state)
{
	(void)state;
	char st[128];
	struct testsrv *srv = testsrv_start();
	char *body = mlflow_fixture("eval_results_table.json", NULL);
	testsrv_add(srv, "GET", "/get-artifact", 200, "application/octet-stream", body);
	free(body);
	samples_status(srv, "run=run1", st, sizeof st); /* token counts 3 and 0 */
	assert_string_equal(st, "row 1 of 2");
	samples_status(srv, "model=churn run=run1", st, sizeof st); /* 0.82, 0.41, 0.2 */
	assert_string_equal(st, "row 1 of 3");
	samples_status(srv, "model=other run=run1", st, sizeof st); /* no rule of its own */
	assert_string_equal(st, "row 1 of 2");
	testsrv_stop(&srv);
}

/* A new focus frees the run's eval rows the list showed: the rows go at once, not at the next
 * recalc, so a key that comes first (here e, the export) reads none of them. */
static void test_focus_drops_rows_at_once(void **state)
{
	(void)state;
	char st[128], out[64], dir[] = "/tmp/mltop-focus-XXXXXX";
	struct testsrv *srv = testsrv_start();
	char *body = mlflow_fixture("eval_results_table.json", NULL);
	testsrv_add(srv, "GET", "/get-artifact", 200, "application/octet-stream", body);
	free(body);
	const char *argv[] = {"--context", "lab", "--mlflow", testsrv_url(srv), NULL};
	struct panelh h;
	panelh_init(&h, NULL, 120, 40);
	panelh_config(&h, ini, argv);
	panelh_create(&h, &samples_ops, "run=run1");
	panelh_settle(&h);
	h.p.ops->recalc(&h.p);
	h.p.ops->status(&h.p, st, sizeof st);
	assert_string_equal(st, "row 1 of 2");
	h.p.ops->focus(&h.p, "model=churn"); /* no run: its eval rows are freed */
	h.p.ops->status(&h.p, st, sizeof st);
	assert_null(strstr(st, "of 2"));
	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof out, "%s/out.jsonl", dir);
	h.p.ops->key(&h.p, 'e'); /* the keys before any recalc: e, Ctrl-U, the path, Enter */
	h.p.ops->text(&h.p, 21, 0);
	panelh_type(&h, out);
	h.p.ops->text(&h.p, '\n', 0);
	FILE *f = fopen(out, "r");
	int lines = 0;
	for (int c; f && (c = fgetc(f)) != EOF;)
		lines += c == '\n';
	assert_int_equal(lines, 0);
	if (f)
		fclose(f);
	unlink(out);
	rmdir(dir);
	panelh_stop(&h);
	testsrv_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_bad_rule),
	    cmocka_unit_test(test_rule_decides_failures),
	    cmocka_unit_test(test_samples_follow_the_rule),
	    cmocka_unit_test(test_focus_drops_rows_at_once),
	};
	if (screen_open(120, 40) < 0)
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	screen_close();
	return rc;
}
