#include "clients/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct probe_job {
	struct probe *owner;
	enum source_id src;
	int id;
	uint64_t gen;
	long req;
	char url[1024];
};

struct probe {
	struct http *http;
	struct sched *sched;
	const struct context *ctx;
	struct probe_job job[SRC_COUNT];
	int n;
};

/* The path probed for a source ("/health" for MLflow, "/-/ready" for Prometheus, …). */
static const char *probe_path(enum source_id src)
{
	switch (src) {
	case SRC_MLFLOW:
		return "/health";
	case SRC_PROMETHEUS:
	case SRC_ALERTMANAGER:
		return "/-/ready";
	default:
		return "";
	}
}

static void probe_done(void *ud, const struct http_resp *r)
{
	struct probe_job *j = ud;
	char msg[256] = "";
	int ok = r->status >= 200 && r->status < 300;
	if (!ok && r->status)
		snprintf(msg, sizeof msg, "%s: HTTP %ld", sched_source_name(j->src), r->status);
	else if (!ok)
		snprintf(msg, sizeof msg, "%s: %s", sched_source_name(j->src), r->error);
	j->req = 0;
	sched_done_retry(j->owner->sched, j->id, j->gen, ok, r->elapsed_ms, msg, r->retry_after_ms);
}

static int probe_start(void *ctx, int id, uint64_t gen)
{
	struct probe_job *j = ctx;
	j->gen = gen;
	if (j->src == SRC_SAMPLES && !strstr(j->url, "://")) { /* a file: readable? */
		int ok = access(j->url, R_OK) == 0;
		char msg[256];
		snprintf(msg, sizeof msg, "samples: cannot read %s", j->url);
		sched_done(j->owner->sched, id, gen, ok, 0, ok ? "" : msg);
		return 0;
	}
	struct http_req req = {
	    .url = j->url,
	    .auth = &j->owner->ctx->src[j->src].auth,
	    .max_body = 1 << 20,
	};
	struct err e;
	long rid = http_start(j->owner->http, &req, probe_done, j, &e);
	if (rid < 0)
		return (int)rid;
	j->req = rid;
	return 0;
}

static const char *source_url(const struct context *ctx, enum source_id s)
{
	return s == SRC_SAMPLES ? ctx->samples : ctx->src[s].url;
}

struct probe *probe_new(struct http *h, struct sched *s, const struct context *ctx, unsigned skip,
                        int64_t interval_ms)
{
	struct probe *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->http = h;
	p->sched = s;
	p->ctx = ctx;
	for (int i = 0; i < SRC_COUNT; i++) {
		const char *url = source_url(ctx, (enum source_id)i);
		if (!url || (skip & (1u << i)))
			continue;
		struct probe_job *j = &p->job[p->n++];
		j->owner = p;
		j->src = (enum source_id)i;
		size_t len = strlen(url);
		while (len > 0 && url[len - 1] == '/' && j->src != SRC_SCRAPE &&
		       j->src != SRC_SAMPLES)
			len--;
		if (j->src == SRC_KSERVE) /* the list the serving panel reads: it needs the token */
			snprintf(
			    j->url, sizeof j->url,
			    "%.*s/apis/serving.kserve.io/v1beta1/namespaces/%s/inferenceservices",
			    (int)len, url, ctx->namespace ? ctx->namespace : "default");
		else /* MLflow's /health is behind its static prefix */
			snprintf(j->url, sizeof j->url, "%.*s%s%s", (int)len, url,
			         j->src == SRC_MLFLOW && ctx->mlflow_static_prefix
			             ? ctx->mlflow_static_prefix
			             : "",
			         probe_path(j->src));
		char name[64];
		snprintf(name, sizeof name, "%s/health", sched_source_name(j->src));
		struct sched_job job = {.source = j->src,
		                        .name = name,
		                        .interval_ms = interval_ms,
		                        .start = probe_start,
		                        .ctx = j};
		j->id = sched_add(s, &job);
	}
	return p;
}

void probe_free(struct probe **pp)
{
	struct probe *p = *pp;
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		if (p->job[i].req > 0)
			http_cancel(p->http, p->job[i].req);
		sched_remove(p->sched, p->job[i].id);
	}
	free(p);
	*pp = NULL;
}
