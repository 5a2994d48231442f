/*
 * in.c - incoming stanzas to core events.
 *
 * Remote input never aborts and never reaches the screen from here: this
 * file only extracts fields (the core sanitises them), checks origins
 * (roster pushes only from our own account, IQ replies only from whom we
 * asked, stanza-ids only when our server stamped them) and answers the
 * IQs every client must answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

const char *
xin_stanza_id(xmpp_stanza_t *st, const char *by)
{
	xmpp_stanza_t	*c;
	const char	*ns, *stamper, *id = NULL;

	if (by == NULL)
		return NULL;
	for (c = xmpp_stanza_get_children(st); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "stanza-id") != 0 ||
		    (ns = xmpp_stanza_get_ns(c)) == NULL ||
		    strcmp(ns, NS_SID) != 0)
			continue;
		stamper = xmpp_stanza_get_attribute(c, "by");
		if (stamper != NULL && strcmp(stamper, by) == 0)
			id = xmpp_stanza_get_attribute(c, "id");
	}
	return id;
}

time_t
xin_parse_stamp(const char *s)
{
	struct tm	 tm;
	const char	*p;
	int		 n = 0, oh = 0, om = 0, sign = 0;
	time_t		 t;

	if (s == NULL)
		return 0;
	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return 0;
	p = s + n;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (*p == 'Z' && p[1] == '\0')
		sign = 0;
	else if ((*p == '+' || *p == '-') &&
	    sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 && strlen(p) == 6)
		sign = *p == '+' ? 1 : -1;
	else
		return 0;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60 || oh > 23 || om > 59 || tm.tm_year < 1970)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return 0;
	return t - sign * (oh * 3600 + om * 60);
}

/* The text of the first child NAME, or NULL.  Caller frees with free(). */
char *
xin_child_text(xmpp_stanza_t *st, const char *name)
{
	xmpp_stanza_t	*c = xmpp_stanza_get_child_by_name(st, name);
	char		*t, *copy;

	if (c == NULL || (t = xmpp_stanza_get_text(c)) == NULL)
		return NULL;
	copy = xstrdup(t);
	xmpp_free(xmpp_stanza_get_context(st), t);
	return copy;
}

/* A readable error text from a stanza's <error/>. Caller frees. */
static char *
xin_error_text(xmpp_stanza_t *st)
{
	xmpp_stanza_t	*err = xmpp_stanza_get_child_by_name(st, "error");
	xmpp_stanza_t	*c;
	const char	*cond = NULL;
	char		*text;

	if (err == NULL)
		return xstrdup("unknown error");
	if ((text = xin_child_text(err, "text")) != NULL && *text != '\0')
		return text;
	free(text);
	for (c = xmpp_stanza_get_children(err); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) && xmpp_stanza_get_ns(c) != NULL &&
		    strcmp(xmpp_stanza_get_ns(c), NS_STANZAS) == 0 &&
		    strcmp(xmpp_stanza_get_name(c), "text") != 0) {
			cond = xmpp_stanza_get_name(c);
			break;
		}
	}
	return xstrdup(cond != NULL ? cond : "unknown error");
}

int
xin_message(xmpp_conn_t *conn, xmpp_stanza_t *st, void *userdata)
{
	struct xmpp_link	*xl = userdata;
	struct ev		 ev;
	xmpp_stanza_t		*c;
	const char		*type = xmpp_stanza_get_type(st);
	const char		*from = xmpp_stanza_get_from(st);
	char			*body = NULL, *error = NULL;

	xl->activity++;
	/* [sync] archive and sync.  First: an archive result from a room
	 * comes from the room's bare JID, and is no room message. */
	if (xsync_message(xl, conn, st))
		return 1;

	/* [muc] group chat */
	if (xmuc_message(xl, st))
		return 1;

	/* bookmarks, caps, disco */
	if (xin_bookmark_event(xl, st))
		return 1;	/* PEP bookmarks (bookmark.c) */

	if (type == NULL)
		type = "normal";
	if ((strcmp(type, "groupchat") == 0 && xl->sync_archive == NULL) ||
	    strcmp(type, "headline") == 0)
		return 1;	/* group chat comes with MUC support */
	if (from == NULL)	/* RFC 6120 8.1.2.1: from our own account */
		from = xl->bare != NULL ? xl->bare : "";
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = from;
	ev.message.to = xmpp_stanza_get_to(st);
	ev.message.type = type;
	ev.message.id = xmpp_stanza_get_id(st);
	if (strcmp(type, "error") == 0)
		ev.message.error = error = xin_error_text(st);
	else
		ev.message.body = body = xin_child_text(st, "body");
	if ((c = xmpp_stanza_get_child_by_name_and_ns(st, "delay",
	    NS_DELAY)) != NULL)
		ev.message.delay = xin_parse_stamp(
		    xmpp_stanza_get_attribute(c, "stamp"));
	if ((c = xmpp_stanza_get_child_by_name_and_ns(st, "origin-id",
	    NS_SID)) != NULL)
		ev.message.origin_id = xmpp_stanza_get_attribute(c, "id");
	/* A stanza-id counts only when our own server stamped it. */
	ev.message.stanza_id = xin_stanza_id(st, xl->bare);
	/* [sync] archive and sync */
	xsync_message_fields(xl, &ev);

	/* [quality] message quality */
	xq_message_in(xl, st, &ev);

	if (ev.message.body != NULL || ev.message.error != NULL)
		core_handle(xl->sz, &ev);
	free(body);
	free(error);
	return 1;
}

enum show
xin_show(const char *s)
{
	if (s == NULL)
		return SHOW_ONLINE;
	if (strcmp(s, "chat") == 0)
		return SHOW_CHAT;
	if (strcmp(s, "away") == 0)
		return SHOW_AWAY;
	if (strcmp(s, "xa") == 0)
		return SHOW_XA;
	if (strcmp(s, "dnd") == 0)
		return SHOW_DND;
	return SHOW_ONLINE;
}

int
xin_presence(xmpp_conn_t *conn, xmpp_stanza_t *st, void *userdata)
{
	struct xmpp_link	*xl = userdata;
	struct ev		 ev;
	const char		*type = xmpp_stanza_get_type(st);
	const char		*from = xmpp_stanza_get_from(st);
	char			*show, *status, *prio, *error = NULL;
	long			 p;
	static const struct {
		const char	*name;
		enum sub_type	 sub;
	} subs[] = {
		{ "subscribe", SUB_SUBSCRIBE },
		{ "subscribed", SUB_SUBSCRIBED },
		{ "unsubscribe", SUB_UNSUBSCRIBE },
		{ "unsubscribed", SUB_UNSUBSCRIBED },
	};
	size_t			 i;

	xl->activity++;
	if (from == NULL)
		return 1;
	if (xmuc_presence(xl, st))	/* [muc] group chat */
		return 1;
	memset(&ev, 0, sizeof ev);
	if (type != NULL) {
		for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
			if (strcmp(type, subs[i].name) != 0)
				continue;
			/* [quality] XEP-0172: the nick a request carries */
			xq_presence_nick(xl, st, from);
			ev.type = EV_SUBSCRIPTION;
			ev.subscription.from = from;
			ev.subscription.sub = subs[i].sub;
			core_handle(xl->sz, &ev);
			return 1;
		}
		if (strcmp(type, "unavailable") != 0 &&
		    strcmp(type, "error") != 0)
			return 1;	/* probe or unknown: ignore */
	}
	show = xin_child_text(st, "show");
	status = xin_child_text(st, "status");
	prio = xin_child_text(st, "priority");
	p = prio != NULL ? strtol(prio, NULL, 10) : 0;
	ev.type = EV_PRESENCE;
	ev.presence.from = from;
	ev.presence.available = type == NULL;
	ev.presence.show = xin_show(show);
	ev.presence.status = status;
	ev.presence.priority = p < -128 ? -128 : p > 127 ? 127 : (int)p;
	if (type != NULL && strcmp(type, "error") == 0)
		ev.presence.error = error = xin_error_text(st);
	core_handle(xl->sz, &ev);
	free(show);
	free(status);
	free(prio);
	free(error);
	return 1;
}

/* Build <ITEM jid= name= subscription= ask=><group/>..</ITEM> as an item. */
static void
xin_roster_item(xmpp_stanza_t *item, struct ev_item *out, char ***groups)
{
	xmpp_stanza_t	*g;
	size_t		 n = 0;
	char		*t;

	memset(out, 0, sizeof *out);
	out->jid = xmpp_stanza_get_attribute(item, "jid");
	out->name = xmpp_stanza_get_attribute(item, "name");
	out->subscription = xmpp_stanza_get_attribute(item, "subscription");
	out->ask = xmpp_stanza_get_attribute(item, "ask") != NULL &&
	    strcmp(xmpp_stanza_get_attribute(item, "ask"), "subscribe") == 0;
	*groups = NULL;
	for (g = xmpp_stanza_get_children(item); g != NULL;
	    g = xmpp_stanza_get_next(g)) {
		if (!xmpp_stanza_is_tag(g) ||
		    strcmp(xmpp_stanza_get_name(g), "group") != 0)
			continue;
		if ((t = xmpp_stanza_get_text(g)) == NULL)
			continue;
		*groups = xreallocarray(*groups, n + 1, sizeof **groups);
		(*groups)[n++] = xstrdup(t);
		xmpp_free(xmpp_stanza_get_context(item), t);
	}
	out->groups = (const char **)*groups;
	out->ngroups = n;
}

static void
xin_free_groups(char **groups, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(groups[i]);
	free(groups);
}

static void
xin_roster_result(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xmpp_stanza_t	*query, *item;
	struct ev_item	*items = NULL;
	char		***groups = NULL;
	size_t		 n = 0, i;
	struct ev	 ev;

	query = xmpp_stanza_get_child_by_name_and_ns(st, "query", NS_ROSTER);
	for (item = query != NULL ? xmpp_stanza_get_children(query) : NULL;
	    item != NULL; item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item) ||
		    strcmp(xmpp_stanza_get_name(item), "item") != 0 ||
		    xmpp_stanza_get_attribute(item, "jid") == NULL)
			continue;
		items = xreallocarray(items, n + 1, sizeof *items);
		groups = xreallocarray(groups, n + 1, sizeof *groups);
		xin_roster_item(item, &items[n], &groups[n]);
		n++;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER;
	ev.roster.items = items;
	ev.roster.nitems = n;
	core_handle(xl->sz, &ev);
	for (i = 0; i < n; i++)
		xin_free_groups(groups[i], items[i].ngroups);
	free(groups);
	free(items);
}

/*
 * An IQ reply to ST of TYPE.  libstrophe's xmpp_stanza_reply() gives NULL
 * for a stanza without 'from' (the server, or our own account: roster
 * pushes), so the reply is built here.
 */
static xmpp_stanza_t *
xin_new_reply(xmpp_stanza_t *st, const char *type)
{
	xmpp_stanza_t	*reply;
	const char	*from = xmpp_stanza_get_from(st);

	reply = xmpp_iq_new(xmpp_stanza_get_context(st), type,
	    xmpp_stanza_get_id(st) != NULL ? xmpp_stanza_get_id(st) : "");
	if (from != NULL)
		xmpp_stanza_set_to(reply, from);
	return reply;
}

static void
xin_reply(struct xmpp_link *xl, xmpp_stanza_t *st, xmpp_stanza_t *payload)
{
	xmpp_stanza_t	*reply = xin_new_reply(st, "result");

	if (payload != NULL) {
		xmpp_stanza_add_child(reply, payload);
		xmpp_stanza_release(payload);
	}
	xl->send(xl, reply);
	xmpp_stanza_release(reply);
}

static void
xin_reply_error(struct xmpp_link *xl, xmpp_stanza_t *st,
    xmpp_error_type_t type)
{
	xmpp_ctx_t	*ctx = xmpp_stanza_get_context(st);
	xmpp_stanza_t	*reply = xin_new_reply(st, "error");
	xmpp_stanza_t	*err = xs_tag(ctx, "error", NULL);
	xmpp_stanza_t	*cond;

	xmpp_stanza_set_attribute(err, "type",
	    type == XMPP_SE_BAD_FORMAT ? "modify" : "cancel");
	cond = xs_tag(ctx, type == XMPP_SE_BAD_FORMAT ? "bad-request" :
	    "service-unavailable", NS_STANZAS);
	xmpp_stanza_add_child(err, cond);
	xmpp_stanza_release(cond);
	xmpp_stanza_add_child(reply, err);
	xmpp_stanza_release(err);
	xl->send(xl, reply);
	xmpp_stanza_release(reply);
}

/* A roster push (RFC 6121 2.1.6): only from our own account. */
static void
xin_roster_push(struct xmpp_link *xl, xmpp_stanza_t *st, xmpp_stanza_t *q)
{
	const char	*from = xmpp_stanza_get_from(st);
	xmpp_stanza_t	*item, *next;
	struct ev	 ev;
	char		**groups;

	if (from != NULL && (xl->bare == NULL || strcmp(from, xl->bare) != 0)) {
		log_warn("roster push from %.300s ignored: only our own "
		    "account may send one", from);
		xin_reply_error(xl, st, XMPP_SE_POLICY_VIOLATION);
		return;
	}
	item = xmpp_stanza_get_child_by_name(q, "item");
	next = item != NULL ? xmpp_stanza_get_next(item) : NULL;
	while (next != NULL && !xmpp_stanza_is_tag(next))
		next = xmpp_stanza_get_next(next);
	if (item == NULL || next != NULL ||
	    xmpp_stanza_get_attribute(item, "jid") == NULL) {
		xin_reply_error(xl, st, XMPP_SE_BAD_FORMAT);
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER_PUSH;
	xin_roster_item(item, &ev.item, &groups);
	core_handle(xl->sz, &ev);
	xin_free_groups(groups, ev.item.ngroups);
	xin_reply(xl, st, NULL);
}

/*
 * Our disco#info <query/> (identity and features) for NODE (may be NULL).
 * The caps hash (caps.c) is computed over exactly this list.
 */
xmpp_stanza_t *
xin_disco_query(xmpp_ctx_t *ctx, const char *node)
{
	static const char *const features[] = {
		NS_DISCO_INFO,
		NS_PING,
		NS_VERSION,
		/* [muc] group chat */
		NS_MUC,
		NS_CONFERENCE,

		/* bookmarks, caps, disco */
		NS_CAPS,
		NS_BOOKMARKS "+notify",

		/* [sync] archive and sync */
		NS_CARBONS,
		NS_MAM,

		/* [quality] message quality */
		NS_RECEIPTS,
		NS_MARKERS,
		NS_CHATSTATES,
		NS_CORRECT,
		NS_STYLING,
		NS_OOB,
		NS_BLOCKING,
		NS_TIME,
		NS_NICK,
		NS_NICK "+notify",
		NULL
	};
	xmpp_stanza_t	*query = xs_tag(ctx, "query", NS_DISCO_INFO);
	xmpp_stanza_t	*c;
	size_t		 i;

	if (node != NULL)
		xmpp_stanza_set_attribute(query, "node", node);
	c = xs_tag(ctx, "identity", NULL);
	xmpp_stanza_set_attribute(c, "category", "client");
	xmpp_stanza_set_attribute(c, "type", "console");
	xmpp_stanza_set_attribute(c, "name", "szia");
	xmpp_stanza_add_child(query, c);
	xmpp_stanza_release(c);
	for (i = 0; features[i] != NULL; i++) {
		c = xs_tag(ctx, "feature", NULL);
		xmpp_stanza_set_attribute(c, "var", features[i]);
		xmpp_stanza_add_child(query, c);
		xmpp_stanza_release(c);
	}
	return query;
}

static void
xin_disco_info(struct xmpp_link *xl, xmpp_stanza_t *st, xmpp_stanza_t *q)
{
	xin_reply(xl, st, xin_disco_query(xmpp_stanza_get_context(st),
	    xmpp_stanza_get_attribute(q, "node")));
}

static void
xin_version(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xmpp_ctx_t	*ctx = xmpp_stanza_get_context(st);
	xmpp_stanza_t	*query = xs_tag(ctx, "query", NS_VERSION);

	xs_text_child(query, "name", "szia");
	xs_text_child(query, "version", SZIA_VERSION);
	xin_reply(xl, st, query);
}

static void
xin_iq_reply(struct xmpp_link *xl, xmpp_stanza_t *st, int ok)
{
	struct iq_pending	*p;
	struct ev		 ev;
	char			*error = NULL;
	const char		*from = xmpp_stanza_get_from(st);

	p = iqtrack_take(xl, xmpp_stanza_get_id(st), from);
	if (p == NULL && xmpp_stanza_get_id(st) != NULL &&
	    strncmp(xmpp_stanza_get_id(st), "_xmpp_", 6) == 0)
		return;		/* libstrophe's own (bind, session) */
	if (p == NULL) {
		log_warn("iq reply id %.100s from %.300s matches no request of "
		    "ours: ignored", xmpp_stanza_get_id(st) != NULL ?
		    xmpp_stanza_get_id(st) : "(none)",
		    from != NULL ? from : "(server)");
		return;
	}
	memset(&ev, 0, sizeof ev);
	if (!ok)
		error = xin_error_text(st);
	switch (p->kind) {
	case IQ_ROSTER_GET:
		if (ok)
			xin_roster_result(xl, st);
		break;
	case IQ_ROSTER_SET:
		if (!ok) {
			ev.type = EV_INFO;
			ev.info.error = 1;
			ev.info.text = error;
			core_handle(xl->sz, &ev);
		}
		break;
	case IQ_PING_USER:
		ev.type = EV_IQ_RESULT;
		ev.iq.id = p->id;
		ev.iq.from = p->expect != NULL ? p->expect : xl->domain;
		ev.iq.ok = ok;
		ev.iq.error = error;
		ev.iq.rtt_ms = clock_now_ms() - p->sent;
		core_handle(xl->sz, &ev);
		break;
	case IQ_PING_KEEPALIVE:
		free(xl->keepalive_id);
		xl->keepalive_id = NULL;
		break;
	/* [muc] group chat */
	case IQ_MUC_ADMIN:
	case IQ_MUC_LIST:
	case IQ_MUC_CONFIG_GET:
	case IQ_MUC_CONFIG_SET:
	case IQ_MUC_DESTROY:
	case IQ_MUC_PING:
		xmuc_iq_reply(xl, p, st, ok);
		break;

	/* bookmarks, caps, disco */
	case IQ_DISCO:
	case IQ_DISCO_ACCOUNT:
		xin_disco_reply(xl, p, st, error);
		break;
	case IQ_BOOKMARK_FETCH:
	case IQ_BOOKMARK_CHANGE:
		xin_bookmark_reply(xl, p, st, error);
		break;

	/* [sync] archive and sync */
	case IQ_CARBONS:
	case IQ_MAM:
		xsync_iq_reply(xl, p, st, ok, error);
		break;

	/* [quality] message quality */
	case IQ_Q_VERSION:
	case IQ_Q_TIME:
	case IQ_Q_BLOCK:
	case IQ_Q_UNBLOCK:
	case IQ_Q_BLOCKLIST:
		xq_iq_reply(xl, st, p, ok, error);
		break;

	/* [files] upload and accounts */
	case IQ_UPLOAD_ITEMS:
	case IQ_UPLOAD_INFO:
	case IQ_UPLOAD_SLOT:
		xl_upload_iq(xl, p, st, ok, error);
		break;
	case IQ_PASSWORD:
		ev.type = EV_PASSWORD;
		ev.password.ok = ok;
		ev.password.error = error;
		core_handle(xl->sz, &ev);
		break;
	}
	free(error);
	iqtrack_free(p);
}

int
xin_iq(xmpp_conn_t *conn, xmpp_stanza_t *st, void *userdata)
{
	struct xmpp_link	*xl = userdata;
	const char		*type = xmpp_stanza_get_type(st);
	xmpp_stanza_t		*q;
	const char		*ns;

	xl->activity++;
	if (type == NULL)
		return 1;
	if (strcmp(type, "result") == 0 || strcmp(type, "error") == 0) {
		xin_iq_reply(xl, st, strcmp(type, "result") == 0);
		return 1;
	}
	if (strcmp(type, "get") != 0 && strcmp(type, "set") != 0)
		return 1;
	/* A request: answer it, whatever it is. */
	for (q = xmpp_stanza_get_children(st); q != NULL &&
	    !xmpp_stanza_is_tag(q); q = xmpp_stanza_get_next(q))
		;
	ns = q != NULL ? xmpp_stanza_get_ns(q) : NULL;
	if (ns == NULL)
		xin_reply_error(xl, st, XMPP_SE_BAD_FORMAT);
	else if (strcmp(type, "get") == 0 && strcmp(ns, NS_PING) == 0)
		xin_reply(xl, st, NULL);
	else if (strcmp(type, "get") == 0 && strcmp(ns, NS_DISCO_INFO) == 0)
		xin_disco_info(xl, st, q);
	else if (strcmp(type, "get") == 0 && strcmp(ns, NS_VERSION) == 0)
		xin_version(xl, st);
	else if (strcmp(type, "set") == 0 && strcmp(ns, NS_ROSTER) == 0)
		xin_roster_push(xl, st, q);
	/* [sync] archive and sync */
	else if (xsync_iq_request(xl, st, q, type, ns))
		;

	/* [quality] message quality */
	else if (xq_iq_request(xl, st, type, ns, q)) {
		/* answered (entity time, block list pushes) */
	}

	else
		xin_reply_error(xl, st, XMPP_SE_UNDEFINED_CONDITION);
	return 1;
}
