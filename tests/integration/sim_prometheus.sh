#!/bin/sh
# The real pipeline: mltop-sim -> Prometheus (scraping it every second, with the shipped alerting
# rules) -> Alertmanager. Checks that promtool accepts /metrics, that the request rate per version
# Prometheus computes follows a KServe canary split, that a canary of the bad churn-classifier v5
# makes the rules fire into Alertmanager, that a rollback resolves the drift alert, and that the
# simulator's alert fingerprints are Alertmanager's. Every server runs on a free 127.0.0.1 port
# in a temporary directory and is stopped on exit, whatever happens.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
sim=${MLTOP_SIM:-$root/mltop-sim}
. "$root/tests/integration/lib.sh"
pipe_setup sim_prometheus curl jq promtool prometheus prometheus-alertmanager
[ -x "$sim" ] || fail "no simulator at $sim (make mltop-sim, or set MLTOP_SIM)"

# ---- the simulator ----
pipe_sim

curl -sf "$S/metrics" >"$tmp/metrics.txt" || fail "GET /metrics"
promtool check metrics <"$tmp/metrics.txt" >"$tmp/check.txt" 2>&1 || fail "promtool check metrics: $(cat "$tmp/check.txt")"
grep -q '^model_requests_total{model="churn-classifier",version="v3",code="200"} ' "$tmp/metrics.txt" ||
	fail "no churn-classifier v3 counter in /metrics"

# ---- Alertmanager, and Prometheus with the shipped rules firing at once ----
pipe_alertmanager
pipe_prometheus

# promql EXPR: the first value of an instant query, or nothing.
promql() {
	curl -sf --max-time 5 --data-urlencode "query=$1" "$P/api/v1/query" |
		jq -r '.data.result[0].value[1] // empty'
}
# within EXPR LO HI: the query's value is in [LO, HI].
within() {
	v=$(promql "$1")
	[ -n "$v" ] && awk -v v="$v" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'
}

until_ok 30 within 'up{job="mltop-sim"}' 1 1 || fail "Prometheus does not scrape the simulator"
churn='model_requests_total{model="churn-classifier"}'
until_ok 30 within "sum(rate(${churn}[5s]))" 100 300 ||
	fail "churn-classifier rate not within 100..300 rps: $(promql "sum(rate(${churn}[5s]))")"

# ---- a canary of v5 at 25 % ----
src=$(curl -sf "$S/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=5" |
	jq -r '.model_version.source // empty')
[ -n "$src" ] || fail "no source for churn-classifier version 5 in the registry"
isvc=$S/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn-classifier
patch() {
	curl -sf -X PATCH -H 'Content-Type: application/merge-patch+json' -d "$1" "$isvc" >"$tmp/patch.json" ||
		fail "PATCH $1"
}
patch "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":25,\"model\":{\"storageUri\":\"$src\"}}}}"
# The PATCH answers the stored object; the controller routes the canary once its revision is ready.
canary_routed() {
	curl -sf "$isvc" | jq -e '.status.components.predictor |
		(.traffic | map(.percent) | sort == [25, 75]) and
		([.traffic[] | select(.latestRevision) | .revisionName] == [.latestCreatedRevision])' >/dev/null
}
until_ok 15 canary_routed ||
	fail "traffic after the canary patch: $(curl -sf "$isvc" | jq -c .status.components.predictor.traffic)"

share="sum(rate(model_requests_total{model=\"churn-classifier\",version=\"v5\"}[5s])) / sum(rate(${churn}[5s]))"
until_ok 40 within "$share" 0.23 0.27 || fail "v5's share of the rate is not near 25 %: $(promql "$share")"
echo "sim_prometheus: canary share of churn-classifier traffic in Prometheus: $(promql "$share")"

# ---- the rules fire into Alertmanager ----
am_has() {
	curl -sf --max-time 5 -G "$A/api/v2/alerts" --data-urlencode "filter=alertname=\"$1\"" \
		--data-urlencode 'filter=model="churn-classifier"' --data-urlencode 'filter=version="v5"' |
		jq -e 'length > 0' >/dev/null
}
# am_lacks NAME: Alertmanager answers, and holds no such alert (not: the query failed).
am_lacks() {
	curl -sf --max-time 5 -G "$A/api/v2/alerts" --data-urlencode "filter=alertname=\"$1\"" \
		--data-urlencode 'filter=model="churn-classifier"' --data-urlencode 'filter=version="v5"' |
		jq -e 'length == 0' >/dev/null
}
until_ok 60 am_has ModelHighErrorRate || fail "ModelHighErrorRate for churn-classifier v5 never reached Alertmanager"
until_ok 60 am_has ModelFeatureDrift || fail "ModelFeatureDrift for churn-classifier v5 never reached Alertmanager"
curl -sf -G "$A/api/v2/alerts" --data-urlencode 'filter=alertname="ModelFeatureDrift"' |
	jq -e 'any(.[]; .labels.feature == "tenure_days" and .labels.severity == "critical")' >/dev/null ||
	fail "no critical ModelFeatureDrift on tenure_days"
echo "sim_prometheus: ModelHighErrorRate and ModelFeatureDrift for churn-classifier v5 are in Alertmanager"

# ---- rollback: v5 gets no traffic, its drift gauges go, the drift alert resolves ----
patch '{"spec":{"predictor":{"canaryTrafficPercent":0}}}'
until_ok 30 within "sum(rate(model_requests_total{model=\"churn-classifier\",version=\"v5\"}[5s]))" 0 0 ||
	fail "v5 still receives traffic after the rollback"
until_ok 60 am_lacks ModelFeatureDrift || fail "ModelFeatureDrift for v5 did not resolve after the rollback"
echo "sim_prometheus: rollback resolved the drift alert"

# ---- the simulator's fingerprints are Alertmanager's ----
body='[{"labels":{"alertname":"FingerprintCheck","model":"churn-classifier","version":"v5","severity":"info"}}]'
curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "$A/api/v2/alerts" >/dev/null || fail "POST to Alertmanager"
curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "$S/api/v2/alerts" >/dev/null || fail "POST to the simulator"
fp() { curl -sf -G "$1/api/v2/alerts" --data-urlencode 'filter=alertname="FingerprintCheck"' | jq -r '.[0].fingerprint // empty'; }
fa=$(fp "$A")
fs=$(fp "$S")
if [ -z "$fa" ] || [ "$fa" != "$fs" ]; then
	fail "fingerprints differ: alertmanager '$fa', simulator '$fs'"
fi

echo "sim_prometheus: ok"
