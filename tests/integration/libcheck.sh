# shellcheck shell=sh
# Shared by the integration scripts that make one check per command (manpages, install, deb): the
# tree's root in $root, a scratch directory $tmp removed on exit, and
#   check NAME COMMAND...     runs COMMAND; prints "ok   NAME", or "FAIL NAME" and its output
#   catches TEXT COMMAND...   succeeds when COMMAND fails and says TEXT (a check that can fail)
#   check_done NAME           prints how many failed; its status is the script's
# Usage: . "$(dirname "$0")/libcheck.sh"
set -u
# shellcheck disable=SC2034 # used by the scripts that source this file
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0

check() {
	name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then echo "ok   $name"; else
		echo "FAIL $name"
		tail -n 40 "$tmp/out"
		fails=$((fails + 1))
	fi
}

catches() {
	text=$1
	shift
	! "$@" >"$tmp/caught" 2>&1 && grep -qF -- "$text" "$tmp/caught"
}

check_done() {
	echo "$1: $fails failed"
	[ "$fails" -eq 0 ]
}
