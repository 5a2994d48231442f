/*
 * room.c - group chat rooms (XEP-0045): the room list, joining, leaving,
 * sending, reconnects and self-ping (XEP-0410).  What the rooms send is
 * handled in room-handle.c; the commands are in cmd-room.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

void
req_muc_free(struct req_muc *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->room);
	free(m->to);
	free(m->nick);
	free(m->jid);
	if (m->password != NULL)
		explicit_bzero(m->password, strlen(m->password));
	free(m->password);
	free(m->value);
	free(m->reason);
	free(m->text);
	free(m->id);
	for (i = 0; i < m->nfields; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
		free(m->types[i]);
	}
	free(m->keys);
	free(m->vals);
	free(m->types);
	free(m);
}

struct req_muc *
room_req(struct szia *sz, enum muc_op op, const char *room)
{
	struct req	*r = req_new(REQ_MUC);

	r->muc = xcalloc(1, sizeof *r->muc);
	r->muc->op = op;
	r->muc->room = xstrdup(room);
	r->muc->maxstanzas = -1;
	outbox_push(&sz->outbox, r);
	return r->muc;
}

const char *
room_role_name(enum muc_role r)
{
	static const char *const names[] = { "none", "visitor",
	    "participant", "moderator" };

	return names[r];
}

const char *
room_affil_name(enum muc_affil a)
{
	static const char *const names[] = { "none", "outcast", "member",
	    "admin", "owner" };

	return names[a];
}

struct room *
room_find(struct szia *sz, const char *bare)
{
	struct room	*r;

	if (bare == NULL)
		return NULL;
	for (r = sz->rooms; r != NULL; r = r->next) {
		if (strcmp(r->jid, bare) == 0)
			return r;
	}
	return NULL;
}

struct room *
room_of_window(struct szia *sz, const struct window *w)
{
	struct room	*r;
	char		*bare;

	if (w == NULL)
		return NULL;
	if (w->type == WINDOW_ROOM)
		return room_find(sz, w->name);
	if (w->type != WINDOW_PRIVATE)
		return NULL;
	bare = jid_bare(w->name);
	r = room_find(sz, bare);
	free(bare);
	return r;
}

struct occupant *
room_occupant(struct room *r, const char *nick)
{
	struct occupant	*o = NULL;

	if (nick != NULL)
		HASH_FIND_STR(r->occupants, nick, o);
	return o;
}

void
room_occupant_del(struct room *r, struct occupant *o)
{
	HASH_DEL(r->occupants, o);
	free(o->nick);
	free(o->safe);
	free(o->status);
	free(o->jid);
	free(o->occupant_id);
	free(o);
}

void
room_clear_occupants(struct room *r)
{
	struct occupant	*o, *tmp;

	HASH_ITER(hh, r->occupants, o, tmp)
		room_occupant_del(r, o);
}

void
room_clear_config(struct room *r)
{
	size_t	i;

	for (i = 0; i < r->ncfg; i++) {
		free(r->cfg_keys[i]);
		free(r->cfg_vals[i]);
		free(r->cfg_types[i]);
	}
	free(r->cfg_keys);
	free(r->cfg_vals);
	free(r->cfg_types);
	r->cfg_keys = r->cfg_vals = r->cfg_types = NULL;
	r->ncfg = 0;
	r->config_open = 0;
}

static void
room_free(struct room *r)
{
	size_t	i;

	room_clear_occupants(r);
	room_clear_config(r);
	for (i = 0; i < r->nsent; i++)
		free(r->sent[i]);
	free(r->jid);
	free(r->nick);
	if (r->password != NULL)
		explicit_bzero(r->password, strlen(r->password));
	free(r->password);
	free(r->subject);
	free(r->own_occupant_id);
	free(r->ping_id);
	free(r->catchup_after);
	room_mam_forget(r);
	free(r);
}

void
room_free_all(struct szia *sz)
{
	struct room	*r, *next;

	for (r = sz->rooms; r != NULL; r = next) {
		next = r->next;
		room_free(r);
	}
	sz->rooms = NULL;
}

/* The window of room R (opened if needed). */
struct window *
room_window(struct szia *sz, struct room *r)
{
	struct window	*w = windows_find(&sz->windows, r->jid);

	if (w != NULL && w->type == WINDOW_ROOM)
		return w;
	w = windows_open(&sz->windows, WINDOW_ROOM, r->jid);
	room_retitle(sz, r);
	core_load_history(sz, w, settings_num(&sz->settings,
	    SET_HISTORY_LINES));
	sz->dirty |= DIRTY_STATUS;
	return w;
}

void
room_retitle(struct szia *sz, struct room *r)
{
	struct window	*w = windows_find(&sz->windows, r->jid);

	if (w == NULL || w->type != WINDOW_ROOM)
		return;
	free(w->title);
	w->title = xasprintf("%s%s%s%s", r->jid,
	    r->state == ROOM_JOINED ? "" : " (not joined)",
	    r->subject != NULL && *r->subject != '\0' ? ": " : "",
	    r->subject != NULL ? r->subject : "");
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_TITLE;
}

/* Our default nick: the local part of the account's JID. */
static char *
room_default_nick(struct szia *sz)
{
	const char	*bare = sz->session.bare;
	const char	*at;

	if (bare == NULL || (at = strchr(bare, '@')) == NULL)
		return xstrdup("szia");
	return xstrndup(bare, at - bare);
}

/* Send the join presence for R (XEP-0045 7.2). */
static void
room_send_join(struct szia *sz, struct room *r)
{
	struct req_muc	*m;
	struct logmsg	*msgs = NULL;
	char		*cause = NULL;
	int		 n = -1;

	m = room_req(sz, MUC_JOIN, r->jid);
	m->to = xasprintf("%s/%s", r->jid, r->nick);
	m->password = xstrdup_or_null(r->password);
	/*
	 * A room that stamped our logged messages with its stanza-id keeps
	 * an archive: no history in the join, the archive fills the gap
	 * once joined (room-mam.c).  Otherwise the history since the last
	 * message we logged, else the last few.
	 */
	free(r->catchup_after);
	r->catchup_after = NULL;
	room_mam_forget(r);
	if (sz->log != NULL && sz->log->newest_stanza_id != NULL)
		r->catchup_after = sz->log->newest_stanza_id(sz->log_ctx,
		    r->jid);
	if (r->catchup_after != NULL)
		m->maxstanzas = 0;
	else {
		if (sz->log != NULL)
			n = sz->log->recent(sz->log_ctx, r->jid, 0, 1, &msgs,
			    &cause);
		free(cause);
		if (n > 0)
			m->since = msgs[0].ts + 1;
		else
			m->maxstanzas = settings_num(&sz->settings,
			    SET_HISTORY_LINES);
		if (n >= 0)
			sz->log->free_msgs(sz->log_ctx, msgs, n);
	}
	r->state = ROOM_JOINING;
	r->last_heard = sz->now;
	free(r->ping_id);
	r->ping_id = NULL;
	room_clear_occupants(r);
	room_retitle(sz, r);
}

struct window *
core_join_room(struct szia *sz, const char *room, const char *nick,
    const char *password)
{
	struct jid	*j;
	struct room	*r;
	struct window	*w;
	char		*cause = NULL;

	if ((j = jid_parse(room, &cause)) == NULL || j->local == NULL ||
	    j->resource != NULL) {
		core_error(sz, NULL, "Cannot join '%s': a room is a bare JID "
		    "like room@conference.example.org%s%s.", room,
		    cause != NULL ? ": " : "", cause != NULL ? cause : "");
		free(cause);
		jid_free(j);
		return NULL;
	}
	if (nick != NULL) {
		char		*full = xasprintf("%s/%s", j->bare, nick);
		int		 ok = jid_valid(full) && *nick != '\0';

		free(full);
		if (!ok) {
			core_error(sz, NULL, "Cannot join %s: '%s' is not a "
			    "valid nick.", j->bare, nick);
			jid_free(j);
			return NULL;
		}
	}
	if ((r = room_find(sz, j->bare)) != NULL &&
	    r->state != ROOM_OUT) {
		jid_free(j);
		return room_window(sz, r);
	}
	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		r->jid = xstrdup(j->bare);
		r->state = ROOM_OUT;
		r->next = sz->rooms;
		sz->rooms = r;
	}
	jid_free(j);
	if (nick != NULL)
		str_replace(&r->nick, nick);
	else if (r->nick == NULL)
		r->nick = room_default_nick(sz);
	if (password != NULL)
		str_replace(&r->password, password);
	r->rejoin = 1;
	w = room_window(sz, r);
	if (sz->session.state != CONN_ONLINE) {
		core_info(sz, w, "Not connected: joining %s when connected.",
		    r->jid);
		return w;
	}
	core_info(sz, w, "Joining %s as %s...", r->jid, r->nick);
	room_send_join(sz, r);
	return w;
}

void
room_rejoin(struct szia *sz, struct room *r)
{
	r->rejoin = 1;
	if (sz->session.state == CONN_ONLINE)
		room_send_join(sz, r);
}

void
room_leave(struct szia *sz, struct room *r, const char *reason)
{
	struct req_muc	*m;

	r->rejoin = 0;
	if (r->state != ROOM_OUT && sz->session.state == CONN_ONLINE) {
		m = room_req(sz, MUC_LEAVE, r->jid);
		m->to = xasprintf("%s/%s", r->jid, r->nick);
		m->reason = xstrdup_or_null(reason);
	}
	r->state = ROOM_OUT;
	room_clear_occupants(r);
	room_retitle(sz, r);
	sz->dirty |= DIRTY_ROSTER;
}

void
room_remember_sent(struct room *r, const char *id)
{
	if (r->nsent == ROOM_SENT_IDS) {
		free(r->sent[0]);
		memmove(r->sent, r->sent + 1, (ROOM_SENT_IDS - 1) *
		    sizeof *r->sent);
		r->nsent--;
	}
	r->sent[r->nsent++] = xstrdup(id);
}

int
room_is_own_echo(struct room *r, const char *id)
{
	size_t	i;

	if (id == NULL)
		return 0;
	for (i = 0; i < r->nsent; i++) {
		if (strcmp(r->sent[i], id) == 0)
			return 1;
	}
	return 0;
}

int
room_send(struct szia *sz, struct window *w, const char *body)
{
	struct room	*r = room_of_window(sz, w);
	struct req	*q;
	struct line	*l;
	char		*text;
	time_t		 now = clock_wall();

	if (r == NULL || r->state != ROOM_JOINED ||
	    sz->session.state != CONN_ONLINE) {
		core_error(sz, w, "Not in the room: message not sent (/join "
		    "%s first).", w->name);
		return -1;
	}
	q = req_new(REQ_MESSAGE);
	q->message.to = xstrdup(r->jid);
	q->message.body = xstrdup(body);
	q->message.id = rand_id();
	q->message.type = xstrdup("groupchat");
	room_remember_sent(r, q->message.id);
	core_log(sz, r->jid, sz->session.bound, r->jid, 1, now, "groupchat",
	    body, q->message.id, q->message.id, NULL);
	text = utf8_sanitize(body, strlen(body), UTF8_KEEP_NEWLINES);
	l = window_add(w, now, LINE_OUT, 0, r->nick, text);
	l->msg_id = xstrdup(q->message.id);	/* for /correct */
	free(text);
	outbox_push(&sz->outbox, q);
	w->scroll = 0;
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
	return 0;
}

struct window *
room_open_private(struct szia *sz, struct room *r, const char *nick,
    int select)
{
	struct window	*w;
	char		*name = xasprintf("%s/%s", r->jid, nick), *safe;

	w = windows_find(&sz->windows, name);
	if (w == NULL || w->type != WINDOW_PRIVATE) {
		w = windows_open(&sz->windows, WINDOW_PRIVATE, name);
		safe = utf8_safe(name);
		free(w->title);
		w->title = xasprintf("%s (private, in %s)", safe, r->jid);
		free(safe);
		core_load_history(sz, w, settings_num(&sz->settings,
		    SET_HISTORY_LINES));
		sz->dirty |= DIRTY_STATUS;
	}
	free(name);
	if (select)
		core_select_window(sz, w);
	return w;
}

int
room_mentions(struct szia *sz, struct room *r, const char *text)
{
	const char	*words = settings_str(&sz->settings,
			    SET_MUC_HIGHLIGHT_WORDS);
	char		*copy, *tok, *save = NULL;
	int		 hit = 0;

	if (r->nick != NULL && *r->nick != '\0' &&
	    strcasestr(text, r->nick) != NULL)
		return 1;
	copy = xstrdup(words != NULL ? words : "");
	for (tok = strtok_r(copy, ",", &save); tok != NULL && !hit;
	    tok = strtok_r(NULL, ",", &save)) {
		tok = str_trim(tok);
		if (*tok != '\0' && strcasestr(text, tok) != NULL)
			hit = 1;
	}
	free(copy);
	return hit;
}

void
room_on_connected(struct szia *sz)
{
	struct room	*r;

	for (r = sz->rooms; r != NULL; r = r->next) {
		if (!r->rejoin)
			continue;
		core_info(sz, room_window(sz, r), "Rejoining %s as %s...",
		    r->jid, r->nick);
		room_send_join(sz, r);
	}
}

void
room_on_disconnected(struct szia *sz)
{
	struct room	*r;

	for (r = sz->rooms; r != NULL; r = r->next) {
		if (r->state == ROOM_OUT)
			continue;
		r->state = ROOM_OUT;
		room_clear_occupants(r);
		room_retitle(sz, r);
		core_info(sz, room_window(sz, r), "Disconnected: out of %s "
		    "until the connection is back.", r->jid);
	}
	sz->dirty |= DIRTY_ROSTER;
}

void
room_selfping(struct szia *sz, struct room *r)
{
	struct req_muc	*m;

	if (r->state != ROOM_JOINED || r->ping_id != NULL ||
	    sz->session.state != CONN_ONLINE)
		return;
	m = room_req(sz, MUC_PING, r->jid);
	m->to = xasprintf("%s/%s", r->jid, r->nick);
	m->id = rand_id();
	r->ping_id = xstrdup(m->id);
	r->last_heard = sz->now;
}

static uint64_t
room_ping_ms(const struct szia *sz)
{
	return (uint64_t)settings_num(&sz->settings, SET_MUC_SELFPING) * 1000;
}

void
room_tick(struct szia *sz, uint64_t now)
{
	struct room	*r;
	uint64_t	 iv = room_ping_ms(sz);

	if (iv == 0 || sz->session.state != CONN_ONLINE)
		return;
	for (r = sz->rooms; r != NULL; r = r->next) {
		/* A ping nobody answered: forget it, ping again. */
		if (r->ping_id != NULL && now >= r->last_heard +
		    ROOM_PING_TIMEOUT) {
			free(r->ping_id);
			r->ping_id = NULL;
		}
		if (r->state == ROOM_JOINED && r->ping_id == NULL &&
		    now >= r->last_heard + iv)
			room_selfping(sz, r);
	}
}

int
room_timeout(const struct szia *sz, uint64_t now)
{
	struct room	*r;
	uint64_t	 iv = room_ping_ms(sz), at = 0, next;

	if (iv == 0 || sz->session.state != CONN_ONLINE)
		return -1;
	for (r = sz->rooms; r != NULL; r = r->next) {
		if (r->state != ROOM_JOINED)
			continue;
		next = r->last_heard + (r->ping_id != NULL ?
		    ROOM_PING_TIMEOUT : iv);
		if (at == 0 || next < at)
			at = next;
	}
	if (at == 0)
		return -1;
	if (at <= now)
		return 0;
	return at - now > 3600000 ? 3600000 : (int)(at - now);
}

char *
room_history_who(const struct logmsg *m)
{
	char	*res = m->from_jid != NULL ? jid_resource(m->from_jid) : NULL;
	char	*safe = utf8_safe(res != NULL ? res : "?");

	free(res);
	return safe;
}

void
room_forget(struct szia *sz, struct room *r)
{
	struct room	**pp;

	room_leave(sz, r, NULL);
	for (pp = &sz->rooms; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			room_free(r);
			return;
		}
	}
}

void
room_send_presence(struct szia *sz)
{
	struct room	*r;
	struct req_muc	*m;

	for (r = sz->rooms; r != NULL; r = r->next) {
		if (r->state != ROOM_JOINED)
			continue;
		m = room_req(sz, MUC_NICK, r->jid);
		m->to = xasprintf("%s/%s", r->jid, r->nick);
	}
}

const char *
room_occupant_id(struct szia *sz, const char *full)
{
	char		*bare = jid_bare(full), *nick = jid_resource(full);
	struct room	*r = room_find(sz, bare);
	struct occupant	*o = r != NULL ? room_occupant(r, nick) : NULL;

	free(bare);
	free(nick);
	return o != NULL ? o->occupant_id : NULL;
}
