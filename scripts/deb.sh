#!/bin/sh
# make deb: the Debian package of mltop, built with debhelper (dpkg-buildpackage, source and binary) from a copy of
# the tree in OUT/mltop-VERSION, so that the work tree stays clean, then checked with lintian
# (a warning or an error fails). The package ends in OUT/mltop_VERSION_ARCH.deb.
# Usage: scripts/deb.sh OUT VERSION (GIT_COMMIT in the environment: the commit built).
set -eu
out=$1
version=$2
for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null || {
		echo "make deb: $tool not installed (make deps installs it)" >&2
		exit 1
	}
done
changelog=$(dpkg-parsechangelog -l debian/changelog -S Version)
[ "$changelog" = "$version" ] || {
	echo "make deb: debian/changelog is at $changelog, the Makefile at $version" >&2
	exit 1
}
src="$out/mltop-$version"
rm -rf "$out"
mkdir -p "$src"
# The tree's files: git's list (tracked and new, not ignored) in a checkout, else all but builds.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -co --exclude-standard | while IFS= read -r f; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done | tar -cf - -T - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude=./build-asan --exclude=./build-fuzz -cf - . |
		tar -xf - -C "$src"
fi
export GIT_COMMIT="${GIT_COMMIT:-unknown}"
# The package builds on its own: DEB_BUILD_OPTIONS sets its parallelism, not the calling make.
unset MAKEFLAGS MFLAGS MAKELEVEL
(cd "$src" && DEB_BUILD_OPTIONS="parallel=${JOBS:-2}" dpkg-buildpackage -us -uc) \
	>"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log"
	echo "make deb: dpkg-buildpackage failed (the whole log: $out/build.log)" >&2
	exit 1
}
deb=$(ls "$out"/mltop_"$version"_*.deb)
set -- --fail-on error,warning --display-info
[ "$(id -u)" -eq 0 ] && set -- "$@" --allow-root # CI and containers run as root
# The .changes names the source package and the binary one: lintian checks both.
lintian "$@" "$out"/mltop_"$version"_*.changes
echo "make deb: $deb"
