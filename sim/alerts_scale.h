/* alerts_scale.h: --alerts N, that many more firing alerts for the scale tests and benchmarks:
 * feature drift alerts (with the labels of docs/wire-formats.md, Prometheus: drift) of ten
 * features over versions v1/v2 of models bench-model-000, bench-model-001, …, one critical in
 * seven, firing until a year from now. */
#ifndef MLTOP_SIM_ALERTS_SCALE_H
#define MLTOP_SIM_ALERTS_SCALE_H

#include <stdint.h>

void alerts_scale_raise(long n, int64_t now);

#endif
