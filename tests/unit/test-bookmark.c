/*
 * test-bookmark.c - unit tests for the core's bookmarks (bookmark.c,
 * cmd-bookmark.c) and service discovery (disco.c): events in, requests
 * and window lines out, hostile remote text included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/bookmark.h"
#include "core/core.h"
#include "util/xalloc.h"

#define ROOM	"room@conference.example.org"
#define ROOM2	"other@conference.example.org"
#define COMPAT	"urn:xmpp:bookmarks:1#compat"

/* The id of the bookmarks fetch go_online() saw queued. */
static char	*fetch_id;

/* Every line of W is safe for a terminal. */
static void
assert_window_safe(const struct window *w)
{
	size_t	i;

	for (i = 0; i < w->buf.len; i++) {
		if (!text_is_safe(window_line(w, i)->text))
			fail_msg("unsafe line: %s", window_line(w, i)->text);
	}
}

static void
send_disco_account(struct szia *sz, int compat)
{
	const char	*feats[] = { "http://jabber.org/protocol/disco#info",
	    COMPAT };
	struct ev	 ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCO;
	ev.disco.from = ME;
	ev.disco.ok = 1;
	ev.disco.account = 1;
	ev.disco.features = feats;
	ev.disco.nfeatures = compat ? 2 : 1;
	core_handle(sz, &ev);
}

/* Online; the account said COMPAT or not; the fetch's id in fetch_id. */
static void
go_online(struct szia *sz, int compat)
{
	struct req	*r;

	tu_online(sz);
	req_free(tu_pop(sz, REQ_CONNECT));
	req_free(tu_pop(sz, REQ_PRESENCE));
	req_free(tu_pop(sz, REQ_CARBONS));		/* sync: carbons, catch-up */
	req_free(tu_pop(sz, REQ_MAM_QUERY));
	tu_outbox_empty(sz);
	send_disco_account(sz, compat);
	r = tu_pop(sz, REQ_BOOKMARK);
	assert_int_equal(r->bookmark.op, BM_FETCH);
	assert_int_equal(r->bookmark.private_storage, !compat);
	fetch_id = xstrdup(r->bookmark.id);
	req_free(r);
}

/* EV_BOOKMARKS: the answer to request ID (NULL: a notification), OK or
 * ERROR, with N items B. */
static void
send_bookmarks(struct szia *sz, const char *id, const char *error,
    const struct ev_bookmark *b, size_t n)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_BOOKMARKS;
	ev.bookmarks.id = id;
	ev.bookmarks.ok = error == NULL;
	ev.bookmarks.error = error;
	ev.bookmarks.items = b;
	ev.bookmarks.nitems = n;
	core_handle(sz, &ev);
}

/* The answer to go_online()'s fetch: N items B. */
static void
send_fetched(struct szia *sz, const struct ev_bookmark *b, size_t n)
{
	send_bookmarks(sz, fetch_id, NULL, b, n);
}

/* EV_DISCO: the #items answer to ID, N items LIST (MORE: a page of more). */
static void
send_disco_items(struct szia *sz, const char *id,
    const struct ev_disco_item *list, size_t n, int more)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCO;
	ev.disco.id = id;
	ev.disco.ok = 1;
	ev.disco.items = 1;
	ev.disco.list = list;
	ev.disco.nlist = n;
	ev.disco.more = more;
	core_handle(sz, &ev);
}

static int
teardown(void **state)
{
	free(fetch_id);
	fetch_id = NULL;
	return tu_core_teardown(state);
}

/* Was joining ROOM attempted (core_join_room)?  Today's stub says it
 * cannot; group chat opens a window named after the room. */
static int
join_attempted(struct szia *sz, const char *room)
{
	struct window	*w;
	size_t		 i;

	if (windows_find(&sz->windows, room) != NULL)
		return 1;
	for (w = sz->windows.head; w != NULL; w = w->next) {
		for (i = 0; i < w->buf.len; i++) {
			if (strstr(window_line(w, i)->text, room) != NULL &&
			    strcasestr(window_line(w, i)->text, "join") != NULL)
				return 1;
		}
	}
	return 0;
}

/* --- bookmarks ----------------------------------------------------------- */

static void
account_without_compat__uses_private_storage(void **state)
{
	struct szia	*sz = *state;

	go_online(sz, 0);
	send_fetched(sz, NULL, 0);
	assert_int_equal(bookmarks_get(sz)->mode, BM_MODE_PRIVATE);
	core_input(sz, "/bookmark list");
	assert_non_null(tu_find_line(tu_console(sz),
	    "No bookmarks in private storage"));
}

static void
fetch__joins_autojoin_rooms_only(void **state)
{
	struct szia		*sz = *state;
	struct ev_bookmark	 b[2] = {
		{ ROOM, "Room", "al", "pw", 1, NULL },
		{ ROOM2, NULL, NULL, NULL, 0, NULL },
	};

	go_online(sz, 1);
	send_fetched(sz, b, 2);
	assert_true(join_attempted(sz, ROOM));
	assert_false(join_attempted(sz, ROOM2));
	assert_int_equal(bookmarks_get(sz)->n, 2);
}

static void
fetch__drops_bad_jids_and_sanitises_text(void **state)
{
	struct szia		*sz = *state;
	struct ev_bookmark	 b[3] = {
		{ "bad@@jid", "x", NULL, NULL, 1, NULL },
		{ ROOM "/resource", "y", NULL, NULL, 1, NULL },
		{ ROOM, "\x1b[31mred\x07", "n\x1b]0;title\x07", NULL, 0,
		    NULL },
	};

	go_online(sz, 1);
	send_fetched(sz, b, 3);
	assert_int_equal(bookmarks_get(sz)->n, 1);
	core_input(sz, "/bookmark list");
	assert_non_null(tu_find_line(tu_console(sz), "Bookmarks (1, in PEP)"));
	assert_non_null(tu_find_line(tu_console(sz), "  " ROOM " \""));
	assert_window_safe(tu_console(sz));
}

static void
add__is_refused__until_loaded(void **state)
{
	struct szia	*sz = *state;

	go_online(sz, 1);
	core_input(sz, "/bookmark add " ROOM);
	assert_non_null(tu_find_line(tu_console(sz), "not loaded yet"));
	tu_outbox_empty(sz);
}

static void
add_and_remove__publish_and_retract_one_item(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz, 1);
	send_fetched(sz, NULL, 0);
	core_input(sz, "/bookmark add " ROOM " --nick al --password \"p w\" "
	    "--name \"My room\" --autojoin off");
	r = tu_pop(sz, REQ_BOOKMARK);
	assert_int_equal(r->bookmark.op, BM_PUBLISH);
	assert_int_equal(r->bookmark.nbm, 1);
	assert_string_equal(r->bookmark.bm[0].jid, ROOM);
	assert_string_equal(r->bookmark.bm[0].nick, "al");
	assert_string_equal(r->bookmark.bm[0].password, "p w");
	assert_string_equal(r->bookmark.bm[0].name, "My room");
	assert_int_equal(r->bookmark.bm[0].autojoin, 0);
	send_bookmarks(sz, r->bookmark.id, NULL, NULL, 0);
	req_free(r);
	assert_non_null(tu_find_line(tu_console(sz), "Bookmark " ROOM " saved."));

	/* Changing one field keeps the others. */
	core_input(sz, "/bookmark add " ROOM " --nick bob");
	r = tu_pop(sz, REQ_BOOKMARK);
	assert_string_equal(r->bookmark.bm[0].nick, "bob");
	assert_string_equal(r->bookmark.bm[0].name, "My room");
	assert_string_equal(r->bookmark.bm[0].password, "p w");
	req_free(r);

	core_input(sz, "/bookmark remove " ROOM);
	r = tu_pop(sz, REQ_BOOKMARK);
	assert_int_equal(r->bookmark.op, BM_RETRACT);
	assert_string_equal(r->bookmark.bm[0].jid, ROOM);
	/* The server refuses: one line, and the list is fetched again. */
	send_bookmarks(sz, r->bookmark.id, "forbidden\x1b[2J", NULL, 0);
	req_free(r);
	assert_non_null(tu_find_line(tu_console(sz), "Cannot remove bookmark "
	    ROOM ": forbidden"));
	assert_window_safe(tu_console(sz));
	r = tu_pop(sz, REQ_BOOKMARK);
	assert_int_equal(r->bookmark.op, BM_FETCH);
	req_free(r);
}

static void
private_storage__stores_the_whole_list(void **state)
{
	struct szia		*sz = *state;
	struct ev_bookmark	 b[1] = {
		{ ROOM2, "Other", NULL, NULL, 0, NULL },
	};
	struct req		*r;

	go_online(sz, 0);
	send_fetched(sz, b, 1);
	core_input(sz, "/bookmark add " ROOM);
	r = tu_pop(sz, REQ_BOOKMARK);
	assert_int_equal(r->bookmark.op, BM_STORE);
	assert_int_equal(r->bookmark.private_storage, 1);
	assert_int_equal(r->bookmark.nbm, 2);
	assert_string_equal(r->bookmark.bm[0].jid, ROOM2);
	assert_string_equal(r->bookmark.bm[1].jid, ROOM);
	assert_int_equal(r->bookmark.bm[1].autojoin, 1);
	req_free(r);
	core_input(sz, "/bookmark remove " ROOM2);
	r = tu_pop(sz, REQ_BOOKMARK);
	assert_int_equal(r->bookmark.op, BM_STORE);
	assert_int_equal(r->bookmark.nbm, 1);
	assert_string_equal(r->bookmark.bm[0].jid, ROOM);
	req_free(r);
}

static void
add__refuses_bad_input(void **state)
{
	struct szia	*sz = *state;

	go_online(sz, 1);
	send_fetched(sz, NULL, 0);
	core_input(sz, "/bookmark add");
	assert_non_null(tu_find_line(tu_console(sz), "which room?"));
	core_input(sz, "/bookmark add conference.example.org");
	assert_non_null(tu_find_line(tu_console(sz), "is not a room JID"));
	core_input(sz, "/bookmark add " ROOM " --autojoin maybe");
	assert_non_null(tu_find_line(tu_console(sz), "--autojoin on or off"));
	core_input(sz, "/bookmark add " ROOM " --colour red");
	assert_non_null(tu_find_line(tu_console(sz), "unknown option --colour"));
	core_input(sz, "/bookmark add " ROOM " --nick");
	assert_non_null(tu_find_line(tu_console(sz), "--nick needs a value"));
	core_input(sz, "/bookmark remove nobody@conference.example.org");
	assert_non_null(tu_find_line(tu_console(sz), "no bookmark for"));
	tu_outbox_empty(sz);
}

static void
notification__adds_and_removes(void **state)
{
	struct szia		*sz = *state;
	struct ev_bookmark	 b[1] = {
		{ ROOM, "Room", NULL, NULL, 1, NULL },
	};
	const char		*gone[] = { ROOM };
	struct ev		 ev;

	go_online(sz, 1);
	send_fetched(sz, NULL, 0);
	send_bookmarks(sz, NULL, NULL, b, 1);
	assert_non_null(bookmark_find(sz, ROOM));
	assert_non_null(tu_find_line(tu_console(sz), "Bookmark " ROOM " added or "
	    "changed by another client."));
	/* Autojoin set on another client: joined now (XEP-0402 5.2). */
	assert_true(join_attempted(sz, ROOM));
	memset(&ev, 0, sizeof ev);
	ev.type = EV_BOOKMARKS;
	ev.bookmarks.ok = 1;
	ev.bookmarks.retracted = gone;
	ev.bookmarks.nretracted = 1;
	core_handle(sz, &ev);
	assert_null(bookmark_find(sz, ROOM));
	assert_non_null(tu_find_line(tu_console(sz), "Bookmark " ROOM " removed by "
	    "another client."));
}

/* --- disco ---------------------------------------------------------------- */

static void
disco__shows_one_safe_block__whatever_the_reply_order(void **state)
{
	struct szia		*sz = *state;
	struct req		*info, *items;
	struct ev		 ev;
	struct ev_identity	 ids[1] = { { "server", "im",
				    "Evil\x1b[31m" } };
	const char		*feats[] = { "urn:xmpp:ping" };
	struct ev_disco_item	 list[1] = { { "conference.example.org",
				    NULL, "Chat\x07" } };
	struct window		*con = tu_console(sz);
	size_t			 before;

	go_online(sz, 1);
	core_input(sz, "/disco example.org");
	info = tu_pop(sz, REQ_DISCO);
	items = tu_pop(sz, REQ_DISCO);
	assert_false(info->disco.items);
	assert_true(items->disco.items);
	assert_string_equal(info->disco.to, "example.org");
	before = con->buf.len;
	send_disco_items(sz, items->disco.id, list, 1, 1);
	assert_int_equal(con->buf.len, before);	/* waits for the rest */
	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCO;
	ev.disco.id = info->disco.id;
	ev.disco.ok = 1;
	ev.disco.identities = ids;
	ev.disco.nidentities = 1;
	ev.disco.features = feats;
	ev.disco.nfeatures = 1;
	core_handle(sz, &ev);
	assert_string_equal(window_line(con, before)->text,
	    "Disco of example.org:");
	assert_string_equal(window_line(con, before + 1)->text,
	    "Identities:");
	assert_string_equal(window_line(con, before + 3)->text, "Features:");
	assert_string_equal(window_line(con, before + 4)->text,
	    "  urn:xmpp:ping");
	assert_string_equal(window_line(con, before + 5)->text, "Items:");
	assert_non_null(tu_find_line(con, "only the first page"));
	assert_window_safe(con);
	req_free(info);
	req_free(items);
}

static void
disco__says_timeout__when_no_answer(void **state)
{
	struct szia	*sz = *state;
	int		 t;

	go_online(sz, 1);
	core_input(sz, "/disco nobody.example.org");
	outbox_clear(&sz->outbox);
	t = disco_timeout(sz, sz->now);
	assert_true(t > 0);
	assert_true(core_timeout(sz, sz->now) <= t);
	core_tick(sz, sz->now + t - 1);
	assert_null(tu_find_line(tu_console(sz), "No answer"));
	core_tick(sz, sz->now + 1);
	assert_non_null(tu_find_line(tu_console(sz),
	    "No answer from nobody.example.org: timeout"));
	assert_null(sz->disco_jobs);
	assert_int_equal(disco_timeout(sz, sz->now), -1);
}

static void
disco__error_is_one_line(void **state)
{
	struct szia	*sz = *state;
	struct req	*info;
	struct ev	 ev;
	size_t		 before;

	go_online(sz, 1);
	before = tu_console(sz)->buf.len;
	core_input(sz, "/disco example.org some-node");
	info = tu_pop(sz, REQ_DISCO);
	assert_string_equal(info->disco.node, "some-node");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCO;
	ev.disco.id = info->disco.id;
	ev.disco.error = "item-not-found";
	core_handle(sz, &ev);
	assert_int_equal(tu_console(sz)->buf.len, before + 1);
	assert_non_null(tu_find_line(tu_console(sz),
	    "Disco of example.org: item-not-found"));
	/* The #items answer that follows is not shown. */
	req_free(info);
	info = tu_pop(sz, REQ_DISCO);
	ev.disco.id = info->disco.id;
	ev.disco.items = 1;
	core_handle(sz, &ev);
	assert_int_equal(tu_console(sz)->buf.len, before + 1);
	req_free(info);
}

static void
rooms__finds_the_conference_service(void **state)
{
	struct szia		*sz = *state;
	struct req		*r, *p1, *p2;
	struct ev		 ev;
	struct ev_disco_item	 items[2] = {
		{ "upload.example.org", NULL, NULL },
		{ "conference.example.org", NULL, NULL },
	};
	struct ev_identity	 store[1] = { { "store", "file", NULL } };
	struct ev_identity	 muc[1] = { { "conference", "text", NULL } };
	struct ev_disco_item	 rooms[1] = { { ROOM, NULL, "The Room" } };

	go_online(sz, 1);
	core_input(sz, "/rooms");
	r = tu_pop(sz, REQ_DISCO);
	assert_string_equal(r->disco.to, "example.org");
	assert_true(r->disco.items);
	send_disco_items(sz, r->disco.id, items, 2, 0);
	req_free(r);
	p1 = tu_pop(sz, REQ_DISCO);
	p2 = tu_pop(sz, REQ_DISCO);
	assert_string_equal(p1->disco.to, "upload.example.org");
	assert_string_equal(p2->disco.to, "conference.example.org");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCO;
	ev.disco.id = p1->disco.id;
	ev.disco.from = "upload.example.org";
	ev.disco.ok = 1;
	ev.disco.identities = store;
	ev.disco.nidentities = 1;
	core_handle(sz, &ev);
	tu_outbox_empty(sz);
	ev.disco.id = p2->disco.id;
	ev.disco.from = "conference.example.org";
	ev.disco.identities = muc;
	core_handle(sz, &ev);
	r = tu_pop(sz, REQ_DISCO);
	assert_string_equal(r->disco.to, "conference.example.org");
	assert_true(r->disco.items);
	send_disco_items(sz, r->disco.id, rooms, 1, 1);
	assert_non_null(tu_find_line(tu_console(sz),
	    "Rooms on conference.example.org (1):"));
	assert_non_null(tu_find_line(tu_console(sz), "  " ROOM "  The Room"));
	assert_non_null(tu_find_line(tu_console(sz), "only the first page"));
	req_free(r);
	req_free(p1);
	req_free(p2);
}

static void
disco__is_forgotten__when_disconnected(void **state)
{
	struct szia	*sz = *state;
	struct ev	 ev;

	go_online(sz, 1);
	core_input(sz, "/rooms conference.example.org");
	outbox_clear(&sz->outbox);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCONNECTED;
	ev.disconnected.error = ERR_NONE;
	core_handle(sz, &ev);
	core_tick(sz, sz->now);
	assert_null(sz->disco_jobs);
	assert_non_null(tu_find_line(tu_console(sz), "disconnected"));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_core_setup, teardown)
	const struct CMUnitTest tests[] = {
		T(account_without_compat__uses_private_storage),
		T(fetch__joins_autojoin_rooms_only),
		T(fetch__drops_bad_jids_and_sanitises_text),
		T(add__is_refused__until_loaded),
		T(add_and_remove__publish_and_retract_one_item),
		T(private_storage__stores_the_whole_list),
		T(add__refuses_bad_input),
		T(notification__adds_and_removes),
		T(disco__shows_one_safe_block__whatever_the_reply_order),
		T(disco__says_timeout__when_no_answer),
		T(disco__error_is_one_line),
		T(rooms__finds_the_conference_service),
		T(disco__is_forgotten__when_disconnected),
	};

	return cmocka_run_group_tests(tests, tu_group_setup, tu_group_teardown);
}
