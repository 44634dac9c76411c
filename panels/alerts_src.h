/* alerts_src: the Alertmanager side of the Alerts panel: the client wired to the context (URL,
 * auth, read-only) and to the cache (the alerts and the silences are filed under (context,
 * Alertmanager server, "alertmanager", the request's path) and drawn from there at start), the
 * two polls (alerts, silences) through the scheduler, and the writes: creating a silence for an
 * alert's labels and expiring one, each recorded in the audit log. */
#ifndef MLTOP_ALERTS_SRC_H
#define MLTOP_ALERTS_SRC_H

#include <stdint.h>

#include "clients/alertmanager.h"
#include "clients/cache.h"
#include "panels/panel.h"

enum alerts_part { ALERTS_PART_ALERTS, ALERTS_PART_SILENCES, ALERTS_PARTS };

struct alerts_part_state {
	int job;
	uint64_t gen;
	long op;
	int answered;       /* an answer (or a failure) came since start */
	int cached;         /* the data shown came from the cache */
	int64_t fetched_ms; /* when the data shown was fetched (0: none) */
	char error[256];    /* the last failure, "" after a success */
};

struct alerts_src {
	const struct panel_env *env;
	struct alertmanager *am; /* NULL: Alertmanager not configured */
	char client_err[256];
	struct am_alerts *alerts;
	struct am_silences *silences;
	struct alerts_part_state part[ALERTS_PARTS];
	long op_write; /* a silence being created or expired */
	char write_model[128], write_detail[1024];
	int write_kind;            /* enum alertmanager_kind of op_write */
	void (*changed)(void *ud); /* new data: rebuild the rows */
	void *ud;
};

int alerts_src_init(struct alerts_src *s, const struct panel_env *env, void (*changed)(void *),
                    void *ud);
void alerts_src_fini(struct alerts_src *s);
void alerts_src_schedule(struct alerts_src *s, struct sched *sched);
int alerts_src_busy(const struct alerts_src *s);
/* The one error line of the source ("" when both polls are fine). */
const char *alerts_src_error(const struct alerts_src *s);

/* Silences the alert's labels for dur_ms from now with the comment, created by the configured
 * user. Refused (ERR_STATE, e says why) when read-only or another write is under way. */
int alerts_src_silence(struct alerts_src *s, const struct am_alert *a, int64_t dur_ms,
                       const char *comment, struct err *e);
int alerts_src_expire(struct alerts_src *s, const char *id, const char *model, struct err *e);

/* The cache scope of the context's server of src under source ("alertmanager"), its identity
 * written into server (cap bytes). 0, or -1 when there is no cache or no URL. */
int alerts_src_scope(const struct panel_env *env, enum source_id src, const char *source,
                     char *server, size_t cap, struct cache_scope *out);

/* "alertname=\"X\", model=\"m\"" of the alert's labels into out (as sent; sanitize to draw). */
void alerts_src_matchers_text(const struct am_alert *a, char *out, size_t n);
/* The creator of silences: the configured user ("user@host"). */
const char *alerts_src_user(const struct alerts_src *s);

#endif
