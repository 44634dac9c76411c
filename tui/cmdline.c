#include "tui/cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panels/action.h"
#include "panels/action_live.h"
#include "tui/app.h"

enum cmd_arg { ARG_NONE, ARG_CONTEXT, ARG_THEME, ARG_MODEL };

struct command {
	const char *name;
	enum cmd_arg arg;
	const char *help;
};

/* The panels' names come first, from the panel table; then these. */
static const struct command commands[] = {
    {"ctx", ARG_CONTEXT, "switch to another context of the config"},
    {"theme", ARG_THEME, "switch the colour theme"},
    {"promote", ARG_MODEL, "promote MODEL VERSION: plan it, show it, ask"},
    {"canary", ARG_MODEL, "canary MODEL VERSION PERCENT: plan it, show it, ask"},
    {"rollback", ARG_MODEL, "rollback MODEL: roll back its canary, or choose a champion"},
    {"help", ARG_NONE, "the keys of this panel"},
    {"quit", ARG_NONE, "quit"},
    {"q", ARG_NONE, "quit"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char *skip_space(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* :promote MODEL VERSION, :canary MODEL VERSION PERCENT, :rollback MODEL. */
static int run_write(struct app *a, const char *name, const char *arg, struct err *e)
{
	char model[128] = "", version[64] = "", extra[16] = "";
	int percent = -1, n = sscanf(arg, "%127s %63s %d %15s", model, version, &percent, extra);
	if (a->ctx->readonly)
		return err_set(e, ERR_STATE, "read-only: writes are off");
	if (name[0] == 'r') {
		if (n != 1)
			return err_set(e, ERR_CONFIG, ":rollback MODEL");
		action_rollback(a->action, model);
	} else if (name[0] == 'p') {
		if (n != 2)
			return err_set(e, ERR_CONFIG, ":promote MODEL VERSION");
		action_start(a->action, ROLLOUT_PROMOTE, model, version, -1);
	} else {
		if (n != 3 || percent < 1 || percent > 100)
			return err_set(e, ERR_CONFIG, ":canary MODEL VERSION PERCENT (1 to 100)");
		action_start(a->action, ROLLOUT_CANARY, model, version, percent);
	}
	return 0;
}

static int run_named(struct app *a, const char *name, const char *arg, struct err *e)
{
	if (strcmp(name, "q") == 0 || strcmp(name, "quit") == 0) {
		app_quit(a);
		return 0;
	}
	if (!strcmp(name, "promote") || !strcmp(name, "canary") || !strcmp(name, "rollback"))
		return run_write(a, name, arg, e);
	if (strcmp(name, "help") == 0) {
		a->help = 1;
		return 0;
	}
	if (strcmp(name, "ctx") == 0 || strcmp(name, "theme") == 0) {
		if (!*arg)
			return err_set(e, ERR_CONFIG, ":%s needs a name (Tab lists them)", name);
		if (name[0] == 'c') {
			if (app_switch_context(a, arg, e) < 0)
				return ERR_CONFIG;
			app_message(a, 0, "context %s", arg);
			return 0;
		}
		return app_set_theme(a, arg, e);
	}
	return err_set(e, ERR_CONFIG, "unknown command :%s (Tab lists them)", name);
}

int cmdline_run(struct app *a, const char *line, struct err *e)
{
	char name[64];
	line = skip_space(line);
	size_t n = strcspn(line, " ");
	if (n == 0)
		return 0;
	snprintf(name, sizeof name, "%.*s", (int)n, line);
	const char *arg = skip_space(line + n);
	char argbuf[256];
	snprintf(argbuf, sizeof argbuf, "%s", arg);
	for (size_t l = strlen(argbuf); l > 0 && argbuf[l - 1] == ' '; l--)
		argbuf[l - 1] = '\0';
	int pi = panels_find(name);
	if (pi >= 0) {
		if (*argbuf && a->panels[pi].ops->focus) /* ":samples model=churn" */
			a->panels[pi].ops->focus(&a->panels[pi], argbuf);
		a->current = pi;
		a->panels[pi].dirty = 1;
		return 0;
	}
	return run_named(a, name, argbuf, e);
}

static int add(char **out, int n, int max, const char *prefix, const char *word, size_t typed,
               const char *have)
{
	if (n >= max || strncmp(word, have, typed) != 0)
		return n;
	size_t len = strlen(prefix) + strlen(word) + 1;
	out[n] = malloc(len);
	if (!out[n])
		return n;
	snprintf(out[n], len, "%s%s", prefix, word);
	return n + 1;
}

static int complete_arg(struct app *a, enum cmd_arg kind, const char *prefix, const char *have,
                        char **out, int max)
{
	int n = 0;
	size_t typed = strlen(have);
	if (kind == ARG_CONTEXT) {
		for (size_t i = 0; i < config_context_count(a->cfg); i++)
			n = add(out, n, max, prefix, config_context_name(a->cfg, i), typed, have);
	} else if (kind == ARG_MODEL && !strchr(have, ' ')) {
		struct action_data d;
		action_data_now(a->action, &d);
		for (size_t i = 0; d.deps && i < d.deps->n; i++)
			n = add(out, n, max, prefix, d.deps->v[i].registered, typed, have);
		for (size_t i = 0; i < config_model_count(a->cfg); i++)
			if (!action_live_dep(d.deps, config_model_at(a->cfg, i)->name))
				n = add(out, n, max, prefix, config_model_at(a->cfg, i)->name,
				        typed, have);
	} else if (kind == ARG_THEME) {
		char *names[64];
		int k = theme_list(app_theme_dirs(a), names, 64);
		for (int i = 0; i < k; i++) {
			n = add(out, n, max, prefix, names[i], typed, have);
			free(names[i]);
		}
	}
	return n;
}

int cmdline_complete(void *app, const char *line, char **out, int max)
{
	struct app *a = app;
	line = skip_space(line);
	const char *space = strchr(line, ' ');
	if (space) { /* complete the argument of a command */
		char name[64], prefix[128];
		snprintf(name, sizeof name, "%.*s", (int)(space - line), line);
		snprintf(prefix, sizeof prefix, "%s ", name);
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (strcmp(commands[i].name, name) == 0)
				return complete_arg(a, commands[i].arg, prefix, skip_space(space),
				                    out, max);
		return 0;
	}
	int n = 0;
	size_t typed = strlen(line);
	for (int i = 0; i < PANELS_COUNT; i++)
		n = add(out, n, max, "", panels_table[i]->name, typed, line);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, "q") != 0)
			n = add(out, n, max, "", commands[i].name, typed, line);
	return n;
}
