/* Tests of clients/config and clients/cli: every section and key, errors with file and line,
 * the command line, precedence flag > environment > file, token files and their warnings, the
 * in-cluster service-account directory, and --info without secrets. */
#define _GNU_SOURCE
#include <ftw.h>
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

#define FIX "tests/fixtures/config/"
#define END ((char *)NULL) /* the end of parse_args' list */

static char tmp[256];

static const char *const env_vars[] = {
    "MLFLOW_TRACKING_URI",
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_INSECURE_TLS",
    "MLFLOW_TRACKING_SERVER_CERT_PATH",
    "NO_COLOR",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
};

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static char *tpath(const char *name)
{
	static char buf[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmp, name);
	return buf[i];
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/mltop-test-config-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; i++)
		unsetenv(env_vars[i]);
	setenv("XDG_CONFIG_HOME", tpath("xdgconfig"), 1);
	setenv("XDG_CACHE_HOME", tpath("xdgcache"), 1);
	setenv("HOME", tpath("home"), 1);
	setenv("USER", "tester", 1);
	mkdir(tpath("sa-empty"), 0700);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

/* Parses a NULL-terminated argument list (without argv[0]) into a. */
static int parse_args(struct config_args *a, struct err *e, ...)
{
	char *argv[64] = {"mltop"};
	int argc = 1;
	va_list ap;
	va_start(ap, e);
	for (char *s; argc < 63 && (s = va_arg(ap, char *)) != NULL;)
		argv[argc++] = s;
	va_end(ap);
	argv[argc] = NULL;
	return config_args_parse(a, argc, argv, e);
}

/* Loads with -c file (NULL: the default file) and the service-account directory sa. */
static struct config *load(const char *file, const char *sa, struct err *e)
{
	struct config_args a;
	int rc = file ? parse_args(&a, e, "-c", file, END) : parse_args(&a, e, END);
	assert_int_equal(rc, 0);
	struct config *cfg = config_load(&a, sa ? sa : tpath("sa-empty"), e);
	config_args_fini(&a);
	return cfg;
}

static char *describe(const struct config *cfg, const struct context *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	config_describe(cfg, ctx, NULL, f);
	fclose(f);
	return buf;
}

static void test_no_file_defaults(void **state)
{
	struct err e = {0};
	(void)state;
	struct config *cfg = load(NULL, NULL, &e);
	assert_non_null(cfg);
	assert_false(config_file_found(cfg));
	assert_string_equal(config_path(cfg), tpath("xdgconfig/mltop/config.ini"));
	assert_string_equal(config_themes_dir(cfg), tpath("xdgconfig/mltop/themes"));
	const struct config_general *g = config_general(cfg);
	assert_string_equal(g->cache, tpath("xdgcache/mltop/cache.db"));
	assert_int_equal(g->refresh_ms, 5000);
	assert_int_equal(g->chart, CONFIG_CHART_BRAILLE);
	assert_true(g->cache_max_mb == 1024.0);
	assert_null(g->theme);
	assert_false(g->no_color);
	char host[256] = "", want[300]; /* the machine's name, read here, not the config's */
	assert_int_equal(gethostname(host, sizeof host - 1), 0);
	assert_string_equal(g->host, host);
	snprintf(want, sizeof want, "tester@%s", host);
	assert_string_equal(g->user, want);
	assert_int_equal(config_context_count(cfg), 1);
	assert_string_equal(config_context_name(cfg, 0), "default");
	assert_string_equal(config_context_default(cfg), "default");
	assert_int_equal(config_model_count(cfg), 0);
	/* one query for every deployment: no {model} filter in the defaults */
	assert_string_equal(config_query(cfg, "rps"), "sum by ({model_label}, {version_label}) "
	                                              "(rate(model_requests_total[{window}]))");
	assert_string_equal(config_query(cfg, "model_label"), "model");
	assert_string_equal(config_query(cfg, "version_label"), "version");
	assert_string_equal(config_query(cfg, "window"), "5m");
	assert_string_equal(config_query(cfg, "latency_metric"), "model_request_duration_seconds");
	assert_non_null(strstr(config_query(cfg, "p99"), "histogram_quantile(0.99"));
	assert_non_null(strstr(config_query(cfg, "drift"), "model_feature_drift_score"));
	assert_null(config_query(cfg, "nope"));
	struct context *c = config_context_resolve(cfg, NULL, &e);
	assert_non_null(c);
	for (int i = 0; i < SRC_COUNT; i++)
		assert_null(c->src[i].url);
	assert_string_equal(c->namespace, "default");
	assert_int_equal(c->refresh_ms, 5000);
	assert_false(c->readonly);
	config_context_free(&c);
	assert_null(c);
	/* HOME is the fallback when XDG_* are unset or relative */
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_CACHE_HOME", "relative/dir", 1);
	config_free(&cfg);
	cfg = load(NULL, NULL, &e);
	assert_string_equal(config_path(cfg), tpath("home/.config/mltop/config.ini"));
	assert_string_equal(config_general(cfg)->cache, tpath("home/.cache/mltop/cache.db"));
	config_free(&cfg);
	assert_null(cfg);
	setenv("XDG_CONFIG_HOME", tpath("xdgconfig"), 1);
	setenv("XDG_CACHE_HOME", tpath("xdgcache"), 1);
}

static void test_full_file(void **state)
{
	struct err e = {0};
	(void)state;
	struct config *cfg = load(FIX "full.ini", NULL, &e);
	assert_non_null(cfg);
	assert_true(config_file_found(cfg));
	const struct config_general *g = config_general(cfg);
	assert_string_equal(g->context, "staging");
	assert_string_equal(g->theme, "light");
	assert_int_equal(g->refresh_ms, 2500);
	assert_string_equal(g->cache, FIX "cache/mltop.db");
	assert_true(g->cache_max_mb == 256.5);
	assert_int_equal(g->chart, CONFIG_CHART_BLOCK);
	assert_string_equal(g->user, "alice@ops");
	assert_int_equal(g->n_lower, 3);
	assert_string_equal(g->lower_is_better[1], "log_loss");
	assert_int_equal(config_metric_direction(cfg, "rmse"), -1);
	assert_int_equal(config_metric_direction(cfg, "val/loss"), -1);
	assert_int_equal(config_metric_direction(cfg, "f1"), 1);
	assert_int_equal(config_metric_direction(cfg, "accuracy"), 0);

	assert_int_equal(config_context_count(cfg), 2);
	assert_string_equal(config_context_name(cfg, 0), "prod");
	assert_string_equal(config_context_name(cfg, 1), "staging");
	assert_string_equal(config_context_default(cfg), "staging");

	assert_int_equal(config_model_count(cfg), 2);
	const struct config_model *m = config_model_find(cfg, "churn");
	assert_non_null(m);
	assert_string_equal(m->deployment, "churn-isvc");
	assert_string_equal(m->registered, "churn-model");
	assert_string_equal(m->metric, "auc");
	assert_true(m->slo_p99_ms == 250.0);
	assert_true(m->slo_error_pct == 0.5);
	assert_int_equal(m->n_canary_steps, 4);
	assert_int_equal(m->canary_steps[0], 5);
	assert_int_equal(m->canary_steps[3], 100);
	m = config_model_at(cfg, 1); /* an empty section: every default */
	assert_string_equal(m->name, "fraud");
	assert_string_equal(m->deployment, "fraud");
	assert_string_equal(m->registered, "fraud");
	assert_null(m->metric);
	assert_true(m->slo_p99_ms < 0 && m->slo_error_pct < 0);
	assert_int_equal(m->n_canary_steps, 4);
	assert_int_equal(m->canary_steps[0], 10);
	assert_null(config_model_find(cfg, "nope"));

	assert_string_equal(config_query(cfg, "p50"), "q50{model=\"{model}\"}");
	assert_string_equal(config_query(cfg, "p95"), "q95{model=\"{model}\"}");
	assert_string_equal(config_query(cfg, "drift"), "max(my_drift{model=\"{model}\"})");
	assert_string_equal(
	    config_query(cfg, "rps"),
	    "sum by (model, version) (rate(my_requests_total{model=\"{model}\"}[1m]))");
	const char *p99 = config_query(cfg, "p99");
	assert_true(strlen(p99) > 200); /* longer than inih's line buffer, comment stripped */
	assert_non_null(strstr(p99, "job=\"kserve-model-servers\"}[10m])))"));
	assert_null(strstr(p99, "inih"));
	assert_non_null(strstr(config_query(cfg, "error_ratio"), "version=\"{version}\""));
	config_free(&cfg);
}

static void test_full_contexts(void **state)
{
	struct err e = {0};
	(void)state;
	struct config *cfg = load(FIX "full.ini", NULL, &e);
	assert_non_null(cfg);
	/* prod needs token files that are not there: the error names the file, nothing else */
	struct context *c = config_context_resolve(cfg, "prod", &e);
	assert_null(c);
	assert_non_null(strstr(e.msg, "context prod: mlflow auth: " FIX "secrets/mlflow.token"));
	c = config_context_resolve(cfg, "nope", &e);
	assert_null(c);
	assert_string_equal(e.msg, "unknown context 'nope'");

	/* staging: its password file is given relative to the file */
	c = config_context_resolve(cfg, NULL, &e);
	assert_null(c);
	assert_non_null(strstr(e.msg, FIX "secrets/mlflow.password"));
	config_free(&cfg);

	char dir[600];
	snprintf(dir, sizeof dir, "%s", tpath("full"));
	mkdir(dir, 0700);
	mkdir(tpath("full/secrets"), 0700);
	mkdir(tpath("full/certs"), 0700);
	mkdir(tpath("home"), 0700);
	FILE *in = fopen(FIX "full.ini", "r");
	char text[8192];
	size_t n = fread(text, 1, sizeof text - 1, in);
	text[n] = '\0';
	fclose(in);
	char *k = strstr(text, "/etc/mltop/kserve.token");
	memcpy(k, "secrets/kserve.token   ", 23); /* same length, relative now */
	write_file(tpath("full/config.ini"), text, 0600);
	write_file(tpath("full/secrets/mlflow.token"), "  mlf-tok-1\n", 0600);
	write_file(tpath("full/secrets/kserve.token"), "kserve-tok-2\n", 0600);
	write_file(tpath("full/secrets/prom.token"), "prom-tok-3", 0600);
	write_file(tpath("full/secrets/mlflow.password"), "s3cret-pw\n", 0600);
	write_file(tpath("home/am.token"), "am-tok-4\n", 0600);
	cfg = load(tpath("full/config.ini"), NULL, &e);
	assert_non_null(cfg);
	c = config_context_resolve(cfg, "prod", &e);
	assert_non_null(c);
	assert_string_equal(c->name, "prod");
	assert_string_equal(c->src[SRC_MLFLOW].url, "https://mlflow.example.com");
	assert_string_equal(c->src[SRC_PROMETHEUS].url, "https://prom.example.com");
	assert_string_equal(c->src[SRC_ALERTMANAGER].url, "https://am.example.com");
	assert_string_equal(c->src[SRC_KSERVE].url, "https://k8s.example.com:6443");
	assert_int_equal(c->n_scrape, 3);
	assert_string_equal(c->scrape[0], "http://10.0.0.1:8080/metrics");
	assert_string_equal(c->scrape[2], "http://10.0.0.3:8080/metrics");
	assert_string_equal(c->src[SRC_SCRAPE].url, "http://10.0.0.1:8080/metrics");
	assert_string_equal(c->samples, "https://samples.example.com/failed.jsonl");
	assert_string_equal(c->src[SRC_SAMPLES].url, c->samples);
	assert_string_equal(c->namespace, "models-prod");
	assert_true(c->readonly);
	assert_true(c->danger);
	assert_int_equal(c->refresh_ms, 10000);
	assert_int_equal(c->src[SRC_MLFLOW].kind, AUTH_BEARER);
	assert_string_equal(c->src[SRC_MLFLOW].auth.bearer_token, "mlf-tok-1");
	assert_string_equal(c->src[SRC_KSERVE].auth.bearer_token, "kserve-tok-2");
	assert_string_equal(c->src[SRC_PROMETHEUS].auth.bearer_token, "prom-tok-3");
	assert_string_equal(c->src[SRC_ALERTMANAGER].auth.bearer_token, "am-tok-4");
	assert_string_equal(c->src[SRC_ALERTMANAGER].auth_origin, tpath("home/am.token"));
	assert_string_equal(c->src[SRC_MLFLOW].auth.ca_file, tpath("full/certs/ca.pem"));
	assert_false(c->src[SRC_MLFLOW].auth.insecure);
	assert_int_equal(config_warning_count(cfg), 0);
	config_context_free(&c);

	c = config_context_resolve(cfg, "staging", &e);
	assert_non_null(c);
	assert_string_equal(c->src[SRC_MLFLOW].url, "http://127.0.0.1:5000");
	assert_int_equal(c->src[SRC_MLFLOW].kind, AUTH_BASIC);
	assert_string_equal(c->src[SRC_MLFLOW].auth.username, "alice");
	assert_string_equal(c->src[SRC_MLFLOW].auth.password, "s3cret-pw");
	assert_null(c->src[SRC_MLFLOW].auth.bearer_token);
	assert_true(c->src[SRC_MLFLOW].auth.insecure);
	assert_string_equal(c->samples, tpath("full/data/failed.jsonl"));
	assert_null(c->src[SRC_SAMPLES].url);
	assert_false(c->readonly);
	assert_int_equal(c->refresh_ms, 2500);

	char *d = describe(cfg, c);
	assert_non_null(strstr(d, "basic user alice (password from "));
	assert_non_null(strstr(d, "TLS NOT VERIFIED"));
	assert_null(strstr(d, "s3cret-pw"));
	free(d);
	config_context_free(&c);
	config_free(&cfg);
}

struct err_case {
	const char *file;
	const char *msg;
};

static void test_file_errors(void **state)
{
	static const struct err_case cases[] = {
	    {"err_unknown_key.ini", ":3: unknown key 'foo' in [general]"},
	    {"err_bad_bool.ini", ":3: 'readonly' in [context.lab]: not a bool (true/false, "
	                         "yes/no, on/off, 1/0): 'maybe'"},
	    {"err_bad_number.ini",
	     ":4: 'refresh' in [general]: not a number of seconds (0.1 to 86400): 'fast'"},
	    {"err_url_scheme.ini",
	     ":2: 'mlflow' in [context.lab]: URL must start with http:// or https://"},
	    {"err_url_creds.ini", ":2: 'prometheus' in [context.lab]: credentials in a URL are "
	                          "not allowed (use a token or password file)"},
	    {"err_pct.ini",
	     ":2: 'slo_error_pct' in [model.churn]: not a percent (0 to 100): '120'"},
	    {"err_section.ini", ":4: unknown section [contexts.prod]"},
	    {"err_syntax.ini", ":3: syntax error (expected [section] or key = value)"},
	    {"err_dup.ini", ":3: duplicate key 'mlflow' in [context.lab]"},
	    {"err_steps.ini", ":2: 'canary_steps' in [model.churn]: not ascending percents from 1 "
	                      "to 100: '50, 25'"},
	    {"err_chart.ini", ":2: 'chart' in [general]: not braille, block or ascii: 'sixel'"},
	    {"err_cache_max.ini", ":2: 'cache_max_mb' in [general]: not a number > 0: '0'"},
	    {"err_namespace.ini", ":2: 'namespace' in [context.lab]: not a Kubernetes namespace "
	                          "name: 'Models_Prod'"},
	    {"err_general_context.ini", ":2: context 'nope' in [general]: no [context.nope]"},
	    {"err_auth_pair.ini",
	     ":1: [context.lab]: mlflow_username and mlflow_password_file go together"},
	    {"err_outside.ini", ":1: key 'theme' outside of a section"},
	    {"err_empty.ini", ":2: 'kserve' in [context.lab]: empty value"},
	    {"err_label.ini",
	     ":3: 'version_label' in [queries]: not a label name: 'model-version'"},
	    {"err_window.ini",
	     ":2: 'window' in [queries]: not a duration like 5m or 1h30m: '5 minutes'"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err e = {0};
		char path[256], want[512];
		snprintf(path, sizeof path, FIX "%s", cases[i].file);
		snprintf(want, sizeof want, "%s%s", path, cases[i].msg);
		struct config *cfg = load(path, NULL, &e);
		if (cfg || strcmp(e.msg, want) != 0)
			fail_msg("%s: got '%s', want '%s'", cases[i].file, e.msg, want);
		assert_int_equal(e.code, ERR_CONFIG);
		assert_null(strstr(e.msg, "hunter2")); /* never the secret of a URL */
	}
}

static void test_missing_and_unreadable(void **state)
{
	struct err e = {0};
	(void)state;
	struct config *cfg = load(tpath("nope.ini"), NULL, &e);
	assert_null(cfg);
	char want[600];
	snprintf(want, sizeof want, "%s: No such file or directory", tpath("nope.ini"));
	assert_string_equal(e.msg, want);
	/* a default file that is a directory cannot be read: an error, not defaults */
	mkdir(tpath("xdgconfig"), 0700);
	mkdir(tpath("xdgconfig/mltop"), 0700);
	mkdir(tpath("xdgconfig/mltop/config.ini"), 0700);
	cfg = load(NULL, NULL, &e);
	assert_null(cfg);
	assert_non_null(strstr(e.msg, "config.ini"));
	rmdir(tpath("xdgconfig/mltop/config.ini"));
	/* --context naming a context that is not there */
	struct config_args a;
	assert_int_equal(parse_args(&a, &e, "-c", FIX "full.ini", "--context", "qa", END), 0);
	assert_null(config_load(&a, NULL, &e));
	assert_string_equal(e.msg, "--context: unknown context 'qa' in " FIX "full.ini");
	config_args_fini(&a);
}

static void test_args(void **state)
{
	struct config_args a;
	struct err e = {0};
	(void)state;
	assert_int_equal(parse_args(&a, &e, "--demo", "-c", "x.ini", "--context", "prod",
	                            "--mlflow", "http://m:5000", "--prometheus", "http://p:9090",
	                            "--scrape", "http://s1/metrics", "--scrape",
	                            "http://s2/metrics", "--alertmanager", "http://am:9093",
	                            "--kserve", "https://k8s:6443", "--namespace", "models",
	                            "--samples", "/tmp/s.jsonl", "--readonly", "--theme", "mono",
	                            "--refresh", "0.5", "--cache", "/tmp/c.db", "--snapshot",
	                            "--size", "100x30", "--version", "--help", "--info", END),
	                 0);
	assert_true(a.demo && a.readonly && a.snapshot && a.version && a.help && a.info);
	assert_string_equal(a.config_file, "x.ini");
	assert_string_equal(a.context, "prod");
	assert_string_equal(a.mlflow, "http://m:5000");
	assert_string_equal(a.prometheus, "http://p:9090");
	assert_int_equal(a.n_scrape, 2);
	assert_string_equal(a.scrape[1], "http://s2/metrics");
	assert_string_equal(a.alertmanager, "http://am:9093");
	assert_string_equal(a.kserve, "https://k8s:6443");
	assert_string_equal(a.namespace, "models");
	assert_string_equal(a.samples, "/tmp/s.jsonl");
	assert_string_equal(a.theme, "mono");
	assert_int_equal(a.refresh_ms, 500);
	assert_string_equal(a.cache, "/tmp/c.db");
	assert_int_equal(a.size_cols, 100);
	assert_int_equal(a.size_rows, 30);
	config_args_fini(&a);
	assert_null(a.scrape);

	static const struct {
		const char *args[3];
		const char *msg;
	} bad[] = {
	    {{"--bogus"}, "unknown option '--bogus'"},
	    {{"--token=s3cr3t"}, "unknown option '--token'"},
	    {{"-x"}, "unknown option '-x'"},
	    {{"--mlflow"}, "option '--mlflow' needs a value"},
	    {{"-c"}, "option '-c' needs a value"},
	    {{"--mlflow", "mlflow:5000"}, "--mlflow: URL must start with http:// or https://"},
	    {{"--scrape", "ftp://x"}, "--scrape: URL must start with http:// or https://"},
	    {{"--kserve", "https://u:p@k8s"},
	     "--kserve: credentials in a URL are not allowed (use a token or password file)"},
	    {{"--refresh", "0"}, "--refresh: not a number of seconds (0.1 to 86400): '0'"},
	    {{"--refresh", "5s"}, "--refresh: not a number of seconds (0.1 to 86400): '5s'"},
	    {{"--size", "100"}, "--size: expected COLSxROWS, e.g. 120x40: '100'"},
	    {{"--size", "80x24"}, "--size goes with --snapshot"},
	    {{"--namespace", "Bad_NS"}, "--namespace: not a Kubernetes namespace name: 'Bad_NS'"},
	    {{"--samples", "s3://bucket/x"}, "--samples: URL must start with http:// or https://"},
	    {{"stray"}, "unexpected argument 'stray'"},
	    {{"--json"}, "--json goes with --snapshot or --audit"},
	    {{"--verify"}, "--verify goes with --audit, without --json"},
	    {{"--audit", "--json", "--verify"}, "--verify goes with --audit, without --json"},
	    {{"--audit", "--snapshot"}, "--audit goes without --snapshot, --info and --demo"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = parse_args(&a, &e, bad[i].args[0], bad[i].args[1], bad[i].args[2], END);
		assert_int_equal(rc, ERR_CONFIG);
		assert_string_equal(e.msg, bad[i].msg);
	}
	assert_int_equal(parse_args(&a, &e, "--audit", "--verify", END), 0);
	assert_true(a.audit && a.verify && !a.json);
	config_args_fini(&a);
	assert_int_equal(parse_args(&a, &e, "--audit", "--json", "--context", "prod", END), 0);
	assert_true(a.audit && a.json && !a.verify);
	assert_string_equal(a.context, "prod");
	config_args_fini(&a);
	assert_non_null(strstr(config_usage(), "mltop --audit [--json | --verify]"));
	assert_non_null(strstr(config_usage(), "--snapshot [--json] [--size COLSxROWS]"));
	assert_non_null(strstr(config_usage(), "--scrape URL"));
}

static void write_ctx_config(void)
{
	mkdir(tpath("p"), 0700);
	write_file(tpath("p/config.ini"),
	           "[context.a]\nmlflow = http://file:5000\nprometheus = http://prom-a:9090\n"
	           "[context.b]\nmlflow = http://file-b:5000\n",
	           0600);
}

static const char *mlflow_url(struct config *cfg, const char *ctx, char *buf, size_t cap)
{
	struct err e = {0};
	struct context *c = config_context_resolve(cfg, ctx, &e);
	assert_non_null(c);
	snprintf(buf, cap, "%s", c->src[SRC_MLFLOW].url ? c->src[SRC_MLFLOW].url : "(none)");
	config_context_free(&c);
	return buf;
}

static void test_precedence(void **state)
{
	struct err e = {0};
	struct config_args a;
	char u[256];
	(void)state;
	write_ctx_config();
	struct config *cfg = load(tpath("p/config.ini"), NULL, &e);
	assert_string_equal(config_context_default(cfg), "a"); /* the first, no "default" */
	assert_string_equal(mlflow_url(cfg, NULL, u, sizeof u), "http://file:5000");
	config_free(&cfg);

	setenv("MLFLOW_TRACKING_URI", "http://env:5000/", 1);
	cfg = load(tpath("p/config.ini"), NULL, &e);
	assert_string_equal(mlflow_url(cfg, NULL, u, sizeof u), "http://env:5000");
	/* the environment is for the context chosen at start, not for the others */
	assert_string_equal(mlflow_url(cfg, "b", u, sizeof u), "http://file-b:5000");
	config_free(&cfg);

	assert_int_equal(parse_args(&a, &e, "-c", tpath("p/config.ini"), "--mlflow",
	                            "http://flag:5000", "--readonly", "--refresh", "7", END),
	                 0);
	cfg = config_load(&a, tpath("sa-empty"), &e);
	config_args_fini(&a); /* the config keeps its own copy */
	assert_non_null(cfg);
	assert_string_equal(mlflow_url(cfg, "a", u, sizeof u), "http://flag:5000");
	struct context *c = config_context_resolve(cfg, "b", &e);
	assert_string_equal(c->src[SRC_MLFLOW].url, "http://file-b:5000");
	assert_true(c->readonly); /* --readonly and --refresh hold for every context */
	assert_int_equal(c->refresh_ms, 7000);
	config_context_free(&c);
	assert_string_equal(config_args(cfg)->mlflow, "http://flag:5000");
	config_free(&cfg);

	/* no file at all: the environment makes the "default" context */
	cfg = load(NULL, NULL, &e);
	assert_string_equal(mlflow_url(cfg, NULL, u, sizeof u), "http://env:5000");
	config_free(&cfg);
	setenv("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db", 1);
	cfg = load(NULL, NULL, &e);
	assert_string_equal(mlflow_url(cfg, NULL, u, sizeof u), "(none)");
	assert_int_equal(config_warning_count(cfg), 1);
	assert_string_equal(
	    config_warning(cfg, 0),
	    "MLFLOW_TRACKING_URI is a sqlite:// database: mltop needs an MLflow HTTP "
	    "tracking server (http:// or https://) (mlflow server) in front of it; "
	    "ignored");
	config_free(&cfg);
	unsetenv("MLFLOW_TRACKING_URI");
}

static void test_env_auth(void **state)
{
	struct err e = {0};
	(void)state;
	write_ctx_config();
	write_file(tpath("p/tok"), "file-token\n", 0600);
	write_file(tpath("p/config.ini"),
	           "[context.a]\nmlflow = http://file:5000\nmlflow_token_file = tok\n"
	           "[context.b]\nmlflow = http://file-b:5000\nmlflow_token_file = tok\n",
	           0600);
	setenv("MLFLOW_TRACKING_TOKEN", "env-token", 1);
	struct config *cfg = load(tpath("p/config.ini"), NULL, &e);
	struct context *c = config_context_resolve(cfg, NULL, &e);
	assert_string_equal(c->src[SRC_MLFLOW].auth.bearer_token, "env-token");
	assert_string_equal(c->src[SRC_MLFLOW].auth_origin, "MLFLOW_TRACKING_TOKEN");
	assert_null(c->src[SRC_MLFLOW].secret_file);
	config_context_free(&c);
	c = config_context_resolve(cfg, "b", &e);
	assert_string_equal(c->src[SRC_MLFLOW].auth.bearer_token, "file-token");
	config_context_free(&c);
	config_free(&cfg);
	/* username + password come before the token, as in MLflow's client */
	setenv("MLFLOW_TRACKING_USERNAME", "bob", 1);
	setenv("MLFLOW_TRACKING_PASSWORD", "env-pw", 1);
	setenv("MLFLOW_TRACKING_SERVER_CERT_PATH", "/etc/ssl/mlflow.pem", 1);
	cfg = load(tpath("p/config.ini"), NULL, &e);
	c = config_context_resolve(cfg, NULL, &e);
	assert_int_equal(c->src[SRC_MLFLOW].kind, AUTH_BASIC);
	assert_string_equal(c->src[SRC_MLFLOW].auth.username, "bob");
	assert_string_equal(c->src[SRC_MLFLOW].auth.password, "env-pw");
	assert_null(c->src[SRC_MLFLOW].auth.bearer_token);
	assert_string_equal(c->src[SRC_MLFLOW].auth.ca_file, "/etc/ssl/mlflow.pem");
	char *d = describe(cfg, c);
	assert_null(strstr(d, "env-pw"));
	assert_null(strstr(d, "env-token"));
	assert_null(strstr(d, "file-token"));
	assert_non_null(strstr(d, "basic user bob (password from MLFLOW_TRACKING_PASSWORD)"));
	free(d);
	config_context_free(&c);
	config_free(&cfg);
	setenv("MLFLOW_TRACKING_INSECURE_TLS", "true", 1);
	assert_null(load(tpath("p/config.ini"), NULL, &e));
	assert_string_equal(e.msg, "MLFLOW_TRACKING_INSECURE_TLS and "
	                           "MLFLOW_TRACKING_SERVER_CERT_PATH cannot both be set");
	unsetenv("MLFLOW_TRACKING_SERVER_CERT_PATH");
	cfg = load(tpath("p/config.ini"), NULL, &e);
	c = config_context_resolve(cfg, NULL, &e);
	assert_true(c->src[SRC_MLFLOW].auth.insecure);
	config_context_free(&c);
	config_free(&cfg);
	unsetenv("MLFLOW_TRACKING_INSECURE_TLS");
	unsetenv("MLFLOW_TRACKING_USERNAME");
	unsetenv("MLFLOW_TRACKING_PASSWORD");
	unsetenv("MLFLOW_TRACKING_TOKEN");
}

static void test_token_files(void **state)
{
	struct err e = {0};
	(void)state;
	mkdir(tpath("t"), 0700);
	write_file(tpath("t/prom.token"), "\n\t prom-secret-123 \n\n", 0644);
	write_file(tpath("t/am.token"), "am-secret-456", 0600);
	write_file(tpath("t/empty.token"), " \n", 0600);
	write_file(tpath("t/config.ini"),
	           "[context.x]\nprometheus = http://p:9090\nprometheus_token_file = prom.token\n"
	           "alertmanager = http://am:9093\nalertmanager_token_file = am.token\n"
	           "[context.y]\nkserve = http://k:8001\nkserve_token_file = empty.token\n"
	           "[context.z]\nalertmanager_token_file = missing.token\n",
	           0600);
	struct config *cfg = load(tpath("t/config.ini"), NULL, &e);
	assert_non_null(cfg);
	struct context *c = config_context_resolve(cfg, "x", &e);
	assert_non_null(c);
	assert_string_equal(c->src[SRC_PROMETHEUS].auth.bearer_token, "prom-secret-123");
	assert_string_equal(c->src[SRC_ALERTMANAGER].auth.bearer_token, "am-secret-456");
	assert_int_equal(config_warning_count(cfg), 1);
	char want[600];
	snprintf(want, sizeof want, "%s is readable by group or others: chmod 600 it",
	         tpath("t/prom.token"));
	assert_string_equal(config_warning(cfg, 0), want);
	assert_null(strstr(config_warning(cfg, 0), "prom-secret"));

	/* describe: the kind and origin, never the token */
	char *d = describe(cfg, c);
	snprintf(want, sizeof want, "token from %s", tpath("t/prom.token"));
	assert_non_null(strstr(d, want));
	assert_non_null(strstr(d, "http://p:9090"));
	assert_null(strstr(d, "prom-secret-123"));
	assert_null(strstr(d, "am-secret-456"));
	assert_non_null(strstr(d, "warning   "));
	free(d);

	/* the file is rewritten (a projected token): reload picks the new one */
	write_file(tpath("t/am.token"), "am-secret-789\n", 0600);
	assert_int_equal(config_context_reload_tokens(c, &e), 0);
	assert_string_equal(c->src[SRC_ALERTMANAGER].auth.bearer_token, "am-secret-789");
	config_context_free(&c);

	/* resolving again does not repeat the warning */
	c = config_context_resolve(cfg, "x", &e);
	assert_int_equal(config_warning_count(cfg), 1);
	config_context_free(&c);

	assert_null(config_context_resolve(cfg, "y", &e));
	snprintf(want, sizeof want, "context y: kserve auth: %s: empty", tpath("t/empty.token"));
	assert_string_equal(e.msg, want);
	/* a token file for a source that is not configured is not read */
	c = config_context_resolve(cfg, "z", &e);
	assert_non_null(c);
	assert_int_equal(c->src[SRC_ALERTMANAGER].kind, AUTH_NONE);
	config_context_free(&c);
	config_free(&cfg);
}

static void test_incluster(void **state)
{
	struct err e = {0};
	(void)state;
	mkdir(tpath("sa"), 0755);
	write_file(tpath("sa/token"), "sa-jwt-token\n", 0644);
	write_file(tpath("sa/ca.crt"), "-----BEGIN CERTIFICATE-----\n", 0644);
	write_file(tpath("sa/namespace"), "ml-serving\n", 0644);
	setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	struct config *cfg = load(NULL, tpath("sa"), &e);
	assert_non_null(cfg);
	struct context *c = config_context_resolve(cfg, NULL, &e);
	assert_non_null(c);
	assert_string_equal(c->src[SRC_KSERVE].url, "https://10.96.0.1:443");
	assert_int_equal(c->src[SRC_KSERVE].kind, AUTH_BEARER);
	assert_string_equal(c->src[SRC_KSERVE].auth.bearer_token, "sa-jwt-token");
	assert_string_equal(c->src[SRC_KSERVE].auth.ca_file, tpath("sa/ca.crt"));
	assert_string_equal(c->namespace, "ml-serving");
	assert_int_equal(config_warning_count(cfg), 0); /* the kubelet's files, not the user's */
	char *d = describe(cfg, c);
	assert_null(strstr(d, "sa-jwt-token"));
	assert_non_null(strstr(d, "namespace ml-serving"));
	free(d);
	config_context_free(&c);
	config_free(&cfg);

	/* IPv6 host in brackets; --namespace wins over the file */
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	struct config_args a;
	assert_int_equal(parse_args(&a, &e, "--namespace", "other", END), 0);
	cfg = config_load(&a, tpath("sa"), &e);
	config_args_fini(&a);
	c = config_context_resolve(cfg, NULL, &e);
	assert_string_equal(c->src[SRC_KSERVE].url, "https://[fd00::1]:443");
	assert_string_equal(c->namespace, "other");
	config_context_free(&c);
	config_free(&cfg);
	/* out of a pod (no service-account files): nothing */
	cfg = load(NULL, tpath("sa-empty"), &e);
	c = config_context_resolve(cfg, NULL, &e);
	assert_null(c->src[SRC_KSERVE].url);
	assert_string_equal(c->namespace, "default");
	config_context_free(&c);
	config_free(&cfg);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
}

static void test_flags_and_env_general(void **state)
{
	struct err e = {0};
	struct config_args a;
	(void)state;
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(parse_args(&a, &e, "-c", FIX "full.ini", "--theme", "mono", "--cache",
	                            "/tmp/x.db", "--context", "prod", "--scrape",
	                            "http://only/metrics", "--samples", "http://s/x.jsonl", END),
	                 0);
	struct config *cfg = config_load(&a, tpath("sa-empty"), &e);
	config_args_fini(&a);
	assert_non_null(cfg);
	const struct config_general *g = config_general(cfg);
	assert_true(g->no_color);
	assert_string_equal(g->theme, "mono");
	assert_string_equal(g->cache, "/tmp/x.db");
	assert_string_equal(config_context_default(cfg), "prod");
	config_free(&cfg);
	unsetenv("NO_COLOR");

	mkdir(tpath("f"), 0700);
	write_file(tpath("f/config.ini"), "[context.default]\nscrape = http://file/metrics\n",
	           0600);
	assert_int_equal(parse_args(&a, &e, "-c", tpath("f/config.ini"), "--scrape",
	                            "http://flag1/metrics", "--scrape", "http://flag2/metrics",
	                            "--samples", "http://s/x.jsonl", END),
	                 0);
	cfg = config_load(&a, tpath("sa-empty"), &e);
	config_args_fini(&a);
	struct context *c = config_context_resolve(cfg, NULL, &e);
	assert_int_equal(c->n_scrape, 2);
	assert_string_equal(c->scrape[0], "http://flag1/metrics");
	assert_string_equal(c->src[SRC_SAMPLES].url, "http://s/x.jsonl");
	config_context_free(&c);
	config_free(&cfg);
}

static void test_syntax_variants(void **state)
{
	struct err e = {0};
	char text[2048], longv[400];
	(void)state;
	mkdir(tpath("s"), 0700);
	memset(longv, 'x', 300);
	longv[300] = '\0';
	/* BOM, CRLF, indented keys, ':' as separator, comments long and short */
	snprintf(text, sizeof text,
	         "\xEF\xBB\xBF[general]\r\n  theme: t%s ; comment\r\n# %s\r\n"
	         "\t; indented comment\r\n\r\n  [context.c1]\r\n\tmlflow = http://m:1 \r\n",
	         longv, longv);
	write_file(tpath("s/a.ini"), text, 0600);
	struct config *cfg = load(tpath("s/a.ini"), NULL, &e);
	assert_non_null(cfg);
	assert_int_equal(strlen(config_general(cfg)->theme), 301);
	struct context *c = config_context_resolve(cfg, "c1", &e);
	assert_string_equal(c->src[SRC_MLFLOW].url, "http://m:1");
	config_context_free(&c);
	config_free(&cfg);
	/* a long line that is not "key = value" */
	snprintf(text, sizeof text, "[general]\n%s\n", longv);
	write_file(tpath("s/b.ini"), text, 0600);
	assert_null(load(tpath("s/b.ini"), NULL, &e));
	assert_non_null(strstr(e.msg, "b.ini:2: syntax error: line too long"));
	/* an empty file is fine */
	write_file(tpath("s/c.ini"), "", 0600);
	cfg = load(tpath("s/c.ini"), NULL, &e);
	assert_non_null(cfg);
	assert_true(config_file_found(cfg));
	config_free(&cfg);
}

static void test_query_expand(void **state)
{
	(void)state;
	char *q = config_query_expand(
	    "rate(x{model=\"{model}\",version=\"{version}\"}[5m]) {other}", "churn", "4");
	assert_string_equal(q, "rate(x{model=\"churn\",version=\"4\"}[5m]) {other}");
	free(q);
	q = config_query_expand("m{model=\"{model}\"}", "a\"b\\c", NULL);
	assert_string_equal(q, "m{model=\"a\\\"b\\\\c\"}");
	free(q);
	assert_null(config_query_expand(NULL, "m", "v"));
	struct config_query_vars v = {.model = "a\nb",
	                              .namespace = "ns\"1",
	                              .window = "1h30m",
	                              .model_label = "model_name",
	                              .version_label = "model_version"};
	q = config_query_fill(
	    "sum by ({model_label}, {version_label}) (rate(x{namespace=\"{namespace}\","
	    "{model_label}=\"{model}\",v=\"{version}\"}[{window}])) {window",
	    &v);
	assert_string_equal(q, "sum by (model_name, model_version) (rate(x{namespace=\"ns\\\"1\","
	                       "model_name=\"a\\nb\",v=\"\"}[1h30m])) {window");
	free(q);
	struct config_model m;
	config_model_defaults(&m, "iris");
	assert_string_equal(m.deployment, "iris");
	assert_int_equal(m.n_canary_steps, 4);
	assert_int_equal(m.canary_steps[2], 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_file_defaults),
	    cmocka_unit_test(test_full_file),
	    cmocka_unit_test(test_full_contexts),
	    cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_missing_and_unreadable),
	    cmocka_unit_test(test_args),
	    cmocka_unit_test(test_precedence),
	    cmocka_unit_test(test_env_auth),
	    cmocka_unit_test(test_token_files),
	    cmocka_unit_test(test_incluster),
	    cmocka_unit_test(test_flags_and_env_general),
	    cmocka_unit_test(test_syntax_variants),
	    cmocka_unit_test(test_query_expand),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
