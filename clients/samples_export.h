/* samples_export: failed samples written to a file as JSON Lines, each sample's line exactly as
 * it was received (bad lines included), one a line. The file is written next to its final name
 * and renamed into place, so a reader never sees half of it and a failed export leaves nothing. */
#ifndef MLTOP_SAMPLES_EXPORT_H
#define MLTOP_SAMPLES_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/samples_parse.h"

/* "./samples-20261129-040048.jsonl" for the local time of now_ms, into buf. */
void samples_export_default_path(int64_t now_ms, char *buf, size_t n);

/* 1 when path names something that exists already (the caller asks before overwriting). */
int samples_export_exists(const char *path);

/* Writes the n samples of v in that order to path (replacing a file there). Returns n, or a
 * negative code with e saying what failed and why, in words ("export: /x/y.jsonl: the
 * directory /x does not exist"). */
long samples_export(const char *path, const struct sample *const *v, size_t n, struct err *e);

#endif
