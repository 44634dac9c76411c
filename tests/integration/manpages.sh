#!/bin/sh
# The manual pages mltop.1 and mltop-sim.1: groff renders them without a warning, `man ./mltop.1`
# shows them, each documents exactly the options of its program's --help (a page that lacks one,
# or documents one the program does not have, is caught), and they name the version built.
# shellcheck source=tests/integration/libcheck.sh
. "$(dirname "$0")/libcheck.sh"
cd "$root" || exit 1
export LC_ALL=C.UTF-8 MANWIDTH=100

# groff -ww: every warning; the text goes nowhere, the warnings to stderr, which must stay empty.
renders_clean() { # PAGE
	groff -man -Tutf8 -ww -z "$1" 2>"$tmp/warn"
	rc=$?
	cat "$tmp/warn"
	[ "$rc" -eq 0 ] && [ ! -s "$tmp/warn" ]
}
man_shows() { # PAGE TEXT
	command -v man >/dev/null || { echo "skipped: man not installed"; return 0; }
	man -l "./$1" 2>&1 | grep -qF -- "$2"
}
same_version() { # PROGRAM PAGE
	v=$("$1" --version | sed -n '1s/^[^ ]* \([^ ]*\).*/\1/p')
	grep -q "^\.TH .*\"mltop $v\"" "$2" || { echo "$2 does not say mltop $v"; return 1; }
}
for p in mltop mltop-sim; do
	check "$p.1: groff renders it without a warning" renders_clean "$p.1"
	check "$p.1: man ./$p.1 shows it" man_shows "$p.1" "$(echo "$p" | tr '[:lower:]' '[:upper:]')(1)"
	check "$p.1: the options of $p --help, and no other" sh scripts/check-manpage.sh "./$p" "$p.1"
	check "$p.1: the version of $p --version" same_version "./$p" "$p.1"
done

# Every key of the global table (tui/keys.c) and of the panels' hints (what the footer and ? show)
# is in the KEYS section of mltop.1, as rendered.
page_keys() { # PAGE: the names of keys that the tables hold and PAGE's KEYS section lacks
	man -l "$1" 2>/dev/null | sed -n '/^KEYS/,/^CONFIGURATION/p' >"$tmp/keys"
	{
		sed -n 's/^ *{[^,]*, "\([^"]*\)", "[^"]*", ACT_.*/\1/p' tui/keys.c
		cat panels/*.c panels/*.h | grep -o '{"[^"]*", "[^"]*", [01]}' | sed 's/^{"\([^"]*\)".*/\1/'
	} | tr '/' ' ' | tr ' ' '\n' | grep -v '^$' | sort -u >"$tmp/names"
	[ "$(wc -l <"$tmp/names")" -ge 30 ] || { echo "only $(wc -l <"$tmp/names") keys found in the tables"; return 1; }
	missing=0
	while IFS= read -r k; do
		grep -qF -- "$k" "$tmp/keys" || { echo "$1 lacks the key $k"; missing=1; }
	done <"$tmp/names"
	return $missing
}
if command -v man >/dev/null; then
	check "mltop.1: every key of the keys tables and the panels' hints" page_keys ./mltop.1
	sed 's/^\.B Ctrl\\-L$/.B Ctrl\\-X/' mltop.1 >"$tmp/nokey.1"
	check "a page without Ctrl-L is caught" catches "lacks the key Ctrl-L" page_keys "$tmp/nokey.1"
fi

# Every key of the configuration file (clients/config_ini.c's tables) is in mltop.1's
# CONFIGURATION section, and every environment variable mltop reads in its ENVIRONMENT section.
section_has() { # PAGE SECTION NEXT-SECTION WORD...: each WORD is a word of SECTION, as rendered
	page=$1 from=$2 to=$3
	shift 3
	man -l "$page" 2>/dev/null | sed -n "/^$from/,/^$to/p" >"$tmp/section"
	[ "$#" -ge 10 ] || { echo "only $# names found in the sources"; return 1; }
	missing=0
	for w in "$@"; do
		grep -qw -- "$w" "$tmp/section" || { echo "$page lacks $w in $from"; missing=1; }
	done
	return $missing
}
config_keys() {
	{
		grep -o '^ *[GCM]K("[a-z_0-9]*"' clients/config_ini.c | sed 's/.*("//; s/"//'
		grep -o '^ *{"[a-z_0-9]*", K_' clients/config_ini.c | sed 's/.*{"//; s/".*//'
	} | sort -u
}
env_names() {
	grep -rhoE 'getenv\("[A-Z_]+"\)|"(MLFLOW_TRACKING|XDG)_[A-Z_]+"' clients tui themes panels |
		grep -oE '[A-Z][A-Z_]+' | sort -u
}
if command -v man >/dev/null; then
	# shellcheck disable=SC2046 # one name a word
	check "mltop.1: every key of the configuration file" \
		section_has ./mltop.1 CONFIGURATION ENVIRONMENT $(config_keys)
	# shellcheck disable=SC2046
	check "mltop.1: every environment variable mltop reads" \
		section_has ./mltop.1 ENVIRONMENT FILES $(env_names)
	# shellcheck disable=SC2046
	check "a page without one is caught" catches "lacks frobnicate_ms in CONFIGURATION" \
		section_has ./mltop.1 CONFIGURATION ENVIRONMENT $(config_keys) frobnicate_ms
fi

# The checks can fail: each case below must be caught, with its message.
grep -v '^\.BI \\-\\-cache ' mltop.1 >"$tmp/short.1"
check "a page without --cache is caught" catches \
	"--cache is in ./mltop --help but not in the page" \
	sh scripts/check-manpage.sh ./mltop "$tmp/short.1"
sed '/^\.SH OPTIONS/a .TP\n.BI \\-\\-frobnicate " N"\nNothing.' mltop.1 >"$tmp/extra.1"
check "an option the program lacks is caught" catches \
	"--frobnicate is in the page but not in ./mltop --help" \
	sh scripts/check-manpage.sh ./mltop "$tmp/extra.1"
printf '#!/bin/sh\n"%s/mltop" --help\necho "  --frobnicate         does nothing"\n' "$root" >"$tmp/more"
chmod +x "$tmp/more"
check "an option the page lacks is caught" catches "--frobnicate is in $tmp/more --help" \
	sh scripts/check-manpage.sh "$tmp/more" mltop.1
printf '.TH X 1\n.SH NAME\nx \\- y\n.BX\n' >"$tmp/warn.1"
check "a page with an unknown macro is caught" catches "not defined" renders_clean "$tmp/warn.1"
check_done manpages
