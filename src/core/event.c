/*
 * event.c - names of presence values (see event.h).
 */
#include <string.h>

#include "core/event.h"

static const char *const show_names[] = {
	[SHOW_OFFLINE] = "offline",
	[SHOW_XA] = "xa",
	[SHOW_AWAY] = "away",
	[SHOW_DND] = "dnd",
	[SHOW_ONLINE] = "online",
	[SHOW_CHAT] = "chat",
};

const char *
show_name(enum show show)
{
	if ((unsigned)show >= sizeof show_names / sizeof show_names[0])
		return "offline";
	return show_names[show];
}

int
show_parse(const char *s)
{
	int	i;

	for (i = SHOW_XA; i <= SHOW_CHAT; i++) {
		if (strcmp(s, show_names[i]) == 0)
			return i;
	}
	return -1;
}
