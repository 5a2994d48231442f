/*
 * xmpptest.h - the fixture the XMPP-layer unit tests share.
 *
 * A struct xmpp_link is built by hand around a real core (nothing
 * persisted) and a libstrophe context with no connection.  Stanzas are
 * parsed from text with xmpp_stanza_new_from_string() and handed to
 * xin_iq/xin_message/xin_presence directly; what the layer would send is
 * captured as text through xl.send, and what the core would log through a
 * small struct log_ops (if asked for, see XT_LOG).
 *
 * A test file needing nothing special lists xt_group_setup,
 * xt_group_teardown, xt_setup (or xt_setup_log) and xt_teardown in its
 * cmocka tables; one that differs wraps xt_setup_with() in its own setup.
 */
#ifndef SZIA_XMPPTEST_H
#define SZIA_XMPPTEST_H

#include "xmpp/xmpp-int.h"

#include "testutil.h"		/* ME, ME_FULL, BOB */

#define XT_MAX_SENT	16
#define XT_MAX_LOGGED	16

struct fixture;

/* What differs between the files using the fixture; all may be 0. */
struct xt_opts {
	int	 flags;
#define XT_OFFLINE	0x1	/* stay as core_init() left the core */
#define XT_LOG		0x2	/* capture the core's log in f->logged */
	/*
	 * Called once online (or right after core_init() with XT_OFFLINE)
	 * and before the outbox is emptied, so what it queues is dropped as
	 * well; the xmpp_link is already set up.  Nonzero fails the setup.
	 */
	int	(*setup)(struct fixture *);
	/* Called first in teardown, to free what setup made. */
	void	(*teardown)(struct fixture *);
};

struct fixture {
	struct szia		 sz;
	struct xmpp_link	 xl;
	xmpp_ctx_t		*ctx;
	char			*sent[XT_MAX_SENT];	/* stanzas as text */
	size_t			 nsent;
	struct logmsg		 logged[XT_MAX_LOGGED];	/* copies */
	size_t			 nlogged;
	const struct xt_opts	*opts;
	void			*data;	/* the file's own, for its hooks */
};

/* tu_group_setup() (the group runs in tu_tmpdir) and libstrophe's start. */
int	xt_group_setup(void **);
int	xt_group_teardown(void **);
/* Online as ME_FULL with log capture off: xt_setup_with() with no opts. */
int	xt_setup(void **);
/* The same with XT_LOG, for the files that check what gets logged. */
int	xt_setup_log(void **);
int	xt_setup_with(void **, const struct xt_opts *);
int	xt_teardown(void **);

/* XML as a stanza, failing the test if it does not parse. */
xmpp_stanza_t	*parse(struct fixture *, const char *);
/* Feed a stanza to xin_iq/xin_message/xin_presence, which must take it. */
void		 feed_iq(struct fixture *, const char *);
void		 feed_message(struct fixture *, const char *);
void		 feed_presence(struct fixture *, const char *);
/* The only stanza sent; it must contain every NULL-terminated needle. */
const char	*sent_one(struct fixture *, ...);
/* Forget what was sent so far. */
void		 clear_sent(struct fixture *);
/* Send the requests the core queued through the XMPP layer. */
void		 flush(struct fixture *);
/* The newest line of W (which may be NULL) containing NEEDLE, or NULL. */
struct line	*find_line(const struct window *, const char *);
struct window	*console(struct fixture *);

#endif
