/*
 * bookmark.c - group chat bookmarks: loading after login, autojoin,
 * changes from /bookmark and live updates from other clients (see
 * bookmark.h).
 *
 * Everything here that came from the network is raw: room JIDs are
 * parsed and normalised before they become keys, and names, nicks and
 * passwords are sanitised when shown.
 */
#include <stdlib.h>
#include <string.h>

#include "core/bookmark.h"
#include "core/jid.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* A change sent to the server, waiting for its answer. */
struct bm_change {
	char			*id;
	char			*room;		/* bare JID */
	int			 removal;
	char			*win;		/* where to report */
	struct bm_change	*next;
};

struct bookmarks *
bookmarks_get(struct szia *sz)
{
	if (sz->bookmarks == NULL)
		sz->bookmarks = xcalloc(1, sizeof *sz->bookmarks);
	return sz->bookmarks;
}

void
bookmark_clear(struct bookmark *b)
{
	free(b->jid);
	free(b->name);
	free(b->nick);
	free(b->password);
	free(b->extensions);
	memset(b, 0, sizeof *b);
}

static void
bookmark_copy(struct bookmark *to, const struct bookmark *from)
{
	to->jid = xstrdup(from->jid);
	to->name = xstrdup_or_null(from->name);
	to->nick = xstrdup_or_null(from->nick);
	to->password = xstrdup_or_null(from->password);
	to->extensions = xstrdup_or_null(from->extensions);
	to->autojoin = from->autojoin;
}

static int
bookmark_same(const struct bookmark *a, const struct bookmark *b)
{
#define SAME(f) ((a->f == NULL && b->f == NULL) || (a->f != NULL && \
	b->f != NULL && strcmp(a->f, b->f) == 0))
	return SAME(jid) && SAME(name) && SAME(nick) && SAME(password) &&
	    SAME(extensions) && a->autojoin == b->autojoin;
#undef SAME
}

static void
bookmark_changes_free(struct bookmarks *bm)
{
	struct bm_change	*c, *next;

	for (c = bm->changes; c != NULL; c = next) {
		next = c->next;
		free(c->id);
		free(c->room);
		free(c->win);
		free(c);
	}
	bm->changes = NULL;
}

static void
bookmark_list_free(struct bookmarks *bm)
{
	size_t	i;

	for (i = 0; i < bm->n; i++)
		bookmark_clear(&bm->list[i]);
	free(bm->list);
	bm->list = NULL;
	bm->n = 0;
}

struct bookmark *
bookmark_find(struct szia *sz, const char *room)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	size_t			 i;

	for (i = 0; i < bm->n; i++) {
		if (strcmp(bm->list[i].jid, room) == 0)
			return &bm->list[i];
	}
	return NULL;
}

/* Insert or replace (sorted by jid); 1 if the list changed. */
static int
bookmark_upsert(struct szia *sz, const struct bookmark *b)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	struct bookmark		*old = bookmark_find(sz, b->jid);
	struct bookmark		 copy;
	size_t			 i;

	if (old != NULL) {
		if (bookmark_same(old, b))
			return 0;
		bookmark_copy(&copy, b);	/* B may point into OLD */
		bookmark_clear(old);
		*old = copy;
		return 1;
	}
	for (i = 0; i < bm->n && strcmp(bm->list[i].jid, b->jid) < 0; i++)
		;
	bm->list = xreallocarray(bm->list, bm->n + 1, sizeof *bm->list);
	memmove(&bm->list[i + 1], &bm->list[i], (bm->n - i) *
	    sizeof *bm->list);
	bookmark_copy(&bm->list[i], b);
	bm->n++;
	return 1;
}

/* 1 if ROOM was there. */
static int
bookmark_drop(struct szia *sz, const char *room)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	struct bookmark		*b = bookmark_find(sz, room);
	size_t			 i;

	if (b == NULL)
		return 0;
	i = b - bm->list;
	bookmark_clear(b);
	memmove(&bm->list[i], &bm->list[i + 1], (bm->n - i - 1) *
	    sizeof *bm->list);
	bm->n--;
	return 1;
}

/* A validated copy of a remote bookmark (room JID normalised), or -1. */
static int
bookmark_from_ev(const struct ev_bookmark *in, struct bookmark *out)
{
	char	*bare;

	memset(out, 0, sizeof *out);
	if (in->jid == NULL || strchr(in->jid, '/') != NULL ||
	    (bare = jid_bare(in->jid)) == NULL) {
		log_warn("bookmarks: item with an invalid room JID dropped");
		return -1;
	}
	out->jid = bare;
	out->name = xstrdup_or_null(in->name);
	out->nick = xstrdup_or_null(in->nick);
	out->password = xstrdup_or_null(in->password);
	out->extensions = xstrdup_or_null(in->extensions);
	out->autojoin = in->autojoin;
	return 0;
}

static struct window *
bookmark_window(struct szia *sz, const char *name)
{
	struct window	*w = name != NULL ?
			    windows_find(&sz->windows, name) : NULL;

	return w != NULL ? w : windows_console(&sz->windows);
}

static void
bookmark_fetch(struct szia *sz)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	struct req		*r = req_new(REQ_BOOKMARK);

	r->bookmark.op = BM_FETCH;
	r->bookmark.private_storage = bm->mode == BM_MODE_PRIVATE;
	r->bookmark.id = rand_id();
	str_replace(&bm->fetch_id, r->bookmark.id);
	outbox_push(&sz->outbox, r);
}

void
bookmark_start(struct szia *sz, int pep)
{
	struct bookmarks	*bm = bookmarks_get(sz);

	/* A new login: what was asked on the last one gets no answer. */
	bookmark_list_free(bm);
	bookmark_changes_free(bm);
	bm->loaded = bm->autojoined = 0;
	bm->mode = pep ? BM_MODE_PEP : BM_MODE_PRIVATE;
	log_info("bookmarks: using %s", pep ? "XEP-0402 (PEP)" :
	    "XEP-0048 (private storage)");
	bookmark_fetch(sz);
}

static const char *
bookmark_where(const struct bookmarks *bm)
{
	return bm->mode == BM_MODE_PEP ? "PEP (XEP-0402)" :
	    "private storage (XEP-0048)";
}

static void
bookmark_fetched(struct szia *sz, const struct ev *ev)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	struct bookmark		 b;
	char			*err;
	size_t			 i;

	free(bm->fetch_id);
	bm->fetch_id = NULL;
	/* No node yet is an empty list (XEP-0402 on a fresh account). */
	if (!ev->bookmarks.ok && (ev->bookmarks.error == NULL ||
	    strcmp(ev->bookmarks.error, "item-not-found") != 0)) {
		err = utf8_safe(ev->bookmarks.error);
		core_error(sz, windows_console(&sz->windows), "Cannot load "
		    "bookmarks from %s: %s", bookmark_where(bm), err);
		free(err);
		return;
	}
	bookmark_list_free(bm);
	str_replace(&bm->storage_extra, ev->bookmarks.storage_extra);
	for (i = 0; i < ev->bookmarks.nitems; i++) {
		if (bookmark_from_ev(&ev->bookmarks.items[i], &b) == 0) {
			bookmark_upsert(sz, &b);
			bookmark_clear(&b);
		}
	}
	bm->loaded = 1;
	log_info("bookmarks: %zu loaded from %s", bm->n, bookmark_where(bm));
	if (bm->autojoined)
		return;
	bm->autojoined = 1;
	/* Copies: joining may show lines, and a notification may change
	 * the list meanwhile. */
	for (i = 0; i < bm->n; i++) {
		if (!bm->list[i].autojoin)
			continue;
		bookmark_copy(&b, &bm->list[i]);
		core_join_room(sz, b.jid, b.nick, b.password);
		bookmark_clear(&b);
	}
}

/* The answer to a change (publish, retract, store). */
static void
bookmark_changed(struct szia *sz, const struct ev *ev)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	struct bm_change	**pp, *c;
	char			*err;

	for (pp = &bm->changes; (c = *pp) != NULL; pp = &c->next) {
		if (strcmp(c->id, ev->bookmarks.id) == 0)
			break;
	}
	if (c == NULL)
		return;
	*pp = c->next;
	if (ev->bookmarks.ok)
		core_info(sz, bookmark_window(sz, c->win), "Bookmark %s %s.",
		    c->room, c->removal ? "removed" : "saved");
	else {
		err = utf8_safe(ev->bookmarks.error);
		core_error(sz, bookmark_window(sz, c->win), "Cannot %s "
		    "bookmark %s: %s", c->removal ? "remove" : "save", c->room,
		    err);
		free(err);
		bookmark_fetch(sz);	/* back to what the server has */
	}
	free(c->id);
	free(c->room);
	free(c->win);
	free(c);
}

/* A PEP notification: only from our own account (checked by xmpp/). */
static void
bookmark_notified(struct szia *sz, const struct ev *ev)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	struct window		*con = windows_console(&sz->windows);
	struct bookmark		 b;
	char			*bare;
	size_t			 i;

	if (bm->mode != BM_MODE_PEP || !bm->loaded)
		return;		/* the fetch will bring it */
	for (i = 0; i < ev->bookmarks.nitems; i++) {
		if (bookmark_from_ev(&ev->bookmarks.items[i], &b) != 0)
			continue;
		if (bookmark_upsert(sz, &b)) {
			core_info(sz, con, "Bookmark %s added or changed by "
			    "another client.", b.jid);
			/* XEP-0402 5.2: autojoin set elsewhere: join now
			 * (a room we are in is left alone). */
			if (b.autojoin)
				core_join_room(sz, b.jid, b.nick, b.password);
		}
		bookmark_clear(&b);
	}
	for (i = 0; i < ev->bookmarks.nretracted; i++) {
		if ((bare = jid_bare(ev->bookmarks.retracted[i])) == NULL)
			continue;
		if (bookmark_drop(sz, bare))
			core_info(sz, con, "Bookmark %s removed by another "
			    "client.", bare);
		free(bare);
	}
}

void
bookmark_handle(struct szia *sz, const struct ev *ev)
{
	struct bookmarks	*bm = bookmarks_get(sz);

	if (ev->bookmarks.id == NULL)
		bookmark_notified(sz, ev);
	else if (bm->fetch_id != NULL &&
	    strcmp(ev->bookmarks.id, bm->fetch_id) == 0)
		bookmark_fetched(sz, ev);
	else
		bookmark_changed(sz, ev);
}

/* Queue a change: PEP publish/retract of one item, or the whole list to
 * private storage (after the local list was changed). */
static void
bookmark_send(struct szia *sz, const struct bookmark *b, int removal,
    const char *win)
{
	struct bookmarks	*bm = bookmarks_get(sz);
	struct req		*r = req_new(REQ_BOOKMARK);
	struct bm_change	*c = xcalloc(1, sizeof *c);
	size_t			 i;

	r->bookmark.id = rand_id();
	if (bm->mode == BM_MODE_PEP) {
		r->bookmark.op = removal ? BM_RETRACT : BM_PUBLISH;
		r->bookmark.bm = xcalloc(1, sizeof *r->bookmark.bm);
		r->bookmark.nbm = 1;
		bookmark_copy(&r->bookmark.bm[0], b);
	} else {
		r->bookmark.op = BM_STORE;
		r->bookmark.private_storage = 1;
		r->bookmark.bm = xcalloc(bm->n + 1, sizeof *r->bookmark.bm);
		r->bookmark.nbm = bm->n;
		r->bookmark.storage_extra = xstrdup_or_null(bm->storage_extra);
		for (i = 0; i < bm->n; i++)
			bookmark_copy(&r->bookmark.bm[i], &bm->list[i]);
	}
	c->id = xstrdup(r->bookmark.id);
	c->room = xstrdup(b->jid);
	c->removal = removal;
	c->win = xstrdup_or_null(win);
	c->next = bm->changes;
	bm->changes = c;
	outbox_push(&sz->outbox, r);
}

static int
bookmark_ready(struct szia *sz, char **cause)
{
	struct bookmarks	*bm = bookmarks_get(sz);

	if (sz->session.state != CONN_ONLINE) {
		*cause = xstrdup("not connected");
		return -1;
	}
	if (!bm->loaded) {
		*cause = xstrdup("bookmarks are not loaded yet (try again "
		    "in a moment)");
		return -1;
	}
	return 0;
}

int
bookmark_save(struct szia *sz, const struct bookmark *b, const char *win,
    char **cause)
{
	struct bookmark	*saved;

	if (bookmark_ready(sz, cause) != 0)
		return -1;
	bookmark_upsert(sz, b);
	saved = bookmark_find(sz, b->jid);
	bookmark_send(sz, saved, 0, win);
	return 0;
}

int
bookmark_remove(struct szia *sz, const char *room, const char *win,
    char **cause)
{
	struct bookmark	 copy, *b;

	if (bookmark_ready(sz, cause) != 0)
		return -1;
	if ((b = bookmark_find(sz, room)) == NULL) {
		*cause = xasprintf("no bookmark for %s", room);
		return -1;
	}
	bookmark_copy(&copy, b);
	bookmark_drop(sz, room);
	bookmark_send(sz, &copy, 1, win);
	bookmark_clear(&copy);
	return 0;
}

void
bookmark_free_all(struct szia *sz)
{
	struct bookmarks	*bm = sz->bookmarks;

	disco_free(sz);
	if (bm == NULL)
		return;
	bookmark_list_free(bm);
	bookmark_changes_free(bm);
	free(bm->fetch_id);
	free(bm->storage_extra);
	free(bm);
	sz->bookmarks = NULL;
}
