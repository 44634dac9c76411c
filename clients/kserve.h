/* kserve: the asynchronous KServe client (Kubernetes API, serving.kserve.io/v1beta1
 * InferenceService) on the shared http pool: list the InferenceServices of a namespace, get one
 * by name, and patch one (the merge-patches of canary / promote / rollback, carrying the
 * resourceVersion the reads keep in struct kserve_isvc).
 *
 * Auth: a bearer token from a file, read again whenever the file changes (clients/
 * kserve_token.h: in-cluster tokens rotate) and after a 401; or a fixed token from auth; the CA
 * file and insecure flag of auth. config.c resolves the in-cluster service-account files (token,
 * ca.crt, namespace) into struct config_source: pass src->secret_file as token_file.
 *
 * How a panel uses it (the Serving panel):
 *   - at start, draw from the cache: cache_get(scope "kserve", kserve_list_key(ns)), then
 *     kserve_parse on the body;
 *   - a sched job calls kserve_list every refresh; the final event carries the list (take it by
 *     setting ev->isvcs to NULL) or err's one line (a Kubernetes Status's reason and message);
 *     its body is filed through put once the event returns;
 *   - kserve_get(name) re-reads one InferenceService (a plan's fresh state before a write).
 * Each call returns an op id (> 0) at once and calls back exactly once from http_perform, unless
 * cancelled (kserve_cancel, or kserve_free: no callback). */
#ifndef MLTOP_KSERVE_H
#define MLTOP_KSERVE_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/kserve_parse.h"
#include "clients/opcall.h"

struct http;
struct http_auth;

struct kserve_config {
	const char *base_url;         /* the API server, https://host:port (or kubectl proxy) */
	const char *ns;               /* namespace (a DNS label) */
	const struct http_auth *auth; /* CA, insecure, a fixed bearer token; borrowed; NULL: none */
	const char *token_file;       /* re-read bearer token file (overrides auth's token); NULL */
	int64_t (*now_ms)(void);      /* NULL: the wall clock */
	long timeout_ms;
	size_t max_body;
	opcall_put_fn put; /* every good body with its key; NULL: not filed */
	void *put_ud;
};

enum kserve_kind { KSERVE_LIST, KSERVE_GET, KSERVE_PATCH };

struct kserve_event {
	long op;
	int kind;              /* enum kserve_kind */
	int rc;                /* 0 or a negative code */
	const struct err *err; /* rc < 0: the one line */
	/* rc < 0 with a Status body: its reason, message and code (code 0: no Status) */
	struct kserve_status status;
	long http_status;
	int64_t latency_ms;
	struct kserve_isvcs *isvcs; /* rc 0: take by setting to NULL, else freed after the call */
	/* rc 0 of a list with kserve_keep_last on: the body is byte for byte the last list parsed,
	 * so it was not parsed again and isvcs is NULL (the list taken last time still holds) */
	int unchanged;
};

typedef void (*kserve_event_fn)(void *ud, struct kserve_event *ev);

struct kserve;

/* ERR_CONFIG for a URL that is not http(s) or a namespace that is not a DNS label. */
struct kserve *kserve_new(struct http *http, const struct kserve_config *cfg, struct err *e);
void kserve_free(struct kserve **k); /* not from a callback */
void kserve_cancel(struct kserve *k, long op);
int kserve_busy(const struct kserve *k);
const char *kserve_namespace(const struct kserve *k);

long kserve_list(struct kserve *k, kserve_event_fn fn, void *ud, struct err *e);
/* name: a DNS-1123 subdomain (lower-case letters, digits, '-', '.'). */
long kserve_get(struct kserve *k, const char *name, kserve_event_fn fn, void *ud, struct err *e);

/* PATCH of one InferenceService with body (sent as given) and content_type (NULL:
 * application/merge-patch+json; custom resources take no strategic merge patch). The final
 * event has the object as the server answered it (its new resourceVersion) in ev->isvcs, or
 * rc < 0 with the Status of the refusal in ev->status: 409 Conflict (a stale
 * metadata.resourceVersion: someone changed it since it was read), 403 (RBAC, or KServe's
 * validating webhook denying the change), 422 Invalid (the CRD schema), 415. The answer is not
 * filed. Never retried here: after a 409, read again and decide again. */
long kserve_patch(struct kserve *k, const char *name, const char *body, const char *content_type,
                  kserve_event_fn fn, void *ud, struct err *e);

/* The paths (and cache keys) of the list of ns and of one InferenceService; malloc'd. */
char *kserve_list_key(const char *ns);
char *kserve_get_key(const char *ns, const char *name);

/* The client of a resolved context (clients/config.h): its KServe URL, namespace, CA, insecure
 * flag and token, the token file (kserve_token_file, or the in-cluster service account's)
 * read again as it rotates. ERR_CONFIG when the context has no KServe. */
struct context;
struct kserve *kserve_for_context(struct http *http, const struct context *ctx, opcall_put_fn put,
                                  void *put_ud, struct err *e);

/* Receives the cache key and time of an answer byte for byte the one filed last under that key:
 * only its time is new. Returns 0 when done; else (the old answer is gone) the body is filed
 * through put. */
typedef int (*kserve_touch_fn)(void *ud, const char *key, int64_t fetched_ms);

/* From now on a list whose body is byte for byte the last list parsed is not parsed again (its
 * event says unchanged) and, instead of being filed again through put, is handed to touch
 * (with put's ud; NULL: filed through put as before). A list that fails, and every get and patch,
 * leave the last body as it was. */
void kserve_keep_last(struct kserve *k, kserve_touch_fn touch);

/* How many times the token file was read (for tests); 0 without a token file. */
int kserve_token_reads_of(const struct kserve *k);

#endif
