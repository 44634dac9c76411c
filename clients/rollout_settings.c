#include "clients/rollout_settings.h"

#include <string.h>

#include "clients/config.h"
#include "clients/hook.h"

int rollout_hooks_init(struct rollout_hooks *h, const struct context *ctx,
                       const struct config_model *m, struct err *e)
{
	memset(h, 0, sizeof *h);
	const char *own[3] = {m ? m->promote_cmd : NULL, m ? m->canary_cmd : NULL,
	                      m ? m->rollback_cmd : NULL};
	const char *ctxs[3] = {ctx ? ctx->promote_cmd : NULL, ctx ? ctx->canary_cmd : NULL,
	                       ctx ? ctx->rollback_cmd : NULL};
	for (int i = 0; i < 3; i++) {
		const char *cmd = own[i] ? own[i] : ctxs[i];
		int rc = cmd ? hook_split(cmd, &h->argv[i], e) : 0;
		if (rc < 0) {
			rollout_hooks_fini(h);
			return rc;
		}
	}
	h->s.model = m;
	h->s.context = ctx ? ctx->name : NULL;
	h->s.promote_cmd = (const char *const *)h->argv[0];
	h->s.canary_cmd = (const char *const *)h->argv[1];
	h->s.rollback_cmd = (const char *const *)h->argv[2];
	h->s.hook_timeout_ms = m && m->hook_timeout_ms ? (long)m->hook_timeout_ms
	                       : ctx                   ? (long)ctx->hook_timeout_ms
	                                               : 0;
	return 0;
}

void rollout_hooks_fini(struct rollout_hooks *h)
{
	for (int i = 0; i < 3; i++)
		hook_argv_free(&h->argv[i]);
	memset(h, 0, sizeof *h);
}
