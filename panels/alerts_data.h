/* alerts_data: the Alerts panel's model, without curses: the rows of the active alerts (grouped
 * by model, then version, the worst first within a version), each with what it shows (severity,
 * name, model, version, feature, value with its unit, who silenced it and until when), and the
 * drift table (a score per model version and feature) read from the drift alerts. */
#ifndef MLTOP_ALERTS_DATA_H
#define MLTOP_ALERTS_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "clients/alertmanager_parse.h"
#include "tui/widgets/filter.h"

enum alerts_sev { ALERTS_SEV_CRIT, ALERTS_SEV_WARN, ALERTS_SEV_INFO, ALERTS_SEV_OTHER };

/* One alert as shown. Strings point into the alerts list (as the server sent them) or into the
 * row; whoever draws them sanitizes them. */
struct alerts_row {
	const struct am_alert *a;
	int sev; /* enum alerts_sev */
	const char *severity, *name, *model, *version, *feature;
	char value[64];               /* "PSI 0.31", "6.8 %", "" */
	int silenced, inhibited;      /* muted: drawn dimmed */
	const struct am_silence *sil; /* the first known silence of silenced_by, or NULL */
	int group_start;              /* 1: the first row of its model */
};

struct alerts_view {
	struct alerts_row *rows;
	size_t n;
};

/* Rebuilds v from the alerts and the silences (either may be NULL). 0 or ERR_NOMEM. */
int alerts_data_build(struct alerts_view *v, const struct am_alerts *al,
                      const struct am_silences *sl);
void alerts_data_free(struct alerts_view *v);

/* Fills out with the rows of all that pass the / filter f (every row when f is NULL or
 * empty), in their order and grouping. A row is matched on its alert name, model, version,
 * feature, value, severity, summary and every label as name=value. out's rows point where all's
 * do. 0 or ERR_NOMEM. */
int alerts_data_filter(struct alerts_view *out, const struct alerts_view *all,
                       const struct filter *f);

/* Firing critical alerts that are neither silenced nor inhibited. */
int alerts_data_firing_crit(const struct alerts_view *v);

/* The drift table: rows (model, version) × columns (feature), NAN where nothing is known. */
struct alerts_drift {
	char **rkey; /* "model\tversion" */
	size_t nr;
	char **feat;
	size_t nf;
	double *score;   /* nr * nf */
	char metric[16]; /* "psi", "ks", … of the first score; "" when unknown */
	int from_prom;   /* 1: the scores are Prometheus's; 0: read from the drift alerts */
};

/* Adds a score (the worst of equal cells is kept). 0 or ERR_NOMEM. */
int alerts_drift_add(struct alerts_drift *d, const char *model, const char *version,
                     const char *feature, double score);
/* Fills d from the drift alerts of v (a feature label and a numeric value). */
int alerts_drift_from_alerts(struct alerts_drift *d, const struct alerts_view *v);
void alerts_drift_free(struct alerts_drift *d);
/* The feature columns the worst first, then by name (the scores move with them). 0 or
 * ERR_NOMEM. */
int alerts_drift_sort(struct alerts_drift *d);

/* Heat of a score against the thresholds of its metric: 0 none, 1 warn, 2 crit. For p-values
 * (ks, chisquare) lower is worse. */
int alerts_drift_heat(const char *metric, double score);

/* A silence duration typed by a person ("2h", "30m", "1h30m", "90s", "1d"; "" is 1h) in ms, or
 * -1 when it cannot be read or is not positive. */
int64_t alerts_parse_duration(const char *s);

#endif
