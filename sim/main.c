/* mltop-sim: a simulated MLOps stack (MLflow, /metrics, KServe, Alertmanager, failed samples) on
 * one loopback port, for the demo and the tests. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "sim/clock.h"
#include "sim/mlflow.h"
#include "sim/server.h"
#include "sim/serving.h"
#include "sim/sim.h"

#define MAIN_DEFAULT_SEED 20240611ULL

static const char main_usage[] =
    "usage: mltop-sim [--port N] [--seed N] [--scale N] [--experiments N] [--deployments N]\n"
    "                 [--time-scale X] "
    "[--start-ms MS]\n"
    "                 [--alerts N] [--samples N] [--mlflow-version X.Y] [--static-prefix /P]\n"
    "                 [--kserve-ready-s S] [--kserve-raw NAME]\n"
    "                 [--version] [--help]\n"
    "  --port N        listen on 127.0.0.1:N (0, the default, picks a free port)\n"
    "  --seed N        the world's seed (same seed, same world)\n"
    "  --scale N       N runs spread over the experiments (benchmarks)\n"
    "  --experiments N N more experiments, without runs (benchmarks)\n"
    "  --deployments N N more deployments with their /metrics series and InferenceServices,\n"
    "                  one healthy version each, no alerts nor samples (benchmarks)\n"
    "  --samples N     N more failed samples on /samples, from the hour before the start\n"
    "  --time-scale X  world seconds per real second (default 1; 0 freezes the clock)\n"
    "  --start-ms MS   the world clock starts at MS ms since the epoch (default: now)\n"
    "  --alerts N      N more firing alerts, drift alerts of bench-model-* (scale tests)\n"
    "  --mlflow-version X.Y[.Z]  the MLflow release imitated where releases differ\n"
    "                  (2.x or 3.x; default " MLFLOW_SERVER_VERSION ")\n"
    "  --static-prefix /P  as mlflow server --static-prefix: /P/health, /P/version,\n"
    "                  /P/get-artifact, /P/ajax-api/... (/api/2.0 stays)\n"
    "  --kserve-ready-s S  world seconds a new KServe revision takes to get ready (default 3)\n"
    "  --kserve-raw NAME   the InferenceService NAME runs in raw deployment mode (no canary)\n"
    "  --version       print the version, the libraries' and the build's commit, and exit\n"
    "  --help          print this help and exit\n";

struct main_args {
	struct sim_opts opts;
	long long start_ms; /* -1: now */
};

static int main_number(const char *s, long double lo, long double hi, long double *out)
{
	char *end;
	long double v;

	errno = 0;
	v = strtold(s, &end);
	if (errno || end == s || *end || !isfinite((double)v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int main_integer(const char *s, long double lo, long double hi, long double *out)
{
	if (main_number(s, lo, hi, out) != 0 || strspn(s, "0123456789") != strlen(s))
		return -1;
	return 0;
}

/* The MLflow options (the server's own rules for the prefix); 1 when name is none of them. */
static int main_mlflow_option(struct main_args *a, const char *name, const char *val)
{
	struct mlflow_server s;
	size_t n = strlen(val);

	if (strcmp(name, "--mlflow-version") == 0) {
		if (mlflow_server_parse(val, &s) != 0)
			return -1;
		a->opts.mlflow_version = val;
		return 0;
	}
	if (strcmp(name, "--static-prefix") != 0)
		return 1;
	if (val[0] != '/' || n < 2 || val[n - 1] == '/' || n >= sizeof(s.prefix))
		return -1;
	a->opts.static_prefix = val;
	return 0;
}

/* The KServe options; 1 when name is none of them. */
static int main_kserve_option(struct main_args *a, const char *name, const char *val)
{
	long double v;

	if (strcmp(name, "--kserve-ready-s") == 0) {
		if (main_number(val, 0, 86400, &v) != 0)
			return -1;
		a->opts.kserve_ready_ms = (long)(v * 1000);
		return 0;
	}
	if (strcmp(name, "--kserve-raw") != 0)
		return 1;
	if (!*val)
		return -1;
	a->opts.kserve_raw = val;
	return 0;
}

/* One option with its value; returns 0 or -1 (message on stderr). */
static int main_option(struct main_args *a, const char *name, const char *val)
{
	long double v;
	int rc = main_mlflow_option(a, name, val);

	if (rc > 0)
		rc = main_kserve_option(a, name, val);

	if (rc <= 0) {
		if (rc < 0)
			fprintf(stderr, "mltop-sim: bad value '%s' for %s\n", val, name);
		return rc;
	}
	if (strcmp(name, "--samples") == 0) {
		if (main_integer(val, 0, 10000000, &v) != 0) {
			fprintf(stderr, "mltop-sim: bad value '%s' for %s\n", val, name);
			return -1;
		}
		a->opts.samples = (long)v;
		return 0;
	}
	rc = -1;
	if (strcmp(name, "--port") == 0 && (rc = main_integer(val, 0, 65535, &v)) == 0)
		a->opts.port = (int)v;
	else if (strcmp(name, "--seed") == 0 && (rc = main_integer(val, 0, 1.8e19L, &v)) == 0)
		a->opts.seed = strtoull(val, NULL, 10);
	else if (strcmp(name, "--scale") == 0 && (rc = main_integer(val, 0, 10000000, &v)) == 0)
		a->opts.scale = (long)v;
	else if (strcmp(name, "--experiments") == 0 &&
	         (rc = main_integer(val, 0, 1000000, &v)) == 0)
		a->opts.experiments = (long)v;
	else if (strcmp(name, "--deployments") == 0 &&
	         (rc = main_integer(val, 0, SERVING_MAX_EXTRA, &v)) == 0)
		a->opts.deployments = (long)v;
	else if (strcmp(name, "--time-scale") == 0 && (rc = main_number(val, 0, 1e6, &v)) == 0)
		a->opts.time_scale = (double)v;
	else if (strcmp(name, "--start-ms") == 0 && (rc = main_integer(val, 0, 1e15L, &v)) == 0)
		a->start_ms = (long long)v;
	else if (strcmp(name, "--alerts") == 0 && (rc = main_integer(val, 0, 1000000, &v)) == 0)
		a->opts.alerts = (long)v;
	else if (strcmp(name, "--port") && strcmp(name, "--seed") && strcmp(name, "--scale") &&
	         strcmp(name, "--experiments") && strcmp(name, "--deployments") &&
	         strcmp(name, "--time-scale") && strcmp(name, "--start-ms") &&
	         strcmp(name, "--alerts")) {
		fprintf(stderr, "mltop-sim: unknown option '%s'\n", name);
		return -1;
	}
	if (rc != 0)
		fprintf(stderr, "mltop-sim: bad value '%s' for %s\n", val, name);
	return rc;
}

/* MLTOP_VERSION and MLTOP_COMMIT: the Makefile defines them for this object alone. */
static void main_version(void)
{
	printf("mltop-sim %s (commit %s)\n  libmicrohttpd %s\n  cJSON %s\n", MLTOP_VERSION,
	       MLTOP_COMMIT, MHD_get_version(), cJSON_Version());
}

/* Returns 0, 1 for --help, 2 for --version, or -1 on bad usage. */
static int main_parse(int argc, char **argv, struct main_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		char name[32];
		const char *eq = strchr(argv[i], '='), *val;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
		if (strcmp(argv[i], "--version") == 0)
			return 2;
		if (eq && eq - argv[i] < (long)sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[i]), argv[i]);
			val = eq + 1;
		} else if (i + 1 < argc) {
			snprintf(name, sizeof(name), "%s", argv[i]);
			val = argv[++i];
		} else {
			fprintf(stderr, "mltop-sim: missing value for '%s'\n", argv[i]);
			return -1;
		}
		if (main_option(a, name, val) != 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct main_args a = {
	    {.seed = MAIN_DEFAULT_SEED, .time_scale = 1.0, .kserve_ready_ms = 3000}, -1};
	sigset_t set;
	int rc, port, sig;

	rc = main_parse(argc, argv, &a);
	if (rc == 2) {
		main_version();
		return 0;
	}
	if (rc != 0) {
		fputs(main_usage, rc > 0 ? stdout : stderr);
		return rc > 0 ? 0 : 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (a.start_ms >= 0)
		sim_clock_init_at(a.opts.time_scale, a.start_ms);
	else
		sim_clock_init(a.opts.time_scale);
	if (mlflow_init(&a.opts) != 0 || ops_init(&a.opts) != 0) {
		fprintf(stderr, "mltop-sim: cannot build the world\n");
		return 1;
	}
	if (server_start(a.opts.port, &port) != 0)
		return 1;
	printf("listening on http://127.0.0.1:%d\n", port);
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	server_stop();
	return 0;
}
