/*
 * logmsg.h - how the core reaches the message log without knowing SQLite.
 *
 * main.c plugs the store (src/store/) in through struct log_ops; unit tests
 * plug in nothing (sz->log == NULL) or a small in-memory table.  A struct
 * logmsg handed to add() is borrowed; messages returned by recent() are
 * owned by the caller and released with free_msgs().
 */
#ifndef SZIA_LOGMSG_H
#define SZIA_LOGMSG_H

#include <stddef.h>
#include <stdint.h>

struct logmsg {
	int64_t		 id;
	char		*peer;		/* bare JID of the conversation */
	char		*from_jid;
	char		*to_jid;
	int		 outgoing;
	int64_t		 ts;		/* when it was sent */
	int64_t		 received;	/* when szia got or sent it */
	char		*type;
	char		*body;		/* raw (unsanitised) text */
	char		*msg_id;
	char		*origin_id;
	char		*stanza_id;
	char		*replace_id;	/* XEP-0308, applied: the msg_id
					   of the message this corrects */
};

struct log_ops {
	/* Open the log of ACCOUNT (closing any other). */
	int	(*open)(void *ctx, const char *account, char **cause);
	void	(*add)(void *ctx, const struct logmsg *);
	/* Write what add() queued; -1 with *cause keeps it queued. */
	int	(*flush)(void *ctx, char **cause);
	/* As history_recent(): oldest first. */
	int	(*recent)(void *ctx, const char *peer, int64_t before_id,
		    size_t n, struct logmsg **out, char **cause);
	void	(*free_msgs)(void *ctx, struct logmsg *, size_t n);
	/*
	 * [sync] Any of these may be NULL (no de-duplication, no archive
	 * bookkeeping).  seen(): is a message with this stanza-id, or from
	 * FROM with this origin-id or id, already logged for PEER?
	 * archive_last(): the last MAM id fetched from ARCHIVE (caller
	 * frees) or NULL; archive_set() stores it once everything queued is
	 * written (-1 with *cause if not).  oldest_stanza_id(): of PEER's
	 * oldest logged message that has one (caller frees), or NULL.
	 */
	int	(*seen)(void *ctx, const char *peer, const char *stanza_id,
		    const char *origin_id, const char *msg_id,
		    const char *from);
	char	*(*archive_last)(void *ctx, const char *archive);
	int	(*archive_set)(void *ctx, const char *archive, const char *id,
		    char **cause);
	char	*(*oldest_stanza_id)(void *ctx, const char *peer);
	/* The archive id of PEER's newest logged message that has one
	 * (caller frees), or NULL; may be NULL.  Rooms catch up from it. */
	char	*(*newest_stanza_id)(void *ctx, const char *peer);
};

#endif
