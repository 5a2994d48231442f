/*
 * window.h - numbered windows and their scrollback.
 *
 * Window 1 is the console; every conversation gets the lowest free number
 * when it opens.  A window's buffer keeps the last `scrollback` lines
 * (struct line, oldest first) as a ring; the text in a line is already
 * sanitised, so the UI can draw it as it is.  Lines are logical: the UI
 * wraps them to the screen width when drawing.
 *
 * Scrolling is kept here, not in the UI, so that it survives redraws and
 * resizes: `scroll` counts screen rows above the bottom (0 = following).
 */
#ifndef SZIA_WINDOW_H
#define SZIA_WINDOW_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum line_kind {
	LINE_INFO,		/* console/status text */
	LINE_ERROR,		/* one-line errors */
	LINE_IN,		/* message from the peer */
	LINE_OUT,		/* message we sent */
	LINE_PRESENCE,		/* contact came/went */
};

#define LINE_HISTORY	0x1	/* loaded from the log */
#define LINE_DELAYED	0x2	/* XEP-0203: sent earlier than received */
#define LINE_PENDING	0x4	/* not yet sent */
#define LINE_HIGHLIGHT	0x8	/* mentions us */
/* [sync] archive and sync */
#define LINE_CARBON	0x4000	/* XEP-0280: copy from another resource */
#define LINE_ARCHIVE	0x8000	/* fetched from the server archive */

struct line {
	time_t		 ts;
	enum line_kind	 kind;
	int		 flags;
	char		*who;		/* sender to show, or NULL */
	char		*text;		/* may contain '\n' */
	/* [sync] archive and sync */
	unsigned	 sync_tag;	/* pending outgoing line: its outbox
					   entry (0: none) */

	/* [quality] message quality */
	char		*msg_id;	/* stanza id (ours: as sent), or NULL */
	char		*corr_id;	/* ours: id of the last correction */
	char		*sender;	/* LINE_IN: key for corrections (bare
					   JID; rooms: occupant-id) */
	int		 mark;		/* LINE_OUT: MARK_* (core/quality.h) */
	int		 edited;	/* corrected (XEP-0308) */
};

struct buffer {
	struct line	*lines;		/* ring of cap lines */
	size_t		 cap;
	size_t		 start;		/* index of the oldest */
	size_t		 len;
	uint64_t	 seq;		/* lines ever appended (not
					   prepended): for followers */
};

enum window_type {
	WINDOW_CONSOLE,
	WINDOW_CHAT,
	/* [muc] group chat */
	WINDOW_ROOM,		/* name: the room's bare JID */
	WINDOW_PRIVATE,		/* name: room/nick */
};

struct window {
	int			 num;
	enum window_type	 type;
	char			*name;		/* console: "console";
						   chat: the peer's bare JID */
	char			*title;		/* what the title bar shows */
	struct buffer		 buf;
	unsigned		 unread;	/* messages since last seen */
	int			 highlight;	/* unread message mentions us */
	int			 scroll;	/* rows above the bottom */
	/* Chat windows. */
	char			*locked;	/* full JID we answer to (RFC 6121
						   5.1), or NULL: the bare */
	int			 not_in_roster;
	int64_t			 oldest_log_id;	/* for /history paging; 0 =
						   nothing loaded */
	/* [quality] message quality */
	int			 peer_state;	/* CHATSTATE_* they sent last */
	int			 peer_states;	/* they sent chat states */
	int			 my_state;	/* last CHATSTATE_* we sent */
	uint64_t		 typed_at;	/* last key typed (ms), or 0 */
	uint64_t		 left_at;	/* stopped being the current
						   window (ms), or 0 */
	char			*markable_id;	/* newest markable message
						   not yet marked displayed */

	int			 history_done;	/* the log has no older lines */
	struct window		*next;		/* ordered by num */
};

struct windows {
	struct window	*head;
	struct window	*current;
	size_t		 scrollback;
	unsigned	 version;	/* bumped on open/close/switch/unread */
};

void		 windows_init(struct windows *, size_t scrollback);
void		 windows_clear(struct windows *);
struct window	*windows_console(struct windows *);
struct window	*windows_find(struct windows *, const char *name);
struct window	*windows_by_num(struct windows *, int num);
/* Open a chat window for bare JID NAME with the lowest free number. */
struct window	*windows_open_chat(struct windows *, const char *name);
/* Open (or find) a window of TYPE named NAME. */
struct window	*windows_open(struct windows *, enum window_type,
		     const char *name);
/* Close W (not the console); the current one moves to the previous. */
void		 windows_close(struct windows *, struct window *);
void		 windows_select(struct windows *, struct window *);
/* The next/previous window by number, wrapping. */
struct window	*windows_next(struct windows *, int dir);

/* Append a line (copies WHO and TEXT). */
struct line	*window_add(struct window *, time_t ts, enum line_kind,
		     int flags, const char *who, const char *text);
/* Insert N history lines before everything else (oldest first). */
void		 window_prepend(struct window *, const struct line *, size_t n);
/* The i-th line, 0 = oldest. */
struct line	*window_line(const struct window *, size_t i);
/* XEP-0308: did L go out as message ID, or was it last corrected by ID? */
int		 line_has_id(const struct line *l, const char *id);
/* Correction of L: TEXT (raw; sanitised here), marked edited, NEW_ID (may
 * be NULL) remembered for the next correction. */
void		 line_correct(struct line *l, const char *text,
		    const char *new_id);

void		 buffer_init(struct buffer *, size_t cap);
void		 buffer_free(struct buffer *);

#endif
