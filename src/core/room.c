/*
 * room.c - group chat rooms (XEP-0045).
 *
 * A placeholder until group chat lands: other parts (bookmarks' autojoin)
 * already call core_join_room().
 */
#include "core/core.h"

struct window *
core_join_room(struct szia *sz, const char *room, const char *nick,
    const char *password)
{
	(void)nick;
	(void)password;
	core_error(sz, NULL, "Cannot join %s: group chat is not there yet.",
	    room);
	return NULL;
}
