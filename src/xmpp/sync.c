/*
 * sync.c - [sync] the XMPP side of synchronisation: message carbons
 * (XEP-0280), message archive queries (XEP-0313 with RSM XEP-0059),
 * client state indication (XEP-0352) and the refusal of remote-control
 * commands (XEP-0146).
 *
 * Origins are checked here, before anything reaches the core:
 *  - a carbon is unwrapped only when the outer message comes from exactly
 *    our own bare JID (anyone else could forge "sent" copies otherwise);
 *  - an archive result only when it comes from the archive we queried (own
 *    account: no from or our bare JID; a room: its bare JID) and carries a
 *    queryid of ours still pending.
 * The inner message then goes through xin_message() again, with the
 * carbon/archive fields set by xsync_message_fields().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

static int
xsync_is(xmpp_stanza_t *c, const char *name, const char *ns)
{
	return xmpp_stanza_is_tag(c) && xmpp_stanza_get_ns(c) != NULL &&
	    strcmp(xmpp_stanza_get_name(c), name) == 0 &&
	    strcmp(xmpp_stanza_get_ns(c), ns) == 0;
}

/* The first child element of ST named NAME in NS, or NULL. */
static xmpp_stanza_t *
xsync_child(xmpp_stanza_t *st, const char *name, const char *ns)
{
	xmpp_stanza_t	*c;

	if (st == NULL)
		return NULL;
	for (c = xmpp_stanza_get_children(st); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xsync_is(c, name, ns))
			return c;
	}
	return NULL;
}

/* The <message/> inside a <forwarded/> (its namespace is jabber:client). */
static xmpp_stanza_t *
xsync_forwarded_message(xmpp_stanza_t *fwd)
{
	xmpp_stanza_t	*c;

	for (c = fwd != NULL ? xmpp_stanza_get_children(fwd) : NULL;
	    c != NULL; c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "message") == 0)
			return c;
	}
	return NULL;
}

static struct xmam *
xsync_mam_find(struct xmpp_link *xl, const char *queryid, const char *iq_id)
{
	struct xmam	*m;

	for (m = xl->mams; m != NULL; m = m->next) {
		if (queryid != NULL && strcmp(m->queryid, queryid) == 0)
			return m;
		if (iq_id != NULL && strcmp(m->iq_id, iq_id) == 0)
			return m;
	}
	return NULL;
}

static void
xsync_mam_free(struct xmam *m)
{
	free(m->queryid);
	free(m->archive);
	free(m->iq_id);
	free(m);
}

void
xsync_clear(struct xmpp_link *xl)
{
	struct xmam	*m;

	while ((m = xl->mams) != NULL) {
		xl->mams = m->next;
		xsync_mam_free(m);
	}
	xl->csi_ok = xl->sm_ok = 0;
}

/* Hand the inner message M to xin_message() with the context set. */
static void
xsync_inner(struct xmpp_link *xl, xmpp_conn_t *conn, xmpp_stanza_t *m,
    int carbon, const char *archive, const char *queryid,
    const char *result_id, time_t delay)
{
	xl->sync_depth++;
	xl->sync_carbon = carbon;
	xl->sync_archive = archive;
	xl->sync_queryid = queryid;
	xl->sync_result_id = result_id;
	xl->sync_delay = delay;
	xin_message(conn, m, xl);
	xl->sync_depth--;
	xl->sync_carbon = 0;
	xl->sync_archive = xl->sync_queryid = xl->sync_result_id = NULL;
	xl->sync_delay = 0;
}

static int
xsync_carbon(struct xmpp_link *xl, xmpp_conn_t *conn, xmpp_stanza_t *st,
    xmpp_stanza_t *wrap, int kind)
{
	const char	*from = xmpp_stanza_get_from(st);
	xmpp_stanza_t	*m;

	/* XEP-0280 section 11: only our own account may send carbons. */
	if (from == NULL || xl->bare == NULL || strcmp(from, xl->bare) != 0) {
		log_warn("carbon from %s ignored: only our own account (%s) "
		    "may send one", from != NULL ? from : "(none)",
		    xl->bare != NULL ? xl->bare : "?");
		return 1;
	}
	m = xsync_forwarded_message(xsync_child(wrap, "forwarded",
	    NS_FORWARD));
	if (m == NULL) {
		log_warn("carbon without a forwarded message: ignored");
		return 1;
	}
	xsync_inner(xl, conn, m, kind, NULL, NULL, NULL, 0);
	return 1;
}

static int
xsync_result(struct xmpp_link *xl, xmpp_conn_t *conn, xmpp_stanza_t *st,
    xmpp_stanza_t *res)
{
	const char	*from = xmpp_stanza_get_from(st);
	const char	*queryid = xmpp_stanza_get_attribute(res, "queryid");
	const char	*id = xmpp_stanza_get_attribute(res, "id");
	const char	*archive;
	xmpp_stanza_t	*fwd, *m, *d;
	struct xmam	*q = xsync_mam_find(xl, queryid, NULL);

	archive = from != NULL ? from : xl->bare;
	if (q == NULL) {
		log_warn("archive result from %s with queryid %s: no such "
		    "query pending, ignored", archive != NULL ? archive : "?",
		    queryid != NULL ? queryid : "(none)");
		return 1;
	}
	if (archive == NULL || (q->archive == NULL ?
	    strcmp(archive, xl->bare) != 0 :
	    strcmp(archive, q->archive) != 0)) {
		log_warn("archive result from %s for our query to %s: "
		    "ignored", archive != NULL ? archive : "?",
		    q->archive != NULL ? q->archive : xl->bare);
		return 1;
	}
	fwd = xsync_child(res, "forwarded", NS_FORWARD);
	if (id == NULL || (m = xsync_forwarded_message(fwd)) == NULL) {
		log_warn("archive result without id or message: ignored");
		return 1;
	}
	d = xsync_child(fwd, "delay", NS_DELAY);
	xsync_inner(xl, conn, m, 0, archive, queryid, id, d != NULL ?
	    xin_parse_stamp(xmpp_stanza_get_attribute(d, "stamp")) : 0);
	return 1;
}

int
xsync_message(struct xmpp_link *xl, xmpp_conn_t *conn, xmpp_stanza_t *st)
{
	xmpp_stanza_t	*c;

	if (xl->sync_depth > 0)
		return 0;	/* the inner message: no wrapper in a wrapper */
	if ((c = xsync_child(st, "received", NS_CARBONS)) != NULL)
		return xsync_carbon(xl, conn, st, c, CARBON_RECEIVED);
	if ((c = xsync_child(st, "sent", NS_CARBONS)) != NULL)
		return xsync_carbon(xl, conn, st, c, CARBON_SENT);
	if ((c = xsync_child(st, "result", NS_MAM)) != NULL)
		return xsync_result(xl, conn, st, c);
	return 0;
}

void
xsync_message_fields(struct xmpp_link *xl, struct ev *ev)
{
	if (xl->sync_depth == 0)
		return;
	ev->message.carbon = xl->sync_carbon;
	ev->message.archive = xl->sync_archive;
	ev->message.queryid = xl->sync_queryid;
	if (xl->sync_result_id != NULL)
		ev->message.stanza_id = xl->sync_result_id;
	if (xl->sync_delay != 0)
		ev->message.delay = xl->sync_delay;
}

static void
xsync_mam_query(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*iq, *q, *x, *set, *b;
	struct xmam	*m;
	char		 max[16];
	const char	*id;

	id = iqtrack_add(xl, r->mam.archive, IQ_MAM);
	m = xcalloc(1, sizeof *m);
	m->queryid = xstrdup(r->mam.queryid);
	m->archive = xstrdup_or_null(r->mam.archive);
	m->iq_id = xstrdup(id);
	m->next = xl->mams;
	xl->mams = m;

	iq = xmpp_iq_new(xl->ctx, "set", id);
	if (r->mam.archive != NULL)
		xmpp_stanza_set_to(iq, r->mam.archive);
	q = xs_tag(xl->ctx, "query", NS_MAM);
	xmpp_stanza_set_attribute(q, "queryid", r->mam.queryid);
	x = xs_tag(xl->ctx, "x", NS_XDATA);
	xmpp_stanza_set_attribute(x, "type", "submit");
	xs_field(x, "FORM_TYPE", "hidden", NS_MAM);
	if (r->mam.with != NULL)
		xs_field(x, "with", NULL, r->mam.with);
	if (r->mam.start != NULL)
		xs_field(x, "start", NULL, r->mam.start);
	xmpp_stanza_add_child(q, x);
	xmpp_stanza_release(x);
	set = xs_tag(xl->ctx, "set", NS_RSM);
	snprintf(max, sizeof max, "%d", r->mam.max);
	xs_text_child(set, "max", max);
	if (r->mam.after != NULL)
		xs_text_child(set, "after", r->mam.after);
	if (r->mam.before != NULL && *r->mam.before != '\0')
		xs_text_child(set, "before", r->mam.before);
	else if (r->mam.before != NULL) {
		b = xs_tag(xl->ctx, "before", NULL);
		xmpp_stanza_add_child(set, b);
		xmpp_stanza_release(b);
	}
	xmpp_stanza_add_child(q, set);
	xmpp_stanza_release(set);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xl->send(xl, iq);
	xmpp_stanza_release(iq);
}

void
xsync_request(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*iq, *c;

	switch (r->type) {
	case REQ_MAM_QUERY:
		xsync_mam_query(xl, r);
		break;
	case REQ_CARBONS:
		iq = xmpp_iq_new(xl->ctx, "set", iqtrack_add(xl, NULL,
		    IQ_CARBONS));
		c = xs_tag(xl->ctx, "enable", NS_CARBONS);
		xmpp_stanza_add_child(iq, c);
		xmpp_stanza_release(c);
		xl->send(xl, iq);
		xmpp_stanza_release(iq);
		break;
	case REQ_PROBE:
		c = xmpp_presence_new(xl->ctx);
		xmpp_stanza_set_type(c, "probe");
		xmpp_stanza_set_to(c, r->probe.to);
		xl->send(xl, c);
		xmpp_stanza_release(c);
		break;
	case REQ_CSI:
		if (!xl->csi_ok) {
			log_debug("csi: the server does not offer it");
			break;
		}
		c = xs_tag(xl->ctx, r->csi.active ? "active" : "inactive",
		    NS_CSI);
		xl->send(xl, c);
		xmpp_stanza_release(c);
		break;
	default:
		break;
	}
}

/* "condition: text" of an error reply. */
static char *
xsync_condition(xmpp_stanza_t *st, const char *text)
{
	xmpp_stanza_t	*err = xmpp_stanza_get_child_by_name(st, "error");
	xmpp_stanza_t	*c;

	for (c = err != NULL ? xmpp_stanza_get_children(err) : NULL;
	    c != NULL; c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) && xmpp_stanza_get_ns(c) != NULL &&
		    strcmp(xmpp_stanza_get_ns(c), NS_STANZAS) == 0 &&
		    strcmp(xmpp_stanza_get_name(c), "text") != 0)
			return xasprintf("%s%s%s", xmpp_stanza_get_name(c),
			    text != NULL && strcmp(text,
			    xmpp_stanza_get_name(c)) != 0 ? ": " : "",
			    text != NULL && strcmp(text,
			    xmpp_stanza_get_name(c)) != 0 ? text : "");
	}
	return xstrdup(text != NULL ? text : "unknown error");
}

void
xsync_iq_reply(struct xmpp_link *xl, struct iq_pending *p, xmpp_stanza_t *st,
    int ok, const char *error)
{
	struct xmam	*m, **pp;
	xmpp_stanza_t	*fin, *set;
	struct ev	 ev;
	char		*first = NULL, *last = NULL;
	const char	*complete;

	if (p->kind == IQ_CARBONS) {
		if (!ok)
			log_warn("carbons: the server refused: %s", error);
		return;
	}
	if ((m = xsync_mam_find(xl, NULL, p->id)) == NULL)
		return;
	for (pp = &xl->mams; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MAM_FIN;
	ev.mam_fin.queryid = m->queryid;
	ev.mam_fin.archive = m->archive;
	if (!ok) {
		/* The condition too: the core looks for item-not-found. */
		ev.mam_fin.error = last = xsync_condition(st, error);
	} else if ((fin = xsync_child(st, "fin", NS_MAM)) != NULL) {
		complete = xmpp_stanza_get_attribute(fin, "complete");
		ev.mam_fin.complete = complete != NULL &&
		    (strcmp(complete, "true") == 0 ||
		    strcmp(complete, "1") == 0);
		if ((set = xsync_child(fin, "set", NS_RSM)) != NULL) {
			ev.mam_fin.first = first = xin_child_text(set, "first");
			ev.mam_fin.last = last = xin_child_text(set, "last");
		}
	} else
		ev.mam_fin.error = "no <fin/> in the answer";
	core_handle(xl->sz, &ev);
	free(first);
	free(last);
	xsync_mam_free(m);
}

static void
xsync_reply_error(struct xmpp_link *xl, xmpp_stanza_t *st, const char *cond)
{
	xmpp_ctx_t	*ctx = xmpp_stanza_get_context(st);
	xmpp_stanza_t	*reply, *err, *c;
	const char	*from = xmpp_stanza_get_from(st);

	reply = xmpp_iq_new(ctx, "error", xmpp_stanza_get_id(st) != NULL ?
	    xmpp_stanza_get_id(st) : "");
	if (from != NULL)
		xmpp_stanza_set_to(reply, from);
	err = xs_tag(ctx, "error", NULL);
	xmpp_stanza_set_attribute(err, "type", "auth");
	c = xs_tag(ctx, cond, NS_STANZAS);
	xmpp_stanza_add_child(err, c);
	xmpp_stanza_release(c);
	xmpp_stanza_add_child(reply, err);
	xmpp_stanza_release(err);
	xl->send(xl, reply);
	xmpp_stanza_release(reply);
}

int
xsync_iq_request(struct xmpp_link *xl, xmpp_stanza_t *st, xmpp_stanza_t *q,
    const char *type, const char *ns)
{
	const char	*node = xmpp_stanza_get_attribute(q, "node");
	const char	*from = xmpp_stanza_get_from(st);

	/*
	 * XEP-0146 remote control (and any other ad-hoc command): szia
	 * runs none, from anyone; its command list is empty.
	 */
	if (strcmp(ns, NS_COMMANDS) == 0 && strcmp(type, "set") == 0) {
		log_warn("ad-hoc command %s from %s refused", node != NULL ?
		    node : "(none)", from != NULL ? from : "(server)");
		xsync_reply_error(xl, st, "forbidden");
		return 1;
	}
	if (strcmp(ns, NS_DISCO_ITEMS) == 0 && strcmp(type, "get") == 0 &&
	    node != NULL && (strcmp(node, NS_COMMANDS) == 0 ||
	    strncmp(node, NS_RC_PREFIX, strlen(NS_RC_PREFIX)) == 0)) {
		log_warn("command list (%s) asked by %s: refused", node,
		    from != NULL ? from : "(server)");
		xsync_reply_error(xl, st, "forbidden");
		return 1;
	}
	return 0;
}

void
xsync_features(struct xmpp_link *xl, const char *raw)
{
	if (strstr(raw, "<features") == NULL &&
	    strstr(raw, "<stream:features") == NULL)
		return;
	if (strstr(raw, NS_CSI) != NULL)
		xl->csi_ok = 1;
	if (strstr(raw, NS_SM) != NULL)
		xl->sm_ok = 1;
}
