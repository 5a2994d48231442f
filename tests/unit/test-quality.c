/*
 * test-quality.c - unit tests for message quality in the core: styling
 * (src/core/styling.c), marks, receipts and markers, chat states and
 * corrections (src/core/marks.c, cmd-quality.c).
 *
 * Like test-core.c, each test drives a real struct szia through
 * core_handle()/core_input()/core_typing()/core_tick() and looks at the
 * windows' lines and the requests in the outbox.
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

#include "core/core.h"
#include "core/styling.h"
#include "util/xalloc.h"

#define BOB_FULL "bob@example.org/phone"
#define EVE	"eve@example.org"

/* --- styling ------------------------------------------------------------ */

/* The mask of TEXT as a string: one letter per byte (. = none). */
static char *
styles(const char *text)
{
	size_t		 n = strlen(text), i;
	unsigned char	*m = styling_parse(text, n);
	char		*out = xcalloc(n + 1, 1);

	for (i = 0; i < n; i++) {
		unsigned char s = m != NULL ? m[i] : 0;

		out[i] = s & STYLE_BLOCK ? 'B' : s & STYLE_PRE ? 'P' :
		    (s & (STYLE_STRONG | STYLE_EMPH)) ==
		    (STYLE_STRONG | STYLE_EMPH) ? 'X' :
		    s & STYLE_STRONG ? 'S' : s & STYLE_EMPH ? 'E' :
		    s & STYLE_STRIKE ? 'K' : s & STYLE_QUOTE ? 'Q' : '.';
	}
	free(m);
	return out;
}

#define assert_styles(text, want) do {					\
	char *got_ = styles(text);					\
	if (strcmp(got_, want) != 0)					\
		fail_msg("'%s': got %s want %s", text, got_, want);	\
	free(got_);							\
} while (0)

static void
styling__marks_spans__with_directives_visible(void **state)
{
	assert_styles("a *b* c", "..SSS..");
	assert_styles("_it_ ~no~", "EEEE.KKKK");
	assert_styles("`co de`", "PPPPPPP");
	assert_styles("*_x_*", "SXXXS");
}

static void
styling__ignores_directives__that_break_the_rules(void **state)
{
	assert_styles("a*b*c", ".....");	/* not after whitespace */
	assert_styles("* a*", "....");		/* opener before space */
	assert_styles("*a *", "....");		/* closer after space */
	assert_styles("**", "..");		/* empty span */
	assert_styles("*a\nb*", ".....");	/* spans do not cross lines */
	assert_null(styling_parse("plain text", 10));
}

static void
styling__does_not_style__inside_pre(void **state)
{
	assert_styles("`*a*`", "PPPPP");
	assert_styles("```\n*a*\n```\n*b*", "BBB.BBB.BBB.SSS");
	/* An unclosed block runs to the end. */
	assert_styles("```x\n_a_", "BBBB.BBB");
}

static void
styling__marks_quotes__and_spans_in_them(void **state)
{
	assert_styles("> hi\nno", "QQQQ...");
	assert_styles("> *a*", "QQSSS");
}

/* --- fixture ------------------------------------------------------------ */

/* Online, with Bob ("Bob") a contact; the outbox empty. */
static int
setup(void **state)
{
	struct szia	*sz;

	tu_core_setup(state);
	sz = *state;
	tu_online(sz);
	tu_roster(sz, BOB, "Bob");
	outbox_clear(&sz->outbox);
	return 0;
}

static int
count_req(struct szia *sz, enum req_type type)
{
	struct req	*r;
	int		 n = 0;

	for (r = sz->outbox.head; r != NULL; r = r->next)
		n += r->type == type;
	return n;
}

static void
recv_full(struct szia *sz, const char *from, const char *id,
    const char *body, int receipt, int markable, const char *replace)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = from;
	ev.message.to = ME_FULL;
	ev.message.type = "chat";
	ev.message.body = body;
	ev.message.id = id;
	ev.message.receipt_request = receipt;
	ev.message.markable = markable;
	ev.message.replace_id = replace;
	core_handle(sz, &ev);
}

static void
recv_chatstate(struct szia *sz, const char *from, int state)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_CHATSTATE;
	ev.q.from = from;
	ev.q.state = state;
	core_handle(sz, &ev);
}

static void
recv_mark(struct szia *sz, const char *from, const char *id, int state)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MARK;
	ev.q.from = from;
	ev.q.id = id;
	ev.q.state = state;
	core_handle(sz, &ev);
}

/* Send TEXT to bob in his (current) window; returns the message id. */
static char *
send_to_bob(struct szia *sz, const char *text)
{
	struct req	*r;
	char		*id;
	char		 cmd[256];

	snprintf(cmd, sizeof cmd, "/msg " BOB " %s", text);
	core_input(sz, cmd);
	r = tu_next(sz, REQ_MESSAGE);
	assert_true(r->message.request_receipt);
	id = xstrdup(r->message.id);
	req_free(r);
	outbox_clear(&sz->outbox);
	return id;
}

/* --- receipts and markers ------------------------------------------------ */

static void
marks__move_sent_delivered_read(void **state)
{
	struct szia	*sz = *state;
	char		*id1 = send_to_bob(sz, "one");
	char		*id2 = send_to_bob(sz, "two");
	struct window	*w = core_chat_window(sz, BOB);
	struct line	*l1, *l2;

	l2 = tu_last_line(w);
	l1 = window_line(w, w->buf.len - 2);
	assert_string_equal(l1->text, "one");
	assert_int_equal(l1->mark, MARK_SENT);
	assert_int_equal(l2->mark, MARK_SENT);
	recv_mark(sz, BOB_FULL, id1, MARK_DELIVERED);
	assert_int_equal(l1->mark, MARK_DELIVERED);
	assert_int_equal(l2->mark, MARK_SENT);
	/* Displayed on the second covers the first too. */
	recv_mark(sz, BOB_FULL, id2, MARK_READ);
	assert_int_equal(l1->mark, MARK_READ);
	assert_int_equal(l2->mark, MARK_READ);
	/* A late receipt does not move read back. */
	recv_mark(sz, BOB_FULL, id2, MARK_DELIVERED);
	assert_int_equal(l2->mark, MARK_READ);
	free(id1);
	free(id2);
}

static void
marks__ignored__from_another_jid_or_unknown_id(void **state)
{
	struct szia	*sz = *state;
	char		*id = send_to_bob(sz, "secret");
	struct window	*w = core_chat_window(sz, BOB);
	struct line	*l = tu_last_line(w);

	recv_mark(sz, EVE "/x", id, MARK_READ);
	assert_int_equal(l->mark, MARK_SENT);
	recv_mark(sz, BOB_FULL, "not-ours", MARK_READ);
	assert_int_equal(l->mark, MARK_SENT);
	free(id);
}

static void
receipts__answered__for_contacts_only(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	recv_full(sz, BOB_FULL, "m1", "hi", 1, 0, NULL);
	r = tu_next(sz, REQ_MARK);
	assert_string_equal(r->q.to, BOB_FULL);
	assert_string_equal(r->q.id, "m1");
	assert_int_equal(r->q.op, MARK_DELIVERED);
	req_free(r);
	recv_full(sz, EVE "/x", "m2", "hi", 1, 1, NULL);
	assert_int_equal(count_req(sz, REQ_MARK), 0);
	core_input(sz, "/set receipts.send false");
	recv_full(sz, BOB_FULL, "m3", "hi", 1, 0, NULL);
	assert_int_equal(count_req(sz, REQ_MARK), 0);
}

static void
markers__displayed__when_window_is_seen(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;
	struct req	*r;

	/* Bob's window is not the current one: nothing yet. */
	recv_full(sz, BOB_FULL, "m1", "one", 0, 1, NULL);
	recv_full(sz, BOB_FULL, "m2", "two", 0, 1, NULL);
	assert_int_equal(count_req(sz, REQ_MARK), 0);
	w = core_chat_window(sz, BOB);
	core_select_window(sz, w);
	r = tu_next(sz, REQ_MARK);
	assert_string_equal(r->q.to, BOB);
	assert_string_equal(r->q.id, "m2");	/* the newest only */
	assert_int_equal(r->q.op, MARK_READ);
	req_free(r);
	assert_null(w->markable_id);
	/* While the window is current, at once. */
	recv_full(sz, BOB_FULL, "m3", "three", 0, 1, NULL);
	r = tu_next(sz, REQ_MARK);
	assert_string_equal(r->q.id, "m3");
	req_free(r);
	core_input(sz, "/set markers.send off");
	recv_full(sz, BOB_FULL, "m4", "four", 0, 1, NULL);
	assert_int_equal(count_req(sz, REQ_MARK), 0);
}

/* --- chat states -------------------------------------------------------- */

static void
chatstates__shown_in_title__and_cleared_by_message(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;

	recv_full(sz, BOB_FULL, "m1", "hi", 0, 0, NULL);
	w = core_chat_window(sz, BOB);
	recv_chatstate(sz, BOB_FULL, CHATSTATE_COMPOSING);
	assert_string_equal(quality_title_suffix(w), " (typing\u2026)");
	recv_chatstate(sz, BOB_FULL, CHATSTATE_PAUSED);
	assert_string_equal(quality_title_suffix(w), " (stopped typing)");
	recv_full(sz, BOB_FULL, "m2", "done", 0, 0, NULL);
	assert_string_equal(quality_title_suffix(w), "");
	/* A state from a JID without a window opens none. */
	recv_chatstate(sz, EVE, CHATSTATE_PAUSED);
	assert_null(core_chat_window(sz, EVE));
}

static void
chatstates__sent__only_after_peer_used_them(void **state)
{
	struct szia	*sz = *state;
	struct window	*w = core_open_chat(sz, BOB, 1);
	struct req	*r;

	core_typing(sz, "hel", 1000);
	assert_int_equal(count_req(sz, REQ_CHATSTATE), 0);
	recv_chatstate(sz, BOB_FULL, CHATSTATE_ACTIVE);
	assert_true(w->peer_states);
	core_typing(sz, "hell", 2000);
	r = tu_next(sz, REQ_CHATSTATE);
	assert_int_equal(r->q.op, CHATSTATE_COMPOSING);
	assert_string_equal(r->q.to, BOB);
	req_free(r);
	core_typing(sz, "hello", 3000);		/* no repeat */
	assert_int_equal(count_req(sz, REQ_CHATSTATE), 0);
	assert_int_equal(core_timeout(sz, 3000) <= 10000, 1);
	core_tick(sz, 12999);
	assert_int_equal(count_req(sz, REQ_CHATSTATE), 0);
	core_tick(sz, 13000);
	r = tu_next(sz, REQ_CHATSTATE);
	assert_int_equal(r->q.op, CHATSTATE_PAUSED);
	req_free(r);
	/* Sending a message carries active. */
	core_input(sz, "hello");
	r = tu_next(sz, REQ_MESSAGE);
	assert_int_equal(r->message.chatstate, CHATSTATE_ACTIVE);
	req_free(r);
	core_input(sz, "/set chatstates off");
	core_typing(sz, "x", 20000);
	assert_int_equal(count_req(sz, REQ_CHATSTATE), 0);
}

/* XEP-0085: two minutes away from a chat window is "inactive" there, coming
 * back is "active", closing it is "gone"; nothing to a peer who does not
 * use chat states, and no busy wake-up once offline. */
static void
chatstates__inactive_when_away__gone_on_close(void **state)
{
	struct szia	*sz = *state;
	struct window	*w = core_open_chat(sz, BOB, 1);
	struct window	*other = core_open_chat(sz, EVE, 0);
	struct req	*r;

	recv_chatstate(sz, BOB_FULL, CHATSTATE_ACTIVE);
	core_input(sz, "hi");
	req_free(tu_next(sz, REQ_MESSAGE));
	core_tick(sz, 1000);
	core_select_window(sz, other);		/* away from bob at 1000 */
	assert_int_equal(core_timeout(sz, 1000), CHATSTATE_INACTIVE_MS);
	core_tick(sz, 1000 + CHATSTATE_INACTIVE_MS - 1);
	assert_int_equal(count_req(sz, REQ_CHATSTATE), 0);
	core_tick(sz, 1000 + CHATSTATE_INACTIVE_MS);
	r = tu_next(sz, REQ_CHATSTATE);
	assert_int_equal(r->q.op, CHATSTATE_INACTIVE);
	assert_string_equal(r->q.to, BOB);
	req_free(r);
	core_tick(sz, 1000 + 3 * CHATSTATE_INACTIVE_MS);	/* once */
	assert_int_equal(count_req(sz, REQ_CHATSTATE), 0);
	assert_int_equal(core_timeout(sz, 1000 + 3 * CHATSTATE_INACTIVE_MS),
	    -1);

	core_select_window(sz, w);		/* back: active */
	r = tu_next(sz, REQ_CHATSTATE);
	assert_int_equal(r->q.op, CHATSTATE_ACTIVE);
	req_free(r);
	core_input(sz, "/close");
	r = tu_next(sz, REQ_CHATSTATE);
	assert_int_equal(r->q.op, CHATSTATE_GONE);
	assert_string_equal(r->q.to, BOB);
	req_free(r);

	/* Eve never sent a chat state: nothing, ever. */
	core_select_window(sz, other);
	core_input(sz, "hi eve");
	req_free(tu_next(sz, REQ_MESSAGE));
	core_input(sz, "/close");
	assert_int_equal(count_req(sz, REQ_CHATSTATE), 0);
}

/* --- corrections -------------------------------------------------------- */

static void
correct__replaces_last_sent_line(void **state)
{
	struct szia	*sz = *state;
	char		*id = send_to_bob(sz, "teh cat");
	struct window	*w = core_chat_window(sz, BOB);
	struct req	*r;

	assert_string_equal(core_last_sent(w), "teh cat");
	core_input(sz, "/correct the cat");
	r = tu_next(sz, REQ_MESSAGE);
	assert_string_equal(r->message.body, "the cat");
	assert_string_equal(r->message.replace_id, id);
	assert_string_not_equal(r->message.id, id);
	req_free(r);
	assert_string_equal(tu_last_line(w)->text, "the cat");
	assert_true(tu_last_line(w)->edited);
	/* A second correction still replaces the original id. */
	core_input(sz, "/correct the dog");
	r = tu_next(sz, REQ_MESSAGE);
	assert_string_equal(r->message.replace_id, id);
	req_free(r);
	free(id);
}

static void
correct__refused__without_a_sent_message(void **state)
{
	struct szia	*sz = *state;
	struct window	*w = core_open_chat(sz, BOB, 1);

	core_input(sz, "/correct oops");
	assert_int_equal(count_req(sz, REQ_MESSAGE), 0);
	assert_int_equal(tu_last_line(w)->kind, LINE_ERROR);
}

static void
correction__applied__only_from_same_sender(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;
	size_t		 n;

	recv_full(sz, BOB_FULL, "orig", "helo", 0, 0, NULL);
	w = core_chat_window(sz, BOB);
	n = w->buf.len;
	recv_full(sz, BOB "/other", "c1", "hello", 0, 0, "orig");
	assert_int_equal(w->buf.len, n);
	assert_string_equal(tu_last_line(w)->text, "hello");
	assert_true(tu_last_line(w)->edited);
	/* Someone else's "correction" of bob's line is a new message. */
	assert_int_equal(core_apply_correction(sz, w, "orig", EVE, NULL,
	    "pwned"), 0);
	assert_int_equal(core_apply_correction(sz, w, "nope", BOB, NULL, "x"),
	    0);
	assert_string_equal(tu_last_line(w)->text, "hello");
	/* Remote text is sanitised. */
	assert_int_equal(core_apply_correction(sz, w, "orig", BOB, NULL,
	    "a\033[2Jb"), 1);
	assert_true(text_is_safe(tu_last_line(w)->text));
	/* A correction of our own line from bob is a new line. */
	core_open_chat(sz, BOB, 1);
	outbox_clear(&sz->outbox);
	core_input(sz, "mine");
	n = w->buf.len;
	recv_full(sz, BOB_FULL, "c2", "fake", 0, 0,
	    tu_last_line(w)->msg_id);
	assert_int_equal(w->buf.len, n + 1);
	assert_string_equal(window_line(w, n - 1)->text, "mine");
}

static void
oob__url_appended__unless_in_body(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;
	struct ev	 ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = BOB_FULL;
	ev.message.type = "chat";
	ev.message.body = "look";
	ev.message.oob_url = "https://example.org/a.png";
	core_handle(sz, &ev);
	w = core_chat_window(sz, BOB);
	assert_string_equal(tu_last_line(w)->text,
	    "look\nhttps://example.org/a.png");
	ev.message.body = "https://example.org/a.png";
	core_handle(sz, &ev);
	assert_string_equal(tu_last_line(w)->text, "https://example.org/a.png");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, tu_core_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    styling__marks_spans__with_directives_visible),
		cmocka_unit_test(
		    styling__ignores_directives__that_break_the_rules),
		cmocka_unit_test(styling__does_not_style__inside_pre),
		cmocka_unit_test(styling__marks_quotes__and_spans_in_them),
		T(marks__move_sent_delivered_read),
		T(marks__ignored__from_another_jid_or_unknown_id),
		T(receipts__answered__for_contacts_only),
		T(markers__displayed__when_window_is_seen),
		T(chatstates__shown_in_title__and_cleared_by_message),
		T(chatstates__sent__only_after_peer_used_them),
		T(chatstates__inactive_when_away__gone_on_close),
		T(correct__replaces_last_sent_line),
		T(correct__refused__without_a_sent_message),
		T(correction__applied__only_from_same_sender),
		T(oob__url_appended__unless_in_body),
	};

	return cmocka_run_group_tests(tests, tu_group_setup, tu_group_teardown);
}
