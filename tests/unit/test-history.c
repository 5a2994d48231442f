/*
 * test-history.c - the message log (src/store/history.c).
 *
 * Each test gets a fresh directory from mkdtemp() and a log.db path inside
 * it; the teardown removes whatever SQLite left there (-wal, -shm).  Tests
 * look at the file through their own sqlite3 connection where the public
 * API has nothing to say (schema version, journal mode).
 *
 * Write failures are made deterministic without root-sensitive tricks:
 * a disk-full test registers a wrapping VFS as SQLite's default that fails
 * every write with SQLITE_FULL while a flag is set (see full_vfs_install),
 * and a lock test holds the write lock from a second connection.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/history.h"
#include "util/xalloc.h"

struct fixture {
	char	 dir[PATH_MAX];
	char	*path;		/* dir/log.db */
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	const char	*tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp != '/')
		tmp = "/tmp";
	snprintf(f->dir, sizeof f->dir, "%s/szia-test-history.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	f->path = xasprintf("%s/log.db", f->dir);
	*state = f;
	return 0;
}

static void	full_vfs_remove(void);

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	struct dirent	*de;
	DIR		*d;
	char		*file;

	full_vfs_remove();
	if ((d = opendir(f->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			file = xasprintf("%s/%s", f->dir, de->d_name);
			unlink(file);
			free(file);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/*
 * A full disk on demand.  full_vfs wraps SQLite's default VFS ("unix") and
 * changes one thing: while full_vfs_on is set, every xWrite returns
 * SQLITE_FULL, which is what the unix VFS itself returns on ENOSPC.  It is
 * registered as the default VFS, so history_open() picks it up through the
 * public API alone.  An open file keeps the real sqlite3_file; only its
 * method table is swapped for a copy with xWrite replaced (the unix VFS
 * uses more than one table, so there is a copy per real table).
 */
#define FULL_VFS_TABLES	4
static sqlite3_vfs		*real_vfs;
static sqlite3_vfs		 full_vfs;
static const sqlite3_io_methods	*real_io[FULL_VFS_TABLES];
static sqlite3_io_methods	 full_io[FULL_VFS_TABLES];
static int			 full_vfs_on;

static int
full_vfs_write(sqlite3_file *file, const void *buf, int n, sqlite3_int64 off)
{
	const sqlite3_io_methods	*real = real_io[file->pMethods - full_io];

	if (full_vfs_on)
		return SQLITE_FULL;
	return real->xWrite(file, buf, n, off);
}

static int
full_vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
    int flags, int *outflags)
{
	size_t	i;
	int	rc;

	rc = real_vfs->xOpen(real_vfs, name, file, flags, outflags);
	if (file->pMethods == NULL)
		return rc;
	for (i = 0; i < FULL_VFS_TABLES; i++) {
		if (real_io[i] == NULL) {
			real_io[i] = file->pMethods;
			full_io[i] = *file->pMethods;
			full_io[i].xWrite = full_vfs_write;
		}
		if (real_io[i] == file->pMethods)
			break;
	}
	assert_true(i < FULL_VFS_TABLES);
	file->pMethods = &full_io[i];
	return rc;
}

static void
full_vfs_install(void)
{
	real_vfs = sqlite3_vfs_find("unix");
	assert_non_null(real_vfs);
	full_vfs = *real_vfs;
	full_vfs.pNext = NULL;
	full_vfs.zName = "szia-test-full";
	full_vfs.xOpen = full_vfs_open;
	full_vfs_on = 0;
	assert_int_equal(sqlite3_vfs_register(&full_vfs, 1), SQLITE_OK);
}

static void
full_vfs_remove(void)
{
	full_vfs_on = 0;
	if (real_vfs != NULL)
		sqlite3_vfs_unregister(&full_vfs);
	real_vfs = NULL;
	memset(real_io, 0, sizeof real_io);
}

/* A direct connection to the file, always through the plain unix VFS. */
static sqlite3 *
raw_open(const char *path)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open_v2(path, &db,
	    SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, "unix"), SQLITE_OK);
	return db;
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	char	*error = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK)
		fail_msg("%s: %s", sql, error);
}

static int64_t
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *
raw_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	char		*v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static struct history *
open_ok(const char *path)
{
	struct history	*h;
	char		*cause = NULL;

	h = history_open(path, &cause);
	if (h == NULL)
		fail_msg("history_open: %s", cause);
	assert_null(cause);
	return h;
}

static int
flush_ok(struct history *h)
{
	char	*cause = NULL;
	int	 n;

	if ((n = history_flush(h, &cause)) == -1)
		fail_msg("history_flush: %s", cause);
	assert_null(cause);
	return n;
}

/* Queue message I of PEER: every field set, ids derived from I. */
static void
add_msg(struct history *h, const char *peer, int i)
{
	struct history_msg	m;

	memset(&m, 0, sizeof m);
	m.peer = xstrdup(peer);
	m.from_jid = xasprintf("%s/phone", peer);
	m.to_jid = xstrdup("me@example.net/szia");
	m.dir = i % 2 == 0 ? HISTORY_IN : HISTORY_OUT;
	m.ts = 1700000000 + i;
	m.received = 1700000100 + i;
	m.type = xstrdup("chat");
	m.body = xasprintf("message %d", i);
	m.msg_id = xasprintf("m-%s-%d", peer, i);
	m.origin_id = xasprintf("o-%s-%d", peer, i);
	m.stanza_id = xasprintf("s-%s-%d", peer, i);
	if (i % 3 == 2)		/* a correction of the message before */
		m.replace_id = xasprintf("m-%s-%d", peer, i - 1);
	history_add(h, &m);
	history_msg_clear(&m);
}

static void
add_msgs(struct history *h, const char *peer, int first, int n)
{
	int	i;

	for (i = first; i < first + n; i++)
		add_msg(h, peer, i);
}

static void
assert_str_or_null(const char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

/* Assert that OUT[0..N) are the messages FIRST.. of PEER, oldest first. */
static void
assert_bodies(const struct history_msg *out, int n, int first)
{
	char	*want;
	int	 i;

	for (i = 0; i < n; i++) {
		want = xasprintf("message %d", first + i);
		assert_string_equal(out[i].body, want);
		free(want);
		if (i > 0)
			assert_true(out[i].id > out[i - 1].id);
	}
}

static void
history_open__creates_schema_version_1(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	sqlite3		*db;
	char		*mode;

	h = open_ok(f->path);
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(history_count(h, NULL), 0);

	/* Another connection while szia has it open (WAL allows readers). */
	db = raw_open(f->path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 3);
	assert_int_equal(raw_int(db, "PRAGMA application_id"), 0x737a6961);
	mode = raw_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name = 'messages'"), 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND name IN ('messages_peer_id', "
	    "'messages_peer_stanza_id', 'messages_peer_origin_id')"), 3);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND sql LIKE '%WHERE stanza_id IS NOT NULL'"),
	    1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND sql LIKE '%WHERE origin_id IS NOT NULL'"),
	    1);
	sqlite3_close(db);
	history_close(h);

	/* Opening again does not migrate twice. */
	h = open_ok(f->path);
	history_close(h);
	db = raw_open(f->path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 3);
	sqlite3_close(db);
}

static void
history_open__keeps_rows__when_reopened(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	*out;
	char			*cause = NULL;
	int			 n;

	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 3);
	assert_int_equal(flush_ok(h), 3);
	history_close(h);

	h = open_ok(f->path);
	assert_int_equal(history_count(h, NULL), 3);
	n = history_recent(h, "alice@example.net", 0, 10, &out, &cause);
	assert_int_equal(n, 3);
	assert_bodies(out, n, 0);
	history_msgs_free(out, n);

	/* New rows continue after the old ones. */
	add_msgs(h, "alice@example.net", 3, 1);
	assert_int_equal(flush_ok(h), 1);
	n = history_recent(h, "alice@example.net", 0, 10, &out, &cause);
	assert_int_equal(n, 4);
	assert_bodies(out, n, 0);
	history_msgs_free(out, n);
	history_close(h);
}

/* A log written by szia 0.1 (schema 2) gains the replace_id column and
 * keeps its rows; the new column round-trips. */
static void
history_open__migrates_version_2__keeping_rows(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	*out;
	sqlite3			*db;
	char			*cause = NULL;
	int			 n;

	db = raw_open(f->path);
	raw_exec(db, "CREATE TABLE messages (id INTEGER PRIMARY KEY, peer TEXT "
	    "NOT NULL, from_jid TEXT, to_jid TEXT, dir INTEGER NOT NULL, ts "
	    "INTEGER NOT NULL, received INTEGER NOT NULL, type TEXT, body "
	    "TEXT, msg_id TEXT, origin_id TEXT, stanza_id TEXT);"
	    "CREATE TABLE archives (archive TEXT PRIMARY KEY, last_id TEXT "
	    "NOT NULL, updated INTEGER NOT NULL);"
	    "INSERT INTO messages (peer, dir, ts, received, body, msg_id) "
	    "VALUES ('bob@example.org', 0, 1, 2, 'old', 'x1');"
	    "PRAGMA application_id = 1937402209; PRAGMA user_version = 2;");
	sqlite3_close(db);

	h = open_ok(f->path);
	n = history_recent(h, "bob@example.org", 0, 10, &out, &cause);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].body, "old");
	assert_null(out[0].replace_id);
	history_msgs_free(out, n);

	add_msgs(h, "bob@example.org", 1, 2);	/* message 2 corrects 1 */
	assert_int_equal(flush_ok(h), 2);
	n = history_recent(h, "bob@example.org", 0, 10, &out, &cause);
	assert_int_equal(n, 3);
	assert_null(out[1].replace_id);
	assert_string_equal(out[2].replace_id, "m-bob@example.org-1");
	history_msgs_free(out, n);
	history_close(h);

	db = raw_open(f->path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 3);
	sqlite3_close(db);
}

static void
history_close__flushes_queued_rows(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;

	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 5);
	assert_int_equal(history_pending(h), 5);
	history_close(h);

	h = open_ok(f->path);
	assert_int_equal(history_count(h, "alice@example.net"), 5);
	history_close(h);

	history_close(NULL);
}

static void
history_flush__returns_0__when_queue_empty(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	char		*cause = NULL;

	h = open_ok(f->path);
	assert_int_equal(history_flush(h, &cause), 0);
	assert_null(cause);
	add_msgs(h, "alice@example.net", 0, 2);
	assert_int_equal(flush_ok(h), 2);
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(history_flush(h, &cause), 0);
	assert_null(cause);
	assert_int_equal(history_count(h, NULL), 2);
	history_close(h);
}

static void
history_recent__round_trips_all_fields(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	 full, bare, *out;
	char			*cause = NULL;
	int			 n;

	memset(&full, 0, sizeof full);
	full.id = 12345;	/* ignored: the database assigns ids */
	full.peer = xstrdup("bob@example.org");
	full.from_jid = xstrdup("bob@example.org/laptop");
	full.to_jid = xstrdup("me@example.net/szia");
	full.dir = HISTORY_IN;
	full.ts = INT64_C(1700000000);
	full.received = INT64_C(1700000042);
	full.type = xstrdup("chat");
	full.body = xstrdup("árvíztűrő tükörfúrógép 🙂\nline 2 "
	    "'); DROP TABLE messages; --");
	full.msg_id = xstrdup("msg-1");
	full.origin_id = xstrdup("origin-1");
	full.stanza_id = xstrdup("stanza-1");

	memset(&bare, 0, sizeof bare);
	bare.peer = xstrdup("bob@example.org");
	bare.dir = HISTORY_OUT;
	bare.ts = -1;
	bare.received = INT64_MAX;

	h = open_ok(f->path);
	history_add(h, &full);
	history_add(h, &bare);
	assert_int_equal(flush_ok(h), 2);

	n = history_recent(h, "bob@example.org", 0, 10, &out, &cause);
	assert_null(cause);
	assert_int_equal(n, 2);

	assert_true(out[0].id > 0);
	assert_true(out[0].id != full.id);
	assert_string_equal(out[0].peer, full.peer);
	assert_string_equal(out[0].from_jid, full.from_jid);
	assert_string_equal(out[0].to_jid, full.to_jid);
	assert_int_equal(out[0].dir, HISTORY_IN);
	assert_int_equal(out[0].ts, full.ts);
	assert_int_equal(out[0].received, full.received);
	assert_string_equal(out[0].type, full.type);
	assert_string_equal(out[0].body, full.body);
	assert_string_equal(out[0].msg_id, full.msg_id);
	assert_string_equal(out[0].origin_id, full.origin_id);
	assert_string_equal(out[0].stanza_id, full.stanza_id);

	assert_true(out[1].id > out[0].id);
	assert_string_equal(out[1].peer, bare.peer);
	assert_str_or_null(out[1].from_jid, NULL);
	assert_str_or_null(out[1].to_jid, NULL);
	assert_int_equal(out[1].dir, HISTORY_OUT);
	assert_int_equal(out[1].ts, -1);
	assert_int_equal(out[1].received, INT64_MAX);
	assert_str_or_null(out[1].type, NULL);
	assert_str_or_null(out[1].body, NULL);
	assert_str_or_null(out[1].msg_id, NULL);
	assert_str_or_null(out[1].origin_id, NULL);
	assert_str_or_null(out[1].stanza_id, NULL);

	/* The caller's messages were copied, not taken. */
	assert_string_equal(full.body, out[0].body);
	history_msgs_free(out, n);
	history_msg_clear(&full);
	history_msg_clear(&bare);
	assert_null(full.peer);
	assert_int_equal(full.ts, 0);

	/* Nothing for an unknown peer; n = 0 asks for nothing. */
	n = history_recent(h, "nobody@example.org", 0, 10, &out, &cause);
	assert_int_equal(n, 0);
	history_msgs_free(out, n);
	n = history_recent(h, "bob@example.org", 0, 0, &out, &cause);
	assert_int_equal(n, 0);
	history_msgs_free(out, n);
	history_close(h);
}

static void
history_recent__pages_older_rows_oldest_first__with_before_id(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	*out;
	char			*cause = NULL;
	int64_t			 before;
	int			 i, n;

	/* Interleave two peers so ids of one peer are not contiguous. */
	h = open_ok(f->path);
	for (i = 0; i < 10; i++) {
		add_msg(h, "alice@example.net", i);
		add_msg(h, "bob@example.org", i);
	}
	assert_int_equal(flush_ok(h), 20);

	n = history_recent(h, "alice@example.net", 0, 4, &out, &cause);
	assert_int_equal(n, 4);
	assert_bodies(out, n, 6);
	before = out[0].id;
	history_msgs_free(out, n);

	n = history_recent(h, "alice@example.net", before, 4, &out, &cause);
	assert_int_equal(n, 4);
	assert_bodies(out, n, 2);
	for (i = 0; i < n; i++) {
		assert_true(out[i].id < before);
		assert_string_equal(out[i].peer, "alice@example.net");
	}
	before = out[0].id;
	history_msgs_free(out, n);

	n = history_recent(h, "alice@example.net", before, 4, &out, &cause);
	assert_int_equal(n, 2);
	assert_bodies(out, n, 0);
	before = out[0].id;
	history_msgs_free(out, n);

	n = history_recent(h, "alice@example.net", before, 4, &out, &cause);
	assert_int_equal(n, 0);
	assert_null(out);
	assert_null(cause);

	/* A large N returns everything, still oldest first. */
	n = history_recent(h, "bob@example.org", 0, SIZE_MAX, &out, &cause);
	assert_int_equal(n, 10);
	assert_bodies(out, n, 0);
	history_msgs_free(out, n);
	history_close(h);
}

static void
history_recent__flushes_queued_rows_first(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	*out;
	char			*cause = NULL;
	int			 n;

	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 2);
	assert_int_equal(flush_ok(h), 2);
	add_msgs(h, "alice@example.net", 2, 3);
	assert_int_equal(history_pending(h), 3);

	n = history_recent(h, "alice@example.net", 0, 10, &out, &cause);
	assert_null(cause);
	assert_int_equal(n, 5);
	assert_bodies(out, n, 0);
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(history_count(h, NULL), 5);
	history_msgs_free(out, n);
	history_close(h);
}

static void
history_count__counts_per_peer_and_total(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;

	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 3);
	add_msgs(h, "bob@example.org", 0, 2);
	assert_int_equal(flush_ok(h), 5);
	/* Queued rows are not stored yet. */
	add_msgs(h, "bob@example.org", 2, 1);

	assert_int_equal(history_count(h, "alice@example.net"), 3);
	assert_int_equal(history_count(h, "bob@example.org"), 2);
	assert_int_equal(history_count(h, "carol@example.com"), 0);
	assert_int_equal(history_count(h, NULL), 5);

	assert_int_equal(flush_ok(h), 1);
	assert_int_equal(history_count(h, "bob@example.org"), 3);
	assert_int_equal(history_count(h, NULL), 6);
	history_close(h);
}

static void
history_has_id__finds_stanza_id_and_origin_id(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	const char	*a = "alice@example.net";

	h = open_ok(f->path);
	add_msgs(h, a, 0, 3);
	assert_int_equal(flush_ok(h), 3);

	assert_int_equal(history_has_id(h, a, "s-alice@example.net-1", NULL),
	    1);
	assert_int_equal(history_has_id(h, a, NULL, "o-alice@example.net-2"),
	    1);
	/* Either one matching is enough. */
	assert_int_equal(history_has_id(h, a, "nope",
	    "o-alice@example.net-0"), 1);
	assert_int_equal(history_has_id(h, a, "s-alice@example.net-0",
	    "nope"), 1);

	assert_int_equal(history_has_id(h, a, "nope", "nope"), 0);
	assert_int_equal(history_has_id(h, a, NULL, NULL), 0);
	/* A stanza-id is not looked up among origin-ids, nor the reverse. */
	assert_int_equal(history_has_id(h, a, "o-alice@example.net-1", NULL),
	    0);
	assert_int_equal(history_has_id(h, a, NULL, "s-alice@example.net-1"),
	    0);
	history_close(h);
}

static void
history_has_id__is_false__for_other_peer(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;

	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 1);
	assert_int_equal(flush_ok(h), 1);
	assert_int_equal(history_has_id(h, "bob@example.org",
	    "s-alice@example.net-0", "o-alice@example.net-0"), 0);
	assert_int_equal(history_has_id(h, "alice@example.net",
	    "s-alice@example.net-0", NULL), 1);
	history_close(h);
}

static void
history_has_id__is_true__for_queued_row(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;

	/* Dedup must work within one wake-up, before the flush. */
	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 1);
	assert_int_equal(history_has_id(h, "alice@example.net",
	    "s-alice@example.net-0", NULL), 1);
	assert_int_equal(history_has_id(h, "alice@example.net", NULL,
	    "o-alice@example.net-0"), 1);
	assert_int_equal(history_has_id(h, "bob@example.org",
	    "s-alice@example.net-0", "o-alice@example.net-0"), 0);
	assert_int_equal(history_pending(h), 1);
	history_close(h);
}

static void
history_open__refuses_db__when_schema_newer(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	sqlite3		*db;
	char		*cause = NULL, *mode;

	db = raw_open(f->path);
	raw_exec(db, "CREATE TABLE messages (id INTEGER PRIMARY KEY, x);"
	    "PRAGMA user_version = 99;");
	sqlite3_close(db);

	h = history_open(f->path, &cause);
	assert_null(h);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "schema version 99 is newer"));
	assert_non_null(strstr(cause, "(3)"));
	free(cause);

	/* Refused, not touched: still version 99, still not WAL. */
	db = raw_open(f->path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 99);
	mode = raw_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "delete");
	free(mode);
	sqlite3_close(db);
}

static void
history_open__refuses_file__when_not_a_database(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	struct stat	 sb;
	FILE		*fp;
	char		*cause = NULL;
	int		 i;

	assert_non_null(fp = fopen(f->path, "w"));
	for (i = 0; i < 200; i++)
		fprintf(fp, "line %d of a text file, not a database\n", i);
	fclose(fp);
	assert_int_equal(stat(f->path, &sb), 0);

	h = history_open(f->path, &cause);
	assert_null(h);
	assert_non_null(cause);
	assert_non_null(strstr(cause, f->path));
	assert_non_null(strstr(cause,
	    "log.db is not a szia database: file is not a database"));
	free(cause);

	/* Left alone: same size, no WAL beside it. */
	{
		struct stat	after;
		char		*wal = xasprintf("%s-wal", f->path);

		assert_int_equal(stat(f->path, &after), 0);
		assert_int_equal(after.st_size, sb.st_size);
		assert_int_equal(stat(wal, &after), -1);
		free(wal);
	}
}

static void
history_open__refuses_db__when_other_application(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	sqlite3		*db;
	char		*cause = NULL;

	db = raw_open(f->path);
	raw_exec(db, "CREATE TABLE t (x); PRAGMA application_id = 42;"
	    "PRAGMA user_version = 1;");
	sqlite3_close(db);

	h = history_open(f->path, &cause);
	assert_null(h);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "is not a szia database"));
	free(cause);
}

static void
history_open__refuses_db__when_tables_without_version(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	sqlite3		*db;
	char		*cause = NULL;

	db = raw_open(f->path);
	raw_exec(db, "CREATE TABLE contacts (jid TEXT);");
	sqlite3_close(db);

	h = history_open(f->path, &cause);
	assert_null(h);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "is not a szia database"));
	free(cause);

	db = raw_open(f->path);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master"), 1);
	sqlite3_close(db);
}

static void
history_open__fails__when_folder_missing(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;
	char		*cause = NULL, *path;

	path = xasprintf("%s/missing/log.db", f->dir);
	h = history_open(path, &cause);
	assert_null(h);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot open"));
	assert_non_null(strstr(cause, path));
	free(cause);
	free(path);
}

static void
history_flush__keeps_rows__when_disk_full(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	*out;
	char			*cause = NULL;
	int			 n;

	full_vfs_install();
	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 5);
	assert_int_equal(flush_ok(h), 5);

	add_msgs(h, "alice@example.net", 5, 100);
	full_vfs_on = 1;
	assert_int_equal(history_flush(h, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause,
	    "cannot write message log: database or disk is full");
	free(cause);
	cause = NULL;
	assert_int_equal(history_pending(h), 100);

	/* Again: the statements were reset, the result is the same. */
	assert_int_equal(history_flush(h, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(history_pending(h), 100);
	assert_int_equal(history_count(h, NULL), 5);
	assert_int_equal(history_has_id(h, "alice@example.net",
	    "s-alice@example.net-104", NULL), 1);

	/* Space again: everything is written, once. */
	full_vfs_on = 0;
	assert_int_equal(flush_ok(h), 100);
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(flush_ok(h), 0);
	assert_int_equal(history_count(h, NULL), 105);
	history_close(h);
	full_vfs_remove();

	h = open_ok(f->path);
	assert_int_equal(history_count(h, "alice@example.net"), 105);
	n = history_recent(h, "alice@example.net", 0, 1000, &out, &cause);
	assert_int_equal(n, 105);
	assert_bodies(out, n, 0);
	history_msgs_free(out, n);
	history_close(h);
}

static void
history_flush__keeps_rows__when_disk_fills_mid_batch(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	 m;
	char			*cause = NULL;
	int			 i;

	/*
	 * 16 MB of rows is more than SQLite's page cache holds, so pages
	 * are written while the INSERTs run, not only at COMMIT: the failure
	 * comes from a step in the middle of the batch.
	 */
	full_vfs_install();
	h = open_ok(f->path);
	memset(&m, 0, sizeof m);
	m.peer = xstrdup("alice@example.net");
	m.body = xmalloc(4096);
	memset(m.body, 'x', 4095);
	m.body[4095] = '\0';
	for (i = 0; i < 4000; i++)
		history_add(h, &m);
	history_msg_clear(&m);

	full_vfs_on = 1;
	assert_int_equal(history_flush(h, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause,
	    "cannot write message log: database or disk is full");
	free(cause);
	assert_int_equal(history_pending(h), 4000);
	assert_int_equal(history_count(h, NULL), 0);

	full_vfs_on = 0;
	assert_int_equal(flush_ok(h), 4000);
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(history_count(h, NULL), 4000);
	history_close(h);
}

static void
history_flush__keeps_rows__when_database_locked(void **state)
{
	struct fixture		*f = *state;
	struct history		*h;
	struct history_msg	*out;
	sqlite3			*other;
	char			*cause = NULL;
	int			 n;

	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 2);
	assert_int_equal(flush_ok(h), 2);

	/*
	 * Another writer (a second szia on the same account) holds the
	 * write lock; flush gives up after history.c's busy timeout.
	 */
	other = raw_open(f->path);
	raw_exec(other, "BEGIN EXCLUSIVE");
	add_msgs(h, "alice@example.net", 2, 3);
	assert_int_equal(history_flush(h, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause,
	    "cannot write message log: database is locked");
	free(cause);
	cause = NULL;
	assert_int_equal(history_pending(h), 3);

	/* Reading still works and shows what is stored. */
	n = history_recent(h, "alice@example.net", 0, 10, &out, &cause);
	assert_null(cause);
	assert_int_equal(n, 2);
	assert_bodies(out, n, 0);
	history_msgs_free(out, n);
	assert_int_equal(history_pending(h), 3);

	raw_exec(other, "ROLLBACK");
	sqlite3_close(other);
	assert_int_equal(flush_ok(h), 3);
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(history_count(h, NULL), 5);
	n = history_recent(h, "alice@example.net", 0, 10, &out, &cause);
	assert_int_equal(n, 5);
	assert_bodies(out, n, 0);
	history_msgs_free(out, n);
	history_close(h);
}

static void
history_flush__writes_10000_rows__in_one_flush(void **state)
{
	struct fixture	*f = *state;
	struct history	*h;

	h = open_ok(f->path);
	add_msgs(h, "alice@example.net", 0, 10000);
	assert_int_equal(history_pending(h), 10000);
	assert_int_equal(flush_ok(h), 10000);
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(history_count(h, NULL), 10000);
	assert_int_equal(history_count(h, "alice@example.net"), 10000);
	assert_int_equal(history_has_id(h, "alice@example.net",
	    "s-alice@example.net-9999", NULL), 1);
	history_close(h);
}

static void
history_msgs_free__accepts_null(void **state)
{
	history_msgs_free(NULL, 0);
	history_msgs_free(NULL, 5);
	history_msg_clear(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(history_open__creates_schema_version_1),
		T(history_open__keeps_rows__when_reopened),
		T(history_open__migrates_version_2__keeping_rows),
		T(history_close__flushes_queued_rows),
		T(history_flush__returns_0__when_queue_empty),
		T(history_recent__round_trips_all_fields),
		T(history_recent__pages_older_rows_oldest_first__with_before_id),
		T(history_recent__flushes_queued_rows_first),
		T(history_count__counts_per_peer_and_total),
		T(history_has_id__finds_stanza_id_and_origin_id),
		T(history_has_id__is_false__for_other_peer),
		T(history_has_id__is_true__for_queued_row),
		T(history_open__refuses_db__when_schema_newer),
		T(history_open__refuses_file__when_not_a_database),
		T(history_open__refuses_db__when_other_application),
		T(history_open__refuses_db__when_tables_without_version),
		T(history_open__fails__when_folder_missing),
		T(history_flush__keeps_rows__when_disk_full),
		T(history_flush__keeps_rows__when_disk_fills_mid_batch),
		T(history_flush__keeps_rows__when_database_locked),
		T(history_flush__writes_10000_rows__in_one_flush),
		T(history_msgs_free__accepts_null),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
