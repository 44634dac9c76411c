# shellcheck shell=sh disable=SC2154 # url and the rest come from bench/run.sh, which sources this file
# bench/serving.sh: the Serving panel's figures of docs/figures.md, sourced by bench/run.sh (its
# say, measure, median, report_*, start_sim, stop_sim, ms and ratio): terminal bytes and CPU on
# the panel with 500 deployments against htop (medians of BENCH_REPEATS alternating pairs, 3 by
# default); the Prometheus queries one refresh sends with 3 and with 500 deployments, counted in
# the query log of a real Prometheus scraping the simulator; and one keystroke at 500
# deployments, in-process (bench/bench_serving).

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

# serving_pairs N: N measurements of mltop on Serving and of htop, alternating (other work on the
# machine shifts both alike); prints the medians, "BYTES CPU" for mltop then for htop.
serving_pairs() {
	: >"$TMP/sv.mb"
	: >"$TMP/sv.mc"
	: >"$TMP/sv.hb"
	: >"$TMP/sv.hc"
	i=0
	while [ "$i" -lt "$1" ]; do
		# shellcheck disable=SC2046 # "BYTES CPU", one word each
		set -- "$1" $(measure "./mltop --kserve $url --namespace models --scrape $url/metrics --refresh 1" 3)
		echo "$2" >>"$TMP/sv.mb"
		echo "$3" >>"$TMP/sv.mc"
		# shellcheck disable=SC2046
		set -- "$1" $(measure "htop -d 10")
		echo "$2" >>"$TMP/sv.hb"
		echo "$3" >>"$TMP/sv.hc"
		i=$((i + 1))
	done
	echo "$(median <"$TMP/sv.mb") $(median <"$TMP/sv.mc") $(median <"$TMP/sv.hb") $(median <"$TMP/sv.hc")"
}

if [ -x ./mltop-sim ]; then
	start_sim --deployments 500
	# shellcheck disable=SC2046 # the four medians, one word each
	set -- $(serving_pairs "${BENCH_REPEATS:-3}")
	m="$1 $2" h="$3 $4"
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
