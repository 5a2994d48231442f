/*
 * core.c - struct szia: life cycle, user input, lines for the user, and
 * the chat windows' conversations (see core.h).  Events from the network
 * are handled in handle.c, the connection in session.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "core/session.h"
#include "core/sync.h"
#include "util/clock.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

void
core_init(struct szia *sz, const struct core_config *cfg)
{
	char	*cause = NULL;

	memset(sz, 0, sizeof *sz);
	settings_init(&sz->settings, cfg->settings_path);
	accounts_init(&sz->accounts, cfg->accounts_path);
	roster_init(&sz->roster);
	windows_init(&sz->windows, settings_num(&sz->settings, SET_SCROLLBACK));
	theme_default(&sz->theme);
	sz->theme_dir = xstrdup_or_null(cfg->theme_dir);
	session_free(&sz->session);
	sz->now = sz->last_activity = clock_now_ms();
	sz->dirty = DIRTY_ALL;

	if (settings_load(&sz->settings, &cause) != 0) {
		core_error(sz, NULL, "Settings: %s", cause);
		free(cause);
		cause = NULL;
	}
	sz->windows.scrollback = settings_num(&sz->settings, SET_SCROLLBACK);
	if (accounts_load(&sz->accounts, &cause) != 0) {
		core_error(sz, NULL, "Accounts: %s", cause);
		free(cause);
		cause = NULL;
	}
	if (strcmp(settings_str(&sz->settings, SET_THEME), "default") != 0 &&
	    theme_load(&sz->theme, settings_str(&sz->settings, SET_THEME),
	    sz->theme_dir, &cause) != 0) {
		core_error(sz, NULL, "Theme: %s", cause);
		free(cause);
	}
	core_info(sz, NULL, "Welcome to szia " "%s" ". Type /help for the "
	    "commands, /connect user@example.org to log in.", SZIA_VERSION);
}

void
core_free(struct szia *sz)
{
	core_flush(sz);
	sync_free(sz);		/* [sync] */
	outbox_clear(&sz->outbox);
	core_files_free(sz);
	session_free(&sz->session);
	roster_clear(&sz->roster);
	room_free_all(sz);
	bookmark_free_all(sz);
	windows_clear(&sz->windows);
	theme_free(&sz->theme);
	accounts_free(&sz->accounts);
	settings_free(&sz->settings);
	free(sz->prompt.text);
	free(sz->theme_dir);
	quality_free(sz);
}

void
core_set_log(struct szia *sz, const struct log_ops *ops, void *ctx)
{
	sz->log = ops;
	sz->log_ctx = ctx;
}

static void
core_vline(struct szia *sz, struct window *w, enum line_kind kind,
    const char *fmt, va_list ap)
{
	char	*text = xvasprintf(fmt, ap);

	if (w == NULL)
		w = sz->windows.current;
	window_add(w, clock_wall(), kind, 0, NULL, text);
	free(text);
	if (w == sz->windows.current ||
	    (kind == LINE_ERROR && w->type == WINDOW_CONSOLE))
		core_window_news(sz, w, 0);
}

void
core_window_news(struct szia *sz, struct window *w, int highlight)
{
	if (w == sz->windows.current) {
		sz->dirty |= DIRTY_WINDOW;
		return;
	}
	w->unread++;
	if (highlight)
		w->highlight = 1;
	sz->windows.version++;
	sz->dirty |= DIRTY_STATUS;
}

void
core_info(struct szia *sz, struct window *w, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	core_vline(sz, w, LINE_INFO, fmt, ap);
	va_end(ap);
}

void
core_error(struct szia *sz, struct window *w, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	core_vline(sz, w, LINE_ERROR, fmt, ap);
	va_end(ap);
}

void
core_prompt(struct szia *sz, const char *text, int hidden,
    void (*done)(struct szia *, const char *))
{
	str_replace(&sz->prompt.text, text);
	sz->prompt.active = 1;
	sz->prompt.hidden = hidden;
	sz->prompt.done = done;
	sz->dirty |= DIRTY_INPUT;
}

void
core_input(struct szia *sz, const char *line)
{
	struct window	*w = sz->windows.current;
	void		(*done)(struct szia *, const char *);

	if (sz->prompt.active) {
		done = sz->prompt.done;
		sz->prompt.active = 0;
		sz->prompt.hidden = 0;
		sz->prompt.done = NULL;
		sz->dirty |= DIRTY_INPUT;
		done(sz, line);
		return;
	}
	if (line == NULL)
		return;
	if (line[0] == '/' && line[1] != '/') {
		cmd_run(sz, w, line);
		return;
	}
	if (room_join_uri(sz, line))	/* xmpp:ROOM?join */
		return;
	if (line[0] == '/')
		line++;		/* "//text" sends "/text" */
	if (*line == '\0')
		return;
	if (w->type == WINDOW_ROOM) {
		room_send(sz, w, line);
		return;
	}
	if (w->type != WINDOW_CHAT && w->type != WINDOW_PRIVATE) {
		core_error(sz, w, "This is the console: use /msg JID text to "
		    "chat, or /help.");
		return;
	}
	core_send_message(sz, w, line);
}

void
core_activity(struct szia *sz, uint64_t now)
{
	session_activity(sz, now);
	sync_activity(sz);	/* [sync] */
}

void
core_tick(struct szia *sz, uint64_t now)
{
	sz->now = now;
	session_tick(sz, now);
	room_tick(sz, now);
	quality_tick(sz, now);
	disco_tick(sz, now);
	sync_tick(sz, now);	/* [sync] */
}

/* The sooner of two timeouts in ms; -1 means none. */
static int
core_min_timeout(int a, int b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

int
core_timeout(const struct szia *sz, uint64_t now)
{
	int	t = session_timeout(sz, now);

	t = core_min_timeout(t, room_timeout(sz, now));
	t = core_min_timeout(t, quality_timeout(sz, now));
	t = core_min_timeout(t, disco_timeout(sz, now));
	t = core_min_timeout(t, sync_timeout(sz, now));	/* [sync] */
	return t;
}

void
core_flush(struct szia *sz)
{
	char	*cause = NULL;

	if (sz->log == NULL)
		return;
	if (sz->log->flush(sz->log_ctx, &cause) < 0) {
		if (!sz->log_failed)
			core_error(sz, windows_console(&sz->windows), "%s "
			    "(messages are kept in memory and written when "
			    "possible).", cause);
		sz->log_failed = 1;
		free(cause);
	} else if (sz->log_failed) {
		sz->log_failed = 0;
		core_info(sz, windows_console(&sz->windows),
		    "Message log writable again: everything was saved.");
	}
}

int
core_connect_account(struct szia *sz, const char *name)
{
	if (accounts_find(&sz->accounts, name) == NULL) {
		core_error(sz, NULL, "No saved account named '%s' (see "
		    "/account list).", name);
		return -1;
	}
	return session_connect(sz, name, NULL, 0);
}

void
core_disconnect(struct szia *sz)
{
	struct session	*s = &sz->session;

	if (s->state == CONN_OFFLINE) {
		core_error(sz, NULL, "Not connected.");
		return;
	}
	if (s->state == CONN_WAITING) {
		s->state = CONN_OFFLINE;
		core_info(sz, NULL, "Stopped reconnecting.");
	} else {
		outbox_push(&sz->outbox, req_new(REQ_DISCONNECT));
		core_info(sz, NULL, "Disconnecting...");
		s->state = CONN_OFFLINE;
	}
	roster_all_offline(&sz->roster);
	sz->dirty |= DIRTY_STATUS | DIRTY_ROSTER | DIRTY_TITLE;
}

void
core_set_presence(struct szia *sz, enum show show, const char *status)
{
	struct session	*s = &sz->session;

	s->show = show;
	s->auto_away = 0;
	free(s->saved_status);
	s->saved_status = NULL;
	str_replace(&s->status, status != NULL && *status != '\0' ? status :
	    NULL);
	session_send_presence(sz);
	sz->dirty |= DIRTY_STATUS;
}

void
core_select_window(struct szia *sz, struct window *w)
{
	struct window	*from = sz->windows.current;

	if (w == NULL || w == from)
		return;
	windows_select(&sz->windows, w);
	quality_on_select(sz, w, from);
	sz->dirty |= DIRTY_ALL;
}

/* The name to show for BARE: the roster name, else the JID. */
static const char *
core_display(struct szia *sz, const char *bare)
{
	return core_contact_name(sz, bare);
}

static void
core_title(struct szia *sz, struct window *w)
{
	struct contact	*c = roster_find(&sz->roster, w->name);
	const char	*nick = quality_nick(sz, w->name);

	free(w->title);
	w->not_in_roster = c == NULL || !c->in_roster;
	if (w->not_in_roster)
		w->title = xasprintf("%s (not in roster)", w->name);
	else if (c->name != NULL)
		w->title = xasprintf("%s <%s>", c->name, w->name);
	else if (nick != NULL)		/* XEP-0172 */
		w->title = xasprintf("%s <%s>", nick, w->name);
	else
		w->title = xstrdup(w->name);
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_TITLE;
}

struct window *
core_chat_window(struct szia *sz, const char *bare)
{
	struct window	*w = windows_find(&sz->windows, bare);

	/* A JID may be called "console": never the console window. */
	return w != NULL && w->type == WINDOW_CHAT ? w : NULL;
}

struct window *
core_open_chat(struct szia *sz, const char *bare, int select)
{
	struct window	*w = core_chat_window(sz, bare);

	if (w == NULL) {
		w = windows_open_chat(&sz->windows, bare);
		core_title(sz, w);
		core_load_history(sz, w,
		    settings_num(&sz->settings, SET_HISTORY_LINES));
		if (w->not_in_roster)
			core_info(sz, w, "%s is not in your roster: /roster add "
			    "%s to add it.", bare, bare);
		sz->dirty |= DIRTY_STATUS;
	}
	if (select)
		core_select_window(sz, w);
	return w;
}

void
core_retitle(struct szia *sz, const char *bare)
{
	struct window	*w = core_chat_window(sz, bare);

	if (w != NULL)
		core_title(sz, w);
}

/*
 * Message I of a window's history batch is a correction (XEP-0308) that
 * szia applied when it came (the log keeps replace_id only then): put its
 * text into the line it corrects, one of the first KEPT LINES (line K shows
 * message SRC[K]), and say so.
 * The newest line of the same direction (and, in a room, the same
 * occupant) whose message or last correction had that id, as live.
 * Not found (older than the batch): 0, and it shows as a line of its own.
 */
static int
history_correct(struct window *w, const struct logmsg *msgs,
    struct line *lines, const int *src, int i, int kept)
{
	const struct logmsg	*m = &msgs[i], *o;
	const char		*rid = m->replace_id;
	struct line		*l;
	int			 k;

	if (rid == NULL || m->body == NULL)
		return 0;
	for (k = kept; k > 0; k--) {
		l = &lines[k - 1];
		o = &msgs[src[k - 1]];
		if (o->outgoing != m->outgoing || (w->type == WINDOW_ROOM &&
		    !m->outgoing && (o->from_jid == NULL ||
		    m->from_jid == NULL || strcmp(o->from_jid,
		    m->from_jid) != 0)))
			continue;
		if (line_has_id(l, rid)) {
			line_correct(l, m->body, m->msg_id);
			return 1;
		}
	}
	return 0;
}

int
core_load_history(struct szia *sz, struct window *w, size_t n)
{
	struct logmsg	*msgs = NULL;
	struct line	*lines;
	char		*cause = NULL;
	int		 count, i, kept, *src;

	if (sz->log == NULL || n == 0 || w->history_done ||
	    (w->type != WINDOW_CHAT && w->type != WINDOW_ROOM &&
	    w->type != WINDOW_PRIVATE))
		return 0;
	count = sz->log->recent(sz->log_ctx, w->name, w->oldest_log_id, n,
	    &msgs, &cause);
	if (count < 0) {
		core_error(sz, w, "Cannot read the message log: %s", cause);
		free(cause);
		return -1;
	}
	if ((size_t)count < n)
		w->history_done = 1;
	if (count == 0) {
		sz->log->free_msgs(sz->log_ctx, msgs, 0);
		return 0;
	}
	lines = xcalloc(count, sizeof *lines);
	src = xcalloc(count, sizeof *src);
	for (i = kept = 0; i < count; i++) {
		if (history_correct(w, msgs, lines, src, i, kept))
			continue;
		lines[kept].ts = msgs[i].ts;
		lines[kept].kind = msgs[i].outgoing ? LINE_OUT : LINE_IN;
		lines[kept].flags = LINE_HISTORY;
		lines[kept].who = msgs[i].outgoing ? xstrdup("me") :
		    w->type == WINDOW_ROOM ? room_history_who(&msgs[i]) :
		    utf8_safe(core_display(sz, w->name));
		lines[kept].text = msgs[i].body != NULL ? utf8_sanitize(
		    msgs[i].body, strlen(msgs[i].body), UTF8_KEEP_NEWLINES) :
		    xstrdup("");
		/* What a later correction (here or live) looks for. */
		lines[kept].msg_id = xstrdup_or_null(msgs[i].msg_id);
		if (!msgs[i].outgoing)
			lines[kept].sender = xstrdup_or_null(w->type ==
			    WINDOW_CHAT ? w->name : w->type == WINDOW_ROOM ?
			    msgs[i].from_jid : NULL);
		src[kept++] = i;
	}
	w->oldest_log_id = msgs[0].id;
	window_prepend(w, lines, kept);
	for (i = 0; i < kept; i++) {
		free(lines[i].who);
		free(lines[i].text);
		free(lines[i].msg_id);
		free(lines[i].corr_id);
		free(lines[i].sender);
	}
	free(lines);
	free(src);
	sz->log->free_msgs(sz->log_ctx, msgs, count);
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
	return count;
}

void
core_log(struct szia *sz, const char *peer, const char *from, const char *to,
    int outgoing, time_t ts, const char *type, const char *body,
    const char *id, const char *origin_id, const char *stanza_id)
{
	core_log_edit(sz, peer, from, to, outgoing, ts, type, body, id,
	    origin_id, stanza_id, NULL);
}

void
core_log_edit(struct szia *sz, const char *peer, const char *from,
    const char *to, int outgoing, time_t ts, const char *type,
    const char *body, const char *id, const char *origin_id,
    const char *stanza_id, const char *replace_id)
{
	struct logmsg	m;

	/* [sync] remembered for de-duplication (sync-seen.c) */
	sync_remember(sz, peer, from, id, origin_id, stanza_id);
	if (sz->log == NULL)
		return;
	memset(&m, 0, sizeof m);
	m.peer = (char *)peer;
	m.from_jid = (char *)from;
	m.to_jid = (char *)to;
	m.outgoing = outgoing;
	m.ts = ts;
	m.received = clock_wall();
	m.type = (char *)type;
	m.body = (char *)body;
	m.msg_id = (char *)id;
	m.origin_id = (char *)origin_id;
	m.stanza_id = (char *)stanza_id;
	m.replace_id = (char *)replace_id;
	sz->log->add(sz->log_ctx, &m);
}

int
core_send_message(struct szia *sz, struct window *w, const char *body)
{
	struct session	*s = &sz->session;
	struct req	*r;
	struct line	*l;
	char		*text;
	time_t		 now = clock_wall();

	if (s->state != CONN_ONLINE) {
		sync_queue_message(sz, w, body);	/* [sync] */
		return 0;
	}
	r = req_new(REQ_MESSAGE);
	r->message.to = xstrdup(w->locked != NULL ? w->locked : w->name);
	r->message.body = xstrdup(body);
	r->message.id = rand_id();
	r->message.type = xstrdup("chat");
	r->message.muc_pm = w->type == WINDOW_PRIVATE;
	core_log(sz, w->name, s->bound, r->message.to, 1, now, "chat", body,
	    r->message.id, r->message.id, NULL);
	text = utf8_sanitize(body, strlen(body), UTF8_KEEP_NEWLINES);
	l = window_add(w, now, LINE_OUT, 0, "me", text);
	quality_on_send(sz, w, r, l);
	free(text);
	outbox_push(&sz->outbox, r);
	w->scroll = 0;
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
	return 0;
}
