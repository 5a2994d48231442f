/*
 * xmpptest.c - the fixture of the XMPP-layer unit tests (see xmpptest.h).
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

/* --- capture ------------------------------------------------------------ */

static void
capture_send(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	struct fixture	*f = (struct fixture *)((char *)xl -
			    offsetof(struct fixture, xl));
	char		*buf;
	size_t		 len;

	assert_int_equal(xmpp_stanza_to_text(st, &buf, &len), XMPP_EOK);
	assert_true(f->nsent < XT_MAX_SENT);
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

	assert_true(f->nlogged < XT_MAX_LOGGED);
	c = &f->logged[f->nlogged++];
	tu_logmsg_copy(c, m);
}

static int
cap_flush(void *ctx, char **cause)
{
	return 0;
}

/* No history: a window opened in a test starts empty. */
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
	.open = cap_open,
	.add = cap_add,
	.flush = cap_flush,
	.recent = cap_recent,
	.free_msgs = cap_free_msgs,
};

/* --- fixture ------------------------------------------------------------ */

int
xt_group_setup(void **state)
{
	if (tu_group_setup(state) != 0)
		return -1;
	xmpp_initialize();
	return 0;
}

int
xt_group_teardown(void **state)
{
	xmpp_shutdown();
	return tu_group_teardown(state);
}

int
xt_setup(void **state)
{
	return xt_setup_with(state, NULL);
}

int
xt_setup_log(void **state)
{
	static const struct xt_opts	opts = { XT_LOG, NULL, NULL };

	return xt_setup_with(state, &opts);
}

int
xt_setup_with(void **state, const struct xt_opts *opts)
{
	static const struct xt_opts	 none;
	struct fixture			*f = xcalloc(1, sizeof *f);
	struct core_config		 cfg = { NULL, NULL, NULL };

	if (opts == NULL)
		opts = &none;
	f->opts = opts;
	*state = f;

	core_init(&f->sz, &cfg);
	if (opts->flags & XT_LOG)
		core_set_log(&f->sz, &cap_ops, f);
	if (~opts->flags & XT_OFFLINE)
		tu_online(&f->sz);	/* as the XMPP layer would report it */

	f->ctx = xmpp_ctx_new(NULL, NULL);
	f->xl.sz = &f->sz;
	f->xl.ctx = f->ctx;
	f->xl.fd = -1;
	f->xl.online = 1;
	f->xl.bare = xstrdup(ME);
	f->xl.domain = xstrdup("example.org");
	f->xl.bound = xstrdup(ME_FULL);
	f->xl.send = capture_send;

	if (opts->setup != NULL && opts->setup(f) != 0)
		return -1;
	outbox_clear(&f->sz.outbox);
	return 0;
}

int
xt_teardown(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	if (f->opts->teardown != NULL)
		f->opts->teardown(f);
	clear_sent(f);
	for (i = 0; i < f->nlogged; i++)
		tu_logmsg_clear(&f->logged[i]);
	/* Whatever a test left pending in the layer; all are no-ops if none. */
	xl_upload_free(&f->xl);
	xsync_clear(&f->xl);
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

xmpp_stanza_t *
parse(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = xmpp_stanza_new_from_string(f->ctx, xml);

	if (st == NULL)
		fail_msg("cannot parse %s", xml);
	return st;
}

void
feed_iq(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = parse(f, xml);

	assert_int_equal(xin_iq(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
}

void
feed_message(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = parse(f, xml);

	assert_int_equal(xin_message(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
}

void
feed_presence(struct fixture *f, const char *xml)
{
	xmpp_stanza_t	*st = parse(f, xml);

	assert_int_equal(xin_presence(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
}

const char *
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

void
clear_sent(struct fixture *f)
{
	size_t	i;

	for (i = 0; i < f->nsent; i++)
		free(f->sent[i]);
	f->nsent = 0;
}

void
flush(struct fixture *f)
{
	struct req	*r;

	while ((r = outbox_pop(&f->sz.outbox)) != NULL) {
		xout_request(&f->xl, r);
		req_free(r);
	}
}

struct line *
find_line(const struct window *w, const char *needle)
{
	return tu_find_line(w, needle);
}

struct window *
console(struct fixture *f)
{
	return tu_console(&f->sz);
}
