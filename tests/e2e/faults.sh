#!/bin/sh
# MLflow misbehaving while mltop shows it (docs/reliability.md, backends misbehaving): an HTML
# 502 from a proxy, a plain-text 401, a stalled reply, a reset, garbage, a body over the cap, a page token sent again. Each time the header says the source
# is down, the panel says what is wrong in one line with the HTTP status, the data already shown
# stays, the keys still answer, and after the fault is cleared the source comes back.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

./mltop-sim --port 0 --seed 7 >"$E2E_TMP/sim.out" 2>"$E2E_TMP/sim.err" &
E2E_PIDS="$!"
e2e_until 5000 grep -qs listening "$E2E_TMP/sim.out" || { echo "FAIL the simulator did not start"; exit 1; }
URL=$(sed -n 's/^listening on //p' "$E2E_TMP/sim.out")

fault() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$URL/-/sim/faults" >/dev/null; }
clear_faults() { curl -s -X DELETE "$URL/-/sim/faults" >/dev/null; }

e2e_start 130 40 "$MLTOP --mlflow $URL --refresh 1"
check "runs of an experiment are shown" e2e_wait "churn-weekly"
e2e_keys Enter
check "the runs table" e2e_wait "STATUS"
first=$(e2e_screen | awk 'NR == 5 {print $1}')

fault '{"prefix":"/api/2.0/mlflow/","kind":"status","status":502,"content_type":"text/html","body":"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body></html>"}'
e2e_keys r
check "HTML 502: the header says mlflow is down" e2e_wait "mlflow ● down"
check "HTML 502: one clean line with the status" e2e_wait "MLflow 502 Bad Gateway"
check "HTML 502: no HTML on the screen" e2e_wait_gone "<html>"
check "HTML 502: the runs already shown stay" e2e_wait "$first"
e2e_keys 2
check "HTML 502: keys still answer (registry tab)" e2e_wait "Registry"
e2e_keys 1

fault '{"prefix":"/api/2.0/mlflow/","kind":"status","status":401,"content_type":"text/plain","body":"Unauthorized: token expired"}'
e2e_keys r
check "plain-text 401: status and text in one line" e2e_wait "MLflow 401"

fault '{"prefix":"/api/2.0/mlflow/","kind":"garbage"}'
e2e_keys r
check "garbage: said to be no JSON" e2e_wait "JSON"

fault '{"prefix":"/api/2.0/mlflow/","kind":"reset"}'
e2e_keys r
check "reset: a transport error" e2e_wait "mlflow ● down"

clear_faults
e2e_keys r
check "cleared: the source comes back" e2e_wait_gone "mlflow ● down" 15
check "and the runs are there" e2e_wait "$first"

fault '{"prefix":"/api/2.0/mlflow/runs/search","kind":"page_token"}'
e2e_keys r
check "a page token sent again: the load stops and says so" e2e_wait "the server repeated a page token"
check "a page token sent again: the runs stay" e2e_wait "$first"
clear_faults
e2e_keys r
check "cleared: the line goes" e2e_wait_gone "the server repeated a page token" 15

fault '{"prefix":"/api/2.0/mlflow/","kind":"delay","delay_ms":8000}'
e2e_keys r
e2e_keys 6
check "a stalled reply does not block the keys" e2e_wait "No action has been taken" 3
e2e_keys 1
clear_faults
e2e_keys q
check "quits while a request stalls" e2e_wait "EXITED 0" 5
e2e_done
