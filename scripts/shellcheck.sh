#!/bin/sh
# make shellcheck: every shell script of the project through shellcheck (all severities), sourced
# files followed (tests/e2e/lib.sh).
set -u
command -v shellcheck >/dev/null || {
	echo "shellcheck: not installed (Debian: apt-get install shellcheck; make deps)" >&2
	exit 1
}
files=""
for f in tests/run.sh tests/e2e/*.sh tests/integration/*.sh scripts/*.sh bench/*.sh .ci/run \
	contrib/*-hook tests/fixtures/hook/*.sh; do
	[ -f "$f" ] && files="$files $f"
done
# shellcheck disable=SC2086 # a list of paths without spaces
set -- $files
shellcheck -x "$@" || exit 1
echo "shellcheck: clean ($# scripts)"
