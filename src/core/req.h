/*
 * req.h - what the core asks the XMPP layer to do.
 *
 * The core appends requests to its outbox (struct outbox); the main loop
 * hands them to src/xmpp/, which turns each into stanzas, and unit tests
 * read them to check what would have been sent.  Strings are owned by the
 * request and freed by req_free().
 */
#ifndef SZIA_REQ_H
#define SZIA_REQ_H

#include <stddef.h>

#include "core/event.h"

enum req_type {
	REQ_CONNECT,
	REQ_DISCONNECT,
	REQ_MESSAGE,
	REQ_PRESENCE,		/* own presence (broadcast) */
	REQ_SUBSCRIPTION,	/* subscribe/subscribed/unsubscribe(d) */
	REQ_ROSTER_SET,		/* add or update an item */
	REQ_ROSTER_REMOVE,
	REQ_PING,
	/* [muc] group chat */

	/* bookmarks, caps, disco */
	REQ_DISCO,		/* disco#info or #items (disco below) */
	REQ_BOOKMARK,		/* fetch, publish, retract, store */

	/* [sync] archive and sync */

	/* [quality] message quality */

	/* [files] upload and accounts */

};

enum tls_mode {
	TLS_STARTTLS,		/* STARTTLS, required */
	TLS_DIRECT,		/* XEP-0368 direct TLS */
	TLS_PLAIN,		/* no TLS at all: only when asked for */
};

struct req {
	enum req_type	 type;
	struct req	*next;
	union {
		struct {
			char		*jid;		/* full or bare */
			char		*password;
			char		*server;	/* NULL: SRV/domain */
			int		 port;		/* 0: default */
			enum tls_mode	 tls;
			char		*fingerprint;	/* trusted cert */
		} connect;
		struct {
			char	*to;
			char	*body;
			char	*id;		/* also the origin-id */
			char	*type;		/* "chat" */
			/* [muc] group chat */

			/* [sync] archive and sync */

			/* [quality] message quality */

			/* [files] upload and accounts */

		} message;
		struct {
			enum show	 show;
			char		*status;
			int		 priority;
		} presence;
		struct {
			char		*to;
			enum sub_type	 sub;
		} subscription;
		struct {
			char	 *jid;
			char	 *name;
			char	**groups;
			size_t	  ngroups;
		} roster;
		struct {
			char	*to;
			char	*id;
		} ping;
		/* [muc] group chat */

		/* bookmarks, caps, disco */
		struct {
			char	*to;
			char	*node;		/* NULL: none */
			char	*id;		/* chosen by the core */
			int	 items;		/* #items, else #info */
		} disco;
		struct {
			enum bookmark_op {
				BM_FETCH,
				BM_PUBLISH,	/* PEP: bm[0] */
				BM_RETRACT,	/* PEP: bm[0].jid */
				BM_STORE,	/* private storage: all bm */
			}		 op;
			int		 private_storage; /* XEP-0048 */
			char		*id;		/* chosen by the core */
			struct bookmark {
				char	*jid;		/* room bare JID */
				char	*name;		/* may be NULL */
				char	*nick;
				char	*password;
				int	 autojoin;
				char	*extensions;	/* raw XML, or NULL */
			}		*bm;
			size_t		 nbm;
			char		*storage_extra;	/* BM_STORE: raw XML
							   kept from the fetch */
		} bookmark;

		/* [sync] archive and sync */

		/* [quality] message quality */

		/* [files] upload and accounts */

	};
};

/* A FIFO of requests. */
struct outbox {
	struct req	*head;
	struct req	*tail;
	size_t		 len;
};

struct req	*req_new(enum req_type);
void		 req_free(struct req *);
void		 outbox_push(struct outbox *, struct req *);
/* Remove and return the oldest request, or NULL. */
struct req	*outbox_pop(struct outbox *);
void		 outbox_clear(struct outbox *);

#endif
