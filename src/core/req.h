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
	REQ_MUC,		/* group chat: r->muc (room.h) */

	/* bookmarks, caps, disco */
	REQ_DISCO,		/* disco#info or #items (disco below) */
	REQ_BOOKMARK,		/* fetch, publish, retract, store */

	/* [sync] archive and sync */
	REQ_MAM_QUERY,		/* one page of a message archive */
	REQ_CARBONS,		/* enable message carbons (XEP-0280) */
	REQ_CSI,		/* client state indication (XEP-0352) */
	REQ_PROBE,		/* presence probe to probe.to */

	/* [quality] message quality */
	REQ_MARK,		/* receipt or displayed marker: q.to, q.id,
				   q.op (MARK_DELIVERED / MARK_READ) */
	REQ_CHATSTATE,		/* q.to, q.op = CHATSTATE_* */
	REQ_QUALITY_IQ,		/* q.op = QIQ_*: q.to, q.jids */

	/* [files] upload and accounts */
	REQ_UPLOAD,		/* XEP-0363: send a file */
	REQ_UPLOAD_CANCEL,	/* stop upload.id (nothing else set) */
	REQ_PASSWORD,		/* XEP-0077: change the password */
	REQ_REGISTER,		/* XEP-0077: create an account */

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
			int	 muc_pm;	/* to an occupant: add
						   <x xmlns=muc#user/> */

			/* [sync] archive and sync */
			int	 pending;	/* typed offline: sent later */

			/* [quality] message quality */
			int	 request_receipt; /* receipt + markable */
			int	 chatstate;	/* CHATSTATE_*, 0 none */
			char	*replace_id;	/* XEP-0308 correction */

			/* [files] upload and accounts */
			char	*oob_url;	/* XEP-0066 <x/>, or NULL */

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
		struct req_muc	*muc;		/* REQ_MUC */

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
		/*
		 * REQ_MAM_QUERY: one page of an archive (XEP-0313 with RSM
		 * XEP-0059).  Results come back as EV_MESSAGE with
		 * message.archive and message.queryid set, then one
		 * EV_MAM_FIN with the same queryid (also on error).  For
		 * the next page ask again with after = fin's last (going
		 * forward) or before = fin's first (going back).  Use
		 * core_mam_query() (core.h), which fills queryid.
		 */
		struct {
			char	*archive;	/* NULL: own account; else a
						   room's bare JID */
			char	*with;		/* only with this JID, or NULL */
			char	*start;		/* XEP-0082 time, or NULL */
			char	*after;		/* RSM: after this id */
			char	*before;	/* RSM: before this id; "" =
						   the last page; NULL: none */
			int	 max;		/* page size (RSM max) */
			char	*queryid;	/* ours, random */
		} mam;
		struct {
			int	 active;	/* XEP-0352 state to send */
		} csi;
		struct {
			char	*to;		/* a contact's bare JID */
		} probe;

		/* [quality] message quality */
		struct {
			char	 *to;
			char	 *id;
			int	  op;
			char	**jids;
			size_t	  njids;
		} q;

		/* [files] upload and accounts */
		struct {
			char		*id;		/* the core's upload id */
			char		*path;		/* the file to read */
			char		*filename;	/* its name for the slot */
			long long	 size;
		} upload;
		struct {
			char		*password;	/* the new one */
		} password;
		struct {
			char		*jid;		/* bare JID to create */
			char		*password;
			char		*server;	/* NULL: SRV/domain */
			int		 port;
			enum tls_mode	 tls;
			char		*fingerprint;	/* trusted cert */
		} reg;

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
