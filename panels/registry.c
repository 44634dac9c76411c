/* registry: the MLflow model registry. */
#include "panels/registry.h"

#include "panels/notice.h"

static const unsigned needs = 1u << SRC_MLFLOW;

static void registry_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	notice_draw_panel(w, t, "Registry", needs, p->env);
}

static const struct keyhint registry_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *registry_hints(const struct panel *p)
{
	(void)p;
	return registry_keys;
}

const struct panel_ops registry_ops = {
	.name = "registry",
	.title = "Registry",
	.draw = registry_draw,
	.hints = registry_hints,
};
