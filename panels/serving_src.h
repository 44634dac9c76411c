/* serving_src: the data of the Serving panel and how it comes. The figures per (model, version)
 * from Prometheus (clients/prom.h), or without one from scraping the model servers
 * (clients/scrape.h); the InferenceServices from KServe (clients/kserve.h); the registry's
 * versions from MLflow (panels/registry_src.h, as the Registry panel has them). Each is read back
 * from the cache at start (under the source's own server, never another's) and then polled every
 * refresh; each keeps its last error line and when its data was fetched. */
#ifndef MLTOP_SERVING_SRC_H
#define MLTOP_SERVING_SRC_H

#include <stdint.h>

#include "clients/cache.h"
#include "clients/cache_server.h"
#include "clients/kserve.h"
#include "clients/prom.h"
#include "clients/scrape.h"
#include "panels/panel.h"
#include "panels/registry_src.h"

enum serving_part { SV_METRICS, SV_KSERVE, SV_PARTS };

struct serving_src {
	const struct panel_env *env;
	struct prom *prom;     /* Prometheus, or NULL */
	struct scrape *scrape; /* without Prometheus: the scrape targets, or NULL */
	struct kserve *kserve; /* NULL: KServe is not configured */
	struct registry_src reg;
	struct prom_table table;                   /* the figures shown */
	struct kserve_isvcs *isvcs;                /* NULL: none known */
	struct registry_part_state part[SV_PARTS]; /* fetch time, cache, errors */
	const char *part_name[SV_PARTS];           /* "prometheus", "scrape", "kserve" */
	unsigned queries; /* Prometheus queries sent since the start (for benchmarks) */
	int batch; /* a scrape's points are being filed: 1 in one transaction, -1 without one */
	char batch_server[CACHE_SERVER_MAX]; /* their scope */
	struct cache_scope batch_scope;
	int64_t pruned_ms; /* when the cache's old points were last pruned (0: not yet) */
	size_t scrapes;    /* scrape rounds answered so far: rates need two */
	/* set while changed is called for an answer that left the data as it was (KServe's list
	 * byte for byte the last one): only the status (its age, its error cleared) is new */
	int same;
	void (*changed)(void *ud);
	void *ud;
};

/* Makes the clients of the context's configured sources and restores their data from the
 * cache. 0, or ERR_NOMEM. */
int serving_src_init(struct serving_src *s, const struct panel_env *env, void (*changed)(void *ud),
                     void *ud, struct err *e);
void serving_src_fini(struct serving_src *s);
void serving_src_schedule(struct serving_src *s, struct sched *sched);
/* 1 when a metrics source (Prometheus or a scrape target) is configured. */
int serving_src_has_metrics(const struct serving_src *s);
/* 1 while a configured source has not answered yet, or, scraping, until two rounds have come
 * (the rates need two: --snapshot waits for them). */
int serving_src_busy(const struct serving_src *s);

#endif
