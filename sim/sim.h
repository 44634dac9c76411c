/* mltop-sim: the contracts between the simulator's modules.
 *
 * One process, libmicrohttpd with a thread per connection, and one world lock: server.c takes
 * the lock, advances the world to "now" (every module's *_tick), applies any injected fault, then
 * offers the request to each module's *_route in turn. A route returns 1 when the path is its own
 * (it filled resp), 0 otherwise; nobody claims it -> 404.
 *
 * Modules:  server.c main.c clock.c  (HTTP plumbing, command line, the world clock)
 *           mlflow*.c                (experiments, runs, histories, registry, artifacts)
 *           serving/traffic, metrics, kserve (API server) with kserve_ctl (its controller),
 *           alerts, samples, fault (control API), state (/-/sim/state) — the ops side
 */
#ifndef MLTOP_SIM_H
#define MLTOP_SIM_H

#include <stddef.h>
#include <stdint.h>

struct sim_opts {
	int port;          /* 0: pick a free one */
	uint64_t seed;     /* same seed, same world */
	long scale;        /* 0: the normal world; N: N runs spread over the experiments */
	long experiments;  /* extra experiments without runs, for long lists (benchmarks) */
	long deployments;  /* extra deployments with their series and InferenceServices (benchmarks)
	                    */
	double time_scale; /* world seconds per real second (default 1) */
	const char *mlflow_version; /* the MLflow release imitated ("3.5", "2.9.1"); NULL: 3.5.0 */
	const char *static_prefix;  /* MLflow's --static-prefix ("/p"); NULL: none */
	long alerts;                /* N more firing alerts (scale tests, benchmarks) */
	long samples;               /* N more failed samples, from before the start (scale tests) */
	long kserve_ready_ms;       /* how long a new KServe revision takes to get ready */
	const char *kserve_raw;     /* the InferenceService in raw deployment mode; NULL: none */
};

/* A request as the modules see it. Strings are NUL-terminated; body may be NULL. */
struct sim_req {
	const char *method;       /* "GET", "POST", "PATCH", "DELETE" */
	const char *path;         /* without the query string */
	const char *content_type; /* the Content-Type header or NULL */
	const char *body;
	size_t body_len;
	void *conn; /* struct MHD_Connection *, for sim_query() */
};

/* What a route fills. body is malloc'd (server.c frees it). */
struct sim_resp {
	int status;
	const char *content_type; /* static string */
	char *body;
	size_t len;
};

/* server.c: a query-string argument (already URL-decoded), NULL when absent. For repeated keys
 * (?filter=a&filter=b) sim_query_all calls fn for each value. */
const char *sim_query(const struct sim_req *req, const char *key);
void sim_query_all(const struct sim_req *req, const char *key, void (*fn)(void *, const char *),
                   void *ud);

/* server.c: response helpers. sim_resp_json takes ownership of the cJSON tree (void * to keep
 * cJSON out of this header). */
void sim_resp_json(struct sim_resp *resp, int status, void *cjson);
void sim_resp_text(struct sim_resp *resp, int status, const char *content_type, const char *text);
/* MLflow's error body: {"error_code":"...","message":"..."} with the given status. */
void sim_resp_mlflow_error(struct sim_resp *resp, int status, const char *code, const char *msg);

/* clock.c: world time in ms since the epoch: start + real elapsed * time_scale + advanced. */
void sim_clock_init(double time_scale);
int64_t sim_now_ms(void);
void sim_clock_advance(int64_t ms);

/* mlflow side (experiments, runs, registry, artifacts). */
int mlflow_init(const struct sim_opts *opts);
void mlflow_tick(int64_t now_ms);
int mlflow_route(const struct sim_req *req, struct sim_resp *resp);
/* The registry as the ops side needs it: the source URI of a model version, or NULL. The
 * registered model names are those of the InferenceServices. */
const char *mlflow_version_source(const char *model, const char *version);
/* The registry's end state for tests (a cJSON array, the caller's): per registered model its
 * name, aliases {"champion":"3"} and versions [{"version","current_stage"}]. */
void *mlflow_registry_state(void);

/* ops side (serving world, /metrics, KServe, Alertmanager, /samples, /-/sim/ control). */
int ops_init(const struct sim_opts *opts);
void ops_tick(int64_t now_ms);
int ops_route(const struct sim_req *req, struct sim_resp *resp);

/* fault.c: injected faults per path prefix (and method). fault_match copies the fault that
 * applies to a request into *out and returns 1 (counting the request against the fault's
 * times), or returns 0; server.c carries it out (delay, status+body, truncated body, reset,
 * garbage, oversize body, a page token that never ends). */
enum sim_fault_kind {
	FAULT_DELAY,
	FAULT_STATUS,
	FAULT_TRUNCATE,
	FAULT_RESET,
	FAULT_GARBAGE,
	FAULT_OVERSIZE,
	FAULT_PAGE_TOKEN
};
struct sim_fault {
	char prefix[256];
	enum sim_fault_kind kind;
	long delay_ms;   /* FAULT_DELAY: before answering normally */
	int status;      /* FAULT_STATUS */
	char body[1024]; /* FAULT_STATUS body (sent as given) */
	char content_type[64];
	long mib;       /* FAULT_OVERSIZE: body size */
	int endless;    /* FAULT_PAGE_TOKEN: a new token each time (0: the same one every time) */
	char method[8]; /* only requests of this method; "": any */
	long times;     /* the next N matching requests, then it is gone; 0: every one */
};
int fault_match(const char *method, const char *path, struct sim_fault *out);

#endif
