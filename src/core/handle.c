/*
 * handle.c - the core's side of the network: events from src/xmpp/ update
 * the roster, the windows and the log (see event.h).
 *
 * Everything in an event is remote text.  JIDs are parsed and normalised
 * before they are used as keys; anything shown is sanitised first
 * (utf8_safe / utf8_sanitize), so no control character or escape sequence
 * from the network reaches the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "core/session.h"
#include "core/sync.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Validate and sanitise a roster item; returns 0 or -1 (dropped). */
static int
handle_item(struct szia *sz, const struct ev_item *in)
{
	struct ev_item	 item = *in;
	char		*bare, *name = NULL, **groups = NULL;
	size_t		 i;
	struct contact	*c;

	if ((bare = jid_bare(in->jid)) == NULL) {
		log_warn("roster: dropping item with invalid jid");
		return -1;
	}
	item.jid = bare;
	if (in->name != NULL)
		item.name = name = utf8_safe(in->name);
	if (in->ngroups > 0) {
		groups = xcalloc(in->ngroups, sizeof *groups);
		for (i = 0; i < in->ngroups; i++)
			groups[i] = utf8_safe(in->groups[i]);
		item.groups = (const char **)groups;
	}
	c = roster_update(&sz->roster, &item);
	(void)c;
	core_retitle(sz, bare);
	for (i = 0; i < in->ngroups; i++)
		free(groups[i]);
	free(groups);
	free(name);
	free(bare);
	return 0;
}

static void
handle_roster(struct szia *sz, const struct ev *ev)
{
	size_t	i;

	struct window	*w;

	roster_reset_items(&sz->roster);
	for (i = 0; i < ev->roster.nitems; i++)
		handle_item(sz, &ev->roster.items[i]);
	/* Contacts the new roster dropped: their windows say so now. */
	for (w = sz->windows.head; w != NULL; w = w->next) {
		if (w->type == WINDOW_CHAT)
			core_retitle(sz, w->name);
	}
	sz->dirty |= DIRTY_ROSTER | DIRTY_TITLE;
}

static void
handle_roster_push(struct szia *sz, const struct ev *ev)
{
	char	*bare = jid_bare(ev->item.jid), *safe;

	if (handle_item(sz, &ev->item) != 0) {
		free(bare);
		return;
	}
	safe = utf8_safe(bare);
	if (ev->item.subscription != NULL &&
	    strcmp(ev->item.subscription, "remove") == 0)
		core_info(sz, windows_console(&sz->windows), "Roster: %s "
		    "removed.", safe);
	free(safe);
	free(bare);
	sz->dirty |= DIRTY_ROSTER;
}

static void
handle_presence(struct szia *sz, const struct ev *ev)
{
	struct contact	*c;
	struct window	*w;
	char		*bare, *res, *status, *err;
	enum show	 before;

	if ((bare = jid_bare(ev->presence.from)) == NULL) {
		log_warn("presence: invalid from, dropped");
		return;
	}
	if (ev->presence.error != NULL) {
		err = utf8_safe(ev->presence.error);
		core_error(sz, windows_console(&sz->windows), "Presence error "
		    "from %s: %s", bare, err);
		free(err);
		free(bare);
		return;
	}
	if (sz->session.bare != NULL && strcmp(bare, sz->session.bare) == 0) {
		free(bare);	/* our other resources: not a contact */
		return;
	}
	res = jid_resource(ev->presence.from);
	if (res != NULL) {	/* shown in the roster's resource list */
		char *safe = utf8_safe(res);

		free(res);
		res = safe;
	}
	status = ev->presence.status != NULL ?
	    utf8_safe(ev->presence.status) : NULL;
	c = roster_find(&sz->roster, bare);
	before = c != NULL ? c->show : SHOW_OFFLINE;
	c = roster_presence(&sz->roster, bare, res, ev->presence.available,
	    ev->presence.available ? ev->presence.show : SHOW_OFFLINE,
	    status, ev->presence.priority);
	if ((w = core_chat_window(sz, bare)) != NULL) {
		/* RFC 6121 5.1: a presence change unlocks the resource. */
		if (w->locked != NULL) {
			char *locked_res = jid_resource(w->locked);

			if (res == NULL || locked_res == NULL ||
			    strcmp(res, locked_res) == 0) {
				free(w->locked);
				w->locked = NULL;
			}
			free(locked_res);
		}
		if (c != NULL && c->show != before) {
			char *text = xasprintf("%s is now %s%s%s",
			    core_contact_name(sz, bare),
			    show_name(c->show), status != NULL ? ": " : "",
			    status != NULL ? status : "");

			window_add(w, clock_wall(), LINE_PRESENCE, 0, NULL,
			    text);
			free(text);
			if (w == sz->windows.current)
				sz->dirty |= DIRTY_WINDOW;
		}
	}
	if (c != NULL && c->in_roster)
		sz->dirty |= DIRTY_ROSTER;
	if (w != NULL && w == sz->windows.current)
		sz->dirty |= DIRTY_TITLE;
	free(status);
	free(res);
	free(bare);
}

static void
handle_subscription(struct szia *sz, const struct ev *ev)
{
	struct window	*con = windows_console(&sz->windows);
	char		*bare = jid_bare(ev->subscription.from);

	if (bare == NULL)
		return;
	switch (ev->subscription.sub) {
	case SUB_SUBSCRIBE:
		core_info(sz, con, "%s%s%s%s asks to see your presence: /sub "
		    "allow %s  or  /sub deny %s", bare,
		    quality_nick(sz, bare) != NULL ? " (calls itself \"" : "",
		    quality_nick(sz, bare) != NULL ? quality_nick(sz, bare) : "",
		    quality_nick(sz, bare) != NULL ? "\")" : "", bare, bare);
		core_window_news(sz, con, 0);
		break;
	case SUB_SUBSCRIBED:
		core_info(sz, con, "%s allowed you to see their presence.",
		    bare);
		break;
	case SUB_UNSUBSCRIBE:
		core_info(sz, con, "%s no longer wants to see your presence.",
		    bare);
		break;
	case SUB_UNSUBSCRIBED:
		core_info(sz, con, "%s stopped sharing their presence with "
		    "you (or denied your request).", bare);
		break;
	}
	free(bare);
}

static void
handle_message(struct szia *sz, const struct ev *ev)
{
	struct window	*w;
	struct line	*l;
	char		*bare, *body, *who, *err;
	time_t		 ts;
	int		 flags = 0, applied;

	if ((bare = jid_bare(ev->message.from)) == NULL) {
		log_warn("message: invalid from, dropped");
		return;
	}
	if (ev->message.error != NULL) {
		w = core_chat_window(sz, bare);
		err = utf8_safe(ev->message.error);
		core_error(sz, w != NULL ? w : windows_console(&sz->windows),
		    "Message to %s failed: %s", bare, err);
		free(err);
		free(bare);
		return;
	}
	if (ev->message.body == NULL) {
		free(bare);
		return;
	}
	/* A room's archive: the room code's (room-mam.c). */
	if (ev->message.archive != NULL && ev->message.type != NULL &&
	    strcmp(ev->message.type, "groupchat") == 0) {
		room_on_archived(sz, ev);
		free(bare);
		return;
	}
	/* [sync] carbons and archive results; a message logged already. */
	if (ev->message.carbon != 0 || ev->message.archive != NULL ||
	    sync_seen(sz, bare, ev)) {
		if (ev->message.carbon != 0 || ev->message.archive != NULL)
			sync_message(sz, ev);
		free(bare);
		return;
	}
	w = core_open_chat(sz, bare, 0);
	if (strchr(ev->message.from, '/') != NULL)
		str_replace(&w->locked, ev->message.from);
	ts = clock_wall();
	if (ev->message.delay != 0 && ev->message.delay < ts - 1) {
		ts = ev->message.delay;
		flags |= LINE_DELAYED;
	}
	body = utf8_sanitize(ev->message.body, strlen(ev->message.body),
	    UTF8_KEEP_NEWLINES);
	applied = quality_on_message(sz, ev, bare, w, &body);
	core_log_edit(sz, bare, ev->message.from, ev->message.to, 0, ts,
	    ev->message.type != NULL ? ev->message.type : "normal",
	    ev->message.body, ev->message.id, ev->message.origin_id,
	    ev->message.stanza_id, applied ? ev->message.replace_id : NULL);
	if (applied) {
		free(body);	/* a correction, applied in place */
		free(bare);
		return;
	}
	who = utf8_safe(core_contact_name(sz, bare));
	l = window_add(w, ts, LINE_IN, flags, who, body);
	quality_on_shown(sz, ev, bare, w, l);
	core_window_news(sz, w, 1);	/* a one-to-one message is for us */
	free(who);
	free(body);
	free(bare);
}

static void
handle_iq(struct szia *sz, const struct ev *ev)
{
	struct session	*s = &sz->session;
	char		*from = utf8_safe(ev->iq.from), *err;

	if (s->ping_id == NULL || ev->iq.id == NULL ||
	    strcmp(s->ping_id, ev->iq.id) != 0) {
		free(from);
		return;
	}
	if (ev->iq.ok)
		core_info(sz, NULL, "Pong from %s in %ld ms.", from,
		    ev->iq.rtt_ms);
	else {
		err = utf8_safe(ev->iq.error);
		core_error(sz, NULL, "Ping to %s failed: %s", from, err);
		free(err);
	}
	free(s->ping_id);
	s->ping_id = NULL;
	free(from);
}

void
core_handle(struct szia *sz, const struct ev *ev)
{
	char	*text;

	switch (ev->type) {
	case EV_CONNECTING:
		session_on_connecting(sz);
		break;
	case EV_CONNECTED:
		session_on_connected(sz, ev->connected.jid);
		room_on_connected(sz);
		sync_on_connected(sz);		/* [sync] */
		break;
	case EV_DISCONNECTED:
		room_on_disconnected(sz);
		sync_on_disconnected(sz);	/* [sync] */
		session_on_disconnected(sz, ev->disconnected.error,
		    ev->disconnected.text);
		break;
	case EV_CERT_UNTRUSTED:
		session_on_cert(sz, ev);
		break;
	case EV_ROSTER:
		handle_roster(sz, ev);
		break;
	case EV_ROSTER_PUSH:
		handle_roster_push(sz, ev);
		break;
	case EV_PRESENCE:
		handle_presence(sz, ev);
		break;
	case EV_SUBSCRIPTION:
		handle_subscription(sz, ev);
		break;
	case EV_MESSAGE:
		handle_message(sz, ev);
		break;
	case EV_IQ_RESULT:
		handle_iq(sz, ev);
		break;
	/* [muc] group chat */
	case EV_MUC:
		room_handle(sz, ev->muc);
		break;

	/* bookmarks, caps, disco */
	case EV_DISCO:
		disco_handle(sz, ev);
		break;
	case EV_BOOKMARKS:
		bookmark_handle(sz, ev);
		break;

	/* [sync] archive and sync */
	case EV_MAM_FIN:
		room_mam_fin(sz, ev);	/* a room's query? (room-mam.c) */
		sync_mam_fin(sz, ev);
		break;
	case EV_SM_RESUMED:
		sync_on_resumed(sz, ev->connected.jid);
		break;

	/* [quality] message quality */
	case EV_MARK:
	case EV_CHATSTATE:
	case EV_QUALITY_IQ:
	case EV_BLOCK_PUSH:
	case EV_NICK:
		quality_handle(sz, ev);
		break;

	/* [files] upload and accounts */
	case EV_UPLOAD:
	case EV_PASSWORD:
	case EV_REGISTER:
		core_files_event(sz, ev);
		break;

	case EV_INFO:
		text = utf8_safe(ev->info.text);
		if (ev->info.error)
			core_error(sz, windows_console(&sz->windows), "%s",
			    text);
		else
			core_info(sz, windows_console(&sz->windows), "%s",
			    text);
		free(text);
		break;
	}
}
