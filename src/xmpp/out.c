/*
 * out.c - core requests to stanzas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

xmpp_stanza_t *
xs_tag(xmpp_ctx_t *ctx, const char *name, const char *ns)
{
	xmpp_stanza_t	*t = xmpp_stanza_new(ctx);

	xmpp_stanza_set_name(t, name);
	if (ns != NULL)
		xmpp_stanza_set_ns(t, ns);
	return t;
}

void
xs_text_child(xmpp_stanza_t *parent, const char *name, const char *text)
{
	xmpp_ctx_t	*ctx = xmpp_stanza_get_context(parent);
	xmpp_stanza_t	*c = xs_tag(ctx, name, NULL);
	xmpp_stanza_t	*t = xmpp_stanza_new(ctx);

	xmpp_stanza_set_text(t, text);
	xmpp_stanza_add_child(c, t);
	xmpp_stanza_release(t);
	xmpp_stanza_add_child(parent, c);
	xmpp_stanza_release(c);
}

void
xs_field(xmpp_stanza_t *x, const char *var, const char *type,
    const char *value)
{
	xmpp_stanza_t	*f = xs_tag(xmpp_stanza_get_context(x), "field", NULL);

	xmpp_stanza_set_attribute(f, "var", var);
	if (type != NULL)
		xmpp_stanza_set_attribute(f, "type", type);
	xs_text_child(f, "value", value);
	xmpp_stanza_add_child(x, f);
	xmpp_stanza_release(f);
}

static void
xout_send(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xl->send(xl, st);
	xmpp_stanza_release(st);
}

static void
xout_message(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*m, *oid;

	m = xmpp_message_new(xl->ctx, r->message.type, r->message.to,
	    r->message.id);
	xmpp_message_set_body(m, r->message.body);
	oid = xs_tag(xl->ctx, "origin-id", NS_SID);
	xmpp_stanza_set_attribute(oid, "id", r->message.id);
	xmpp_stanza_add_child(m, oid);
	xmpp_stanza_release(oid);
	if (r->message.muc_pm) {	/* [muc] XEP-0045 7.5 */
		oid = xs_tag(xl->ctx, "x", NS_MUC_USER);
		xmpp_stanza_add_child(m, oid);
		xmpp_stanza_release(oid);
	}
	xq_message_out(xl, m, r);
	/* [files] XEP-0066: the link of an upload */
	if (r->message.oob_url != NULL) {
		oid = xs_tag(xl->ctx, "x", NS_OOB);
		xs_text_child(oid, "url", r->message.oob_url);
		xmpp_stanza_add_child(m, oid);
		xmpp_stanza_release(oid);
	}
	xout_send(xl, m);
}

static void
xout_presence(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*p = xmpp_presence_new(xl->ctx);
	char		 prio[8];

	switch (r->presence.show) {
	case SHOW_CHAT:
	case SHOW_AWAY:
	case SHOW_XA:
	case SHOW_DND:
		xs_text_child(p, "show", show_name(r->presence.show));
		break;
	default:
		break;
	}
	if (r->presence.status != NULL)
		xs_text_child(p, "status", r->presence.status);
	if (r->presence.priority != 0) {
		snprintf(prio, sizeof prio, "%d", r->presence.priority);
		xs_text_child(p, "priority", prio);
	}
	caps_add(xl, p);
	xout_send(xl, p);
}

static void
xout_subscription(struct xmpp_link *xl, struct req *r)
{
	static const char *const types[] = {
		[SUB_SUBSCRIBE] = "subscribe",
		[SUB_SUBSCRIBED] = "subscribed",
		[SUB_UNSUBSCRIBE] = "unsubscribe",
		[SUB_UNSUBSCRIBED] = "unsubscribed",
	};
	xmpp_stanza_t	*p = xmpp_presence_new(xl->ctx);

	xmpp_stanza_set_type(p, types[r->subscription.sub]);
	xmpp_stanza_set_to(p, r->subscription.to);
	xout_send(xl, p);
}

static void
xout_roster(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*iq, *q, *item;
	size_t		 i;

	iq = xmpp_iq_new(xl->ctx, "set",
	    iqtrack_add(xl, NULL, IQ_ROSTER_SET));
	q = xs_tag(xl->ctx, "query", NS_ROSTER);
	item = xs_tag(xl->ctx, "item", NULL);
	xmpp_stanza_set_attribute(item, "jid", r->roster.jid);
	if (r->type == REQ_ROSTER_REMOVE)
		xmpp_stanza_set_attribute(item, "subscription", "remove");
	else {
		if (r->roster.name != NULL)
			xmpp_stanza_set_attribute(item, "name",
			    r->roster.name);
		for (i = 0; i < r->roster.ngroups; i++)
			xs_text_child(item, "group", r->roster.groups[i]);
	}
	xmpp_stanza_add_child(q, item);
	xmpp_stanza_release(item);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xout_send(xl, iq);
}

static void
xout_ping(struct xmpp_link *xl, const char *to, const char *id)
{
	xmpp_stanza_t	*iq = xmpp_iq_new(xl->ctx, "get", id);
	xmpp_stanza_t	*ping = xs_tag(xl->ctx, "ping", NS_PING);

	xmpp_stanza_set_to(iq, to);
	xmpp_stanza_add_child(iq, ping);
	xmpp_stanza_release(ping);
	xout_send(xl, iq);
}

/* [files] XEP-0077 3.3: change the password of the logged-in account. */
static void
xout_password(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*iq, *q;
	char		*local = xstrdup(xl->bare), *at;

	if ((at = strchr(local, '@')) != NULL)
		*at = '\0';
	iq = xmpp_iq_new(xl->ctx, "set", iqtrack_add(xl, NULL, IQ_PASSWORD));
	xmpp_stanza_set_to(iq, xl->domain);
	q = xs_tag(xl->ctx, "query", NS_REGISTER);
	xs_text_child(q, "username", local);
	xs_text_child(q, "password", r->password.password);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xout_send(xl, iq);
	free(local);
}

void
xout_request(struct xmpp_link *xl, struct req *r)
{
	struct iq_pending	*p;

	switch (r->type) {
	case REQ_MESSAGE:
		xout_message(xl, r);
		break;
	case REQ_PRESENCE:
		xout_presence(xl, r);
		break;
	case REQ_SUBSCRIPTION:
		xout_subscription(xl, r);
		break;
	case REQ_ROSTER_SET:
	case REQ_ROSTER_REMOVE:
		xout_roster(xl, r);
		break;
	case REQ_PING:
		/* The core chose the id; track it under that id. */
		iqtrack_add(xl, r->ping.to, IQ_PING_USER);
		p = xl->iqs;
		free(p->id);
		p->id = xstrdup(r->ping.id);
		xout_ping(xl, r->ping.to, r->ping.id);
		break;
	/* [muc] group chat */
	case REQ_MUC:
		xmuc_request(xl, r);
		break;

	/* bookmarks, caps, disco */
	case REQ_DISCO:
		xout_disco(xl, r);
		break;
	case REQ_BOOKMARK:
		xout_bookmark(xl, r);
		break;

	/* [sync] archive and sync */
	case REQ_MAM_QUERY:
	case REQ_CARBONS:
	case REQ_CSI:
	case REQ_PROBE:
		xsync_request(xl, r);
		break;

	/* [quality] message quality */
	case REQ_MARK:
	case REQ_CHATSTATE:
	case REQ_QUALITY_IQ:
		xq_request(xl, r);
		break;

	/* [files] upload and accounts */
	case REQ_UPLOAD:
		xl_upload_request(xl, r);
		break;
	case REQ_UPLOAD_CANCEL:
		xl_upload_cancel(xl, r->upload.id);
		break;
	case REQ_PASSWORD:
		xout_password(xl, r);
		break;
	case REQ_REGISTER:
		break;

	case REQ_CONNECT:
	case REQ_DISCONNECT:
		break;
	}
}

void
xout_roster_get(struct xmpp_link *xl)
{
	xmpp_stanza_t	*iq, *q;

	iq = xmpp_iq_new(xl->ctx, "get", iqtrack_add(xl, NULL,
	    IQ_ROSTER_GET));
	q = xs_tag(xl->ctx, "query", NS_ROSTER);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xout_send(xl, iq);
}

void
xout_keepalive(struct xmpp_link *xl)
{
	const char	*id = iqtrack_add(xl, xl->domain, IQ_PING_KEEPALIVE);

	free(xl->keepalive_id);
	xl->keepalive_id = xstrdup(id);
	xout_ping(xl, xl->domain, id);
}
