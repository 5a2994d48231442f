/*
 * test-caps.c - unit tests for src/xmpp/caps.c (XEP-0115 entity
 * capabilities) and the <c/> szia puts in its presence.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

static xmpp_ctx_t	*ctx;

static int
group_setup(void **state)
{
	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	return ctx != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	return 0;
}

/* XEP-0115 5.2, the simple example (features given unsorted). */
static void
caps_ver__matches_xep0115_example(void **state)
{
	static const char *const ids[] = { "client/pc//Exodus 0.9.1" };
	static const char *const feats[] = {
		"http://jabber.org/protocol/muc",
		"http://jabber.org/protocol/disco#info",
		"http://jabber.org/protocol/caps",
		"http://jabber.org/protocol/disco#items",
	};
	char	*ver = caps_ver(ctx, ids, 1, feats, 4);

	assert_string_equal(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
	free(ver);
}

/* The same example given as a disco#info <query/>. */
static void
caps_ver_of_query__matches_xep0115_example(void **state)
{
	xmpp_stanza_t	*q;
	char		*ver;

	q = xmpp_stanza_new_from_string(ctx,
	    "<query xmlns='http://jabber.org/protocol/disco#info'>"
	    "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
	    "<feature var='http://jabber.org/protocol/disco#items'/>"
	    "<feature var='http://jabber.org/protocol/caps'/>"
	    "<feature var='http://jabber.org/protocol/disco#info'/>"
	    "<feature var='http://jabber.org/protocol/muc'/>"
	    "</query>");
	assert_non_null(q);
	ver = caps_ver_of_query(ctx, q);
	assert_string_equal(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
	free(ver);
	xmpp_stanza_release(q);
}

/* A different feature list gives a different ver. */
static void
caps_ver__changes__when_a_feature_is_added(void **state)
{
	static const char *const ids[] = { "client/pc//Exodus 0.9.1" };
	static const char *const feats[] = {
		"http://jabber.org/protocol/muc",
		"http://jabber.org/protocol/disco#info",
		"http://jabber.org/protocol/caps",
		"http://jabber.org/protocol/disco#items",
		"urn:xmpp:ping",
	};
	char	*ver = caps_ver(ctx, ids, 1, feats, 5);

	assert_string_not_equal(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
	free(ver);
}

static void
capture(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	char	**out = (char **)xl->sz;	/* see below */
	char	*buf;
	size_t	 len;

	assert_int_equal(xmpp_stanza_to_text(st, &buf, &len), XMPP_EOK);
	*out = xstrndup(buf, len);
	xmpp_free(ctx, buf);
}

/* Our presence carries <c/> whose ver is the hash of our own disco#info,
 * which lists the caps and bookmarks+notify features. */
static void
presence__carries_caps_of_own_disco_info(void **state)
{
	struct xmpp_link	 xl;
	struct req		*r = req_new(REQ_PRESENCE);
	xmpp_stanza_t		*q, *f, *p, *c;
	char			*sent = NULL, *ver;
	int			 notify = 0;

	memset(&xl, 0, sizeof xl);
	xl.ctx = ctx;
	xl.sz = (struct szia *)&sent;
	xl.send = capture;
	r->presence.show = SHOW_ONLINE;
	xout_request(&xl, r);
	req_free(r);
	assert_non_null(sent);

	q = xin_disco_query(ctx, NULL);
	for (f = xmpp_stanza_get_children(q); f != NULL;
	    f = xmpp_stanza_get_next(f)) {
		if (xmpp_stanza_get_attribute(f, "var") != NULL &&
		    strcmp(xmpp_stanza_get_attribute(f, "var"),
		    "urn:xmpp:bookmarks:1+notify") == 0)
			notify = 1;
	}
	assert_true(notify);
	ver = caps_ver_of_query(ctx, q);
	xmpp_stanza_release(q);
	p = xmpp_stanza_new_from_string(ctx, sent);
	assert_non_null(p);
	c = xmpp_stanza_get_child_by_name_and_ns(p, "c",
	    "http://jabber.org/protocol/caps");
	assert_non_null(c);
	assert_string_equal(xmpp_stanza_get_attribute(c, "hash"), "sha-1");
	assert_string_equal(xmpp_stanza_get_attribute(c, "node"), CAPS_NODE);
	assert_string_equal(xmpp_stanza_get_attribute(c, "ver"), ver);
	xmpp_stanza_release(p);
	free(ver);
	free(sent);
}

int
main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
		T(caps_ver__matches_xep0115_example),
		T(caps_ver_of_query__matches_xep0115_example),
		T(caps_ver__changes__when_a_feature_is_added),
		T(presence__carries_caps_of_own_disco_info),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
