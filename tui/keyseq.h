/* keyseq: escape sequences the terminal description does not know. curses decodes the sequences
 * its terminfo lists (arrows, PgUp …) into key codes; any other (`ESC [ 4 ~` for End where the
 * terminfo says otherwise, a function key, a focus report) reaches the program as Esc followed by
 * its bytes, which would read as "back" and then as keys. keyseq sits between the reads and the
 * key handlers: it holds an Esc until the next read tells whether a sequence follows, and drops
 * a whole CSI (`ESC [` params final) or SS3 (`ESC O` x) sequence. */
#ifndef MLTOP_KEYSEQ_H
#define MLTOP_KEYSEQ_H

#include <stdint.h>

struct keyseq {
	int state;       /* KEYSEQ_* of keyseq.c */
	int64_t last_ms; /* when the last byte of a sequence came */
};

/* A key to deliver: a character, or a curses key code (code = 1). */
struct keyseq_key {
	int ch, code;
};

/* Feeds one read (ch, code: a curses key code). Writes up to two keys to deliver, in order, to
 * out and returns how many (0: held or dropped). now_ms: a monotonic clock, so that a sequence
 * cut short does not swallow a key typed much later. */
int keyseq_feed(struct keyseq *k, int ch, int code, int64_t now_ms, struct keyseq_key out[2]);

/* At the end of a drain (no more input): the held Esc, if any, is a real Esc. Returns 1 and sets
 * *out to it, else 0. */
int keyseq_flush(struct keyseq *k, struct keyseq_key *out);

#endif
