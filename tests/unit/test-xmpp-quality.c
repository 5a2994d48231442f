/*
 * test-xmpp-quality.c - unit tests for src/xmpp/quality.c: receipts,
 * markers, chat states, corrections, blocking and version/time stanzas,
 * hostile ones included.
 *
 * With xmpptest.h's fixture, a struct xmpp_link is built around a real
 * core and a libstrophe context without a connection; stanzas are parsed
 * from text and fed to xin_message/xin_iq; what would be sent is captured.
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

#define EVIL	"mallory@evil.example"

/* BOB is a contact with a two-way subscription. */
static int
add_bob(struct fixture *f)
{
	tu_roster(&f->sz, BOB, NULL);
	return 0;
}

static const struct xt_opts opts = { 0, add_bob, NULL };

static int
setup(void **state)
{
	return xt_setup_with(state, &opts);
}

/* An <iq> to xin_iq(), anything else to xin_message(). */
static void
feed(struct fixture *f, const char *xml)
{
	if (strncmp(xml, "<iq", 3) == 0)
		feed_iq(f, xml);
	else
		feed_message(f, xml);
}

static int
sent_has(struct fixture *f, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->nsent; i++) {
		if (strstr(f->sent[i], needle) != NULL)
			return 1;
	}
	return 0;
}

static void
message_out__carries_receipt_request_markable_and_replace(void **state)
{
	struct fixture	*f = *state;

	core_input(&f->sz, "/msg " BOB " hi");
	core_input(&f->sz, "/correct hi!");
	flush(f);
	assert_int_equal(f->nsent, 2);
	assert_non_null(strstr(f->sent[0],
	    "<request xmlns=\"urn:xmpp:receipts\"/>"));
	assert_non_null(strstr(f->sent[0],
	    "<markable xmlns=\"urn:xmpp:chat-markers:0\"/>"));
	assert_non_null(strstr(f->sent[1], "<replace id=\""));
	assert_non_null(strstr(f->sent[1],
	    "xmlns=\"urn:xmpp:message-correct:0\""));
}

static void
receipt_request__is_answered__to_the_full_jid(void **state)
{
	struct fixture	*f = *state;

	feed(f, "<message from='" BOB "/phone' type='chat' id='r1'><body>x"
	    "</body><request xmlns='urn:xmpp:receipts'/><composing xmlns="
	    "'http://jabber.org/protocol/chatstates'/></message>");
	flush(f);
	assert_int_equal(f->nsent, 1);
	assert_non_null(strstr(f->sent[0], "to=\"" BOB "/phone\""));
	assert_non_null(strstr(f->sent[0],
	    "<received id=\"r1\" xmlns=\"urn:xmpp:receipts\"/>"));
}

static void
receipt__without_id_or_in_error__changes_nothing(void **state)
{
	struct fixture	*f = *state;
	struct window	*w;
	struct line	*l;

	core_input(&f->sz, "/msg " BOB " hi");
	w = core_chat_window(&f->sz, BOB);
	l = tu_last_line(w);
	feed(f, "<message from='" BOB "/x'><received xmlns="
	    "'urn:xmpp:receipts'/></message>");
	feed(f, "<message from='" BOB "/x' type='error'><received xmlns="
	    "'urn:xmpp:receipts' id='whatever'/><error type='cancel'>"
	    "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
	    "</error></message>");
	assert_string_equal(l->text, "hi");
	assert_int_equal(l->mark, MARK_SENT);
}

static void
chat_state__alone__sets_title_without_opening_window(void **state)
{
	struct fixture	*f = *state;
	struct window	*w;

	feed(f, "<message from='" EVIL "/x' type='chat'><composing xmlns="
	    "'http://jabber.org/protocol/chatstates'/></message>");
	assert_null(core_chat_window(&f->sz, EVIL));
	w = core_open_chat(&f->sz, BOB, 1);
	feed(f, "<message from='" BOB "/x' type='chat'><composing xmlns="
	    "'http://jabber.org/protocol/chatstates'/></message>");
	assert_int_equal(w->peer_state, CHATSTATE_COMPOSING);
	/* An unknown state element is no state. */
	feed(f, "<message from='" BOB "/x' type='chat'><dancing xmlns="
	    "'http://jabber.org/protocol/chatstates'/></message>");
	assert_int_equal(w->peer_state, CHATSTATE_COMPOSING);
}

static void
time_get__is_answered__with_tzo_and_utc(void **state)
{
	struct fixture	*f = *state;

	feed(f, "<iq type='get' id='t1' from='" BOB "/x'><time xmlns="
	    "'urn:xmpp:time'/></iq>");
	assert_int_equal(f->nsent, 1);
	assert_non_null(strstr(f->sent[0], "type=\"result\""));
	assert_non_null(strstr(f->sent[0], "<tzo>"));
	assert_non_null(strstr(f->sent[0], "Z</utc>"));
}

static void
time_result__malformed__is_one_error_line(void **state)
{
	struct fixture	*f = *state;
	struct window	*con = windows_console(&f->sz.windows);
	char		 xml[512];
	const char	*id;

	id = iqtrack_add(&f->xl, BOB "/x", IQ_Q_TIME);
	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='"
	    BOB "/x'><time xmlns='urn:xmpp:time'><utc>yesterday</utc>"
	    "<tzo>+99:00</tzo></time></iq>", id);
	feed(f, xml);
	assert_int_equal(tu_last_line(con)->kind, LINE_ERROR);
	assert_non_null(strstr(tu_last_line(con)->text, "malformed"));
}

static void
version_result__from_other_jid__is_ignored(void **state)
{
	struct fixture	*f = *state;
	struct window	*con = windows_console(&f->sz.windows);
	size_t		 n = con->buf.len;
	char		 xml[512];
	const char	*id;

	id = iqtrack_add(&f->xl, BOB "/x", IQ_Q_VERSION);
	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='" EVIL
	    "'><query xmlns='jabber:iq:version'><name>evil&#x9b;2J</name>"
	    "</query></iq>", id);
	feed(f, xml);
	assert_int_equal(con->buf.len, n);
	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='" BOB
	    "/x'><query xmlns='jabber:iq:version'><name>good&#x9b;2J</name>"
	    "<version>1</version><os>Linux</os></query></iq>", id);
	feed(f, xml);
	assert_non_null(strstr(tu_last_line(con)->text, "runs good"));
	assert_true(text_is_safe(tu_last_line(con)->text));
}

static void
block_push__only_from_own_account(void **state)
{
	struct fixture	*f = *state;
	struct window	*con = windows_console(&f->sz.windows);
	size_t		 n = con->buf.len;

	feed(f, "<iq type='set' id='b1' from='" EVIL "'><block xmlns="
	    "'urn:xmpp:blocking'><item jid='" BOB "'/></block></iq>");
	assert_int_equal(con->buf.len, n);
	assert_true(sent_has(f, "type=\"error\""));
	feed(f, "<iq type='set' id='b2'><block xmlns='urn:xmpp:blocking'>"
	    "<item jid='" EVIL "'/></block></iq>");
	assert_non_null(strstr(tu_last_line(con)->text, "Blocked " EVIL));
	assert_true(sent_has(f, "id=\"b2\" type=\"result\"") ||
	    sent_has(f, "type=\"result\" id=\"b2\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, xt_teardown)
		T(message_out__carries_receipt_request_markable_and_replace),
		T(receipt_request__is_answered__to_the_full_jid),
		T(receipt__without_id_or_in_error__changes_nothing),
		T(chat_state__alone__sets_title_without_opening_window),
		T(time_get__is_answered__with_tzo_and_utc),
		T(time_result__malformed__is_one_error_line),
		T(version_result__from_other_jid__is_ignored),
		T(block_push__only_from_own_account),
	};

	return cmocka_run_group_tests(tests, xt_group_setup,
	    xt_group_teardown);
}
