/*
 * muc.c - group chat stanzas (XEP-0045, XEP-0249 direct invitations,
 * XEP-0410 self-ping, XEP-0421 occupant ids): room presence and messages
 * to EV_MUC events, REQ_MUC requests to stanzas.
 *
 * This file only extracts fields; the core (room-handle.c) decides whether
 * the sender is a room we are in and sanitises what it shows.  A
 * stanza-id is passed on only when the room itself stamped it (by= the
 * room's bare JID).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jid.h"
#include "core/room.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

static xmpp_stanza_t *
child_ns(xmpp_stanza_t *st, const char *name, const char *ns)
{
	return xmpp_stanza_get_child_by_name_and_ns(st, name, ns);
}

/* The text of child NAME of ST (any namespace), or NULL; caller frees. */
static char *
child_text(xmpp_stanza_t *st, const char *name)
{
	xmpp_stanza_t	*c;
	char		*t, *copy;

	if (st == NULL || (c = xmpp_stanza_get_child_by_name(st, name)) ==
	    NULL)
		return NULL;
	if ((t = xmpp_stanza_get_text(c)) == NULL)
		return xstrdup("");
	copy = xstrdup(t);
	xmpp_free(xmpp_stanza_get_context(st), t);
	return copy;
}

/* The defined condition of ST's <error/> and its <text/>. */
static void
error_of(xmpp_stanza_t *st, const char **cond, char **text)
{
	xmpp_stanza_t	*err = xmpp_stanza_get_child_by_name(st, "error");
	xmpp_stanza_t	*c;

	*cond = "undefined-condition";
	*text = NULL;
	if (err == NULL)
		return;
	*text = child_text(err, "text");
	if (*text != NULL && **text == '\0') {
		free(*text);
		*text = NULL;
	}
	for (c = xmpp_stanza_get_children(err); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) && xmpp_stanza_get_ns(c) != NULL &&
		    strcmp(xmpp_stanza_get_ns(c), NS_STANZAS) == 0 &&
		    strcmp(xmpp_stanza_get_name(c), "text") != 0) {
			*cond = xmpp_stanza_get_name(c);
			return;
		}
	}
}

/* Is BARE(FROM) a room the core knows? */
static int
from_room(struct xmpp_link *xl, const char *from)
{
	char	*bare;
	int	 yes;

	if (xl->sz->rooms == NULL)
		return 0;	/* most messages: no parsing at all */
	bare = jid_bare(from);
	yes = bare != NULL && room_find(xl->sz, bare) != NULL;

	free(bare);
	return yes;
}

int
xmuc_presence(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	const char	*type = xmpp_stanza_get_type(st);
	const char	*from = xmpp_stanza_get_from(st);
	xmpp_stanza_t	*x, *item, *c;
	struct ev_muc	 m;
	struct ev	 ev;
	char		*show, *status, *reason = NULL, *err_text = NULL;
	const char	*code;

	x = child_ns(st, "x", NS_MUC_USER);
	if (type != NULL && strcmp(type, "unavailable") != 0 &&
	    strcmp(type, "error") != 0)
		return 0;
	if (x == NULL && (type == NULL || strcmp(type, "error") != 0 ||
	    !from_room(xl, from)))
		return 0;
	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_PRESENCE;
	m.from = from;
	m.available = type == NULL;
	if (type != NULL && strcmp(type, "error") == 0)
		error_of(st, &m.error, &err_text);
	m.error_text = err_text;
	show = child_text(st, "show");
	status = child_text(st, "status");
	m.show = xin_show(show);
	m.status = status;
	if (x != NULL && (item = xmpp_stanza_get_child_by_name(x, "item")) !=
	    NULL) {
		m.role = xmpp_stanza_get_attribute(item, "role");
		m.affiliation = xmpp_stanza_get_attribute(item, "affiliation");
		m.jid = xmpp_stanza_get_attribute(item, "jid");
		m.new_nick = xmpp_stanza_get_attribute(item, "nick");
		if ((c = xmpp_stanza_get_child_by_name(item, "actor")) != NULL)
			m.actor = xmpp_stanza_get_attribute(c, "nick") != NULL ?
			    xmpp_stanza_get_attribute(c, "nick") :
			    xmpp_stanza_get_attribute(c, "jid");
		reason = child_text(item, "reason");
	}
	if (x != NULL && (c = xmpp_stanza_get_child_by_name(x, "destroy")) !=
	    NULL) {
		m.destroyed = 1;
		free(reason);
		reason = child_text(c, "reason");
	}
	m.reason = reason;
	for (c = x != NULL ? xmpp_stanza_get_children(x) : NULL; c != NULL &&
	    m.ncodes < sizeof m.codes / sizeof m.codes[0];
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "status") != 0 ||
		    (code = xmpp_stanza_get_attribute(c, "code")) == NULL)
			continue;
		m.codes[m.ncodes++] = atoi(code);
	}
	if ((c = child_ns(st, "occupant-id", NS_OCCUPANT_ID)) != NULL)
		m.occupant_id = xmpp_stanza_get_attribute(c, "id");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MUC;
	ev.muc = &m;
	core_handle(xl->sz, &ev);
	free(show);
	free(status);
	free(reason);
	free(err_text);
	return 1;
}

static int
xmuc_invite(struct xmpp_link *xl, xmpp_stanza_t *st, const char *from)
{
	xmpp_stanza_t	*x, *inv;
	struct ev_muc	 m;
	struct ev	 ev;
	char		*reason = NULL, *password = NULL, *room = NULL;

	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_INVITE;
	if ((x = child_ns(st, "x", NS_MUC_USER)) != NULL &&
	    (inv = xmpp_stanza_get_child_by_name(x, "invite")) != NULL) {
		room = jid_bare(from);		/* mediated: from the room */
		if (room == NULL || strcmp(room, from) != 0) {
			free(room);
			room = NULL;
		}
		m.room = room;
		m.inviter = xmpp_stanza_get_attribute(inv, "from");
		m.reason = reason = child_text(inv, "reason");
		m.password = password = child_text(x, "password");
	} else if ((x = child_ns(st, "x", NS_CONFERENCE)) != NULL) {
		m.direct = 1;
		m.room = xmpp_stanza_get_attribute(x, "jid");
		m.inviter = from;
		m.reason = xmpp_stanza_get_attribute(x, "reason");
		m.password = xmpp_stanza_get_attribute(x, "password");
	} else
		return 0;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MUC;
	ev.muc = &m;
	core_handle(xl->sz, &ev);
	free(reason);
	free(password);
	free(room);
	return 1;
}

int
xmuc_message(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	const char	*type = xmpp_stanza_get_type(st);
	const char	*from = xmpp_stanza_get_from(st);
	xmpp_stanza_t	*c;
	struct ev_muc	 m;
	struct ev	 ev;
	char		*body, *subject, *bare, *err_text = NULL;

	if (from == NULL)
		return 0;
	if (type == NULL)
		type = "normal";
	/* A room's archive result (unwrapped by sync.c): an EV_MESSAGE
	 * with message.archive, for core/room-mam.c. */
	if (xl->sync_archive != NULL && strcmp(type, "groupchat") == 0)
		return 0;
	if (strcmp(type, "groupchat") != 0) {
		if (strcmp(type, "error") != 0 &&
		    (child_ns(st, "x", NS_CONFERENCE) != NULL ||
		    (child_ns(st, "x", NS_MUC_USER) != NULL &&
		    xmpp_stanza_get_child_by_name(child_ns(st, "x",
		    NS_MUC_USER), "invite") != NULL)))
			return xmuc_invite(xl, st, from);
		/* Private messages (with or without the muc#user
		 * marker some clients leave out) and errors from a room
		 * of ours. */
		if (!from_room(xl, from))
			return 0;
		if (strcmp(type, "headline") == 0)
			return 1;
	}
	memset(&m, 0, sizeof m);
	m.from = from;
	m.from_bare = bare = jid_bare(from);
	if (strcmp(type, "groupchat") == 0)
		m.kind = MUC_EV_MESSAGE;
	else if (strcmp(type, "error") == 0)
		m.kind = bare != NULL && strcmp(bare, from) == 0 ?
		    MUC_EV_MESSAGE : MUC_EV_PRIVATE;
	else
		m.kind = MUC_EV_PRIVATE;
	if (strcmp(type, "error") == 0)
		error_of(st, &m.error, &err_text);
	m.error_text = err_text;
	m.body = body = child_text(st, "body");
	m.subject = subject = child_text(st, "subject");
	m.id = xmpp_stanza_get_id(st);
	if ((c = child_ns(st, "origin-id", NS_SID)) != NULL)
		m.origin_id = xmpp_stanza_get_attribute(c, "id");
	if ((c = child_ns(st, "delay", NS_DELAY)) != NULL)
		m.delay = xin_parse_stamp(xmpp_stanza_get_attribute(c,
		    "stamp"));
	if ((c = child_ns(st, "occupant-id", NS_OCCUPANT_ID)) != NULL)
		m.occupant_id = xmpp_stanza_get_attribute(c, "id");
	if ((c = child_ns(st, "replace", NS_CORRECT)) != NULL)
		m.replace_id = xmpp_stanza_get_attribute(c, "id");
	/* A stanza-id counts only when the room stamped it. */
	m.stanza_id = xin_stanza_id(st, bare);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MUC;
	ev.muc = &m;
	core_handle(xl->sz, &ev);
	free(body);
	free(subject);
	free(bare);
	free(err_text);
	return 1;
}
