/* rfc3339: the times of the ops APIs (Alertmanager's startsAt/endsAt/updatedAt, Kubernetes'
 * lastTransitionTime, failed samples' time): "2026-11-29T04:00:48.205Z" or with an offset
 * "+02:00", read with the C library's strptime and timegm, in Unix milliseconds. */
#ifndef MLTOP_RFC3339_H
#define MLTOP_RFC3339_H

#include <stddef.h>
#include <stdint.h>

#define RFC3339_MAX 32 /* room for a time written by rfc3339_format */

/* Parses an RFC 3339 date-time (a lower-case 't' or 'z', a space for the 'T', any number of
 * fraction digits of which milliseconds are kept). Returns 0 with *ms set, or -1 (then *ms is
 * 0) for anything else, trailing text included. */
int rfc3339_parse(const char *s, int64_t *ms);

/* "2026-11-29T04:00:48.205Z" (UTC, milliseconds) into buf (at least RFC3339_MAX bytes). Returns
 * buf; "" when ms is out of range of the calendar. */
char *rfc3339_format(int64_t ms, char *buf, size_t size);

#endif
