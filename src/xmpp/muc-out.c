/*
 * muc-out.c - group chat requests (REQ_MUC) to stanzas, and the replies to
 * the IQs they send (tracked by iqtrack: a reply counts only from the
 * room we asked).
 */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "core/room.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

static void
add(xmpp_stanza_t *parent, xmpp_stanza_t *child)
{
	xmpp_stanza_add_child(parent, child);
	xmpp_stanza_release(child);
}

static void
send_release(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xl->send(xl, st);
	xmpp_stanza_release(st);
}

/* Our own show and status, as in the broadcast presence. */
static void
muc_show_status(struct xmpp_link *xl, xmpp_stanza_t *p)
{
	const struct session	*s = &xl->sz->session;

	if (s->show != SHOW_ONLINE && s->show != SHOW_OFFLINE)
		xs_text_child(p, "show", show_name(s->show));
	if (s->status != NULL)
		xs_text_child(p, "status", s->status);
}

static void
muc_join(struct xmpp_link *xl, struct req_muc *m)
{
	xmpp_stanza_t		*p = xmpp_presence_new(xl->ctx);
	xmpp_stanza_t		*x = xs_tag(xl->ctx, "x", NS_MUC), *h;
	char			 buf[32];

	xmpp_stanza_set_to(p, m->to);
	if (m->password != NULL)
		xs_text_child(x, "password", m->password);
	h = xs_tag(xl->ctx, "history", NULL);
	if (m->since != 0) {
		struct tm	tm;

		gmtime_r(&m->since, &tm);
		strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
		xmpp_stanza_set_attribute(h, "since", buf);
	} else if (m->maxstanzas >= 0) {
		snprintf(buf, sizeof buf, "%d", m->maxstanzas);
		xmpp_stanza_set_attribute(h, "maxstanzas", buf);
	}
	add(x, h);
	add(p, x);
	muc_show_status(xl, p);
	send_release(xl, p);
}

static xmpp_stanza_t *
muc_iq(struct xmpp_link *xl, const char *type, const char *to,
    enum iq_kind kind, const char *ns, xmpp_stanza_t **query)
{
	xmpp_stanza_t	*iq = xmpp_iq_new(xl->ctx, type,
			    iqtrack_add(xl, to, kind));

	xmpp_stanza_set_to(iq, to);
	*query = xs_tag(xl->ctx, "query", ns);
	xmpp_stanza_add_child(iq, *query);
	xmpp_stanza_release(*query);	/* iq holds it */
	return iq;
}

static void
muc_admin(struct xmpp_link *xl, struct req_muc *m)
{
	xmpp_stanza_t	*iq, *q, *item;

	iq = muc_iq(xl, m->op == MUC_LIST ? "get" : "set", m->room,
	    m->op == MUC_LIST ? IQ_MUC_LIST : IQ_MUC_ADMIN, NS_MUC_ADMIN, &q);
	item = xs_tag(xl->ctx, "item", NULL);
	if (m->op == MUC_SET_ROLE) {
		xmpp_stanza_set_attribute(item, "nick", m->nick);
		xmpp_stanza_set_attribute(item, "role", m->value);
	} else if (m->op == MUC_SET_AFFIL) {
		xmpp_stanza_set_attribute(item, "jid", m->jid);
		xmpp_stanza_set_attribute(item, "affiliation", m->value);
	} else
		xmpp_stanza_set_attribute(item, "affiliation", m->value);
	if (m->reason != NULL)
		xs_text_child(item, "reason", m->reason);
	add(q, item);
	send_release(xl, iq);
}

static void
muc_owner(struct xmpp_link *xl, struct req_muc *m)
{
	xmpp_stanza_t	*iq, *q, *x;
	size_t		 i;

	switch (m->op) {
	case MUC_CONFIG_GET:
		iq = muc_iq(xl, "get", m->room, IQ_MUC_CONFIG_GET,
		    NS_MUC_OWNER, &q);
		break;
	case MUC_DESTROY:
		iq = muc_iq(xl, "set", m->room, IQ_MUC_DESTROY, NS_MUC_OWNER,
		    &q);
		x = xs_tag(xl->ctx, "destroy", NULL);
		if (m->reason != NULL)
			xs_text_child(x, "reason", m->reason);
		add(q, x);
		break;
	default:
		iq = muc_iq(xl, "set", m->room, IQ_MUC_CONFIG_SET,
		    NS_MUC_OWNER, &q);
		x = xs_tag(xl->ctx, "x", NS_DATA);
		xmpp_stanza_set_attribute(x, "type", m->op == MUC_CONFIG_CANCEL ?
		    "cancel" : "submit");
		if (m->op == MUC_CONFIG_SUBMIT && m->nfields > 0)
			xs_field(x, "FORM_TYPE", "hidden",
			    "http://jabber.org/protocol/muc#roomconfig");
		for (i = 0; m->op == MUC_CONFIG_SUBMIT && i < m->nfields;
		    i++) {
			if (strcmp(m->keys[i], "FORM_TYPE") != 0)
				xs_field(x, m->keys[i], NULL, m->vals[i]);
		}
		add(q, x);
		break;
	}
	send_release(xl, iq);
}

static void
muc_message(struct xmpp_link *xl, struct req_muc *m)
{
	xmpp_stanza_t	*msg, *x, *inv;

	if (m->op == MUC_SUBJECT) {
		msg = xmpp_message_new(xl->ctx, "groupchat", m->room, NULL);
		xs_text_child(msg, "subject", m->text);
	} else {
		msg = xmpp_message_new(xl->ctx, NULL, m->room, NULL);
		x = xs_tag(xl->ctx, "x", NS_MUC_USER);
		inv = xs_tag(xl->ctx, "invite", NULL);
		xmpp_stanza_set_attribute(inv, "to", m->jid);
		if (m->reason != NULL)
			xs_text_child(inv, "reason", m->reason);
		add(x, inv);
		add(msg, x);
	}
	send_release(xl, msg);
}

void
xmuc_request(struct xmpp_link *xl, struct req *r)
{
	struct req_muc		*m = r->muc;
	struct iq_pending	*p;
	xmpp_stanza_t		*st, *c;

	switch (m->op) {
	case MUC_JOIN:
		muc_join(xl, m);
		break;
	case MUC_LEAVE:
	case MUC_NICK:
		st = xmpp_presence_new(xl->ctx);
		xmpp_stanza_set_to(st, m->to);
		if (m->op == MUC_LEAVE) {
			xmpp_stanza_set_type(st, "unavailable");
			if (m->reason != NULL)
				xs_text_child(st, "status", m->reason);
		} else
			muc_show_status(xl, st);
		send_release(xl, st);
		break;
	case MUC_SUBJECT:
	case MUC_INVITE:
		muc_message(xl, m);
		break;
	case MUC_SET_ROLE:
	case MUC_SET_AFFIL:
	case MUC_LIST:
		muc_admin(xl, m);
		break;
	case MUC_CONFIG_GET:
	case MUC_CONFIG_SUBMIT:
	case MUC_CONFIG_CANCEL:
	case MUC_DESTROY:
		muc_owner(xl, m);
		break;
	case MUC_PING:
		/* The core chose the id; track it under that id. */
		iqtrack_add(xl, m->to, IQ_MUC_PING);
		p = xl->iqs;
		free(p->id);
		p->id = xstrdup(m->id);
		st = xmpp_iq_new(xl->ctx, "get", m->id);
		xmpp_stanza_set_to(st, m->to);
		c = xs_tag(xl->ctx, "ping", NS_PING);
		add(st, c);
		send_release(xl, st);
		break;
	}
}

void
xmuc_iq_reply(struct xmpp_link *xl, struct iq_pending *p, xmpp_stanza_t *st,
    int ok)
{
	struct ev_muc		 m;
	struct ev		 ev;
	struct ev_muc_field	*fields = NULL;
	const char		**jids = NULL, **nicks = NULL;
	xmpp_stanza_t		*q, *x, *c, *v, *err;
	char			*text = NULL, **vals = NULL;
	size_t			 n = 0, i;

	memset(&m, 0, sizeof m);
	m.kind = MUC_EV_IQ;
	m.ok = ok;
	m.iq_from = p->expect;
	switch (p->kind) {
	case IQ_MUC_ADMIN:
		m.iq = MUC_IQ_ADMIN;
		break;
	case IQ_MUC_LIST:
		m.iq = MUC_IQ_LIST;
		break;
	case IQ_MUC_CONFIG_GET:
		m.iq = MUC_IQ_CONFIG_GET;
		break;
	case IQ_MUC_CONFIG_SET:
		m.iq = MUC_IQ_CONFIG_SET;
		break;
	case IQ_MUC_DESTROY:
		m.iq = MUC_IQ_DESTROY;
		break;
	default:
		m.iq = MUC_IQ_PING;
		break;
	}
	if (!ok && (err = xmpp_stanza_get_child_by_name(st, "error")) !=
	    NULL) {
		m.error = "undefined-condition";
		for (c = xmpp_stanza_get_children(err); c != NULL;
		    c = xmpp_stanza_get_next(c)) {
			if (!xmpp_stanza_is_tag(c) ||
			    xmpp_stanza_get_ns(c) == NULL ||
			    strcmp(xmpp_stanza_get_ns(c), NS_STANZAS) != 0)
				continue;
			if (strcmp(xmpp_stanza_get_name(c), "text") == 0)
				text = xmpp_stanza_get_text(c);
			else
				m.error = xmpp_stanza_get_name(c);
		}
		m.error_text = text;
	} else if (!ok)
		m.error = "undefined-condition";
	q = ok ? xmpp_stanza_get_child_by_name(st, "query") : NULL;
	if (q != NULL && m.iq == MUC_IQ_LIST) {
		for (c = xmpp_stanza_get_children(q); c != NULL;
		    c = xmpp_stanza_get_next(c)) {
			if (!xmpp_stanza_is_tag(c) ||
			    strcmp(xmpp_stanza_get_name(c), "item") != 0)
				continue;
			jids = xreallocarray(jids, n + 1, sizeof *jids);
			nicks = xreallocarray(nicks, n + 1, sizeof *nicks);
			jids[n] = xmpp_stanza_get_attribute(c, "jid");
			nicks[n] = xmpp_stanza_get_attribute(c, "nick");
			n++;
		}
		m.items_jid = jids;
		m.items_nick = nicks;
		m.nitems = n;
	}
	if (q != NULL && m.iq == MUC_IQ_CONFIG_GET &&
	    (x = xmpp_stanza_get_child_by_name_and_ns(q, "x", NS_DATA)) !=
	    NULL) {
		for (c = xmpp_stanza_get_children(x); c != NULL;
		    c = xmpp_stanza_get_next(c)) {
			if (!xmpp_stanza_is_tag(c) ||
			    strcmp(xmpp_stanza_get_name(c), "field") != 0)
				continue;
			fields = xreallocarray(fields, n + 1, sizeof *fields);
			vals = xreallocarray(vals, n + 1, sizeof *vals);
			fields[n].var = xmpp_stanza_get_attribute(c, "var");
			fields[n].type = xmpp_stanza_get_attribute(c, "type");
			fields[n].label = xmpp_stanza_get_attribute(c,
			    "label");
			v = xmpp_stanza_get_child_by_name(c, "value");
			vals[n] = v != NULL ? xmpp_stanza_get_text(v) : NULL;
			fields[n].value = vals[n];
			n++;
		}
		m.fields = fields;
		m.nfields = n;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MUC;
	ev.muc = &m;
	core_handle(xl->sz, &ev);
	if (text != NULL)
		xmpp_free(xl->ctx, text);
	for (i = 0; vals != NULL && i < n; i++) {
		if (vals[i] != NULL)
			xmpp_free(xl->ctx, vals[i]);
	}
	free(vals);
	free(fields);
	free(jids);
	free(nicks);
}
