#!/bin/sh
# mltop --demo: the simulator starts as a child on a free port, every source points at it and is
# healthy in the header, the context is marked demo, and the simulator dies with mltop — also
# when mltop is killed outright.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_start 140 30 "sh -c 'echo \$\$ > $E2E_TMP/pid; exec $MLTOP --demo'"
check "the header says demo" e2e_wait "ctx demo"
# A source that answers shows the age of its data; "● down" would match "● " too.
check "MLflow answers" e2e_wait_re "mlflow ● [0-9]+s"
check "Alertmanager answers" e2e_wait_re "alertmanager ● [0-9]+s"
check "KServe answers" e2e_wait_re "kserve ● [0-9]+s"
check "no source is down" e2e_wait_gone "down"
pid=$(cat "$E2E_TMP/pid")
sim=$(pgrep -P "$pid" mltop-sim)
check "the simulator is mltop's child" [ -n "$sim" ]
kill -9 "$pid"
check "the simulator dies with a killed mltop" e2e_until 3000 e2e_pid_gone "$sim"
e2e_done
