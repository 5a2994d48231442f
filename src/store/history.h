/*
 * history.h - the message log: one SQLite database per account at
 * $XDG_DATA_HOME/szia/<account>/log.db.
 *
 * Writes are queued in memory by history_add() and written by
 * history_flush() in one transaction with a prepared statement; the main
 * loop flushes once per wake-up, so a burst of thousands of messages costs
 * one commit per wake-up rather than one sync per message.  A message is
 * "acknowledged" (shown as stored) once a flush that contains it returned
 * 0.  If a flush fails (disk full, I/O error), nothing is lost: the queued
 * rows stay in memory and the next flush tries again; the caller shows the
 * one-line *cause.  The database runs in WAL mode with synchronous=NORMAL,
 * which survives a crash of szia (not necessarily a power cut).
 *
 * The schema is versioned with PRAGMA user_version and migrated forward in
 * history_open(); a database from a newer szia is refused, not damaged.
 */
#ifndef SZIA_HISTORY_H
#define SZIA_HISTORY_H

#include <stddef.h>
#include <stdint.h>

struct history;

enum history_dir {
	HISTORY_IN = 0,		/* received */
	HISTORY_OUT = 1,	/* sent by this account */
};

/* One logged message.  All strings are owned by the struct. */
struct history_msg {
	int64_t			 id;		/* rowid; 0 until stored */
	char			*peer;		/* conversation: bare JID */
	char			*from_jid;	/* sender as on the wire */
	char			*to_jid;	/* recipient as on the wire */
	enum history_dir	 dir;
	int64_t			 ts;		/* unix time of sending
						   (XEP-0203 delay if any) */
	int64_t			 received;	/* unix time szia got it */
	char			*type;		/* "chat", "normal", ... */
	char			*body;
	char			*msg_id;	/* <message id=...> */
	char			*origin_id;	/* XEP-0359 origin-id */
	char			*stanza_id;	/* XEP-0359 stanza-id (by own
						   server) or NULL */
	char			*replace_id;	/* XEP-0308: msg_id of the
						   message this corrects */
};

/*
 * Open (creating if needed) the database at PATH; the folder must exist.
 * Returns NULL with *cause set (caller frees) on failure, e.g. "log.db:
 * schema version 9 is newer than this szia (2)".
 */
struct history	*history_open(const char *path, char **cause);
/* Flush what is queued (best effort) and close.  NULL is a no-op. */
void		 history_close(struct history *);

/* Queue a copy of M for the next flush.  Cannot fail. */
void		 history_add(struct history *, const struct history_msg *m);
/* Rows queued and not yet written. */
size_t		 history_pending(const struct history *);
/*
 * Write everything queued in one transaction.  Returns the number of rows
 * written (0 when nothing was queued), or -1 with *cause set; then the rows
 * stay queued for the next call.
 */
int		 history_flush(struct history *, char **cause);

/*
 * Up to N stored messages of conversation PEER with id < BEFORE_ID (0 means
 * from the newest), oldest first, in *OUT (caller frees with
 * history_msgs_free()).  Returns the count, or -1 with *cause set.
 * Queued rows are flushed first so they are included.
 */
int		 history_recent(struct history *, const char *peer,
		     int64_t before_id, size_t n, struct history_msg **out,
		     char **cause);
/* Stored messages of PEER (NULL: all).  -1 on error. */
int64_t		 history_count(struct history *, const char *peer);
/* Has a message with this stanza-id or origin-id been stored for PEER? */
int		 history_has_id(struct history *, const char *peer,
		     const char *stanza_id, const char *origin_id);

/* [sync] For archive.c: the database, and the rows not yet written. */
struct sqlite3	*history_db(struct history *);
/* archive.c's de-duplication query, prepared at open (reset after use). */
struct sqlite3_stmt *history_seen_stmt(struct history *);
const struct history_msg *history_queued(const struct history *, size_t *n);

void		 history_msg_clear(struct history_msg *);
void		 history_msgs_free(struct history_msg *, size_t n);

#endif
