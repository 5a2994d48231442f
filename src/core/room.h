/*
 * room.h - group chat rooms (XEP-0045) in the core.
 *
 * sz->rooms lists the rooms we joined or are joining, each with its
 * occupants in a uthash keyed by nick.  The XMPP layer (src/xmpp/muc.c)
 * reports room presence, messages, invitations and IQ results as
 * EV_MUC events (struct ev_muc); the core answers with REQ_MUC requests
 * (struct req_muc).  Everything from the network is validated and
 * sanitised here (room_handle*), never shown raw.
 */
#ifndef SZIA_ROOM_H
#define SZIA_ROOM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <uthash.h>

#include "core/event.h"
#include "core/logmsg.h"

struct szia;
struct window;

enum muc_role { ROLE_NONE, ROLE_VISITOR, ROLE_PARTICIPANT, ROLE_MODERATOR };
enum muc_affil { AFFIL_NONE, AFFIL_OUTCAST, AFFIL_MEMBER, AFFIL_ADMIN,
    AFFIL_OWNER };

struct occupant {
	char		*nick;		/* key (raw, as the room spells it) */
	char		*safe;		/* sanitised nick for display */
	enum muc_role	 role;
	enum muc_affil	 affil;
	enum show	 show;
	char		*status;	/* sanitised */
	char		*jid;		/* real JID if the room tells us */
	char		*occupant_id;	/* XEP-0421 */
	UT_hash_handle	 hh;
};

enum room_state {
	ROOM_JOINING,		/* join presence sent */
	ROOM_JOINED,		/* own presence (110) seen */
	ROOM_OUT,		/* left, kicked, error, or offline */
};

#define ROOM_SENT_IDS	16
#define ROOM_PING_TIMEOUT 60000	/* ms before an unanswered self-ping is
				   dropped */

struct room {
	char		*jid;		/* bare room JID */
	char		*nick;		/* our nick */
	char		*password;
	enum room_state	 state;
	int		 rejoin;	/* join again after a reconnect */
	char		*subject;	/* sanitised */
	char		*own_occupant_id;
	struct occupant	*occupants;
	char		*sent[ROOM_SENT_IDS];	/* ids of our messages */
	size_t		 nsent;
	uint64_t	 last_heard;	/* monotonic ms, for self-ping */
	char		*ping_id;	/* self-ping in flight */
	int		 config_open;	/* /config form fetched */
	char		**cfg_keys;	/* the form's fields */
	char		**cfg_vals;
	char		**cfg_types;
	size_t		 ncfg;
	char		*catchup_after;	/* archive id to catch up from */
	char		*mam_qid;	/* room archive query in flight */
	int		 mam_backfill;	/* it pages back (/history) */
	struct line	*mam_lines;	/* /history: the page's lines */
	size_t		 mam_nlines;
	unsigned	 mam_fetched;	/* new messages from the archive */
	struct room	*next;
};

/* What the XMPP layer reports (EV_MUC). */
enum muc_ev_kind {
	MUC_EV_PRESENCE,	/* presence from room/nick */
	MUC_EV_MESSAGE,		/* groupchat message (body and/or subject) */
	MUC_EV_PRIVATE,		/* chat message from room/nick (muc#user) */
	MUC_EV_INVITE,		/* mediated or direct invitation */
	MUC_EV_IQ,		/* result of an admin/owner/ping IQ */
};

enum muc_iq_kind {
	MUC_IQ_ADMIN,		/* role/affiliation change, kick, ban */
	MUC_IQ_LIST,		/* affiliation list */
	MUC_IQ_CONFIG_GET,
	MUC_IQ_CONFIG_SET,	/* submit, cancel, instant-room accept */
	MUC_IQ_DESTROY,
	MUC_IQ_PING,		/* XEP-0410 self-ping */
};

struct ev_muc_field {
	const char	*var;
	const char	*type;
	const char	*label;
	const char	*value;		/* first value, may be NULL */
};

struct ev_muc {
	enum muc_ev_kind	 kind;
	const char		*from;		/* full or bare JID */
	const char		*from_bare;	/* messages: from's bare JID */
	/* presence */
	int			 available;
	enum show		 show;
	const char		*status;
	const char		*role;
	const char		*affiliation;
	const char		*jid;		/* item jid (real JID) */
	const char		*new_nick;	/* 303 */
	const char		*actor;
	const char		*reason;
	const char		*occupant_id;	/* XEP-0421 */
	int			 codes[16];	/* status codes */
	size_t			 ncodes;
	const char		*error;		/* error condition */
	const char		*error_text;
	int			 destroyed;	/* <destroy/> in unavailable */
	/* message */
	const char		*body;
	const char		*subject;	/* non-NULL: subject change */
	const char		*id;
	const char		*origin_id;
	const char		*stanza_id;	/* only if by= the room */
	const char		*replace_id;	/* XEP-0308 correction */
	time_t			 delay;
	/* invite */
	const char		*room;
	const char		*inviter;
	const char		*password;
	int			 direct;
	/* iq */
	enum muc_iq_kind	 iq;
	int			 ok;
	const char		*iq_from;	/* the JID asked */
	const char		**items_jid;	/* affiliation list */
	const char		**items_nick;
	size_t			 nitems;
	const struct ev_muc_field *fields;	/* config form */
	size_t			 nfields;
};

/* What the core asks for (REQ_MUC). */
enum muc_op {
	MUC_JOIN,		/* to = room/nick; password; history */
	MUC_LEAVE,		/* to = room/nick; reason */
	MUC_NICK,		/* to = room/nick: nick change or our
				   show/status (no <x/>) */
	MUC_SUBJECT,		/* room; text */
	MUC_INVITE,		/* room; jid; reason */
	MUC_SET_ROLE,		/* room; nick; value; reason */
	MUC_SET_AFFIL,		/* room; jid; value; reason */
	MUC_LIST,		/* room; value = affiliation */
	MUC_CONFIG_GET,		/* room */
	MUC_CONFIG_SUBMIT,	/* room; keys/vals (empty: instant room) */
	MUC_CONFIG_CANCEL,	/* room */
	MUC_DESTROY,		/* room; reason */
	MUC_PING,		/* to = room/nick; id */
};

struct req_muc {
	enum muc_op	 op;
	char		*room;
	char		*to;
	char		*nick;
	char		*jid;
	char		*password;
	char		*value;
	char		*reason;
	char		*text;
	char		*id;
	int		 maxstanzas;	/* -1: not given */
	time_t		 since;		/* 0: not given */
	char		**keys;
	char		**vals;
	char		**types;
	size_t		 nfields;
};

void		 req_muc_free(struct req_muc *);

/* room.c */
struct room	*room_find(struct szia *, const char *bare);
struct room	*room_of_window(struct szia *, const struct window *);
struct occupant	*room_occupant(struct room *, const char *nick);
struct window	*room_window(struct szia *, struct room *);
void		 room_retitle(struct szia *, struct room *);
void		 room_clear_occupants(struct room *);
/* Remove occupant O from R and free it. */
void		 room_occupant_del(struct room *, struct occupant *);
void		 room_clear_config(struct room *);
int		 room_is_own_echo(struct room *, const char *id);
/* Remember ID as one of ours, so that the room's echo is not shown. */
void		 room_remember_sent(struct room *, const char *id);
void		 room_free_all(struct szia *);
void		 room_leave(struct szia *, struct room *, const char *reason);
/*
 * For corrections in rooms (XEP-0308 with XEP-0421): the occupant-id the
 * room gave FULL (room/nick), or NULL if none is known.  A correction is
 * genuine only if its occupant-id equals the original's.
 */
const char	*room_occupant_id(struct szia *, const char *full);
/* Our show/status changed: tell the rooms we are in. */
void		 room_send_presence(struct szia *);
/* Join R again (after self-ping found us gone). */
void		 room_rejoin(struct szia *, struct room *);
/* Leave R and drop it from the list (its window closes). */
void		 room_forget(struct szia *, struct room *);
/* Send a groupchat message to W's room. */
int		 room_send(struct szia *, struct window *, const char *body);
/* Open (or find) the private window of room/nick. */
struct window	*room_open_private(struct szia *, struct room *,
		    const char *nick, int select);
/* The connection came up / went down. */
void		 room_on_connected(struct szia *);
void		 room_on_disconnected(struct szia *);
void		 room_tick(struct szia *, uint64_t now);
int		 room_timeout(const struct szia *, uint64_t now);
/* Who sent logged room message M (its nick), sanitised. */
char		*room_history_who(const struct logmsg *);
/* Ping our own occupant now (XEP-0410). */
void		 room_selfping(struct szia *, struct room *);
const char	*room_role_name(enum muc_role);
const char	*room_affil_name(enum muc_affil);
/* Does TEXT mention NICK or a muc.highlight_words word? */
int		 room_mentions(struct szia *, struct room *, const char *text);
/* Queue a REQ_MUC of OP for ROOM; returns it for filling in. */
struct req_muc	*room_req(struct szia *, enum muc_op, const char *room);

struct cmd_ctx;
/* cmd-room.c: R if we are in it and online, else NULL after an error. */
struct room	*cmd_in_room(struct cmd_ctx *, struct room *);
/* cmd-room.c: "xmpp:ROOM?join[;password=PW]" */
int		 room_parse_uri(const char *, char **room, char **password);
/* Join if LINE is such a URI; 1 if it was one. */
int		 room_join_uri(struct szia *, const char *line);

/* room-handle.c */
void		 room_handle(struct szia *, const struct ev_muc *);

/* room-mam.c: the room's archive (XEP-0313 on the room JID). */
/* Joined: fetch what the room said since our newest logged message. */
void		 room_mam_catchup(struct szia *, struct room *);
/* An archived group chat message (EV_MESSAGE with message.archive). */
void		 room_on_archived(struct szia *, const struct ev *);
/* EV_MAM_FIN: 1 if it ended one of the rooms' queries. */
int		 room_mam_fin(struct szia *, const struct ev *);
/* /history in a room window once the log runs out: 0 if asked. */
int		 room_history_more(struct szia *, struct window *, size_t n);
void		 room_mam_forget(struct room *);
void		 room_config_show(struct szia *, struct room *);
const char	*room_config_short(const char *var);

#endif
