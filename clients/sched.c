/* sched: see sched.h. Jobs live in a growable array indexed by id (a removed slot is reused);
 * generations come from one counter for the whole scheduler, so an answer for a removed or
 * restarted job can never be mistaken for the answer of its successor. */
#include "clients/sched.h"

#include "clients/clock.h"

#include "clients/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHED_NEVER           INT64_MAX
#define SCHED_BACKOFF_BASE_MS 1000
#define SCHED_BACKOFF_CAP_MS  60000
#define SCHED_SLOW_MS         2000

enum outcome { OUT_NONE, OUT_OK, OUT_SLOW, OUT_DOWN };

struct job {
	int used;
	struct sched_job j; /* name owned */
	int64_t next_due;   /* monotonic; SCHED_NEVER: only when asked */
	int64_t last_end;   /* monotonic: when the last answer came (0: none yet) */
	int64_t started;    /* monotonic: when the fetch in flight started */
	int64_t hold_until; /* monotonic: the end of a wait the server asked for (0: none) */
	uint64_t gen;       /* of the fetch last started */
	int in_flight;
	int rerun;  /* refreshed while in flight: due again as soon as it ends */
	int errors; /* consecutive failures */
	enum outcome out;
};

struct src {
	int configured; /* -1: not said (a job makes it configured), 0: off, 1: on */
	struct source_status st;
};

struct sched {
	int64_t (*mono_ms)(void); /* monotonic: due times, backoff, waits */
	int64_t (*wall_ms)(void); /* the wall clock: the times in struct source_status */
	uint32_t rng;
	struct job *jobs;
	int njobs;
	uint64_t next_gen;
	int64_t slow_ms;
	struct src src[SRC_COUNT];
};

struct sched *sched_new(int64_t (*mono_ms)(void), int64_t (*wall_ms)(void), uint32_t seed)
{
	struct sched *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->mono_ms = mono_ms ? mono_ms : clock_mono_ms;
	s->wall_ms = wall_ms ? wall_ms : clock_wall_ms;
	s->rng = seed ? seed : 0x9e3779b9u;
	s->slow_ms = SCHED_SLOW_MS;
	for (int i = 0; i < SRC_COUNT; i++) {
		s->src[i].configured = -1;
		s->src[i].st.health = HEALTH_OFF;
	}
	return s;
}

void sched_free(struct sched **sp)
{
	struct sched *s = sp ? *sp : NULL;
	if (!s)
		return;
	for (int i = 0; i < s->njobs; i++)
		free((char *)s->jobs[i].j.name);
	free(s->jobs);
	free(s);
	*sp = NULL;
}

void sched_set_slow_ms(struct sched *s, int64_t ms)
{
	s->slow_ms = ms > 0 ? ms : SCHED_SLOW_MS;
}

static struct job *job_get(const struct sched *s, int id)
{
	if (!s || id < 0 || id >= s->njobs || !s->jobs[id].used)
		return NULL;
	return &s->jobs[id];
}

/* The source's health is the worst latest outcome of its jobs. */
static void source_update(struct sched *s, enum source_id src)
{
	if (src < 0 || src >= SRC_COUNT)
		return;
	struct source_status *st = &s->src[src].st;
	enum outcome worst = OUT_NONE;
	int errors = 0;
	for (int i = 0; i < s->njobs; i++) {
		const struct job *jb = &s->jobs[i];
		if (!jb->used || jb->j.source != src)
			continue;
		if (jb->out > worst)
			worst = jb->out;
		if (jb->errors > errors)
			errors = jb->errors;
	}
	static const enum source_health from_outcome[] = {
	    [OUT_NONE] = HEALTH_PENDING,
	    [OUT_OK] = HEALTH_OK,
	    [OUT_SLOW] = HEALTH_SLOW,
	    [OUT_DOWN] = HEALTH_DOWN,
	};
	st->health = s->src[src].configured == 1 ? from_outcome[worst] : HEALTH_OFF;
	st->errors = errors;
}

int sched_add(struct sched *s, const struct sched_job *job)
{
	if (!s || !job || !job->start || job->source < 0 || job->source >= SRC_COUNT)
		return ERR_ARG;
	int id = 0;
	while (id < s->njobs && s->jobs[id].used)
		id++;
	if (id == s->njobs) {
		struct job *grown = realloc(s->jobs, (size_t)(s->njobs + 1) * sizeof *grown);
		if (!grown)
			return ERR_NOMEM;
		s->jobs = grown;
		s->njobs++;
	}
	struct job *jb = &s->jobs[id];
	memset(jb, 0, sizeof *jb);
	jb->j = *job;
	jb->j.name = strdup(job->name ? job->name : "");
	if (!jb->j.name)
		return ERR_NOMEM;
	jb->used = 1;
	jb->next_due = s->mono_ms();
	if (s->src[job->source].configured == -1)
		s->src[job->source].configured = 1;
	source_update(s, job->source);
	return id;
}

void sched_remove(struct sched *s, int id)
{
	struct job *jb = job_get(s, id);
	if (!jb)
		return;
	enum source_id src = jb->j.source;
	free((char *)jb->j.name);
	memset(jb, 0, sizeof *jb);
	source_update(s, src);
}

void sched_set_interval(struct sched *s, int id, int64_t interval_ms)
{
	struct job *jb = job_get(s, id);
	if (!jb)
		return;
	jb->j.interval_ms = interval_ms > 0 ? interval_ms : 0;
	/* Waiting after a success: the new interval counts from that answer. In flight or backing
	 * off: it applies from the next answer. */
	if (!jb->in_flight && jb->errors == 0 && jb->last_end > 0 && !jb->rerun)
		jb->next_due = interval_ms > 0 ? jb->last_end + interval_ms : SCHED_NEVER;
}

/* xorshift32: a small seeded generator, so that backoff jitter is reproducible in tests. */
static uint32_t rng_next(struct sched *s)
{
	uint32_t x = s->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	s->rng = x;
	return x;
}

/* min(60 s, 1 s * 2^(errors-1)) times a jitter factor in [0.8, 1.2]. */
static int64_t backoff_ms(struct sched *s, int errors)
{
	int64_t base = SCHED_BACKOFF_CAP_MS;
	if (errors <= 1)
		base = SCHED_BACKOFF_BASE_MS;
	else if (errors < 8)
		base = (int64_t)SCHED_BACKOFF_BASE_MS << (errors - 1);
	if (base > SCHED_BACKOFF_CAP_MS)
		base = SCHED_BACKOFF_CAP_MS;
	double jitter = 0.8 + 0.4 * ((double)rng_next(s) / (double)UINT32_MAX);
	return (int64_t)((double)base * jitter + 0.5);
}

/* A fetch in flight for longer than the slow threshold makes its source slow at once, not only
 * once it answers: a stalled server shows while it stalls. A first fetch stays pending, a
 * source already down stays down. */
static void note_lagging(struct sched *s, int64_t now)
{
	for (int id = 0; id < s->njobs; id++) {
		struct job *jb = &s->jobs[id];
		if (jb->used && jb->in_flight && jb->out == OUT_OK &&
		    now - jb->started > s->slow_ms) {
			jb->out = OUT_SLOW;
			source_update(s, jb->j.source);
		}
	}
}

int sched_run_due(struct sched *s)
{
	if (!s)
		return 0;
	int started = 0;
	int64_t now = s->mono_ms();
	note_lagging(s, now);
	/* Indexes, not pointers: a start callback may add jobs (and move the array). */
	for (int id = 0; id < s->njobs; id++) {
		struct job *jb = &s->jobs[id];
		if (!jb->used || jb->in_flight || s->src[jb->j.source].configured != 1 ||
		    jb->next_due > now)
			continue;
		uint64_t gen = ++s->next_gen;
		jb->gen = gen;
		jb->in_flight = 1;
		jb->started = now;
		jb->rerun = 0;
		jb->next_due = SCHED_NEVER;
		int rc = jb->j.start(jb->j.ctx, id, gen);
		if (rc >= 0) {
			started++;
			continue;
		}
		jb = job_get(s, id);
		if (jb) {
			char msg[256];
			snprintf(msg, sizeof msg, "%s: could not start the request (error %d)",
			         jb->j.name, rc);
			sched_done(s, id, gen, 0, 0, msg);
		}
	}
	return started;
}

/* Records one answer in the job's source status, at wall-clock time. */
static void source_note(struct sched *s, const struct job *jb, int ok, int64_t latency_ms,
                        const char *msg, int64_t retry_after_ms)
{
	struct source_status *st = &s->src[jb->j.source].st;
	int64_t now = s->wall_ms();
	st->latency_ms = latency_ms;
	st->retry_after_ms = retry_after_ms;
	if (ok) {
		st->last_ok_ms = now;
		return;
	}
	st->last_error_ms = now;
	snprintf(st->last_error, sizeof st->last_error, "%s", msg && *msg ? msg : "request failed");
	st->last_error[strcspn(st->last_error, "\r\n")] = '\0';
	size_t n = strlen(st->last_error);
	if (retry_after_ms > 0)
		snprintf(st->last_error + n, sizeof st->last_error - n,
		         " (the server asked to wait %lld s)",
		         (long long)(retry_after_ms + 999) / 1000);
}

/* The wait after the n-th failure in a row: the backoff, at least the interval, at least what
 * the server asked for. */
static int64_t failure_wait(struct sched *s, const struct job *jb, int64_t retry_after_ms)
{
	int64_t wait = backoff_ms(s, jb->errors);
	if (wait < jb->j.interval_ms)
		wait = jb->j.interval_ms;
	if (retry_after_ms > SCHED_RETRY_MAX_MS)
		retry_after_ms = SCHED_RETRY_MAX_MS;
	return wait > retry_after_ms ? wait : retry_after_ms;
}

int sched_done(struct sched *s, int id, uint64_t gen, int ok, int64_t latency_ms, const char *msg)
{
	return sched_done_retry(s, id, gen, ok, latency_ms, msg, 0);
}

int sched_done_retry(struct sched *s, int id, uint64_t gen, int ok, int64_t latency_ms,
                     const char *msg, int64_t retry_after_ms)
{
	struct job *jb = job_get(s, id);
	if (!jb || !jb->in_flight || jb->gen != gen)
		return 0; /* stale: restarted, removed, or already reported */
	int64_t now = s->mono_ms();
	int64_t interval = jb->j.interval_ms;
	if (ok || retry_after_ms < 0)
		retry_after_ms = 0;
	jb->in_flight = 0;
	jb->last_end = now;
	jb->hold_until = 0;
	if (ok) {
		jb->errors = 0;
		jb->out = latency_ms > s->slow_ms ? OUT_SLOW : OUT_OK;
		jb->next_due = interval > 0 ? now + interval : SCHED_NEVER;
	} else {
		jb->errors++;
		jb->out = OUT_DOWN;
		int64_t wait = failure_wait(s, jb, retry_after_ms);
		jb->next_due = interval > 0 ? now + wait : SCHED_NEVER;
		if (retry_after_ms > 0)
			jb->hold_until = now + wait;
	}
	if (jb->rerun) {
		jb->rerun = 0;
		jb->next_due = now;
		jb->hold_until = 0;
	}
	source_note(s, jb, ok, latency_ms, msg,
	            retry_after_ms > SCHED_RETRY_MAX_MS ? SCHED_RETRY_MAX_MS : retry_after_ms);
	source_update(s, jb->j.source);
	return 1;
}

static void refresh_one(struct sched *s, struct job *jb)
{
	jb->hold_until = 0; /* the operator asked: one request now, waiting or not */
	if (jb->in_flight)
		jb->rerun = 1;
	else
		jb->next_due = s->mono_ms();
}

void sched_refresh(struct sched *s, int id)
{
	if (!s)
		return;
	if (id >= 0) {
		struct job *jb = job_get(s, id);
		if (jb)
			refresh_one(s, jb);
		return;
	}
	for (int i = 0; i < s->njobs; i++)
		if (s->jobs[i].used)
			refresh_one(s, &s->jobs[i]);
}

void sched_restart(struct sched *s, int id)
{
	struct job *jb = job_get(s, id);
	if (!jb)
		return;
	jb->gen = ++s->next_gen; /* the answer in flight, if any, is stale from now on */
	jb->in_flight = 0;
	jb->rerun = 0;
	jb->hold_until = 0;
	jb->next_due = s->mono_ms();
}

int sched_in_flight(const struct sched *s, int id)
{
	const struct job *jb = job_get(s, id);
	return jb ? jb->in_flight : 0;
}

/* ms until the job is due (0: now), or -1 when it is in flight, off or only run when asked. */
int64_t sched_job_due_in(const struct sched *s, int id)
{
	const struct job *jb = job_get(s, id);
	if (!jb || jb->in_flight || jb->next_due == SCHED_NEVER ||
	    s->src[jb->j.source].configured != 1)
		return -1;
	int64_t d = jb->next_due - s->mono_ms();
	return d > 0 ? d : 0;
}

int sched_job_errors(const struct sched *s, int id)
{
	const struct job *jb = job_get(s, id);
	return jb ? jb->errors : 0;
}

int64_t sched_next_due_in(const struct sched *s)
{
	int64_t best = -1;
	for (int id = 0; s && id < s->njobs; id++) {
		int64_t d = sched_job_due_in(s, id);
		if (d >= 0 && (best < 0 || d < best))
			best = d;
	}
	return best;
}

int64_t sched_source_wait_in(const struct sched *s, enum source_id src)
{
	int64_t left = 0, now = s ? s->mono_ms() : 0;
	for (int id = 0; s && id < s->njobs; id++) {
		const struct job *jb = &s->jobs[id];
		if (jb->used && jb->j.source == src && !jb->in_flight && jb->hold_until > 0 &&
		    jb->hold_until - now > left)
			left = jb->hold_until - now;
	}
	return left;
}

void sched_source_configure(struct sched *s, enum source_id src, int configured)
{
	if (!s || src < 0 || src >= SRC_COUNT)
		return;
	s->src[src].configured = configured ? 1 : 0;
	source_update(s, src);
}

const struct source_status *sched_source(const struct sched *s, enum source_id src)
{
	if (!s || src < 0 || src >= SRC_COUNT)
		return NULL;
	return &s->src[src].st;
}

const char *sched_source_name(enum source_id src)
{
	static const char *const names[SRC_COUNT] = {
	    [SRC_MLFLOW] = "mlflow", [SRC_PROMETHEUS] = "prometheus",
	    [SRC_SCRAPE] = "scrape", [SRC_ALERTMANAGER] = "alertmanager",
	    [SRC_KSERVE] = "kserve", [SRC_SAMPLES] = "samples",
	};
	if (src < 0 || src >= SRC_COUNT)
		return "?";
	return names[src];
}
