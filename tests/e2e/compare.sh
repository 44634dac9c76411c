#!/bin/sh
# The Compare view of eight runs in small terminals, against the demo: every delta shown (on a
# line of its own when the columns are narrow), the dataset's digest, x cycling through step, wall
# time and time since start, the footer keeping ? help and q quit; without colour the curves carry
# letters that the legend repeats.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

# e2e_grep REGEX: the screen matches the extended regular expression.
e2e_grep() { e2e_screen | LC_ALL=C.UTF-8 grep -Eq -- "$1"; }
# letters_on_curves: a letter between braille cells.
letters_on_curves() { e2e_screen | LC_ALL=C.UTF-8 grep -qP '[\x{2800}-\x{28FF}][a-h][\x{2800}-\x{28FF}]'; }

open_compare() { # mark the first eight runs of the first experiment and compare them
	check "the experiments list comes" e2e_wait "churn-weekly"
	e2e_keys Enter
	check "the runs come" e2e_wait "wise-ant-12"
	e2e_keys Space Space Space Space Space Space Space Space c
	check "c compares the eight marked runs" e2e_wait "8 runs · base"
	check "with the curves" e2e_wait " by step"
}

e2e_start 80 24 "$MLTOP --demo"
open_compare
check "80x24: the deltas have a line of their own" e2e_wait "  vs base     base     "
check "80x24: a delta under each value" e2e_grep "vs base +base +[-+][0-9.e+-]+ +[-+][0-9.e+-]+"
check "80x24: the dataset cells show the digests" e2e_grep "dataset +…?[0-9a-f]{4,} +…?[0-9a-f]{4,}"
check "80x24: the footer keeps ? help and q quit" e2e_wait "? help  q quit"
check "80x24: x is on the footer" e2e_wait " x x axis "
e2e_keys x
check "x: wall time" e2e_wait " by time "
e2e_keys x
check "x again: time since each run's start" e2e_wait " by time since start"
check "with durations on the axis" e2e_grep "[0-9]+m +[0-9]+m"
e2e_keys x
check "x a third time: back to steps" e2e_wait " by step"
e2e_resize 60 20
# Both are on the screen before the resize too: they are read once it is redrawn (short tabs).
check "60x20: the screen is redrawn (short tabs)" e2e_wait " 1 Exp   2 Reg"
check "60x20: the footer keeps ? help and q quit" e2e_wait "? help  q quit" 1
check "60x20: the deltas are still there" e2e_wait "  vs base     base     " 1
e2e_keys q
check "q quits" e2e_wait "EXITED 0"
e2e_stop

e2e_start 60 20 "env NO_COLOR=1 $MLTOP --demo --cache $E2E_TMP/no-color.db"
open_compare
check "60x20: the footer keeps ? help and q quit" e2e_wait "? help  q quit"
check "NO_COLOR: the legend shows each run's letter" e2e_grep " a( [^ ]+)?  b( [^ ]+)?  c( [^ ]+)?  d"
check "NO_COLOR: the curves carry the letters" letters_on_curves
e2e_keys q
e2e_done
