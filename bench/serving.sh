# shellcheck shell=sh disable=SC2154 # url and the rest come from bench/run.sh, which sources this file
# bench/serving.sh: the Serving panel's figures of docs/figures.md, sourced by bench/run.sh (its
# say, measure, report_*, start_sim, stop_sim, ms and ratio): terminal bytes and CPU on the panel
# with 500 deployments against htop; the Prometheus queries one refresh sends with 3 and with 500
# deployments, counted in the query log of a real Prometheus scraping the simulator; and one
# keystroke at 500 deployments, in-process (bench/bench_serving).

# prom_queries N: "QUERIES ROWS" of one refresh (mltop --snapshot) with N extra deployments.
prom_queries() {
	start_sim --deployments "$1"
	port=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000))
	printf 'global: {scrape_interval: 1s, query_log_file: "%s"}\nscrape_configs:\n  - job_name: mltop-sim\n    static_configs: [{targets: ["%s"]}]\n' \
		"$TMP/queries-$1.log" "${url#http://}" >"$TMP/prom.yml"
	prometheus --config.file="$TMP/prom.yml" --storage.tsdb.path="$TMP/tsdb-$1" \
		--web.listen-address="127.0.0.1:$port" --log.level=error >/dev/null 2>&1 &
	ppid=$!
	deadline=$(($(ms) + 20000))
	until curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready" || [ "$(ms)" -gt "$deadline" ]; do
		sleep 0.2
	done
	sleep 3
	./mltop --snapshot --json --prometheus "http://127.0.0.1:$port" --kserve "$url" \
		--namespace models >"$TMP/snap.json" 2>/dev/null
	q=$(grep -c '"query"' "$TMP/queries-$1.log" 2>/dev/null)
	rows=$(jq '.panels.serving.rows | length' "$TMP/snap.json" 2>/dev/null)
	kill "$ppid" 2>/dev/null
	wait "$ppid" 2>/dev/null
	stop_sim
	echo "${q:-0} ${rows:-0}"
}

if [ -x ./mltop-sim ]; then
	start_sim --deployments 500
	m=$(measure "./mltop --kserve $url --namespace models --scrape $url/metrics --refresh 1" 3)
	h=$(measure "htop -d 10")
	"$BUILD/bench/bench_serving" "$url" | tee -a "$OUT"
	stop_sim
	report_bytes serving_500 "$m" "$h"
	report_cpu serving_500 "$m" "$h"
	if command -v prometheus >/dev/null && command -v jq >/dev/null; then
		# shellcheck disable=SC2046 # the numbers, one word each
		set -- $(prom_queries 0)
		q3=$1 r3=$2
		# shellcheck disable=SC2046 # the numbers, one word each
		set -- $(prom_queries 500)
		say "serving_prom_queries_per_refresh $q3 queries at $r3 deployments  [$1 queries at $2 deployments, ratio $(ratio "$q3" "$1")]"
	fi
fi
