/*
 * test-xmpp-sync.c - [sync] unit tests for src/xmpp/sync.c: who may send
 * carbons and archive results, the MAM query stanza, remote commands.
 *
 * The fixture is xmpptest.h's: a struct xmpp_link built by hand around a
 * real core and a libstrophe context with no connection; stanzas parsed
 * from text go to xin_message()/xin_iq(); what would be sent is captured
 * as text.
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
#include "xmpptest.h"

#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

#define ROOM	"room@muc.example.org"

/* Send a MAM query for ARCHIVE through the real path; its queryid. */
static char *
query(struct fixture *f, const char *archive)
{
	struct mam_query	 mq;
	struct req		*r;
	char			*qid;

	memset(&mq, 0, sizeof mq);
	mq.archive = archive;
	mq.with = BOB;
	mq.before = "";
	mq.max = 20;
	qid = xstrdup(core_mam_query(&f->sz, &mq));
	r = tu_pop(&f->sz, REQ_MAM_QUERY);
	xout_request(&f->xl, r);
	req_free(r);
	return qid;
}

#define CARBON(from, kind, inner)					\
	"<message from='" from "' to='" ME_FULL "' type='chat'>"	\
	"<" kind " xmlns='urn:xmpp:carbons:2'>"				\
	"<forwarded xmlns='urn:xmpp:forward:0'>" inner			\
	"</forwarded></" kind "></message>"
#define SENT_INNER							\
	"<message xmlns='jabber:client' from='" ME "/phone' to='" BOB	\
	"' type='chat' id='c1'><body>from the phone</body></message>"

static void
carbon__is_shown__only_from_own_bare_jid(void **state)
{
	struct fixture	*f = *state;
	struct window	*w;

	feed_message(f, CARBON(BOB "/x", "sent", SENT_INNER));
	feed_message(f, CARBON(ME "/phone", "sent", SENT_INNER));
	feed_message(f, CARBON("example.org", "sent", SENT_INNER));
	assert_null(windows_find(&f->sz.windows, BOB));
	feed_message(f, CARBON(ME, "sent", SENT_INNER));
	w = windows_find(&f->sz.windows, BOB);
	assert_non_null(find_line(w, "from the phone"));
	assert_int_equal(find_line(w, "from the phone")->kind, LINE_OUT);
	assert_true(find_line(w, "from the phone")->flags & LINE_CARBON);
}

static void
carbon__is_not_unwrapped_twice(void **state)
{
	struct fixture	*f = *state;

	/* A carbon inside a carbon: the inner wrapper is not trusted. */
	feed_message(f, CARBON(ME, "received",
	    "<message xmlns='jabber:client' from='" ME "' to='" ME_FULL "'>"
	    "<sent xmlns='urn:xmpp:carbons:2'>"
	    "<forwarded xmlns='urn:xmpp:forward:0'>" SENT_INNER
	    "</forwarded></sent></message>"));
	assert_null(find_line(windows_find(&f->sz.windows, BOB),
	    "from the phone"));
}

static void
mam_query__is_a_form_with_rsm(void **state)
{
	struct fixture	*f = *state;
	char		*qid = query(f, NULL);

	assert_int_equal(f->nsent, 1);
	assert_non_null(strstr(f->sent[0], "type=\"set\""));
	assert_null(strstr(f->sent[0], " to="));
	assert_non_null(strstr(f->sent[0], "xmlns=\"urn:xmpp:mam:2\""));
	assert_non_null(strstr(f->sent[0], qid));
	assert_non_null(strstr(f->sent[0], "<value>urn:xmpp:mam:2</value>"));
	assert_non_null(strstr(f->sent[0], "<value>" BOB "</value>"));
	assert_non_null(strstr(f->sent[0], "<max>20</max><before/>"));
	free(qid);
}

#define RESULT(from, qid, id, body)					\
	"<message " from " to='" ME_FULL "'>"				\
	"<result xmlns='urn:xmpp:mam:2' queryid='" qid "' id='" id "'>"	\
	"<forwarded xmlns='urn:xmpp:forward:0'>"			\
	"<delay xmlns='urn:xmpp:delay' stamp='2020-01-02T03:04:05Z'/>"	\
	"<message xmlns='jabber:client' from='" BOB "/desk' to='" ME	\
	"' type='chat'><body>" body "</body></message>"			\
	"</forwarded></result></message>"

static void
mam_result__is_accepted__only_from_archive_and_for_own_query(void **state)
{
	struct fixture	*f = *state;
	char		*qid = query(f, NULL), *xml;
	struct window	*w;
	struct line	*l;

	feed_message(f, RESULT("", "nosuchid", "A0", "unknown query"));
	xml = xasprintf(RESULT("from='" BOB "'", "%s", "A1", "bob's"), qid);
	feed_message(f, xml);
	free(xml);
	xml = xasprintf(RESULT("from='" ME "/other'", "%s", "A2", "full"),
	    qid);
	feed_message(f, xml);
	free(xml);
	assert_null(windows_find(&f->sz.windows, BOB));
	xml = xasprintf(RESULT("", "%s", "A3", "the real one"), qid);
	feed_message(f, xml);
	free(xml);
	xml = xasprintf(RESULT("from='" ME "'", "%s", "A4", "also real"), qid);
	feed_message(f, xml);
	free(xml);
	w = windows_find(&f->sz.windows, BOB);
	assert_non_null(l = find_line(w, "the real one"));
	assert_true(l->flags & LINE_ARCHIVE);
	assert_int_equal(l->ts, 1577934245);
	assert_non_null(find_line(w, "also real"));
	assert_null(find_line(w, "unknown query"));
	assert_null(find_line(w, "bob's"));
	assert_null(find_line(w, "full"));
	free(qid);
}

static void
mam_result__for_a_room__is_accepted__only_from_the_room(void **state)
{
	struct fixture	*f = *state;
	char		*qid = query(f, ROOM), *xml;

	assert_non_null(strstr(f->sent[0], "to=\"" ROOM "\""));
	/* From our own archive: not the one asked. */
	xml = xasprintf(RESULT("", "%s", "R1", "wrong archive"), qid);
	feed_message(f, xml);
	free(xml);
	assert_null(windows_find(&f->sz.windows, BOB));
	free(qid);
}

static void
mam_fin__ends_the_query(void **state)
{
	struct fixture	*f = *state;
	char		*qid = query(f, NULL), *xml, *id;
	const char	*p;

	p = strstr(f->sent[0], "id=\"");
	assert_non_null(p);
	id = xstrndup(p + 4, strchr(p + 4, '"') - (p + 4));
	assert_true(core_mam_pending(&f->sz, qid));
	/* The answer from someone else is not ours. */
	xml = xasprintf("<iq type='result' id='%s' from='" BOB "'>"
	    "<fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>", id);
	feed_iq(f, xml);
	free(xml);
	assert_true(core_mam_pending(&f->sz, qid));
	xml = xasprintf("<iq type='result' id='%s'>"
	    "<fin xmlns='urn:xmpp:mam:2' complete='true'>"
	    "<set xmlns='http://jabber.org/protocol/rsm'><first>A</first>"
	    "<last>B</last></set></fin></iq>", id);
	feed_iq(f, xml);
	free(xml);
	assert_false(core_mam_pending(&f->sz, qid));
	/* Results after the end are refused. */
	xml = xasprintf(RESULT("", "%s", "A9", "too late"), qid);
	feed_message(f, xml);
	free(xml);
	assert_null(windows_find(&f->sz.windows, BOB));
	free(id);
	free(qid);
}

static void
remote_command__is_forbidden(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq type='set' id='rc1' from='" ME "/phone'>"
	    "<command xmlns='http://jabber.org/protocol/commands' "
	    "node='http://jabber.org/protocol/rc#set-status' "
	    "action='execute'/></iq>");
	feed_iq(f, "<iq type='get' id='rc2' from='" ME "/phone'>"
	    "<query xmlns='http://jabber.org/protocol/disco#items' "
	    "node='http://jabber.org/protocol/commands'/></iq>");
	assert_int_equal(f->nsent, 2);
	assert_non_null(strstr(f->sent[0], "id=\"rc1\""));
	assert_non_null(strstr(f->sent[0], "<forbidden"));
	assert_non_null(strstr(f->sent[1], "id=\"rc2\""));
	assert_non_null(strstr(f->sent[1], "<forbidden"));
	assert_int_equal(f->sz.session.show, SHOW_ONLINE);
}

static void
disco_info__lists_carbons_and_mam(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq type='get' id='d1' from='" BOB "/x'>"
	    "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
	assert_int_equal(f->nsent, 1);
	assert_non_null(strstr(f->sent[0], "var=\"urn:xmpp:carbons:2\""));
	assert_non_null(strstr(f->sent[0], "var=\"urn:xmpp:mam:2\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, xt_setup, xt_teardown)
		T(carbon__is_shown__only_from_own_bare_jid),
		T(carbon__is_not_unwrapped_twice),
		T(mam_query__is_a_form_with_rsm),
		T(mam_result__is_accepted__only_from_archive_and_for_own_query),
		T(mam_result__for_a_room__is_accepted__only_from_the_room),
		T(mam_fin__ends_the_query),
		T(remote_command__is_forbidden),
		T(disco_info__lists_carbons_and_mam),
#undef T
	};

	return cmocka_run_group_tests(tests, xt_group_setup,
	    xt_group_teardown);
}
