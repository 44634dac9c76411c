#!/bin/sh
# check-manpage.sh PROGRAM PAGE: the options that `PROGRAM --help` lists (each help line that
# starts with an option) and those that PAGE documents (each item of its OPTIONS section) are the
# same; prints each one missing on either side, fails when there is one.
set -u
prog=$1
page=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$prog" --help | sed -n 's/^  *\(--*[a-z0-9][a-z0-9-]*\).*/\1/p' | sort -u >"$tmp/help"
awk '
	/^\.SH / { in_opts = ($2 == "OPTIONS") ; next }
	in_opts && /^\.TP/ { item = 1; next }
	in_opts && item {
		item = 0
		gsub(/\\-/, "-")
		if (match($0, /-+[a-z0-9][a-z0-9-]*/)) print substr($0, RSTART, RLENGTH)
	}' "$page" | sort -u >"$tmp/page"

bad=0
[ -s "$tmp/help" ] || { echo "$prog --help lists no option"; bad=1; }
for o in $(comm -23 "$tmp/help" "$tmp/page"); do
	echo "$page: $o is in $prog --help but not in the page"
	bad=1
done
for o in $(comm -13 "$tmp/help" "$tmp/page"); do
	echo "$page: $o is in the page but not in $prog --help"
	bad=1
done
[ $bad -eq 0 ] && echo "$page: the $(wc -l <"$tmp/help") options of $prog --help, no other"
exit $bad
