/* cli: mltop's command line (as `mltop --help` prints it) into a struct config_args, with
 * getopt_long. */
#include "clients/cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clients/config.h"

enum {
	OPT_DEMO = 256,
	OPT_CONTEXT,
	OPT_MLFLOW,
	OPT_PROMETHEUS,
	OPT_SCRAPE,
	OPT_ALERTMANAGER,
	OPT_KSERVE,
	OPT_NAMESPACE,
	OPT_SAMPLES,
	OPT_READONLY,
	OPT_THEME,
	OPT_REFRESH,
	OPT_CACHE,
	OPT_SNAPSHOT,
	OPT_JSON,
	OPT_SIZE,
	OPT_VERSION,
	OPT_HELP,
	OPT_INFO,
	OPT_AUDIT,
	OPT_VERIFY,
};

static const struct option cli_options[] = {
    {"demo", no_argument, NULL, OPT_DEMO},
    {"context", required_argument, NULL, OPT_CONTEXT},
    {"mlflow", required_argument, NULL, OPT_MLFLOW},
    {"prometheus", required_argument, NULL, OPT_PROMETHEUS},
    {"scrape", required_argument, NULL, OPT_SCRAPE},
    {"alertmanager", required_argument, NULL, OPT_ALERTMANAGER},
    {"kserve", required_argument, NULL, OPT_KSERVE},
    {"namespace", required_argument, NULL, OPT_NAMESPACE},
    {"samples", required_argument, NULL, OPT_SAMPLES},
    {"readonly", no_argument, NULL, OPT_READONLY},
    {"theme", required_argument, NULL, OPT_THEME},
    {"refresh", required_argument, NULL, OPT_REFRESH},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"snapshot", no_argument, NULL, OPT_SNAPSHOT},
    {"json", no_argument, NULL, OPT_JSON},
    {"size", required_argument, NULL, OPT_SIZE},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, OPT_HELP},
    {"info", no_argument, NULL, OPT_INFO},
    {"audit", no_argument, NULL, OPT_AUDIT},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {NULL, 0, NULL, 0},
};

static const char cli_usage_text[] =
    "usage: mltop [--demo] [-c FILE] [--context NAME] [--mlflow URL] [--prometheus URL]\n"
    "             [--scrape URL]... [--alertmanager URL] [--kserve URL] [--namespace NS]\n"
    "             [--samples URL|FILE] [--readonly] [--theme NAME] [--refresh SECONDS]\n"
    "             [--cache FILE] [--snapshot [--json] [--size COLSxROWS]] [--version] [--help] "
    "[--info]\n"
    "       mltop --audit [--json | --verify] [--cache FILE] [--context NAME]\n"
    "\n"
    "  --demo               start the bundled simulator on loopback and connect to it\n"
    "  -c FILE              configuration file (default $XDG_CONFIG_HOME/mltop/config.ini)\n"
    "  --context NAME       the [context.NAME] of the configuration to start with\n"
    "  --mlflow URL         MLflow tracking server (else MLFLOW_TRACKING_URI)\n"
    "  --prometheus URL     Prometheus server\n"
    "  --scrape URL         a model server's /metrics, scraped directly (repeatable)\n"
    "  --alertmanager URL   Alertmanager\n"
    "  --kserve URL         Kubernetes API server for KServe InferenceServices\n"
    "  --namespace NS       Kubernetes namespace of the InferenceServices\n"
    "  --samples URL|FILE   failed samples as JSON Lines\n"
    "  --readonly           no action can change anything\n"
    "  --theme NAME         colour theme (default, light, high-contrast, mono, or yours)\n"
    "  --refresh SECONDS    poll interval (default 5)\n"
    "  --cache FILE         cache and audit log (default $XDG_CACHE_HOME/mltop/cache.db)\n"
    "  --snapshot           draw every panel once as text on stdout and exit\n"
    "  --json               with --snapshot: the panels' data as one JSON object instead;\n"
    "                       with --audit: every field of every row as a JSON array\n"
    "  --size COLSxROWS     the size of the snapshot (default 120x40)\n"
    "  --info               print the configuration in use (never a secret) and its problems;\n"
    "                       exit 1 when it lists one\n"
    "  --audit              print the audit log (oldest first), of every context or of --context\n"
    "  --verify             with --audit: check the log's hash chain; exit 1 when broken\n"
    "  --version            print the version, the libraries' and the build's commit, and exit\n"
    "  --help               print this help and exit\n";

const char *cli_usage(void)
{
	return cli_usage_text;
}

/* "--mlflow" for the option that takes this code, for messages. */
static const char *cli_option_name(int code)
{
	for (const struct option *o = cli_options; o->name; o++)
		if (o->val == code)
			return o->name;
	return "?";
}

/* ":N" with N from 1 to 65535, or nothing. */
static int cli_check_port(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (p[0] != ':' || n < 2 || n > 6 || strspn(p + 1, "0123456789") < n - 1)
		return -6;
	long v = strtol(p + 1, NULL, 10);
	return v >= 1 && v <= 65535 ? 0 : -6;
}

/* "[v6]" or "[v6%zone]" (the zone, "%25eth0", names an interface: letters too). */
static int cli_check_v6(const char *h, size_t in)
{
	static const char hex[] = "0123456789abcdefABCDEF:.";
	static const char zone[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%";
	size_t addr = strcspn(h, "%");
	if (addr > in)
		addr = in;
	if (addr < 2 || strspn(h, hex) < addr || !memchr(h, ':', addr))
		return -5;
	return addr == in || strspn(h + addr, zone) >= in - addr ? 0 : -5;
}

/* The authority without user info: a name or an IPv4 address, or an IPv6 address in brackets,
 * then an optional port. Returns 0 or a code for cli_url_problem. */
static int cli_check_host(const char *h, size_t n)
{
	static const char name[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
	if (h[0] == '[') {
		const char *close = memchr(h, ']', n);
		if (!close)
			return -4;
		size_t in = (size_t)(close - h) - 1;
		int rc = cli_check_v6(h + 1, in);
		return rc < 0 ? rc : cli_check_port(close + 1, n - in - 2);
	}
	size_t host = strcspn(h, ":");
	if (host > n)
		host = n;
	if (host == 0 || strspn(h, name) < host)
		return host == 0 ? -2 : -5;
	return cli_check_port(h + host, n - host);
}

int cli_check_url(const char *url)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return -7;
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return -1;
	const char *host = strstr(url, "://") + 3;
	size_t hostlen = strcspn(host, "/?#");
	if (hostlen == 0)
		return -2;
	const char *at = memchr(host, '@', hostlen);
	return at ? -3 : cli_check_host(host, hostlen);
}

const char *cli_url_problem(int rc)
{
	switch (rc) {
	case -1:
		return "URL must start with http:// or https://";
	case -2:
		return "URL has no host";
	case -3:
		return "credentials in a URL are not allowed (use a token or password file)";
	case -4:
		return "URL has an unclosed '[' (an IPv6 address is written [::1])";
	case -5:
		return "URL has a malformed host";
	case -6:
		return "URL has a bad port (1 to 65535)";
	case -7:
		return "URL has a space or a control character";
	default:
		return "bad URL";
	}
}

int cli_parse_seconds(const char *s, int64_t *ms)
{
	char *end = NULL;
	double v = strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < 0.1 || v > 86400)
		return -1;
	*ms = (int64_t)llround(v * 1000);
	return 0;
}

static int cli_parse_size(struct config_args *a, const char *s)
{
	char *end = NULL;
	long cols = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *r = end + 1;
	long rows = strtol(r, &end, 10);
	if (end == r || *end || cols < 1 || cols > 10000 || rows < 1 || rows > 10000)
		return -1;
	a->size_cols = (int)cols;
	a->size_rows = (int)rows;
	return 0;
}

static int cli_add_scrape(struct config_args *a, const char *url)
{
	const char **v = realloc(a->scrape, (a->n_scrape + 1) * sizeof *v);
	if (!v)
		return -1;
	v[a->n_scrape++] = url;
	a->scrape = v;
	return 0;
}

static int cli_url_opt(const char **dst, int code, const char *v, struct err *e)
{
	int rc = cli_check_url(v);
	if (rc < 0)
		return err_set(e, ERR_CONFIG, "--%s: %s", cli_option_name(code),
		               cli_url_problem(rc));
	*dst = v;
	return 0;
}

/* The options that only set a field: flags to 1, strings and URLs to their argument. */
enum cli_kind { CLI_FLAG, CLI_STR, CLI_URL };
#define CLI_F(code, kind, field)                                                                   \
	{                                                                                          \
		code, kind, offsetof(struct config_args, field)                                    \
	}
static const struct {
	int code;
	enum cli_kind kind;
	size_t off;
} cli_fields[] = {
    CLI_F('c', CLI_STR, config_file),
    CLI_F(OPT_DEMO, CLI_FLAG, demo),
    CLI_F(OPT_CONTEXT, CLI_STR, context),
    CLI_F(OPT_MLFLOW, CLI_URL, mlflow),
    CLI_F(OPT_PROMETHEUS, CLI_URL, prometheus),
    CLI_F(OPT_ALERTMANAGER, CLI_URL, alertmanager),
    CLI_F(OPT_KSERVE, CLI_URL, kserve),
    CLI_F(OPT_READONLY, CLI_FLAG, readonly),
    CLI_F(OPT_THEME, CLI_STR, theme),
    CLI_F(OPT_CACHE, CLI_STR, cache),
    CLI_F(OPT_SNAPSHOT, CLI_FLAG, snapshot),
    CLI_F(OPT_JSON, CLI_FLAG, json),
    CLI_F(OPT_VERSION, CLI_FLAG, version),
    CLI_F(OPT_HELP, CLI_FLAG, help),
    CLI_F(OPT_INFO, CLI_FLAG, info),
    CLI_F(OPT_AUDIT, CLI_FLAG, audit),
    CLI_F(OPT_VERIFY, CLI_FLAG, verify),
};

/* One option with its argument; 0 or ERR_CONFIG. */
static int cli_option(struct config_args *a, int code, const char *v, struct err *e)
{
	for (size_t i = 0; i < sizeof cli_fields / sizeof cli_fields[0]; i++) {
		if (cli_fields[i].code != code)
			continue;
		char *f = (char *)a + cli_fields[i].off;
		if (cli_fields[i].kind == CLI_FLAG)
			*(int *)(void *)f = 1;
		else if (cli_fields[i].kind == CLI_URL)
			return cli_url_opt((const char **)(void *)f, code, v, e);
		else
			*(const char **)(void *)f = v;
		return 0;
	}
	const char *url = NULL;
	switch (code) {
	case OPT_SCRAPE:
		if (cli_url_opt(&url, code, v, e) < 0)
			return ERR_CONFIG;
		return cli_add_scrape(a, url) < 0 ? err_set(e, ERR_NOMEM, "out of memory") : 0;
	case OPT_NAMESPACE:
		a->namespace = v;
		return cli_valid_namespace(v) ? 0
		                              : err_set(e, ERR_CONFIG,
		                                        "--namespace: not a Kubernetes namespace "
		                                        "name: '%s'",
		                                        v);
	case OPT_SAMPLES:
		a->samples = v;
		return strstr(v, "://") && cli_check_url(v) < 0
		           ? err_set(e, ERR_CONFIG, "--samples: %s",
		                     cli_url_problem(cli_check_url(v)))
		           : 0;
	case OPT_REFRESH:
		return cli_parse_seconds(v, &a->refresh_ms) < 0
		           ? err_set(e, ERR_CONFIG,
		                     "--refresh: not a number of seconds (0.1 to 86400): '%s'", v)
		           : 0;
	case OPT_SIZE:
		return cli_parse_size(a, v) < 0
		           ? err_set(e, ERR_CONFIG, "--size: expected COLSxROWS, e.g. 120x40: '%s'",
		                     v)
		           : 0;
	default:
		return err_set(e, ERR_CONFIG, "unknown option");
	}
}

int cli_parse(struct config_args *a, int argc, char **argv, struct err *e)
{
	memset(a, 0, sizeof *a);
	optind = 0; /* glibc: start afresh, so that tests can parse several command lines */
	opterr = 0;
	int code, rc = 0;
	while (rc == 0 && (code = getopt_long(argc, argv, ":c:", cli_options, NULL)) != -1) {
		const char *arg = argv[optind - 1];
		if (code == '?')
			rc = optopt && optopt < 256
			         ? err_set(e, ERR_CONFIG, "unknown option '-%c'", optopt)
			         : err_set(e, ERR_CONFIG, "unknown option '%.*s'",
			                   (int)strcspn(arg, "="), arg); /* not what follows '=' */
		else if (code == ':')
			rc = err_set(e, ERR_CONFIG, "option '%s' needs a value", arg);
		else
			rc = cli_option(a, code, optarg, e);
	}
	if (rc == 0 && optind < argc)
		rc = err_set(e, ERR_CONFIG, "unexpected argument '%s'", argv[optind]);
	if (rc == 0 && a->size_cols && !a->snapshot)
		rc = err_set(e, ERR_CONFIG, "--size goes with --snapshot");
	if (rc == 0 && a->json && !a->snapshot && !a->audit)
		rc = err_set(e, ERR_CONFIG, "--json goes with --snapshot or --audit");
	if (rc == 0 && a->verify && (!a->audit || a->json))
		rc = err_set(e, ERR_CONFIG, "--verify goes with --audit, without --json");
	if (rc == 0 && a->audit && (a->snapshot || a->info || a->demo))
		rc = err_set(e, ERR_CONFIG, "--audit goes without --snapshot, --info and --demo");
	if (rc < 0)
		cli_args_fini(a);
	return rc;
}

void cli_args_fini(struct config_args *a)
{
	if (!a)
		return;
	free(a->scrape);
	a->scrape = NULL;
	a->n_scrape = 0;
}

/* The string fields of a struct config_args, for copying them together. */
static const char **cli_args_field(struct config_args *a, int i)
{
	const char **f[] = {&a->config_file,  &a->context, &a->mlflow,    &a->prometheus,
	                    &a->alertmanager, &a->kserve,  &a->namespace, &a->samples,
	                    &a->theme,        &a->cache};
	return i < (int)(sizeof f / sizeof f[0]) ? f[i] : NULL;
}

/* Copies s to *p, moves *p past its NUL and returns the copy. */
static const char *cli_pack(char **p, const char *s)
{
	size_t n = strlen(s) + 1;
	memcpy(*p, s, n);
	*p += n;
	return *p - n;
}

int cli_args_copy(struct config_args *dst, const struct config_args *src, char **text)
{
	size_t need = 1;
	*dst = *src; /* its strings still src's, replaced below */
	for (int i = 0; cli_args_field(dst, i); i++)
		need += *cli_args_field(dst, i) ? strlen(*cli_args_field(dst, i)) + 1 : 0;
	for (size_t i = 0; i < src->n_scrape; i++)
		need += strlen(src->scrape[i]) + 1;
	dst->scrape = src->n_scrape ? calloc(src->n_scrape, sizeof *dst->scrape) : NULL;
	*text = malloc(need);
	if (!*text || (src->n_scrape && !dst->scrape)) {
		free(*text);
		free(dst->scrape);
		memset(dst, 0, sizeof *dst);
		*text = NULL;
		return ERR_NOMEM;
	}
	char *p = *text;
	for (int i = 0; cli_args_field(dst, i); i++) {
		const char **f = cli_args_field(dst, i);
		*f = *f ? cli_pack(&p, *f) : NULL;
	}
	for (size_t i = 0; i < src->n_scrape; i++)
		dst->scrape[i] = cli_pack(&p, src->scrape[i]);
	return 0;
}

int cli_args_scrape_only(struct config_args *a, const char *url)
{
	const char **v = malloc(sizeof *v);
	if (!v)
		return ERR_NOMEM;
	v[0] = url;
	free(a->scrape);
	a->scrape = v;
	a->n_scrape = 1;
	return 0;
}

char *cli_home_dir(void)
{
	const char *h = getenv("HOME");
	if (h && *h)
		return strdup(h);
	struct passwd *pw = getpwuid(getuid());
	return strdup(pw && pw->pw_dir ? pw->pw_dir : "/");
}

char *cli_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void cli_strv_free(char ***v, size_t *n)
{
	for (size_t i = 0; *v && i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

int cli_strv_add(char ***v, size_t *n, const char *s)
{
	char *d = strdup(s);
	char **nv = d ? realloc(*v, (*n + 1) * sizeof *nv) : NULL;
	if (!nv) {
		free(d);
		return ERR_NOMEM;
	}
	nv[(*n)++] = d;
	*v = nv;
	return 0;
}

char *cli_url_dup(const char *url)
{
	char *u = strdup(url);
	size_t n = u ? strlen(u) : 0;
	while (n > 1 && u[n - 1] == '/' && u[n - 2] != '/')
		u[--n] = '\0';
	return u;
}

/* "1 MiB", "64 KiB" or "100 bytes". */
static void cli_size_text(char *buf, size_t n, size_t cap)
{
	if (cap >= (1u << 20) && cap % (1u << 20) == 0)
		snprintf(buf, n, "%zu MiB", cap >> 20);
	else if (cap >= 1024 && cap % 1024 == 0)
		snprintf(buf, n, "%zu KiB", cap >> 10);
	else
		snprintf(buf, n, "%zu bytes", cap);
}

/* Reads fd to its end, failing with -EFBIG past cap bytes. */
static int cli_read_fd(int fd, size_t cap, char *buf, size_t *len)
{
	*len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + *len, cap + 1 - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*len += (size_t)n;
		if (*len > cap)
			return -EFBIG;
	}
}

size_t cli_trim_wipe(char *buf, size_t len)
{
	size_t a = 0, b = len;
	while (a < b && isspace((unsigned char)buf[a]))
		a++;
	while (b > a && isspace((unsigned char)buf[b - 1]))
		b--;
	memmove(buf, buf + a, b - a);
	explicit_bzero(buf + (b - a), len - (b - a));
	buf[b - a] = '\0';
	return b - a;
}

int cli_read_file(const char *path, size_t cap, char **buf, size_t *len, unsigned *mode,
                  struct err *e)
{
	struct stat st;
	char size[32];
	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO that no one writes to would otherwise wait forever. */
	int rc = 0, fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
		goto out;
	}
	cli_size_text(size, sizeof size, cap);
	if (!S_ISREG(st.st_mode)) {
		err_set(e, ERR_CONFIG, "%s: not a regular file", path);
		rc = -EINVAL;
		goto out;
	}
	if ((uintmax_t)st.st_size > cap) {
		err_set(e, ERR_CONFIG, "%s: larger than %s", path, size);
		rc = -EFBIG;
		goto out;
	}
	if (!(*buf = malloc(cap + 2))) {
		err_set(e, ERR_NOMEM, "%s: out of memory", path);
		rc = -ENOMEM;
		goto out;
	}
	rc = cli_read_fd(fd, cap, *buf, len);
	if (rc == -EFBIG)
		err_set(e, ERR_CONFIG, "%s: larger than %s", path, size);
	else if (rc < 0)
		err_set(e, ERR_CONFIG, "%s: %s", path, strerror(-rc));
	if (rc == 0) {
		(*buf)[*len] = '\0';
		if (mode)
			*mode = (unsigned)st.st_mode & 07777u;
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && *buf) {
		explicit_bzero(*buf, cap + 2); /* it may have held a secret */
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}

int cli_parse_bool(const char *v, int *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0 || strcasecmp(v, no[i]) == 0) {
			*out = strcasecmp(v, yes[i]) == 0;
			return 0;
		}
	}
	return -1;
}

int cli_valid_namespace(const char *ns)
{
	size_t n = strlen(ns);
	if (n == 0 || n > 63 || ns[0] == '-' || ns[n - 1] == '-')
		return 0;
	return strspn(ns, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static const char *const cli_source_labels[SRC_COUNT] = {"mlflow",       "prometheus", "scrape",
                                                         "alertmanager", "kserve",     "samples"};

/* The kind of auth only: where the secret comes from, never the secret. */
static void cli_describe_auth(const struct config_source *s, FILE *out)
{
	if (s->kind == AUTH_BEARER)
		fprintf(out, "  token from %s", s->auth_origin ? s->auth_origin : "?");
	else if (s->kind == AUTH_BASIC)
		fprintf(out, "  basic user %s (password from %s)", s->user ? s->user : "?",
		        s->auth_origin ? s->auth_origin : "?");
	if (s->auth.insecure)
		fputs("  TLS NOT VERIFIED", out);
	else if (s->ca)
		fprintf(out, "  CA %s", s->ca);
}

static int cli_describe_context(const struct context *c, FILE *out)
{
	int problems = 0;
	fprintf(out, "context   %s%s%s, refresh %.1fs\n", c->name, c->danger ? " (danger)" : "",
	        c->readonly ? " (read-only)" : "", (double)c->refresh_ms / 1000.0);
	for (int i = 0; i < SRC_COUNT; i++) {
		const struct config_source *s = &c->src[i];
		fprintf(out, "  %-13s", cli_source_labels[i]);
		if (i == SRC_SCRAPE && c->n_scrape) {
			for (size_t k = 0; k < c->n_scrape; k++)
				fprintf(out, "%s%s", k ? ", " : "", c->scrape[k]);
		} else if (i == SRC_SAMPLES && c->samples) {
			fputs(c->samples, out);
		} else if (s->url) {
			fputs(s->url, out);
			if (i == SRC_KSERVE)
				fprintf(out, "  namespace %s", c->namespace ? c->namespace : "-");
		} else {
			fputs("not configured", out);
		}
		if (s->url)
			cli_describe_auth(s, out);
		fputc('\n', out);
		if (s->problem) {
			fprintf(out, "    problem: %s\n", s->problem);
			problems++;
		}
	}
	return problems;
}

int cli_describe(const struct config *cfg, const struct context *ctx, const char *cache_problem,
                 FILE *out)
{
	const struct config_general *g = config_general(cfg);
	int problems = cache_problem != NULL;
	fprintf(out, "config    %s%s\n", config_path(cfg),
	        config_file_found(cfg) ? "" : " (not found: defaults)");
	fprintf(out, "cache     %s\n", g->cache ? g->cache : "-");
	if (cache_problem)
		fprintf(out, "  problem: %s\n", cache_problem);
	fprintf(out, "themes    %s\n", config_themes_dir(cfg));
	fprintf(out, "theme     %s\nuser      %s\n", g->theme ? g->theme : "default",
	        g->user ? g->user : "-");
	fputs("contexts ", out);
	for (size_t i = 0; i < config_context_count(cfg); i++)
		fprintf(out, " %s%s", config_context_name(cfg, i),
		        strcmp(config_context_name(cfg, i), config_context_default(cfg)) == 0 ? "*"
		                                                                              : "");
	fputc('\n', out);
	if (ctx)
		problems += cli_describe_context(ctx, out);
	for (size_t i = 0; i < config_model_count(cfg); i++) {
		const struct config_model *m = config_model_at(cfg, i);
		fprintf(out, "model     %s: deployment %s, registered %s", m->name, m->deployment,
		        m->registered);
		if (m->metric)
			fprintf(out, ", metric %s", m->metric);
		if (m->slo_p99_ms > 0)
			fprintf(out, ", p99 SLO %g ms", m->slo_p99_ms);
		if (m->slo_error_pct >= 0)
			fprintf(out, ", error SLO %g%%", m->slo_error_pct);
		fputs(", canary", out);
		for (size_t k = 0; k < m->n_canary_steps; k++)
			fprintf(out, "%s%d", k ? "/" : " ", m->canary_steps[k]);
		fputc('\n', out);
	}
	for (size_t i = 0; i < config_warning_count(cfg); i++)
		fprintf(out, "warning   %s\n", config_warning(cfg, i));
	return problems;
}
