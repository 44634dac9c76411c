#include "tui/keyseq.h"

enum {
	KEYSEQ_IDLE,
	KEYSEQ_ESC, /* an Esc was read and is held */
	KEYSEQ_CSI, /* inside ESC [ … until a final byte */
	KEYSEQ_SS3, /* after ESC O: one more byte */
};

/* A sequence whose next byte does not come within this time was cut short: start afresh. */
#define KEYSEQ_GAP_MS 200

static int emit(struct keyseq_key out[2], int ch, int is_code, int after_esc)
{
	int n = 0;
	if (after_esc)
		out[n++] = (struct keyseq_key){27, 0};
	out[n++] = (struct keyseq_key){ch, is_code};
	return n;
}

int keyseq_feed(struct keyseq *k, int ch, int is_code, int64_t now_ms, struct keyseq_key out[2])
{
	if ((k->state == KEYSEQ_CSI || k->state == KEYSEQ_SS3) &&
	    now_ms - k->last_ms > KEYSEQ_GAP_MS)
		k->state = KEYSEQ_IDLE;
	k->last_ms = now_ms;
	switch (k->state) {
	case KEYSEQ_ESC:
		if (!is_code && (ch == '[' || ch == 'O')) {
			k->state = ch == '[' ? KEYSEQ_CSI : KEYSEQ_SS3;
			return 0;
		}
		k->state = KEYSEQ_IDLE;
		if (!is_code && ch == 27) {
			k->state = KEYSEQ_ESC; /* Esc Esc: the first is a key, the second is held */
			return emit(out, 27, 0, 0);
		}
		return emit(out, ch, is_code, 1);
	case KEYSEQ_CSI:
		if (is_code || ch < 0x20 || ch > 0x7e) {
			k->state = KEYSEQ_IDLE; /* not a sequence after all: the key counts */
			return emit(out, ch, is_code, 0);
		}
		if (ch >= 0x40)
			k->state = KEYSEQ_IDLE; /* the final byte */
		return 0;
	case KEYSEQ_SS3:
		k->state = KEYSEQ_IDLE;
		return 0;
	default:
		if (!is_code && ch == 27) {
			k->state = KEYSEQ_ESC;
			return 0;
		}
		return emit(out, ch, is_code, 0);
	}
}

int keyseq_flush(struct keyseq *k, struct keyseq_key *out)
{
	if (k->state != KEYSEQ_ESC)
		return 0;
	k->state = KEYSEQ_IDLE;
	*out = (struct keyseq_key){27, 0};
	return 1;
}
