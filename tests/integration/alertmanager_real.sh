#!/bin/sh
# The Alertmanager client against a real Alertmanager: starts prometheus-alertmanager on a free
# 127.0.0.1 port (no cluster, a temporary storage directory) and runs the client's test
# (build/tests/test_alertmanager_real, which uses amtool to cross-check the silences it makes),
# then stops the server, whatever happens.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MLTOP_BUILD:-build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
bin=$build/tests/test_alertmanager_real
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-amreal.XXXXXX")
pid=""

trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

fail() {
	echo "alertmanager_real: FAIL: $*" >&2
	[ -s "$tmp/am.log" ] && { echo "--- am.log" >&2; tail -n 15 "$tmp/am.log" >&2; }
	exit 1
}

for tool in curl amtool prometheus-alertmanager; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (make deps)"
done
[ -x "$bin" ] || fail "no $bin (make unit)"


# A random port from 20000 to 49999; a port somebody holds makes Alertmanager exit at once (it
# cannot bind), and the next one is tried. Ready means this process answers /-/ready.
port=""
for attempt in 1 2 3 4 5 6 7 8; do
	p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000))
	prometheus-alertmanager --config.file="$root/tests/fixtures/alertmanager/am.yml" --storage.path="$tmp/data" \
		--web.listen-address="127.0.0.1:$p" --cluster.listen-address= >"$tmp/am.log" 2>&1 &
	pid=$!
	limit=$(($(date +%s) + 20))
	while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$limit" ]; do
		if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$p/-/ready" &&
			kill -0 "$pid" 2>/dev/null; then
			port=$p
			break
		fi
		sleep 0.2
	done
	[ -n "$port" ] && break
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
	echo "alertmanager_real: not ready on $p (attempt $attempt)" >&2
done
[ -n "$port" ] || fail "Alertmanager would not start"

MLTOP_AM_URL="http://127.0.0.1:$port" "$bin" || fail "the client test failed"
echo "alertmanager_real: ok"
