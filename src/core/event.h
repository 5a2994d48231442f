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

	/* [sync] archive and sync */
	EV_MAM_FIN,		/* a MAM query ended (mam_fin) */
	EV_SM_RESUMED,		/* the stream was resumed (XEP-0198): nothing
				   was lost, no fresh session; connected.jid */

	/* [quality] message quality */

	/* [files] upload and accounts */

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
			/* [muc] group chat */

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

			/* [files] upload and accounts */

		} message;
		struct {
			const char	*id;
			const char	*from;
			int		 ok;
			const char	*error;
			long		 rtt_ms;
		} iq;
		/* [muc] group chat */

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

		/* [files] upload and accounts */

		struct {
			int		 error;		/* 1: show as error */
			const char	*text;
		} info;
	};
};

const char	*show_name(enum show);
/* Parse "online", "chat", "away", "xa", "dnd"; -1 if unknown. */
int		 show_parse(const char *);

#endif
