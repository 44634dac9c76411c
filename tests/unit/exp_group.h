/* exp_group: the group around the Experiments panel tests — ./mltop-sim --seed 7 with its clock
 * frozen at FIXED_MS (its URL in url) and a screen to draw on — and their main. Included by one
 * test file each (the definitions are static). */
#ifndef MLTOP_TESTS_EXP_GROUP_H
#define MLTOP_TESTS_EXP_GROUP_H

#include "tests/unit/exp_fixture.h"
#include "tests/unit/screen.h"
#include "tests/unit/test_sim_mlflow.h"

static char url[64];

static inline int exp_group_setup(void **state)
{
	(void)state;
	return sim_start_frozen(FIXED_TEXT, url, sizeof url) < 0 ? -1 : screen_open(COLS, ROWS + 3);
}

static inline int exp_group_teardown(void **state)
{
	(void)state;
	screen_close();
	sim_stop(&main_sim);
	return 0;
}

/* Runs the tests in UTC and a UTF-8 locale, so that screens are the same everywhere. */
static inline int exp_group_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	setenv("TZ", "UTC", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	return sim_run_with(name, tests, n, exp_group_setup, exp_group_teardown);
}

#endif
