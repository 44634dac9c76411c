#!/bin/sh
# The Serving panel as an operator uses it. With --demo: the deployments with their split and
# rates. Then against a simulator of its own whose clock runs 30 times faster, after a canary of
# churn-classifier v5 at 10 % (the PATCH kubectl would send): the split 90|10, Enter for the canary
# view and its verdict, Esc back, m to the model in Registry; and KServe or the scraped /metrics
# failing the ways docs/reliability.md lists: the error in one line, the rows already shown stay, and
# they come back once the fault is cleared.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

rates() { e2e_screen | grep -qE "$1 .* [0-9]+\.[0-9] +[0-9]+\.[0-9]"; }

e2e_start 130 40 "$MLTOP --demo --refresh 1"
check "demo: the header is up" e2e_wait "kserve ● "
e2e_keys 3
check "demo: Serving lists the deployments" e2e_wait "Serving › 3 deployments"
check "demo: the split of churn-classifier" e2e_wait "████████████ 100"
check "demo: the registry version joined" e2e_wait "v3 champion"
check "demo: rates come after two scrapes" e2e_until 15000 rates "churn-classifier"
e2e_keys Enter
check "demo: Enter opens the canary view" e2e_wait "no canary: one version takes the traffic"
e2e_keys Escape
check "demo: Esc goes back to the list" e2e_wait "DEPLOYMENT"
e2e_stop

./mltop-sim --port 0 --seed 7 --time-scale 30 >"$E2E_TMP/sim.out" 2>/dev/null &
E2E_PIDS="$!"
e2e_until 5000 grep -qs listening "$E2E_TMP/sim.out" || { echo "FAIL the simulator did not start"; exit 1; }
URL=$(sed -n 's/^listening on //p' "$E2E_TMP/sim.out")
SRC=$(curl -s "$URL/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=5" |
	sed -n 's/.*"source": *"\([^"]*\)".*/\1/p')
curl -s -X PATCH -H 'Content-Type: application/merge-patch+json' \
	-d "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":10,\"model\":{\"storageUri\":\"$SRC\"}}}}" \
	"$URL/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn-classifier" >/dev/null

fault() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$URL/-/sim/faults" >/dev/null; }
clear_faults() { curl -s -X DELETE "$URL/-/sim/faults" >/dev/null; }

e2e_start 130 40 "$MLTOP --mlflow $URL --kserve $URL --namespace models --scrape $URL/metrics --refresh 1"
e2e_keys 3
check "canary: the split 90|10" e2e_wait "90|10"
check "canary: the canary's registry version and alias" e2e_wait "v5 challenger"
check "canary: the canary's rates" e2e_until 20000 rates " v5 "
e2e_keys Enter
check "canary: the view compares v5 with v3" e2e_wait "canary v5 (10 %) vs stable v3 (90 %)"
check "canary: a verdict with its numbers" e2e_wait "two-proportion"
check "canary: the overall verdict" e2e_wait "verdict: "
e2e_keys Escape
check "canary: Esc back to the list" e2e_wait "DEPLOYMENT"
e2e_keys m
check "m: Registry opens on the model" e2e_wait "churn-classifier · champion v3"
e2e_keys 3
check "back in Serving" e2e_wait "90|10"

fault '{"prefix":"/apis/","kind":"status","status":502,"content_type":"text/html","body":"<html><body><h1>502 Bad Gateway</h1></body></html>"}'
check "KServe HTML 502: one line with the status" e2e_wait "kserve down: KServe 502"
check "KServe HTML 502: no HTML on the screen" e2e_wait_gone "<html>"
check "KServe HTML 502: stale, the rows stay" e2e_wait "stale: data from"
check "KServe HTML 502: the split stays" e2e_wait "90|10"
fault '{"prefix":"/apis/","kind":"status","status":401,"content_type":"text/plain","body":"Unauthorized"}'
check "KServe 401" e2e_wait "kserve down: KServe 401"
fault '{"prefix":"/apis/","kind":"garbage"}'
check "KServe garbage: the rows stay" e2e_wait "90|10"
check "KServe garbage: said" e2e_wait "kserve ● down"
fault '{"prefix":"/apis/","kind":"status","status":404,"content_type":"application/json","body":"{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"message\":\"the server could not find the requested resource\",\"code\":404}"}'
check "KServe 404: the Status's message" e2e_wait "could not find the requested resource"
fault '{"prefix":"/apis/","kind":"truncate"}'
check "KServe truncated JSON: down, the rows stay" e2e_wait "kserve ● down"
check "KServe truncated JSON: the split stays" e2e_wait "90|10"
fault '{"prefix":"/apis/","kind":"oversize"}'
check "KServe body over the cap: down" e2e_wait "kserve ● down"
fault '{"prefix":"/apis/","kind":"delay","delay_ms":4000}'
e2e_keys j
check "KServe stalling: keys still answer" e2e_wait "row 2 of"
clear_faults
check "KServe back" e2e_wait_gone "kserve down" 20

fault '{"prefix":"/metrics","kind":"reset"}'
check "metrics reset: the error line" e2e_wait "scrape down:" 15
check "metrics reset: the rows stay" e2e_wait "v5 challenger"
fault '{"prefix":"/metrics","kind":"status","status":503,"content_type":"text/plain","body":"starting"}'
check "metrics 503: the status" e2e_wait "503" 15
fault '{"prefix":"/metrics","kind":"status","status":500,"content_type":"text/html","body":"<html><body>Internal Server Error</body></html>"}'
check "metrics HTML 500: the status, no HTML" e2e_wait "500" 15
check "metrics HTML 500: no HTML on the screen" e2e_wait_gone "<html>"
fault '{"prefix":"/metrics","kind":"oversize"}'
check "metrics body over the cap: the rows stay" e2e_wait "v5 challenger"
clear_faults
check "metrics back" e2e_wait_gone "scrape down" 15
e2e_done
