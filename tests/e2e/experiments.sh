#!/bin/sh
# Experiments, compare and registry against the simulator, as an operator uses them: open an
# experiment, filter, mark three runs, compare, toggle diff-only, see the chart, then open the
# registry and go from a version to its run.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_start 140 45 "$MLTOP --demo"
check "the experiments list comes" e2e_wait "churn-weekly"
e2e_keys Enter
check "Enter opens the runs of the experiment" e2e_wait "STATUS"
check "with metric columns" e2e_wait "logloss"
e2e_keys / wren Enter
check "/ filters the runs by regex" e2e_wait "match"
check "non-matching runs are gone" e2e_wait_gone "wise-ant-12"
e2e_keys Space Space Space c
check "c compares the three marked runs" e2e_wait "compare 3 runs"
check "with a params table" e2e_wait "PARAM"
check "and a metrics table with the best value starred" e2e_wait "★"
check "and the curves of a metric" e2e_wait " by step"
e2e_keys d
check "d shows only the params that differ" e2e_wait "diff only [d] ON"
e2e_keys x
check "x puts wall time on the x axis" e2e_wait " by time"
e2e_keys Escape
check "Esc goes back to the runs" e2e_wait "STATUS"
e2e_keys 2
check "2 opens the registry" e2e_wait "churn-classifier"
e2e_keys Enter
check "Enter on a model lists its versions" e2e_wait "champion v3"
e2e_keys Enter
check "Enter on a version opens its run's detail" e2e_wait "REPRODUCE"
check "with the git commit to rerun it" e2e_wait "git commit"
e2e_keys Escape
check "Esc goes back to the runs of that experiment" e2e_wait "STATUS"
e2e_keys q
check "q quits" e2e_wait "EXITED 0"
e2e_stop

# The next start opens the experiment the operator was in, from the cache at once.
e2e_start 140 45 "$MLTOP --demo"
check "a restart opens the runs of the last experiment" e2e_wait "STATUS"
e2e_keys Escape
check "Esc goes back to the experiments list" e2e_wait "LIFECYCLE"
e2e_keys q
e2e_stop
e2e_start 140 45 "$MLTOP --demo"
check "after Esc to the list, a restart starts at the list" e2e_wait "LIFECYCLE"
e2e_keys q
e2e_stop

# A locale without UTF-8: the chart falls back to ASCII.
e2e_start 120 40 "env LANG=C LC_ALL=C $MLTOP --demo --cache $E2E_TMP/c-locale.db"
check "C locale: runs" e2e_wait "churn-weekly"
e2e_keys Enter
check "C locale: runs table" e2e_wait "STATUS"
e2e_keys Space Space c
check "C locale: compare" e2e_wait "compare 2 runs"
check "C locale: the chart is there" e2e_wait " by step"
no_braille() { e2e_running && ! e2e_screen | LC_ALL=C.UTF-8 grep -qP '[\x{2800}-\x{28FF}]'; }
check "C locale: the chart draws without braille" no_braille
e2e_keys q
e2e_done
