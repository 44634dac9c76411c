/* compare: the Compare view of the Experiments tab. */
#include "panels/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct compare {
	const struct panel_env *env;
	struct mlflow *client;
	const struct runstore *store;
	const struct mlflow_run *runs[COMPARE_MAX_RUNS];
	size_t n;
};

struct compare *compare_new(const struct panel_env *env, struct mlflow *client)
{
	struct compare *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->env = env;
	c->client = client;
	return c;
}

void compare_free(struct compare **c)
{
	if (!c || !*c)
		return;
	free(*c);
	*c = NULL;
}

int compare_set(struct compare *c, const struct runstore *store,
                const struct mlflow_run *const *runs, size_t n, struct err *e)
{
	if (n < COMPARE_MIN_RUNS || n > COMPARE_MAX_RUNS)
		return err_set(e, ERR_STATE, "compare takes %d to %d runs, %zu marked",
		               COMPARE_MIN_RUNS, COMPARE_MAX_RUNS, n);
	c->store = store;
	memcpy(c->runs, runs, n * sizeof(*runs));
	c->n = n;
	return 0;
}

void compare_recalc(struct compare *c)
{
	(void)c;
}

void compare_draw(const struct compare *c, WINDOW *w, const struct theme *t)
{
	werase(w);
	wattrset(w, theme_attr(t, ROLE_ACCENT));
	mvwprintw(w, 0, 0, "compare %zu runs", c->n);
	wattrset(w, A_NORMAL);
}

enum panel_rc compare_key(struct compare *c, int key)
{
	(void)c;
	return key == 27 ? PANEL_BACK : PANEL_IGNORED;
}

static const struct keyhint compare_keyhints[] = {
    {"Esc", "back", 1},
    {NULL, NULL, 0},
};

const struct keyhint *compare_hints(const struct compare *c)
{
	(void)c;
	return compare_keyhints;
}

void compare_status(const struct compare *c, char *buf, size_t n)
{
	snprintf(buf, n, "%zu runs", c->n);
}
