/* config: the INI file (through inih), the environment and the flags, merged flag > environment >
 * file; contexts resolved into struct context with their secrets read from files. */
#include "clients/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clients/cli.h"
#include "clients/config_env.h"
#include "clients/config_ini.h"
#include "clients/config_query.h"

#define CONFIG_MAX_SECRET 65536

static int config_warn(struct config *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int config_warn(struct config *cfg, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < cfg->n_warnings; i++)
		if (strcmp(cfg->warnings[i], line) == 0)
			return 0; /* once is enough: contexts are resolved again on :ctx */
	return cli_strv_add(&cfg->warnings, &cfg->n_warnings, line);
}

/* $VAR/sub when VAR is an absolute path (XDG rule), else ~/fallback/sub. */
static char *config_xdg(const char *var, const char *fallback, const char *sub)
{
	const char *v = getenv(var);
	if (v && v[0] == '/')
		return cli_fmt("%s/%s", v, sub);
	char *home = cli_home_dir();
	char *p = home ? cli_fmt("%s/%s/%s", home, fallback, sub) : NULL;
	free(home);
	return p;
}

/* ---- defaults -------------------------------------------------------------------------- */

static int config_defaults(struct config *cfg)
{
	struct config_general *g = &cfg->general;
	g->refresh_ms = 5000;
	g->cache_max_mb = 1024; /* 100,000 runs take about 300 MiB */
	g->mouse = 1;
	g->chart = CONFIG_CHART_BRAILLE;
	for (int i = 0; i < CONFIG_NQUERIES; i++)
		if (!(cfg->queries[i] = strdup(config_query_default(i))))
			return ERR_NOMEM;
	char host[256] = "localhost";
	if (gethostname(host, sizeof host) < 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	const char *user = getenv("USER");
	struct passwd *pw = NULL;
	if (!user || !*user)
		pw = getpwuid(getuid());
	g->host = strdup(host);
	g->user = cli_fmt("%s@%s", user && *user ? user : pw ? pw->pw_name : "unknown", host);
	cfg->themes_dir = config_xdg("XDG_CONFIG_HOME", ".config", "mltop/themes");
	return g->host && g->user && cfg->themes_dir ? 0 : ERR_NOMEM;
}

/* ---- environment and flags ------------------------------------------------------------- */

static int config_apply_env(struct config *cfg, struct err *e)
{
	const char *nc = getenv("NO_COLOR");
	cfg->general.no_color = nc && *nc;
	char warning[256] = "";
	int rc = config_env_read(&cfg->env, warning, sizeof warning, e);
	if (warning[0])
		config_warn(cfg, "%s", warning);
	if (rc == 0 && !cfg->env.username != !cfg->env.password)
		config_warn(cfg,
		            "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD go together: "
		            "basic auth not used");
	return rc;
}

static int config_set_str(char **dst, const char *v)
{
	if (!v)
		return 0;
	char *d = strdup(v);
	if (!d)
		return ERR_NOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

static int config_apply_flags(struct config *cfg)
{
	const struct config_args *a = &cfg->args;
	struct config_general *g = &cfg->general;
	if (a->refresh_ms > 0)
		g->refresh_ms = a->refresh_ms;
	if (config_set_str(&g->theme, a->theme) < 0 || config_set_str(&g->cache, a->cache) < 0)
		return ERR_NOMEM;
	if (!g->cache && !(g->cache = config_xdg("XDG_CACHE_HOME", ".cache", "mltop/cache.db")))
		return ERR_NOMEM;
	return 0;
}

/* The context to start with: "demo" with --demo, else --context > [general] context >
 * "default" > the first one. */
static int config_choose_start(struct config *cfg, struct err *e)
{
	const char *want = cfg->args.context ? cfg->args.context : cfg->general.context;
	if (cfg->args.demo) { /* a context of its own: never one of the file's, nor "default" */
		if (cfg->args.context || config_ini_ctx_find(cfg, CONFIG_DEMO_CONTEXT))
			return err_set(
			    e, ERR_CONFIG, "--demo runs in a context of its own, '%s': %s",
			    CONFIG_DEMO_CONTEXT,
			    cfg->args.context ? "--context does not go with it"
			                      : "the configuration defines one of that name");
		if (!config_ini_ctx_add(cfg, CONFIG_DEMO_CONTEXT))
			return ERR_NOMEM;
		want = CONFIG_DEMO_CONTEXT;
	}
	if (cfg->n_ctxs == 0) {
		if (want && strcmp(want, "default") != 0)
			return err_set(e, ERR_CONFIG, "unknown context '%s' (%s defines none)",
			               want, cfg->path);
		if (!config_ini_ctx_add(cfg, "default"))
			return ERR_NOMEM;
	}
	if (want && !config_ini_ctx_find(cfg, want)) {
		if (cfg->args.context)
			return err_set(e, ERR_CONFIG, "--context: unknown context '%s' in %s", want,
			               cfg->path);
		return err_set(e, ERR_CONFIG, "%s:%d: context '%s' in [general]: no [context.%s]",
		               cfg->path, cfg->general_context_line, want, want);
	}
	if (!want)
		want = config_ini_ctx_find(cfg, "default") ? "default" : cfg->ctxs[0].name;
	cfg->start = strdup(want);
	return cfg->start ? 0 : ERR_NOMEM;
}

struct config *config_load(const struct config_args *a, const char *sa_dir, struct err *e)
{
	struct config *cfg = calloc(1, sizeof *cfg);
	struct config_args none = {0};
	int rc = ERR_NOMEM;
	if (!cfg)
		goto out;
	if ((rc = cli_args_copy(&cfg->args, a ? a : &none, &cfg->args_text)) < 0 ||
	    (rc = config_defaults(cfg)) < 0)
		goto out;
	cfg->sa_dir = strdup(sa_dir ? sa_dir : CONFIG_SA_DIR);
	cfg->path = cfg->args.config_file
	                ? strdup(cfg->args.config_file)
	                : config_xdg("XDG_CONFIG_HOME", ".config", "mltop/config.ini");
	rc = ERR_NOMEM;
	if (!cfg->sa_dir || !cfg->path)
		goto out;
	if ((rc = config_ini_parse(cfg, cfg->args.config_file != NULL, e)) < 0)
		goto out;
	if ((rc = config_apply_env(cfg, e)) < 0 || (rc = config_apply_flags(cfg)) < 0)
		goto out;
	rc = config_choose_start(cfg, e);
out:
	if (rc < 0) {
		if (rc == ERR_NOMEM)
			err_set(e, ERR_NOMEM, "configuration: out of memory");
		config_free(&cfg);
	}
	return cfg;
}

static void config_ctx_def_free(struct config_ctx_def *d)
{
	free(d->name);
	for (int s = 0; s < SRC_COUNT; s++) {
		free(d->url[s]);
		free(d->token_file[s]);
	}
	cli_strv_free(&d->scrape, &d->n_scrape);
	free(d->namespace);
	free(d->samples);
	free(d->mlflow_username);
	free(d->mlflow_password_file);
	free(d->ca_file);
	free(d->mlflow_static_prefix);
	free(d->promote_cmd);
	free(d->canary_cmd);
	free(d->rollback_cmd);
	free(d->eval_failure);
}

static void config_model_free(struct config_model_def *d)
{
	struct config_model_strs *o = &d->own;
	char **all[] = {&o->name,        &o->deployment, &o->registered,   &o->metric,
	                &o->promote_cmd, &o->canary_cmd, &o->rollback_cmd, &o->eval_failure};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(*all[i]);
}

void config_free(struct config **cfgp)
{
	if (!cfgp || !*cfgp)
		return;
	struct config *cfg = *cfgp;
	struct config_general *g = &cfg->general;
	free(g->context);
	free(g->theme);
	free(g->cache);
	free(g->user);
	free(g->host);
	cli_strv_free(&g->lower_is_better, &g->n_lower);
	cli_strv_free(&g->higher_is_better, &g->n_higher);
	for (size_t i = 0; i < cfg->n_ctxs; i++)
		config_ctx_def_free(&cfg->ctxs[i]);
	free(cfg->ctxs);
	for (size_t i = 0; i < cfg->n_models; i++)
		config_model_free(&cfg->models[i]);
	free(cfg->models);
	for (int i = 0; i < CONFIG_NQUERIES; i++)
		free(cfg->queries[i]);
	cli_strv_free(&cfg->warnings, &cfg->n_warnings);
	config_env_fini(&cfg->env);
	cli_args_fini(&cfg->args);
	free(cfg->args_text);
	free(cfg->path);
	free(cfg->themes_dir);
	free(cfg->sa_dir);
	free(cfg->start);
	free(cfg);
	*cfgp = NULL;
}

/* ---- accessors ------------------------------------------------------------------------- */

int config_args_parse(struct config_args *a, int argc, char **argv, struct err *e)
{
	return cli_parse(a, argc, argv, e);
}

void config_args_fini(struct config_args *a)
{
	cli_args_fini(a);
}

int config_args_scrape_only(struct config_args *a, const char *url)
{
	return cli_args_scrape_only(a, url);
}

const char *config_usage(void)
{
	return cli_usage();
}

const char *config_path(const struct config *cfg)
{
	return cfg->path;
}

const char *config_themes_dir(const struct config *cfg)
{
	return cfg->themes_dir;
}

int config_file_found(const struct config *cfg)
{
	return cfg->found;
}

const struct config_general *config_general(const struct config *cfg)
{
	return &cfg->general;
}

const struct config_args *config_args(const struct config *cfg)
{
	return &cfg->args;
}

const char *config_theme_origin(const struct config *cfg, char *buf, size_t n)
{
	if (cfg->args.theme || !cfg->general_theme_line || !cfg->general.theme)
		return NULL;
	snprintf(buf, n, "%s:%d", cfg->path, cfg->general_theme_line);
	return buf;
}

size_t config_context_count(const struct config *cfg)
{
	return cfg->n_ctxs;
}

const char *config_context_name(const struct config *cfg, size_t i)
{
	return i < cfg->n_ctxs ? cfg->ctxs[i].name : NULL;
}

const char *config_context_default(const struct config *cfg)
{
	return cfg->start;
}

size_t config_model_count(const struct config *cfg)
{
	return cfg->n_models;
}

const struct config_model *config_model_at(const struct config *cfg, size_t i)
{
	return i < cfg->n_models ? &cfg->models[i].m : NULL;
}

const struct config_model *config_model_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; name && i < cfg->n_models; i++)
		if (strcmp(cfg->models[i].m.name, name) == 0)
			return &cfg->models[i].m;
	return NULL;
}

void config_model_defaults(struct config_model *m, const char *name)
{
	static const int steps[] = {10, 25, 50, 100};
	memset(m, 0, sizeof *m);
	m->name = m->deployment = m->registered = name;
	m->slo_p99_ms = -1;
	m->slo_error_pct = -1;
	memcpy(m->canary_steps, steps, sizeof steps);
	m->n_canary_steps = sizeof steps / sizeof steps[0];
}

static int config_in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

int config_metric_direction(const struct config *cfg, const char *metric)
{
	const struct config_general *g = &cfg->general;
	if (!metric)
		return 0;
	if (config_in_list(g->lower_is_better, g->n_lower, metric))
		return -1;
	return config_in_list(g->higher_is_better, g->n_higher, metric) ? 1 : 0;
}

size_t config_warning_count(const struct config *cfg)
{
	return cfg->n_warnings;
}

const char *config_warning(const struct config *cfg, size_t i)
{
	return i < cfg->n_warnings ? cfg->warnings[i] : NULL;
}

/* ---- contexts -------------------------------------------------------------------------- */

static const char *const config_source_names[SRC_COUNT] = {"mlflow",       "prometheus", "scrape",
                                                           "alertmanager", "kserve",     "samples"};

/* Reads a token or password file: whitespace trimmed, at most 64 KiB, not empty. check_mode:
 * warn when group or others may read it (the in-cluster files are the kubelet's business). */
static int config_read_secret(struct config *cfg, const char *path, int check_mode, char **out,
                              struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	unsigned mode = 0;
	struct err re;
	*out = NULL;
	if (cli_read_file(path, CONFIG_MAX_SECRET, &buf, &len, &mode, &re) < 0)
		return err_set(e, re.code == ERR_NOMEM ? ERR_NOMEM : ERR_CONFIG, "%s", re.msg);
	if (check_mode && cfg && (mode & (S_IRGRP | S_IROTH)))
		config_warn(cfg, "%s is readable by group or others: chmod 600 it", path);
	if (!cli_trim_wipe(buf, len)) {
		free(buf);
		return err_set(e, ERR_CONFIG, "%s: empty", path);
	}
	*out = buf;
	return 0;
}

static void config_source_fini(struct config_source *s)
{
	if (s->secret)
		explicit_bzero(s->secret, strlen(s->secret));
	char *f[] = {s->url, s->auth_origin, s->secret_file, s->secret, s->user, s->ca, s->problem};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		free(f[i]);
	memset(s, 0, sizeof *s);
}

/* Points auth at the storage and says which kind it is. */
static void config_source_link(struct config_source *s)
{
	s->auth.bearer_token = s->kind == AUTH_BEARER ? s->secret : NULL;
	s->auth.username = s->kind == AUTH_BASIC ? s->user : NULL;
	s->auth.password = s->kind == AUTH_BASIC ? s->secret : NULL;
	s->auth.ca_file = s->ca;
}

/* A secret for s: from file (re-readable) or from the environment variable origin. */
static int config_source_secret(struct config *cfg, struct config_source *s, const char *file,
                                int check_mode, const char *env_value, const char *origin,
                                struct err *e)
{
	char *secret = NULL;
	if (file && config_read_secret(cfg, file, check_mode, &secret, e) < 0)
		return ERR_CONFIG;
	if (!file && !(secret = strdup(env_value)))
		return ERR_NOMEM;
	if (s->secret)
		explicit_bzero(s->secret, strlen(s->secret));
	free(s->secret);
	free(s->secret_file);
	free(s->auth_origin);
	s->secret = secret;
	s->secret_file = file ? strdup(file) : NULL;
	s->auth_origin = strdup(file ? file : origin);
	return s->auth_origin && (!file || s->secret_file) ? 0 : ERR_NOMEM;
}

static char *config_sa_file(const struct config *cfg, const char *name)
{
	char *p = cli_fmt("%s/%s", cfg->sa_dir, name);
	if (p && access(p, R_OK) != 0) {
		free(p);
		p = NULL;
	}
	return p;
}

static int config_resolve_mlflow(struct config *cfg, const struct config_ctx_def *d, int start,
                                 struct config_source *s, struct err *e)
{
	const struct config_env *env = &cfg->env;
	int rc = 0;
	if (start && env->username && env->password) {
		s->kind = AUTH_BASIC;
		free(s->user);
		rc = (s->user = strdup(env->username)) ? 0 : ERR_NOMEM;
		if (rc == 0)
			rc = config_source_secret(cfg, s, NULL, 0, env->password,
			                          "MLFLOW_TRACKING_PASSWORD", e);
	} else if (start && env->token) {
		s->kind = AUTH_BEARER;
		rc = config_source_secret(cfg, s, NULL, 0, env->token, "MLFLOW_TRACKING_TOKEN", e);
	} else if (d->mlflow_username) {
		s->kind = AUTH_BASIC;
		rc = (s->user = strdup(d->mlflow_username)) ? 0 : ERR_NOMEM;
		if (rc == 0)
			rc =
			    config_source_secret(cfg, s, d->mlflow_password_file, 1, NULL, NULL, e);
	}
	if (rc == 0 && start && (env->insecure || env->cert)) {
		s->auth.insecure = env->insecure;
		free(s->ca);
		s->ca = NULL;
		if (env->cert && !(s->ca = strdup(env->cert)))
			rc = ERR_NOMEM;
	}
	return rc;
}

static int config_resolve_kserve(struct config *cfg, struct config_source *s, int has_ca)
{
	char *token = config_sa_file(cfg, "token");
	int rc = 0;
	if (token && !s->secret) {
		s->kind = AUTH_BEARER;
		rc = config_source_secret(cfg, s, token, 0, NULL, NULL, NULL);
		char *ca = rc == 0 && !has_ca ? config_sa_file(cfg, "ca.crt") : NULL;
		if (ca) {
			free(s->ca);
			s->ca = ca;
		}
	}
	free(token);
	return rc;
}

/* Auth and TLS of every configured source of c. */
/* curl opens the CA file on the event loop, when the first request starts: a FIFO or a device
 * there would stall every source. A missing file is curl's to report, per request. */
static int config_check_ca(const char *path, struct err *e)
{
	struct stat st;
	if (!path || stat(path, &st) != 0 || S_ISREG(st.st_mode))
		return 0;
	return err_set(e, ERR_CONFIG, "%s: not a regular file", path);
}

/* Source i's auth failed (e says why): an error naming the context and the source, or, for
 * --info, a problem of the source, which goes without auth so that the rest can be shown. */
static int config_auth_failed(const struct config *cfg, const struct config_ctx_def *d, int i,
                              struct config_source *s, struct err *e)
{
	char why[ERR_MSG_MAX];
	snprintf(why, sizeof why, "%s", e ? e->msg : "cannot be read");
	if (!cfg->args.info)
		return err_set(e, ERR_CONFIG, "context %s: %s auth: %s", d->name,
		               config_source_names[i], why);
	free(s->problem);
	s->problem = strdup(why);
	s->kind = AUTH_NONE;
	return s->problem ? 0 : ERR_NOMEM;
}

static int config_resolve_auth(struct config *cfg, const struct config_ctx_def *d, int start,
                               struct context *c, struct err *e)
{
	int rc = 0;
	for (int i = 0; i < SRC_COUNT && rc == 0; i++) {
		struct config_source *s = &c->src[i];
		if (!s->url)
			continue;
		s->auth.insecure = d->insecure;
		if (d->ca_file && !(s->ca = strdup(d->ca_file)))
			rc = ERR_NOMEM;
		if (rc == 0 && d->token_file[i]) {
			s->kind = AUTH_BEARER;
			rc = config_source_secret(cfg, s, d->token_file[i], 1, NULL, NULL, e);
		}
		if (rc == 0 && i == SRC_MLFLOW)
			rc = config_resolve_mlflow(cfg, d, start, s, e);
		if (rc == 0 && i == SRC_KSERVE)
			rc = config_resolve_kserve(cfg, s, d->ca_file != NULL);
		if (rc == 0)
			rc = config_check_ca(s->ca, e);
		if (rc < 0 && rc != ERR_NOMEM)
			rc = config_auth_failed(cfg, d, i, s, e);
		config_source_link(s);
	}
	return rc;
}

/* Inside a pod with a service account and no kserve URL configured: the API server. */
static char *config_incluster_url(const struct config *cfg)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	char *token = config_sa_file(cfg, "token");
	char *url = NULL;
	if (token && host && *host) {
		int v6 = strchr(host, ':') != NULL;
		url = cli_fmt("https://%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "",
		              port && *port ? port : "443");
	}
	free(token);
	return url;
}

static char *config_namespace(const struct config *cfg, const struct config_ctx_def *d, int start)
{
	if (start && cfg->args.namespace)
		return strdup(cfg->args.namespace);
	if (d->namespace)
		return strdup(d->namespace);
	char *path = config_sa_file(cfg, "namespace"), *ns = NULL;
	if (path && config_read_secret(NULL, path, 0, &ns, NULL) == 0 && !cli_valid_namespace(ns)) {
		free(ns);
		ns = NULL;
	}
	free(path);
	return ns ? ns : strdup("default");
}

/* URLs: flag > environment > file, the first two for the context chosen at start only. */
static int config_resolve_urls(struct config *cfg, const struct config_ctx_def *d, int start,
                               struct context *c)
{
	const struct config_args *a = &cfg->args;
	const char *flag[SRC_COUNT] = {0};
	if (start) {
		flag[SRC_MLFLOW] = a->mlflow ? a->mlflow : cfg->env.uri;
		flag[SRC_PROMETHEUS] = a->prometheus;
		flag[SRC_ALERTMANAGER] = a->alertmanager;
		flag[SRC_KSERVE] = a->kserve;
	}
	for (int i = 0; i < SRC_COUNT; i++) {
		const char *u = flag[i] ? flag[i] : d->url[i];
		if (u && !(c->src[i].url = cli_url_dup(u)))
			return ERR_NOMEM;
	}
	if (!c->src[SRC_KSERVE].url)
		c->src[SRC_KSERVE].url = config_incluster_url(cfg);
	int flags = start && a->n_scrape;
	char **list = flags ? (char **)a->scrape : d->scrape;
	size_t n = flags ? a->n_scrape : d->n_scrape;
	for (size_t i = 0; i < n; i++)
		if (cli_strv_add(&c->scrape, &c->n_scrape, list[i]) < 0)
			return ERR_NOMEM;
	if (n && !(c->src[SRC_SCRAPE].url = strdup(list[0])))
		return ERR_NOMEM;
	const char *samples = start && a->samples ? a->samples : d->samples;
	if (samples && !(c->samples = strdup(samples)))
		return ERR_NOMEM;
	if (samples && strstr(samples, "://") && !(c->src[SRC_SAMPLES].url = cli_url_dup(samples)))
		return ERR_NOMEM;
	return 0;
}

/* The static prefix as "/p": one leading '/', none trailing ("" for "/"). */
static char *config_prefix_dup(const struct config_ctx_def *d)
{
	const char *p = d->mlflow_static_prefix + strspn(d->mlflow_static_prefix, "/");
	size_t n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	char *s = malloc(n + 2);
	if (s)
		snprintf(s, n + 2, "%s%.*s", n ? "/" : "", (int)n, p);
	return s;
}

static int config_hooks_dup(const struct config_ctx_def *d, struct context *c)
{
	const char *from[] = {d->promote_cmd, d->canary_cmd, d->rollback_cmd};
	char **to[] = {&c->promote_cmd, &c->canary_cmd, &c->rollback_cmd};
	for (int i = 0; i < 3; i++)
		if (from[i] && !(*to[i] = strdup(from[i])))
			return ERR_NOMEM;
	c->hook_timeout_ms = d->hook_timeout_ms;
	return 0;
}

struct context *config_context_resolve(struct config *cfg, const char *name, struct err *e)
{
	if (!name)
		name = cfg->start;
	const struct config_ctx_def *d = config_ini_ctx_find(cfg, name);
	if (!d) {
		err_set(e, ERR_CONFIG, "unknown context '%s'", name);
		return NULL;
	}
	int start = strcmp(name, cfg->start) == 0, rc = ERR_NOMEM;
	struct context *c = calloc(1, sizeof *c);
	if (!c || !(c->name = strdup(d->name)))
		goto out;
	if ((rc = config_resolve_urls(cfg, d, start, c)) < 0)
		goto out;
	rc = ERR_NOMEM;
	if (!(c->namespace = config_namespace(cfg, d, start)))
		goto out;
	c->readonly = cfg->args.readonly || d->readonly;
	c->danger = d->danger;
	if (d->mlflow_static_prefix && !(c->mlflow_static_prefix = config_prefix_dup(d)))
		goto out;
	if (config_hooks_dup(d, c) < 0)
		goto out;
	if (d->eval_failure && !(c->eval_failure = strdup(d->eval_failure)))
		goto out;
	c->refresh_ms = cfg->args.refresh_ms ? cfg->args.refresh_ms
	                : d->refresh_ms      ? d->refresh_ms
	                                     : cfg->general.refresh_ms;
	/* The demo's simulator gets no credential of the environment's or the service account's. */
	c->demo = cfg->args.demo && strcmp(name, CONFIG_DEMO_CONTEXT) == 0;
	rc = c->demo ? 0 : config_resolve_auth(cfg, d, start, c, e);
out:
	if (rc < 0) {
		if (rc == ERR_NOMEM)
			err_set(e, ERR_NOMEM, "context %s: out of memory", name);
		config_context_free(&c);
	}
	return c;
}

void config_context_free(struct context **cp)
{
	if (!cp || !*cp)
		return;
	struct context *c = *cp;
	for (int i = 0; i < SRC_COUNT; i++)
		config_source_fini(&c->src[i]);
	cli_strv_free(&c->scrape, &c->n_scrape);
	free(c->name);
	free(c->namespace);
	free(c->samples);
	free(c->mlflow_static_prefix);
	free(c->promote_cmd);
	free(c->canary_cmd);
	free(c->rollback_cmd);
	free(c->eval_failure);
	free(c);
	*cp = NULL;
}

int config_context_reload_tokens(struct context *c, struct err *e)
{
	for (int i = 0; c && i < SRC_COUNT; i++) {
		struct config_source *s = &c->src[i];
		if (s->kind != AUTH_BEARER || !s->secret_file)
			continue;
		char *file = strdup(s->secret_file);
		int rc = file ? config_source_secret(NULL, s, file, 0, NULL, NULL, e) : ERR_NOMEM;
		free(file);
		config_source_link(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int config_describe(const struct config *cfg, const struct context *ctx, const char *cache_problem,
                    FILE *out)
{
	return cli_describe(cfg, ctx, cache_problem, out);
}
