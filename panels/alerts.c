/* alerts: drift and serving alerts from Alertmanager. */
#include "panels/alerts.h"

#include "panels/notice.h"

static const unsigned needs = 1u << SRC_ALERTMANAGER;

static void alerts_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	notice_draw_panel(w, t, "Alerts", needs, p->env);
}

static const struct keyhint alerts_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *alerts_hints(const struct panel *p)
{
	(void)p;
	return alerts_keys;
}

const struct panel_ops alerts_ops = {
    .name = "alerts",
    .title = "Alerts",
    .draw = alerts_draw,
    .hints = alerts_hints,
};
