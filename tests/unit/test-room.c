/*
 * test-room.c - unit tests for group chat in the core (room.c,
 * room-handle.c, cmd-room.c, nick completion): a real struct szia driven
 * by EV_MUC events and typed lines; the assertions look at the rooms,
 * the windows' lines and the REQ_MUC requests in the outbox.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/cmd.h"
#include "core/core.h"
#include "core/room.h"
#include "util/xalloc.h"

#define ROOM	"dev@conference.example.org"

/* Online, the outbox empty. */
static int
setup(void **state)
{
	struct szia	*sz;

	tu_core_setup(state);
	sz = *state;
	tu_online(sz);
	outbox_clear(&sz->outbox);
	return 0;
}

/* The next REQ_MUC of OP in the outbox (others are dropped). */
static struct req *
pop_muc(struct szia *sz, enum muc_op op)
{
	struct req	*r;

	while ((r = outbox_pop(&sz->outbox)) != NULL) {
		if (r->type == REQ_MUC && r->muc->op == op)
			return r;
		req_free(r);
	}
	fail_msg("no REQ_MUC op %d queued", (int)op);
	return NULL;
}

static void
muc_event(struct szia *sz, struct ev_muc *m)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MUC;
	ev.muc = m;
	core_handle(sz, &ev);
}

/* A groupchat message of FROM (ROOM/nick), with ORIGIN_ID if not NULL. */
static void
groupchat(struct szia *sz, const char *from, const char *body,
    const char *origin_id)
{
	struct ev_muc	m;

	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_MESSAGE;
	m.from = from;
	m.body = body;
	m.origin_id = origin_id;
	muc_event(sz, &m);
}

static void
presence(struct szia *sz, const char *from, const char *role, int code)
{
	struct ev_muc	m;

	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_PRESENCE;
	m.from = from;
	m.available = 1;
	m.show = SHOW_ONLINE;
	m.role = role;
	m.affiliation = "none";
	if (code != 0)
		m.codes[m.ncodes++] = code;
	muc_event(sz, &m);
}

static struct line *
last_line(struct szia *sz, const char *window)
{
	struct window	*w = windows_find(&sz->windows, window);

	assert_non_null(w);
	assert_true(w->buf.len > 0);
	return window_line(w, w->buf.len - 1);
}

static struct room *
joined(struct szia *sz)
{
	struct req	*r;
	struct room	*room;

	core_input(sz, "/join " ROOM);
	r = pop_muc(sz, MUC_JOIN);
	assert_string_equal(r->muc->to, ROOM "/alice");
	req_free(r);
	presence(sz, ROOM "/bob", "moderator", 0);
	presence(sz, ROOM "/alice", "participant", 110);
	room = room_find(sz, ROOM);
	assert_non_null(room);
	assert_int_equal(room->state, ROOM_JOINED);
	return room;
}

static void
join__sends_presence_and_tracks_occupants(void **state)
{
	struct szia	*sz = *state;
	struct room	*room = joined(sz);

	assert_int_equal(sz->windows.current->type, WINDOW_ROOM);
	assert_string_equal(sz->windows.current->name, ROOM);
	assert_non_null(room_occupant(room, "bob"));
	assert_int_equal(room_occupant(room, "bob")->role, ROLE_MODERATOR);
	assert_int_equal(HASH_COUNT(room->occupants), 2);
	assert_non_null(strstr(last_line(sz, ROOM)->text, "You joined"));
	core_input(sz, "/names");
	assert_string_equal(last_line(sz, ROOM)->text,
	    "  Participants: alice");
}

static void
groupchat__from_unknown_room__is_ignored(void **state)
{
	struct szia	*sz = *state;
	size_t		 before;

	joined(sz);
	before = windows_find(&sz->windows, ROOM)->buf.len;
	groupchat(sz, "other@conference.example.org/bob", "spoofed", NULL);
	assert_null(windows_find(&sz->windows,
	    "other@conference.example.org"));
	assert_int_equal(windows_find(&sz->windows, ROOM)->buf.len, before);
}

static void
groupchat__mention__highlights_and_echo_is_dropped(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;
	struct window	*w;
	size_t		 before;

	joined(sz);
	w = windows_find(&sz->windows, ROOM);
	groupchat(sz, ROOM "/bob", "hey Alice, look", NULL);
	assert_true(last_line(sz, ROOM)->flags & LINE_HIGHLIGHT);
	assert_string_equal(last_line(sz, ROOM)->who, "bob");
	/* Our own message and its echo. */
	core_input(sz, "hello all");
	r = tu_pop(sz, REQ_MESSAGE);
	assert_string_equal(r->message.type, "groupchat");
	before = w->buf.len;
	groupchat(sz, ROOM "/alice", "hello all", r->message.id);
	assert_int_equal(w->buf.len, before);
	req_free(r);
}

static void
groupchat__highlight_words__setting(void **state)
{
	struct szia	*sz = *state;

	joined(sz);
	core_input(sz, "/set muc.highlight_words tea, Cake");
	groupchat(sz, ROOM "/bob", "who wants cake?", NULL);
	assert_true(last_line(sz, ROOM)->flags & LINE_HIGHLIGHT);
	groupchat(sz, ROOM "/bob", "nothing to see", NULL);
	assert_false(last_line(sz, ROOM)->flags & LINE_HIGHLIGHT);
}

static void
groupchat__unseen_window__highlight_only_for_mentions(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;

	joined(sz);
	w = windows_find(&sz->windows, ROOM);
	core_select_window(sz, tu_console(sz));
	groupchat(sz, ROOM "/bob", "lunch at noon", NULL);
	assert_int_equal(w->unread, 1);
	assert_int_equal(w->highlight, 0);
	groupchat(sz, ROOM "/bob", "alice: coming?", NULL);
	assert_int_equal(w->unread, 2);
	assert_int_equal(w->highlight, 1);
	core_select_window(sz, w);
	assert_int_equal(w->unread, 0);
	assert_int_equal(w->highlight, 0);
}

static void
join_error__conflict__one_line_with_advice(void **state)
{
	struct szia	*sz = *state;
	struct ev_muc	 m;
	struct room	*room;

	core_input(sz, "/join " ROOM "/bob");
	req_free(pop_muc(sz, MUC_JOIN));
	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_PRESENCE;
	m.from = ROOM "/bob";
	m.error = "conflict";
	muc_event(sz, &m);
	room = room_find(sz, ROOM);
	assert_int_equal(room->state, ROOM_OUT);
	assert_int_equal(last_line(sz, ROOM)->kind, LINE_ERROR);
	assert_non_null(strstr(last_line(sz, ROOM)->text,
	    "already in use"));
}

static void
uri__parses_join_and_password(void **state)
{
	char	*room, *pw;

	(void)state;
	assert_int_equal(room_parse_uri("xmpp:" ROOM "?join", &room, &pw), 0);
	assert_string_equal(room, ROOM);
	assert_null(pw);
	free(room);
	assert_int_equal(room_parse_uri("xmpp:" ROOM "?join;password=a%20b",
	    &room, &pw), 0);
	assert_string_equal(pw, "a b");
	free(room);
	free(pw);
	assert_int_equal(room_parse_uri("xmpp:" ROOM "?message", &room, &pw),
	    -1);
	assert_int_equal(room_parse_uri("xmpp:" ROOM "?join;password=%00",
	    &room, &pw), -1);
	assert_int_equal(room_parse_uri("hello xmpp:x?join", &room, &pw), -1);
}

static void
complete__nick_at_line_start__gets_colon(void **state)
{
	struct szia	*sz = *state;
	char		**v;

	joined(sz);
	v = cmd_complete(sz, "bo", 0, 2);
	assert_non_null(v);
	assert_string_equal(v[0], "bob:");
	assert_null(v[1]);
	cmd_complete_free(v);
	v = cmd_complete(sz, "hi bo", 3, 5);
	assert_non_null(v);
	assert_string_equal(v[0], "bob");
	cmd_complete_free(v);
	v = cmd_complete(sz, "/kick b", 6, 7);
	assert_non_null(v);
	assert_string_equal(v[0], "bob");
	cmd_complete_free(v);
}

static void
invite__invalid_room__is_ignored(void **state)
{
	struct szia	*sz = *state;
	struct ev_muc	 m;

	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_INVITE;
	m.direct = 1;
	m.room = "not a room/x";
	m.inviter = "bob@example.org";
	muc_event(sz, &m);
	assert_int_equal(last_line(sz, "console")->kind, LINE_ERROR);
	m.room = ROOM;
	m.reason = "come\x1b[2J";
	muc_event(sz, &m);
	assert_non_null(strstr(last_line(sz, "console")->text,
	    "To accept: /join " ROOM));
	assert_true(text_is_safe(last_line(sz, "console")->text));
}

/* Our own "unavailable" in ROOM (status 110), with CODE too unless 0. */
static void
self_unavailable(struct szia *sz, int code, const char *actor,
    const char *reason)
{
	struct ev_muc	m;

	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_PRESENCE;
	m.from = ROOM "/alice";
	m.codes[m.ncodes++] = 110;
	if (code != 0)
		m.codes[m.ncodes++] = code;
	m.actor = actor;
	m.reason = reason;
	muc_event(sz, &m);
}

static void
kick__self__leaves_room(void **state)
{
	struct szia	*sz = *state;
	struct room	*room = joined(sz);

	self_unavailable(sz, 307, "bob", "bye");
	assert_int_equal(room->state, ROOM_OUT);
	assert_int_equal(HASH_COUNT(room->occupants), 0);
	assert_non_null(strstr(last_line(sz, ROOM)->text,
	    "You were kicked"));
}

/* A self "unavailable" we did not ask for (the server closing our session
 * sends one per room) is not "You left": the room is joined again after
 * the reconnect.  After /leave, "You left" it is. */
static void
self_unavailable__unasked__keeps_rejoin(void **state)
{
	struct szia	*sz = *state;
	struct room	*room = joined(sz);

	self_unavailable(sz, 0, NULL, NULL);
	assert_int_equal(room->state, ROOM_OUT);
	assert_true(room->rejoin);
	assert_string_equal(last_line(sz, ROOM)->text, "The server took you "
	    "out of " ROOM "; szia joins it again after a reconnect (or "
	    "/join now).");

	room = joined(sz);
	core_input(sz, "/leave");
	self_unavailable(sz, 0, NULL, NULL);
	assert_int_equal(room->state, ROOM_OUT);
	assert_false(room->rejoin);
	assert_non_null(strstr(last_line(sz, ROOM)->text, "You left " ROOM));
}

/* The room commands refuse outside a room window and out of the room. */
static void
room_commands__not_in_room__say_so(void **state)
{
	struct szia	*sz = *state;

	core_select_window(sz, windows_console(&sz->windows));
	core_input(sz, "/nick ann");
	assert_string_equal(last_line(sz, "console")->text,
	    "/nick: only in a room window (/join a room first).");
	core_input(sz, "/kick bob");
	assert_string_equal(last_line(sz, "console")->text,
	    "/kick: only in a room window.");
	joined(sz);
	self_unavailable(sz, 307, NULL, NULL);
	core_input(sz, "/topic");
	assert_string_equal(last_line(sz, ROOM)->text,
	    "Topic of " ROOM ": (none)");
	core_input(sz, "/topic hello");
	assert_int_equal(last_line(sz, ROOM)->kind, LINE_ERROR);
	assert_string_equal(last_line(sz, ROOM)->text,
	    "/topic: you are not in " ROOM " (/join " ROOM ").");
	core_input(sz, "/ban bob");
	assert_string_equal(last_line(sz, ROOM)->text,
	    "/ban: you are not in " ROOM " (/join " ROOM ").");
}

/* A message from a room's archive: result of QUERYID in ARCHIVE. */
static void
archived_full(struct szia *sz, const char *from, const char *archive,
    const char *queryid, const char *body, const char *id,
    const char *replace_id)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = from;
	ev.message.type = "groupchat";
	ev.message.body = body;
	ev.message.id = id;
	ev.message.stanza_id = id;
	ev.message.replace_id = replace_id;
	ev.message.archive = archive;
	ev.message.queryid = queryid;
	core_handle(sz, &ev);
}

static void
archived(struct szia *sz, const char *from, const char *archive,
    const char *queryid, const char *body)
{
	archived_full(sz, from, archive, queryid, body, body, NULL);
}

/* /history past the log asks the room's archive; only results of that
 * query, from that room, are shown, above the window's lines. */
static void
archive__backfill__only_the_rooms_own_query(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;
	struct req	*r;
	struct ev	 ev;

	joined(sz);
	w = windows_find(&sz->windows, ROOM);
	assert_int_equal(room_history_more(sz, w, 20), 0);
	r = tu_next(sz, REQ_MAM_QUERY);
	assert_string_equal(r->mam.archive, ROOM);
	assert_string_equal(r->mam.before, "");
	archived(sz, ROOM "/bob", ROOM, r->mam.queryid, "from the archive");
	archived(sz, ROOM "/bob", ROOM, "not-ours", "unknown query");
	archived(sz, "other@conference.example.org/eve",
	    "other@conference.example.org", r->mam.queryid, "other room");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MAM_FIN;
	ev.mam_fin.queryid = r->mam.queryid;
	ev.mam_fin.complete = 1;
	core_handle(sz, &ev);
	req_free(r);
	assert_non_null(tu_find_line(w, "from the archive"));
	assert_true(tu_find_line(w, "from the archive")->flags &
	    LINE_ARCHIVE);
	assert_string_equal(window_line(w, 0)->text, "from the archive");
	assert_null(tu_find_line(w, "unknown query"));
	assert_null(tu_find_line(w, "other room"));
	assert_non_null(tu_find_line(w, "1 older message from the room's "
	    "archive"));
}

/* A correction in the catch-up after a rejoin applies as live: only to
 * the line of the occupant who wrote it. */
static void
archive__catchup__corrections_from_the_same_occupant(void **state)
{
	struct szia	*sz = *state;
	struct room	*room = joined(sz);
	struct window	*w = windows_find(&sz->windows, ROOM);
	struct req	*r;
	size_t		 n;

	room->catchup_after = xstrdup("s-0");
	room_mam_catchup(sz, room);
	r = tu_next(sz, REQ_MAM_QUERY);
	archived_full(sz, ROOM "/bob", ROOM, r->mam.queryid, "teh cat", "a1",
	    NULL);
	n = w->buf.len;
	archived_full(sz, ROOM "/bob", ROOM, r->mam.queryid, "the cat", "a2",
	    "a1");
	assert_int_equal(w->buf.len, n);
	assert_true(tu_find_line(w, "the cat")->edited);
	archived_full(sz, ROOM "/eve", ROOM, r->mam.queryid, "pwned", "a3",
	    "a1");
	assert_int_equal(w->buf.len, n + 1);
	assert_non_null(tu_find_line(w, "the cat"));
	assert_false(tu_find_line(w, "pwned")->edited);
	req_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, tu_core_teardown)
		T(join__sends_presence_and_tracks_occupants),
		T(groupchat__from_unknown_room__is_ignored),
		T(groupchat__mention__highlights_and_echo_is_dropped),
		T(groupchat__highlight_words__setting),
		T(groupchat__unseen_window__highlight_only_for_mentions),
		T(join_error__conflict__one_line_with_advice),
		T(uri__parses_join_and_password),
		T(complete__nick_at_line_start__gets_colon),
		T(invite__invalid_room__is_ignored),
		T(kick__self__leaves_room),
		T(self_unavailable__unasked__keeps_rejoin),
		T(room_commands__not_in_room__say_so),
		T(archive__backfill__only_the_rooms_own_query),
		T(archive__catchup__corrections_from_the_same_occupant),
	};

	return cmocka_run_group_tests(tests, tu_group_setup, tu_group_teardown);
}
