/*
 * test-xmpp-in.c - unit tests for src/xmpp/in.c and iqtrack.c: hostile
 * stanzas to core events.
 *
 * The fixture is xmpptest.h's, with the core's log captured: stanzas
 * parsed from text go to xin_iq/xin_message/xin_presence directly, what
 * the layer would send and what the core would log are kept as text.
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

#include "util/log.h"
#include "util/rand.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

#define EVIL	"mallory@evil.example"

#define PUSH(from, items)						\
	"<iq type='set' id='push1'" from ">"				\
	"<query xmlns='jabber:iq:roster'>" items "</query></iq>"
#define OWN	" from='" ME "'"
#define EVE_ITEM							\
	"<item jid='eve@example.org' name='Eve' subscription='both'>"	\
	"<group>Friends</group></item>"

/* --- the debug log ----------------------------------------------------- */

static char	log_path[64];

/* Log to a fresh file in the test's home, from now on. */
static void
log_to_file(void)
{
	snprintf(log_path, sizeof log_path, "%s/szia.log", tu_tmpdir);
	unlink(log_path);
	assert_int_equal(log_open(log_path, LOG_LEVEL_DEBUG), 0);
}

/* Close the log; its text (caller frees), which must hold no raw
 * control character but line ends, and no raw C1 or bidi control. */
static char *
log_text(void)
{
	FILE		*fp;
	char		*buf = xcalloc(1, 1 << 16);
	const char	*p;

	log_close();
	assert_non_null(fp = fopen(log_path, "r"));
	assert_true(fread(buf, 1, (1 << 16) - 1, fp) > 0);
	fclose(fp);
	unlink(log_path);
	for (p = buf; *p != '\0'; p++)
		assert_true((unsigned char)*p >= 0x20 || *p == '\n');
	assert_null(strstr(buf, "\x7f"));
	assert_null(strstr(buf, "\xc2\x9b"));
	assert_null(strstr(buf, "\xe2\x80\xae"));
	return buf;
}

/* --- roster pushes ----------------------------------------------------- */

static void
roster_push__is_ignored__when_from_other_jid(void **state)
{
	struct fixture	*f = *state;
	char		*log;

	log_to_file();
	feed_iq(f, PUSH(" from='" EVIL "'", EVE_ITEM));
	assert_null(roster_find(&f->sz.roster, "eve@example.org"));
	assert_int_equal(f->sz.roster.ncontacts, 0);
	sent_one(f, "type=\"error\"", "id=\"push1\"", "to=\"" EVIL "\"",
	    NULL);
	assert_null(strstr(f->sent[0], "type=\"result\""));
	/* The spec: ignored AND logged. */
	log = log_text();
	assert_non_null(strstr(log, " warn roster push from " EVIL
	    " ignored"));
	free(log);
}

static void
roster_push__logs_sender_harmlessly__when_hostile(void **state)
{
	struct fixture	*f = *state;
	xmpp_stanza_t	*st;
	char		*log;

	/* XML cannot carry ESC; a stanza built in memory can. */
	st = parse(f, PUSH(" from='" EVIL "'", EVE_ITEM));
	xmpp_stanza_set_attribute(st, "from", "mallory\x1b]0;owned\x07"
	    "\xc2\x9b" "2J\xe2\x80\xae@evil.example\nfake entry");
	log_to_file();
	assert_int_equal(xin_iq(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
	assert_null(roster_find(&f->sz.roster, "eve@example.org"));
	log = log_text();
	assert_non_null(strstr(log, " warn roster push from mallory\\x1b]0;"
	    "owned\\x07\\x9b2J\\u202e@evil.example\\x0afake entry ignored"));
	free(log);
}

static void
iq_reply__logs_unknown_id_harmlessly(void **state)
{
	struct fixture	*f = *state;
	char		*log;

	log_to_file();
	feed_iq(f, "<iq type='result' id='x&#x9b;1&#x202e;' from='"
	    "bob@example.org/&#x85;res'/>");
	log = log_text();
	assert_non_null(strstr(log, "iq reply id x\\x9b1\\u202e from "
	    "bob@example.org/\\x85res matches no request"));
	free(log);
}

static void
roster_push__is_ignored__when_from_own_full_jid(void **state)
{
	struct fixture	*f = *state;

	/* RFC 6121 2.1.6: no from, or the bare JID; nothing else. */
	feed_iq(f, PUSH(" from='" ME_FULL "'", EVE_ITEM));
	assert_null(roster_find(&f->sz.roster, "eve@example.org"));
	sent_one(f, "type=\"error\"", NULL);
}

static void
roster_push__is_ignored__when_from_own_domain(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, PUSH(" from='example.org'", EVE_ITEM));
	assert_null(roster_find(&f->sz.roster, "eve@example.org"));
	sent_one(f, "type=\"error\"", NULL);
}

static void
roster_push__is_applied__when_no_from(void **state)
{
	struct fixture	*f = *state;
	struct contact	*c;

	/* No 'from': the form RFC 6121 2.1.6 shows, and what Prosody sends
	 * (libstrophe 0.12's xmpp_stanza_reply() cannot answer it). */
	feed_iq(f, PUSH("", EVE_ITEM));
	c = roster_find(&f->sz.roster, "eve@example.org");
	assert_non_null(c);
	assert_true(c->in_roster);
	assert_string_equal(c->name, "Eve");
	assert_int_equal(c->sub, SUBSCRIPTION_BOTH);
	assert_int_equal(c->ngroups, 1);
	assert_string_equal(c->groups[0], "Friends");
	sent_one(f, "type=\"result\"", "id=\"push1\"", NULL);
	assert_null(strstr(f->sent[0], "<query"));
}

static void
roster_push__is_applied__when_from_own_bare_jid(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, PUSH(" from='" ME "'", EVE_ITEM));
	assert_non_null(roster_find(&f->sz.roster, "eve@example.org"));
	sent_one(f, "type=\"result\"", "id=\"push1\"", "to=\"" ME "\"", NULL);
}

static void
roster_push__removes_contact__when_subscription_remove(void **state)
{
	struct fixture	*f = *state;
	struct contact	*c;

	feed_iq(f, PUSH(OWN, EVE_ITEM));
	feed_iq(f, PUSH(OWN, "<item jid='eve@example.org' "
	    "subscription='remove'/>"));
	c = roster_find(&f->sz.roster, "eve@example.org");
	assert_true(c == NULL || !c->in_roster);
	assert_int_equal(f->nsent, 2);
	assert_non_null(strstr(f->sent[1], "type=\"result\""));
}

static void
roster_push__is_rejected__when_two_items(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, PUSH(OWN, EVE_ITEM
	    "<item jid='zed@example.org' subscription='both'/>"));
	assert_null(roster_find(&f->sz.roster, "eve@example.org"));
	assert_null(roster_find(&f->sz.roster, "zed@example.org"));
	sent_one(f, "type=\"error\"", "bad-request", NULL);
}

static void
roster_push__is_rejected__when_no_item_or_no_jid(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, PUSH(OWN, ""));
	feed_iq(f, PUSH(OWN, "<item name='nobody'/>"));
	assert_int_equal(f->nsent, 2);
	assert_non_null(strstr(f->sent[0], "bad-request"));
	assert_non_null(strstr(f->sent[1], "bad-request"));
	assert_int_equal(f->sz.roster.ncontacts, 0);
}

static void
roster_push__sanitises_name_and_group(void **state)
{
	struct fixture	*f = *state;
	struct contact	*c;

	feed_iq(f, PUSH(OWN, "<item jid='eve@example.org' "
	    "name='E&#x9b;2Jve&#x7f;' subscription='both'>"
	    "<group>G&#x85;&#xd;</group></item>"));
	c = roster_find(&f->sz.roster, "eve@example.org");
	assert_non_null(c);
	assert_true(text_is_safe(c->name));
	assert_true(text_is_safe(c->display));
	assert_true(text_is_safe(c->groups[0]));
}

/* --- iq replies --------------------------------------------------------- */

static void
iq_result__is_ignored__when_from_wrong_sender(void **state)
{
	struct fixture	*f = *state;
	char		 xml[256];
	const char	*id;

	id = iqtrack_add(&f->xl, BOB, IQ_PING_USER);
	f->sz.session.ping_id = xstrdup(id);

	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='%s'/>",
	    id, EVIL);
	feed_iq(f, xml);
	assert_non_null(f->xl.iqs);			/* still pending */
	assert_non_null(f->sz.session.ping_id);
	assert_null(find_line(console(f), "Pong"));
	/* A full JID of the bare JID asked is not the bare JID. */
	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='%s'/>",
	    id, BOB "/phone");
	feed_iq(f, xml);
	assert_non_null(f->xl.iqs);
	assert_null(find_line(console(f), "Pong"));

	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='%s'/>",
	    id, BOB);
	feed_iq(f, xml);
	assert_null(f->xl.iqs);
	assert_null(f->sz.session.ping_id);
	assert_non_null(find_line(console(f), "Pong from " BOB));
	assert_int_equal(f->nsent, 0);	/* replies are never answered */
}

static void
iq_result__is_ignored__when_id_unknown(void **state)
{
	struct fixture	*f = *state;

	iqtrack_add(&f->xl, BOB, IQ_PING_USER);
	feed_iq(f, "<iq type='result' id='guessed' from='" BOB "'/>");
	feed_iq(f, "<iq type='result' from='" BOB "'/>");
	assert_non_null(f->xl.iqs);
	assert_int_equal(f->nsent, 0);
}

static void
iq_error__reports_ping_failure__when_from_right_sender(void **state)
{
	struct fixture	*f = *state;
	char		 xml[512];
	const char	*id;

	id = iqtrack_add(&f->xl, BOB, IQ_PING_USER);
	f->sz.session.ping_id = xstrdup(id);
	snprintf(xml, sizeof xml, "<iq type='error' id='%s' from='%s'>"
	    "<error type='cancel'><service-unavailable xmlns='"
	    NS_STANZAS "'/></error></iq>", id, BOB);
	feed_iq(f, xml);
	assert_null(f->xl.iqs);
	assert_non_null(find_line(console(f), "Ping to " BOB " failed: "
	    "service-unavailable"));
}

static void
roster_result__is_ignored__when_from_other_jid(void **state)
{
	struct fixture	*f = *state;
	char		 xml[512];
	const char	*id;

	id = iqtrack_add(&f->xl, NULL, IQ_ROSTER_GET);
	snprintf(xml, sizeof xml, "<iq type='result' id='%s' from='" EVIL "'>"
	    "<query xmlns='jabber:iq:roster'>" EVE_ITEM "</query></iq>", id);
	feed_iq(f, xml);
	assert_int_equal(f->sz.roster.ncontacts, 0);
	assert_non_null(f->xl.iqs);

	snprintf(xml, sizeof xml, "<iq type='result' id='%s' to='" ME_FULL
	    "'><query xmlns='jabber:iq:roster'>" EVE_ITEM
	    "<item jid='zed@example.org' subscription='to'/>"
	    "<item subscription='to'/>"
	    "</query></iq>", id);
	feed_iq(f, xml);
	assert_null(f->xl.iqs);
	assert_int_equal(f->sz.roster.ncontacts, 2);
	assert_non_null(roster_find(&f->sz.roster, "zed@example.org"));
}

/* --- random ids --------------------------------------------------------- */

#define NIDS		1000
#define ID_LEN		22
#define ID_ALPHABET	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789-_"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * IDS[0..NIDS) must be unguessable: each ID_LEN characters of the
 * URL-safe alphabet, all different, consecutive ones unrelated (a counter
 * or a clock would share most positions with the one before), and,
 * together, using the whole alphabet.
 */
static void
assert_random_ids(char **ids)
{
	char	*sorted[NIDS];
	int	 seen[256] = { 0 }, same;
	size_t	 i, k;

	for (i = 0; i < NIDS; i++) {
		assert_int_equal(strlen(ids[i]), ID_LEN);
		assert_int_equal(strspn(ids[i], ID_ALPHABET), ID_LEN);
		for (k = 0; k < ID_LEN; k++)
			seen[(unsigned char)ids[i][k]] = 1;
		if (i == 0)
			continue;
		for (k = same = 0; k < ID_LEN; k++)
			same += ids[i][k] == ids[i - 1][k];
		/* About 22/64 by chance; 9 or more: ~1e-10 per pair. */
		assert_true(same <= 8);
	}
	memcpy(sorted, ids, sizeof sorted);
	qsort(sorted, NIDS, sizeof sorted[0], cmp_str);
	for (i = 1; i < NIDS; i++)
		assert_string_not_equal(sorted[i - 1], sorted[i]);
	for (k = 0; k < sizeof ID_ALPHABET - 1; k++)
		assert_true(seen[(unsigned char)ID_ALPHABET[k]]);
}

static void
rand_id__is_unpredictable(void **state)
{
	char	*ids[NIDS];
	size_t	 i;

	for (i = 0; i < NIDS; i++)
		ids[i] = rand_id();
	assert_random_ids(ids);
	for (i = 0; i < NIDS; i++)
		free(ids[i]);
}

static void
iqtrack_add__gives_unpredictable_ids(void **state)
{
	struct fixture	*f = *state;
	char		*ids[NIDS];
	size_t		 i;

	for (i = 0; i < NIDS; i++)
		ids[i] = iqtrack_add(&f->xl, i % 2 ? BOB : NULL, IQ_PING_USER);
	assert_random_ids(ids);		/* owned by f->xl.iqs */
}

/* --- iq requests we answer ------------------------------------------- */

static void
iq_get__answers_service_unavailable__when_unknown(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq type='get' id='last1' from='" EVIL "/x'>"
	    "<query xmlns='jabber:iq:last'/></iq>");
	sent_one(f, "type=\"error\"", "id=\"last1\"", "service-unavailable",
	    "to=\"" EVIL "/x\"", NULL);
}

static void
iq_set__answers_service_unavailable__when_unknown(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq type='set' id='s1' from='" BOB "/x'>"
	    "<block xmlns='urn:xmpp:blocking'/></iq>");
	sent_one(f, "type=\"error\"", "service-unavailable", NULL);
}

static void
iq_get__answers_bad_request__when_no_payload(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq type='get' id='e1' from='" BOB "/x'/>");
	sent_one(f, "type=\"error\"", "bad-request", NULL);
}

static void
iq__is_ignored__when_type_missing_or_unknown(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq id='n1' from='" BOB "/x'>"
	    "<ping xmlns='urn:xmpp:ping'/></iq>");
	feed_iq(f, "<iq type='weird' id='n2' from='" BOB "/x'>"
	    "<ping xmlns='urn:xmpp:ping'/></iq>");
	assert_int_equal(f->nsent, 0);
}

static void
iq_get__answers_result__when_ping(void **state)
{
	struct fixture	*f = *state;
	const char	*s;

	feed_iq(f, "<iq type='get' id='ping1' from='example.org' to='"
	    ME_FULL "'><ping xmlns='urn:xmpp:ping'/></iq>");
	s = sent_one(f, "type=\"result\"", "id=\"ping1\"",
	    "to=\"example.org\"", NULL);
	assert_null(strstr(s, "error"));
}

static void
iq_get__answers_result__when_ping_has_no_from(void **state)
{
	struct fixture	*f = *state;

	/* No 'from', as in roster_push__is_applied__when_no_from. */
	feed_iq(f, "<iq type='get' id='ping2'>"
	    "<ping xmlns='urn:xmpp:ping'/></iq>");
	sent_one(f, "type=\"result\"", "id=\"ping2\"", NULL);
}

static void
iq_get__answers_error__when_unknown_has_no_from(void **state)
{
	struct fixture	*f = *state;

	/* No 'from' either, for an error reply. */
	feed_iq(f, "<iq type='get' id='last2'>"
	    "<query xmlns='jabber:iq:last'/></iq>");
	sent_one(f, "type=\"error\"", "service-unavailable", NULL);
}

static void
iq_get__answers_disco_info__with_identity_and_features(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq type='get' id='d1' from='" BOB "/x'>"
	    "<query xmlns='http://jabber.org/protocol/disco#info' "
	    "node='http://example/caps#abc'/></iq>");
	sent_one(f, "type=\"result\"", "id=\"d1\"",
	    "xmlns=\"http://jabber.org/protocol/disco#info\"",
	    "category=\"client\"",
	    "var=\"urn:xmpp:ping\"",
	    "var=\"http://jabber.org/protocol/disco#info\"",
	    "var=\"jabber:iq:version\"",
	    "node=\"http://example/caps#abc\"", NULL);
}

static void
iq_get__answers_version__with_name_szia(void **state)
{
	struct fixture	*f = *state;

	feed_iq(f, "<iq type='get' id='v1' from='" BOB "/x'>"
	    "<query xmlns='jabber:iq:version'/></iq>");
	sent_one(f, "type=\"result\"", "id=\"v1\"",
	    "xmlns=\"jabber:iq:version\"", "<name>szia</name>",
	    "<version>" SZIA_VERSION "</version>", NULL);
}

/* --- messages ---------------------------------------------------------- */

static void
message__keeps_stanza_id__only_when_by_own_account(void **state)
{
	struct fixture	*f = *state;

	feed_message(f, "<message type='chat' id='m1' from='" BOB "/phone' "
	    "to='" ME_FULL "'><body>one</body>"
	    "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/>"
	    "<stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='evil'/>"
	    "<stanza-id xmlns='urn:xmpp:sid:0' id='forged2' "
	    "by='" BOB "'/>"
	    "</message>");
	assert_int_equal(f->nlogged, 1);
	assert_string_equal(f->logged[0].body, "one");
	assert_string_equal(f->logged[0].msg_id, "m1");
	assert_string_equal(f->logged[0].origin_id, "o1");
	assert_null(f->logged[0].stanza_id);

	feed_message(f, "<message type='chat' id='m2' from='" BOB "/phone'>"
	    "<body>two</body>"
	    "<stanza-id xmlns='urn:xmpp:sid:0' id='s2' by='" ME "'/>"
	    "</message>");
	assert_int_equal(f->nlogged, 2);
	assert_non_null(f->logged[1].stanza_id);
	assert_string_equal(f->logged[1].stanza_id, "s2");
	assert_string_equal(f->logged[1].peer, BOB);
	assert_string_equal(f->logged[1].from_jid, BOB "/phone");
}

static void
message__ignores_stanza_id__when_namespace_wrong(void **state)
{
	struct fixture	*f = *state;

	feed_message(f, "<message type='chat' from='" BOB "/phone'>"
	    "<body>x</body>"
	    "<stanza-id xmlns='urn:example:other' id='s3' by='" ME "'/>"
	    "</message>");
	assert_int_equal(f->nlogged, 1);
	assert_null(f->logged[0].stanza_id);
}

static void
message__dates_line__when_delay_present(void **state)
{
	struct fixture	*f = *state;
	struct line	*l;

	feed_message(f, "<message type='chat' from='" BOB "/phone'>"
	    "<body>old news</body>"
	    "<delay xmlns='urn:xmpp:delay' from='example.org' "
	    "stamp='2002-09-10T23:08:25Z'/></message>");
	l = find_line(windows_find(&f->sz.windows, BOB), "old news");
	assert_non_null(l);
	assert_true(l->flags & LINE_DELAYED);
	assert_int_equal(l->ts, 1031699305);
	assert_int_equal(f->logged[0].ts, 1031699305);
}

static void
xin_parse_stamp__parses_utc(void **state)
{
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25Z"), 1031699305);
	assert_int_equal(xin_parse_stamp("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(xin_parse_stamp("2024-02-29T12:00:00Z"), 1709208000);
}

static void
xin_parse_stamp__ignores_fraction(void **state)
{
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25.123Z"),
	    1031699305);
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25.123456+00:00"),
	    1031699305);
}

static void
xin_parse_stamp__applies_offset(void **state)
{
	/* 23:08:25 at +02:00 is 21:08:25 UTC. */
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25+02:00"),
	    1031699305 - 7200);
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25-05:30"),
	    1031699305 + 5 * 3600 + 1800);
}

static void
xin_parse_stamp__returns_0__when_malformed(void **state)
{
	assert_int_equal(xin_parse_stamp("2002-13-01T00:00:00Z"), 0);
	assert_int_equal(xin_parse_stamp("2002-00-01T00:00:00Z"), 0);
	assert_int_equal(xin_parse_stamp("2002-01-32T00:00:00Z"), 0);
	assert_int_equal(xin_parse_stamp("2002-01-01T24:00:00Z"), 0);
	assert_int_equal(xin_parse_stamp("2002-01-01T00:60:00Z"), 0);
	assert_int_equal(xin_parse_stamp("garbage"), 0);
	assert_int_equal(xin_parse_stamp(""), 0);
	assert_int_equal(xin_parse_stamp(NULL), 0);
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25"), 0);
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25Zjunk"), 0);
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25+02"), 0);
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25+02:00x"), 0);
	assert_int_equal(xin_parse_stamp("2002-09-10T23:08:25+25:00"), 0);
	assert_int_equal(xin_parse_stamp("1969-12-31T23:59:59Z"), 0);
	assert_int_equal(xin_parse_stamp("2002-09-10 23:08:25Z"), 0);
}

static void
message__survives_64k_body_of_controls(void **state)
{
	struct fixture	*f = *state;
	xmpp_stanza_t	*msg, *body, *text;
	struct window	*w;
	struct line	*l;
	char		*big;
	size_t		 i, len = 65536;

	/* Built with the API: XML itself could not carry most of these. */
	big = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		switch (i % 5) {
		case 0:
			big[i] = 0x1b;
			break;
		case 1:
			big[i] = (char)(1 + i % 0x1f);
			break;
		case 2:
			big[i] = 0x7f;
			break;
		case 3:
			big[i] = (char)0xc2;
			break;
		default:
			big[i] = (char)(0x80 + i % 0x20);	/* C1 */
			break;
		}
	}
	big[len] = '\0';
	big[1] = 'X';	/* something to find */
	msg = xmpp_message_new(f->ctx, "chat", ME_FULL, "m-big");
	xmpp_stanza_set_from(msg, BOB "/phone");
	body = xmpp_stanza_new(f->ctx);
	xmpp_stanza_set_name(body, "body");
	text = xmpp_stanza_new(f->ctx);
	xmpp_stanza_set_text(text, big);
	xmpp_stanza_add_child(body, text);
	xmpp_stanza_release(text);
	xmpp_stanza_add_child(msg, body);
	xmpp_stanza_release(body);
	assert_int_equal(xin_message(NULL, msg, &f->xl), 1);
	xmpp_stanza_release(msg);
	free(big);

	w = windows_find(&f->sz.windows, BOB);
	assert_non_null(w);
	l = window_line(w, w->buf.len - 1);
	assert_int_equal(l->kind, LINE_IN);
	assert_true(strlen(l->text) >= 10000);
	assert_non_null(strchr(l->text, 'X'));
	assert_true(text_is_safe(l->text));
	assert_null(strchr(l->text, 0x1b));
}

static void
message__sanitises_xml_legal_controls(void **state)
{
	struct fixture	*f = *state;
	struct line	*l;

	feed_message(f, "<message type='chat' from='" BOB "/phone'>"
	    "<body>a&#xd;b&#x7f;c&#x9b;2Jd&#x85;e&#x2028;f\tg</body>"
	    "</message>");
	l = find_line(windows_find(&f->sz.windows, BOB), "a");
	assert_non_null(l);
	assert_true(text_is_safe(l->text));
	assert_non_null(strstr(l->text, "e\nf g"));
}

static void
message__is_ignored__when_groupchat_or_headline(void **state)
{
	struct fixture	*f = *state;

	feed_message(f, "<message type='groupchat' from='room@muc.example/"
	    "nick'><body>hi all</body></message>");
	feed_message(f, "<message type='headline' from='news.example'>"
	    "<body>breaking</body></message>");
	assert_null(windows_find(&f->sz.windows, "room@muc.example"));
	assert_null(windows_find(&f->sz.windows, "news.example"));
	assert_int_equal(f->nlogged, 0);
	assert_null(f->sz.windows.head->next);
}

static void
message__is_ignored__when_no_body(void **state)
{
	struct fixture	*f = *state;

	feed_message(f, "<message type='chat' from='" BOB "/phone'>"
	    "<composing xmlns='http://jabber.org/protocol/chatstates'/>"
	    "</message>");
	assert_null(windows_find(&f->sz.windows, BOB));
	assert_int_equal(f->nlogged, 0);
}

static void
message__treats_missing_type_as_normal(void **state)
{
	struct fixture	*f = *state;

	feed_message(f, "<message from='" BOB "/phone'><body>plain</body>"
	    "</message>");
	assert_int_equal(f->nlogged, 1);
	assert_string_equal(f->logged[0].type, "normal");
	assert_non_null(windows_find(&f->sz.windows, BOB));
}

static void
message__reports_error__when_type_error(void **state)
{
	struct fixture	*f = *state;

	feed_message(f, "<message type='error' from='" BOB "' id='x'>"
	    "<error type='cancel'><item-not-found xmlns='" NS_STANZAS "'/>"
	    "</error></message>");
	assert_non_null(find_line(console(f), "Message to " BOB " failed: "
	    "item-not-found"));
	assert_int_equal(f->nlogged, 0);
	feed_message(f, "<message type='error' from='" BOB "' id='y'>"
	    "<error type='cancel'><text xmlns='" NS_STANZAS "'>Go "
	    "&#x9b;2Jaway&#x7f;</text></error></message>");
	assert_non_null(find_line(console(f), "Go "));
	assert_true(text_is_safe(find_line(console(f), "Go ")->text));
}

/* --- presence ----------------------------------------------------------- */

static void
presence__clamps_priority(void **state)
{
	struct fixture	*f = *state;
	struct contact	*c;
	struct resource	*r;

	feed_presence(f, "<presence from='" BOB "/a'>"
	    "<priority>99999</priority></presence>");
	feed_presence(f, "<presence from='" BOB "/b'>"
	    "<priority>-99999</priority></presence>");
	feed_presence(f, "<presence from='" BOB "/c'>"
	    "<priority>banana</priority></presence>");
	feed_presence(f, "<presence from='" BOB "/d'>"
	    "<priority>99999999999999999999999</priority></presence>");
	c = roster_find(&f->sz.roster, BOB);
	assert_non_null(c);
	for (r = c->resources; r != NULL; r = r->next) {
		if (strcmp(r->name, "a") == 0)
			assert_int_equal(r->priority, 127);
		else if (strcmp(r->name, "b") == 0)
			assert_int_equal(r->priority, -128);
		else if (strcmp(r->name, "c") == 0)
			assert_int_equal(r->priority, 0);
		else if (strcmp(r->name, "d") == 0)
			assert_int_equal(r->priority, 127);
		else
			fail_msg("unexpected resource %s", r->name);
	}
	assert_int_equal(roster_best_resource(c)->priority, 127);
}

static void
presence__maps_show_and_status(void **state)
{
	struct fixture	*f = *state;
	struct contact	*c;

	feed_presence(f, "<presence from='" BOB "/a'><show>dnd</show>"
	    "<status>in a &#x9b;5mmeeting&#x7f;</status></presence>");
	c = roster_find(&f->sz.roster, BOB);
	assert_int_equal(c->show, SHOW_DND);
	assert_non_null(c->status);
	assert_true(text_is_safe(c->status));
	feed_presence(f, "<presence from='" BOB "/a' type='unavailable'/>");
	assert_int_equal(c->show, SHOW_OFFLINE);
}

static void
presence__reports_subscription_request(void **state)
{
	struct fixture	*f = *state;

	feed_presence(f, "<presence type='subscribe' from='" BOB "'/>");
	assert_non_null(find_line(console(f), "/sub allow " BOB));
}

static void
presence__is_ignored__when_probe_or_no_from(void **state)
{
	struct fixture	*f = *state;
	size_t		 before = console(f)->buf.len;

	feed_presence(f, "<presence type='probe' from='" BOB "/a'/>");
	feed_presence(f, "<presence/>");
	feed_presence(f, "<presence type='subscribe'/>");
	assert_null(roster_find(&f->sz.roster, BOB));
	assert_int_equal(console(f)->buf.len, before);
	assert_int_equal(f->nsent, 0);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, xt_setup_log, \
			    xt_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(roster_push__is_ignored__when_from_other_jid),
		T(roster_push__logs_sender_harmlessly__when_hostile),
		T(iq_reply__logs_unknown_id_harmlessly),
		T(roster_push__is_ignored__when_from_own_full_jid),
		T(roster_push__is_ignored__when_from_own_domain),
		T(roster_push__is_applied__when_no_from),
		T(roster_push__is_applied__when_from_own_bare_jid),
		T(roster_push__removes_contact__when_subscription_remove),
		T(roster_push__is_rejected__when_two_items),
		T(roster_push__is_rejected__when_no_item_or_no_jid),
		T(roster_push__sanitises_name_and_group),
		T(iq_result__is_ignored__when_from_wrong_sender),
		T(iq_result__is_ignored__when_id_unknown),
		T(iq_error__reports_ping_failure__when_from_right_sender),
		T(roster_result__is_ignored__when_from_other_jid),
		T(rand_id__is_unpredictable),
		T(iqtrack_add__gives_unpredictable_ids),
		T(iq_get__answers_service_unavailable__when_unknown),
		T(iq_set__answers_service_unavailable__when_unknown),
		T(iq_get__answers_bad_request__when_no_payload),
		T(iq__is_ignored__when_type_missing_or_unknown),
		T(iq_get__answers_result__when_ping),
		T(iq_get__answers_result__when_ping_has_no_from),
		T(iq_get__answers_error__when_unknown_has_no_from),
		T(iq_get__answers_disco_info__with_identity_and_features),
		T(iq_get__answers_version__with_name_szia),
		T(message__keeps_stanza_id__only_when_by_own_account),
		T(message__ignores_stanza_id__when_namespace_wrong),
		T(message__dates_line__when_delay_present),
		T(xin_parse_stamp__parses_utc),
		T(xin_parse_stamp__ignores_fraction),
		T(xin_parse_stamp__applies_offset),
		T(xin_parse_stamp__returns_0__when_malformed),
		T(message__survives_64k_body_of_controls),
		T(message__sanitises_xml_legal_controls),
		T(message__is_ignored__when_groupchat_or_headline),
		T(message__is_ignored__when_no_body),
		T(message__treats_missing_type_as_normal),
		T(message__reports_error__when_type_error),
		T(presence__clamps_priority),
		T(presence__maps_show_and_status),
		T(presence__reports_subscription_request),
		T(presence__is_ignored__when_probe_or_no_from),
	};

	return cmocka_run_group_tests(tests, xt_group_setup,
	    xt_group_teardown);
}
