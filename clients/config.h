/* config: the command line, the INI file ($XDG_CONFIG_HOME/mltop/config.ini), the environment
 * (MLFLOW_TRACKING_*, NO_COLOR, XDG_*) and KServe's in-cluster service-account files, merged with
 * the precedence flag > environment > file, and resolved into one flat struct context per
 * context.
 *
 * Typical use in main:
 *	struct config_args a; struct err e;
 *	if (config_args_parse(&a, argc, argv, &e) < 0) { print e.msg and config_usage(); exit 2 }
 *	struct config *cfg = config_load(&a, NULL, &e);      NULL: exit 2 with e.msg
 *	struct context *ctx = config_context_resolve(cfg, NULL, &e);
 *	print config_warning(cfg, i) for i < config_warning_count(cfg) …
 * The file's errors name the file and the line; URLs are never repeated in a message (they
 * could carry a secret), and a URL with user:password@ is refused.
 * Secrets (tokens, passwords) are read from files or the environment at resolve time, kept in
 * memory only, and never appear in an error message, a warning or config_describe. */
#ifndef MLTOP_CONFIG_H
#define MLTOP_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "clients/err.h"
#include "clients/http.h"
#include "clients/sched.h"

/* KServe's in-cluster files: token, ca.crt, namespace. */
#define CONFIG_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

/* The command line, exactly as config_usage (`mltop --help`) lists it. One ownership rule: every
 * string is borrowed (it points into argv, or into storage its maker keeps alive longer than the
 * args, as main does with --demo's struct demo) and is never freed through the args; the args
 * own only the scrape array itself, which config_args_fini frees. config_load keeps a copy whose
 * strings live in one block the config owns. URL options are checked here (http:// or https://,
 * no credentials). */
struct config_args {
	int demo, readonly, snapshot, json, version, help, info;
	const char *config_file; /* -c FILE: must exist */
	const char *context;
	const char *mlflow, *prometheus, *alertmanager, *kserve;
	const char **scrape; /* --scrape URL, repeatable */
	size_t n_scrape;
	const char *namespace;
	const char *samples; /* URL or file path */
	const char *theme;
	int64_t refresh_ms; /* --refresh SECONDS (fractions allowed); 0: not given */
	const char *cache;
	int size_cols, size_rows; /* --size COLSxROWS; 0: not given */
	int audit, verify;        /* --audit [--json | --verify]: the audit log, then exit */
};

/* Parses argv with getopt_long. Returns 0, or ERR_CONFIG with e->msg ("unknown option '--foo'",
 * "--refresh: not a number of seconds (0.1 to 86400): 'x'", "--size goes with --snapshot") for
 * main to print with config_usage() and exit 2. Implemented in clients/cli.c.
 * Free with config_args_fini. */
int config_args_parse(struct config_args *a, int argc, char **argv, struct err *e);
void config_args_fini(struct config_args *a);
/* Replaces the scrape list by the one URL url (borrowed, as every string). 0 or ERR_NOMEM. */
int config_args_scrape_only(struct config_args *a, const char *url);
const char *config_usage(void); /* the usage text, several lines ending in '\n' */

enum config_chart { CONFIG_CHART_BRAILLE, CONFIG_CHART_BLOCK, CONFIG_CHART_ASCII };

/* [general], after env and flags. Strings are owned by the config. */
struct config_general {
	char *context;       /* default context name, or NULL */
	char *theme;         /* NULL: the built-in default */
	int64_t refresh_ms;  /* default 5,000 */
	char *cache;         /* path: --cache > [general] cache > $XDG_CACHE_HOME/mltop/cache.db */
	double cache_max_mb; /* the cache's cap in MiB ([general] cache_max_mb); default 1,024 */
	enum config_chart chart;
	char *user;             /* for the audit log and silences; default $USER@hostname */
	char *host;             /* hostname */
	char **lower_is_better; /* metric names overriding the automatic direction */
	size_t n_lower;
	char **higher_is_better;
	size_t n_higher;
	int no_color; /* NO_COLOR set and not empty */
	int mouse; /* report clicks and the wheel (default 1); 0 leaves the mouse to the terminal */
};

/* [model.NAME]; the strings of a configured model are owned by the config. */
struct config_model {
	const char *name;
	const char *deployment; /* KServe InferenceService name; default name */
	const char *registered; /* registry model name; default name */
	const char *metric;     /* key offline metric, e.g. "auc", or NULL */
	double slo_p99_ms;      /* < 0: none */
	double slo_error_pct;   /* 0..100; < 0: none */
	double canary_p95_tol; /* canary p95 / stable p95 above which the canary is worse; 0: 1.2 */
	int canary_steps[16];  /* ascending percents 1..100; default 10, 25, 50, 100 */
	size_t n_canary_steps;
	/* action hooks: command lines split by hook_split (clients/hook.h), run without a shell;
	 * NULL: the context's, if any */
	const char *promote_cmd, *canary_cmd, *rollback_cmd;
	int64_t hook_timeout_ms; /* 0: the context's */
	/* which rows of the model's eval tables fail ("prediction != label", "score < 0.5": the
	 * syntax of samples_rule_parse); NULL: the context's, else the automatic rules */
	const char *eval_failure;
};

/* The flat view of one context that the clients and panels use. Every string is owned by the
 * struct context; a source that is not configured has a NULL url. */
enum config_auth_kind { AUTH_NONE, AUTH_BEARER, AUTH_BASIC };

struct config_source {
	char *url;             /* http:// or https:// without a trailing '/', or NULL */
	struct http_auth auth; /* its pointers point into this struct's storage */
	enum config_auth_kind kind;
	char *auth_origin; /* where the secret came from: "/path/token", "MLFLOW_TRACKING_TOKEN" */
	char *secret_file; /* the token file to re-read, or NULL (from the environment / none) */
	char *secret, *user, *ca; /* storage behind auth; never print secret */
	/* with --info only: why its auth could not be set up ("/path/token: No such file or
	 * directory"), the source then going without; a normal start fails with it instead */
	char *problem;
};

struct context {
	char *name;
	struct config_source src[SRC_COUNT]; /* indexed by enum source_id (clients/sched.h) */
	char **scrape;                       /* scrape URLs; src[SRC_SCRAPE].url is the first */
	size_t n_scrape;
	char *namespace; /* KServe namespace: flag > file > in-cluster file > "default" */
	char *samples;   /* URL or file path, or NULL; src[SRC_SAMPLES].url when it is a URL */
	/* the MLflow server's --static-prefix ("/mlflow"), which moves /health, /version and
	 * /get-artifact (not /api/2.0); NULL: none */
	char *mlflow_static_prefix;
	int readonly; /* --readonly or readonly = true */
	int demo;     /* the context of --demo: every source is the bundled simulator */
	int danger;   /* production: the header turns red */
	int64_t refresh_ms;
	/* the context's action hooks (a [model.NAME]'s own override them), or NULL */
	char *promote_cmd, *canary_cmd, *rollback_cmd;
	int64_t hook_timeout_ms; /* 0: the default */
	char
	    *eval_failure; /* the failing rows of eval tables, as config_model's; NULL: automatic */
};

struct config;

/* Loads the file (a missing default file is fine, a missing -c FILE is an error), applies the
 * environment and the flags. sa_dir: the service-account directory (NULL: CONFIG_SA_DIR); tests
 * point it at a temporary one. Returns NULL with e filled (ERR_CONFIG, "FILE:LINE: unknown key
 * 'foo' in [general]") on any error; main exits 2. */
struct config *config_load(const struct config_args *a, const char *sa_dir, struct err *e);
void config_free(struct config **cfg);

const char *config_path(const struct config *cfg);       /* the file read or looked for */
const char *config_themes_dir(const struct config *cfg); /* $XDG_CONFIG_HOME/mltop/themes */
int config_file_found(const struct config *cfg);
const struct config_general *config_general(const struct config *cfg);
const struct config_args *config_args(const struct config *cfg); /* as given to config_load */
/* Where the theme in use was named, for its errors: "PATH:LINE" of [general] theme, or NULL
 * (--theme, or the default). */
const char *config_theme_origin(const struct config *cfg, char *buf, size_t n);

/* --demo runs in a context of its own, so that the simulator's data never lands in "default" or
 * in a context of the user's; it sends no credential (the simulator needs none). */
#define CONFIG_DEMO_CONTEXT "demo"
/* The server identity in the cache of the demo's simulator: it listens on a new port at each
 * start, but serves the same world, so its answers are kept as one server's (no URL normalises
 * to this). */
#define CONFIG_DEMO_SERVER "mltop-sim (demo)"

/* Context names in file order (for `:ctx NAME` completion). When the file has none, one
 * implicit context "default" built from the environment and flags; with --demo, the implicit
 * context "demo" after those of the file (and no "default"). */
size_t config_context_count(const struct config *cfg);
const char *config_context_name(const struct config *cfg, size_t i);
/* The context chosen at start: "demo" with --demo, else --context > [general] context >
 * "default" > the first one. */
const char *config_context_default(const struct config *cfg);

/* Resolves a context by name (NULL: the default one) into a new struct context, reading the
 * token and password files now (whitespace trimmed; only for sources that have a URL). Source
 * URLs, --namespace/--samples/--scrape and MLFLOW_TRACKING_* (URI, credentials, TLS) apply to the
 * context chosen at start only; --readonly and --refresh apply to every context. Per source:
 * <source>_token_file gives a bearer token; mlflow_username + mlflow_password_file basic auth
 * (MLFLOW_TRACKING_USERNAME/PASSWORD, else MLFLOW_TRACKING_TOKEN, override them); ca_file and
 * insecure hold for every source of the context. KServe: without kserve_token_file, the
 * service-account token (and its ca.crt) when present; without a kserve URL, the in-cluster API
 * server (KUBERNETES_SERVICE_HOST/PORT) when the token is there. New warnings (a token file
 * readable by group or others) go to the warnings list. */
struct context *config_context_resolve(struct config *cfg, const char *name, struct err *e);
void config_context_free(struct context **ctx);
/* Re-reads every token file (projected KServe tokens are rewritten by the kubelet). */
int config_context_reload_tokens(struct context *ctx, struct err *e);

/* [model.NAME] sections in file order; config_model_find returns NULL when absent. */
size_t config_model_count(const struct config *cfg);
const struct config_model *config_model_at(const struct config *cfg, size_t i);
const struct config_model *config_model_find(const struct config *cfg, const char *name);
/* Fills m with the defaults for a model that has no section: its strings point to name (not
 * copied), so m lives no longer than name. */
void config_model_defaults(struct config_model *m, const char *name);

/* [queries]: PromQL templates by name ("rps", "error_ratio", "p50", "p95", "p99", "drift"),
 * built-in defaults overridden by the file, and the names the serving clients use:
 * "model_label" and "version_label" (the labels that name a deployment's model and version,
 * default "model" and "version"), "window" (the rate window, default "5m"), and for a direct
 * scrape without Prometheus "requests_metric" (a counter), "code_label" (its HTTP status),
 * "errors_metric" (a counter of failures only, for servers that count them apart; default ""),
 * "latency_metric" (a histogram in seconds) and "drift_metric" (a gauge). Names are checked at
 * load time (a label name, a metric name, a duration). NULL for an unknown name. */
const char *config_query(const struct config *cfg, const char *name);

/* What a template's placeholders expand to. {model}, {version} and {namespace} are escaped for a
 * PromQL string literal (\ " and newline); {window}, {model_label} and {version_label} go in as
 * they are (config_query checked them). Other braces are PromQL's and stay; NULL values expand
 * to "". */
struct config_query_vars {
	const char *model, *version, *namespace;
	const char *window, *model_label, *version_label;
};
char *config_query_fill(const char *tmpl, const struct config_query_vars *v); /* caller frees */
/* config_query_fill with only {model} and {version}. */
char *config_query_expand(const char *tmpl, const char *model, const char *version);

/* Metric direction from lower_is_better / higher_is_better: -1 lower is better, +1 higher is
 * better, 0 not configured (use the automatic rule). */
int config_metric_direction(const struct config *cfg, const char *metric);

/* Warnings collected so far (one line each, no secret), for main to print or show. */
size_t config_warning_count(const struct config *cfg);
const char *config_warning(const struct config *cfg, size_t i);

/* `mltop --info`: config path, cache path, themes dir, the resolved sources of ctx (may be NULL)
 * and the KIND of their auth only ("token from /path", "basic user alice"). Never a secret.
 * A "problem:" line follows what cannot work: a source whose token file is missing or
 * unreadable, the cache when cache_problem is not NULL. Returns how many problems it listed. */
int config_describe(const struct config *cfg, const struct context *ctx, const char *cache_problem,
                    FILE *out);

#endif
