#!/bin/sh
# The footer keeps `? help` and `q quit` whatever else it has to cut: with a / filter in force
# on a narrow terminal the pattern stays whole and the counts give way ("row 1 of 3" is kept
# when it fits), and a message shown on it is cut before them, never the essential keys.
. tests/e2e/lib.sh

e2e_demo 60 16
e2e_keys / 'churn|fraud|search-ranking' Enter
check "the pattern in force, whole" e2e_until 5000 e2e_footer_has "/churn|fraud|search-ranking"
check "? help and q quit are kept beside it" e2e_until 2000 e2e_footer_has "? help  q quit"
check "the position is kept when it fits" e2e_until 2000 e2e_footer_has "row 1 of 3"
e2e_keys n
check "a message on the footer leaves them too" e2e_until 5000 e2e_footer_has "match 2 of 3  ? help  q quit"
e2e_resize 40 16
check "narrower: the pattern's head and tail" e2e_until 5000 e2e_footer_has "/churn|fra…-ranking"
check "and ? help and q quit" e2e_until 2000 e2e_footer_has "? help  q quit"
e2e_resize 120 16
check "wide: everything" e2e_until 5000 e2e_footer_has "/churn|fraud|search-ranking  3 of 4 match · row 2 of 3"
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_done
