#!/bin/sh
# Themes on a 256-colour terminal: the header's badges keep the header's background, and
# :theme NAME switches to the new theme's colours (not to monochrome).
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

# The escaped first row of the screen (the header), with its colour sequences.
header() { tmux -L "$E2E_SOCK" capture-pane -e -p -t t -S 0 -E 0; }
header_has() { header | grep -qF -- "$1"; }
# Every cell of the header has a background colour: no SGR 49 (default background) in it.
header_whole() { header_has mltop && ! header | grep -q '\[49m'; }

e2e_start 120 30 "$MLTOP --demo"
check "the demo starts with the default theme's header (background 24)" \
	e2e_until 10000 header_has '48;5;24m'
check "its health badges leave no hole in the header" e2e_until 3000 header_whole
e2e_keys : 'theme light' Enter
check ":theme light gives the light header (background 25)" e2e_until 5000 header_has '48;5;25m'
check "in colour, not monochrome" sh -c "tmux -L $E2E_SOCK capture-pane -e -p -t t | grep -q '38;5;'"
check "and the badges still leave no hole" e2e_until 3000 header_whole
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_done
