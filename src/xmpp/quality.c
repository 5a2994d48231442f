/*
 * quality.c - message quality on the wire: receipts (XEP-0184), chat
 * markers (XEP-0333), chat states (XEP-0085), corrections (XEP-0308),
 * out-of-band URLs (XEP-0066), nicknames (XEP-0172), blocking (XEP-0191),
 * software version (XEP-0092) and entity time (XEP-0202).
 *
 * Like in.c, this file extracts and checks origins; the core decides.
 * Strings handed to the core point into the stanza (no copies), so they
 * live as long as the stanza does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/quality.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

/* The first text node of ST (no copy), or NULL. */
static const char *
xq_text(xmpp_stanza_t *st)
{
	xmpp_stanza_t	*c;

	if (st == NULL)
		return NULL;
	for (c = xmpp_stanza_get_children(st); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_text(c))
			return xmpp_stanza_get_text_ptr(c);
	}
	return NULL;
}

/* Child CNAME in CNS is NAME (any name when NULL) in NS.  The caller
 * reads the child's name and namespace once: this runs for every child of
 * every message. */
static int
xq_is(const char *cname, const char *cns, const char *name, const char *ns)
{
	return strcmp(cns, ns) == 0 && (name == NULL ||
	    strcmp(cname, name) == 0);
}

/* PEP nick notification: <event><items node=nick><item><nick>. */
static void
xq_pep_nick(struct xmpp_link *xl, xmpp_stanza_t *event, const char *from)
{
	xmpp_stanza_t	*items, *item, *nick;
	const char	*node;
	struct ev	 ev;

	items = xmpp_stanza_get_child_by_name(event, "items");
	node = items != NULL ? xmpp_stanza_get_attribute(items, "node") : NULL;
	if (node == NULL || strcmp(node, NS_NICK) != 0)
		return;
	item = xmpp_stanza_get_child_by_name(items, "item");
	nick = item != NULL ? xmpp_stanza_get_child_by_name_and_ns(item,
	    "nick", NS_NICK) : NULL;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_NICK;
	ev.q.from = from;
	ev.q.text = xq_text(nick);
	core_handle(xl->sz, &ev);
}

void
xq_message_in(struct xmpp_link *xl, xmpp_stanza_t *st, struct ev *ev)
{
	xmpp_stanza_t	*c, *u;
	struct ev	 q;
	const char	*cname, *cns;
	int		 state;

	if (strcmp(ev->message.type, "error") == 0)
		return;
	for (c = xmpp_stanza_get_children(st); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    (cname = xmpp_stanza_get_name(c)) == NULL ||
		    (cns = xmpp_stanza_get_ns(c)) == NULL)
			continue;
		memset(&q, 0, sizeof q);
		q.q.from = ev->message.from;
		if (xq_is(cname, cns, "request", NS_RECEIPTS))
			ev->message.receipt_request = 1;
		else if (xq_is(cname, cns, "markable", NS_MARKERS))
			ev->message.markable = 1;
		else if (xq_is(cname, cns, "received", NS_RECEIPTS) ||
		    xq_is(cname, cns, "displayed", NS_MARKERS)) {
			q.type = EV_MARK;
			q.q.id = xmpp_stanza_get_attribute(c, "id");
			q.q.state = strcmp(cname, "displayed") == 0 ?
			    MARK_READ : MARK_DELIVERED;
			if (q.q.id != NULL)
				core_handle(xl->sz, &q);
		} else if (xq_is(cname, cns, NULL, NS_CHATSTATES)) {
			state = chatstate_parse(cname);
			if (ev->message.body != NULL)
				ev->message.chatstate = state;
			else if (state != CHATSTATE_NONE) {
				q.type = EV_CHATSTATE;
				q.q.state = state;
				core_handle(xl->sz, &q);
			}
		} else if (xq_is(cname, cns, "replace", NS_CORRECT))
			ev->message.replace_id =
			    xmpp_stanza_get_attribute(c, "id");
		else if (xq_is(cname, cns, "x", NS_OOB)) {
			u = xmpp_stanza_get_child_by_name(c, "url");
			if (ev->message.oob_url == NULL)
				ev->message.oob_url = xq_text(u);
		} else if (xq_is(cname, cns, "nick", NS_NICK))
			ev->message.nick = xq_text(c);
		else if (xq_is(cname, cns, "event", NS_PUBSUB_EVENT))
			xq_pep_nick(xl, c, ev->message.from);
	}
}

/* <message to=TO type=TYPE id=random> without a body; caller sends. */
static xmpp_stanza_t *
xq_bare_message(struct xmpp_link *xl, const char *to, const char *type)
{
	char		*id = rand_id();
	xmpp_stanza_t	*m = xmpp_message_new(xl->ctx, type, to, id);

	free(id);
	return m;
}

static void
xq_add(xmpp_stanza_t *parent, xmpp_stanza_t *child)
{
	xmpp_stanza_add_child(parent, child);
	xmpp_stanza_release(child);
}

void
xq_message_out(struct xmpp_link *xl, xmpp_stanza_t *m, const struct req *r)
{
	xmpp_stanza_t	*c;
	const char	*state = chatstate_name(r->message.chatstate);

	if (r->message.request_receipt) {
		xq_add(m, xs_tag(xl->ctx, "request", NS_RECEIPTS));
		xq_add(m, xs_tag(xl->ctx, "markable", NS_MARKERS));
	}
	if (state != NULL)
		xq_add(m, xs_tag(xl->ctx, state, NS_CHATSTATES));
	if (r->message.replace_id != NULL) {
		c = xs_tag(xl->ctx, "replace", NS_CORRECT);
		xmpp_stanza_set_attribute(c, "id", r->message.replace_id);
		xq_add(m, c);
	}
}

static void
xq_send(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xl->send(xl, st);
	xmpp_stanza_release(st);
}

static void
xq_iq_items(struct xmpp_link *xl, const char *name, const struct req *r,
    enum iq_kind kind)
{
	xmpp_stanza_t	*iq, *q, *item;
	size_t		 i;

	iq = xmpp_iq_new(xl->ctx, r->q.op == QIQ_BLOCKLIST ? "get" : "set",
	    iqtrack_add(xl, NULL, kind));
	q = xs_tag(xl->ctx, name, NS_BLOCKING);
	for (i = 0; i < r->q.njids; i++) {
		item = xs_tag(xl->ctx, "item", NULL);
		xmpp_stanza_set_attribute(item, "jid", r->q.jids[i]);
		xq_add(q, item);
	}
	xq_add(iq, q);
	xq_send(xl, iq);
}

static void
xq_query(struct xmpp_link *xl, const char *to, const char *name,
    const char *ns, enum iq_kind kind)
{
	xmpp_stanza_t	*iq;

	iq = xmpp_iq_new(xl->ctx, "get", iqtrack_add(xl, to, kind));
	xmpp_stanza_set_to(iq, to);
	xq_add(iq, xs_tag(xl->ctx, name, ns));
	xq_send(xl, iq);
}

void
xq_request(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*m, *c;
	const char	*state;

	switch (r->type) {
	case REQ_MARK:
		m = xq_bare_message(xl, r->q.to, r->q.op == MARK_READ ?
		    "chat" : NULL);
		c = xs_tag(xl->ctx, r->q.op == MARK_READ ? "displayed" :
		    "received", r->q.op == MARK_READ ? NS_MARKERS :
		    NS_RECEIPTS);
		xmpp_stanza_set_attribute(c, "id", r->q.id);
		xq_add(m, c);
		if (r->q.op == MARK_READ)
			xq_add(m, xs_tag(xl->ctx, "store", NS_HINTS));
		xq_send(xl, m);
		break;
	case REQ_CHATSTATE:
		if ((state = chatstate_name(r->q.op)) == NULL)
			break;
		m = xq_bare_message(xl, r->q.to, "chat");
		xq_add(m, xs_tag(xl->ctx, state, NS_CHATSTATES));
		xq_add(m, xs_tag(xl->ctx, "no-store", NS_HINTS));
		xq_send(xl, m);
		break;
	case REQ_QUALITY_IQ:
		switch (r->q.op) {
		case QIQ_VERSION:
			xq_query(xl, r->q.to, "query", NS_VERSION,
			    IQ_Q_VERSION);
			break;
		case QIQ_TIME:
			xq_query(xl, r->q.to, "time", NS_TIME, IQ_Q_TIME);
			break;
		case QIQ_BLOCK:
			xq_iq_items(xl, "block", r, IQ_Q_BLOCK);
			break;
		case QIQ_UNBLOCK:
			xq_iq_items(xl, "unblock", r, IQ_Q_UNBLOCK);
			break;
		case QIQ_BLOCKLIST:
			xq_iq_items(xl, "blocklist", r, IQ_Q_BLOCKLIST);
			break;
		}
		break;
	default:
		break;
	}
}

/* XEP-0202: our time, with our offset from UTC. */
static void
xq_answer_time(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xmpp_ctx_t	*ctx = xmpp_stanza_get_context(st);
	xmpp_stanza_t	*reply, *t;
	time_t		 now = time(NULL);
	struct tm	 utc, local;
	char		 buf[32], tzo[8];
	long		 off;

	gmtime_r(&now, &utc);
	localtime_r(&now, &local);
	off = local.tm_gmtoff / 60;
	snprintf(tzo, sizeof tzo, "%c%02ld:%02ld", off < 0 ? '-' : '+',
	    labs(off) / 60 % 100, labs(off) % 60);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
	t = xs_tag(ctx, "time", NS_TIME);
	xs_text_child(t, "tzo", tzo);
	xs_text_child(t, "utc", buf);
	reply = xmpp_iq_new(ctx, "result", xmpp_stanza_get_id(st) != NULL ?
	    xmpp_stanza_get_id(st) : "");
	if (xmpp_stanza_get_from(st) != NULL)
		xmpp_stanza_set_to(reply, xmpp_stanza_get_from(st));
	xq_add(reply, t);
	xq_send(xl, reply);
}

/* The <item jid/> of Q as an array of borrowed strings. */
static const char **
xq_items(xmpp_stanza_t *q, size_t *n)
{
	xmpp_stanza_t	*c;
	const char	**jids = NULL, *jid;

	*n = 0;
	for (c = q != NULL ? xmpp_stanza_get_children(q) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "item") != 0 ||
		    (jid = xmpp_stanza_get_attribute(c, "jid")) == NULL)
			continue;
		jids = xreallocarray(jids, *n + 1, sizeof *jids);
		jids[(*n)++] = jid;
	}
	return jids;
}

int
xq_iq_request(struct xmpp_link *xl, xmpp_stanza_t *st, const char *type,
    const char *ns, xmpp_stanza_t *q)
{
	xmpp_stanza_t	*reply;
	struct ev	 ev;
	const char	*name = xmpp_stanza_get_name(q);

	if (strcmp(type, "get") == 0 && strcmp(ns, NS_TIME) == 0 &&
	    strcmp(name, "time") == 0) {
		xq_answer_time(xl, st);
		return 1;
	}
	if (strcmp(type, "set") != 0 || strcmp(ns, NS_BLOCKING) != 0 ||
	    (strcmp(name, "block") != 0 && strcmp(name, "unblock") != 0))
		return 0;
	if (!xl_from_self(xl, xmpp_stanza_get_from(st))) {
		log_warn("block list push from %s ignored: only our own "
		    "account may send one", xmpp_stanza_get_from(st));
		return 0;	/* answered with an error by in.c */
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_BLOCK_PUSH;
	ev.q.state = strcmp(name, "block") == 0 ? QIQ_BLOCK : QIQ_UNBLOCK;
	ev.q.jids = xq_items(q, &ev.q.njids);
	ev.q.ok = 1;
	if (ev.q.state == QIQ_UNBLOCK || ev.q.njids > 0)
		core_handle(xl->sz, &ev);
	free(ev.q.jids);
	reply = xmpp_iq_new(xl->ctx, "result", xmpp_stanza_get_id(st) != NULL ?
	    xmpp_stanza_get_id(st) : "");
	if (xmpp_stanza_get_from(st) != NULL)
		xmpp_stanza_set_to(reply, xmpp_stanza_get_from(st));
	xq_send(xl, reply);
	return 1;
}

/* "name version (os)" from a jabber:iq:version result. */
static char *
xq_version_text(xmpp_stanza_t *q)
{
	const char	*name, *ver, *os;

	name = xq_text(xmpp_stanza_get_child_by_name(q, "name"));
	ver = xq_text(xmpp_stanza_get_child_by_name(q, "version"));
	os = xq_text(xmpp_stanza_get_child_by_name(q, "os"));
	return xasprintf("%s%s%s%s%s%s", name != NULL ? name : "(unnamed)",
	    ver != NULL ? " " : "", ver != NULL ? ver : "",
	    os != NULL ? " (" : "", os != NULL ? os : "",
	    os != NULL ? ")" : "");
}

/* Their local time from a urn:xmpp:time result, or NULL if malformed. */
static char *
xq_time_text(xmpp_stanza_t *q)
{
	const char	*utc, *tzo;
	time_t		 t;
	struct tm	 tm;
	int		 h = 0, m = 0;
	char		 buf[32];

	utc = xq_text(xmpp_stanza_get_child_by_name(q, "utc"));
	tzo = xq_text(xmpp_stanza_get_child_by_name(q, "tzo"));
	if ((t = xin_parse_stamp(utc)) == 0)
		return NULL;
	if (tzo != NULL && strcmp(tzo, "Z") != 0 &&
	    (strlen(tzo) != 6 || (tzo[0] != '+' && tzo[0] != '-') ||
	    sscanf(tzo + 1, "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59))
		return NULL;
	t += (tzo != NULL && tzo[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
	return xasprintf("%s (UTC%s)", buf, tzo != NULL &&
	    strcmp(tzo, "Z") != 0 ? tzo : "");
}

void
xq_iq_reply(struct xmpp_link *xl, xmpp_stanza_t *st,
    const struct iq_pending *p, int ok, const char *error)
{
	struct ev	 ev;
	xmpp_stanza_t	*q;
	char		*text = NULL;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_QUALITY_IQ;
	ev.q.from = p->expect != NULL ? p->expect : xl->domain;
	ev.q.ok = ok;
	ev.q.error = error;
	switch (p->kind) {
	case IQ_Q_VERSION:
		ev.q.state = QIQ_VERSION;
		q = xmpp_stanza_get_child_by_name_and_ns(st, "query",
		    NS_VERSION);
		if (ok && q != NULL)
			text = xq_version_text(q);
		break;
	case IQ_Q_TIME:
		ev.q.state = QIQ_TIME;
		q = xmpp_stanza_get_child_by_name_and_ns(st, "time", NS_TIME);
		if (ok && q != NULL)
			text = xq_time_text(q);
		break;
	case IQ_Q_BLOCK:
		ev.q.state = QIQ_BLOCK;
		break;
	case IQ_Q_UNBLOCK:
		ev.q.state = QIQ_UNBLOCK;
		break;
	case IQ_Q_BLOCKLIST:
		ev.q.state = QIQ_BLOCKLIST;
		q = xmpp_stanza_get_child_by_name_and_ns(st, "blocklist",
		    NS_BLOCKING);
		ev.q.jids = xq_items(q, &ev.q.njids);
		break;
	default:
		return;
	}
	if (ok && text == NULL && (p->kind == IQ_Q_VERSION ||
	    p->kind == IQ_Q_TIME)) {
		ev.q.ok = 0;
		ev.q.error = "malformed answer";
	}
	ev.q.text = text;
	core_handle(xl->sz, &ev);
	free(text);
	free(ev.q.jids);
}

void
xq_presence_nick(struct xmpp_link *xl, xmpp_stanza_t *st, const char *from)
{
	xmpp_stanza_t	*nick;
	struct ev	 ev;

	nick = xmpp_stanza_get_child_by_name_and_ns(st, "nick", NS_NICK);
	if (nick == NULL || xq_text(nick) == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_NICK;
	ev.q.from = from;
	ev.q.text = xq_text(nick);
	core_handle(xl->sz, &ev);
}
