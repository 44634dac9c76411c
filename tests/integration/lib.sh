# shellcheck shell=sh
# Shared by the integration scripts that start real servers on loopback: waiting with a deadline
# and a free port. Usage: . "$root/tests/integration/lib.sh"

# until_ok SECONDS CMD...: runs CMD every 0.2 s until it succeeds or SECONDS have passed.
until_ok() {
	limit=$(($(date +%s) + $1))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -ge "$limit" ] && return 1
		sleep 0.2
	done
}

# A loopback port nobody answers on.
free_port() {
	while :; do
		p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000))
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" 2>/dev/null
		[ $? -eq 7 ] && { echo "$p"; return; }
	done
}

# ---- the pipeline: mltop-sim -> Prometheus (the shipped rules) -> Alertmanager ----
# pipe_setup NAME TOOL...: for the script NAME, $tmp (a directory removed on exit) and $pids (the
# servers started, stopped on exit); fail when a TOOL is not on PATH. fail MESSAGE says NAME:
# FAIL, the last lines of the servers' logs and, when the script defines it, what fail_more
# prints, then exits 1. A script with more to stop sets its own EXIT trap calling pipe_cleanup.
pipe_setup() {
	pipe_name=$1
	shift
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-$pipe_name.XXXXXX")
	pids=""
	trap pipe_cleanup EXIT
	trap 'exit 130' INT TERM HUP
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (make deps)"
	done
}

pipe_cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}

fail() {
	echo "$pipe_name: FAIL: $*" >&2
	for log in sim.err prom.log am.log; do
		[ -s "$tmp/$log" ] && { echo "--- $log" >&2; tail -n 15 "$tmp/$log" >&2; }
	done
	if command -v fail_more >/dev/null 2>&1; then fail_more >&2; fi
	exit 1
}

# The scripts that source this set $root (the repository) and $sim (mltop-sim), then call
# pipe_setup.
# shellcheck disable=SC2154 # root, sim and tmp are the sourcing script's

# pipe_serve NAME PATH CMD...: runs CMD, @PORT replaced by a free port, until PATH answers on
# that port (its output in $tmp/NAME.log); on another port when the server dies first (somebody
# took the port meanwhile). Sets $port.
pipe_serve() {
	name=$1 path=$2
	shift 2
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		cmd=$(echo "$*" | sed "s/@PORT/$port/g")
		sh -c "exec $cmd" >"$tmp/$name.log" 2>&1 &
		pid=$!
		pids="$pids $pid"
		url=http://127.0.0.1:$port$path
		until_ok 20 sh -c "! kill -0 $pid 2>/dev/null || curl -sf -o /dev/null --max-time 2 $url"
		kill -0 "$pid" 2>/dev/null && curl -sf -o /dev/null --max-time 2 "$url" && return 0
		echo "$name did not start on $port (attempt $attempt)" >&2
	done
	fail "$name would not start"
}

# pipe_sim: mltop-sim --seed 7 on a free port (its output in $tmp/sim.out and sim.err); sets S.
# shellcheck disable=SC2154 # root, sim and tmp are the sourcing script's
pipe_sim() {
	"$sim" --port 0 --seed 7 >"$tmp/sim.out" 2>"$tmp/sim.err" &
	pids="$pids $!"
	until_ok 10 grep -qs '^listening on http://127.0.0.1:[0-9]' "$tmp/sim.out" ||
		fail "the simulator did not start"
	S=$(sed -n '1s|^listening on ||p' "$tmp/sim.out")
}

# pipe_alertmanager: Alertmanager with the route of tests/fixtures/alertmanager/am.yml (group by
# alertname and model, a critical alert inhibits the warning of the same ones); sets A.
# shellcheck disable=SC2154 # root, sim and tmp are the sourcing script's
pipe_alertmanager() {
	pipe_serve am /-/ready prometheus-alertmanager \
		--config.file="$root/tests/fixtures/alertmanager/am.yml" --storage.path="$tmp/amdata" \
		--web.listen-address=127.0.0.1:@PORT --cluster.listen-address= --log.level=warn
	A=http://127.0.0.1:$port
}

# pipe_prometheus: Prometheus scraping $S every second with the shipped alerting rules (their
# `for:` durations, meant for production, set to 0 s so that they fire at once), sending the
# alerts to $A when it is set; sets P.
# shellcheck disable=SC2154 # root, sim and tmp are the sourcing script's
pipe_prometheus() {
	sed 's/^\( *\)for: .*/\1for: 0s/' "$root/contrib/prometheus/mltop-rules.yml" >"$tmp/rules.yml"
	{
		echo "global: {scrape_interval: 1s, evaluation_interval: 1s}"
		echo "rule_files: [\"$tmp/rules.yml\"]"
		if [ -n "${A:-}" ]; then
			echo "alerting:"
			echo "  alertmanagers: [{static_configs: [{targets: [\"${A#http://}\"]}]}]"
		fi
		echo "scrape_configs:"
		echo "  - job_name: mltop-sim"
		echo "    static_configs: [{targets: [\"${S#http://}\"]}]"
	} >"$tmp/prom.yml"
	pipe_serve prom /-/ready prometheus --config.file="$tmp/prom.yml" \
		--storage.tsdb.path="$tmp/tsdb" --web.listen-address=127.0.0.1:@PORT --log.level=warn
	# shellcheck disable=SC2034 # for the script that sourced this file
	P=http://127.0.0.1:$port
}
