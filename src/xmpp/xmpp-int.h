/*
 * xmpp-int.h - shared by the files of src/xmpp/ only.
 */
#ifndef SZIA_XMPP_INT_H
#define SZIA_XMPP_INT_H

#include <stdint.h>
#include <time.h>

#include <strophe.h>

#include "core/core.h"
#include "xmpp/xmpp.h"

#define NS_ROSTER	"jabber:iq:roster"
#define NS_PING		"urn:xmpp:ping"
#define NS_DISCO_INFO	"http://jabber.org/protocol/disco#info"
#define NS_VERSION	"jabber:iq:version"
#define NS_DELAY	"urn:xmpp:delay"
#define NS_SID		"urn:xmpp:sid:0"
#define NS_STANZAS	"urn:ietf:params:xml:ns:xmpp-stanzas"
/* [muc] group chat */
#define NS_MUC		"http://jabber.org/protocol/muc"
#define NS_MUC_USER	"http://jabber.org/protocol/muc#user"
#define NS_MUC_ADMIN	"http://jabber.org/protocol/muc#admin"
#define NS_MUC_OWNER	"http://jabber.org/protocol/muc#owner"
#define NS_CONFERENCE	"jabber:x:conference"
#define NS_DATA		"jabber:x:data"
#define NS_OCCUPANT_ID	"urn:xmpp:occupant-id:0"

/* bookmarks, caps, disco */
#define NS_CAPS		"http://jabber.org/protocol/caps"
#define NS_DISCO_ITEMS	"http://jabber.org/protocol/disco#items"
#define NS_BOOKMARKS	"urn:xmpp:bookmarks:1"
#define NS_BOOKMARKS_COMPAT "urn:xmpp:bookmarks:1#compat"
#define NS_PUBSUB	"http://jabber.org/protocol/pubsub"
#define NS_PUBSUB_EVENT	"http://jabber.org/protocol/pubsub#event"
#define NS_PUBSUB_OWNER	"http://jabber.org/protocol/pubsub#owner"
#define NS_DATA_FORMS	"jabber:x:data"
#define NS_PRIVATE	"jabber:iq:private"
#define NS_BOOKMARKS_OLD "storage:bookmarks"
#define NS_RSM		"http://jabber.org/protocol/rsm"
/* Our entity capabilities node (XEP-0115): one place. */
#define CAPS_NODE	"https://szia.example/caps"

/* [sync] archive and sync */
#define NS_CARBONS	"urn:xmpp:carbons:2"
#define NS_FORWARD	"urn:xmpp:forward:0"
#define NS_MAM		"urn:xmpp:mam:2"
#define NS_RSM		"http://jabber.org/protocol/rsm"
#define NS_XDATA	"jabber:x:data"
#define NS_CSI		"urn:xmpp:csi:0"
#define NS_SM		"urn:xmpp:sm:3"
#define NS_COMMANDS	"http://jabber.org/protocol/commands"
#define NS_DISCO_ITEMS	"http://jabber.org/protocol/disco#items"
#define NS_RC_PREFIX	"http://jabber.org/protocol/rc#"

/* [quality] message quality */
#define NS_RECEIPTS	"urn:xmpp:receipts"
#define NS_MARKERS	"urn:xmpp:chat-markers:0"
#define NS_CHATSTATES	"http://jabber.org/protocol/chatstates"
#define NS_CORRECT	"urn:xmpp:message-correct:0"
#define NS_STYLING	"urn:xmpp:styling:0"	/* XEP-0393 */
#define NS_OOB		"jabber:x:oob"
#define NS_NICK		"http://jabber.org/protocol/nick"
#define NS_PUBSUB_EVENT	"http://jabber.org/protocol/pubsub#event"
#define NS_HINTS	"urn:xmpp:hints"
#define NS_BLOCKING	"urn:xmpp:blocking"
#define NS_TIME		"urn:xmpp:time"

/* [files] upload and accounts */
#define NS_HTTP_UPLOAD	"urn:xmpp:http:upload:0"
#define NS_OOB		"jabber:x:oob"
#define NS_REGISTER	"jabber:iq:register"
#ifndef NS_DISCO_ITEMS
#define NS_DISCO_ITEMS	"http://jabber.org/protocol/disco#items"
#endif
#ifndef NS_XDATA
#define NS_XDATA	"jabber:x:data"
#endif

/* What an IQ we sent was for. */
enum iq_kind {
	IQ_ROSTER_GET,
	IQ_ROSTER_SET,
	IQ_PING_USER,		/* /ping: report to the user */
	IQ_PING_KEEPALIVE,	/* our own keepalive */
	/* [muc] group chat */
	IQ_MUC_ADMIN,		/* muc#admin set (role, affiliation) */
	IQ_MUC_LIST,		/* muc#admin get (affiliation list) */
	IQ_MUC_CONFIG_GET,	/* muc#owner get */
	IQ_MUC_CONFIG_SET,	/* muc#owner set (submit, cancel) */
	IQ_MUC_DESTROY,		/* muc#owner destroy */
	IQ_MUC_PING,		/* XEP-0410 self-ping */

	/* bookmarks, caps, disco */
	IQ_DISCO,		/* disco#info/#items the core asked for */
	IQ_DISCO_ACCOUNT,	/* disco#info of our account after login */
	IQ_BOOKMARK_FETCH,	/* bookmarks: PEP items or private storage */
	IQ_BOOKMARK_CHANGE,	/* publish, retract or private store */

	/* [sync] archive and sync */
	IQ_CARBONS,		/* enable carbons */
	IQ_MAM,			/* an archive query: see xl->mams */

	/* [quality] message quality */
	IQ_Q_VERSION,		/* /version */
	IQ_Q_TIME,		/* /time */
	IQ_Q_BLOCK,		/* /block */
	IQ_Q_UNBLOCK,		/* /unblock */
	IQ_Q_BLOCKLIST,		/* /blocked */

	/* [files] upload and accounts */
	IQ_UPLOAD_ITEMS,	/* disco#items of the server */
	IQ_UPLOAD_INFO,		/* disco#info of a candidate */
	IQ_UPLOAD_SLOT,		/* XEP-0363 slot request */
	IQ_PASSWORD,		/* XEP-0077 password change */
};

/*
 * An IQ request in flight.  A reply is accepted only if its id matches
 * (ids are random: rand_id()) AND it comes from the entity we asked:
 * EXPECT is the JID we sent it to, or NULL for our own server/account
 * (then the reply must have no from, our bare JID, our full JID or our
 * domain).
 */
struct iq_pending {
	char			*id;
	char			*expect;
	enum iq_kind		 kind;
	uint64_t		 sent;		/* monotonic ms */
	struct iq_pending	*next;
};

struct xmpp_link {
	struct szia		*sz;
	xmpp_ctx_t		*ctx;
	xmpp_conn_t		*conn;
	int			 fd;		/* -1: none */
	int			 tcp_pending;	/* connect() not finished */
	int			 online;	/* session established */
	int			 cert_refused;	/* certfail said no */
	int			 auth_failed;	/* SASL failure seen */
	int			 lost;		/* keepalive timed out */
	int			 closing;	/* we asked to disconnect */
	int			 sock_error;	/* errno of a failed connect */
	int			 plain;		/* account says tls = plain */
	int			 tls_failed;	/* TLS handshake failed */
	char			*tls_detail;	/* OpenSSL's reason */
	int			 no_tls;	/* TLS required, not offered */
	int			 tls_required;	/* offered as required, plain */
	int			 bad_xml;	/* 1: parse error, 2: closing */
	char			*fingerprint;	/* trusted certificate */
	int			 pin_checked;	/* ...compared once TLS is up */
	char			*bare;		/* own bare JID */
	char			*domain;
	char			*bound;		/* own full JID */
	struct iq_pending	*iqs;
	unsigned		 activity;	/* bumped per stanza */
	uint64_t		 next_ping;	/* keepalive, monotonic ms */
	char			*keepalive_id;	/* outstanding keepalive */
	/* [sync] archive and sync */
	struct xmam		*mams;		/* archive queries pending */
	int			 csi_ok;	/* server offers XEP-0352 */
	int			 sm_ok;		/* server offers XEP-0198 */
	int			 sync_depth;	/* in a carbon/result: */
	int			 sync_carbon;	/* ...its CARBON_* */
	const char		*sync_archive;	/* ...the archive */
	const char		*sync_queryid;
	const char		*sync_result_id;
	time_t			 sync_delay;
	xmpp_sm_state_t		*sm_state;	/* of a dropped stream */
	int			 sm_resumable;	/* <enabled resume='true'/> */
	int			 sm_resumed;	/* this stream: <resumed/> */
	int			 sm_quick;	/* resuming on our own */
	int			 sm_due;	/* ...to start in xl_run */
	int			 sm_told;	/* the core saw the drop */
	int			 sm_take;	/* keep the conn's SM state */
	struct req		*sm_connect;	/* the last connect asked */
	struct outbox		 sm_held;	/* requests while resuming */
	struct xsm_out		*sm_out;	/* messages not acked yet */
	uint32_t		 sm_seq;	/* stanzas sent since enable */
	int			 sm_counting;	/* <enable/> went out */
	int			 sm_check;	/* verify the resend (sm.c) */
	uint64_t		 sm_deadline;	/* of our own resumption */

	/* [files] upload and accounts */
	struct xup		*up;		/* uploads (upload.c) */
	struct xreg		*reg;		/* /register (register.c) */
	char			*reg_jid;

	/* How stanzas leave; tests replace it to capture them. */
	void			(*send)(struct xmpp_link *, xmpp_stanza_t *);
};

/* in.c: stanza -> core event. Each returns 1 (keep the handler). */
int	xin_message(xmpp_conn_t *, xmpp_stanza_t *, void *);
int	xin_presence(xmpp_conn_t *, xmpp_stanza_t *, void *);
int	xin_iq(xmpp_conn_t *, xmpp_stanza_t *, void *);
/* Parse an XEP-0082 date-time; 0 if malformed. */
time_t	xin_parse_stamp(const char *);
/* The id of ST's XEP-0359 <stanza-id/> stamped by BY (our server, or a
 * room), or NULL: one stamped by anybody else is meaningless. */
const char *xin_stanza_id(xmpp_stanza_t *st, const char *by);
/* The text of ST's first child NAME (a copy to free()), or NULL. */
char	*xin_child_text(xmpp_stanza_t *st, const char *name);
/* <show/> text to enum show; NULL (none) is online. */
enum show xin_show(const char *);

/* out.c: building stanzas. */
/* A new element NAME in namespace NS (may be NULL); caller releases. */
xmpp_stanza_t *xs_tag(xmpp_ctx_t *, const char *name, const char *ns);
/* Add <NAME>TEXT</NAME> to PARENT. */
void	xs_text_child(xmpp_stanza_t *parent, const char *name,
	    const char *text);
/* Add a data form field <field var=VAR [type=TYPE]><value>VALUE</value>
 * to form X (XEP-0004); TYPE may be NULL. */
void	xs_field(xmpp_stanza_t *x, const char *var, const char *type,
	    const char *value);

/* out.c: core request -> stanza. */
void	xout_request(struct xmpp_link *, struct req *);
void	xout_roster_get(struct xmpp_link *);
void	xout_keepalive(struct xmpp_link *);

/* srv.c: the target of _SERVICE._tcp.DOMAIN; 0, or -1 if there is none. */
int	 srv_lookup(const char *service, const char *domain, char **host,
	    int *port);

/* iqtrack.c */
char	*iqtrack_add(struct xmpp_link *, const char *to, enum iq_kind);
/* The pending entry for a reply with ID from FROM, unlinked; or NULL. */
struct iq_pending *iqtrack_take(struct xmpp_link *, const char *id,
	    const char *from);
void	 iqtrack_free(struct iq_pending *);
void	 iqtrack_clear(struct xmpp_link *);
/* Is FROM our account or server (a trusted origin)? */
int	 xl_from_self(struct xmpp_link *, const char *from);
/* [muc] group chat */
/* muc.c: group chat stanzas; each returns 1 if it took the stanza. */
int	xmuc_message(struct xmpp_link *, xmpp_stanza_t *);
int	xmuc_presence(struct xmpp_link *, xmpp_stanza_t *);
void	xmuc_request(struct xmpp_link *, struct req *);
void	xmuc_iq_reply(struct xmpp_link *, struct iq_pending *,
	    xmpp_stanza_t *, int ok);

/* bookmarks, caps, disco */
/* in.c: our disco#info <query/> for NODE (may be NULL); caller releases. */
xmpp_stanza_t *xin_disco_query(xmpp_ctx_t *, const char *node);
/* caps.c (XEP-0115) */
/* The verification string over identities ("category/type/lang/name")
 * and features, per XEP-0115 5.1; caller frees. */
char	*caps_ver(xmpp_ctx_t *, const char *const *identities, size_t nid,
	    const char *const *features, size_t nfeatures);
/* The ver of a disco#info <query/>; caller frees. */
char	*caps_ver_of_query(xmpp_ctx_t *, xmpp_stanza_t *query);
/* Add our <c xmlns=caps/> to presence P. */
void	 caps_add(struct xmpp_link *, xmpp_stanza_t *p);
/* disco.c / bookmark.c: core requests and their replies (ERROR: the
 * error text of a type='error' reply, NULL for a result). */
void	 xout_disco(struct xmpp_link *, struct req *);
/* After login: disco#info of our own bare JID (bookmarks need it). */
void	 xout_account_disco(struct xmpp_link *);
void	 xin_disco_reply(struct xmpp_link *, struct iq_pending *,
	    xmpp_stanza_t *, const char *error);
void	 xout_bookmark(struct xmpp_link *, struct req *);
void	 xin_bookmark_reply(struct xmpp_link *, struct iq_pending *,
	    xmpp_stanza_t *, const char *error);
/* Track an IQ under the id the core chose. */
void	 iqtrack_add_id(struct xmpp_link *, const char *to, enum iq_kind,
	    const char *id);
/* A PEP bookmarks notification: 1 if ST was one (handled or refused). */
int	 xin_bookmark_event(struct xmpp_link *, xmpp_stanza_t *);

/* [sync] archive and sync */
/* sync.c: carbons (XEP-0280), archives (XEP-0313), CSI, remote commands. */
struct xmam {
	char		*queryid;
	char		*archive;	/* NULL: own account */
	char		*iq_id;
	struct xmam	*next;
};
/* A carbon or archive result: checked, unwrapped and handled; 1 if so. */
int	xsync_message(struct xmpp_link *, xmpp_conn_t *, xmpp_stanza_t *);
/* In xin_message: fill the carbon/archive fields of the inner message. */
void	xsync_message_fields(struct xmpp_link *, struct ev *);
void	xsync_request(struct xmpp_link *, struct req *);
void	xsync_iq_reply(struct xmpp_link *, struct iq_pending *,
	    xmpp_stanza_t *, int ok, const char *error);
/* An IQ get/set for us that this part answers; 1 if answered. */
int	xsync_iq_request(struct xmpp_link *, xmpp_stanza_t *,
	    xmpp_stanza_t *q, const char *type, const char *ns);
/* Stream features seen in libstrophe's log (csi, sm). */
void	xsync_features(struct xmpp_link *, const char *raw);
void	xsync_clear(struct xmpp_link *);

/* sm.c: stream management (XEP-0198) resumption, see sm.c. */
void	xsm_remember(struct xmpp_link *, const struct req *connect);
void	xsm_attach(struct xmpp_link *);
int	xsm_connected(struct xmpp_link *);
int	xsm_dropped(struct xmpp_link *, enum conn_error);
/* Take the dropped stream's SM state, if xsm_dropped() wanted it. */
void	xsm_take(struct xmpp_link *);
struct req *xsm_reconnect_req(struct xmpp_link *);
int	xsm_hold(struct xmpp_link *, struct req *);
void	xsm_log(struct xmpp_link *, const char *raw);
void	xsm_sent(struct xmpp_link *, const char *raw);
void	xsm_track(struct xmpp_link *, const struct req *message);
void	xsm_check(struct xmpp_link *);
void	xsm_free(struct xmpp_link *);

/* [quality] message quality */
/* quality.c: receipts, markers, chat states, corrections, blocking... */
/* Fill EV's quality fields from message ST; reports body-less ones. */
void	xq_message_in(struct xmpp_link *, xmpp_stanza_t *, struct ev *);
/* Add R's receipt request, markable, chat state, replace to message M. */
void	xq_message_out(struct xmpp_link *, xmpp_stanza_t *m,
	    const struct req *r);
void	xq_request(struct xmpp_link *, struct req *);
/* A subscription request's <nick/> (XEP-0172), reported as EV_NICK. */
void	xq_presence_nick(struct xmpp_link *, xmpp_stanza_t *,
	    const char *from);
/* An IQ get/set with payload Q in NS: 1 if answered here. */
int	xq_iq_request(struct xmpp_link *, xmpp_stanza_t *, const char *type,
	    const char *ns, xmpp_stanza_t *q);
void	xq_iq_reply(struct xmpp_link *, xmpp_stanza_t *,
	    const struct iq_pending *, int ok, const char *error);

/* [files] upload and accounts */
/* upload.c (the loop's side is in upload.h) */
void	xl_upload_request(struct xmpp_link *, struct req *);
/* Stop upload ID wherever it is (slot asked, PUT running); no event: the
 * core asked.  A slot answer that comes later finds no job. */
void	xl_upload_cancel(struct xmpp_link *, const char *id);
void	xl_upload_iq(struct xmpp_link *, struct iq_pending *, xmpp_stanza_t *,
	    int ok, const char *error);
void	xl_upload_free(struct xmpp_link *);
/* register.c */
void	xl_register_request(struct xmpp_link *, struct req *);
void	xl_register_free(struct xmpp_link *);
/* conn.c: SHA-256 fingerprint of a PEM certificate; caller frees. */
char	*xl_cert_fingerprint(xmpp_ctx_t *, const char *pem);
/* Is fingerprint FP the pinned PIN?  (Hex case does not matter; NULLs
 * never match.)  Login and --register decide alike. */
int	 xl_pin_matches(const char *fp, const char *pin);

#endif
