#!/bin/sh
# The Alerts panel in a terminal. With the demo: an alert posted to the demo's simulator shows
# in the Alerts tab with its badge; x asks for a duration and a comment, shows the matchers and
# creates the silence on y (the row then says who silenced it and until when); X expires it;
# Enter opens the Samples panel. Then Alertmanager misbehaving (docs/reliability.md), against
# mltop-sim --alerts 25: for each fault the panel says what is wrong in one line, the alerts
# already shown stay and are marked stale, the keys still answer, and after the fault the
# source comes back.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

# ---- the demo ----
e2e_start 120 40 "sh -c 'echo \$\$ > $E2E_TMP/pid; exec $MLTOP --demo --refresh 1'"
check "the demo starts" e2e_wait "alertmanager ● "
pid=$(cat "$E2E_TMP/pid")
sim=$(pgrep -P "$pid" mltop-sim)
port=$(ss -ltnpH 2>/dev/null | grep "pid=$sim," | sed -n 's/.*127\.0\.0\.1:\([0-9]*\) .*/\1/p' | head -n 1)
check "the demo's simulator listens" [ -n "$port" ]
DEMO="http://127.0.0.1:$port"
curl -s -X POST -H 'Content-Type: application/json' "$DEMO/api/v2/alerts" -d '[
 {"labels":{"alertname":"ModelFeatureDrift","model":"churn-classifier","version":"v3",
  "feature":"tenure_days","drift_metric":"psi","severity":"critical"},
  "annotations":{"value":"0.31","summary":"PSI 0.31 on tenure_days"}}]' >/dev/null
e2e_keys 4
check "the alert is shown" e2e_wait "churn-classifier   v3   tenure_days    PSI 0.31"
check "the tab has its badge" e2e_wait "Alerts (1)"
check "the drift table" e2e_wait "DRIFT PSI"
check "the hints offer x" e2e_wait "x silence"
e2e_keys x
check "x asks for a duration" e2e_wait "silence for"
e2e_keys 30m Enter
check "then for a comment" e2e_wait "comment (required)"
e2e_keys "retrain scheduled" Enter
check "the matchers are shown before sending" e2e_wait 'Silence alertname="ModelFeatureDrift", model="churn-classifier"'
check "with the duration and the comment" e2e_wait "for 30m by "
e2e_keys y
check "the row says who silenced it, until when" e2e_wait "silenced by "
check "the badge goes" e2e_wait_gone "Alerts (1)"
e2e_keys X
check "X asks first" e2e_wait "Expire silence "
e2e_keys y
check "the silence is expired" e2e_wait_gone "silenced by "
check "the badge comes back" e2e_wait "Alerts (1)"
e2e_keys Enter
check "Enter opens the Samples panel on the alert's model, version and feature" \
	e2e_wait "focus: model churn-classifier · version v3 · feature tenure_days"
check "with the failed samples of that model, and the feature's column" e2e_wait "tenure_days  monthly_spend"
only_v3() { e2e_screen | sed -n '5,12p' | grep -q " v3 " && ! e2e_screen | sed -n '5,12p' | grep -q " v[12459] "; }
check "of that version only" only_v3
e2e_keys 4
check "and back" e2e_wait "Alerts · "
e2e_stop

# ---- Alertmanager misbehaving ----
e2e_sim am --alerts 25 || { echo "FAIL the simulator did not start"; exit 1; }
URL=$SIM_URL
fault() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$URL/-/sim/faults" >/dev/null; }
clear_faults() { curl -s -X DELETE "$URL/-/sim/faults" >/dev/null; }

e2e_start 120 40 "$MLTOP --alertmanager $URL --refresh 1"
e2e_keys 4
check "the alerts are shown" e2e_wait "bench-model-001"

# fault_case NAME FAULT TEXT: the fault, then TEXT in the one error line, the alerts still
# there and marked stale, keys answered; cleared, the line goes.
fault_case() {
	fault "$2"
	e2e_keys r
	check "$1: $3" e2e_wait "$3" 15
	check "$1: the alerts stay" e2e_wait "bench-model-001"
	check "$1: marked stale" e2e_wait "the alerts shown are stale"
	e2e_keys G
	check "$1: keys still answer" e2e_wait "alert 25 of 25"
	e2e_keys g
	clear_faults
	e2e_keys r
	check "$1: cleared, the line goes" e2e_wait_gone "stale" 15
}

fault_case "HTML 500" '{"prefix":"/api/v2/","kind":"status","status":500,"content_type":"text/html","body":"<html><body><h1>500 Internal Server Error</h1></body></html>"}' "Alertmanager 500"
check "HTML 500: no HTML on the screen" e2e_wait_gone "<html>"
fault_case "plain 401" '{"prefix":"/api/v2/","kind":"status","status":401,"body":"Unauthorized"}' "Alertmanager 401"
fault_case "plain 403" '{"prefix":"/api/v2/","kind":"status","status":403,"body":"Forbidden"}' "Alertmanager 403"
fault_case "404" '{"prefix":"/api/v2/","kind":"status","status":404,"body":""}' "Alertmanager 404"
fault_case "503 starting" '{"prefix":"/api/v2/","kind":"status","status":503,"body":"starting"}' "Alertmanager 503"
fault_case "not JSON" '{"prefix":"/api/v2/","kind":"garbage"}' "Alertmanager"
fault_case "truncated" '{"prefix":"/api/v2/","kind":"truncate"}' "Alertmanager"
fault_case "wrong shape" '{"prefix":"/api/v2/","kind":"status","status":200,"content_type":"application/json","body":"{}"}' "expected a JSON array"
fault_case "reset" '{"prefix":"/api/v2/","kind":"reset"}' "Alertmanager"
fault_case "over the cap" '{"prefix":"/api/v2/","kind":"oversize","mib":80}' "size cap"
fault '{"prefix":"/api/v2/","kind":"delay","delay_ms":8000}'
e2e_keys r 6
check "a stalled reply does not block the keys" e2e_wait "WHEN" 3
e2e_keys 4
clear_faults
kill "$SIM_PID"
e2e_keys r
check "refused: said in one line" e2e_wait "Alertmanager" 15
check "refused: the alerts stay, stale" e2e_wait "the alerts shown are stale" 15
check "refused: the header says down" e2e_wait "alertmanager ● down" 15
e2e_keys q
check "quits" e2e_wait "EXITED 0" 5
e2e_stop

# A host that does not resolve: one line, nothing cached to show, no crash.
e2e_start 120 40 "$MLTOP --alertmanager http://no-such-host.invalid:9093 --refresh 1"
e2e_keys 4
check "DNS failure: said in one line" e2e_wait "Alertmanager" 15
check "DNS failure: nothing cached for this server" e2e_wait "Not cached for this server, and Alertmanager did not answer." 15
e2e_keys q
check "DNS failure: quits" e2e_wait "EXITED 0" 5
e2e_done
