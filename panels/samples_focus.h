/* samples_focus: the argument other panels open the Samples panel with, parsed into what it
 * narrows the list to. The argument is a list of KEY=VALUE words separated by blanks:
 *
 *     model=churn-classifier version=5 feature=tenure_days
 *     model="churn classifier" version='v 5'          (quotes for values with blanks)
 *     run=0123abcd                                    (the failing rows of that run's eval table)
 *
 * Keys: model and version (the samples whose model / version is exactly that), feature (the
 * samples that carry that input field), run (an MLflow run id: its eval table's failing rows
 * are shown instead of the samples source). Any subset, in any order; a key given twice keeps
 * the last value. Inside double quotes a backslash makes the next character literal. An unknown
 * key, a word without '=', an empty value or an unterminated quote is skipped (counted in
 * skipped), never an error: the other keys still apply. An empty argument clears the focus. */
#ifndef MLTOP_SAMPLES_FOCUS_H
#define MLTOP_SAMPLES_FOCUS_H

#include <stddef.h>

#define SAMPLES_FOCUS_MAX 256

struct samples_focus {
	char model[SAMPLES_FOCUS_MAX];   /* "" when not given */
	char version[SAMPLES_FOCUS_MAX]; /* "" when not given */
	char feature[SAMPLES_FOCUS_MAX]; /* "" when not given */
	char run[SAMPLES_FOCUS_MAX];     /* "" when not given */
	int skipped;                     /* words that were not understood */
};

/* Parses arg (NULL: empty) into f (cleared first). Returns 1 when any key was set, else 0. */
int samples_focus_parse(const char *arg, struct samples_focus *f);

/* 1 when the focus narrows anything. */
int samples_focus_any(const struct samples_focus *f);

/* "model churn · version 5 · feature tenure_days" (unsanitized: the caller sanitizes). */
void samples_focus_text(const struct samples_focus *f, char *buf, size_t n);

#endif
