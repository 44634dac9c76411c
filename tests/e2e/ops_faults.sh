#!/bin/sh
# The ops sources misbehaving while mltop shows them (docs/reliability.md, backends misbehaving),
# through the simulator's fault control: KServe, the scraped /metrics, Alertmanager and the
# samples, all four at once, with an HTML 502 from a proxy, a plain-text 401, a reset, garbage, a
# truncated body, a body over the cap and a reply that stalls past the client's timeout. Each time
# the header says the source is down (slow while it stalls), each panel says what is wrong in one
# line with the source and the HTTP status (Serving for KServe and the scrape, Alerts for
# Alertmanager, Samples for the samples), the data shown before stays and is marked stale, the
# keys answer, and once the fault is cleared every source comes back by itself, with no key.
# Then Prometheus (503 while it starts, its JSON error bodies, an HTML 502) and a host that does
# not resolve, each in a mltop of its own while the first one runs.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_sim ops --time-scale 30 --alerts 5 || { echo "FAIL the simulator did not start"; exit 1; }
U=$SIM_URL
OPS="/apis/ /metrics /api/v2/ /samples"

fault() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$U/-/sim/faults" >/dev/null; }
# fault_ops JSON: the fault (without its prefix) on the four ops sources at once.
fault_ops() { for p in $OPS; do fault "{\"prefix\":\"$p\",$1}"; done; }
# clear_faults "PREFIX...": the faults of those prefixes only.
clear_faults() { for p in $1; do curl -s -X DELETE "$U/-/sim/faults?prefix=$p" >/dev/null; done; }
rates() { e2e_screen | grep -qE "churn-classifier .* [0-9]+\.[0-9] +[0-9]+\.[0-9]"; }
down() { e2e_screen | head -n 1 | grep -qF "$1 ● down"; }
all_down() { down kserve && down scrape && down alertmanager && down samples; }
none_down() { ! e2e_screen | head -n 1 | grep -qF "● down"; }

# ---- Prometheus and DNS: a second tmux server, a second mltop, while the first one runs ----
side() {
	E2E_SOCK="$E2E_SOCK-side"
	E2E_FAILS=0
	e2e_sim side --alerts 5 || { echo "FAIL the second simulator did not start"; return 1; }
	echo "$SIM_PID" >"$E2E_TMP/side.sim"
	U=$SIM_URL
	P='{"prefix":"/api/v1/","kind":"status",'
	e2e_start 150 20 "$MLTOP --cache $E2E_TMP/prom.db --prometheus $U --kserve $U --namespace models --alertmanager $U --refresh 1"
	e2e_keys 3
	check "Prometheus: the deployments (from KServe)" e2e_wait "search-ranking" 15
	check "Prometheus: down, the simulator has no query API" e2e_wait "prometheus down: Prometheus 404" 15
	# prom_case NAME FAULT TEXT: r (Prometheus has never answered: its backoff is long), then
	# the one line in Serving and in Alerts, the deployments still there.
	prom_case() {
		fault "$2"
		e2e_keys r
		check "Prometheus $1: Serving says it in one line" e2e_wait "prometheus down: $3" 15
		check "Prometheus $1: the deployments stay" e2e_wait "search-ranking"
		e2e_keys 4
		check "Prometheus $1: so does Alerts" e2e_wait_re "^ $3"
		check "Prometheus $1: the drift from the alerts" e2e_wait "drift scores from the alerts"
		e2e_keys 3
		check "Prometheus $1: keys answer" e2e_wait "DEPLOYMENT"
	}
	prom_case "503 while starting" "$P"'"status":503,"body":"Service Unavailable"}' \
		"Prometheus 503: starting up, not ready yet"
	prom_case "503 JSON" "$P"'"status":503,"content_type":"application/json","body":"{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}"}' \
		"Prometheus 503 unavailable: TSDB not ready"
	prom_case "400 bad_data" "$P"'"status":400,"content_type":"application/json","body":"{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 5\"}"}' \
		"Prometheus 400 bad_data: parse error at char 5"
	prom_case "HTML 502" "$P"'"status":502,"content_type":"text/html","body":"<html><body><h1>502 Bad Gateway</h1></body></html>"}' \
		"Prometheus 502 Bad Gateway"
	check "Prometheus HTML 502: no HTML on the screen" e2e_wait_gone "<html>"
	clear_faults /api/v1/
	e2e_keys r
	check "Prometheus cleared: back to its own answer" e2e_wait "prometheus down: Prometheus 404" 15
	e2e_keys q
	check "Prometheus: quits" e2e_wait "EXITED 0" 5
	e2e_stop

	e2e_start 150 12 "sh -c 'echo \$\$ >$E2E_TMP/dns.pid; exec $MLTOP --cache $E2E_TMP/dns.db --alertmanager http://no-such-host.invalid:9093 --refresh 1'"
	e2e_keys 4
	check "DNS: the host that does not resolve, in one line" \
		e2e_wait "Alertmanager: cannot resolve host (no-such-host.invalid:9093)" 5
	check "DNS: the header says down" e2e_wait "alertmanager ● down"
	check "DNS: nothing cached to show" e2e_wait "Not cached for this server, and Alertmanager did not answer."
	e2e_keys '?'
	check "DNS: keys answer (?)" e2e_wait "Keys · Alerts"
	e2e_keys Escape 5
	check "DNS: and another tab" e2e_wait "Samples needs"
	# Retried with backoff, not in a loop: after 8 s mltop has used well under a second of CPU.
	t0=$(date +%s)
	e2e_until 9000 [ $(($(date +%s) - t0)) -ge 8 ]
	cpu=$(awk '{print $14 + $15}' "/proc/$(cat "$E2E_TMP/dns.pid")/stat")
	check "DNS: no retry storm ($cpu ticks of CPU in 8 s)" [ "$cpu" -lt 50 ]
	e2e_keys q
	check "DNS: quits" e2e_wait "EXITED 0" 5
	e2e_stop
	kill "$SIM_PID"
	[ "$E2E_FAILS" -eq 0 ]
}
side >"$E2E_TMP/side.out" 2>&1 &
SIDE=$!

# ---- the ops sources ----
e2e_start 170 30 "$MLTOP --cache $E2E_TMP/ops.db --alertmanager $U --kserve $U --namespace models --scrape $U/metrics --samples $U/samples --refresh 1"
e2e_keys 5
check "Samples: the simulator's failed samples" e2e_wait "churn-classifier" 15
# newest: the time of the newest sample on the screen, in $first (new ones come all the time)
newest() {
	first=$(e2e_screen | awk '$1 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ {print $1; exit}')
	check "Samples: the newest sample's time ($first)" [ -n "$first" ]
}
e2e_keys 4
check "Alerts: the alerts" e2e_wait "bench-model-000" 15
e2e_keys 3
check "Serving: the rates, after two scrapes" e2e_until 20000 rates

# ops_case NAME FAULT KSERVE SCRAPE ALERTMANAGER SAMPLES: the fault on the four, then the
# header and each panel's one line, the data shown before still there and stale, keys that
# answer; the fault cleared, every source back by itself.
ops_case() {
	e2e_keys 5
	newest
	fault_ops "$2"
	check "$1: the header says the four are down" e2e_until 15000 all_down
	e2e_keys 3
	check "$1: Serving names KServe" e2e_wait "kserve down: $3"
	check "$1: and the scrape" e2e_wait "scrape down: target 1 of 1: $4"
	check "$1: Serving is stale" e2e_wait_re "Serving › .* stale: data from"
	check "$1: the rates stay" rates
	e2e_keys j
	check "$1: keys answer in Serving" e2e_wait "row 2 of 3"
	e2e_keys k 4
	check "$1: Alerts says it in one line" e2e_wait "$5"
	check "$1: Alerts is stale" e2e_wait "the alerts shown are stale"
	check "$1: the alerts stay" e2e_wait "bench-model-000"
	e2e_keys G
	check "$1: keys answer in Alerts" e2e_wait "alert 5 of 5"
	e2e_keys g 5
	check "$1: Samples says it in one line" e2e_wait "$6"
	check "$1: Samples is stale" e2e_wait_re "Samples · .* stale: data from"
	check "$1: the samples stay" e2e_wait "$first"
	e2e_keys '?'
	check "$1: ? opens the help" e2e_wait "Keys · Samples"
	e2e_keys Escape
	check "$1: and closes it" e2e_wait_gone "Keys · Samples"
	check "$1: no HTML on the screen" e2e_wait_gone "<html>" 1
	clear_faults "$OPS"
	check "$1: cleared, every source comes back by itself" e2e_until 20000 none_down
	check "$1: Samples is fresh again" e2e_wait_gone "stale: data from" 10
}

ops_case "HTML 502" '"kind":"status","status":502,"content_type":"text/html","body":"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body></html>"' \
	"KServe 502 Bad Gateway" "scrape 502 Bad Gateway" "Alertmanager 502 Bad Gateway" "samples 502 Bad Gateway"
ops_case "plain 401" '"kind":"status","status":401,"content_type":"text/plain","body":"Unauthorized: token expired"' \
	"KServe 401 Unauthorized" "scrape 401 Unauthorized: Unauthorized: token expired" \
	"Alertmanager 401 Unauthorized: Unauthorized: token expired" "samples 401 Unauthorized: Unauthorized: token expired"
ops_case "reset" '"kind":"reset"' "KServe: empty reply" "scrape: empty reply" "Alertmanager: empty reply" "samples: empty reply"
ops_case "truncated" '"kind":"truncate"' "KServe: connection closed in the middle of the body" \
	"scrape: connection closed in the middle" "Alertmanager: connection closed in the middle" "samples: connection closed in the middle"
ops_case "over the cap" '"kind":"oversize","mib":80' "KServe 200: response body over the size cap" \
	"scrape 200: response body over the size cap" "Alertmanager 200: response body over the size cap" \
	"samples 200: response body over the size cap"

# Garbage: KServe, the scrape and Alertmanager fail; the samples keep their good lines and count
# the bad ones (a line that is not JSON never drops the rest).
e2e_keys 5
newest
fault_ops '"kind":"garbage"'
three_down() { down kserve && down scrape && down alertmanager; }
check "garbage: the header says the three are down" e2e_until 15000 three_down
e2e_keys 3
check "garbage: KServe, not JSON" e2e_wait "kserve down: KServe" 15
check "garbage: the scrape, not the exposition format" e2e_wait "scrape 200: not the text exposition format" 15
check "garbage: the rates stay" rates
e2e_keys 4
check "garbage: Alertmanager, not JSON" e2e_wait_re "^ Alertmanager.*: invalid JSON" 15
check "garbage: the alerts stay, stale" e2e_wait "the alerts shown are stale"
e2e_keys 5
check "garbage: the samples count a bad line" e2e_wait "bad line" 15
check "garbage: and keep the others" e2e_wait "$first"
clear_faults "$OPS"
check "garbage cleared: every source comes back by itself" e2e_until 20000 none_down

# A reply that stalls past the client's 15 s: slow at once, keys answer all along, down after.
fault_ops '"kind":"delay","delay_ms":17000'
e2e_keys 3
check "stall: the header says slow before any timeout" e2e_wait "kserve ● slow" 10
e2e_keys 4 j 5
check "stall: keys answer while it stalls" e2e_wait "Samples · "
e2e_keys '?'
check "stall: ? too" e2e_wait "Keys · Samples"
e2e_keys Escape
check "stall: the data ages" e2e_wait_re "(updated|stale: data from) (1[0-9]|[2-9][0-9])s ago" 20
check "stall: down after the timeout" e2e_until 20000 all_down
check "stall: Samples says so in one line" e2e_wait "samples: no answer within 15 s"
e2e_keys 3
check "stall: Serving too" e2e_wait "kserve down: KServe: no answer within 15 s"
e2e_keys 4
check "stall: and Alerts" e2e_wait "Alertmanager: no answer within 15 s"
clear_faults "$OPS"
check "stall cleared: every source comes back by itself" e2e_until 25000 none_down
e2e_keys q
check "quits" e2e_wait "EXITED 0" 5
e2e_stop

wait "$SIDE"
side_rc=$?
tmux -L "$E2E_SOCK-side" kill-server 2>/dev/null
kill "$(cat "$E2E_TMP/side.sim" 2>/dev/null)" 2>/dev/null
sed 's/^/  /' "$E2E_TMP/side.out"
check "Prometheus and DNS" [ "$side_rc" -eq 0 ]
e2e_done
