/* keyseq: sequences the terminfo does not know are dropped whole; a lone Esc is still Esc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/keyseq.h"

/* Feeds a string of bytes at time t, appending what comes out to got (characters only). */
static size_t feed(struct keyseq *k, const char *bytes, int64_t t, int *got, size_t n)
{
	struct keyseq_key out[2];
	for (const char *p = bytes; *p; p++) {
		int m = keyseq_feed(k, (unsigned char)*p, 0, t, out);
		for (int i = 0; i < m; i++)
			got[n++] = out[i].ch;
	}
	return n;
}

static void unknown_csi_is_dropped_whole(void **state)
{
	(void)state;
	struct keyseq k = {0};
	int got[16];
	size_t n = feed(&k, "\033[4~", 0, got, 0);
	struct keyseq_key last;
	assert_int_equal(n, 0);
	assert_int_equal(keyseq_flush(&k, &last), 0);
	n = feed(&k, "\033[1;5Pj", 0, got, 0); /* Ctrl-F1 (params, intermediates), then j */
	assert_int_equal(n, 1);
	assert_int_equal(got[0], 'j');
}

static void ss3_is_dropped(void **state)
{
	(void)state;
	struct keyseq k = {0};
	int got[16];
	size_t n = feed(&k, "\033OQk", 0, got, 0);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], 'k');
}

static void lone_esc_is_esc(void **state)
{
	(void)state;
	struct keyseq k = {0};
	int got[16];
	assert_int_equal(feed(&k, "\033", 0, got, 0), 0); /* held: a sequence may follow */
	struct keyseq_key last;
	assert_int_equal(keyseq_flush(&k, &last), 1);
	assert_int_equal(last.ch, 27);
	assert_int_equal(keyseq_flush(&k, &last), 0);
}

static void esc_then_a_key_is_both(void **state)
{
	(void)state;
	struct keyseq k = {0};
	int got[16];
	size_t n = feed(&k, "\033j\033\033", 0, got, 0);
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 27);
	assert_int_equal(got[1], 'j');
	assert_int_equal(got[2], 27);
	struct keyseq_key last;
	assert_int_equal(keyseq_flush(&k, &last), 1); /* the second Esc of the pair */
	struct keyseq_key out[2];
	assert_int_equal(keyseq_feed(&k, 27, 0, 0, out), 0);
	assert_int_equal(keyseq_feed(&k, 0x103 /* KEY_UP */, 1, 0, out), 2);
	assert_int_equal(out[0].ch, 27);
	assert_int_equal(out[1].ch, 0x103);
	assert_int_equal(out[1].code, 1);
}

static void a_sequence_cut_short_does_not_eat_later_keys(void **state)
{
	(void)state;
	struct keyseq k = {0};
	int got[16];
	assert_int_equal(feed(&k, "\033[1", 0, got, 0), 0);
	size_t n = feed(&k, "j", 5000, got, 0); /* five seconds later: a key typed by a person */
	assert_int_equal(n, 1);
	assert_int_equal(got[0], 'j');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unknown_csi_is_dropped_whole),
	    cmocka_unit_test(ss3_is_dropped),
	    cmocka_unit_test(lone_esc_is_esc),
	    cmocka_unit_test(esc_then_a_key_is_both),
	    cmocka_unit_test(a_sequence_cut_short_does_not_eat_later_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
