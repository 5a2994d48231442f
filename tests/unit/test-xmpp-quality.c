/*
 * test-xmpp-quality.c - unit tests for src/xmpp/quality.c: receipts,
 * markers, chat states, corrections, blocking and version/time stanzas,
 * hostile ones included.
 *
 * As in test-xmpp-in.c, a struct xmpp_link is built around a real core
 * and a libstrophe context without a connection; stanzas are parsed from
 * text and fed to xin_message/xin_iq; what would be sent is captured.
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

#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

#define ME	"alice@example.org"
#define ME_FULL	"alice@example.org/szia"
#define BOB	"bob@example.org"
#define EVIL	"mallory@evil.example"
#define MAX_SENT 16

struct fixture {
	struct szia		 sz;
	struct xmpp_link	 xl;
	xmpp_ctx_t		*ctx;
	char			*sent[MAX_SENT];
	size_t			 nsent;
};

static char	tmpdir[] = "/tmp/szia-test-xq-XXXXXX";

static void
capture_send(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	struct fixture	*f = (struct fixture *)((char *)xl -
			    offsetof(struct fixture, xl));
	char		*buf;
	size_t		 len;

	assert_int_equal(xmpp_stanza_to_text(st, &buf, &len), XMPP_EOK);
	assert_true(f->nsent < MAX_SENT);
	f->sent[f->nsent++] = xstrndup(buf, len);
	xmpp_free(f->ctx, buf);
}

static int
group_setup(void **state)
{
	return tmphome_create(tmpdir);
}

static int
group_teardown(void **state)
{
	return tmphome_remove(tmpdir);
}

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct core_config	 cfg = { NULL, NULL, NULL };
	struct ev		 ev;
	struct ev_item		 item;

	core_init(&f->sz, &cfg);
	core_input(&f->sz, "/connect " ME);
	core_input(&f->sz, "secret");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CONNECTED;
	ev.connected.jid = ME_FULL;
	core_handle(&f->sz, &ev);
	memset(&item, 0, sizeof item);
	item.jid = BOB;
	item.subscription = "both";
	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER;
	ev.roster.items = &item;
	ev.roster.nitems = 1;
	core_handle(&f->sz, &ev);
	outbox_clear(&f->sz.outbox);
	f->ctx = xmpp_ctx_new(NULL, NULL);
	f->xl.sz = &f->sz;
	f->xl.ctx = f->ctx;
	f->xl.fd = -1;
	f->xl.online = 1;
	f->xl.bare = xstrdup(ME);
	f->xl.domain = xstrdup("example.org");
	f->xl.bound = xstrdup(ME_FULL);
	f->xl.send = capture_send;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	for (i = 0; i < f->nsent; i++)
		free(f->sent[i]);
	iqtrack_clear(&f->xl);
	free(f->xl.bare);
	free(f->xl.domain);
	free(f->xl.bound);
	xmpp_ctx_free(f->ctx);
	core_free(&f->sz);
	free(f);
	return 0;
}

static void
feed(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = xmpp_stanza_new_from_string(f->ctx, xml);

	if (st == NULL)
		fail_msg("cannot parse %s", xml);
	if (strncmp(xml, "<iq", 3) == 0)
		assert_int_equal(xin_iq(NULL, st, &f->xl), 1);
	else
		assert_int_equal(xin_message(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
}

/* Send every queued request through the XMPP layer. */
static void
flush(struct fixture *f)
{
	struct req	*r;

	while ((r = outbox_pop(&f->sz.outbox)) != NULL) {
		xout_request(&f->xl, r);
		req_free(r);
	}
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

static struct line *
last_line(struct window *w)
{
	assert_true(w->buf.len > 0);
	return window_line(w, w->buf.len - 1);
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
	l = last_line(w);
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
	assert_int_equal(last_line(con)->kind, LINE_ERROR);
	assert_non_null(strstr(last_line(con)->text, "malformed"));
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
	assert_non_null(strstr(last_line(con)->text, "runs good"));
	assert_true(text_is_safe(last_line(con)->text));
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
	assert_non_null(strstr(last_line(con)->text, "Blocked " EVIL));
	assert_true(sent_has(f, "id=\"b2\" type=\"result\"") ||
	    sent_has(f, "type=\"result\" id=\"b2\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(message_out__carries_receipt_request_markable_and_replace),
		T(receipt_request__is_answered__to_the_full_jid),
		T(receipt__without_id_or_in_error__changes_nothing),
		T(chat_state__alone__sets_title_without_opening_window),
		T(time_get__is_answered__with_tzo_and_utc),
		T(time_result__malformed__is_one_error_line),
		T(version_result__from_other_jid__is_ignored),
		T(block_push__only_from_own_account),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
