/*
 * core.h - struct szia, the one context everything else is handed.
 *
 * The core knows nothing of ncurses, libstrophe or SQLite.  It owns the
 * state (accounts, session, roster, windows, settings, theme), takes
 * events from the XMPP layer (core_handle), lines from the user
 * (core_input) and the passing of time (core_tick), and produces requests
 * for the XMPP layer (sz->outbox), log writes (sz->log) and dirty flags
 * telling the UI what to redraw.  The UI and the tests drive it through
 * the same functions.
 */
#ifndef SZIA_CORE_H
#define SZIA_CORE_H

#include <stdint.h>
#include <time.h>

#include "core/account.h"
#include "core/event.h"
#include "core/logmsg.h"
#include "core/req.h"
#include "core/roster.h"
#include "core/settings.h"
#include "core/theme.h"
#include "core/window.h"

struct szia;

#define DIRTY_ROSTER	0x01	/* roster panel */
#define DIRTY_WINDOW	0x02	/* current window's text */
#define DIRTY_STATUS	0x04	/* status bar (windows list, state) */
#define DIRTY_TITLE	0x08	/* title bar */
#define DIRTY_INPUT	0x10	/* prompt changed (password mode) */
#define DIRTY_LAYOUT	0x20	/* sizes or theme changed: redraw all */
#define DIRTY_ALL	0x3f

enum conn_state {
	CONN_OFFLINE,		/* not connected, not trying */
	CONN_CONNECTING,
	CONN_ONLINE,
	CONN_WAITING,		/* lost: reconnecting after a delay */
};

struct session {
	enum conn_state	 state;
	char		*account;	/* account name (log folder) */
	char		*jid;		/* as configured */
	char		*bare;		/* normalised bare JID */
	char		*bound;		/* full JID while online */
	char		*password;	/* kept for reconnects */
	char		*server;
	int		 port;
	enum tls_mode	 tls;
	char		*fingerprint;	/* trusted certificate */
	char		*refused_fp;	/* last refused certificate */
	unsigned	 attempts;	/* reconnects since last success */
	uint64_t	 retry_at;	/* CONN_WAITING: when, monotonic ms */
	enum conn_error	 last_error;
	enum show	 show;		/* own presence */
	char		*status;
	int		 auto_away;	/* we set away for idleness: 1 from
					   online, 2 from chat */
	char		*saved_status;	/* status before auto-away */
	char		*ping_id;	/* user /ping in flight */
};

/* A question the UI asks instead of reading a command (passwords). */
struct prompt {
	int	 active;
	int	 hidden;		/* do not echo */
	char	*text;
	void	(*done)(struct szia *, const char *answer); /* NULL: cancel */
};

struct szia {
	struct settings		 settings;
	struct accounts		 accounts;
	struct session		 session;
	struct roster		 roster;
	struct windows		 windows;
	struct theme		 theme;
	struct outbox		 outbox;
	struct prompt		 prompt;
	char			*theme_dir;	/* system themes */
	const struct log_ops	*log;
	void			*log_ctx;
	int			 log_failed;	/* last flush failed */
	unsigned		 dirty;
	int			 quit;
	uint64_t		 now;		/* monotonic ms, last tick */
	uint64_t		 last_activity;
	/* [muc] group chat */
	struct room		*rooms;		/* room.h */

	/* bookmarks, caps, disco */
	struct bookmarks	*bookmarks;	/* bookmark.c */
	struct disco_job	*disco_jobs;	/* disco.c: queries asked */

	/* [sync] archive and sync */
	struct sync		*sync;		/* archive, carbons, offline
						   outbox: core/sync.c */

	/* [quality] message quality */
	struct nick		*nicks;		/* XEP-0172, by bare JID */

	/* [files] upload and accounts */
	char			*pw_first;	/* /account password, 1st */
	char			*pw_pending;	/* sent, awaiting the answer */
	struct req		*reg_req;	/* /register: asking */
	struct req		*reg_sent;	/* /register: sent */
	struct upload_job	*uploads;	/* /sendfile in flight */

};

struct core_config {
	const char	*settings_path;		/* NULL: not persisted */
	const char	*accounts_path;		/* NULL: not persisted */
	const char	*theme_dir;		/* system themes folder */
};

void	core_init(struct szia *, const struct core_config *);
void	core_free(struct szia *);
void	core_set_log(struct szia *, const struct log_ops *, void *ctx);

/* An event from the XMPP layer. */
void	core_handle(struct szia *, const struct ev *);
/* A line the user entered in the current window (or a prompt answer). */
void	core_input(struct szia *, const char *line);
/* The user pressed a key (resets the idle timer, ends auto-away). */
void	core_activity(struct szia *, uint64_t now);
/* Run timers due at NOW (reconnect, auto-away). */
void	core_tick(struct szia *, uint64_t now);
/* Milliseconds until the next timer, or -1 if none. */
int	core_timeout(const struct szia *, uint64_t now);
/* End of a loop turn: write the log. */
void	core_flush(struct szia *);

/* Connect with saved account NAME; -1 (and a console error) if unknown. */
int	core_connect_account(struct szia *, const char *name);

/* Lines for the user: to window W (NULL: current). */
void	core_info(struct szia *, struct window *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	core_error(struct szia *, struct window *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * Window W got a line: redraw it if it is on screen, otherwise count it
 * as unread (and HIGHLIGHT: it is for us) for the status bar.
 */
void	core_window_news(struct szia *, struct window *w, int highlight);
/* Ask a question (password); DONE gets the answer or NULL. */
void	core_prompt(struct szia *, const char *text, int hidden,
	    void (*done)(struct szia *, const char *));

/* Open (or find) and select the chat window for bare JID. */
struct window *core_open_chat(struct szia *, const char *bare, int select);
/* Send BODY to window W's peer (queued while offline is refused). */
int	core_send_message(struct szia *, struct window *, const char *body);
/* Load up to N more lines of W's history from the log. */
int	core_load_history(struct szia *, struct window *, size_t n);
void	core_select_window(struct szia *, struct window *);
void	core_set_presence(struct szia *, enum show, const char *status);
void	core_disconnect(struct szia *);

/* For the core's own files (handle.c, cmd-*.c). */
void	core_retitle(struct szia *, const char *bare);
/* The chat window of BARE, or NULL. */
struct window *core_chat_window(struct szia *, const char *bare);
void	core_log(struct szia *, const char *peer, const char *from,
	    const char *to, int outgoing, time_t ts, const char *type,
	    const char *body, const char *id, const char *origin_id,
	    const char *stanza_id);
/* core_log() of a XEP-0308 correction szia applied: REPLACE_ID is the id
 * of the message it corrects, so a reloaded window shows it in place. */
void	core_log_edit(struct szia *, const char *peer, const char *from,
	    const char *to, int outgoing, time_t ts, const char *type,
	    const char *body, const char *id, const char *origin_id,
	    const char *stanza_id, const char *replace_id);
/* [muc] group chat */
/*
 * Join ROOM (bare JID) as NICK (NULL: the account's default nick) with
 * PASSWORD (may be NULL); open and return its window, or NULL with an
 * error shown.  Joining a room already joined just returns its window.
 */
struct window *core_join_room(struct szia *, const char *room,
	    const char *nick, const char *password);

/* bookmarks, caps, disco */
/* bookmark.c: EV_BOOKMARKS (after login, disco.c tells it where the
 * bookmarks live; it loads them and joins the autojoin rooms). */
void	bookmark_handle(struct szia *, const struct ev *);
/* disco.c: EV_DISCO, query timeouts; free both parts' state. */
void	disco_handle(struct szia *, const struct ev *);
void	disco_tick(struct szia *, uint64_t now);
int	disco_timeout(const struct szia *, uint64_t now);
void	bookmark_free_all(struct szia *);

/* [sync] archive and sync */
/*
 * Message archives (XEP-0313 with RSM XEP-0059), for any part of szia.
 *
 * core_mam_query() queues one page query (REQ_MAM_QUERY) and returns its
 * queryid (owned by the core; valid until that query's EV_MAM_FIN).  The
 * XMPP layer passes on a result only if it comes from the archive queried
 * (own account: no from or our bare JID; a room: the room's bare JID) and
 * carries a queryid still pending; results arrive as EV_MESSAGE with
 * message.archive / message.queryid set (stanza_id = the archive's id,
 * delay = its time), then EV_MAM_FIN.  One-to-one results (archive NULL)
 * are shown and logged by core/sync.c; results of type groupchat are left
 * to the group chat code, which also checks ev->mam_fin.queryid against
 * the ids it asked for (core_mam_pending() says if an id is still open).
 * For the next page: after = fin.last (forward) or before = fin.first
 * (back); before = "" asks for the last page.
 */
struct mam_query {
	const char	*archive;	/* NULL: own account; else room JID */
	const char	*with;		/* NULL: everyone */
	const char	*start;		/* XEP-0082 time, or NULL */
	const char	*after;		/* RSM ids, or NULL */
	const char	*before;
	int		 max;		/* page size; 0: 100 */
};
const char *core_mam_query(struct szia *, const struct mam_query *);
int	core_mam_pending(const struct szia *, const char *queryid);
/* The terminal gained (1) or lost (0) focus: XEP-0352 client state. */
void	core_focus(struct szia *, int focused);

/* [quality] message quality */
#include "core/quality.h"
/*
 * XEP-0308: apply a correction TEXT (raw remote text; sanitised here) to
 * the line of window W whose message id is REPLACE_ID, if that line came
 * from SENDER_KEY (one-to-one: the bare JID; rooms: the occupant-id
 * (XEP-0421) or, without one, the full room JID); SENDER_KEY NULL: one of
 * our own lines (a correction sent from our other client).  NEW_ID (may be
 * NULL) is the correction's own id, which a later correction may name.
 * Returns 1 if applied (the line now shows TEXT, marked edited), 0 if no
 * such line from that sender (show it as a new message then).
 */
int	core_apply_correction(struct szia *, struct window *,
	    const char *replace_id, const char *sender_key, const char *new_id,
	    const char *text);
/* XEP-0308: send TEXT as a correction of the last message we sent in W. */
int	core_send_correction(struct szia *, struct window *, const char *text);
/* The text of the last message we sent in W (NULL: none to correct). */
const char *core_last_sent(const struct window *);
/*
 * The user edited the input line (LINE: its whole text): drives our
 * XEP-0085 chat state in the current window (composing, then paused).
 */
void	core_typing(struct szia *, const char *line, uint64_t now);

/* [files] upload and accounts */
struct cmd_ctx;
/* /account password [NEW] (cmd-account.c hands it over). */
int	core_files_password_cmd(struct cmd_ctx *);
/* register.c */
struct reg_account {
	const char	*jid;
	const char	*password;
	const char	*server;	/* NULL: none */
	int		 port;		/* 0: default */
	enum tls_mode	 tls;
	const char	*fingerprint;	/* NULL: none */
};
/*
 * Save a newly registered account: update the saved account with that
 * JID, or add one named after the user name.  *msg says what happened
 * (caller frees).  Returns 0 or -1.
 */
int	core_save_registered(struct szia *, const struct reg_account *,
	    char **msg);
/* "host" or "host:port" -> *host (caller frees), *port (0: none); or -1. */
int	core_parse_hostport(const char *, char **host, int *port);
void	core_register_event(struct szia *, const struct ev *);
void	core_register_free(struct szia *);
/* cmd-files.c: EV_UPLOAD and EV_PASSWORD; free the uploads in flight. */
void	core_files_event(struct szia *, const struct ev *);
void	core_files_free(struct szia *);
/* Uploads in flight (the status bar's "[up 40%]"): how many, and in
 * *PERCENT the least advanced one's progress (-1: one has not started
 * sending yet). */
int	core_uploads(const struct szia *, int *percent);


#endif
