#!/bin/sh
# make check-deps catches what it is there for, in a copy of the sources: a panel that reaches
# SQLite through two headers of clients/ (spelled "#  include"), and a file of sim/ that reaches a
# header of mltop. The tree as it is passes.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-deps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # NAME COMMAND...
	name=$1
	shift
	if "$@"; then echo "ok   $name"; else
		echo "FAIL $name"
		cat "$tmp/out"
		fails=$((fails + 1))
	fi
}
shows() { grep -qF -- "$1" "$tmp/out"; }
fails_with() { ! sh scripts/check-deps.sh >"$tmp/out" 2>&1 && shows "$@"; }

cd "$root" || exit 1
cp -r clients panels tui themes sim scripts "$tmp/"
cd "$tmp" || exit 1
check "the tree as it is keeps the rule" sh -c 'sh scripts/check-deps.sh >out 2>&1'

printf '#ifndef ZZ_DB_H\n#define ZZ_DB_H\n#  include   <sqlite3.h>\n#endif\n' >clients/zz_db.h
printf '#include "clients/zz_db.h"\n' >clients/zz_store.h
echo '#include "clients/zz_store.h"' >>panels/panel.h
check "a panel reaching SQLite two headers down is caught, with the chain" fails_with \
	"panels/panel.h -> clients/zz_store.h -> clients/zz_db.h -> /usr/include/sqlite3.h <-"

cp "$root/panels/panel.h" panels/panel.h
echo '# include "themes/theme.h"' >>sim/rng.h
check "sim/ reaching a header of mltop is caught" fails_with "sim/rng.h -> themes/theme.h <-"
echo "check_deps: $fails failed"
[ "$fails" -eq 0 ]
