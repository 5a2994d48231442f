/*
 * room-handle.c - what rooms send us (EV_MUC, see room.h): occupant
 * presence and status codes, groupchat messages and subjects, private
 * messages, invitations and the answers to our admin/owner/ping IQs.
 *
 * Origins: room presence and groupchat messages count only when they come
 * from a room in sz->rooms (from its bare JID or one of its occupants);
 * anything else is logged and dropped.  Every remote string is sanitised
 * before it reaches a window.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static int
has_code(const struct ev_muc *ev, int code)
{
	size_t	i;

	for (i = 0; i < ev->ncodes; i++) {
		if (ev->codes[i] == code)
			return 1;
	}
	return 0;
}

static enum muc_role
parse_role(const char *s)
{
	if (s == NULL)
		return ROLE_NONE;
	if (strcmp(s, "moderator") == 0)
		return ROLE_MODERATOR;
	if (strcmp(s, "participant") == 0)
		return ROLE_PARTICIPANT;
	if (strcmp(s, "visitor") == 0)
		return ROLE_VISITOR;
	return ROLE_NONE;
}

static enum muc_affil
parse_affil(const char *s)
{
	if (s == NULL)
		return AFFIL_NONE;
	if (strcmp(s, "owner") == 0)
		return AFFIL_OWNER;
	if (strcmp(s, "admin") == 0)
		return AFFIL_ADMIN;
	if (strcmp(s, "member") == 0)
		return AFFIL_MEMBER;
	if (strcmp(s, "outcast") == 0)
		return AFFIL_OUTCAST;
	return AFFIL_NONE;
}

/* A line in room R's window; counts as unread if not current. */
static struct line *
room_line(struct szia *sz, struct room *r, enum line_kind kind,
    const char *who, const char *text, time_t ts, int flags)
{
	struct window	*w = room_window(sz, r);
	struct line	*l;

	l = window_add(w, ts != 0 ? ts : clock_wall(), kind, flags, who,
	    text);
	if (w == sz->windows.current || kind == LINE_IN || kind == LINE_ERROR)
		core_window_news(sz, w, (flags & LINE_HIGHLIGHT) != 0);
	return l;
}

static void
room_linef(struct szia *sz, struct room *r, enum line_kind kind,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
room_linef(struct szia *sz, struct room *r, enum line_kind kind,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	room_line(sz, r, kind, NULL, text, 0, 0);
	free(text);
}

/* " (by ACTOR: REASON)" for kicks and bans, sanitised. */
static char *
actor_reason(const struct ev_muc *ev)
{
	char	*a = ev->actor != NULL ? utf8_safe(ev->actor) : NULL;
	char	*r = ev->reason != NULL ? utf8_safe(ev->reason) : NULL;
	char	*out;

	out = xasprintf("%s%s%s%s%s%s", a != NULL || r != NULL ? " (" : "",
	    a != NULL ? "by " : "", a != NULL ? a : "",
	    a != NULL && r != NULL ? ": " : "", r != NULL ? r : "",
	    a != NULL || r != NULL ? ")" : "");
	free(a);
	free(r);
	return out;
}

static void
join_error(struct szia *sz, struct room *r, const struct ev_muc *ev)
{
	const char	*c = ev->error != NULL ? ev->error : "";
	char		*text = ev->error_text != NULL ?
			    utf8_safe(ev->error_text) : NULL;
	char		*nick = utf8_safe(r->nick);

	if (r->state == ROOM_JOINED) {
		/* A nick change or presence update was refused. */
		room_linef(sz, r, LINE_ERROR, "The room refused that: %s%s%s%s",
		    strcmp(c, "conflict") == 0 ? "the nick is taken" :
		    strcmp(c, "not-acceptable") == 0 ? "that nick is not "
		    "acceptable here" : c, text != NULL ? " (" : "",
		    text != NULL ? text : "", text != NULL ? ")" : "");
		free(text);
		free(nick);
		return;
	}
	r->state = ROOM_OUT;
	r->rejoin = 0;
	if (strcmp(c, "conflict") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: the nick '%s' "
		    "is already in use; try /join %s/OTHERNICK.", r->jid, nick,
		    r->jid);
	else if (strcmp(c, "registration-required") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: the room is "
		    "members-only; ask an admin of the room to make you a "
		    "member.", r->jid);
	else if (strcmp(c, "forbidden") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: you are banned "
		    "from this room.", r->jid);
	else if (strcmp(c, "not-authorized") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: the room needs a "
		    "password: /join %s PASSWORD.", r->jid, r->jid);
	else if (strcmp(c, "service-unavailable") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: the room is full; "
		    "try again later.", r->jid);
	else if (strcmp(c, "item-not-found") == 0 ||
	    strcmp(c, "remote-server-not-found") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: no such room or "
		    "service; check the address.", r->jid);
	else if (strcmp(c, "not-allowed") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: the room does not "
		    "exist and you may not create it.", r->jid);
	else if (strcmp(c, "jid-malformed") == 0 ||
	    strcmp(c, "not-acceptable") == 0)
		room_linef(sz, r, LINE_ERROR, "Cannot join %s: the nick '%s' is "
		    "not acceptable; try /join %s/OTHERNICK.", r->jid, nick,
		    r->jid);
	else {
		char	*cs = utf8_safe(c);

		room_linef(sz, r, LINE_ERROR, "Cannot join %s: %s%s%s%s.",
		    r->jid, *cs != '\0' ? cs : "error", text != NULL ? " (" :
		    "", text != NULL ? text : "", text != NULL ? ")" : "");
		free(cs);
	}
	room_retitle(sz, r);
	free(text);
	free(nick);
}

static struct occupant *
occupant_get(struct room *r, const char *nick)
{
	struct occupant	*o = room_occupant(r, nick);

	if (o == NULL) {
		o = xcalloc(1, sizeof *o);
		o->nick = xstrdup(nick);
		o->safe = utf8_safe(nick);
		HASH_ADD_KEYPTR(hh, r->occupants, o->nick, strlen(o->nick), o);
	}
	return o;
}

static void
self_gone(struct szia *sz, struct room *r)
{
	r->state = ROOM_OUT;
	r->rejoin = 0;
	room_clear_occupants(r);
	room_retitle(sz, r);
}

static void
presence_unavailable(struct szia *sz, struct room *r, const char *nick,
    const struct ev_muc *ev, int self)
{
	struct occupant	*o = room_occupant(r, nick);
	char		*safe = utf8_safe(nick), *ar = actor_reason(ev);
	char		*nn, *st;

	if (has_code(ev, 303) && ev->new_nick != NULL) {
		nn = utf8_safe(ev->new_nick);
		if (o != NULL && room_occupant(r, ev->new_nick) == NULL) {
			/* Rename: the presence under the new nick follows
			 * and must not read as a join. */
			HASH_DEL(r->occupants, o);
			free(o->nick);
			free(o->safe);
			o->nick = xstrdup(ev->new_nick);
			o->safe = xstrdup(nn);
			HASH_ADD_KEYPTR(hh, r->occupants, o->nick,
			    strlen(o->nick), o);
		} else if (o != NULL)
			room_occupant_del(r, o);
		if (self) {
			str_replace(&r->nick, ev->new_nick);
			room_linef(sz, r, LINE_PRESENCE, "You are now known as "
			    "%s.", nn);
		} else
			room_linef(sz, r, LINE_PRESENCE, "%s is now known as "
			    "%s.", safe, nn);
		free(nn);
	} else if (ev->destroyed) {
		room_linef(sz, r, LINE_ERROR, "The room %s was destroyed%s.",
		    r->jid, ar);
		self_gone(sz, r);
	} else if (has_code(ev, 307) || has_code(ev, 301)) {
		const char *what = has_code(ev, 301) ? "banned" : "kicked";

		if (self) {
			room_linef(sz, r, LINE_ERROR, "You were %s from %s%s.%s",
			    what, r->jid, ar, has_code(ev, 307) ?
			    " /join to go back." : "");
			self_gone(sz, r);
		} else {
			room_linef(sz, r, LINE_PRESENCE, "%s was %s%s.", safe,
			    what, ar);
			if (o != NULL)
				room_occupant_del(r, o);
		}
	} else if (has_code(ev, 321) || has_code(ev, 322) ||
	    has_code(ev, 332)) {
		const char *why = has_code(ev, 321) ? "an affiliation change" :
		    has_code(ev, 322) ? "the room becoming members-only" :
		    "a system shutdown";

		if (self) {
			room_linef(sz, r, LINE_ERROR, "You were removed from %s "
			    "because of %s.", r->jid, why);
			self_gone(sz, r);
		} else {
			room_linef(sz, r, LINE_PRESENCE, "%s was removed "
			    "because of %s.", safe, why);
			if (o != NULL)
				room_occupant_del(r, o);
		}
	} else if (self) {
		/* Unasked (no /leave): the server ended our presence, as
		 * Prosody does for each room while it closes our session.
		 * r->rejoin stays, so a reconnect joins again. */
		if (r->rejoin)
			room_linef(sz, r, LINE_PRESENCE, "The server took you "
			    "out of %s; szia joins it again after a reconnect "
			    "(or /join now).", r->jid);
		else
			room_linef(sz, r, LINE_PRESENCE, "You left %s.",
			    r->jid);
		r->state = ROOM_OUT;
		room_clear_occupants(r);
		room_retitle(sz, r);
	} else {
		st = ev->status != NULL ? utf8_safe(ev->status) : NULL;
		if (r->state == ROOM_JOINED)
			room_linef(sz, r, LINE_PRESENCE, "%s left%s%s%s.", safe,
			    st != NULL ? " (" : "", st != NULL ? st : "",
			    st != NULL ? ")" : "");
		free(st);
		if (o != NULL)
			room_occupant_del(r, o);
	}
	free(safe);
	free(ar);
}

static void
handle_presence(struct szia *sz, const struct ev_muc *ev)
{
	struct room	*r;
	struct occupant	*o;
	char		*bare = jid_bare(ev->from), *nick;
	int		 self, fresh;

	if ((r = room_find(sz, bare)) == NULL) {
		log_warn("muc: presence from %s, not a room of ours: ignored",
		    bare != NULL ? bare : "(invalid)");
		free(bare);
		return;
	}
	free(bare);
	nick = jid_resource(ev->from);
	if (ev->error != NULL) {
		if (r->state != ROOM_OUT)
			join_error(sz, r, ev);
		free(nick);
		return;
	}
	if (nick == NULL || r->state == ROOM_OUT) {
		free(nick);
		return;
	}
	r->last_heard = sz->now;
	self = has_code(ev, 110) || strcmp(nick, r->nick) == 0;
	if (!ev->available) {
		presence_unavailable(sz, r, nick, ev, self);
		free(nick);
		sz->dirty |= DIRTY_ROSTER;
		return;
	}
	fresh = room_occupant(r, nick) == NULL;
	o = occupant_get(r, nick);
	o->role = parse_role(ev->role);
	o->affil = parse_affil(ev->affiliation);
	o->show = ev->show;
	free(o->status);
	o->status = ev->status != NULL ? utf8_safe(ev->status) : NULL;
	if (ev->jid != NULL)
		str_replace(&o->jid, ev->jid);
	if (ev->occupant_id != NULL)
		str_replace(&o->occupant_id, ev->occupant_id);
	if (self && r->state == ROOM_JOINING) {
		r->state = ROOM_JOINED;
		if (has_code(ev, 210) && strcmp(nick, r->nick) != 0) {
			str_replace(&r->nick, nick);
			room_linef(sz, r, LINE_INFO, "The room changed your nick "
			    "to %s.", o->safe);
		}
		str_replace(&r->own_occupant_id, ev->occupant_id);
		room_linef(sz, r, LINE_PRESENCE, "You joined %s as %s (%s, %s).",
		    r->jid, o->safe, room_role_name(o->role),
		    room_affil_name(o->affil));
		if (has_code(ev, 201)) {
			/* A new room is locked until configured (10.1.2):
			 * accept the default configuration. */
			room_req(sz, MUC_CONFIG_SUBMIT, r->jid);
			room_linef(sz, r, LINE_INFO, "Created the room %s with "
			    "the default configuration (/config to change "
			    "it).", r->jid);
		}
		room_retitle(sz, r);
		room_mam_catchup(sz, r);
	} else if (fresh && r->state == ROOM_JOINED && !self)
		room_linef(sz, r, LINE_PRESENCE, "%s joined%s%s%s.", o->safe,
		    o->role == ROLE_MODERATOR ? " (moderator)" : "",
		    o->role == ROLE_VISITOR ? " (visitor)" : "", "");
	free(nick);
	sz->dirty |= DIRTY_ROSTER;
}

/*
 * Who wrote a room message, for corrections: the occupant-id (XEP-0421)
 * when the room gives one to every occupant (it stamps ours too, so it
 * overwrites any an occupant forged), else the occupant's full JID.
 */
static char *
room_sender_key(const struct room *r, const struct ev_muc *ev)
{
	if (r->own_occupant_id != NULL && ev->occupant_id != NULL)
		return xasprintf("occupant-id:%s", ev->occupant_id);
	if (strchr(ev->from, '/') == NULL)
		return NULL;		/* the room itself */
	return xstrdup(ev->from);
}

static void
handle_groupchat(struct szia *sz, const struct ev_muc *ev)
{
	struct room	*r;
	struct line	*l;
	char		*bare, *nick, *who, *body, *key;
	time_t		 ts = clock_wall();
	int		 flags = 0, applied;

	/* The XMPP layer parsed it already (ev->from_bare). */
	bare = ev->from_bare != NULL ? xstrdup(ev->from_bare) :
	    jid_bare(ev->from);
	if ((r = room_find(sz, bare)) == NULL || r->state == ROOM_OUT) {
		log_warn("muc: groupchat message from %s, a room we are not "
		    "in: ignored", bare != NULL ? bare : "(invalid)");
		free(bare);
		return;
	}
	free(bare);
	r->last_heard = sz->now;
	nick = jid_resource(ev->from);
	if (ev->error != NULL) {
		char *e = utf8_safe(ev->error_text != NULL ? ev->error_text :
		    ev->error);

		room_linef(sz, r, LINE_ERROR, "The room refused a message: %s%s",
		    e, strcmp(ev->error, "forbidden") == 0 ? " (you may not "
		    "speak here: no voice?)" : "");
		free(e);
		free(nick);
		return;
	}
	if (ev->delay != 0 && ev->delay < ts - 1) {
		ts = ev->delay;
		flags |= LINE_DELAYED;
	}
	who = nick != NULL ? utf8_safe(nick) : NULL;
	if (ev->subject != NULL && ev->body == NULL) {
		free(r->subject);
		r->subject = utf8_safe(ev->subject);
		room_retitle(sz, r);
		if (*r->subject != '\0')
			room_linef(sz, r, LINE_INFO, "Topic%s%s: %s",
			    who != NULL ? " set by " : "",
			    who != NULL ? who : "", r->subject);
		else
			room_linef(sz, r, LINE_INFO, "No topic.");
		free(who);
		free(nick);
		return;
	}
	if (ev->body == NULL) {
		free(who);
		free(nick);
		return;
	}
	/* Our own message coming back: shown and logged when sent. */
	if (nick != NULL && strcmp(nick, r->nick) == 0 &&
	    (room_is_own_echo(r, ev->origin_id) ||
	    room_is_own_echo(r, ev->id))) {
		free(who);
		free(nick);
		return;
	}
	key = room_sender_key(r, ev);
	/* XEP-0308: only the occupant who wrote it may correct a line. */
	applied = ev->replace_id != NULL && key != NULL &&
	    core_apply_correction(sz, room_window(sz, r), ev->replace_id, key,
	    ev->id, ev->body);
	core_log_edit(sz, r->jid, ev->from, sz->session.bound, 0, ts,
	    "groupchat", ev->body, ev->id, ev->origin_id, ev->stanza_id,
	    applied ? ev->replace_id : NULL);
	if (applied) {
		free(key);
		free(who);
		free(nick);
		return;
	}
	body = utf8_sanitize(ev->body, strlen(ev->body), UTF8_KEEP_NEWLINES);
	if (nick != NULL && strcmp(nick, r->nick) != 0 &&
	    !(flags & LINE_DELAYED) && room_mentions(sz, r, ev->body))
		flags |= LINE_HIGHLIGHT;
	l = room_line(sz, r, nick != NULL ? LINE_IN : LINE_INFO, who, body,
	    ts, flags);
	if (key != NULL && ev->id != NULL) {
		l->msg_id = xstrdup(ev->id);
		l->sender = key;
		key = NULL;
	}
	free(key);
	free(body);
	free(who);
	free(nick);
}

static void
handle_private(struct szia *sz, const struct ev_muc *ev)
{
	struct room	*r;
	struct window	*w;
	char		*bare = jid_bare(ev->from), *nick, *who, *body;

	r = room_find(sz, bare);
	free(bare);
	nick = r != NULL ? jid_resource(ev->from) : NULL;
	if (nick == NULL) {
		log_warn("muc: private message from %s, not an occupant of a "
		    "room of ours: ignored", ev->from);
		return;
	}
	w = room_open_private(sz, r, nick, 0);
	if (ev->error != NULL) {
		char *e = utf8_safe(ev->error_text != NULL ? ev->error_text :
		    ev->error);

		core_error(sz, w, "Private message not delivered: %s", e);
		free(e);
		free(nick);
		return;
	}
	if (ev->body == NULL) {
		free(nick);
		return;
	}
	core_log(sz, w->name, ev->from, sz->session.bound, 0, clock_wall(),
	    "chat", ev->body, ev->id, ev->origin_id, NULL);
	who = utf8_safe(nick);
	body = utf8_sanitize(ev->body, strlen(ev->body), UTF8_KEEP_NEWLINES);
	window_add(w, clock_wall(), LINE_IN, 0, who, body);
	core_window_news(sz, w, 1);	/* a private message is for us */
	free(who);
	free(body);
	free(nick);
}

static void
handle_invite(struct szia *sz, const struct ev_muc *ev)
{
	struct window	*con = windows_console(&sz->windows);
	struct jid	*j;
	char		*cause = NULL, *inviter, *reason, *pw;

	j = ev->room != NULL ? jid_parse(ev->room, &cause) : NULL;
	if (j == NULL || j->local == NULL || j->resource != NULL ||
	    strcmp(j->bare, ev->room) != 0) {
		log_warn("muc: invitation to an invalid room JID ignored");
		core_error(sz, con, "Ignored an invitation to an invalid room "
		    "address.");
		free(cause);
		jid_free(j);
		return;
	}
	inviter = utf8_safe(ev->inviter != NULL ? ev->inviter : "someone");
	reason = ev->reason != NULL ? utf8_safe(ev->reason) : NULL;
	/* The password is shown only as a command argument; quote it. */
	pw = ev->password != NULL && *ev->password != '\0' &&
	    strpbrk(ev->password, " \t\"\\") == NULL ?
	    utf8_safe(ev->password) : NULL;
	core_info(sz, con, "%s invites you to %s%s%s%s%s. To accept: /join "
	    "%s%s%s", inviter, j->bare, ev->direct ? "" : " (via the room)",
	    reason != NULL ? " (" : "", reason != NULL ? reason : "",
	    reason != NULL ? ")" : "", j->bare, pw != NULL ? " " : "",
	    pw != NULL ? pw : "");
	core_window_news(sz, con, 1);
	free(inviter);
	free(reason);
	free(pw);
	jid_free(j);
}

static const char *const config_common[] = {
	"muc#roomconfig_roomname", "muc#roomconfig_roomdesc",
	"muc#roomconfig_persistentroom", "muc#roomconfig_publicroom",
	"muc#roomconfig_membersonly", "muc#roomconfig_moderatedroom",
	"muc#roomconfig_passwordprotectedroom", "muc#roomconfig_roomsecret",
	"muc#roomconfig_whois", "muc#roomconfig_maxusers", NULL
};

/* The short name of a config field: "roomname" for its var. */
const char *
room_config_short(const char *var)
{
	return strncmp(var, "muc#roomconfig_", 15) == 0 ? var + 15 : var;
}

void
room_config_show(struct szia *sz, struct room *r)
{
	const char *const	*c;
	size_t			 i;

	room_linef(sz, r, LINE_INFO, "Configuration of %s (/config set FIELD "
	    "VALUE, then /config submit or /config cancel):", r->jid);
	for (c = config_common; *c != NULL; c++) {
		for (i = 0; i < r->ncfg; i++) {
			if (strcmp(r->cfg_keys[i], *c) == 0)
				room_linef(sz, r, LINE_INFO, "  %s = %s",
				    room_config_short(*c), r->cfg_vals[i]);
		}
	}
}

static void
iq_config(struct szia *sz, struct room *r, const struct ev_muc *ev)
{
	size_t	i, n = 0;

	room_clear_config(r);
	r->cfg_keys = xcalloc(ev->nfields + 1, sizeof *r->cfg_keys);
	r->cfg_vals = xcalloc(ev->nfields + 1, sizeof *r->cfg_vals);
	r->cfg_types = xcalloc(ev->nfields + 1, sizeof *r->cfg_types);
	for (i = 0; i < ev->nfields; i++) {
		if (ev->fields[i].var == NULL || (ev->fields[i].type != NULL &&
		    strcmp(ev->fields[i].type, "fixed") == 0))
			continue;
		r->cfg_keys[n] = utf8_safe(ev->fields[i].var);
		/* A boolean without a value is false (XEP-0004). */
		r->cfg_vals[n] = utf8_safe(ev->fields[i].value != NULL ?
		    ev->fields[i].value : ev->fields[i].type != NULL &&
		    strcmp(ev->fields[i].type, "boolean") == 0 ? "0" : "");
		r->cfg_types[n] = utf8_safe(ev->fields[i].type != NULL ?
		    ev->fields[i].type : "text-single");
		n++;
	}
	r->ncfg = n;
	r->config_open = 1;
	room_config_show(sz, r);
}

static void
handle_iq(struct szia *sz, const struct ev_muc *ev)
{
	static const char *const what[] = {
		[MUC_IQ_ADMIN] = "Change", [MUC_IQ_LIST] = "List",
		[MUC_IQ_CONFIG_GET] = "/config", [MUC_IQ_CONFIG_SET] =
		"Configuration", [MUC_IQ_DESTROY] = "/destroy",
		[MUC_IQ_PING] = "Self-ping",
	};
	struct room	*r;
	char		*bare = jid_bare(ev->iq_from), *e;
	const char	*c = ev->error != NULL ? ev->error : "";
	size_t		 i;

	r = room_find(sz, bare);
	free(bare);
	if (r == NULL)
		return;
	if (ev->iq == MUC_IQ_PING) {
		free(r->ping_id);
		r->ping_id = NULL;
		r->last_heard = sz->now;
		if (ev->ok || strcmp(c, "service-unavailable") == 0 ||
		    strcmp(c, "feature-not-implemented") == 0 ||
		    r->state != ROOM_JOINED)
			return;		/* still joined */
		if (strcmp(c, "not-acceptable") == 0 ||
		    strcmp(c, "item-not-found") == 0 ||
		    strcmp(c, "remote-server-not-found") == 0 ||
		    strcmp(c, "not-allowed") == 0) {
			room_linef(sz, r, LINE_ERROR, "You were no longer in "
			    "%s (self-ping: %s): rejoining.", r->jid, c);
			room_rejoin(sz, r);
		}
		return;
	}
	if (!ev->ok) {
		e = utf8_safe(ev->error_text != NULL ? ev->error_text : c);
		room_linef(sz, r, LINE_ERROR, "%s refused by %s: %s%s",
		    what[ev->iq], r->jid, e, strcmp(c, "forbidden") == 0 ||
		    strcmp(c, "not-allowed") == 0 ? " (you lack the "
		    "privileges for that)" : "");
		free(e);
		return;
	}
	switch (ev->iq) {
	case MUC_IQ_ADMIN:
		room_linef(sz, r, LINE_INFO, "Done.");
		break;
	case MUC_IQ_LIST:
		room_linef(sz, r, LINE_INFO, "%zu entr%s:", ev->nitems,
		    ev->nitems == 1 ? "y" : "ies");
		for (i = 0; i < ev->nitems; i++) {
			e = utf8_safe(ev->items_jid[i] != NULL ?
			    ev->items_jid[i] : "?");
			room_linef(sz, r, LINE_INFO, "  %s", e);
			free(e);
		}
		break;
	case MUC_IQ_CONFIG_GET:
		iq_config(sz, r, ev);
		break;
	case MUC_IQ_CONFIG_SET:
		room_linef(sz, r, LINE_INFO, "Configuration of %s saved.",
		    r->jid);
		break;
	case MUC_IQ_DESTROY:
		room_linef(sz, r, LINE_INFO, "Room %s destroyed.", r->jid);
		break;
	case MUC_IQ_PING:
		break;
	}
}

void
room_handle(struct szia *sz, const struct ev_muc *ev)
{
	if (ev == NULL)
		return;
	switch (ev->kind) {
	case MUC_EV_PRESENCE:
		handle_presence(sz, ev);
		break;
	case MUC_EV_MESSAGE:
		handle_groupchat(sz, ev);
		break;
	case MUC_EV_PRIVATE:
		handle_private(sz, ev);
		break;
	case MUC_EV_INVITE:
		handle_invite(sz, ev);
		break;
	case MUC_EV_IQ:
		handle_iq(sz, ev);
		break;
	}
}
