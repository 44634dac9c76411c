# shellcheck shell=sh
# Shared by the tmux end-to-end tests: a private tmux server, waiting for text with a deadline
# (never a fixed sleep), and cleanup of everything a test started, whatever happens.
# Usage: . tests/e2e/lib.sh ; e2e_start 120 40 ./mltop ... ; e2e_wait "text" ; e2e_keys q ; e2e_done
# E2E_KEEP=1 keeps the test's files (sanitizer reports, caches) and says where.
set -u
BUILD=${MLTOP_BUILD:-build}
E2E_SOCK="mltop-e2e-$$"
E2E_TMP=$(mktemp -d)
E2E_FAILS=0
E2E_PIDS=""
export XDG_CONFIG_HOME="$E2E_TMP/config" XDG_CACHE_HOME="$E2E_TMP/cache"
unset MLFLOW_TRACKING_URI MLFLOW_TRACKING_TOKEN MLFLOW_TRACKING_USERNAME MLFLOW_TRACKING_PASSWORD
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

e2e_cleanup() {
	tmux -L "$E2E_SOCK" kill-server 2>/dev/null
	for p in $E2E_PIDS; do kill "$p" 2>/dev/null; done
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "e2e: files kept in $E2E_TMP"
	else
		rm -rf "$E2E_TMP"
	fi
}
trap e2e_cleanup EXIT INT TERM

# e2e_start COLS ROWS CMD...: runs CMD in a new tmux session of that size.
e2e_start() {
	cols=$1 rows=$2
	shift 2
	rm -f "$E2E_TMP/before-keys"
	tmux -L "$E2E_SOCK" -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $*; echo EXITED \$? ; sleep 30"
	tmux -L "$E2E_SOCK" set-option -t t status off >/dev/null
}

e2e_screen() { tmux -L "$E2E_SOCK" capture-pane -p -t t 2>/dev/null; }
# E2E_AUDIT=1: e2e_keys keeps the screen it sends to, and e2e_wait says when the text it waits
# for was already on it (a wait that cannot fail, unless it checks that something stays).
e2e_keys() {
	[ "${E2E_AUDIT:-0}" = 1 ] && e2e_screen >"$E2E_TMP/before-keys"
	tmux -L "$E2E_SOCK" send-keys -t t "$@"
}
e2e_audit() {
	[ "${E2E_AUDIT:-0}" = 1 ] && [ -f "$E2E_TMP/before-keys" ] &&
		grep -qF -- "$1" "$E2E_TMP/before-keys" &&
		echo "AUDIT: '$1' was on the screen before the keys"
	return 0
}
e2e_resize() { tmux -L "$E2E_SOCK" resize-window -t t -x "$1" -y "$2"; }

# e2e_shows -F|-E TEXT: the screen shows TEXT (a fixed string, or an extended regex).
e2e_shows() { e2e_screen | grep -q "$1" -- "$2"; }

# e2e_wait TEXT [SECONDS]: until the screen shows TEXT (a fixed string) or the deadline passes.
e2e_wait() {
	e2e_audit "$1"
	e2e_until $((${2:-10} * 1000)) e2e_shows -F "$1"
}

# e2e_wait_re REGEX [SECONDS]: until the screen matches the extended regular expression.
e2e_wait_re() { e2e_until $((${2:-10} * 1000)) e2e_shows -E "$1"; }

# e2e_running: the program the pane started still runs (or is stopped): the pane's shell has a
# child other than the sleep that follows the program's end.
e2e_running() {
	e2e_pane_=$(tmux -L "$E2E_SOCK" display-message -p -t t '#{pane_pid}' 2>/dev/null) || return 1
	# shellcheck disable=SC2009 # every child but one name: not what pgrep matches
	ps -o comm= --ppid "$e2e_pane_" 2>/dev/null | grep -qv '^sleep$'
}

# e2e_wait_gone TEXT [SECONDS]: until TEXT is no longer on the screen, and the program still
# runs (a crash takes everything off the screen: that is not what a test waits for).
e2e_wait_gone() {
	e2e_wait_gone_shell "$@" && e2e_running
}

# e2e_wait_gone_shell TEXT [SECONDS]: until TEXT is no longer on the screen, whether the program
# still runs or not (it ended and gave the terminal back).
e2e_wait_gone_shell() { e2e_until $((${2:-10} * 1000)) e2e_lacks "$1"; }
e2e_lacks() { ! e2e_shows -F "$1"; }

# e2e_demo COLS ROWS: ./mltop --demo in a new tmux session of that size, checked to list the
# demo's experiments.
e2e_demo() {
	e2e_start "$1" "$2" "$PWD/mltop --demo"
	check "the demo lists its experiments" e2e_wait "churn-weekly"
}

# e2e_footer_has TEXT: the last line of the screen (the footer) shows TEXT (a fixed string).
e2e_footer_has() { e2e_screen | tail -n 1 | grep -qF -- "$1"; }

# ---- mltop under ASan+UBSan (the flow and random-key tests) ----
# The sanitizer build is $BUILD/asan/mltop (make asan-bin; `make check` builds it); under
# scripts/asan-leaks.sh the whole build is already sanitized and ./mltop is used. ASan writes its
# reports to $E2E_SAN/asan.<pid> (log_path, mltop-sim's too); UBSan, which ignores log_path when
# it runs inside ASan, writes to mltop's stderr, $E2E_SAN/stderr.
E2E_SAN="$E2E_TMP/san"
E2E_SAN_N=0
E2E_SAN_MLTOP="$PWD/$BUILD/asan/mltop"
[ -x "$E2E_SAN_MLTOP" ] || E2E_SAN_MLTOP="$PWD/mltop"

# e2e_start_san COLS ROWS ARGS...: the sanitizer build of mltop with ARGS in a new tmux session;
# its pid in $E2E_TMP/pid, its reports in a new $E2E_SAN.
e2e_start_san() {
	cols=$1 rows=$2
	shift 2
	E2E_SAN_N=$((E2E_SAN_N + 1))
	E2E_SAN="$E2E_TMP/san.$E2E_SAN_N"
	mkdir -p "$E2E_SAN"
	rm -f "$E2E_TMP/pid"
	cat >"$E2E_TMP/run-san.sh" <<-RUN
		echo \$\$ >"$E2E_TMP/pid"
		export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$E2E_SAN/asan"
		export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0"
		export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
		cd "$E2E_TMP" || exit 1 # what random keys export lands here, not in the work tree
		exec "$E2E_SAN_MLTOP" $* 2>>"$E2E_SAN/stderr"
	RUN
	e2e_start "$cols" "$rows" sh "$E2E_TMP/run-san.sh"
	e2e_until 5000 test -s "$E2E_TMP/pid"
}

# e2e_san_report: prints the sanitizer reports written so far; fails when there is none.
e2e_san_report() {
	found=1
	for f in "$E2E_SAN"/asan.*; do
		[ -f "$f" ] || continue
		echo "---- $f ----"
		head -n 40 "$f"
		found=0
	done
	if grep -qE 'runtime error|ERROR: (Address|Leak)Sanitizer' "$E2E_SAN/stderr" 2>/dev/null; then
		echo "---- mltop's stderr ----"
		sed -n '/runtime error\|ERROR: [A-Za-z]*Sanitizer/,$p' "$E2E_SAN/stderr" | head -n 40
		found=0
	fi
	return $found
}

# e2e_alive: the mltop started by e2e_start_san still runs and no sanitizer has reported.
e2e_alive() {
	e2e_pid_=$(cat "$E2E_TMP/pid" 2>/dev/null)
	[ -n "$e2e_pid_" ] && kill -0 "$e2e_pid_" 2>/dev/null && ! e2e_san_report >/dev/null
}

# check NAME COMMAND...: one assertion; the screen is printed when it fails.
check() {
	name=$1
	shift
	if "$@"; then
		echo "ok   $name"
	else
		echo "FAIL $name"
		echo "---- screen ----"
		e2e_screen
		echo "----------------"
		E2E_FAILS=$((E2E_FAILS + 1))
	fi
}

e2e_done() {
	echo "$(basename "$0"): $E2E_FAILS failed"
	[ "$E2E_FAILS" -eq 0 ]
}

# e2e_stop: ends the tmux server and waits until it is gone, so that the next e2e_start gets a
# fresh one.
e2e_stop() {
	tmux -L "$E2E_SOCK" kill-server 2>/dev/null
	deadline=$(($(date +%s%N) / 1000000 + 5000))
	while tmux -L "$E2E_SOCK" has-session 2>/dev/null ||
		[ -S "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$E2E_SOCK" ]; do
		[ "$(($(date +%s%N) / 1000000))" -gt "$deadline" ] && break
		sleep 0.05
	done
}

# e2e_until MS COMMAND...: until COMMAND succeeds or MS milliseconds have passed.
e2e_until() {
	deadline=$(($(date +%s%N) / 1000000 + $1))
	shift
	while [ "$(($(date +%s%N) / 1000000))" -lt "$deadline" ]; do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# e2e_pid_gone PID: the process no longer exists.
e2e_pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# e2e_sim NAME ARGS...: mltop-sim on a free loopback port, with a fixed clock; sets SIM_PID and
# SIM_URL from its first line, and is stopped with the test.
e2e_sim() {
	out="$E2E_TMP/$1.out"
	shift
	"$PWD/mltop-sim" --port 0 --time-scale 0 --start-ms 1790000000000 "$@" >"$out" 2>/dev/null &
	SIM_PID=$!
	E2E_PIDS="$E2E_PIDS $SIM_PID"
	e2e_until 5000 grep -q "^listening on http://127.0.0.1:" "$out" || return 1
	# shellcheck disable=SC2034 # for the test that sourced this file
	SIM_URL=$(sed -n 's|^listening on ||p' "$out" | head -n 1)
}

# ---- writes against mltop-sim (the rollout tests) ----
# e2e_sim_args: the options that point mltop at every server of the simulator e2e_sim started.
e2e_sim_args() {
	echo "--mlflow $SIM_URL --kserve $SIM_URL --namespace models --scrape $SIM_URL/metrics" \
		"--alertmanager $SIM_URL --samples $SIM_URL/samples"
}

# e2e_write_sim NAME: the simulator the rollout tests write to (seed 7, its clock 30 times faster
# so that a new revision is ready and a canary's error ratio shows within seconds), its state at
# the start in $E2E_TMP/state0; the test ends when it does not start.
e2e_write_sim() {
	e2e_sim "$1" --seed 7 --time-scale 30 || {
		echo "FAIL the simulator did not start"
		exit 1
	}
	e2e_sim_state "$E2E_TMP/state0"
}

# e2e_sim_post PATH JSON: a POST of JSON to the simulator (its control API: /-/sim/faults,
# /-/sim/advance); fails unless it answers 200.
e2e_sim_post() {
	[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d "$2" "$SIM_URL$1")" = 200 ]
}

# e2e_sim_state FILE: what the simulator's servers hold (GET /-/sim/state), into FILE.
e2e_sim_state() { curl -s "$SIM_URL/-/sim/state" >"$1"; }

# e2e_sim_rv NAME: the resourceVersion of the InferenceService NAME, as the simulator holds it.
e2e_sim_rv() {
	curl -s "$SIM_URL/-/sim/state" | python3 -c '
import json, sys
print(next(s["resourceVersion"] for s in json.load(sys.stdin)["inferenceservices"]
           if s["name"] == sys.argv[1]))' "$1"
}

# e2e_typed TEXT: TEXT typed as it is (no key names).
e2e_typed() { tmux -L "$E2E_SOCK" send-keys -t t -l -- "$1"; }

# e2e_plan KEY TITLE NAME: KEY opens the plan dialog TITLE on the InferenceService NAME, planned on
# the resourceVersion the simulator holds now. The controller's status updates move it while a
# revision gets ready, and mltop reads it again every refresh: a plan made on an older one (it
# would be refused) is cancelled and KEY pressed again, until the deadline.
e2e_plan() {
	e2e_plan_end_=$(($(date +%s) + 20)) # not e2e_until: the waits inside use its deadline
	until e2e_plan_once "$@"; do
		[ "$(date +%s)" -lt "$e2e_plan_end_" ] || return 1
	done
}
e2e_plan_once() {
	e2e_plan_rv_=$(e2e_sim_rv "$3")
	e2e_keys "$1"
	e2e_wait "$2" 5 || return 1
	e2e_shows -F "(resourceVersion $e2e_plan_rv_)," && return 0
	e2e_keys Escape
	e2e_wait_gone "$2" 5
	return 1
}
