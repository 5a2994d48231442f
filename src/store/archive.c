/*
 * archive.c - [sync] what the message log knows for synchronisation:
 * whether a message is already stored (de-duplication), the last MAM id
 * fetched per archive, and the oldest archive id of a conversation (see
 * archive.h).  Values are always bound, never formatted into SQL.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store/archive.h"
#include "util/log.h"
#include "util/xalloc.h"

static int
archive_same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Does queued row M match (see history_seen() in archive.h)? */
static int
archive_match(const struct history_msg *m, const char *peer,
    const char *stanza_id, const char *origin_id, const char *msg_id,
    const char *from)
{
	if (!archive_same(m->peer, peer))
		return 0;
	if (archive_same(m->stanza_id, stanza_id))
		return 1;
	return archive_same(m->from_jid, from) &&
	    (archive_same(m->origin_id, origin_id) ||
	    archive_same(m->msg_id, msg_id) ||
	    archive_same(m->origin_id, msg_id) ||
	    archive_same(m->msg_id, origin_id));
}

int
history_seen(struct history *h, const char *peer, const char *stanza_id,
    const char *origin_id, const char *msg_id, const char *from)
{
	const struct history_msg	*q;
	sqlite3_stmt			*st = history_seen_stmt(h);
	size_t				 n, i;
	int				 found = 0;

	if (peer == NULL || (stanza_id == NULL && ((origin_id == NULL &&
	    msg_id == NULL) || from == NULL)))
		return 0;
	q = history_queued(h, &n);
	for (i = 0; i < n; i++) {
		if (archive_match(&q[i], peer, stanza_id, origin_id, msg_id,
		    from))
			return 1;
	}
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stanza_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, origin_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, msg_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		found = sqlite3_column_int(st, 0) != 0;
	else
		log_warn("history: seen: %s", sqlite3_errmsg(history_db(h)));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

/* The first column of the first row of SQL with ?1 = ARG, or NULL. */
static char *
archive_text(struct history *h, const char *sql, const char *arg)
{
	sqlite3_stmt		*st;
	const unsigned char	*t;
	char			*out = NULL;

	if (sqlite3_prepare_v2(history_db(h), sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		log_warn("history: %s", sqlite3_errmsg(history_db(h)));
		return NULL;
	}
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (t = sqlite3_column_text(st, 0)) != NULL)
		out = xstrdup((const char *)t);
	sqlite3_finalize(st);
	return out;
}

char *
history_archive_last(struct history *h, const char *archive)
{
	return archive_text(h, "SELECT last_id FROM archives "
	    "WHERE archive = ?1", archive);
}

int
history_archive_set(struct history *h, const char *archive, const char *id,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* The id may only be stored once the messages before it are. */
	if (history_flush(h, cause) < 0)
		return -1;
	rc = sqlite3_prepare_v2(history_db(h),
	    "INSERT INTO archives (archive, last_id, updated) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (archive) DO UPDATE "
	    "SET last_id = excluded.last_id, updated = excluded.updated",
	    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, archive, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return 0;
	}
	*cause = xasprintf("cannot write message log: %s",
	    sqlite3_errmsg(history_db(h)));
	return -1;
}

/* archive_text() over the log with the messages still queued written. */
static char *
archive_flushed_text(struct history *h, const char *sql, const char *arg)
{
	char	*cause = NULL;

	if (history_flush(h, &cause) < 0) {
		log_warn("history: %s", cause);
		free(cause);
	}
	return archive_text(h, sql, arg);
}

char *
history_oldest_stanza_id(struct history *h, const char *peer)
{
	return archive_flushed_text(h, "SELECT stanza_id FROM messages "
	    "WHERE peer = ?1 AND stanza_id IS NOT NULL "
	    "ORDER BY ts, id LIMIT 1", peer);
}

char *
history_newest_stanza_id(struct history *h, const char *peer)
{
	return archive_flushed_text(h, "SELECT stanza_id FROM messages "
	    "WHERE peer = ?1 AND stanza_id IS NOT NULL "
	    "ORDER BY ts DESC, id DESC LIMIT 1", peer);
}
