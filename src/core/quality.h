/*
 * quality.h - message quality for one-to-one chat: delivery receipts
 * (XEP-0184), chat markers (XEP-0333), chat states (XEP-0085), last
 * message correction (XEP-0308), out-of-band URLs (XEP-0066), nicknames
 * (XEP-0172), blocking (XEP-0191), software version (XEP-0092) and
 * entity time (XEP-0202) queries.
 *
 * The XMPP layer reports them as events (EV_MARK, EV_CHATSTATE,
 * EV_QUALITY_IQ, EV_BLOCK_PUSH, EV_NICK, and fields of EV_MESSAGE); the
 * core answers with requests (REQ_MARK, REQ_CHATSTATE, REQ_QUALITY_IQ,
 * and fields of REQ_MESSAGE).  Lines carry their stanza id and mark
 * (window.h).
 */
#ifndef SZIA_QUALITY_H
#define SZIA_QUALITY_H

#include <stdint.h>

#include <uthash.h>

struct szia;
struct window;
struct line;
struct ev;
struct req;

/* The mark of a line we sent. */
enum mark {
	MARK_NONE,		/* history, or not a message */
	MARK_SENT,		/* handed to the server */
	MARK_DELIVERED,		/* receipt <received/> */
	MARK_READ,		/* chat marker <displayed/> */
};

/* XEP-0085 chat states (0: none). */
enum chatstate {
	CHATSTATE_NONE,
	CHATSTATE_ACTIVE,
	CHATSTATE_COMPOSING,
	CHATSTATE_PAUSED,
	CHATSTATE_INACTIVE,
	CHATSTATE_GONE,
};

/* What a REQ_QUALITY_IQ / EV_QUALITY_IQ is. */
enum qiq {
	QIQ_VERSION,		/* q.to: XEP-0092 */
	QIQ_TIME,		/* q.to: XEP-0202 */
	QIQ_BLOCK,		/* q.jids: XEP-0191 */
	QIQ_UNBLOCK,		/* q.jids, none: everyone */
	QIQ_BLOCKLIST,		/* fetch; the event carries q.jids */
};

/* XEP-0172: the nickname a JID gave itself (sanitised). */
struct nick {
	char		*bare;
	char		*nick;
	UT_hash_handle	 hh;
};

/* Milliseconds of no typing after which "composing" becomes "paused". */
#define CHATSTATE_PAUSE_MS	10000
/* Milliseconds away from a chat window after which we are "inactive"
 * there (XEP-0085 §5.1 suggests 2 minutes). */
#define CHATSTATE_INACTIVE_MS	120000

/* "composing" etc., or NULL; and back (0 if unknown). */
const char	*chatstate_name(int state);
int		 chatstate_parse(const char *name);

/* cmd-quality.c: EV_MARK, EV_CHATSTATE, EV_QUALITY_IQ, EV_BLOCK_PUSH. */
void	quality_handle(struct szia *, const struct ev *);
/* marks.c: the core's side. */
void	quality_mark_event(struct szia *, const struct ev *);
/* A message to window W was queued as R and shown as line L. */
void	quality_on_send(struct szia *, struct window *, struct req *,
	    struct line *);
/*
 * An incoming message with BODY (sanitised, owned; may be replaced, e.g.
 * by appending an OOB URL) for window W from BARE.  Returns 1 if it was a
 * correction that was applied in place (the caller shows nothing more).
 */
int	quality_on_message(struct szia *, const struct ev *, const char *bare,
	    struct window *, char **body);
/* The incoming message was shown as line L of W. */
void	quality_on_shown(struct szia *, const struct ev *, const char *bare,
	    struct window *, struct line *);
/* Window W became the current one, FROM (may be NULL) stopped being it:
 * mark what W shows as displayed; chat states "active" back in W. */
void	quality_on_select(struct szia *, struct window *w,
	    struct window *from);
/* Chat window W is being closed: "gone" to a peer who uses chat states. */
void	quality_on_close(struct szia *, struct window *);
void	quality_tick(struct szia *, uint64_t now);
int	quality_timeout(const struct szia *, uint64_t now);
/* What the title bar adds for W's chat state: " (typing…)" or "". */
const char *quality_title_suffix(const struct window *);
/* A short symbol for a line's mark (NULL: none). */
const char *quality_mark_symbol(const struct line *);
const char *quality_mark_name(int mark);

/* nick.c: XEP-0172 nicknames. */
/* BARE calls itself RAW (remote text; NULL or empty: forget it). */
void	quality_set_nick(struct szia *, const char *bare, const char *raw);
/* The sanitised nickname of BARE, or NULL. */
const char *quality_nick(const struct szia *, const char *bare);
/* How to call BARE: roster name, else its nickname if it is in the
 * roster, else the JID (a stranger's self-chosen name is not shown in
 * place of its address). */
const char *core_contact_name(const struct szia *, const char *bare);
void	quality_free(struct szia *);

#endif
