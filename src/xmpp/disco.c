/*
 * disco.c - service discovery (XEP-0030) queries the core asks for:
 * disco#info and disco#items of any entity, their replies as EV_DISCO.
 *
 * The core chooses each query's id; replies are accepted only from the
 * entity asked (iqtrack).  Only the first page of a paged (XEP-0059)
 * #items result is read; the event says whether there is more.
 */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

void
iqtrack_add_id(struct xmpp_link *xl, const char *to, enum iq_kind kind,
    const char *id)
{
	struct iq_pending	*p;

	iqtrack_add(xl, to, kind);
	p = xl->iqs;		/* iqtrack_add puts it first */
	free(p->id);
	p->id = xstrdup(id);
}

void
xout_disco(struct xmpp_link *xl, struct req *r)
{
	xmpp_stanza_t	*iq = xmpp_iq_new(xl->ctx, "get", r->disco.id);
	xmpp_stanza_t	*q = xs_tag(xl->ctx, "query", r->disco.items ?
			    NS_DISCO_ITEMS : NS_DISCO_INFO);

	iqtrack_add_id(xl, r->disco.to, IQ_DISCO, r->disco.id);
	xmpp_stanza_set_to(iq, r->disco.to);
	if (r->disco.node != NULL)
		xmpp_stanza_set_attribute(q, "node", r->disco.node);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xl->send(xl, iq);
	xmpp_stanza_release(iq);
}

void
xout_account_disco(struct xmpp_link *xl)
{
	xmpp_stanza_t	*iq, *q;

	iq = xmpp_iq_new(xl->ctx, "get", iqtrack_add(xl, xl->bare,
	    IQ_DISCO_ACCOUNT));
	xmpp_stanza_set_to(iq, xl->bare);
	q = xs_tag(xl->ctx, "query", NS_DISCO_INFO);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xl->send(xl, iq);
	xmpp_stanza_release(iq);
}

/* The text of the first child NAME of ST, or NULL; xmpp_free()d by caller. */
static char *
disco_child_text(xmpp_stanza_t *st, const char *name)
{
	xmpp_stanza_t	*c = st != NULL ?
			    xmpp_stanza_get_child_by_name(st, name) : NULL;

	return c != NULL ? xmpp_stanza_get_text(c) : NULL;
}

/* "condition (text)" of an error reply, or just one of them. */
static char *
disco_error(xmpp_stanza_t *st, const char *fallback)
{
	xmpp_stanza_t	*err = xmpp_stanza_get_child_by_name(st, "error");
	xmpp_stanza_t	*c;
	const char	*cond = NULL, *ns;
	char		*text, *out;

	for (c = err != NULL ? xmpp_stanza_get_children(err) : NULL;
	    c != NULL; c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) &&
		    (ns = xmpp_stanza_get_ns(c)) != NULL &&
		    strcmp(ns, NS_STANZAS) == 0 &&
		    strcmp(xmpp_stanza_get_name(c), "text") != 0) {
			cond = xmpp_stanza_get_name(c);
			break;
		}
	}
	text = err != NULL ? disco_child_text(err, "text") : NULL;
	if (cond != NULL && text != NULL && *text != '\0')
		out = xasprintf("%s (%s)", cond, text);
	else
		out = xstrdup(cond != NULL ? cond : fallback);
	if (text != NULL)
		xmpp_free(xmpp_stanza_get_context(st), text);
	return out;
}

void
xin_disco_reply(struct xmpp_link *xl, struct iq_pending *p,
    xmpp_stanza_t *st, const char *error)
{
	char			*detail = error != NULL ?
				    disco_error(st, error) : NULL;

	struct ev		 ev;
	struct ev_identity	*ids = NULL;
	struct ev_disco_item	*list = NULL;
	const char		**feats = NULL, *ns;
	xmpp_stanza_t		*q = NULL, *c, *set;
	size_t			 nid = 0, nf = 0, nl = 0;
	char			*count;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCO;
	ev.disco.id = p->id;
	ev.disco.from = p->expect != NULL ? p->expect : xl->domain;
	ev.disco.ok = error == NULL;
	ev.disco.account = p->kind == IQ_DISCO_ACCOUNT;
	ev.disco.error = detail;
	for (c = xmpp_stanza_get_children(st); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "query") == 0 &&
		    (ns = xmpp_stanza_get_ns(c)) != NULL &&
		    (strcmp(ns, NS_DISCO_INFO) == 0 ||
		    strcmp(ns, NS_DISCO_ITEMS) == 0)) {
			q = c;
			ev.disco.items = strcmp(ns, NS_DISCO_ITEMS) == 0;
			break;
		}
	}
	if (error == NULL && q == NULL) {
		ev.disco.ok = 0;
		ev.disco.error = "malformed reply (no disco query)";
	}
	for (c = q != NULL ? xmpp_stanza_get_children(q) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c))
			continue;
		if (strcmp(xmpp_stanza_get_name(c), "identity") == 0 &&
		    xmpp_stanza_get_attribute(c, "category") != NULL &&
		    xmpp_stanza_get_attribute(c, "type") != NULL) {
			ids = xreallocarray(ids, nid + 1, sizeof *ids);
			ids[nid].category = xmpp_stanza_get_attribute(c,
			    "category");
			ids[nid].type = xmpp_stanza_get_attribute(c, "type");
			ids[nid++].name = xmpp_stanza_get_attribute(c, "name");
		} else if (strcmp(xmpp_stanza_get_name(c), "feature") == 0 &&
		    xmpp_stanza_get_attribute(c, "var") != NULL) {
			feats = xreallocarray(feats, nf + 1, sizeof *feats);
			feats[nf++] = xmpp_stanza_get_attribute(c, "var");
		} else if (strcmp(xmpp_stanza_get_name(c), "item") == 0 &&
		    xmpp_stanza_get_attribute(c, "jid") != NULL) {
			list = xreallocarray(list, nl + 1, sizeof *list);
			list[nl].jid = xmpp_stanza_get_attribute(c, "jid");
			list[nl].node = xmpp_stanza_get_attribute(c, "node");
			list[nl++].name = xmpp_stanza_get_attribute(c, "name");
		}
	}
	/* XEP-0059: a <set/> whose count exceeds what came is paged. */
	set = q != NULL ? xmpp_stanza_get_child_by_name_and_ns(q, "set",
	    NS_RSM) : NULL;
	if (set != NULL) {
		count = disco_child_text(set, "count");
		ev.disco.more = count != NULL &&
		    strtoul(count, NULL, 10) > nl;
		if (count != NULL)
			xmpp_free(xl->ctx, count);
	}
	ev.disco.identities = ids;
	ev.disco.nidentities = nid;
	ev.disco.features = feats;
	ev.disco.nfeatures = nf;
	ev.disco.list = list;
	ev.disco.nlist = nl;
	core_handle(xl->sz, &ev);
	free(ids);
	free(feats);
	free(list);
	free(detail);
}
