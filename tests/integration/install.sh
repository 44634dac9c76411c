#!/bin/sh
# make install PREFIX=/usr/local DESTDIR=...: exactly the expected files, an installed mltop that
# runs (--version), finds its themes in its prefix and reads the example config; the man pages
# render from there; the bash completion completes options, contexts and themes; the zsh one
# names every option; make uninstall leaves nothing behind.
# shellcheck source=tests/integration/libcheck.sh
. "$(dirname "$0")/libcheck.sh"
cd "$root" || exit 1
dest="$tmp/root"
pre="$dest/usr/local"
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" LC_ALL=C.UTF-8
build=${MLTOP_BUILD:-build}

check "make install PREFIX=/usr/local DESTDIR=..." \
	make -s install BUILD="$build" PREFIX=/usr/local DESTDIR="$dest"
(cd "$dest" && find . -type f | sort) >"$tmp/files"
{
	printf '%s\n' ./usr/local/bin/mltop ./usr/local/bin/mltop-sim \
		./usr/local/share/bash-completion/completions/mltop \
		./usr/local/share/bash-completion/completions/mltop-sim \
		./usr/local/share/doc/mltop/config.example.ini \
		./usr/local/share/man/man1/mltop-sim.1 ./usr/local/share/man/man1/mltop.1 \
		./usr/local/share/zsh/site-functions/_mltop
	for t in themes/*.ini; do echo "./usr/local/share/mltop/$t"; done
} | sort >"$tmp/expected"
check "the installed files are exactly the expected ones" diff -u "$tmp/expected" "$tmp/files"
check "the binaries are executable" test -x "$pre/bin/mltop" -a -x "$pre/bin/mltop-sim"

version=$(./mltop --version | head -n 1)
check "the installed mltop --version runs: $version" sh -c \
	"'$pre/bin/mltop' --version | head -n 1 | grep -qxF '$version'"
names_libraries() {
	"$pre/bin/mltop" --version >"$tmp/version" || return 1
	for lib in 'ncurses [0-9]' 'curl [0-9]' 'SQLite [0-9]' 'cJSON [0-9]' 'PCRE2 [0-9]'; do
		grep -q "^  $lib" "$tmp/version" || { echo "no '$lib' in:"; cat "$tmp/version"; return 1; }
	done
}
check "the installed mltop --version names the libraries it runs with" names_libraries
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
check "mltop --version names the commit built ($commit)" sh -c \
	"./mltop --version | head -n 1 | grep -qF '(commit $commit)'"
# A new commit recompiles the two objects that carry it, not the tree (make -n: nothing is built;
# the stamp it rewrites is put back by the second make -n).
check "a new commit recompiles two objects only" sh -c \
	"[ \"\$(make -n BUILD='$build' GIT_COMMIT=other-commit all | grep -c ' -c ')\" -eq 2 ]"
make -n BUILD="$build" all >/dev/null
check "the installed mltop-sim --version runs" sh -c \
	"'$pre/bin/mltop-sim' --version | grep -q '^mltop-sim '"
if [ -f /usr/share/mltop/themes/high-contrast.ini ]; then
	echo "skipped: /usr/share/mltop/themes holds the themes too (a package is installed)"
else
	check "the installed mltop finds its themes in its prefix" \
		"$pre/bin/mltop" --snapshot --size 80x24 --theme high-contrast
	mv "$pre/share/mltop/themes" "$tmp/themes-aside"
	no_theme() {
		! "$pre/bin/mltop" --snapshot --size 80x24 --theme high-contrast >"$tmp/err" 2>&1 &&
			grep -q "no theme 'high-contrast'" "$tmp/err"
	}
	check "and without them there, it says the theme is missing" no_theme
	mv "$tmp/themes-aside" "$pre/share/mltop/themes"
fi
"$pre/bin/mltop" -c "$pre/share/doc/mltop/config.example.ini" --info >"$tmp/info" 2>&1
check "the example config is read (exit 1: its token files are missing here, not 2)" \
	sh -c "[ $? -eq 1 ] && grep -q '^contexts  prod\* staging' '$tmp/info'"
check "the installed man page renders" sh -c \
	"groff -man -Tutf8 -ww -z '$pre/share/man/man1/mltop.1' 2>&1 | (! grep -q .)"

# bash: COMP_WORDS as bash would set them, then what the completion function offers.
printf '[context.alpha]\n[context.beta-2]\n' >"$tmp/ctx.ini"
complete_bash() { # FUNCTION WORD... : prints COMPREPLY
	PATH="$pre/bin:$PATH" bash -c '. "$1"; f=$2; shift 2; COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1)); "$f" "$1"; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$pre/share/bash-completion/completions/mltop" "$@"
}
offers() { # EXPECTED FUNCTION WORD...
	want=$1
	shift
	got=$(complete_bash "$@" | tr '\n' ' ')
	[ "$got" = "$want" ] || { echo "expected '$want', got '$got'"; return 1; }
}
check "bash completes an option" offers "--context " _mltop mltop --cont
check "bash completes the contexts of -c FILE" offers "alpha beta-2 " \
	_mltop mltop -c "$tmp/ctx.ini" --context ""
check "bash completes the themes" offers "default high-contrast light mono " _mltop mltop --theme ""
check "bash completes mltop-sim's options" offers "--time-scale " _mltop_sim mltop-sim --ti
./mltop --help | sed -n 's/^  *\(--*[a-z0-9][a-z0-9-]*\).*/\1/p' | sort | tr '\n' ' ' >"$tmp/all"
check "bash offers every option of mltop --help" offers "$(cat "$tmp/all")" _mltop mltop -

# zsh: every option of each program's --help has its spec; the file parses.
zsh_names_all() {
	for p in mltop mltop-sim; do
		for o in $("./$p" --help | sed -n 's/^  *\(--*[a-z0-9][a-z0-9-]*\).*/\1/p'); do
			grep -q -- "'[(*]*[^']*$o\[" contrib/completion/_mltop ||
				{ echo "_mltop lacks $p $o"; return 1; }
		done
	done
}
check "the zsh completion names every option of both --help" zsh_names_all
if command -v zsh >/dev/null; then
	check "the zsh completion parses" zsh -n "$pre/share/zsh/site-functions/_mltop"
else
	echo "skipped: zsh not installed (the zsh completion is not parsed)"
fi

check "make uninstall" make -s uninstall BUILD="$build" PREFIX=/usr/local DESTDIR="$dest"
check "make uninstall leaves no file" sh -c "[ -z \"\$(find '$dest' -type f)\" ]"
check "nor a directory of mltop's own" sh -c "[ -z \"\$(find '$dest' -name '*mltop*')\" ]"
check_done install
