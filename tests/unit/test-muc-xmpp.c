/*
 * test-muc-xmpp.c - unit tests for src/xmpp/muc.c and muc-out.c: room
 * stanzas (as libstrophe parses them) through the real core, and the
 * stanzas REQ_MUC requests become.  Same fixture as test-xmpp-in.c: a
 * real struct szia online as ME_FULL and a struct xmpp_link whose send()
 * captures stanzas as text.
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

#include "util/utf8.h"
#include "util/xalloc.h"
#include "core/room.h"
#include "xmpp/xmpp-int.h"

#define ME	"alice@example.org"
#define ME_FULL	"alice@example.org/szia"
#define BOB	"bob@example.org"
#define EVIL	"mallory@evil.example"

#define MAX_SENT	16
#define MAX_LOGGED	16

struct fixture {
	struct szia		 sz;
	struct xmpp_link	 xl;
	xmpp_ctx_t		*ctx;
	char			*sent[MAX_SENT];	/* stanzas as text */
	size_t			 nsent;
	struct logmsg		 logged[MAX_LOGGED];	/* copies */
	size_t			 nlogged;
};

/* --- capture ------------------------------------------------------------ */

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
cap_open(void *ctx, const char *account, char **cause)
{
	return 0;
}

static void
cap_add(void *ctx, const struct logmsg *m)
{
	struct fixture	*f = ctx;
	struct logmsg	*c;

	assert_true(f->nlogged < MAX_LOGGED);
	c = &f->logged[f->nlogged++];
	*c = *m;
	c->peer = xstrdup_or_null(m->peer);
	c->from_jid = xstrdup_or_null(m->from_jid);
	c->to_jid = xstrdup_or_null(m->to_jid);
	c->type = xstrdup_or_null(m->type);
	c->body = xstrdup_or_null(m->body);
	c->msg_id = xstrdup_or_null(m->msg_id);
	c->origin_id = xstrdup_or_null(m->origin_id);
	c->stanza_id = xstrdup_or_null(m->stanza_id);
}

static int
cap_flush(void *ctx, char **cause)
{
	return 0;
}

static int
cap_recent(void *ctx, const char *peer, int64_t before_id, size_t n,
    struct logmsg **out, char **cause)
{
	*out = NULL;
	return 0;
}

static void
cap_free_msgs(void *ctx, struct logmsg *m, size_t n)
{
	free(m);
}

static const struct log_ops cap_ops = {
	cap_open, cap_add, cap_flush, cap_recent, cap_free_msgs
};

/* --- fixture ------------------------------------------------------------ */

static char	tmpdir[] = "/tmp/szia-test-muc-xmpp-XXXXXX";

static int
group_setup(void **state)
{
	if (tmphome_create(tmpdir) != 0)
		return -1;
	xmpp_initialize();
	return 0;
}

static int
group_teardown(void **state)
{
	xmpp_shutdown();
	return tmphome_remove(tmpdir);
}

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct core_config	 cfg = { NULL, NULL, NULL };
	struct ev		 ev;

	core_init(&f->sz, &cfg);
	core_set_log(&f->sz, &cap_ops, f);
	/* Online as ME_FULL, as the XMPP layer would report it. */
	core_input(&f->sz, "/connect " ME);
	core_input(&f->sz, "secret");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CONNECTED;
	ev.connected.jid = ME_FULL;
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
	struct logmsg	*m;
	size_t		 i;

	for (i = 0; i < f->nsent; i++)
		free(f->sent[i]);
	for (i = 0; i < f->nlogged; i++) {
		m = &f->logged[i];
		free(m->peer);
		free(m->from_jid);
		free(m->to_jid);
		free(m->type);
		free(m->body);
		free(m->msg_id);
		free(m->origin_id);
		free(m->stanza_id);
	}
	iqtrack_clear(&f->xl);
	free(f->xl.keepalive_id);
	free(f->xl.bare);
	free(f->xl.domain);
	free(f->xl.bound);
	xmpp_ctx_free(f->ctx);
	core_free(&f->sz);
	free(f);
	return 0;
}

/* --- helpers ------------------------------------------------------------ */

static xmpp_stanza_t *
parse(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = xmpp_stanza_new_from_string(f->ctx, xml);

	if (st == NULL)
		fail_msg("cannot parse %s", xml);
	return st;
}

static void
feed_iq(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = parse(f, xml);

	assert_int_equal(xin_iq(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
}

static void
feed_message(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = parse(f, xml);

	assert_int_equal(xin_message(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
}

static void
feed_presence(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = parse(f, xml);

	assert_int_equal(xin_presence(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
}

/* The only stanza sent; it must contain every NULL-terminated needle. */
static const char *
sent_one(struct fixture *f, ...)
{
	va_list		 ap;
	const char	*needle;

	if (f->nsent != 1)
		fail_msg("%zu stanzas sent, expected 1", f->nsent);
	va_start(ap, f);
	while ((needle = va_arg(ap, const char *)) != NULL) {
		if (strstr(f->sent[0], needle) == NULL)
			fail_msg("sent '%s' lacks '%s'", f->sent[0], needle);
	}
	va_end(ap);
	return f->sent[0];
}

static struct line *
find_line(const struct window *w, const char *needle)
{
	struct line	*l;
	size_t		 i;

	for (i = w->buf.len; i > 0; i--) {
		l = window_line(w, i - 1);
		if (strstr(l->text, needle) != NULL)
			return l;
	}
	return NULL;
}

static struct window *
console(struct fixture *f)
{
	return windows_console(&f->sz.windows);
}

#define ROOM	"dev@conference.example.org"

/* Send the requests the core queued through muc-out.c. */
static void
flush_out(struct fixture *f)
{
	struct req	*r;

	while ((r = outbox_pop(&f->sz.outbox)) != NULL) {
		xout_request(&f->xl, r);
		req_free(r);
	}
}

static void
clear_sent(struct fixture *f)
{
	size_t	i;

	for (i = 0; i < f->nsent; i++)
		free(f->sent[i]);
	f->nsent = 0;
}

/* Join ROOM as alice, with bob already there. */
static struct room *
join(struct fixture *f)
{
	core_input(&f->sz, "/join " ROOM);
	flush_out(f);
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
	flush_out(f);
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
	flush_out(f);
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
	flush_out(f);
	sent_one(f, "to=\"" ROOM "/alice\"", "urn:xmpp:ping", NULL);
	clear_sent(f);
	snprintf(xml, sizeof xml, "<iq type='error' id='%s' from='" ROOM
	    "/alice'><error type='cancel'><not-acceptable xmlns='"
	    NS_STANZAS "'/></error></iq>", r->ping_id);
	feed_iq(f, xml);
	assert_non_null(find_line(windows_find(&f->sz.windows, ROOM),
	    "no longer in"));
	flush_out(f);
	sent_one(f, "to=\"" ROOM "/alice\"", "http://jabber.org/protocol/muc",
	    NULL);
	/* The answer to a ping that is still joined: nothing happens. */
	clear_sent(f);
	feed_presence(f, "<presence from='" ROOM "/alice'><x xmlns='"
	    NS_MUC_USER "'><status code='110'/></x></presence>");
	room_selfping(&f->sz, r);
	flush_out(f);
	snprintf(xml, sizeof xml, "<iq type='error' id='%s' from='" ROOM
	    "/alice'><error type='cancel'><service-unavailable xmlns='"
	    NS_STANZAS "'/></error></iq>", r->ping_id);
	clear_sent(f);
	feed_iq(f, xml);
	flush_out(f);
	assert_int_equal(f->nsent, 0);
	assert_int_equal(r->state, ROOM_JOINED);
}

static void
request__config_submit_and_subject(void **state)
{
	struct fixture	*f = *state;

	join(f);
	core_input(&f->sz, "/topic hi <there>");
	flush_out(f);
	sent_one(f, "type=\"groupchat\"", "<subject>hi &lt;there&gt;"
	    "</subject>", NULL);
	clear_sent(f);
	core_input(&f->sz, "/leave bye");
	flush_out(f);
	sent_one(f, "type=\"unavailable\"", "<status>bye</status>", NULL);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

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

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
