#!/bin/sh
# The layers may only include downwards: util <- core <- {xmpp, store, ui}.
# xmpp, store and ui never include each other; core and util never include
# ncurses, readline, libstrophe or SQLite.  Fails listing each violation.
src="${SZIA_SRCDIR:-.}/src"
status=0
check() {	# check DIR PATTERN WHY
	hits=$(grep -nE "$2" "$src/$1"/*.[ch] 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layer violation in src/$1 ($3):"
		echo "$hits"
		status=1
	fi
}
check util '#include "(core|xmpp|store|ui)/' "util includes nothing of szia's"
check util '#include <(curses|ncurses|strophe|sqlite3|readline)' "util is plain C"
check core '#include "(xmpp|store|ui)/' "the core knows no front end, network or storage"
check core '#include <(curses|ncurses|strophe|sqlite3|readline)' "the core links no UI, XMPP or SQL library"
check xmpp '#include "(store|ui)/' "the XMPP layer only emits events"
check store '#include "(xmpp|ui)/' "storage knows no network or screen"
check ui '#include "(xmpp|store)/' "the UI renders core state only"
check ui '#include <(strophe|sqlite3)' "the UI renders core state only"
check ../wizard '#include "(core|xmpp|store|ui)/' "xmpp-setup shares only src/util"
if [ $status -eq 0 ]; then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
fi
exit $status
