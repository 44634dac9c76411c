#!/bin/sh
# Sorting as an operator does it: the order in force is shown from the start (START▼ on the runs),
# s opens a picker of the sortable columns (a letter jumps, Enter sorts, Esc closes without going
# back), a new sort shows the top, S reverses, and the sort survives a filter that matches nothing.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
footer_has() { e2e_screen | tail -n 1 | grep -qF -- "$1"; }
# The auc column of the first two runs (the column is found by its title).
first_aucs() {
	e2e_screen | awk 'NR==4 { for (i = 1; i <= NF; i++) if ($i ~ /^auc/) c = i }
		NR==5 || NR==6 { print $(c) }'
}
# shellcheck disable=SC2046 # the two numbers, as two words
descending() { set -- $(first_aucs); [ -n "${2:-}" ] && awk "BEGIN { exit !($1 >= $2) }"; }
# shellcheck disable=SC2046 # the two numbers, as two words
ascending() { set -- $(first_aucs); [ -n "${2:-}" ] && awk "BEGIN { exit !($1 <= $2) }"; }

e2e_start 110 24 "$MLTOP --demo"
check "the experiments are listed newest first, and say so" e2e_wait "LAST UPDATE▼"
e2e_keys Enter
check "the runs show the order MLflow gave them: START▼" e2e_wait "START▼"
e2e_keys G s
check "s opens the sort picker" e2e_wait "sort by"
check "which marks the order in force" e2e_wait "START ▼" 1
e2e_keys a Enter
check "a jumps to auc and Enter sorts by it, high to low" e2e_wait "auc▼"
check "the picker is closed" e2e_wait_gone "sort by"
check "the view shows the top of the new order" e2e_until 3000 footer_has "row 1 of"
check "and the best auc is first" descending
e2e_keys S
check "S reverses" e2e_wait "auc▲"
check "the lowest auc first" e2e_until 3000 ascending
e2e_keys s Escape
check "Esc closes the picker" e2e_wait_gone "sort by"
check "and stays on the runs" e2e_wait "Experiments › " 1
e2e_keys / 'zzz-no-such-run' Enter
check "a filter that matches nothing" e2e_until 3000 footer_has "0 of"
e2e_keys Escape
check "cleared, the sort is still in force" e2e_until 3000 footer_has "row 1 of"
check "auc▲ still" e2e_wait "auc▲" 1
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_done
