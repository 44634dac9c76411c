/* notice: what a panel shows instead of data — which source it needs and how to set it, a
 * source's error with the age of what is cached, or an empty state. Shared by every panel. */
#ifndef MLTOP_NOTICE_H
#define MLTOP_NOTICE_H

#include "panels/panel.h"

/* How a source is configured: the flag, the environment variable (or NULL) and the key. */
struct notice_source {
	enum source_id src;
	const char *what; /* "an MLflow tracking server" */
	const char *flag; /* "--mlflow URL" */
	const char *env;  /* "MLFLOW_TRACKING_URI", or NULL */
	const char *key;  /* "mlflow = URL" */
	const char *alt;  /* another way, one line, or NULL */
};

extern const struct notice_source notice_sources[SRC_COUNT];

/* Whether the context has a source configured. */
int notice_configured(const struct panel_env *env, enum source_id src);

/* Draws one line in a role, clipped to the window, from column x. */
void notice_line(WINDOW *w, int y, int x, const struct theme *t, enum role r, const char *text);

/* The body of a panel whose own view is not drawn: the sources it needs that are missing (with
 * how to set them), then the state of those that are configured. */
void notice_draw_panel(WINDOW *w, const struct theme *t, const char *title, unsigned needed,
                       const struct panel_env *env);
#endif
