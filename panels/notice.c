#include "panels/notice.h"

#include <stdio.h>
#include <string.h>

#include "clients/config.h"
#include "tui/widgets/text.h"

const struct notice_source notice_sources[SRC_COUNT] = {
    [SRC_MLFLOW] = {SRC_MLFLOW, "an MLflow tracking server", "--mlflow URL", "MLFLOW_TRACKING_URI",
                    "mlflow = URL"},
    [SRC_PROMETHEUS] = {SRC_PROMETHEUS, "Prometheus (or a model server to scrape)",
                        "--prometheus URL", NULL, "prometheus = URL",
                        "or --scrape URL / scrape = URL to read a model server's /metrics"},
    [SRC_SCRAPE] = {SRC_SCRAPE, "a model server's /metrics to scrape", "--scrape URL", NULL,
                    "scrape = URL"},
    [SRC_ALERTMANAGER] = {SRC_ALERTMANAGER, "Alertmanager", "--alertmanager URL", NULL,
                          "alertmanager = URL"},
    [SRC_KSERVE] = {SRC_KSERVE, "the Kubernetes API with KServe", "--kserve URL", NULL,
                    "kserve = URL"},
    [SRC_SAMPLES] = {SRC_SAMPLES, "failed samples (JSON Lines over HTTP or a file)",
                     "--samples URL|FILE", NULL, "samples = URL or FILE"},
};

int notice_configured(const struct panel_env *env, enum source_id src)
{
	if (!env->ctx)
		return 0;
	if (src == SRC_SAMPLES)
		return env->ctx->samples != NULL;
	return env->ctx->src[src].url != NULL;
}

void notice_line(WINDOW *w, int y, int x, const struct theme *t, enum role r, const char *text)
{
	int maxy = getmaxy(w), maxx = getmaxx(w);
	if (y < 0 || y >= maxy || x >= maxx)
		return;
	char clean[1024], buf[1024];
	text_sanitize(text, strlen(text), clean, sizeof clean); /* errors may quote a server */
	text_ellipsize(buf, sizeof buf, clean, maxx - x,
	               text_locale_utf8() ? TEXT_ELLIPSIS_UTF8 : TEXT_ELLIPSIS_TILDE);
	wattrset(w, theme_attr(t, r));
	mvwaddstr(w, y, x, buf);
	wattrset(w, A_NORMAL);
}

/* Draws, from line y of w, "<Title> needs <what>." and how to set it (flag, env, config key), for
 * each source in `needed` (bits) that is not configured; returns the next free line. */
static int notice_draw_unconfigured(WINDOW *w, int y, const struct theme *t, const char *title,
                                    unsigned needed, const struct panel_env *env)
{
	char line[512];
	for (int s = 0; s < SRC_COUNT; s++) {
		if (!(needed & (1u << s)) || notice_configured(env, (enum source_id)s))
			continue;
		const struct notice_source *n = &notice_sources[s];
		snprintf(line, sizeof line, "%s needs %s.", title, n->what);
		notice_line(w, y++, 1, t, ROLE_ACCENT, line);
		snprintf(line, sizeof line, "%-22s on the command line", n->flag);
		notice_line(w, y++, 3, t, ROLE_NORMAL, line);
		if (n->env) {
			snprintf(line, sizeof line, "%-22s in the environment", n->env);
			notice_line(w, y++, 3, t, ROLE_NORMAL, line);
		}
		snprintf(line, sizeof line, "%-22s in [context.NAME] of config.ini", n->key);
		notice_line(w, y++, 3, t, ROLE_NORMAL, line);
		if (n->alt)
			notice_line(w, y++, 3, t, ROLE_NORMAL, n->alt);
		notice_line(w, y++, 3, t, ROLE_MUTED, "(mltop --info shows where that file is)");
		y++;
	}
	return y;
}

static const char *health_word(enum source_health h)
{
	switch (h) {
	case HEALTH_OFF:
		return "not configured";
	case HEALTH_PENDING:
		return "waiting for the first answer";
	case HEALTH_OK:
		return "ok";
	case HEALTH_SLOW:
		return "slow";
	case HEALTH_DOWN:
		return "down";
	}
	return "?";
}

/* Draws "<source>: <state>, <last error>" lines for the sources in `which` (health, data age). */
static int notice_draw_sources(WINDOW *w, int y, const struct theme *t, unsigned which,
                               const struct panel_env *env)
{
	int64_t now = env->now_ms();
	for (int s = 0; s < SRC_COUNT; s++) {
		if (!(which & (1u << s)) || !notice_configured(env, (enum source_id)s))
			continue;
		const struct source_status *st = sched_source(env->sched, (enum source_id)s);
		char age[32] = "", line[768];
		if (st->last_ok_ms > 0)
			snprintf(age, sizeof age, ", data %s old",
			         text_age((char[16]){0}, 16, now - st->last_ok_ms));
		const char *url = s == SRC_SAMPLES ? env->ctx->samples : env->ctx->src[s].url;
		snprintf(line, sizeof line, "%-12s %s  %s%s", sched_source_name((enum source_id)s),
		         url, health_word(st->health), age);
		enum role r = st->health == HEALTH_DOWN   ? ROLE_CRIT
		              : st->health == HEALTH_SLOW ? ROLE_WARN
		              : st->health == HEALTH_OK   ? ROLE_OK
		                                          : ROLE_MUTED;
		notice_line(w, y++, 1, t, r, line);
		if (st->health == HEALTH_DOWN && st->last_error[0])
			notice_line(w, y++, 3, t, ROLE_ERROR, st->last_error);
	}
	return y;
}

void notice_draw_panel(WINDOW *w, const struct theme *t, const char *title, unsigned needed,
                       const struct panel_env *env)
{
	int y = notice_draw_unconfigured(w, 1, t, title, needed, env);
	notice_draw_sources(w, y, t, needed, env);
}
