/* config_ini: mltop's INI file through inih. The reader hands inih one physical line at a time,
 * which gives every error its line, lets indented keys be keys, and carries values longer than
 * inih's line buffer. */
#include "clients/config_ini.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/hook.h"
#include "clients/samples_eval.h"

struct config_ctx_def *config_ini_ctx_find(struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_ctxs; i++)
		if (strcmp(cfg->ctxs[i].name, name) == 0)
			return &cfg->ctxs[i];
	return NULL;
}

struct config_ctx_def *config_ini_ctx_add(struct config *cfg, const char *name)
{
	struct config_ctx_def *v = realloc(cfg->ctxs, (cfg->n_ctxs + 1) * sizeof *v);
	if (!v)
		return NULL;
	cfg->ctxs = v;
	struct config_ctx_def *d = &v[cfg->n_ctxs];
	memset(d, 0, sizeof *d);
	if (!(d->name = strdup(name)))
		return NULL;
	cfg->n_ctxs++;
	return d;
}

/* Lends the section's strings to its struct config_model. */
static void config_model_publish(struct config_model_def *d)
{
	d->m.name = d->own.name;
	d->m.deployment = d->own.deployment;
	d->m.registered = d->own.registered;
	d->m.metric = d->own.metric;
	d->m.promote_cmd = d->own.promote_cmd;
	d->m.canary_cmd = d->own.canary_cmd;
	d->m.rollback_cmd = d->own.rollback_cmd;
	d->m.eval_failure = d->own.eval_failure;
}

static struct config_model_def *config_model_add(struct config *cfg, const char *name)
{
	struct config_model_def *v = realloc(cfg->models, (cfg->n_models + 1) * sizeof *v);
	if (!v)
		return NULL;
	cfg->models = v;
	struct config_model_def *d = &v[cfg->n_models];
	memset(d, 0, sizeof *d);
	d->m.slo_p99_ms = d->m.slo_error_pct = -1;
	if (!(d->own.name = strdup(name)))
		return NULL;
	d->m.name = d->own.name;
	cfg->n_models++;
	return d;
}

/* ---- the file -------------------------------------------------------------------------- */

enum config_type {
	K_STR,    /* any text */
	K_PATH,   /* ~/ and paths relative to the file's directory are expanded */
	K_URL,    /* http(s) */
	K_URLS,   /* comma list of URLs; the key may repeat */
	K_TARGET, /* URL or path */
	K_CMD,    /* a hook's command line: it must split (clients/hook.h); never repeated */
	K_NS,     /* Kubernetes namespace */
	K_BOOL,
	K_SECS,  /* seconds > 0 into int64_t ms */
	K_POS,   /* number > 0 (double) */
	K_PCT,   /* 0..100 (double) */
	K_STEPS, /* canary percents */
	K_CHART,
	K_NAMES, /* comma list of names */
	K_RULE,  /* which eval table rows fail (samples_rule_parse) */
};

struct config_key {
	const char *name;
	enum config_type type;
	size_t off, off_n;
};

#define GK(k, t, f)                                                                                \
	{                                                                                          \
		k, t, offsetof(struct config_general, f), 0                                        \
	}
static const struct config_key config_general_keys[] = {
    GK("context", K_STR, context),
    GK("theme", K_STR, theme),
    GK("refresh", K_SECS, refresh_ms),
    GK("cache", K_PATH, cache),
    GK("cache_max_mb", K_POS, cache_max_mb),
    GK("chart", K_CHART, chart),
    GK("user", K_STR, user),
    GK("mouse", K_BOOL, mouse),
    {"lower_is_better", K_NAMES, offsetof(struct config_general, lower_is_better),
     offsetof(struct config_general, n_lower)},
    {"higher_is_better", K_NAMES, offsetof(struct config_general, higher_is_better),
     offsetof(struct config_general, n_higher)},
    {NULL, K_STR, 0, 0},
};

#define CK(k, t, f)                                                                                \
	{                                                                                          \
		k, t, offsetof(struct config_ctx_def, f), 0                                        \
	}
static const struct config_key config_context_keys[] = {
    CK("mlflow", K_URL, url[SRC_MLFLOW]),
    CK("prometheus", K_URL, url[SRC_PROMETHEUS]),
    {"scrape", K_URLS, offsetof(struct config_ctx_def, scrape),
     offsetof(struct config_ctx_def, n_scrape)},
    CK("alertmanager", K_URL, url[SRC_ALERTMANAGER]),
    CK("kserve", K_URL, url[SRC_KSERVE]),
    CK("namespace", K_NS, namespace),
    CK("samples", K_TARGET, samples),
    CK("readonly", K_BOOL, readonly),
    CK("danger", K_BOOL, danger),
    CK("refresh", K_SECS, refresh_ms),
    CK("mlflow_token_file", K_PATH, token_file[SRC_MLFLOW]),
    CK("mlflow_username", K_STR, mlflow_username),
    CK("mlflow_password_file", K_PATH, mlflow_password_file),
    CK("mlflow_static_prefix", K_STR, mlflow_static_prefix),
    CK("kserve_token_file", K_PATH, token_file[SRC_KSERVE]),
    CK("alertmanager_token_file", K_PATH, token_file[SRC_ALERTMANAGER]),
    CK("prometheus_token_file", K_PATH, token_file[SRC_PROMETHEUS]),
    CK("ca_file", K_PATH, ca_file),
    CK("insecure", K_BOOL, insecure),
    CK("promote_cmd", K_CMD, promote_cmd),
    CK("canary_cmd", K_CMD, canary_cmd),
    CK("rollback_cmd", K_CMD, rollback_cmd),
    CK("hook_timeout", K_SECS, hook_timeout_ms),
    CK("eval_failure", K_RULE, eval_failure),
    {NULL, K_STR, 0, 0},
};

#define MK(k, t, f)                                                                                \
	{                                                                                          \
		k, t, offsetof(struct config_model_def, m.f), 0                                    \
	}
#define MKS(k, t, f)                                                                               \
	{                                                                                          \
		k, t, offsetof(struct config_model_def, own.f), 0                                  \
	}
static const struct config_key config_model_keys[] = {
    MKS("deployment", K_STR, deployment),
    MKS("registered", K_STR, registered),
    MKS("metric", K_STR, metric),
    MK("slo_p99_ms", K_POS, slo_p99_ms),
    MK("slo_error_pct", K_PCT, slo_error_pct),
    MK("canary_p95_tolerance", K_POS, canary_p95_tol),
    MK("canary_steps", K_STEPS, canary_steps),
    MKS("promote_cmd", K_CMD, promote_cmd),
    MKS("canary_cmd", K_CMD, canary_cmd),
    MKS("rollback_cmd", K_CMD, rollback_cmd),
    MK("hook_timeout", K_SECS, hook_timeout_ms),
    MKS("eval_failure", K_RULE, eval_failure),
    {NULL, K_STR, 0, 0},
};

static const struct config_key config_query_keys[] = {
    {"rps", K_STR, 0, 0},
    {"error_ratio", K_STR, 1, 0},
    {"p50", K_STR, 2, 0},
    {"p95", K_STR, 3, 0},
    {"p99", K_STR, 4, 0},
    {"drift", K_STR, 5, 0},
    {"model_label", K_STR, 6, 0},
    {"version_label", K_STR, 7, 0},
    {"window", K_STR, 8, 0},
    {"requests_metric", K_STR, 9, 0},
    {"code_label", K_STR, 10, 0},
    {"latency_metric", K_STR, 11, 0},
    {"drift_metric", K_STR, 12, 0},
    {"errors_metric", K_STR, 13, 0},
    {NULL, K_STR, 0, 0},
};

/* A PromQL duration: "5m", "90s", "1h30m". */
static int config_duration_ok(const char *p)
{
	static const char *const units[] = {"ms", "s", "m", "h", "d", "w", "y"};
	if (!*p)
		return 0;
	while (*p) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		size_t i = 0;
		while (i < 7 && strncmp(p, units[i], strlen(units[i])) != 0)
			i++;
		if (i == 7)
			return 0;
		p += strlen(units[i]);
	}
	return 1;
}

/* Names go into PromQL as they are, so each must be one: a label name (no ':'), a metric name,
 * or a duration. NULL when value is fine. */
static const char *config_query_check(int off, const char *value)
{
	int label = off == 6 || off == 7 || off == 10, metric = off >= 9 && !label;
	if (off == 8)
		return config_duration_ok(value) ? NULL : "not a duration like 5m or 1h30m";
	for (const char *p = value; (label || metric) && *p; p++) {
		int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		         (p > value && *p >= '0' && *p <= '9') || (metric && *p == ':');
		if (!ok)
			return label ? "not a label name" : "not a metric name";
	}
	return NULL;
}

enum config_section { SEC_NONE, SEC_GENERAL, SEC_QUERIES, SEC_CONTEXT, SEC_MODEL };

/* The state of one parse: the file in memory, handed to inih line by line. */
struct config_parse {
	struct config *cfg;
	struct err *e;
	const char *buf;
	size_t len, pos;
	int line, failed;
	enum config_section sec;
	size_t idx;
	char sec_name[160];
	char *long_value; /* the value of a line too long for inih's buffer */
	char why[160];
};

#define CONFIG_LONG_MARK "\x1f"

static int config_fail(struct config_parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int config_fail(struct config_parse *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!p->failed)
		err_set(p->e, ERR_CONFIG, "%s:%d: %s", p->cfg->path, p->line, msg);
	p->failed = 1;
	return 0;
}

/* Printable text without control characters: metric and model names (MLflow allows spaces
 * and slashes in them). */
static int config_valid_text(const char *s)
{
	if (!*s || *s == ' ' || s[strlen(s) - 1] == ' ')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* A context name: typed in ":ctx NAME". */
static int config_valid_name(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n < 128 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* A "[section]" line, seen by the reader so that errors name its line and empty sections
 * exist. */
static void config_section(struct config_parse *p, const char *l, size_t n)
{
	const char *end = memchr(l, ']', n);
	if (!end) {
		config_fail(p, "syntax error: '[' without ']'");
		return;
	}
	snprintf(p->sec_name, sizeof p->sec_name, "%.*s", (int)(end - l - 1), l + 1);
	const char *name = p->sec_name;
	if (strcmp(name, "general") == 0 || strcmp(name, "queries") == 0) {
		p->sec = name[0] == 'g' ? SEC_GENERAL : SEC_QUERIES;
	} else if (strncmp(name, "context.", 8) == 0 && config_valid_name(name + 8)) {
		struct config_ctx_def *d = config_ini_ctx_find(p->cfg, name + 8);
		if (!d && (d = config_ini_ctx_add(p->cfg, name + 8)) != NULL)
			d->line = p->line;
		if (!d)
			p->failed = ERR_NOMEM;
		p->sec = SEC_CONTEXT;
		p->idx = d ? (size_t)(d - p->cfg->ctxs) : 0;
	} else if (strncmp(name, "model.", 6) == 0 && config_valid_text(name + 6)) {
		size_t i = 0;
		while (i < p->cfg->n_models && strcmp(p->cfg->models[i].m.name, name + 6) != 0)
			i++;
		if (i == p->cfg->n_models && !config_model_add(p->cfg, name + 6))
			p->failed = ERR_NOMEM;
		else if (i == p->cfg->n_models - 1 && !p->cfg->models[i].line)
			p->cfg->models[i].line = p->line;
		p->sec = SEC_MODEL;
		p->idx = i;
	} else if (strncmp(name, "context.", 8) == 0 || strncmp(name, "model.", 6) == 0) {
		config_fail(p, "bad name in [%s]: %s", name,
		            name[0] == 'c' ? "letters, digits, '_', '.' and '-' only"
		                           : "empty, or with control characters");
	} else {
		config_fail(p, "unknown section [%s]", name);
	}
}

/* A line longer than inih's buffer: keep its value aside and give inih "name = <mark>". */
static char *config_long_line(struct config_parse *p, char *str, int num, const char *l, size_t n)
{
	if (*l == ';' || *l == '#')
		return strcpy(str, ";\n");
	size_t name_len = 0;
	while (name_len < n && l[name_len] != '=' && l[name_len] != ':')
		name_len++;
	if (name_len >= n || name_len > 64) {
		config_fail(p, "syntax error: line too long");
		return NULL;
	}
	const char *v = l + name_len + 1, *end = l + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	for (const char *c = v + 1; c < end; c++)
		if (*c == ';' && (c[-1] == ' ' || c[-1] == '\t'))
			end = c; /* an inline comment, as inih strips them */
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	free(p->long_value);
	if (!(p->long_value = strndup(v, (size_t)(end - v)))) {
		p->failed = ERR_NOMEM;
		return NULL;
	}
	snprintf(str, (size_t)num, "%.*s= " CONFIG_LONG_MARK "\n", (int)name_len, l);
	return str;
}

/* inih's reader: one physical line at a time, indentation removed (an indented key is a key,
 * not inih's continuation line), line numbers counted, sections noted. */
static char *config_reader(char *str, int num, void *stream)
{
	struct config_parse *p = stream;
	if (p->failed || p->pos >= p->len)
		return NULL;
	const char *l = p->buf + p->pos;
	const char *nl = memchr(l, '\n', p->len - p->pos);
	size_t n = nl ? (size_t)(nl - l) : p->len - p->pos;
	p->pos += n + (nl != NULL);
	p->line++;
	if (p->line == 1 && n >= 3 && memcmp(l, "\xEF\xBB\xBF", 3) == 0)
		l += 3, n -= 3;
	while (n && (*l == ' ' || *l == '\t'))
		l++, n--;
	while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	if (memchr(l, '\0', n))
		n = strlen(l);
	if (n && *l == '[')
		config_section(p, l, n);
	if (p->failed)
		return NULL;
	if (n + 2 > (size_t)num)
		return config_long_line(p, str, num, l, n);
	free(p->long_value); /* the mark means a long value on its own line only */
	p->long_value = NULL;
	memcpy(str, l, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

/* Splits a comma list into v (appending); 0 or a reason. */
static const char *config_split(const char *value, char ***v, size_t *n, int urls, int *nomem)
{
	const char *s = value;
	while (*s) {
		size_t len = strcspn(s, ",");
		char item[1024];
		const char *a = s, *b = s + len;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (a == b || b - a >= (long)sizeof item)
			return a == b ? "empty item in the list" : "item too long";
		snprintf(item, sizeof item, "%.*s", (int)(b - a), a);
		if (urls && cli_check_url(item) < 0)
			return cli_url_problem(cli_check_url(item));
		if (!urls && !config_valid_text(item))
			return "a name with control characters";
		if (cli_strv_add(v, n, item) < 0)
			return *nomem = 1, "out of memory";
		s += len + (s[len] == ',');
	}
	return NULL;
}

static char *config_expand_path(const struct config *cfg, const char *v)
{
	if (v[0] == '~' && v[1] == '/') {
		char *home = cli_home_dir();
		char *r = home ? cli_fmt("%s%s", home, v + 1) : NULL;
		free(home);
		return r;
	}
	const char *slash = strrchr(cfg->path, '/');
	if (v[0] == '/' || !slash)
		return strdup(v);
	return cli_fmt("%.*s/%s", (int)(slash - cfg->path), cfg->path, v);
}

static const char *config_steps(struct config_model *m, const char *v)
{
	const char *why = NULL;
	int prev = 0;
	char *s = strdup(v);
	if (!s)
		return "out of memory";
	m->n_canary_steps = 0;
	for (char *tok = strtok(s, ", \t"); tok && !why; tok = strtok(NULL, ", \t")) {
		char *end = NULL;
		long pct = strtol(tok, &end, 10);
		if (*end || pct <= prev || pct > 100)
			why = "not ascending percents from 1 to 100";
		else if (m->n_canary_steps == sizeof m->canary_steps / sizeof m->canary_steps[0])
			why = "too many steps";
		else
			m->canary_steps[m->n_canary_steps++] = prev = (int)pct;
	}
	free(s);
	return why;
}

static const char *config_number(const char *v, int percent, double *out)
{
	char *end = NULL;
	double d = strtod(v, &end);
	if (end == v || *end || !(d > 0 || (percent && d == 0)) || (percent && d > 100))
		return percent ? "not a percent (0 to 100)" : "not a number > 0";
	*out = d;
	return NULL;
}

/* A hook's command line, which must split into words (quotes closed, no trailing backslash),
 * into *field: NULL, or why it is not one. */
static const char *config_cmd(struct config_parse *p, char **field, const char *v)
{
	char **argv = NULL;
	struct err e = {0};
	char *copy;
	int rc = hook_split(v, &argv, &e);
	hook_argv_free(&argv);
	if (rc == ERR_CONFIG)
		return strstr(e.msg, "not closed")   ? "a quote is not closed"
		       : strstr(e.msg, "at the end") ? "a backslash at the end"
		                                     : "an empty command";
	if (rc < 0 || !(copy = strdup(v))) {
		p->failed = ERR_NOMEM;
		return NULL;
	}
	free(*field);
	*field = copy;
	return NULL;
}

/* A rule for the failing rows of eval tables, checked as samples_rule_parse reads it, into
 * *field: NULL, or why it is not one. */
static const char *config_rule(struct config_parse *p, char **field, const char *v)
{
	struct samples_rule rule;
	struct err e = {0};
	char *copy;
	if (samples_rule_parse(v, &rule, &e) < 0) {
		snprintf(p->why, sizeof p->why, "%s", e.msg);
		return p->why;
	}
	if (!(copy = strdup(v))) {
		p->failed = ERR_NOMEM;
		return NULL;
	}
	free(*field);
	*field = copy;
	return NULL;
}

/* Stores value into the field of k in base; NULL, or why it is not a good value. */
static const char *config_store(struct config_parse *p, const struct config_key *k, char *base,
                                const char *v)
{
	void *f = base + k->off;
	int nomem = 0;
	char *copy = NULL;
	const char *why = NULL;
	switch (k->type) {
	case K_STR:
	case K_PATH:
	case K_URL:
		if (k->type == K_URL && cli_check_url(v) < 0)
			return cli_url_problem(cli_check_url(v));
		copy = k->type == K_STR    ? strdup(v)
		       : k->type == K_PATH ? config_expand_path(p->cfg, v)
		                           : cli_url_dup(v);
		break;
	case K_TARGET:
		if (strstr(v, "://") && cli_check_url(v) < 0)
			return cli_url_problem(cli_check_url(v));
		copy = strstr(v, "://") ? cli_url_dup(v) : config_expand_path(p->cfg, v);
		break;
	case K_NS:
		if (!cli_valid_namespace(v))
			return "not a Kubernetes namespace name";
		copy = strdup(v);
		break;
	case K_URLS:
	case K_NAMES:
		why = config_split(v, f, (size_t *)(base + k->off_n), k->type == K_URLS, &nomem);
		break;
	case K_RULE:
		return config_rule(p, f, v);
	case K_CMD:
		return config_cmd(p, f, v);
	case K_BOOL:
		return cli_parse_bool(v, f) < 0 ? "not a bool (true/false, yes/no, on/off, 1/0)"
		                                : NULL;
	case K_SECS:
		return cli_parse_seconds(v, f) < 0 ? "not a number of seconds (0.1 to 86400)"
		                                   : NULL;
	case K_POS:
	case K_PCT:
		return config_number(v, k->type == K_PCT, f);
	case K_STEPS:
		return config_steps((struct config_model *)(void *)base, v);
	case K_CHART:
		for (int i = 0; i < 3; i++)
			if (strcmp(v, (const char *[]){"braille", "block", "ascii"}[i]) == 0)
				return *(enum config_chart *)f = (enum config_chart)i, NULL;
		return "not braille, block or ascii";
	}
	if (copy) {
		free(*(char **)f);
		*(char **)f = copy;
	} else if (k->type != K_URLS && k->type != K_NAMES) {
		nomem = 1;
	}
	if (nomem)
		p->failed = ERR_NOMEM;
	return why;
}

/* Where a key of the current section goes: its table, the struct it fills and its seen bits. */
static const struct config_key *config_keys_of(struct config_parse *p, char **base, uint32_t **seen)
{
	struct config *cfg = p->cfg;
	switch (p->sec) {
	case SEC_GENERAL:
		*base = (char *)&cfg->general;
		*seen = &cfg->general_seen;
		return config_general_keys;
	case SEC_QUERIES:
		*base = NULL;
		*seen = &cfg->queries_seen;
		return config_query_keys;
	case SEC_CONTEXT:
		*base = (char *)&cfg->ctxs[p->idx];
		*seen = &cfg->ctxs[p->idx].seen;
		return config_context_keys;
	case SEC_MODEL:
		*base = (char *)&cfg->models[p->idx];
		*seen = &cfg->models[p->idx].seen;
		return config_model_keys;
	default:
		return NULL;
	}
}

static int config_handler(void *user, const char *section, const char *name, const char *value)
{
	struct config_parse *p = user;
	char *base = NULL;
	uint32_t *seen = NULL;
	(void)section; /* the reader tracks sections itself, with their lines */
	if (p->failed)
		return 0;
	if (strcmp(value, CONFIG_LONG_MARK) == 0 && p->long_value)
		value = p->long_value;
	const struct config_key *keys = config_keys_of(p, &base, &seen);
	if (!keys)
		return config_fail(p, "key '%s' outside of a section", name);
	int i = 0;
	while (keys[i].name && strcmp(keys[i].name, name) != 0)
		i++;
	const struct config_key *k = &keys[i];
	if (!k->name)
		return config_fail(p, "unknown key '%s' in [%s]", name, p->sec_name);
	if ((*seen & (1u << i)) && k->type != K_URLS)
		return config_fail(p, "duplicate key '%s' in [%s]", name, p->sec_name);
	*seen |= 1u << i;
	if (!*value)
		return config_fail(p, "'%s' in [%s]: empty value", name, p->sec_name);
	if (p->sec == SEC_QUERIES) {
		const char *bad = config_query_check(k->off, value);
		if (bad)
			return config_fail(p, "'%s' in [queries]: %s: '%s'", name, bad, value);
		char *q = strdup(value);
		if (!q)
			return p->failed = ERR_NOMEM, 0;
		free(p->cfg->queries[k->off]);
		p->cfg->queries[k->off] = q;
		return 1;
	}
	if (p->sec == SEC_GENERAL && strcmp(name, "context") == 0)
		p->cfg->general_context_line = p->line;
	if (p->sec == SEC_GENERAL && strcmp(name, "theme") == 0)
		p->cfg->general_theme_line = p->line;
	const char *why = config_store(p, k, base, value);
	if (p->failed)
		return 0;
	if (!why)
		return 1;
	int quote = k->type >= K_NS; /* numbers, bools and names may be repeated; URLs never */
	return config_fail(p, "'%s' in [%s]: %s%s%s%s", name, p->sec_name, why, quote ? ": '" : "",
	                   quote ? value : "", quote ? "'" : "");
}

/* Checks that need a whole section: auth combinations, model defaults. */
static int config_check_sections(struct config *cfg, struct err *e)
{
	for (size_t i = 0; i < cfg->n_ctxs; i++) {
		const struct config_ctx_def *d = &cfg->ctxs[i];
		const char *why = NULL;
		if (!d->mlflow_username != !d->mlflow_password_file)
			why = "mlflow_username and mlflow_password_file go together";
		else if (d->mlflow_username && d->token_file[SRC_MLFLOW])
			why = "mlflow_token_file and mlflow_username exclude each other";
		else if (d->insecure && d->ca_file)
			why = "ca_file and insecure = true exclude each other";
		if (why)
			return err_set(e, ERR_CONFIG, "%s:%d: [context.%s]: %s", cfg->path, d->line,
			               d->name, why);
	}
	for (size_t i = 0; i < cfg->n_models; i++) {
		struct config_model_def *d = &cfg->models[i];
		struct config_model *m = &d->m;
		if (!d->own.deployment && !(d->own.deployment = strdup(d->own.name)))
			return ERR_NOMEM;
		if (!d->own.registered && !(d->own.registered = strdup(d->own.name)))
			return ERR_NOMEM;
		config_model_publish(d);
		if (!m->n_canary_steps) {
			struct config_model def;
			config_model_defaults(&def, m->name);
			memcpy(m->canary_steps, def.canary_steps, sizeof def.canary_steps);
			m->n_canary_steps = def.n_canary_steps;
		}
	}
	return 0;
}

int config_ini_parse(struct config *cfg, int required, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	struct err re;
	int rc = cli_read_file(cfg->path, CONFIG_MAX_FILE, &buf, &len, NULL, &re);
	if (rc == -ENOENT && !required)
		return 0;
	if (rc < 0)
		return err_set(e, re.code, "%s", re.msg);
	cfg->found = 1;
	struct config_parse p = {.cfg = cfg, .e = e, .buf = buf, .len = len};
	rc = ini_parse_stream(config_reader, &p, config_handler, &p);
	if (rc > 0 && (!p.failed || rc < p.line)) {
		p.failed = 1;
		err_set(e, ERR_CONFIG, "%s:%d: syntax error (expected [section] or key = value)",
		        cfg->path, rc);
	}
	free(p.long_value);
	free(buf);
	if (p.failed)
		return p.failed == ERR_NOMEM || rc == -2 ? ERR_NOMEM : ERR_CONFIG;
	return config_check_sections(cfg, e);
}
