#!/bin/sh
# make deb: a Debian package built with debhelper and lintian clean (make deb fails otherwise),
# with the files of make install under /usr, the version of debian/changelog, an mltop that runs
# from a scratch root where it was extracted (--version, its themes found under that root's
# /usr), dependencies apt can resolve here (a simulated install), and a work tree left as it was.
# Skipped, saying so, where the Debian tools are missing.
for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null || {
		echo "skipped: $tool not installed (make deps installs it)"
		exit 0
	}
done
# shellcheck source=tests/integration/libcheck.sh
. "$(dirname "$0")/libcheck.sh"
cd "$root" || exit 1
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" LC_ALL=C.UTF-8
before=$(git status --porcelain 2>/dev/null)

check "make deb builds the package, lintian clean" make -s deb DEBDIR="$tmp/deb"
deb=$(find "$tmp/deb" -maxdepth 1 -name 'mltop_*.deb' | head -n 1)
[ -n "$deb" ] || {
	echo "FAIL no package in $tmp/deb"
	exit 1
}
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
check "the package is mltop $version" sh -c \
	"[ \"\$(dpkg-deb -f '$deb' Package Version | tr '\n' ' ')\" = 'Package: mltop Version: $version ' ]"
dpkg-deb --contents "$deb" | awk '{ print $6 }' | grep -v '/$' | sort >"$tmp/contents"
has() { grep -qx "./usr/$1" "$tmp/contents" || { echo "no /usr/$1 in:"; cat "$tmp/contents"; return 1; }; }
for f in bin/mltop bin/mltop-sim share/man/man1/mltop.1.gz share/man/man1/mltop-sim.1.gz \
	share/mltop/themes/high-contrast.ini share/doc/mltop/config.example.ini \
	share/doc/mltop/copyright share/bash-completion/completions/mltop \
	share/zsh/vendor-completions/_mltop; do
	check "dpkg-deb --contents lists /usr/$f" has "$f"
done

dpkg-deb -x "$deb" "$tmp/root"
check "mltop --version from the extracted root says $version" sh -c \
	"'$tmp/root/usr/bin/mltop' --version | head -n 1 | grep -q '^mltop $version (commit '"
check "mltop-sim --version from the extracted root" sh -c \
	"'$tmp/root/usr/bin/mltop-sim' --version | grep -q '^mltop-sim $version'"
check "the extracted mltop draws with a theme of its root" \
	"$tmp/root/usr/bin/mltop" --snapshot --size 80x24 --theme high-contrast
check "its man page renders" sh -c \
	"zcat '$tmp/root/usr/share/man/man1/mltop.1.gz' | groff -man -Tutf8 -ww -z 2>&1 | (! grep -q .)"
if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
	check "apt resolves its dependencies (a simulated install)" sh -c \
		"apt-get install -s '$deb' | grep -q '^Inst mltop '"
else
	echo "skipped: a simulated install needs apt-get as root"
fi
check "the work tree is left as it was" sh -c \
	"[ \"\$(git status --porcelain 2>/dev/null)\" = '$before' ]"
check_done deb
