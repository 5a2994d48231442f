/*
 * test-xmpp-bookmark.c - unit tests for src/xmpp/bookmark.c and disco.c:
 * the stanzas szia sends for bookmarks and disco, and hostile or forged
 * ones it receives, through a real core.
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

#include "core/bookmark.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

#define EVIL	"mallory@evil.example/x"
#define ROOM	"room@conference.example.org"

/*
 * Online in the core's eyes by hand rather than through /connect and
 * EV_CONNECTED: the tests here start each exchange themselves (see
 * load_pep()) and want nothing else queued or loaded before.
 */
static int
online(struct fixture *f)
{
	f->sz.session.state = CONN_ONLINE;
	f->sz.session.bare = xstrdup(ME);
	return 0;
}

static const struct xt_opts opts = { XT_OFFLINE, online, NULL };

static int
setup(void **state)
{
	return xt_setup_with(state, &opts);
}

/*
 * Hand a <message> to xin_message(), anything else to xin_iq(); whether
 * the layer took it is not checked, as for a forged stanza either is fine.
 */
static void
feed(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = parse(f, xml);

	if (strcmp(xmpp_stanza_get_name(st), "message") == 0)
		xin_message(NULL, st, &f->xl);
	else
		xin_iq(NULL, st, &f->xl);
	xmpp_stanza_release(st);
}

/* The id attribute of the last stanza sent. */
static char *
last_id(struct fixture *f)
{
	xmpp_stanza_t	*st;
	char		*id;

	assert_true(f->nsent > 0);
	st = xmpp_stanza_new_from_string(f->ctx, f->sent[f->nsent - 1]);
	id = xstrdup(xmpp_stanza_get_id(st));
	xmpp_stanza_release(st);
	return id;
}

/* The account does XEP-0402; its (empty) bookmarks are loaded. */
static void
load_pep(struct fixture *f)
{
	char	*id, *xml;

	bookmark_start(&f->sz, 1);
	flush(f);
	assert_non_null(strstr(f->sent[f->nsent - 1],
	    "<items node=\"urn:xmpp:bookmarks:1\"/>"));
	id = last_id(f);
	xml = xasprintf("<iq type='error' id='%s' from='" ME "'><error "
	    "type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:"
	    "xmpp-stanzas'/></error></iq>", id);
	feed(f, xml);
	assert_true(bookmarks_get(&f->sz)->loaded);
	free(xml);
	free(id);
}

static const char notification[] =
    "<message from='%s' to='" ME_FULL "' type='headline'>"
    "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
    "<items node='urn:xmpp:bookmarks:1'><item id='" ROOM "'>"
    "<conference xmlns='urn:xmpp:bookmarks:1' name='R' autojoin='1'>"
    "<nick>al</nick></conference></item></items></event></message>";

static void
notification__is_ignored__when_not_from_own_bare_jid(void **state)
{
	struct fixture	*f = *state;
	const char	*from[] = { EVIL, ME_FULL, "example.org",
	    "alice@example.org/other" };
	char		*xml;
	size_t		 i;

	load_pep(f);
	for (i = 0; i < sizeof from / sizeof from[0]; i++) {
		xml = xasprintf(notification, from[i]);
		feed(f, xml);
		free(xml);
		assert_null(bookmark_find(&f->sz, ROOM));
	}
	/* Not shown as a message either. */
	assert_null(windows_find(&f->sz.windows, "mallory@evil.example"));
}

static void
notification__is_applied__when_from_own_bare_jid(void **state)
{
	struct fixture	*f = *state;
	struct bookmark	*b;
	char		*xml;

	load_pep(f);
	xml = xasprintf(notification, ME);
	feed(f, xml);
	free(xml);
	assert_non_null(b = bookmark_find(&f->sz, ROOM));
	assert_string_equal(b->name, "R");
	assert_string_equal(b->nick, "al");
	assert_true(b->autojoin);
	feed(f, "<message from='" ME "' to='" ME_FULL "' type='headline'>"
	    "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
	    "<items node='urn:xmpp:bookmarks:1'><retract id='" ROOM "'/>"
	    "</items></event></message>");
	assert_null(bookmark_find(&f->sz, ROOM));
}

/* XEP-0402: what another client keeps in <extensions/> survives our
 * changes to the bookmark. */
static void
publish__keeps_extensions(void **state)
{
	struct fixture	*f = *state;
	char		*xml;

	load_pep(f);
	xml = xasprintf("<message from='" ME "' to='" ME_FULL "' type="
	    "'headline'><event xmlns='http://jabber.org/protocol/pubsub#event'>"
	    "<items node='urn:xmpp:bookmarks:1'><item id='" ROOM "'>"
	    "<conference xmlns='urn:xmpp:bookmarks:1' autojoin='false'>"
	    "<extensions><state xmlns='urn:example:x' pinned='yes'/>"
	    "</extensions></conference></item></items></event></message>");
	feed(f, xml);
	free(xml);
	assert_non_null(bookmark_find(&f->sz, ROOM));
	core_input(&f->sz, "/bookmark add " ROOM " --nick al");
	flush(f);
	assert_non_null(strstr(f->sent[f->nsent - 1], "<nick>al</nick>"));
	assert_non_null(strstr(f->sent[f->nsent - 1], "<extensions><state "));
	assert_non_null(strstr(f->sent[f->nsent - 1],
	    "xmlns=\"urn:example:x\""));
}

static void
publish__carries_the_publish_options_xep0402_requires(void **state)
{
	struct fixture	*f = *state;
	const char	*want[] = {
		"<publish node=\"urn:xmpp:bookmarks:1\"><item id=\"" ROOM "\">",
		"<nick>al</nick>",
		"autojoin=\"true\"",
		"var=\"FORM_TYPE\"",
		"<value>http://jabber.org/protocol/pubsub#publish-options"
		    "</value>",
		"<field var=\"pubsub#persist_items\"><value>true</value>",
		"<field var=\"pubsub#max_items\"><value>max</value>",
		"<field var=\"pubsub#send_last_published_item\"><value>never"
		    "</value>",
		"<field var=\"pubsub#access_model\"><value>whitelist</value>",
	};
	const char	*s;
	char		*id, *xml;
	size_t		 i;

	load_pep(f);
	core_input(&f->sz, "/bookmark add " ROOM " --nick al");
	flush(f);
	s = f->sent[f->nsent - 1];
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (strstr(s, want[i]) == NULL)
			fail_msg("no %s in %s", want[i], s);
	}
	/* An answer from someone else is not the server's. */
	id = last_id(f);
	xml = xasprintf("<iq type='result' id='%s' from='" EVIL "'/>", id);
	feed(f, xml);
	free(xml);
	assert_null(find_line(windows_console(&f->sz.windows), "saved"));
	xml = xasprintf("<iq type='result' id='%s'/>", id);
	feed(f, xml);
	free(xml);
	assert_non_null(find_line(windows_console(&f->sz.windows),
	    "Bookmark " ROOM " saved."));
	free(id);
}

static void
private_storage__is_read_and_written(void **state)
{
	struct fixture	*f = *state;
	char		*id, *xml;

	bookmark_start(&f->sz, 0);
	flush(f);
	assert_non_null(strstr(f->sent[f->nsent - 1], "<query xmlns=\""
	    "jabber:iq:private\"><storage xmlns=\"storage:bookmarks\"/>"));
	id = last_id(f);
	xml = xasprintf("<iq type='result' id='%s'><query xmlns='jabber:iq:"
	    "private'><storage xmlns='storage:bookmarks'><conference jid='"
	    ROOM "' autojoin='false' name='Old'><nick>n</nick></conference>"
	    "<url name='x' url='https://example.org/'/><conference "
	    "name='no jid'/></storage></query></iq>", id);
	feed(f, xml);
	free(xml);
	free(id);
	assert_int_equal(bookmarks_get(&f->sz)->n, 1);
	assert_string_equal(bookmark_find(&f->sz, ROOM)->nick, "n");
	core_input(&f->sz, "/bookmark remove " ROOM);
	flush(f);
	/* The room is gone; the URL bookmark szia does not show is kept. */
	assert_null(strstr(f->sent[f->nsent - 1], "<conference"));
	assert_non_null(strstr(f->sent[f->nsent - 1], "<storage xmlns=\""
	    "storage:bookmarks\"><url "));
	assert_non_null(strstr(f->sent[f->nsent - 1],
	    "url=\"https://example.org/\""));
}

static void
disco_reply__is_accepted__only_from_the_entity_asked(void **state)
{
	struct fixture	*f = *state;
	char		*id, *xml;
	struct window	*con = windows_console(&f->sz.windows);

	core_input(&f->sz, "/rooms conference.example.org");
	flush(f);
	assert_non_null(strstr(f->sent[f->nsent - 1],
	    "to=\"conference.example.org\""));
	id = last_id(f);
	xml = xasprintf("<iq type='result' id='%s' from='" EVIL "'><query "
	    "xmlns='http://jabber.org/protocol/disco#items'><item jid='"
	    "fake@evil.example'/></query></iq>", id);
	feed(f, xml);
	free(xml);
	assert_null(find_line(con, "fake@evil.example"));
	xml = xasprintf("<iq type='result' id='%s' from='conference.example."
	    "org'><query xmlns='http://jabber.org/protocol/disco#items'><item "
	    "jid='" ROOM "' name='Room\xc2\x9b" "2J\x7f'/><set xmlns='"
	    "http://jabber.org/protocol/rsm'><first>a</first><last>a</last>"
	    "<count>40</count></set></query></iq>", id);
	feed(f, xml);
	free(xml);
	free(id);
	assert_non_null(find_line(con, "Rooms on conference.example.org (1):"));
	assert_non_null(find_line(con, "  " ROOM "  Room"));
	assert_true(text_is_safe(find_line(con, "  " ROOM)->text));
	assert_non_null(find_line(con, "only the first page"));
}

static void
disco_error__shows_condition_and_text(void **state)
{
	struct fixture	*f = *state;
	char		*id, *xml;

	core_input(&f->sz, "/disco example.org nothing");
	flush(f);
	assert_int_equal(f->nsent, 2);
	id = xstrdup(strstr(f->sent[0], "id=\"") + 4);
	*strchr(id, '"') = '\0';
	xml = xasprintf("<iq type='error' id='%s' from='example.org'><error "
	    "type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:"
	    "xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'"
	    ">No such node</text></error></iq>", id);
	feed(f, xml);
	free(xml);
	free(id);
	assert_non_null(find_line(windows_console(&f->sz.windows),
	    "Disco of example.org: item-not-found (No such node)"));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(notification__is_ignored__when_not_from_own_bare_jid),
		T(notification__is_applied__when_from_own_bare_jid),
		T(publish__carries_the_publish_options_xep0402_requires),
		T(publish__keeps_extensions),
		T(private_storage__is_read_and_written),
		T(disco_reply__is_accepted__only_from_the_entity_asked),
		T(disco_error__shows_condition_and_text),
	};

	return cmocka_run_group_tests(tests, xt_group_setup,
	    xt_group_teardown);
}
