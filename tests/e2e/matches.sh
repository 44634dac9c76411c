#!/bin/sh
# n/N on every list under a / filter (which hides the rows that do not match): the cursor moves
# to the next/previous match, wrapping, and the message line says where ("match 2 of 4") —
# on the experiments, an experiment's runs, the registered models, a model's versions, the
# deployments and the samples.
. tests/e2e/lib.sh

e2e_demo 120 24
e2e_keys / e Enter
check "every experiment matches /e" e2e_until 5000 e2e_footer_has "/e  4 of 4 match · row 1 of 4"
e2e_keys n
check "n: the next match, said on the message line" e2e_until 5000 e2e_footer_has "match 2 of 4"
check "and the cursor is on it" e2e_until 2000 e2e_footer_has "row 2 of 4"
e2e_keys N N
check "N twice: back past the first, to the last" e2e_until 5000 e2e_footer_has "match 4 of 4"
e2e_keys n
check "n wraps from the last to the first" e2e_until 5000 e2e_footer_has "match 1 of 4"

e2e_keys Escape Enter
check "an experiment's runs" e2e_wait "Experiments › "
e2e_keys / . Enter
check "every run matches /." e2e_until 5000 e2e_footer_has "/.  "
e2e_keys n
check "n on the runs" e2e_until 5000 e2e_footer_has "match 2 of"
e2e_keys Escape Escape

e2e_keys 2
check "the registered models" e2e_wait "Registry › 3 registered models"
e2e_keys / a Enter
check "/a on the models" e2e_until 5000 e2e_footer_has "/a  3 of 3 match"
e2e_keys N
check "N on the models: the last" e2e_until 5000 e2e_footer_has "match 3 of 3"
e2e_keys Escape Enter
check "a model's versions" e2e_wait "VER"
e2e_keys / READY Enter
check "/READY on the versions" e2e_until 5000 e2e_footer_has "/READY  "
e2e_keys n n
check "n twice on the versions" e2e_until 5000 e2e_footer_has "match 3 of"
e2e_keys Escape Escape

e2e_keys 3
check "the deployments" e2e_wait "Serving › 3 deployments"
e2e_keys / - Enter
check "/- on the deployments" e2e_until 5000 e2e_footer_has "/-  3 of 3 match"
e2e_keys n
check "n on the deployments: the next one" e2e_until 5000 e2e_footer_has "match 2 of 3"
e2e_keys N N
check "N twice on the deployments: back past the first" e2e_until 5000 e2e_footer_has "match 3 of 3"
e2e_keys Escape

e2e_keys 5
check "the samples" e2e_wait "PRED"
e2e_keys / v Enter
check "/v on the samples" e2e_until 5000 e2e_footer_has "/v  "
e2e_keys n
check "n on the samples" e2e_until 5000 e2e_footer_has "match 2 of"

e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_done
