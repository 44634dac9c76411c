/* serving: live serving per deployment and version: needs Prometheus or a scrape target, and KServe
 * for the traffic split. */
#include "panels/serving.h"

#include "panels/notice.h"

static const unsigned needs = (1u << SRC_PROMETHEUS) | (1u << SRC_KSERVE);

static void serving_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	unsigned n = needs;
	if (notice_configured(p->env, SRC_SCRAPE)) /* scraping stands in for Prometheus */
		n = (n & ~(1u << SRC_PROMETHEUS)) | (1u << SRC_SCRAPE);
	notice_draw_panel(w, t, "Serving", n, p->env);
}

static const struct keyhint serving_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *serving_hints(const struct panel *p)
{
	(void)p;
	return serving_keys;
}

const struct panel_ops serving_ops = {
    .name = "serving",
    .title = "Serving",
    .draw = serving_draw,
    .hints = serving_hints,
};
