#!/bin/sh
# The / filter of the Alerts panel, against mltop-sim --alerts 25 (bench-model-000 v1 and v2,
# bench-model-001 v1): the rows that match stay in their groups, the others go; the match is on
# the columns, the summary and every label; n/N go from match to match round the end; the footer
# shows the pattern; an invalid pattern keeps the old filter; Esc in the prompt puts the old
# filter back, Esc on the list clears it; "!" inverts.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_sim am --alerts 25 || { echo "FAIL the simulator did not start"; exit 1; }
e2e_start 120 40 "$MLTOP --alertmanager $SIM_URL --refresh 1"
e2e_keys 4
check "the alerts are shown" e2e_wait "alert 1 of 25"
check "both models" e2e_wait "bench-model-001"

e2e_keys / feature_07 Enter
check "/ filters the alerts" e2e_wait "2 of 25 match · alert 1 of 2"
check "the footer shows the pattern" e2e_wait "/feature_07"
# the alerts listed (the drift table below names the models too)
rows_of() { [ "$(e2e_screen | grep -Ec "ModelFeatureDrift +$1")" -eq "$2" ]; }
check "the other model's alerts go" e2e_until 5000 rows_of bench-model-001 0
check "only the matching rows are listed" rows_of "" 2
check "each in its version's group" e2e_wait_re "bench-model-000 +v1 +feature_07"
check "each in its version's group (v2)" e2e_wait_re "bench-model-000 +v2 +feature_07"
e2e_keys n
check "n: the next match" e2e_wait "alert 2 of 2"
e2e_keys n
check "n past the last: the first" e2e_wait "alert 1 of 2"
e2e_keys N
check "N before the first: the last" e2e_wait "alert 2 of 2"

e2e_keys / C-u "PSI 0.3[0-9] on" Enter
check "the summary is matched" e2e_wait "5 of 25 match"
check "the alerts of that model" rows_of bench-model-001 5
check "and not the others" rows_of bench-model-000 0

e2e_keys / C-u "severity=critical" Enter
check "a label not shown as a column is matched" e2e_wait "4 of 25 match"

e2e_keys / C-u "feature_(" Enter
check "an invalid pattern is refused" e2e_wait "missing closing parenthesis"
e2e_keys Escape
check "Esc in the prompt puts the old filter back" e2e_wait "4 of 25 match"
check "its pattern on the footer" e2e_wait "/severity=critical"

e2e_keys / C-u "!bench-model-000" Enter
check "! inverts" e2e_wait "5 of 25 match"
e2e_keys / C-u "nothing-matches-this" Enter
check "no match: said so" e2e_wait "No alert matches the filter."
check "the title still counts every alert" e2e_shows -F "Alerts · 25 active"

e2e_keys Escape
check "Esc on the list clears the filter" e2e_wait_re "alert [0-9]+ of 25"
check "the alerts are back" rows_of "" 25
check "the pattern leaves the footer" e2e_wait_gone "/nothing-matches-this"
e2e_keys q
check "quits" e2e_wait "EXITED 0" 5
e2e_done
