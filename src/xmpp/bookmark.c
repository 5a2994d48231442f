/*
 * bookmark.c - bookmarks on the wire: XEP-0402 (one PEP item per room in
 * urn:xmpp:bookmarks:1) or, on servers without it, XEP-0048 in private
 * XML storage (jabber:iq:private, storage:bookmarks).
 *
 * PEP notifications of the bookmarks node are accepted only from our own
 * bare JID: anyone can send us a message that looks like one.
 */
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

/* <conference/> for B: XEP-0402 (item id carries the JID) or XEP-0048. */
static xmpp_stanza_t *
bm_conference(xmpp_ctx_t *ctx, const struct bookmark *b, int old)
{
	xmpp_stanza_t	*c = xs_tag(ctx, "conference", old ? NULL :
			    NS_BOOKMARKS);
	xmpp_stanza_t	*ext;

	if (old)
		xmpp_stanza_set_attribute(c, "jid", b->jid);
	if (b->name != NULL)
		xmpp_stanza_set_attribute(c, "name", b->name);
	xmpp_stanza_set_attribute(c, "autojoin", b->autojoin ? "true" :
	    "false");
	if (b->nick != NULL)
		xs_text_child(c, "nick", b->nick);
	if (b->password != NULL)
		xs_text_child(c, "password", b->password);
	if (b->extensions != NULL && !old &&
	    (ext = xmpp_stanza_new_from_string(ctx, b->extensions)) != NULL) {
		xmpp_stanza_add_child(c, ext);	/* as another client left it */
		xmpp_stanza_release(ext);
	}
	return c;
}

static void
bm_add(xmpp_stanza_t *parent, xmpp_stanza_t *child)
{
	xmpp_stanza_add_child(parent, child);
	xmpp_stanza_release(child);
}

/* Add the elements of raw XML RAW (what we kept) to PARENT. */
static void
bm_add_raw(xmpp_stanza_t *parent, const char *raw)
{
	xmpp_ctx_t	*ctx = xmpp_stanza_get_context(parent);
	xmpp_stanza_t	*wrap, *c;
	char		*xml;

	xml = xasprintf("<kept xmlns='%s'>%s</kept>", NS_BOOKMARKS_OLD, raw);
	wrap = xmpp_stanza_new_from_string(ctx, xml);
	free(xml);
	for (c = wrap != NULL ? xmpp_stanza_get_children(wrap) : NULL;
	    c != NULL; c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c))
			bm_add(parent, xmpp_stanza_copy(c));
	}
	if (wrap != NULL)
		xmpp_stanza_release(wrap);
}

void
xout_bookmark(struct xmpp_link *xl, struct req *r)
{
	xmpp_ctx_t	*ctx = xl->ctx;
	xmpp_stanza_t	*iq, *ps, *op, *item, *q, *x;
	size_t		 i;
	int		 fetch = r->bookmark.op == BM_FETCH;

	iq = xmpp_iq_new(ctx, fetch ? "get" : "set", r->bookmark.id);
	iqtrack_add_id(xl, NULL, fetch ? IQ_BOOKMARK_FETCH :
	    IQ_BOOKMARK_CHANGE, r->bookmark.id);
	if (r->bookmark.private_storage) {
		q = xs_tag(ctx, "query", NS_PRIVATE);
		x = xs_tag(ctx, "storage", NS_BOOKMARKS_OLD);
		for (i = 0; !fetch && i < r->bookmark.nbm; i++)
			bm_add(x, bm_conference(ctx, &r->bookmark.bm[i], 1));
		if (!fetch && r->bookmark.storage_extra != NULL)
			bm_add_raw(x, r->bookmark.storage_extra);
		bm_add(q, x);
		bm_add(iq, q);
		xl->send(xl, iq);
		xmpp_stanza_release(iq);
		return;
	}
	ps = xs_tag(ctx, "pubsub", NS_PUBSUB);
	switch (r->bookmark.op) {
	case BM_FETCH:
		op = xs_tag(ctx, "items", NULL);
		xmpp_stanza_set_attribute(op, "node", NS_BOOKMARKS);
		bm_add(ps, op);
		break;
	case BM_RETRACT:
		op = xs_tag(ctx, "retract", NULL);
		xmpp_stanza_set_attribute(op, "node", NS_BOOKMARKS);
		xmpp_stanza_set_attribute(op, "notify", "true");
		item = xs_tag(ctx, "item", NULL);
		xmpp_stanza_set_attribute(item, "id", r->bookmark.bm[0].jid);
		bm_add(op, item);
		bm_add(ps, op);
		break;
	case BM_PUBLISH:
	case BM_STORE:
		op = xs_tag(ctx, "publish", NULL);
		xmpp_stanza_set_attribute(op, "node", NS_BOOKMARKS);
		item = xs_tag(ctx, "item", NULL);
		xmpp_stanza_set_attribute(item, "id", r->bookmark.bm[0].jid);
		bm_add(item, bm_conference(ctx, &r->bookmark.bm[0], 0));
		bm_add(op, item);
		bm_add(ps, op);
		/* XEP-0402 3.3: the node's configuration, on every publish. */
		op = xs_tag(ctx, "publish-options", NULL);
		x = xs_tag(ctx, "x", NS_DATA_FORMS);
		xmpp_stanza_set_attribute(x, "type", "submit");
		xs_field(x, "FORM_TYPE", "hidden",
		    "http://jabber.org/protocol/pubsub#publish-options");
		xs_field(x, "pubsub#persist_items", NULL, "true");
		xs_field(x, "pubsub#max_items", NULL, "max");
		xs_field(x, "pubsub#send_last_published_item", NULL, "never");
		xs_field(x, "pubsub#access_model", NULL, "whitelist");
		bm_add(op, x);
		bm_add(ps, op);
		break;
	}
	bm_add(iq, ps);
	xl->send(xl, iq);
	xmpp_stanza_release(iq);
}

/* Child NAME of ST as raw XML, or NULL. */
static char *
bm_raw(xmpp_stanza_t *st, const char *name)
{
	xmpp_stanza_t	*c = xmpp_stanza_get_child_by_name(st, name);
	char		*buf, *copy;
	size_t		 len;

	if (c == NULL || xmpp_stanza_to_text(c, &buf, &len) != XMPP_EOK)
		return NULL;
	copy = xstrndup(buf, len);
	xmpp_free(xmpp_stanza_get_context(st), buf);
	return copy;
}

/* Collected bookmarks of one stanza; strings owned here. */
struct bm_list {
	struct ev_bookmark	*items;
	size_t			 n;
	char			**owned;
	size_t			 nowned;
};

static const char *
bm_own(struct bm_list *l, char *s)
{
	if (s == NULL)
		return NULL;
	l->owned = xreallocarray(l->owned, l->nowned + 1, sizeof *l->owned);
	l->owned[l->nowned++] = s;
	return s;
}

/* Add conference C with room JID (attribute for XEP-0048, item id for
 * XEP-0402). */
static void
bm_parse(struct bm_list *l, xmpp_stanza_t *c, const char *jid)
{
	const char		*aj = xmpp_stanza_get_attribute(c, "autojoin");
	struct ev_bookmark	*b;

	if (jid == NULL)
		return;
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	b = &l->items[l->n++];
	b->jid = jid;
	b->name = xmpp_stanza_get_attribute(c, "name");
	b->autojoin = aj != NULL && (strcmp(aj, "true") == 0 ||
	    strcmp(aj, "1") == 0);
	b->nick = bm_own(l, xin_child_text(c, "nick"));
	b->password = bm_own(l, xin_child_text(c, "password"));
	b->extensions = bm_own(l, bm_raw(c, "extensions"));
}

static void
bm_list_free(struct bm_list *l)
{
	size_t	i;

	for (i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->items);
}

/* Append element C as raw XML to *EXTRA (what we do not understand
 * but must write back). */
static void
bm_keep(struct strbuf *extra, xmpp_stanza_t *c)
{
	char	*buf;
	size_t	 len;

	if (xmpp_stanza_to_text(c, &buf, &len) != XMPP_EOK)
		return;
	strbuf_add(extra, buf, len);
	xmpp_free(xmpp_stanza_get_context(c), buf);
}

/* Is C a tag NAME in namespace NS? */
static int
bm_is(xmpp_stanza_t *c, const char *name, const char *ns)
{
	const char	*cns;

	return xmpp_stanza_is_tag(c) &&
	    strcmp(xmpp_stanza_get_name(c), name) == 0 &&
	    (ns == NULL || ((cns = xmpp_stanza_get_ns(c)) != NULL &&
	    strcmp(cns, ns) == 0));
}

/* XEP-0402 <item id=JID><conference/></item>s under PARENT. */
static void
bm_parse_items(struct bm_list *l, xmpp_stanza_t *parent)
{
	xmpp_stanza_t	*it, *c;

	for (it = xmpp_stanza_get_children(parent); it != NULL;
	    it = xmpp_stanza_get_next(it)) {
		if (!bm_is(it, "item", NULL))
			continue;
		for (c = xmpp_stanza_get_children(it); c != NULL;
		    c = xmpp_stanza_get_next(c)) {
			if (bm_is(c, "conference", NS_BOOKMARKS)) {
				bm_parse(l, c, xmpp_stanza_get_id(it));
				break;
			}
		}
	}
}

/* XEP-0048 <storage/>: conferences, and the rest kept as raw XML. */
static void
bm_parse_storage(struct bm_list *l, struct strbuf *extra, xmpp_stanza_t *q)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (bm_is(c, "conference", NULL))
			bm_parse(l, c, xmpp_stanza_get_attribute(c, "jid"));
		else if (xmpp_stanza_is_tag(c))
			bm_keep(extra, c);
	}
}

void
xin_bookmark_reply(struct xmpp_link *xl, struct iq_pending *p,
    xmpp_stanza_t *st, const char *error)
{
	struct ev	 ev;
	struct bm_list	 l;
	struct strbuf	 extra;
	xmpp_stanza_t	*q;

	memset(&ev, 0, sizeof ev);
	memset(&l, 0, sizeof l);
	memset(&extra, 0, sizeof extra);
	ev.type = EV_BOOKMARKS;
	ev.bookmarks.id = p->id;
	ev.bookmarks.ok = error == NULL;
	ev.bookmarks.error = error;
	if (error == NULL && p->kind == IQ_BOOKMARK_FETCH) {
		if ((q = xmpp_stanza_get_child_by_name_and_ns(st, "query",
		    NS_PRIVATE)) != NULL &&
		    (q = xmpp_stanza_get_child_by_name_and_ns(q, "storage",
		    NS_BOOKMARKS_OLD)) != NULL)
			bm_parse_storage(&l, &extra, q);
		else if ((q = xmpp_stanza_get_child_by_name_and_ns(st,
		    "pubsub", NS_PUBSUB)) != NULL &&
		    (q = xmpp_stanza_get_child_by_name(q, "items")) != NULL)
			bm_parse_items(&l, q);
	}
	ev.bookmarks.items = l.items;
	ev.bookmarks.nitems = l.n;
	ev.bookmarks.storage_extra = extra.len > 0 ? extra.s : NULL;
	core_handle(xl->sz, &ev);
	bm_list_free(&l);
	strbuf_free(&extra);
}

int
xin_bookmark_event(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xmpp_stanza_t	*e, *items, *c;
	const char	*from = xmpp_stanza_get_from(st), *node;
	const char	**retracted = NULL;
	struct bm_list	 l;
	struct ev	 ev;
	size_t		 nr = 0;

	if ((e = xmpp_stanza_get_child_by_name_and_ns(st, "event",
	    NS_PUBSUB_EVENT)) == NULL ||
	    (items = xmpp_stanza_get_child_by_name(e, "items")) == NULL ||
	    (node = xmpp_stanza_get_attribute(items, "node")) == NULL ||
	    strcmp(node, NS_BOOKMARKS) != 0)
		return 0;
	/* Our own PEP service is our bare JID (no from: our account). */
	if (from != NULL && (xl->bare == NULL || strcmp(from, xl->bare) != 0)) {
		log_warn("bookmarks notification from %s ignored: only our "
		    "own account may send one", from);
		return 1;
	}
	memset(&l, 0, sizeof l);
	bm_parse_items(&l, items);
	for (c = xmpp_stanza_get_children(items); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (bm_is(c, "retract", NULL) &&
		    xmpp_stanza_get_id(c) != NULL) {
			retracted = xreallocarray(retracted, nr + 1,
			    sizeof *retracted);
			retracted[nr++] = xmpp_stanza_get_id(c);
		}
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_BOOKMARKS;
	ev.bookmarks.ok = 1;
	ev.bookmarks.items = l.items;
	ev.bookmarks.nitems = l.n;
	ev.bookmarks.retracted = retracted;
	ev.bookmarks.nretracted = nr;
	core_handle(xl->sz, &ev);
	bm_list_free(&l);
	free(retracted);
	return 1;
}
