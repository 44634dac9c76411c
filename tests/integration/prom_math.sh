#!/bin/sh
# mltop's own rate() and histogram_quantile() (the scrape client, for model servers without a
# Prometheus) against the real Prometheus on the same series. Prometheus scrapes mltop-sim every
# second; the simulator is restarted halfway, so its counters reset. Then, at one evaluation
# time, Prometheus answers the serving queries (rate, error ratio, p50/p95/p99 per model and
# version) and the raw samples it scraped; tests/unit/test_scrape_math --prom turns those
# samples back into scrapes, runs mltop's computation, and every figure must agree within 0.1 %.
# The same real answers also go through mltop's Prometheus decoder (tests/unit/test_prom
# --decode), which must read the rows, values and range samples jq reads.
# Servers run on free 127.0.0.1 ports in a temporary directory and are stopped on exit.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MLTOP_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
sim=${MLTOP_SIM:-$root/mltop-sim}
helper=$build/tests/test_scrape_math
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-prommath.XXXXXX")
simpid="" prompid=""

stop() {
	for p in $simpid $prompid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
}
trap 'stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

fail() {
	echo "prom_math: FAIL: $*" >&2
	[ -s "$tmp/prom.log" ] && tail -n 10 "$tmp/prom.log" >&2
	exit 1
}

for tool in curl jq prometheus; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (make deps)"
done
[ -x "$sim" ] || fail "no simulator at $sim"
[ -x "$helper" ] || fail "no helper at $helper (make check builds it)"
decoder=$build/tests/test_prom
[ -x "$decoder" ] || fail "no decoder at $decoder (make check builds it)"

# retry SECONDS CMD...: CMD every 0.2 s until it succeeds, for at most SECONDS.
retry() {
	deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# the simulator on port $1 (0: any); sets simpid and S
sim_start() {
	: >"$tmp/sim.out"
	"$sim" --port "$1" --seed 11 >"$tmp/sim.out" 2>"$tmp/sim.err" &
	simpid=$!
	retry 10 grep -q '^listening on' "$tmp/sim.out" || fail "the simulator did not start"
	S=$(sed -n '1s|^listening on \(http://127.0.0.1:[0-9]*\).*|\1|p' "$tmp/sim.out")
}
sim_start 0
simport=${S##*:}

cat >"$tmp/prom.yml" <<EOF
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: sim
    static_configs: [{targets: ["127.0.0.1:$simport"]}]
EOF
# Prometheus on a port nobody answers on; another one when it loses the race for it.
for attempt in 1 2 3 4 5; do
	port=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 25000 + 30000))
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && continue
	prometheus --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb$attempt" \
		--web.listen-address="127.0.0.1:$port" --log.level=warn >"$tmp/prom.log" 2>&1 &
	prompid=$!
	P=http://127.0.0.1:$port
	retry 20 curl -sf -o /dev/null "$P/-/ready" && break
	kill "$prompid" 2>/dev/null
	wait "$prompid" 2>/dev/null
	prompid=""
done
[ -n "$prompid" ] || fail "Prometheus would not start"

# q EXPR [TIME]: the data of an instant query
q() {
	curl -sf --max-time 5 --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"} \
		"$P/api/v1/query" | jq -c '.data'
}
samples() { q 'count_over_time(up{job="sim"}[1m])' | jq -r '.result[0].value[1] // 0'; }
has() { [ "$(samples)" -ge "$1" ]; }

retry 30 has 6 || fail "Prometheus does not scrape the simulator"
# a restart on the same port: every counter starts again from zero
kill "$simpid"
wait "$simpid" 2>/dev/null
sim_start "$simport"
retry 30 has 14 || fail "too few scrapes after the restart"

window=12
t=$(q 'timestamp(up{job="sim"})' | jq -r '.result[0].value[1]')
sel='{__name__=~"model_requests_total|model_request_duration_seconds_bucket",job="sim"}'
curl -sf --max-time 10 --data-urlencode "query=${sel}[${window}s]" --data-urlencode "time=$t" \
	"$P/api/v1/query" >"$tmp/raw.json" || fail "the raw samples"
jq -e '[.data.result[].values | length] | min >= 8' "$tmp/raw.json" >/dev/null ||
	fail "too few raw samples in the window"
# a reset must be in the window, or the test proves nothing about resets
resets=$(q "sum(resets(model_requests_total[${window}s]))" "$t" | jq -r '.result[0].value[1]')
[ "${resets%%.*}" -gt 0 ] || fail "no counter reset in the window"

"$helper" --prom "$tmp/raw.json" "$t" "$window" | sort >"$tmp/mltop.txt" || fail "the helper"
[ -s "$tmp/mltop.txt" ] || fail "the helper computed no row"

r="rate(model_requests_total[${window}s])"
b="sum by (le, model, version) (rate(model_request_duration_seconds_bucket[${window}s]))"
: >"$tmp/prom.txt"
fig=0
for expr in "sum by (model, version) ($r)" \
	"sum by (model, version) (rate(model_requests_total{code=~\"5..\"}[${window}s])) / sum by (model, version) ($r)" \
	"histogram_quantile(0.50, $b)" "histogram_quantile(0.95, $b)" "histogram_quantile(0.99, $b)"; do
	fig=$((fig + 1))
	q "$expr" "$t" | jq -r --arg f "$fig" \
		'.result[] | "\(.metric.model)|\(.metric.version) \($f) \(.value[1])"' >>"$tmp/prom.txt"
done
[ -s "$tmp/prom.txt" ] || fail "Prometheus computed nothing"
# Prometheus: "key figure value" (an absent or NaN figure is none); mltop: "model version v1..v5"
# (nan is none). Every figure of every row must be none on both sides or agree within 0.1 %.
awk 'function none(v) { return v == "" || tolower(v) == "nan" }
NR == FNR { p[$1 "#" $2] = $3; keys[$1] = 1; next }
{ k = $1 "|" $2; keys[k] = 1; for (i = 1; i <= 5; i++) m[k "#" i] = $(i + 2) }
END {
	for (k in keys) {
		rows++
		for (i = 1; i <= 5; i++) {
			a = p[k "#" i]; b = m[k "#" i]
			if (none(a) || none(b)) {
				if (none(a) != none(b)) bad = bad " " k "#" i "=" a "/" b
				continue
			}
			d = a - b; if (d < 0) d = -d
			s = a < 0 ? -a : a
			if (d > 0.001 * s && d > 1e-12) bad = bad " " k "#" i "=" a "/" b
			checked++
		}
	}
	if (bad != "") { print "prom_math: FAIL: figures differ (Prometheus/mltop):" bad > "/dev/stderr"; exit 1 }
	if (checked < 10) { print "prom_math: FAIL: only " checked " figures compared" > "/dev/stderr"; exit 1 }
	printf "prom_math: %d figures of %d rows agree with Prometheus within 0.1 %%\n", checked, rows
}' "$tmp/prom.txt" "$tmp/mltop.txt" || exit 1
echo "prom_math: ok"
