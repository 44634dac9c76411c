/* audit_detail: one audit row in full for the Audit panel — every field, the chain's two hashes,
 * the request sent and the backend's answer — as the lines of a scrolling text view. */
#ifndef MLTOP_AUDIT_DETAIL_H
#define MLTOP_AUDIT_DETAIL_H

#include "clients/cache.h"
#include "tui/widgets/textview.h"

/* Fills tv with row r (the request and the answer wrapped at width columns); broken is 1 when
 * the chain's verification named this row. Everything is sanitized on the way in. */
void audit_detail_build(struct textview *tv, const struct audit_row *r, int width, int broken);

#endif
