/* rollout_settings: the settings of a rollout (clients/rollout.h, struct rollout_settings) from
 * a resolved context and the [model.NAME] of the model acted on: canary_steps, and the hooks
 * promote_cmd / canary_cmd / rollback_cmd split into argv (the model's command overriding the
 * context's, one by one) with hook_timeout (the model's, else the context's). */
#ifndef MLTOP_ROLLOUT_SETTINGS_H
#define MLTOP_ROLLOUT_SETTINGS_H

#include "clients/err.h"
#include "clients/rollout.h"

struct context;
struct config_model;

struct rollout_hooks {
	struct rollout_settings s; /* what a rollout is given; its argv point into argv below */
	char **argv[3];            /* promote, canary, rollback (owned) */
};

/* ctx and m are borrowed (m may be NULL) and must outlive h. ERR_CONFIG when a command does not
 * split (a configuration loaded by config_load has been checked already). */
int rollout_hooks_init(struct rollout_hooks *h, const struct context *ctx,
                       const struct config_model *m, struct err *e);
void rollout_hooks_fini(struct rollout_hooks *h);

#endif
