/*
 * event.h - what the XMPP layer tells the core.
 *
 * Events go up, requests go down: src/xmpp/ turns every stanza and
 * connection change into a struct ev and calls core_handle(); the core
 * updates its state, marks what must be redrawn and queues requests
 * (req.h).  All strings are borrowed for the duration of core_handle() and
 * are raw remote text: the core validates and sanitises them.
 */
#ifndef SZIA_EVENT_H
#define SZIA_EVENT_H

#include <stddef.h>
#include <time.h>

enum ev_type {
	EV_CONNECTING,		/* TCP/TLS/auth under way */
	EV_CONNECTED,		/* session established: jid = bound JID */
	EV_DISCONNECTED,	/* error says why (ERR_NONE: asked to) */
	EV_CERT_UNTRUSTED,	/* TLS certificate refused: see cert */
	EV_ROSTER,		/* full roster (result) */
	EV_ROSTER_PUSH,		/* one item changed (already origin-checked) */
	EV_PRESENCE,		/* available/unavailable of a full JID */
	EV_SUBSCRIPTION,	/* subscribe, subscribed, unsubscribe(d) */
	EV_MESSAGE,		/* chat/normal message, or message error */
	EV_IQ_RESULT,		/* reply to a request the core made (ping) */
	EV_INFO,		/* a line for the console */
	/* [muc] group chat */
	EV_MUC,			/* group chat: see room.h, ev.muc */

	/* bookmarks, caps, disco */
	EV_DISCO,		/* disco#info or #items reply (disco below) */
	EV_BOOKMARKS,		/* bookmarks: a reply or a PEP notification */

	/* [sync] archive and sync */
	EV_MAM_FIN,		/* a MAM query ended (mam_fin) */
	EV_SM_RESUMED,		/* the stream was resumed (XEP-0198): nothing
				   was lost, no fresh session; connected.jid */

	/* [quality] message quality */
	EV_MARK,		/* receipt/marker: q.from, q.id, q.state */
	EV_CHATSTATE,		/* chat state without body: q.from, q.state */
	EV_QUALITY_IQ,		/* reply to /version /time /block..: q.* */
	EV_BLOCK_PUSH,		/* blocklist push (origin-checked): q.* */
	EV_NICK,		/* PEP nick of q.from: q.text (NULL: none) */

	/* [files] upload and accounts */
	EV_UPLOAD,		/* an upload progressed, finished, failed */
	EV_PASSWORD,		/* /account password: the server's answer */
	EV_REGISTER,		/* /register finished */
};

/* ev.message.carbon ([sync]) */
#define CARBON_RECEIVED	1	/* a copy of a message to another resource */
#define CARBON_SENT	2	/* sent by another of our resources */

enum conn_error {
	ERR_NONE,		/* deliberate disconnect */
	ERR_AUTH,		/* wrong password / not authorised */
	ERR_HOST,		/* unknown host */
	ERR_REFUSED,		/* connection refused */
	ERR_TLS,		/* TLS failure (other than trust) */
	ERR_CERT,		/* certificate not trusted */
	ERR_CONFLICT,		/* resource conflict (logged in elsewhere) */
	ERR_STREAM,		/* other stream error */
	ERR_LOST,		/* connection lost (timeout, reset) */
	ERR_PLAINTEXT,		/* server offers no TLS, plaintext not allowed */
};

enum show {
	SHOW_OFFLINE,
	SHOW_XA,
	SHOW_AWAY,
	SHOW_DND,
	SHOW_ONLINE,
	SHOW_CHAT,
};

enum sub_type {
	SUB_SUBSCRIBE,
	SUB_SUBSCRIBED,
	SUB_UNSUBSCRIBE,
	SUB_UNSUBSCRIBED,
};

/* One roster item as sent by the server. */
struct ev_item {
	const char	 *jid;
	const char	 *name;		/* NULL if none */
	const char	 *subscription;	/* none, to, from, both, remove */
	int		  ask;		/* ask='subscribe' */
	const char	**groups;
	size_t		  ngroups;
};

struct ev {
	enum ev_type	type;
	union {
		struct {
			const char	*jid;		/* bound full JID */
		} connected;
		struct {
			enum conn_error	 error;
			const char	*text;		/* detail, may be NULL */
		} disconnected;
		struct {
			const char	*fingerprint;	/* SHA-256 AA:BB:.. */
			const char	*subject;	/* may be NULL */
			const char	*reason;	/* why the system
							   refused it */
		} cert;
		struct {
			const struct ev_item	*items;
			size_t			 nitems;
		} roster;
		struct ev_item	item;			/* EV_ROSTER_PUSH */
		struct {
			const char	*from;		/* full JID */
			int		 available;
			enum show	 show;
			const char	*status;
			int		 priority;
			const char	*error;		/* type=error */
		} presence;
		struct {
			const char	*from;
			enum sub_type	 sub;
		} subscription;
		struct {
			const char	*from;		/* full JID */
			const char	*to;
			const char	*type;		/* chat, normal, error */
			const char	*body;
			const char	*id;
			const char	*origin_id;
			const char	*stanza_id;	/* only if by= own */
			time_t		 delay;		/* XEP-0203, 0 if none */
			const char	*error;		/* type=error: text */
			/* [sync] archive and sync */
			int		 carbon;	/* CARBON_*: XEP-0280 copy */
			/*
			 * MAM (XEP-0313) results come as EV_MESSAGE too,
			 * already checked to be from ARCHIVE and for a
			 * query of ours: archive is NULL for a live
			 * message, else the archive queried (own bare JID,
			 * or the room's bare JID); stanza_id is then the
			 * archive's result id and delay its timestamp.
			 */
			const char	*archive;
			const char	*queryid;

			/* [quality] message quality */
			int		 receipt_request; /* XEP-0184 */
			int		 markable;	/* XEP-0333 */
			int		 chatstate;	/* CHATSTATE_*, 0 none */
			const char	*replace_id;	/* XEP-0308 */
			const char	*oob_url;	/* XEP-0066 */
			const char	*nick;		/* XEP-0172 */
		} message;
		struct {
			const char	*id;
			const char	*from;
			int		 ok;
			const char	*error;
			long		 rtt_ms;
		} iq;
		/* [muc] group chat */
		const struct ev_muc	*muc;		/* EV_MUC */

		/* bookmarks, caps, disco */
		struct {
			const char	*id;		/* the request's id */
			const char	*from;		/* whom we asked */
			int		 ok;
			const char	*error;		/* !ok: the reason */
			int		 items;		/* a #items reply */
			const struct ev_identity {
				const char	*category;
				const char	*type;
				const char	*name;	/* may be NULL */
			}		*identities;
			size_t		 nidentities;
			const char	**features;
			size_t		 nfeatures;
			const struct ev_disco_item {
				const char	*jid;
				const char	*node;	/* may be NULL */
				const char	*name;	/* may be NULL */
			}		*list;
			size_t		 nlist;
			int		 more;		/* RSM: more pages */
			int		 account;	/* the xmpp layer's own
							   query of our account
							   after login */
		} disco;
		struct {
			const char	*id;		/* reply to request id;
							   NULL: notification */
			int		 ok;
			const char	*error;
			const struct ev_bookmark {
				const char	*jid;	/* room, raw */
				const char	*name;
				const char	*nick;
				const char	*password;
				int		 autojoin;
				const char	*extensions; /* raw XML of
							   <extensions/>: kept
							   as it is */
			}		*items;		/* fetched/published */
			size_t		 nitems;
			const char	**retracted;	/* room JIDs */
			size_t		 nretracted;
			const char	*storage_extra;	/* XEP-0048: raw XML
							   of what is not a
							   <conference/> */
		} bookmarks;

		/* [sync] archive and sync */
		struct {			/* EV_MAM_FIN */
			const char	*queryid;	/* the query's (ours) */
			const char	*archive;	/* NULL: own account */
			int		 complete;	/* no more pages */
			const char	*first;		/* RSM first/last ids of */
			const char	*last;		/* the page, may be NULL */
			const char	*error;		/* query failed: why */
		} mam_fin;

		/* [quality] message quality */
		/* EV_MARK, EV_CHATSTATE, EV_QUALITY_IQ, EV_BLOCK_PUSH,
		 * EV_NICK: see core/quality.h */
		struct {
			const char	 *from;
			const char	 *id;
			int		  state;	/* MARK_* / CHATSTATE_* /
							   QIQ_* */
			int		  ok;
			const char	 *error;
			const char	 *text;		/* version / time / nick */
			const char	**jids;		/* blocklist */
			size_t		  njids;
		} q;

		/* [files] upload and accounts */
		struct {
			const char	*id;		/* the request's id */
			int		 state;		/* UPLOAD_* */
			int		 percent;	/* UPLOAD_PROGRESS */
			const char	*url;		/* UPLOAD_DONE: GET URL */
			const char	*error;		/* UPLOAD_FAILED */
		} upload;
		struct {
			int		 ok;
			const char	*error;
		} password;
		struct {
			const char	*jid;
			int		 ok;
			const char	*error;
			const char	*refused_fp;	/* untrusted cert */
		} reg;

		struct {
			int		 error;		/* 1: show as error */
			const char	*text;
		} info;
	};
};

/* [files] upload and accounts */
enum upload_state {
	UPLOAD_PROGRESS,
	UPLOAD_DONE,
	UPLOAD_FAILED,
};

const char	*show_name(enum show);
/* Parse "online", "chat", "away", "xa", "dnd"; -1 if unknown. */
int		 show_parse(const char *);

#endif
