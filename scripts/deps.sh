#!/bin/sh
# Installs the Debian packages mltop needs to build, run and test, when they are missing.
# Idempotent, and quick when everything is already there (no apt-get at all then).
set -eu
list="$(dirname "$0")/debian-packages"
missing=""
# shellcheck disable=SC2013 # one package name a line, no spaces
for p in $(grep -v '^#' "$list"); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "mltop: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "mltop: run 'make deps' as root (or install these packages with sudo apt-get install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
