/* experiments: experiments and runs from MLflow. */
#include "panels/experiments.h"

#include "panels/notice.h"

static const unsigned needs = 1u << SRC_MLFLOW;

static void experiments_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	notice_draw_panel(w, t, "Experiments", needs, p->env);
}

static const struct keyhint experiments_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *experiments_hints(const struct panel *p)
{
	(void)p;
	return experiments_keys;
}

const struct panel_ops experiments_ops = {
	.name = "experiments",
	.title = "Experiments",
	.draw = experiments_draw,
	.hints = experiments_hints,
};
