# Shared by the tmux end-to-end tests: a private tmux server, waiting for text with a deadline
# (never a fixed sleep), and cleanup of everything a test started, whatever happens.
# Usage: . tests/e2e/lib.sh ; e2e_start 120 40 ./mltop ... ; e2e_wait "text" ; e2e_keys q ; e2e_done
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
	rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT INT TERM

# e2e_start COLS ROWS CMD...: runs CMD in a new tmux session of that size.
e2e_start() {
	cols=$1 rows=$2
	shift 2
	tmux -L "$E2E_SOCK" -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $*; echo EXITED \$? ; sleep 30"
	tmux -L "$E2E_SOCK" set-option -t t status off >/dev/null
}

e2e_screen() { tmux -L "$E2E_SOCK" capture-pane -p -t t 2>/dev/null; }
e2e_keys() { tmux -L "$E2E_SOCK" send-keys -t t "$@"; }
e2e_resize() { tmux -L "$E2E_SOCK" resize-window -t t -x "$1" -y "$2"; }

# e2e_wait TEXT [SECONDS]: until the screen shows TEXT (a fixed string) or the deadline passes.
e2e_wait() {
	deadline=$(($(date +%s%N) / 1000000 + ${2:-10} * 1000))
	while [ "$(($(date +%s%N) / 1000000))" -lt "$deadline" ]; do
		e2e_screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# e2e_wait_gone TEXT [SECONDS]: until TEXT is no longer on the screen.
e2e_wait_gone() {
	deadline=$(($(date +%s%N) / 1000000 + ${2:-10} * 1000))
	while [ "$(($(date +%s%N) / 1000000))" -lt "$deadline" ]; do
		e2e_screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
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
	SIM_URL=$(sed -n 's|^listening on ||p' "$out" | head -n 1)
}
