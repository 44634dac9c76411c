/* mltop: a terminal dashboard for machine-learning models in production. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/clock.h"
#include "clients/config.h"
#include "tui/app.h"
#include "tui/audit_cli.h"
#include "tui/demo.h"
#include "tui/loop.h"
#include "tui/screen.h"
#include "tui/snapshot.h"
#include "tui/term.h"
#include "tui/version.h"
#include "tui/widgets/text.h"

#define SNAPSHOT_TIMEOUT_MS 10000

/* --demo: every source points at the simulator, which the flags then carry (flag > env > file). */
static int demo_args(struct config_args *args, struct demo *d, struct err *e)
{
	if (demo_start(d, e) < 0)
		return -1;
	args->mlflow = d->mlflow;
	args->alertmanager = d->url;
	args->kserve = d->url;
	args->namespace = "models";
	args->samples = d->samples;
	if (config_args_scrape_only(args, d->scrape) < 0)
		return err_set(e, ERR_NOMEM, "out of memory");
	return 0;
}

static int run_interactive(struct app *a)
{
	if (term_init() < 0)
		return 2;
	a->colours = term_colours();
	term_mouse(config_general(a->cfg)->mouse);
	theme_apply(&a->theme, a->colours, a->no_color);
	struct screen sc = {0};
	int rc = loop_run(a, &sc);
	screen_fini(&sc);
	term_fini();
	return rc;
}

static int run_snapshot(struct app *a, const struct config_args *args)
{
	int cols = args->size_cols ? args->size_cols : 120;
	int rows = args->size_rows ? args->size_rows : 40;
	if (term_init_headless(cols, rows) < 0) {
		fprintf(stderr, "mltop: cannot open a headless screen\n");
		return 2;
	}
	a->snapshot = 1;
	a->json = args->json;
	a->theme.mono = 1;
	theme_apply(&a->theme, 0, 1);
	int rc = snapshot_run(a, cols, rows, SNAPSHOT_TIMEOUT_MS, stdout);
	term_fini();
	return rc;
}

/* Prints text line by line, each line after prefix and through the sanitizer: config values,
 * environment variables and arguments may hold escape sequences, bidi overrides or other
 * control characters, and a terminal must see them as visible escapes, never obey them. */
static void print_clean(FILE *out, const char *prefix, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *line = text_sanitize(text, n, NULL, 0);
		fprintf(out, "%s%s\n", prefix, line ? line : "(out of memory)");
		free(line);
		text += n + (text[n] == '\n');
	}
}

/* One line that names the problem, and where to read more: the whole help would bury it. */
static int usage_error(const struct err *e)
{
	char *line = text_sanitize(e->msg, strlen(e->msg), NULL, 0);
	fprintf(stderr, "mltop: %s (see mltop --help)\n", line ? line : "bad usage");
	free(line);
	return 2;
}

/* --info: config_describe's text, sanitized; exit 1 when it lists a problem, else 0. */
static int print_info(const struct app *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		fputs("mltop: out of memory\n", stderr);
		return 2;
	}
	int problems =
	    config_describe(a->cfg, a->ctx, a->cache_problem[0] ? a->cache_problem : NULL, m);
	fclose(m);
	print_clean(stdout, "", buf);
	free(buf);
	return problems ? 1 : 0;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	struct config_args args;
	struct err e = {0};
	struct demo demo = {0};
	struct app app = {0};
	struct config *cfg = NULL;
	int rc = 2;
	if (config_args_parse(&args, argc, argv, &e) < 0)
		return usage_error(&e);
	if (args.help || args.version) {
		if (args.help)
			fputs(config_usage(), stdout);
		else
			version_print(stdout);
		config_args_fini(&args);
		return 0;
	}
	if (args.audit) { /* the log only: nothing is polled, no screen */
		rc = audit_cli_main(&args);
		goto out;
	}
	if (args.demo && demo_args(&args, &demo, &e) < 0) {
		print_clean(stderr, "mltop: ", e.msg);
		goto out;
	}
	cfg = config_load(&args, NULL, &e);
	if (!cfg) {
		print_clean(stderr, "mltop: ", e.msg);
		goto out;
	}
	if (app_init(&app, cfg, clock_wall_ms, &e) < 0) {
		print_clean(stderr, "mltop: ", e.msg);
		goto out;
	}
	if (args.demo)
		app.demo_label = "demo";
	if (args.info) {
		rc = print_info(&app);
	} else {
		for (size_t i = 0; i < config_warning_count(cfg); i++)
			print_clean(stderr, "mltop: warning: ", config_warning(cfg, i));
		if (app.cache_problem[0])
			print_clean(stderr, "mltop: warning: ", app.cache_problem);
		rc = args.snapshot ? run_snapshot(&app, &args) : run_interactive(&app);
	}
out:
	if (app.cfg)
		app_fini(&app);
	config_free(&cfg);
	demo_stop(&demo);
	config_args_fini(&args);
	return rc;
}
