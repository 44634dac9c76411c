#!/bin/sh
# Rough terminals: 20x8, TERM=dumb, an unknown TERM, NO_COLOR, a locale without UTF-8, and
# Ctrl-Z / fg with a full redraw.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_start 20 8 "$MLTOP"
check "a 20x8 terminal still shows the tabs" e2e_wait "1 2 3 4 5 6"
e2e_keys 2 '?'
check "and the help" e2e_wait "Keys"
e2e_keys q ':' q Enter
check "and quits" e2e_wait "EXITED 0"
e2e_stop

e2e_start 80 24 "env TERM=dumb $MLTOP"
check "TERM=dumb falls back to a terminal that can address the screen" e2e_wait "Experiments needs"
e2e_keys q
check "and quits cleanly" e2e_wait "EXITED 0"
e2e_stop

e2e_start 80 24 "env TERM=no-such-terminal $MLTOP"
check "an unknown TERM is named, and mltop still runs" e2e_wait "Experiments needs"
e2e_keys q
check "and quits cleanly" e2e_wait "EXITED 0"
e2e_stop

# A colour is an SGR parameter 30-38, 40-48, 90-97 or 100-107 (39 and 49 are the defaults).
sgr_colour="$(printf '\033')\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]"
colour() { tmux -L "$E2E_SOCK" capture-pane -e -p -t t | grep -qE "$sgr_colour"; }
no_colour() { e2e_running && ! colour; }
e2e_start 80 24 "$MLTOP"
check "without NO_COLOR" e2e_wait "Experiments needs"
check "the screen has colours (what the next check looks for)" colour
e2e_keys q
e2e_stop

e2e_start 80 24 "env NO_COLOR=1 $MLTOP"
check "NO_COLOR runs in monochrome" e2e_wait "Experiments needs"
check "with no colour escape on the screen" no_colour
e2e_keys q
e2e_stop

e2e_start 100 24 "env LANG=C LC_ALL=C $MLTOP"
check "a locale without UTF-8 draws ASCII only" e2e_wait "mlf o"
e2e_keys 6 / 'a(' 
check "the prompt still works" e2e_wait "missing closing parenthesis"
e2e_keys Escape q
e2e_stop

# Ctrl-Z suspends (the terminal is given back to the shell), fg resumes with a full redraw. This
# needs a shell with job control, as an operator has: an interactive bash in the pane.
tmux -L "$E2E_SOCK" -f /dev/null new-session -d -s t -x 80 -y 24 \
	"env LANG=C.UTF-8 TERM=screen-256color PS1='shell\$ ' bash --norc --noprofile -i"
check "an interactive shell" e2e_wait 'shell$'
e2e_keys "$MLTOP" Enter
check "started for Ctrl-Z" e2e_wait "Experiments needs"
e2e_keys C-z
check "Ctrl-Z stops mltop and gives the terminal back" e2e_wait "Stopped"
check "the screen is the shell's again" e2e_wait_gone "Experiments needs"
e2e_keys fg Enter
check "fg redraws everything" e2e_wait "Experiments needs"
check "with the tabs" e2e_wait "2 Registry"
e2e_keys q
check "and quits to the shell" e2e_wait_gone_shell "2 Registry"
e2e_keys 'echo "mltop said $?"' Enter
check "with status 0" e2e_wait "mltop said 0"
e2e_done
