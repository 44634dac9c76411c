/* rollout_fake: a fake of clients/rollout_run.h for the tests of the write dialog, linked into
 * those tests only (never into mltop). rollout_read calls back READING, then PLANNED with the plan
 * the test gave (or its error); rollout_exec calls back CHECKING; the test then plays the
 * backend's part with rollout_fake_emit. Every call is counted, with its arguments. */
#ifndef MLTOP_TEST_ROLLOUT_FAKE_H
#define MLTOP_TEST_ROLLOUT_FAKE_H

#include "clients/rollout_run.h"

struct rollout_fake_calls {
	int news, reads, execs, retries, undos, cancels;
	enum rollout_action action;
	char model[128], version[64], reason[512];
	int percent;
	int readonly; /* of the env given to rollout_new */
};

extern struct rollout_fake_calls rollout_fake_calls;

/* The plan the next rollout_read plans (borrowed; NULL: the error below). */
void rollout_fake_next_plan(struct rollout_plan *p, const char *error);
/* The plan an undo runs (borrowed). */
void rollout_fake_undo_plan(struct rollout_plan *p);

/* A plan of n steps on KServe then MLflow, each with a summary, a request, a body and what it
 * expects, and its inverse; free with rollout_fake_plan_free. */
struct rollout_plan *rollout_fake_plan(enum rollout_action action, const char *model,
                                       const char *from, const char *to, int percent, size_t n);
void rollout_fake_plan_free(struct rollout_plan **p);

/* Sends an event to the dialog of the last rollout made (ev.plan: the plan being run). */
void rollout_fake_emit(enum rollout_phase phase, size_t step, const char *changed, const char *err);

void rollout_fake_reset(void);

#endif
