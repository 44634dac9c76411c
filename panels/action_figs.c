#include "panels/action_figs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cache_scope *scope(const char *ctx, struct cache_scope *sc)
{
	*sc = (struct cache_scope){.ctx = ctx, .server = "serving", .source = "figures"};
	return sc;
}

/* "MODEL\tVERSION" with the version as the registry has it ("7", not "v7"). */
static void key_of(char *key, size_t n, const char *model, const char *version)
{
	if ((version[0] == 'v' || version[0] == 'V') && version[1] >= '0' && version[1] <= '9')
		version++;
	snprintf(key, n, "%s\t%s", model, version);
}

void action_figs_keep(struct cache *c, const char *ctx, const struct serving_deps *d,
                      int64_t now_ms)
{
	struct cache_scope sc;
	for (size_t i = 0; c && ctx && d && i < d->n; i++) {
		const struct serving_dep *dep = &d->v[i];
		for (size_t k = 0; k < dep->n; k++) {
			const struct serving_line *l = &dep->lines[k];
			if (!l->metrics || isnan(l->value[PROM_FIG_RPS]))
				continue;
			char key[256], body[256];
			key_of(key, sizeof key, dep->registered, l->reg[0] ? l->reg : l->version);
			int len = snprintf(body, sizeof body, "%d %.9g %.9g %.9g %.9g", l->percent,
			                   l->value[PROM_FIG_RPS], l->value[PROM_FIG_ERROR_RATIO],
			                   l->value[PROM_FIG_P95], l->value[PROM_FIG_P99]);
			cache_put(c, scope(ctx, &sc), key, body, (size_t)len, now_ms, NULL);
		}
	}
}

int action_figs_last(struct cache *c, const char *ctx, const char *model, const char *version,
                     struct serving_line *out, int64_t *at_ms)
{
	struct cache_scope sc;
	char key[256], *body = NULL;
	size_t len = 0;
	if (!c || !ctx || !model || !version)
		return 1;
	key_of(key, sizeof key, model, version);
	if (cache_get(c, scope(ctx, &sc), key, &body, &len, at_ms, NULL) != 0)
		return 1;
	memset(out, 0, sizeof *out);
	for (int f = 0; f < PROM_NFIG; f++)
		out->value[f] = NAN;
	char *p = body;
	out->percent = (int)strtol(p, &p, 10);
	int figs[] = {PROM_FIG_RPS, PROM_FIG_ERROR_RATIO, PROM_FIG_P95, PROM_FIG_P99};
	for (size_t i = 0; i < 4; i++)
		out->value[figs[i]] = strtod(p, &p);
	free(body);
	return 0;
}
