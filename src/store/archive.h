/*
 * archive.h - [sync] the message log's side of synchronisation.
 *
 * The last MAM (XEP-0313) result id fetched from each archive (the own
 * account: its bare JID; a room: the room's bare JID) lives in the table
 * `archives` of the account's log.db (schema version 2); a fresh session
 * fetches everything after it.
 */
#ifndef SZIA_ARCHIVE_H
#define SZIA_ARCHIVE_H

#include "store/history.h"

/*
 * Is this message of conversation PEER already stored (or queued)?  Yes
 * when a row has the same STANZA_ID (XEP-0359, stamped by our server), or
 * when a row from the same FROM (full JID as on the wire) has the same
 * origin-id or message id.
 */
int	 history_seen(struct history *, const char *peer,
	    const char *stanza_id, const char *origin_id, const char *msg_id,
	    const char *from);
/* The last id fetched from ARCHIVE, or NULL; caller frees. */
char	*history_archive_last(struct history *, const char *archive);
/* Store it (after writing what is queued); 0, or -1 with *cause. */
int	 history_archive_set(struct history *, const char *archive,
	    const char *id, char **cause);
/* The archive id of PEER's oldest stored message that has one, or NULL. */
char	*history_oldest_stanza_id(struct history *, const char *peer);
/* The archive id of PEER's newest stored message that has one, or NULL. */
char	*history_newest_stanza_id(struct history *, const char *peer);

#endif
