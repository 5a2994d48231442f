/*
 * history.c - the message log in SQLite (see history.h).
 *
 * history_add() only copies the message into an in-memory queue.
 * history_flush() writes the whole queue in one BEGIN IMMEDIATE ... COMMIT
 * with one prepared INSERT, so a burst costs one commit.  On any error the
 * transaction is rolled back and the queue is left exactly as it was, so the
 * next flush writes every row once.
 *
 * Every statement is prepared once in history_open() and reused; values are
 * always bound, never formatted into SQL.  The schema is a list of
 * migrations: history_migrations[i] takes PRAGMA user_version from i to
 * i + 1, and history_open() applies the missing ones in one transaction.  A
 * database is refused, not touched, when it belongs to another application
 * (PRAGMA application_id) or to a newer szia (a user_version we do not
 * know).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/history.h"
#include "util/log.h"
#include "util/stats.h"
#include "util/xalloc.h"

#define HISTORY_NITEMS(a)	(sizeof (a) / sizeof (a)[0])
#define HISTORY_STR(x)		#x
#define HISTORY_XSTR(x)		HISTORY_STR(x)

/* How long a write waits for another connection's lock, in milliseconds. */
#define HISTORY_BUSY_MS		1000

/* PRAGMA application_id of a szia log: "szia" as a big-endian integer. */
#define HISTORY_APP_ID		1937402209

/*
 * Schema migrations, append only: never edit a step that has been released.
 * Each step ends by setting user_version to its own number (a PRAGMA takes
 * no parameters, so the number is part of the text; history_migrate()
 * checks it).
 */
static const char *const history_migrations[] = {
	/* 1: the initial schema. */
	"CREATE TABLE messages ("
	"  id        INTEGER PRIMARY KEY,"
	"  peer      TEXT NOT NULL,"
	"  from_jid  TEXT,"
	"  to_jid    TEXT,"
	"  dir       INTEGER NOT NULL,"
	"  ts        INTEGER NOT NULL,"
	"  received  INTEGER NOT NULL,"
	"  type      TEXT,"
	"  body      TEXT,"
	"  msg_id    TEXT,"
	"  origin_id TEXT,"
	"  stanza_id TEXT"
	");"
	"CREATE INDEX messages_peer_id ON messages (peer, id);"
	"CREATE INDEX messages_peer_stanza_id ON messages (peer, stanza_id)"
	"  WHERE stanza_id IS NOT NULL;"
	"CREATE INDEX messages_peer_origin_id ON messages (peer, origin_id)"
	"  WHERE origin_id IS NOT NULL;"
	"PRAGMA application_id = " HISTORY_XSTR(HISTORY_APP_ID) ";"
	"PRAGMA user_version = 1;",
	/*
	 * 2 [sync]: de-duplication by message id (ours and carbons'), and
	 * the last MAM (XEP-0313) id seen per archive (own account or room).
	 */
	"CREATE INDEX messages_peer_msg_id ON messages (peer, msg_id)"
	"  WHERE msg_id IS NOT NULL;"
	"CREATE TABLE archives ("
	"  archive   TEXT PRIMARY KEY,"
	"  last_id   TEXT NOT NULL,"
	"  updated   INTEGER NOT NULL"
	");"
	"PRAGMA user_version = 2;",
	/*
	 * 3: XEP-0308 corrections: the id of the message a logged message
	 * corrects, set only when szia applied it (same sender), so a
	 * window reloaded from the log shows the corrected text in place.
	 */
	"ALTER TABLE messages ADD COLUMN replace_id TEXT;"
	"PRAGMA user_version = 3;",
};
#define HISTORY_VERSION	((int)HISTORY_NITEMS(history_migrations))

/* The statements prepared by history_open(). */
enum history_stmt {
	HSTMT_BEGIN,
	HSTMT_COMMIT,
	HSTMT_ROLLBACK,
	HSTMT_INSERT,
	HSTMT_RECENT,
	HSTMT_COUNT_PEER,
	HSTMT_COUNT_ALL,
	HSTMT_HAS_ID,
	HSTMT_SEEN,
	HSTMT__COUNT
};

#define HISTORY_COLUMNS \
	"peer, from_jid, to_jid, dir, ts, received, type, body, msg_id, " \
	"origin_id, stanza_id, replace_id"

static const char *const history_sql[HSTMT__COUNT] = {
	[HSTMT_BEGIN] = "BEGIN IMMEDIATE",
	[HSTMT_COMMIT] = "COMMIT",
	[HSTMT_ROLLBACK] = "ROLLBACK",
	[HSTMT_INSERT] =
	    "INSERT INTO messages (" HISTORY_COLUMNS ") "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[HSTMT_RECENT] =
	    "SELECT id, " HISTORY_COLUMNS " FROM messages "
	    "WHERE peer = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
	[HSTMT_COUNT_PEER] = "SELECT count(*) FROM messages WHERE peer = ?1",
	[HSTMT_COUNT_ALL] = "SELECT count(*) FROM messages",
	[HSTMT_HAS_ID] =
	    "SELECT EXISTS (SELECT 1 FROM messages"
	    "    WHERE peer = ?1 AND stanza_id = ?2)"
	    "  OR EXISTS (SELECT 1 FROM messages"
	    "    WHERE peer = ?1 AND origin_id = ?3)",
	/* archive.c's history_seen(); prepared once: it runs per message. */
	[HSTMT_SEEN] =
	    "SELECT EXISTS (SELECT 1 FROM messages"
	    "    WHERE peer = ?1 AND stanza_id = ?2)"
	    "  OR EXISTS (SELECT 1 FROM messages"
	    "    WHERE peer = ?1 AND origin_id IN (?3, ?4) AND from_jid = ?5)"
	    "  OR EXISTS (SELECT 1 FROM messages"
	    "    WHERE peer = ?1 AND msg_id IN (?3, ?4) AND from_jid = ?5)",
};

struct history {
	sqlite3			*db;
	char			*path;
	sqlite3_stmt		*stmt[HSTMT__COUNT];

	struct history_msg	*queue;		/* waiting for history_flush() */
	size_t			 nqueue;
	size_t			 queuesize;
};

/*
 * Run every statement in SQL (constant text only), discarding rows.  Returns
 * an SQLite result code; on error sqlite3_errmsg() tells why.
 */
static int
history_exec(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	const char	*tail;
	int		 rc;

	while (*sql != '\0') {
		rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
		if (rc != SQLITE_OK)
			return rc;
		sql = tail;
		if (st == NULL)		/* only white space or a comment */
			continue;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			/* nothing */;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return rc;
	}
	return SQLITE_OK;
}

/* Run SQL, a query whose first column of the first row is an integer. */
static int
history_query_int(sqlite3 *db, const char *sql, int *value)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Reset a reused statement and drop its bindings. */
static void
history_stmt_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Step a statement that returns no rows; returns an SQLite result code. */
static int
history_step(sqlite3_stmt *st)
{
	int	rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Roll back if a transaction is still open (SQLite ends some by itself after
 * an I/O error).  Callers take sqlite3_errmsg() first: this replaces it.
 */
static void
history_rollback(sqlite3 *db, sqlite3_stmt *rollback)
{
	if (sqlite3_get_autocommit(db))
		return;
	if (rollback != NULL) {
		if (history_step(rollback) == SQLITE_OK)
			return;
	} else if (history_exec(db, "ROLLBACK") == SQLITE_OK)
		return;
	log_warn("history: rollback failed: %s", sqlite3_errmsg(db));
}

/*
 * Check that the file at PATH is a szia log this code can use, before
 * anything is written to it.  Sets *VERSION to its schema version.
 */
static int
history_check(sqlite3 *db, const char *path, int *version, char **cause)
{
	int	rc, appid = 0, objects;

	/* The first read of the file: this is where a non-database fails. */
	rc = history_query_int(db, "PRAGMA user_version", version);
	if (rc == SQLITE_OK)
		rc = history_query_int(db, "PRAGMA application_id", &appid);
	if (rc == SQLITE_NOTADB) {
		*cause = xasprintf("%s is not a szia database: %s", path,
		    sqlite3_errmsg(db));
		return -1;
	}
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cannot read %s: %s", path,
		    sqlite3_errmsg(db));
		return -1;
	}

	if (appid != 0 && appid != HISTORY_APP_ID) {
		*cause = xasprintf("%s is not a szia database: it belongs to "
		    "another application (id %#x)", path, (unsigned)appid);
		return -1;
	}
	if (*version > HISTORY_VERSION) {
		*cause = xasprintf("%s: schema version %d is newer than this "
		    "szia (%d)", path, *version, HISTORY_VERSION);
		return -1;
	}
	if (*version == 0) {
		rc = history_query_int(db, "SELECT count(*) FROM sqlite_master",
		    &objects);
		if (rc != SQLITE_OK) {
			*cause = xasprintf("cannot read %s: %s", path,
			    sqlite3_errmsg(db));
			return -1;
		}
		if (objects != 0) {
			*cause = xasprintf("%s is not a szia database: it has "
			    "tables but no schema version", path);
			return -1;
		}
	}
	return 0;
}

/* Bring the schema from its current version to HISTORY_VERSION. */
static int
history_migrate(sqlite3 *db, const char *path, char **cause)
{
	int	version, check;

	if (history_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
		goto fail;
	/* Read again inside the transaction: another szia may have won. */
	if (history_query_int(db, "PRAGMA user_version", &version) !=
	    SQLITE_OK)
		goto fail;
	if (version > HISTORY_VERSION) {
		history_rollback(db, NULL);
		*cause = xasprintf("%s: schema version %d is newer than this "
		    "szia (%d)", path, version, HISTORY_VERSION);
		return -1;
	}
	for (; version < HISTORY_VERSION; version++) {
		if (history_exec(db, history_migrations[version]) != SQLITE_OK)
			goto fail;
		if (history_query_int(db, "PRAGMA user_version", &check) !=
		    SQLITE_OK)
			goto fail;
		if (check != version + 1)
			fatal("history: migration %d sets user_version %d",
			    version + 1, check);
		log_debug("history: %s: schema version %d", path, check);
	}
	if (history_exec(db, "COMMIT") != SQLITE_OK)
		goto fail;
	return 0;

fail:
	*cause = xasprintf("cannot set up %s: %s", path, sqlite3_errmsg(db));
	history_rollback(db, NULL);
	return -1;
}

/* The settings of every connection; journal_mode is kept in the file. */
static int
history_configure(sqlite3 *db, const char *path, char **cause)
{
	sqlite3_stmt		*st;
	const unsigned char	*mode;
	int			 rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL);
	if (rc == SQLITE_OK) {
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			mode = sqlite3_column_text(st, 0);
			if (mode == NULL || strcmp((const char *)mode, "wal") != 0)
				log_warn("history: %s: journal mode is %s, "
				    "not wal", path, mode != NULL ?
				    (const char *)mode : "unknown");
			rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = history_exec(db, "PRAGMA synchronous = NORMAL");
	if (rc == SQLITE_OK)
		rc = history_exec(db, "PRAGMA foreign_keys = ON");
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cannot set up %s: %s", path,
		    sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static void
history_free(struct history *h)
{
	size_t	i;

	for (i = 0; i < HSTMT__COUNT; i++)
		sqlite3_finalize(h->stmt[i]);
	if (sqlite3_close(h->db) != SQLITE_OK)
		log_warn("history: %s: close: %s", h->path,
		    sqlite3_errmsg(h->db));
	history_msgs_free(h->queue, h->nqueue);
	free(h->path);
	free(h);
}

struct history *
history_open(const char *path, char **cause)
{
	struct history	*h;
	sqlite3		*db = NULL;
	int		 rc, version, error;
	size_t		 i;

	rc = sqlite3_open_v2(path, &db,
	    SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		error = db != NULL ? sqlite3_system_errno(db) : 0;
		if (error != 0)
			*cause = xasprintf("cannot open %s: %s", path,
			    strerror(error));
		else
			*cause = xasprintf("cannot open %s: %s", path,
			    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, HISTORY_BUSY_MS);

	if (history_check(db, path, &version, cause) != 0 ||
	    history_configure(db, path, cause) != 0 ||
	    (version < HISTORY_VERSION &&
	    history_migrate(db, path, cause) != 0)) {
		sqlite3_close(db);
		return NULL;
	}

	h = xcalloc(1, sizeof *h);
	h->db = db;
	h->path = xstrdup(path);
	for (i = 0; i < HSTMT__COUNT; i++) {
		rc = sqlite3_prepare_v2(db, history_sql[i], -1, &h->stmt[i],
		    NULL);
		if (rc != SQLITE_OK) {
			*cause = xasprintf("cannot set up %s: %s", path,
			    sqlite3_errmsg(db));
			history_free(h);
			return NULL;
		}
	}
	log_debug("history: opened %s", path);
	return h;
}

void
history_close(struct history *h)
{
	char	*cause;

	if (h == NULL)
		return;
	if (history_flush(h, &cause) == -1) {
		log_warn("history: %s: %zu messages not saved: %s", h->path,
		    h->nqueue, cause);
		free(cause);
	}
	history_free(h);
}

static void
history_msg_copy(struct history_msg *dst, const struct history_msg *src)
{
	dst->id = src->id;
	dst->peer = xstrdup_or_null(src->peer);
	dst->from_jid = xstrdup_or_null(src->from_jid);
	dst->to_jid = xstrdup_or_null(src->to_jid);
	dst->dir = src->dir;
	dst->ts = src->ts;
	dst->received = src->received;
	dst->type = xstrdup_or_null(src->type);
	dst->body = xstrdup_or_null(src->body);
	dst->msg_id = xstrdup_or_null(src->msg_id);
	dst->origin_id = xstrdup_or_null(src->origin_id);
	dst->stanza_id = xstrdup_or_null(src->stanza_id);
	dst->replace_id = xstrdup_or_null(src->replace_id);
}

void
history_add(struct history *h, const struct history_msg *m)
{
	struct history_msg	*q;

	if (h->nqueue == h->queuesize) {
		h->queuesize = h->queuesize == 0 ? 16 : h->queuesize * 2;
		h->queue = xreallocarray(h->queue, h->queuesize,
		    sizeof *h->queue);
	}
	q = &h->queue[h->nqueue++];
	history_msg_copy(q, m);
	q->id = 0;
	/*
	 * A row the database can never take would block every later flush,
	 * so make sure the NOT NULL columns have a value.
	 */
	if (q->peer == NULL) {
		log_warn("history: message without a peer");
		q->peer = xstrdup("");
	}
	if (q->dir != HISTORY_OUT)
		q->dir = HISTORY_IN;
}

size_t
history_pending(const struct history *h)
{
	return h->nqueue;
}

/* Bind the fields of M to the insert statement. */
static int
history_bind(sqlite3_stmt *st, const struct history_msg *m)
{
	int	rc = SQLITE_OK;

	/* A NULL pointer binds NULL. */
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, m->peer, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, m->from_jid, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, m->to_jid, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 4, m->dir);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 5, m->ts);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 6, m->received);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 7, m->type, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 8, m->body, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 9, m->msg_id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 10, m->origin_id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 11, m->stanza_id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 12, m->replace_id, -1,
		    SQLITE_STATIC);
	return rc;
}

int
history_flush(struct history *h, char **cause)
{
	sqlite3_stmt	*insert = h->stmt[HSTMT_INSERT];
	size_t		 i, n = h->nqueue;
	int		 rc;

	if (n == 0)
		return 0;

	if ((rc = history_step(h->stmt[HSTMT_BEGIN])) != SQLITE_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		rc = history_bind(insert, &h->queue[i]);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(insert);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK)
			goto fail;
		history_stmt_done(insert);
	}
	if ((rc = history_step(h->stmt[HSTMT_COMMIT])) != SQLITE_OK)
		goto fail;
	stats.commits++;

	history_msgs_free(h->queue, n);
	h->queue = NULL;
	h->nqueue = h->queuesize = 0;
	log_debug("history: wrote %zu messages", n);
	return n > INT_MAX ? INT_MAX : (int)n;

fail:
	/* Take the message first: the rollback replaces it. */
	*cause = xasprintf("cannot write message log: %s",
	    rc == SQLITE_RANGE || rc == SQLITE_TOOBIG ? sqlite3_errstr(rc) :
	    sqlite3_errmsg(h->db));
	history_stmt_done(insert);
	history_rollback(h->db, h->stmt[HSTMT_ROLLBACK]);
	log_debug("history: flush of %zu messages failed: %s", n, *cause);
	return -1;
}

static char *
history_column_text(sqlite3_stmt *st, int column)
{
	const unsigned char	*s;

	if ((s = sqlite3_column_text(st, column)) == NULL)
		return NULL;
	return xstrdup((const char *)s);
}

/* Fill M from a row of the recent statement. */
static void
history_row(sqlite3_stmt *st, struct history_msg *m)
{
	m->id = sqlite3_column_int64(st, 0);
	m->peer = history_column_text(st, 1);
	m->from_jid = history_column_text(st, 2);
	m->to_jid = history_column_text(st, 3);
	m->dir = sqlite3_column_int(st, 4) == HISTORY_OUT ? HISTORY_OUT :
	    HISTORY_IN;
	m->ts = sqlite3_column_int64(st, 5);
	m->received = sqlite3_column_int64(st, 6);
	m->type = history_column_text(st, 7);
	m->body = history_column_text(st, 8);
	m->msg_id = history_column_text(st, 9);
	m->origin_id = history_column_text(st, 10);
	m->stanza_id = history_column_text(st, 11);
	m->replace_id = history_column_text(st, 12);
}

int
history_recent(struct history *h, const char *peer, int64_t before_id,
    size_t n, struct history_msg **out, char **cause)
{
	sqlite3_stmt		*st = h->stmt[HSTMT_RECENT];
	struct history_msg	*msgs = NULL, tmp;
	size_t			 count = 0, size = 0, i;
	char			*error;
	int			 rc;

	*out = NULL;
	/* Show what is stored even when the queue cannot be written. */
	if (history_flush(h, &error) == -1) {
		log_warn("history: %s", error);
		free(error);
	}
	if (n == 0)
		return 0;
	if (n > INT_MAX)
		n = INT_MAX;

	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, before_id == 0 ? INT64_MAX : before_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == size) {
			size = size == 0 ? 64 : size * 2;
			if (size > n)
				size = n;
			msgs = xreallocarray(msgs, size, sizeof *msgs);
		}
		history_row(st, &msgs[count++]);
	}
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("cannot read message log: %s",
		    sqlite3_errmsg(h->db));
		history_stmt_done(st);
		history_msgs_free(msgs, count);
		return -1;
	}
	history_stmt_done(st);

	/* Newest first from the database; the caller wants oldest first. */
	for (i = 0; i < count / 2; i++) {
		tmp = msgs[i];
		msgs[i] = msgs[count - 1 - i];
		msgs[count - 1 - i] = tmp;
	}
	*out = msgs;
	return (int)count;
}

int64_t
history_count(struct history *h, const char *peer)
{
	sqlite3_stmt	*st;
	int64_t		 count = -1;
	int		 rc;

	if (peer != NULL) {
		st = h->stmt[HSTMT_COUNT_PEER];
		sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	} else
		st = h->stmt[HSTMT_COUNT_ALL];
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		count = sqlite3_column_int64(st, 0);
	else
		log_warn("history: count: %s", sqlite3_errmsg(h->db));
	history_stmt_done(st);
	return count;
}

static int
history_same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

int
history_has_id(struct history *h, const char *peer, const char *stanza_id,
    const char *origin_id)
{
	sqlite3_stmt		*st = h->stmt[HSTMT_HAS_ID];
	struct history_msg	*m;
	size_t			 i;
	int			 found = 0;

	if (peer == NULL || (stanza_id == NULL && origin_id == NULL))
		return 0;

	/* A queued row is as good as stored: it will be written. */
	for (i = h->nqueue; i > 0; i--) {
		m = &h->queue[i - 1];
		if (!history_same(m->peer, peer))
			continue;
		if (history_same(m->stanza_id, stanza_id) ||
		    history_same(m->origin_id, origin_id))
			return 1;
	}

	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, stanza_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, origin_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		found = sqlite3_column_int(st, 0) != 0;
	else
		log_warn("history: has_id: %s", sqlite3_errmsg(h->db));
	history_stmt_done(st);
	return found;
}

sqlite3 *
history_db(struct history *h)
{
	return h->db;
}

sqlite3_stmt *
history_seen_stmt(struct history *h)
{
	return h->stmt[HSTMT_SEEN];
}

const struct history_msg *
history_queued(const struct history *h, size_t *n)
{
	*n = h->nqueue;
	return h->queue;
}

void
history_msg_clear(struct history_msg *m)
{
	if (m == NULL)
		return;
	free(m->peer);
	free(m->from_jid);
	free(m->to_jid);
	free(m->type);
	free(m->body);
	free(m->msg_id);
	free(m->origin_id);
	free(m->stanza_id);
	free(m->replace_id);
	memset(m, 0, sizeof *m);
}

void
history_msgs_free(struct history_msg *msgs, size_t n)
{
	size_t	i;

	if (msgs == NULL)
		return;
	for (i = 0; i < n; i++)
		history_msg_clear(&msgs[i]);
	free(msgs);
}
