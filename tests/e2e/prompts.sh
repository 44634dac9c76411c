#!/bin/sh
# The / filter and the : command line as an operator uses them: Enter on a bad regex keeps the
# prompt with the error, Esc puts back the filter that was in force, the pattern in force is on the
# footer, Esc on a filtered list clears the filter before it goes back, and : after an error closes.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_start 100 20 "$MLTOP --demo"
check "the demo lists its experiments" e2e_wait "churn-weekly"
e2e_keys / churn Enter
check "the pattern in force is on the footer" e2e_until 5000 e2e_footer_has "/churn  1 of 4 match"
e2e_keys / BSpace BSpace BSpace BSpace BSpace 'a(' Enter
check "Enter on a bad regex keeps the prompt, with the error" e2e_wait "missing closing parenthesis"
check "and the prompt still holds the text" e2e_until 1000 e2e_footer_has "/a("
e2e_keys Escape
check "Esc puts back the filter in force before the prompt" e2e_until 5000 e2e_footer_has "/churn  1 of 4 match"
e2e_keys Escape
check "Esc on a filtered list clears the filter" e2e_wait "filter cleared"
check "every experiment is back" e2e_until 5000 e2e_footer_has "of 4 experiments"
e2e_keys Enter
check "Enter opens an experiment (the list was not left by the Esc)" e2e_wait "Experiments › "
e2e_keys / 'zzz-no-such' Enter
check "a filter that matches nothing says so" e2e_until 5000 e2e_footer_has "/zzz-no-such  0 of"
e2e_keys Escape
check "Esc clears it and stays on the runs" e2e_until 5000 e2e_footer_has " runs"
check "still in the experiment" e2e_wait "Experiments › " 1
e2e_keys Escape
check "the next Esc goes back to the list" e2e_wait "Experiments · "

# / in the run detail searches its text, as less does.
e2e_keys Enter
check "an experiment's runs" e2e_wait "Experiments › "
e2e_keys Enter
check "a run in full" e2e_wait "REPRODUCE"
e2e_keys / 'git commit' Enter
check "/ searches the run's text: the pattern and its matches on the footer" \
	e2e_until 5000 e2e_footer_has "/git commit  line"
check "one line matches" e2e_until 3000 e2e_footer_has "1 line matches"
e2e_keys Escape
check "Esc clears the search first" e2e_wait "filter cleared"
check "and stays on the run, where the match was" e2e_until 3000 e2e_footer_has "line 4 of"
e2e_keys Escape Escape
check "two more Esc: back to the experiments" e2e_wait "Experiments · "

e2e_keys : bogus Enter
check ":bogus is refused on the message line" e2e_wait "unknown command :bogus"
e2e_keys 2
check "and the prompt is closed: 2 goes to the Registry" e2e_wait "Registry › "
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_done
