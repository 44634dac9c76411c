/* alerts_json: the Alerts panel's data for --snapshot --json: one row per alert (labels,
 * annotations, state, who silenced it and until when, times as RFC 3339) and the drift table. */
#ifndef MLTOP_ALERTS_JSON_H
#define MLTOP_ALERTS_JSON_H

#include "panels/alerts_data.h"

struct jsonw;

void alerts_json_rows(const struct alerts_view *v, struct jsonw *w);
void alerts_json_drift(const struct alerts_drift *d, struct jsonw *w);

#endif
