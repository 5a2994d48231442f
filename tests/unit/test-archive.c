/*
 * test-archive.c - [sync] the log's synchronisation side
 * (src/store/archive.c) and schema migration 2 (src/store/history.c).
 */
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

#include "store/archive.h"
#include "store/history.h"
#include "util/xalloc.h"

#define BOB	"bob@example.org"
#define ME_FULL	"alice@example.org/szia"

static char	*path;
static char	 dir[PATH_MAX];

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/szia-test-archive.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	path = xasprintf("%s/log.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	char	*f;

	unlink(path);
	f = xasprintf("%s-wal", path);
	unlink(f);
	free(f);
	f = xasprintf("%s-shm", path);
	unlink(f);
	free(f);
	rmdir(dir);
	free(path);
	return 0;
}

static struct history *
open_ok(void)
{
	char		*cause = NULL;
	struct history	*h = history_open(path, &cause);

	if (h == NULL)
		fail_msg("history_open: %s", cause);
	return h;
}

static void
add(struct history *h, int dir_out, const char *from, const char *body,
    const char *msg_id, const char *origin_id, const char *stanza_id)
{
	struct history_msg	m;

	memset(&m, 0, sizeof m);
	m.peer = (char *)BOB;
	m.from_jid = (char *)from;
	m.dir = dir_out ? HISTORY_OUT : HISTORY_IN;
	m.ts = m.received = 1000;
	m.type = (char *)"chat";
	m.body = (char *)body;
	m.msg_id = (char *)msg_id;
	m.origin_id = (char *)origin_id;
	m.stanza_id = (char *)stanza_id;
	history_add(h, &m);
}

static void
history_seen__finds_stanza_id_and_own_origin_id__queued_or_stored(
    void **state)
{
	struct history	*h = open_ok();
	char		*cause = NULL;
	int		 pass;

	add(h, 0, BOB "/desk", "hi", "m1", NULL, "S1");
	add(h, 1, ME_FULL, "yo", "o2", "o2", NULL);
	for (pass = 0; pass < 2; pass++) {
		/* pass 0: still queued; pass 1: written. */
		assert_true(history_seen(h, BOB, "S1", NULL, NULL, NULL));
		assert_true(history_seen(h, BOB, "S9", "o2", "o2", ME_FULL));
		assert_true(history_seen(h, BOB, NULL, NULL, "m1",
		    BOB "/desk"));
		/* Same id from someone else is another message. */
		assert_false(history_seen(h, BOB, NULL, "o2", "o2",
		    BOB "/desk"));
		assert_false(history_seen(h, "carol@example.org", "S1", NULL,
		    NULL, NULL));
		assert_false(history_seen(h, BOB, "S2", NULL, NULL, NULL));
		assert_false(history_seen(h, BOB, NULL, NULL, NULL, NULL));
		assert_int_equal(history_flush(h, &cause), pass == 0 ? 2 : 0);
	}
	history_close(h);
}

static void
history_archive_set__keeps_last_id__across_reopen(void **state)
{
	struct history	*h = open_ok();
	char		*cause = NULL, *id;

	assert_null(history_archive_last(h, "alice@example.org"));
	add(h, 0, BOB "/desk", "hi", "m1", NULL, "S1");
	assert_int_equal(history_archive_set(h, "alice@example.org", "S1",
	    &cause), 0);
	/* The message queued before the id was written first. */
	assert_int_equal(history_pending(h), 0);
	assert_int_equal(history_archive_set(h, "alice@example.org", "S2",
	    &cause), 0);
	assert_int_equal(history_archive_set(h, "room@muc.example.org", "R1",
	    &cause), 0);
	history_close(h);
	h = open_ok();
	id = history_archive_last(h, "alice@example.org");
	assert_string_equal(id, "S2");
	free(id);
	id = history_archive_last(h, "room@muc.example.org");
	assert_string_equal(id, "R1");
	free(id);
	history_close(h);
}

static void
history_oldest_stanza_id__is_by_time(void **state)
{
	struct history		*h = open_ok();
	struct history_msg	 m;
	char			*id;

	assert_null(history_oldest_stanza_id(h, BOB));
	add(h, 1, ME_FULL, "no id", "o1", "o1", NULL);
	add(h, 0, BOB "/desk", "new", "m2", NULL, "NEW");
	/* Fetched from the archive later, but older. */
	memset(&m, 0, sizeof m);
	m.peer = (char *)BOB;
	m.from_jid = (char *)BOB;
	m.ts = m.received = 10;
	m.body = (char *)"old";
	m.stanza_id = (char *)"OLD";
	history_add(h, &m);
	id = history_oldest_stanza_id(h, BOB);
	assert_string_equal(id, "OLD");
	free(id);
	history_close(h);
}

static void
history_open__migrates_version_1__keeping_rows(void **state)
{
	sqlite3		*db;
	struct history	*h;
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "CREATE TABLE messages (id INTEGER PRIMARY KEY, peer TEXT NOT "
	    "NULL, from_jid TEXT, to_jid TEXT, dir INTEGER NOT NULL, ts "
	    "INTEGER NOT NULL, received INTEGER NOT NULL, type TEXT, body "
	    "TEXT, msg_id TEXT, origin_id TEXT, stanza_id TEXT);"
	    "INSERT INTO messages (peer, dir, ts, received, body, stanza_id) "
	    "VALUES ('bob@example.org', 0, 1, 1, 'kept', 'K1');"
	    "PRAGMA application_id = 1937402209; PRAGMA user_version = 1;",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	h = open_ok();
	assert_int_equal(history_count(h, NULL), 1);
	assert_true(history_seen(h, BOB, "K1", NULL, NULL, NULL));
	history_close(h);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 3);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "sqlite_master WHERE name IN ('archives', 'messages_peer_msg_id')",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(history_seen__finds_stanza_id_and_own_origin_id__queued_or_stored),
		T(history_archive_set__keeps_last_id__across_reopen),
		T(history_oldest_stanza_id__is_by_time),
		T(history_open__migrates_version_1__keeping_rows),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
