/* samples: the Samples panel — failed samples (misclassified or errored predictions) from the
 * context's samples source (a JSON Lines file followed like `tail -F`, or a URL polled), newest
 * first: TIME, MODEL, VER, PRED, LABEL, SCORE, ERROR and the input fields most samples carry as
 * columns. `/` filters with a regex over the whole line as received, matches highlighted; Enter
 * shows one sample in full (panels/samples_view.h); `g` groups the filtered samples by a field
 * (panels/samples_group.h); `e` exports them as JSON Lines (clients/samples_export.h). A line
 * that is not JSON is listed as received, marked, and counted in the status.
 *
 * Other panels open it with a focus argument (env->open(app, "samples", ARG)), parsed by
 * panels/samples_focus.h: blank-separated KEY=VALUE words, values in "double" or 'single' quotes
 * when they hold blanks:
 *
 *     model=churn-classifier version=5 feature=tenure_days
 *     run=0a1b2c3d                 the failing rows of that MLflow run's eval table
 *
 * model and version keep the samples whose model and version are exactly those; feature keeps
 * the samples that carry that input field; run shows the run's eval table (its failing rows,
 * under the table's own rule) instead of the source. The title says what the focus is, and Esc
 * clears it (a second Esc leaves the panel). Words that are not understood are skipped. */
#ifndef MLTOP_SAMPLES_PANEL_H
#define MLTOP_SAMPLES_PANEL_H

#include "panels/panel.h"

extern const struct panel_ops samples_ops;

#endif
