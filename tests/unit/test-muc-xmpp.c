/*
 * test-muc-xmpp.c - unit tests for src/xmpp/muc.c and muc-out.c: room
 * stanzas (as libstrophe parses them) through the real core, and the
 * stanzas REQ_MUC requests become.  The fixture is xmpptest.h's, with the
 * log captured: a real struct szia online as ME_FULL and a struct
 * xmpp_link whose send() captures stanzas as text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "xmpptest.h"

#include "util/utf8.h"
#include "util/xalloc.h"
#include "core/room.h"
#include "xmpp/xmpp-int.h"

#define EVIL	"mallory@evil.example"

#define ROOM	"dev@conference.example.org"

/* Join ROOM as alice, with bob already there. */
static struct room *
join(struct fixture *f)
{
	core_input(&f->sz, "/join " ROOM);
	flush(f);
	sent_one(f, "to=\"" ROOM "/alice\"", "http://jabber.org/protocol/muc",
	    "maxstanzas=\"20\"", NULL);
	clear_sent(f);
	feed_presence(f, "<presence from='" ROOM "/bob'><x xmlns='"
	    NS_MUC_USER "'><item affiliation='owner' role='moderator' "
	    "jid='bob@example.org/x'/></x></presence>");
	feed_presence(f, "<presence from='" ROOM "/alice'><x xmlns='"
	    NS_MUC_USER "'><item affiliation='none' role='participant'/>"
	    "<status code='110'/></x><occupant-id xmlns='"
	    NS_OCCUPANT_ID "' id='occ-a'/></presence>");
	return room_find(&f->sz, ROOM);
}

static void
presence__join__parses_items_codes_and_occupant_id(void **state)
{
	struct fixture	*f = *state;
	struct room	*r = join(f);
	struct occupant	*o;

	assert_non_null(r);
	assert_int_equal(r->state, ROOM_JOINED);
	assert_string_equal(r->own_occupant_id, "occ-a");
	assert_string_equal(room_occupant_id(&f->sz, ROOM "/alice"), "occ-a");
	assert_null(room_occupant_id(&f->sz, ROOM "/bob"));
	assert_null(room_occupant_id(&f->sz, "x@y/z"));
	o = room_occupant(r, "bob");
	assert_non_null(o);
	assert_int_equal(o->affil, AFFIL_OWNER);
	assert_string_equal(o->jid, "bob@example.org/x");
	/* Not roster presence: bob is no contact. */
	assert_null(roster_find(&f->sz.roster, ROOM));
}

static void
message__stanza_id__only_when_by_the_room(void **state)
{
	struct fixture	*f = *state;

	join(f);
	feed_message(f, "<message type='groupchat' from='" ROOM "/bob' "
	    "id='m1'><body>one</body><stanza-id xmlns='urn:xmpp:sid:0' "
	    "by='" ME "' id='fake'/><stanza-id xmlns='urn:xmpp:sid:0' "
	    "by='" ROOM "' id='real'/></message>");
	assert_int_equal(f->nlogged, 1);
	assert_string_equal(f->logged[0].stanza_id, "real");
	assert_string_equal(f->logged[0].peer, ROOM);
	assert_string_equal(f->logged[0].type, "groupchat");
	assert_string_equal(f->logged[0].from_jid, ROOM "/bob");
	feed_message(f, "<message type='groupchat' from='" ROOM "/bob' "
	    "id='m2'><body>two</body><stanza-id xmlns='urn:xmpp:sid:0' "
	    "by='" ME "' id='fake'/></message>");
	assert_int_equal(f->nlogged, 2);
	assert_null(f->logged[1].stanza_id);
}

static void
message__groupchat_from_elsewhere__is_dropped(void **state)
{
	struct fixture	*f = *state;

	join(f);
	feed_message(f, "<message type='groupchat' from='" EVIL "/x'>"
	    "<body>spoof</body></message>");
	feed_message(f, "<message type='groupchat' from='other@" EVIL "/x'>"
	    "<body>spoof</body></message>");
	assert_int_equal(f->nlogged, 0);
	assert_null(windows_find(&f->sz.windows, EVIL));
}

static void
presence__hostile__many_codes_and_no_item(void **state)
{
	struct fixture	*f = *state;
	struct room	*r = join(f);
	char		 xml[4096];
	size_t		 i, n;

	n = (size_t)snprintf(xml, sizeof xml, "<presence from='" ROOM
	    "/eve'><x xmlns='" NS_MUC_USER "'>");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(xml + n, sizeof xml - n,
		    "<status code='%zu'/>", i);
	snprintf(xml + n, sizeof xml - n, "<status/></x></presence>");
	feed_presence(f, xml);
	assert_non_null(room_occupant(r, "eve"));
	assert_int_equal(room_occupant(r, "eve")->role, ROLE_NONE);
	/* Unavailable with a 303 but no new nick: a plain leave. */
	feed_presence(f, "<presence type='unavailable' from='" ROOM "/eve'>"
	    "<x xmlns='" NS_MUC_USER "'><status code='303'/></x></presence>");
	assert_null(room_occupant(r, "eve"));
	/* A muc#user presence from a room we are not in: dropped. */
	feed_presence(f, "<presence from='x@" EVIL "/y'><x xmlns='"
	    NS_MUC_USER "'/></presence>");
	assert_null(room_find(&f->sz, "x@" EVIL));
	assert_int_equal(f->nsent, 0);
}

static void
message__private__with_or_without_marker(void **state)
{
	struct fixture	*f = *state;
	struct window	*w;

	join(f);
	feed_message(f, "<message type='chat' from='" ROOM "/bob'><body>"
	    "psst</body><x xmlns='" NS_MUC_USER "'/></message>");
	feed_message(f, "<message type='chat' from='" ROOM "/bob'><body>"
	    "again</body></message>");
	w = windows_find(&f->sz.windows, ROOM "/bob");
	assert_non_null(w);
	assert_int_equal(w->type, WINDOW_PRIVATE);
	assert_non_null(find_line(w, "psst"));
	assert_non_null(find_line(w, "again"));
	/* Never a one-to-one chat with the room. */
	assert_null(core_chat_window(&f->sz, ROOM));
	assert_string_equal(f->logged[1].peer, ROOM "/bob");
}

static void
presence__error__reports_join_failure(void **state)
{
	struct fixture	*f = *state;
	struct window	*w;

	core_input(&f->sz, "/join " ROOM);
	flush(f);
	feed_presence(f, "<presence type='error' from='" ROOM "/alice'>"
	    "<error type='auth'><not-authorized xmlns='" NS_STANZAS "'/>"
	    "</error></presence>");
	w = windows_find(&f->sz.windows, ROOM);
	assert_non_null(find_line(w, "needs a password"));
	assert_int_equal(room_find(&f->sz, ROOM)->state, ROOM_OUT);
}

static void
invite__direct_and_mediated(void **state)
{
	struct fixture	*f = *state;

	feed_message(f, "<message from='" BOB "/x'><x xmlns='"
	    NS_CONFERENCE "' jid='" ROOM "' password='pw' reason='hi'/>"
	    "</message>");
	assert_non_null(find_line(console(f), "To accept: /join " ROOM
	    " pw"));
	feed_message(f, "<message from='" ROOM "'><x xmlns='" NS_MUC_USER
	    "'><invite from='" BOB "'/></x></message>");
	assert_non_null(find_line(console(f), "(via the room)"));
	/* A mediated invite from an occupant JID, not the room: refused. */
	feed_message(f, "<message from='" ROOM "/mallory'><x xmlns='"
	    NS_MUC_USER "'><invite from='" BOB "'/></x></message>");
	assert_non_null(find_line(console(f), "Ignored an invitation"));
}

static void
iq__admin_reply__only_from_the_room(void **state)
{
	struct fixture	*f = *state;
	char		 xml[512];
	char		*id;
	size_t		 before;
	struct window	*w;

	join(f);
	core_input(&f->sz, "/kick bob go");
	flush(f);
	sent_one(f, "muc#admin", "nick=\"bob\"", "role=\"none\"",
	    "<reason>go</reason>", NULL);
	id = xstrdup(f->xl.iqs->id);
	w = windows_find(&f->sz.windows, ROOM);
	before = w->buf.len;
	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='" EVIL
	    "'/>", id);
	feed_iq(f, xml);
	assert_int_equal(w->buf.len, before);
	snprintf(xml, sizeof xml, "<iq type='error' id='%s' from='" ROOM
	    "'><error type='auth'><forbidden xmlns='" NS_STANZAS "'/>"
	    "</error></iq>", id);
	feed_iq(f, xml);
	assert_non_null(find_line(w, "you lack the privileges"));
	free(id);
}

static void
selfping__error_not_acceptable__rejoins(void **state)
{
	struct fixture	*f = *state;
	struct room	*r = join(f);
	char		 xml[512];

	room_selfping(&f->sz, r);
	flush(f);
	sent_one(f, "to=\"" ROOM "/alice\"", "urn:xmpp:ping", NULL);
	clear_sent(f);
	snprintf(xml, sizeof xml, "<iq type='error' id='%s' from='" ROOM
	    "/alice'><error type='cancel'><not-acceptable xmlns='"
	    NS_STANZAS "'/></error></iq>", r->ping_id);
	feed_iq(f, xml);
	assert_non_null(find_line(windows_find(&f->sz.windows, ROOM),
	    "no longer in"));
	flush(f);
	sent_one(f, "to=\"" ROOM "/alice\"", "http://jabber.org/protocol/muc",
	    NULL);
	/* The answer to a ping that is still joined: nothing happens. */
	clear_sent(f);
	feed_presence(f, "<presence from='" ROOM "/alice'><x xmlns='"
	    NS_MUC_USER "'><status code='110'/></x></presence>");
	room_selfping(&f->sz, r);
	flush(f);
	snprintf(xml, sizeof xml, "<iq type='error' id='%s' from='" ROOM
	    "/alice'><error type='cancel'><service-unavailable xmlns='"
	    NS_STANZAS "'/></error></iq>", r->ping_id);
	clear_sent(f);
	feed_iq(f, xml);
	flush(f);
	assert_int_equal(f->nsent, 0);
	assert_int_equal(r->state, ROOM_JOINED);
}

static void
request__config_submit_and_subject(void **state)
{
	struct fixture	*f = *state;

	join(f);
	core_input(&f->sz, "/topic hi <there>");
	flush(f);
	sent_one(f, "type=\"groupchat\"", "<subject>hi &lt;there&gt;"
	    "</subject>", NULL);
	clear_sent(f);
	core_input(&f->sz, "/leave bye");
	flush(f);
	sent_one(f, "type=\"unavailable\"", "<status>bye</status>", NULL);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, xt_setup_log, \
			    xt_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(presence__join__parses_items_codes_and_occupant_id),
		T(message__stanza_id__only_when_by_the_room),
		T(message__groupchat_from_elsewhere__is_dropped),
		T(presence__hostile__many_codes_and_no_item),
		T(message__private__with_or_without_marker),
		T(presence__error__reports_join_failure),
		T(invite__direct_and_mediated),
		T(iq__admin_reply__only_from_the_room),
		T(selfping__error_not_acceptable__rejoins),
		T(request__config_submit_and_subject),
	};

	return cmocka_run_group_tests(tests, xt_group_setup,
	    xt_group_teardown);
}
