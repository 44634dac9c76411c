/* samples: failed samples from JSON Lines over HTTP or a file. */
#include "panels/samples.h"

#include "panels/notice.h"

static const unsigned needs = 1u << SRC_SAMPLES;

static void samples_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	notice_draw_panel(w, t, "Samples", needs, p->env);
}

static const struct keyhint samples_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *samples_hints(const struct panel *p)
{
	(void)p;
	return samples_keys;
}

const struct panel_ops samples_ops = {
    .name = "samples",
    .title = "Samples",
    .draw = samples_draw,
    .hints = samples_hints,
};
