/* test_cache_memory: what SQLite holds for mltop's cache stays small however long a session
 * writes: the samples of the serving figures at every refresh and the answers of every source
 * fill new pages all the time, and the page cache keeps only so many of them (SQLite's default
 * would keep 2 MiB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "clients/cache.h"
#include "clients/err.h"
#include "tests/unit/cachedir.h"

/* 18 series at every refresh for 20 min at 0.5 s, and a 20 kB answer of 4 sources at each. */
static void test_session_writes(void **state)
{
	(void)state;
	char path[4096];
	cachedir_path(path, sizeof path, "session.db");
	struct err e = {0};
	struct cache *c = cache_open(path, &e);
	assert_non_null(c);
	static char answer[20000];
	memset(answer, 'x', sizeof answer);
	sqlite3_int64 before = sqlite3_memory_used();
	for (int64_t r = 0; r < 2400; r++) {
		for (int s = 0; s < 18; s++) {
			char series[64];
			snprintf(series, sizeof series, "p99/5:churn/2:v%d", s);
			assert_int_equal(cache_sample_put(c, AT("serving", "scrape"), series,
			                                  1764500000000 + r * 500, 0.1, &e),
			                 0);
		}
		char key[32];
		snprintf(key, sizeof key, "answer/%d", (int)(r % 4));
		assert_int_equal(
		    cache_put(c, AT("serving", "kserve"), key, answer, sizeof answer, r * 500, &e),
		    0);
	}
	sqlite3_int64 grown = sqlite3_memory_used() - before;
	print_message("SQLite holds %lld KiB more after the session\n", (long long)grown / 1024);
	assert_true(grown < 1024 * 1024);
	cache_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_session_writes),
	};
	return cmocka_run_group_tests(tests, cachedir_setup, cachedir_teardown);
}
