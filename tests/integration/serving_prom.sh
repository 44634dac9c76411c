#!/bin/sh
# The Serving panel with a REAL Prometheus: mltop-sim, scraped every second by Prometheus, and
# `mltop --snapshot --json` pointed at that Prometheus, the simulator's KServe and MLflow. For
# every version of every deployment, the requests per second mltop shows are those Prometheus
# itself returns for the same query (sum by model, version of rate(model_requests_total[5m])),
# within 5 % (the two are asked a moment apart). Every server runs on a free 127.0.0.1 port in a
# temporary directory and is stopped on exit.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
sim=${MLTOP_SIM:-$root/mltop-sim}
mltop=${MLTOP:-$root/mltop}
. "$root/tests/integration/lib.sh"
pipe_setup serving_prom curl jq prometheus

pipe_sim
pipe_prometheus

query='sum by (model, version) (rate(model_requests_total[5m]))'
series() {
	curl -sf --max-time 5 --data-urlencode "query=$query" "$P/api/v1/query" |
		jq -e '.data.result | length >= 3' >/dev/null
}
until_ok 30 series || fail "Prometheus has no rate for the simulator's deployments"
# A few more scrapes in the window before comparing, so that the rate's extrapolation from the
# first samples has passed: every requests series has at least 6 samples in the last 5 minutes.
scraped() {
	curl -sf --max-time 5 --data-urlencode 'query=min(count_over_time(model_requests_total[5m]))' \
		"$P/api/v1/query" | jq -e '(.data.result[0].value[1] | tonumber) >= 6' >/dev/null
}
until_ok 30 scraped || fail "Prometheus did not scrape the simulator 6 times"

XDG_CACHE_HOME=$tmp/cache XDG_CONFIG_HOME=$tmp/config "$mltop" --snapshot --json \
	--prometheus "$P" --kserve "$S" --mlflow "$S" --namespace models >"$tmp/snap.json" 2>"$tmp/snap.err" ||
	fail "mltop --snapshot --json: $(cat "$tmp/snap.err")"
curl -sf --data-urlencode "query=$query" "$P/api/v1/query" >"$tmp/prom.json" || fail "the query"

jq -r '.panels.serving.rows[] | .deployment as $d | .versions[] | "\($d) \(.version) \(.rps)"' \
	"$tmp/snap.json" | sort >"$tmp/mltop.txt"
jq -r '.data.result[] | "\(.metric.model) \(.metric.version) \(.value[1])"' "$tmp/prom.json" |
	awk '$3 > 0' | sort >"$tmp/prom.txt"
[ -s "$tmp/mltop.txt" ] || fail "no serving rows in the snapshot: $(head -c 400 "$tmp/snap.json")"
n=0
while read -r model version rps; do
	mine=$(awk -v m="$model" -v v="$version" '$1 == m && $2 == v { print $3 }' "$tmp/mltop.txt")
	if [ -z "$mine" ] || [ "$mine" = null ]; then
		fail "$model $version: Prometheus says $rps rps, mltop shows none"
	fi
	awk -v a="$mine" -v b="$rps" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.05 * b) }' ||
		fail "$model $version: mltop $mine rps, Prometheus $rps rps"
	echo "serving_prom: $model $version: mltop $mine rps, Prometheus $rps rps"
	n=$((n + 1))
done <"$tmp/prom.txt"
[ "$n" -ge 3 ] || fail "only $n versions compared"
echo "serving_prom: ok"
