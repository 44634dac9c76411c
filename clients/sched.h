/* sched: when to poll what. Per-job intervals, at most one request in flight per job, exponential
 * backoff with jitter after errors (capped), a server's Retry-After honoured, generation numbers
 * so that stale answers are dropped, per-source health for the header, and two injected clocks so
 * all of it is unit-testable: a monotonic one for due times, backoff and waits (a wall clock
 * stepped back by NTP would stall every poll), and the wall clock for the times of the source
 * status, which the screen turns into ages ("updated 3m ago"). */
#ifndef MLTOP_SCHED_H
#define MLTOP_SCHED_H

#include <stdint.h>

enum source_id {
	SRC_MLFLOW,
	SRC_PROMETHEUS,
	SRC_SCRAPE,
	SRC_ALERTMANAGER,
	SRC_KSERVE,
	SRC_SAMPLES,
	SRC_COUNT
};

enum source_health {
	HEALTH_OFF,     /* not configured */
	HEALTH_PENDING, /* configured, no answer yet */
	HEALTH_OK,
	HEALTH_SLOW, /* answered slowly, or waits for an answer, over the slow threshold */
	HEALTH_DOWN  /* the last attempt failed */
};

struct source_status {
	enum source_health health;
	int64_t last_ok_ms;     /* wall clock: when data last came (0: never) */
	int64_t last_error_ms;  /* wall clock: 0: never */
	int64_t retry_after_ms; /* the wait the source last asked for (Retry-After), 0: none */
	int64_t latency_ms;     /* of the last answer */
	int errors;             /* consecutive failures */
	char last_error[256];   /* one line: "HTTP 502 from mlflow: …" */
};

/* A job starts a fetch; it must later call sched_done(id, gen, …) exactly once per start
 * (or be restarted). start returns 0, or a negative code when it could not even start (counted
 * as a failure with the message in msg). */
struct sched_job {
	enum source_id source;
	const char *name;    /* for logs and tests, e.g. "mlflow/experiments" (copied) */
	int64_t interval_ms; /* 0: only when asked (sched_refresh) */
	int (*start)(void *ctx, int id, uint64_t gen);
	void *ctx;
};

struct sched;

/* mono_ms: a monotonic clock (NULL: CLOCK_MONOTONIC); wall_ms: the wall clock of the ages
 * (NULL: CLOCK_REALTIME). Tests pass fakes. */
struct sched *sched_new(int64_t (*mono_ms)(void), int64_t (*wall_ms)(void), uint32_t seed);
void sched_free(struct sched **s);

int sched_add(struct sched *s, const struct sched_job *job); /* id >= 0, due now */
void sched_remove(struct sched *s, int id);
void sched_set_interval(struct sched *s, int id, int64_t interval_ms);

/* Starts every due job that is not in flight and not backing off. Returns how many started. */
int sched_run_due(struct sched *s);

/* Reports the end of a fetch. ok: data came. Returns 1 when gen is the job's current one (use
 * the data), 0 when it is stale (drop it). latency_ms feeds the slow/ok health.
 * After a success the job is due interval_ms later; after the n-th failure in a row it waits
 * max(interval_ms, min(60 s, 1 s * 2^(n-1)) * jitter in [0.8, 1.2]). A job with interval 0 is
 * not retried by itself. */
int sched_done(struct sched *s, int id, uint64_t gen, int ok, int64_t latency_ms, const char *msg);
/* The same for a failure after which the server asked to wait retry_after_ms (HTTP 429 or 503
 * with Retry-After; 0: it did not ask): the job waits that long, capped at SCHED_RETRY_MAX_MS,
 * but never less than its backoff and interval. */
#define SCHED_RETRY_MAX_MS 300000
int sched_done_retry(struct sched *s, int id, uint64_t gen, int ok, int64_t latency_ms,
                     const char *msg, int64_t retry_after_ms);
/* ms left of a wait the source asked for (the longest over its jobs), 0 when none. */
int64_t sched_source_wait_in(const struct sched *s, enum source_id src);

/* r / Ctrl-R: due now, skipping backoff (a job in flight runs again right after it ends). */
void sched_refresh(struct sched *s, int id); /* id -1: every job */

/* The parameters of a job changed (a new filter): its answer in flight becomes stale, and it
 * is due now even though one is in flight (the caller cancels the old transfer). */
void sched_restart(struct sched *s, int id);

int sched_in_flight(const struct sched *s, int id);
/* ms until the next job is due (0: now), or -1 when nothing is scheduled. */
int64_t sched_next_due_in(const struct sched *s);

/* A source is OFF until configured; sched_add configures its job's source unless it was
 * explicitly set to 0 here. Jobs of a source configured 0 are not started. */
void sched_source_configure(struct sched *s, enum source_id src, int configured);
const struct source_status *sched_source(const struct sched *s, enum source_id src);
const char *sched_source_name(enum source_id src); /* "mlflow", "prometheus", … */

/* Answers slower than ms make the source SLOW (default 2,000; 0 restores the default). */
void sched_set_slow_ms(struct sched *s, int64_t ms);
/* One job: ms until it is due (0: now), or -1 when in flight, off, or only run when asked. */
int64_t sched_job_due_in(const struct sched *s, int id);
int sched_job_errors(const struct sched *s, int id); /* consecutive failures */

#endif
