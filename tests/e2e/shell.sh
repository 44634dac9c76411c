#!/bin/sh
# The shell in a real terminal: help, tabs, an invalid regex, resize, :q, and the end of input.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_start 100 30 "$MLTOP"
check "starts and says which source a panel needs" e2e_wait "Experiments needs an MLflow tracking server"
check "header shows unconfigured sources" e2e_wait "mlf ○ off  prom ○ off"
e2e_keys '?'
check "? shows the help of the panel" e2e_wait "Keys · Experiments"
check "help lists the global keys" e2e_wait "go to panel 1"
e2e_keys Escape
check "any key closes the help" e2e_wait_gone "Keys · Experiments"
e2e_keys 2
check "2 switches to the registry tab" e2e_wait "Registry needs an MLflow tracking server"
e2e_keys Tab Tab
check "Tab moves on to Alerts" e2e_wait "Alerts needs Alertmanager"
e2e_keys 6
check "6 switches to the audit log" e2e_wait "No action has been taken"
e2e_keys /
check "/ opens the filter prompt in the footer" e2e_wait_gone "q quit"
e2e_keys '('
check "an invalid regex shows PCRE2's message" e2e_wait "missing closing parenthesis"
e2e_keys Escape
check "Esc closes the prompt" e2e_wait_gone "missing closing parenthesis"
e2e_keys ':' 'the' Tab
check ": completes a command" e2e_wait ":theme"
e2e_keys Tab
check "and then its argument's candidates" e2e_wait "high-contrast"
e2e_keys 'li' Tab Enter
check ":theme light switches live" e2e_wait "q quit"
e2e_keys ':' 'nosuch' Enter
check "an unknown command is named" e2e_wait "unknown command :nosuch"
e2e_keys Escape
e2e_resize 60 20
check "resize to 60x20 redraws (short tabs)" e2e_wait " 1 Exp   2 Reg"
e2e_keys ':' q Enter
check ":q quits with status 0" e2e_wait "EXITED 0"
e2e_stop

# Ctrl-C (SIGINT) quits cleanly too, and the terminal is given back.
e2e_start 80 24 "$MLTOP"
check "started for Ctrl-C" e2e_wait "Experiments needs"
e2e_keys r
check "r refreshes and says so" e2e_wait "refreshing every source"
e2e_keys C-c
check "Ctrl-C quits with status 0" e2e_wait "EXITED 0"
check "and the screen is the shell's again" e2e_wait_gone_shell "Experiments needs"
e2e_stop

# Input that ends (the pipe feeding the pane's stdin closes): mltop ends within a second.
mkfifo "$E2E_TMP/in"
e2e_start 80 24 "$MLTOP < $E2E_TMP/in"
exec 3>"$E2E_TMP/in"
check "runs with stdin from a pipe" e2e_wait "Experiments needs"
exec 3>&-
check "closed stdin ends mltop within a second" e2e_wait "EXITED" 1
e2e_stop

# The terminal goes away (the pane is killed: SIGHUP and a hung-up tty): the process ends.
e2e_start 80 24 "sh -c 'echo \$\$ > $E2E_TMP/pid; exec $MLTOP'"
check "started for the hang-up test" e2e_wait "Experiments needs"
pid=$(cat "$E2E_TMP/pid")
e2e_stop
check "a killed pane ends mltop within a second" e2e_until 1000 e2e_pid_gone "$pid"
e2e_done
