/*
 * marks.c - the core's side of message quality (see quality.h): marks on
 * the lines we sent (receipts XEP-0184, chat markers XEP-0333), the
 * receipts and markers we send, chat states (XEP-0085), corrections
 * (XEP-0308) and out-of-band URLs (XEP-0066).
 *
 * Trust: a receipt or marker changes a line only if it comes from the
 * bare JID of the window (the one we sent to) and names an id we sent
 * there.  A correction applies only to a line of the same sender key.
 * We answer receipts and send markers only to contacts in our roster:
 * a stranger learns nothing about whether we are online or reading.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static const char *const chatstate_names[] = {
	[CHATSTATE_ACTIVE] = "active",
	[CHATSTATE_COMPOSING] = "composing",
	[CHATSTATE_PAUSED] = "paused",
	[CHATSTATE_INACTIVE] = "inactive",
	[CHATSTATE_GONE] = "gone",
};

const char *
chatstate_name(int state)
{
	if (state <= CHATSTATE_NONE || state > CHATSTATE_GONE)
		return NULL;
	return chatstate_names[state];
}

int
chatstate_parse(const char *name)
{
	int	i;

	if (name == NULL)
		return CHATSTATE_NONE;
	for (i = CHATSTATE_ACTIVE; i <= CHATSTATE_GONE; i++) {
		if (strcmp(name, chatstate_names[i]) == 0)
			return i;
	}
	return CHATSTATE_NONE;
}

const char *
quality_mark_name(int mark)
{
	switch (mark) {
	case MARK_SENT:
		return "sent";
	case MARK_DELIVERED:
		return "delivered";
	case MARK_READ:
		return "read";
	default:
		return "none";
	}
}

const char *
quality_mark_symbol(const struct line *l)
{
	switch (l->mark) {
	case MARK_SENT:
		return "\u2713";		/* ✓ */
	case MARK_DELIVERED:
		return "\u2713\u2713";		/* ✓✓ */
	case MARK_READ:
		return "\u2713\u2713\u2022";	/* ✓✓• */
	default:
		return NULL;
	}
}

const char *
quality_title_suffix(const struct window *w)
{
	if (w->type != WINDOW_CHAT)
		return "";
	switch (w->peer_state) {
	case CHATSTATE_COMPOSING:
		return " (typing\u2026)";
	case CHATSTATE_PAUSED:
		return " (stopped typing)";
	default:
		return "";
	}
}

/* Is BARE a contact in our roster (receipts and markers go only there)? */
static int
quality_in_roster(struct szia *sz, const char *bare)
{
	struct contact	*c = roster_find(&sz->roster, bare);

	return c != NULL && c->in_roster;
}

static void
quality_dirty(struct szia *sz, struct window *w, unsigned what)
{
	if (w == sz->windows.current)
		sz->dirty |= what;
}

/* Our line in W that went out with ID (as sent or as corrected). */
static struct line *
quality_out_line(struct window *w, const char *id, size_t *index)
{
	struct line	*l;
	size_t		 i;

	for (i = w->buf.len; i > 0; i--) {
		l = window_line(w, i - 1);
		if (l->kind == LINE_OUT && line_has_id(l, id)) {
			*index = i - 1;
			return l;
		}
	}
	return NULL;
}

static void
quality_mark(struct szia *sz, const struct ev *ev)
{
	struct window	*w;
	struct line	*l;
	char		*bare;
	size_t		 i, at;

	if (ev->q.id == NULL || (bare = jid_bare(ev->q.from)) == NULL)
		return;
	w = core_chat_window(sz, bare);
	if (w == NULL || (l = quality_out_line(w, ev->q.id, &at)) == NULL) {
		log_warn("%s for id we did not send to that JID: ignored",
		    ev->q.state == MARK_READ ? "marker" : "receipt");
		free(bare);
		return;
	}
	if (ev->q.state == MARK_READ) {
		/* XEP-0333: displayed covers everything before it too. */
		for (i = 0; i <= at; i++) {
			struct line *o = window_line(w, i);

			if (o->kind == LINE_OUT && o->mark >= MARK_SENT)
				o->mark = MARK_READ;
		}
	} else if (l->mark < MARK_DELIVERED)
		l->mark = MARK_DELIVERED;
	quality_dirty(sz, w, DIRTY_WINDOW);
	free(bare);
}

static void
quality_peer_state(struct szia *sz, struct window *w, int state)
{
	if (state == CHATSTATE_NONE)
		return;
	w->peer_states = 1;
	if (w->peer_state != state) {
		w->peer_state = state;
		quality_dirty(sz, w, DIRTY_TITLE);
	}
}

static void
quality_chatstate(struct szia *sz, const struct ev *ev)
{
	struct window	*w;
	char		*bare;

	if ((bare = jid_bare(ev->q.from)) == NULL)
		return;
	/* A chat state alone does not open a window. */
	if ((w = core_chat_window(sz, bare)) != NULL)
		quality_peer_state(sz, w, ev->q.state);
	free(bare);
}

/* Send our chat state STATE to W's peer (only to those who use them). */
static void
quality_send_state(struct szia *sz, struct window *w, int state)
{
	struct req	*r;

	if (w->type != WINDOW_CHAT || !w->peer_states ||
	    !settings_num(&sz->settings, SET_CHATSTATES) ||
	    sz->session.state != CONN_ONLINE || w->my_state == state)
		return;
	r = req_new(REQ_CHATSTATE);
	r->q.to = xstrdup(w->locked != NULL ? w->locked : w->name);
	r->q.op = state;
	outbox_push(&sz->outbox, r);
	w->my_state = state;
}

void
core_typing(struct szia *sz, const char *line, uint64_t now)
{
	struct window	*w = sz->windows.current;

	if (w == NULL || w->type != WINDOW_CHAT || sz->prompt.active)
		return;
	if (line != NULL && *line != '\0' &&
	    (line[0] != '/' || line[1] == '/')) {
		w->typed_at = now;
		quality_send_state(sz, w, CHATSTATE_COMPOSING);
	} else if (w->my_state == CHATSTATE_COMPOSING ||
	    w->my_state == CHATSTATE_PAUSED) {
		w->typed_at = 0;
		quality_send_state(sz, w, CHATSTATE_ACTIVE);
	}
}

/* When chat window W's next chat state is due by itself (ms), or 0. */
static uint64_t
quality_state_due(const struct szia *sz, const struct window *w)
{
	if (w->my_state == CHATSTATE_COMPOSING && w->typed_at != 0)
		return w->typed_at + CHATSTATE_PAUSE_MS;
	if ((w->my_state == CHATSTATE_ACTIVE ||
	    w->my_state == CHATSTATE_PAUSED) && w->left_at != 0 &&
	    w != sz->windows.current)
		return w->left_at + CHATSTATE_INACTIVE_MS;
	return 0;
}

void
quality_tick(struct szia *sz, uint64_t now)
{
	struct window	*w;
	uint64_t	 due;

	for (w = sz->windows.head; w != NULL; w = w->next) {
		if ((due = quality_state_due(sz, w)) == 0 || now < due)
			continue;
		if (w->my_state == CHATSTATE_COMPOSING) {
			w->typed_at = 0;
			quality_send_state(sz, w, CHATSTATE_PAUSED);
		} else {
			quality_send_state(sz, w, CHATSTATE_INACTIVE);
			w->left_at = 0;	/* once, sent or not (offline) */
		}
	}
}

void
quality_on_close(struct szia *sz, struct window *w)
{
	if (w->my_state != CHATSTATE_NONE)
		quality_send_state(sz, w, CHATSTATE_GONE);
}

int
quality_timeout(const struct szia *sz, uint64_t now)
{
	const struct window	*w;
	uint64_t		 due;
	int64_t			 left, best = -1;

	for (w = sz->windows.head; w != NULL; w = w->next) {
		if ((due = quality_state_due(sz, w)) == 0)
			continue;
		left = (int64_t)due - (int64_t)now;
		if (left < 0)
			left = 0;
		if (best < 0 || left < best)
			best = left;
	}
	return (int)best;
}

void
quality_on_send(struct szia *sz, struct window *w, struct req *r,
    struct line *l)
{
	/* XEP-0184 section 5.3: no receipt requests in group chat. */
	if (w->type == WINDOW_ROOM)
		return;
	r->message.request_receipt = 1;
	if (w->peer_states && settings_num(&sz->settings, SET_CHATSTATES)) {
		r->message.chatstate = CHATSTATE_ACTIVE;
		w->my_state = CHATSTATE_ACTIVE;
	}
	w->typed_at = 0;
	if (l != NULL) {
		str_replace(&l->msg_id, r->message.id);
		l->mark = MARK_SENT;
	}
}

/* The newest line of W from SENDER_KEY with message id ID. */
static struct line *
quality_in_line(struct window *w, const char *id, const char *sender_key)
{
	struct line	*l;
	size_t		 i;

	if (id == NULL || sender_key == NULL)
		return NULL;
	for (i = w->buf.len; i > 0; i--) {
		l = window_line(w, i - 1);
		if (l->kind != LINE_IN || l->sender == NULL ||
		    strcmp(l->sender, sender_key) != 0)
			continue;
		if (line_has_id(l, id))
			return l;
	}
	return NULL;
}

int
core_apply_correction(struct szia *sz, struct window *w,
    const char *replace_id, const char *sender_key, const char *new_id,
    const char *text)
{
	struct line	*l;
	size_t		 i;

	if (w == NULL || text == NULL || replace_id == NULL)
		return 0;
	l = sender_key != NULL ? quality_in_line(w, replace_id, sender_key) :
	    quality_out_line(w, replace_id, &i);
	if (l == NULL)
		return 0;
	line_correct(l, text, new_id);
	quality_dirty(sz, w, DIRTY_WINDOW);
	return 1;
}

int
quality_on_message(struct szia *sz, const struct ev *ev, const char *bare,
    struct window *w, char **body)
{
	const char	*url = ev->message.oob_url;
	struct line	*l;
	char		*safe, *tmp;

	if (ev->message.nick != NULL)		/* XEP-0172 */
		quality_set_nick(sz, bare, ev->message.nick);
	/* A message ends "typing"; its own state (if any) replaces it. */
	if (w->peer_state != CHATSTATE_NONE) {
		w->peer_state = CHATSTATE_NONE;
		quality_dirty(sz, w, DIRTY_TITLE);
	}
	quality_peer_state(sz, w, ev->message.chatstate);
	if (w->peer_state == CHATSTATE_ACTIVE)
		w->peer_state = CHATSTATE_NONE;
	if (url != NULL && *url != '\0' && strstr(ev->message.body, url) ==
	    NULL) {
		safe = utf8_safe(url);
		tmp = xasprintf("%s%s%s", *body, **body != '\0' ? "\n" : "",
		    safe);
		free(*body);
		free(safe);
		*body = tmp;
	}
	if (ev->message.replace_id != NULL &&
	    (l = quality_in_line(w, ev->message.replace_id, bare)) != NULL) {
		free(l->text);
		l->text = xstrdup(*body);
		l->edited = 1;
		str_replace(&l->corr_id, ev->message.id);
		quality_dirty(sz, w, DIRTY_WINDOW);
		return 1;
	}
	return 0;
}

void
quality_on_select(struct szia *sz, struct window *w, struct window *from)
{
	struct req	*r;

	if (from != NULL)
		from->left_at = sz->now != 0 ? sz->now : 1;
	if (w == NULL || w->type != WINDOW_CHAT)
		return;
	w->left_at = 0;
	/* XEP-0085: giving the chat focus again is "active". */
	if (w->my_state == CHATSTATE_INACTIVE)
		quality_send_state(sz, w, CHATSTATE_ACTIVE);
	if (w->markable_id == NULL)
		return;
	if (settings_num(&sz->settings, SET_MARKERS_SEND) &&
	    quality_in_roster(sz, w->name) &&
	    sz->session.state == CONN_ONLINE) {
		r = req_new(REQ_MARK);
		r->q.to = xstrdup(w->name);
		r->q.id = xstrdup(w->markable_id);
		r->q.op = MARK_READ;
		outbox_push(&sz->outbox, r);
	}
	free(w->markable_id);
	w->markable_id = NULL;
}

void
quality_on_shown(struct szia *sz, const struct ev *ev, const char *bare,
    struct window *w, struct line *l)
{
	const char	*id = ev->message.id;
	struct req	*r;

	if (l != NULL) {
		str_replace(&l->msg_id, id);
		str_replace(&l->sender, bare);
	}
	if (id == NULL || *id == '\0')
		return;
	if (ev->message.receipt_request &&
	    settings_num(&sz->settings, SET_RECEIPTS_SEND) &&
	    quality_in_roster(sz, bare)) {
		r = req_new(REQ_MARK);
		r->q.to = xstrdup(ev->message.from);
		r->q.id = xstrdup(id);
		r->q.op = MARK_DELIVERED;
		outbox_push(&sz->outbox, r);
	}
	if (ev->message.markable) {
		str_replace(&w->markable_id, id);
		if (w == sz->windows.current)
			quality_on_select(sz, w, NULL);
	}
}

const char *
core_last_sent(const struct window *w)
{
	const struct line	*l;
	size_t			 i;

	for (i = w->buf.len; i > 0; i--) {
		l = window_line(w, i - 1);
		if (l->kind == LINE_OUT && l->msg_id != NULL)
			return l->text;
	}
	return NULL;
}

int
core_send_correction(struct szia *sz, struct window *w, const char *text)
{
	struct session	*s = &sz->session;
	struct line	*l = NULL;
	struct req	*r;
	struct room	*room = NULL;
	size_t		 i;

	if (w->type != WINDOW_CHAT && w->type != WINDOW_PRIVATE &&
	    (w->type != WINDOW_ROOM || (room = room_of_window(sz, w)) ==
	    NULL)) {
		core_error(sz, w, "/correct: only in a chat or room window.");
		return -1;
	}
	if (room != NULL && room->state != ROOM_JOINED) {
		core_error(sz, w, "Not in the room: correction not sent "
		    "(/join %s first).", w->name);
		return -1;
	}
	for (i = w->buf.len; i > 0 && l == NULL; i--) {
		l = window_line(w, i - 1);
		if (l->kind != LINE_OUT || l->msg_id == NULL)
			l = NULL;
	}
	if (l == NULL) {
		core_error(sz, w, "/correct: you sent nothing here to "
		    "correct.");
		return -1;
	}
	if (s->state != CONN_ONLINE) {
		core_error(sz, w, "Not connected: correction not sent "
		    "(/connect first).");
		return -1;
	}
	r = req_new(REQ_MESSAGE);
	r->message.to = xstrdup(w->locked != NULL ? w->locked : w->name);
	r->message.body = xstrdup(text);
	r->message.id = rand_id();
	r->message.type = xstrdup(room != NULL ? "groupchat" : "chat");
	r->message.muc_pm = w->type == WINDOW_PRIVATE;
	r->message.replace_id = xstrdup(l->msg_id);
	if (room != NULL)
		room_remember_sent(room, r->message.id);
	/* A row of its own with the new text and id, and the id of the
	 * line it corrects, for a window reloaded from the log. */
	core_log_edit(sz, w->name, s->bound, r->message.to, 1, clock_wall(),
	    r->message.type, text, r->message.id, r->message.id, NULL,
	    l->msg_id);
	line_correct(l, text, r->message.id);
	quality_on_send(sz, w, r, NULL);
	l->mark = MARK_SENT;
	outbox_push(&sz->outbox, r);
	w->scroll = 0;
	quality_dirty(sz, w, DIRTY_WINDOW);
	return 0;
}

void
quality_mark_event(struct szia *sz, const struct ev *ev)
{
	if (ev->type == EV_MARK)
		quality_mark(sz, ev);
	else if (ev->type == EV_CHATSTATE)
		quality_chatstate(sz, ev);
}
