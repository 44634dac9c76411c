/* audit: every action taken from this machine, from the audit log in the cache. */
#include "panels/audit.h"

#include "panels/notice.h"

static const unsigned needs = 0;

static void audit_draw(const struct panel *p, WINDOW *w, const struct theme *t)
{
	notice_draw_panel(w, t, "Audit", needs, p->env);
}

static const struct keyhint audit_keys[] = {{NULL, NULL, 0}};

static const struct keyhint *audit_hints(const struct panel *p)
{
	(void)p;
	return audit_keys;
}

const struct panel_ops audit_ops = {
	.name = "audit",
	.title = "Audit",
	.draw = audit_draw,
	.hints = audit_hints,
};
