/*
 * sync-mam.c - [sync] message archive queries (XEP-0313 with RSM
 * XEP-0059): the bookkeeping of queries in flight, the catch-up of a fresh
 * session and /history past the local log (see sync.h, core.h).
 *
 * Catch-up: with a last archive id stored in the log (table archives),
 * fetch every page after it (max 100 each) until the server says
 * complete; without one, fetch only the last page (mam.initial messages).
 * The id is stored after each page, once the page's messages are written.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sync.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MAM_PAGE	100

struct mam_q *
mam_find(struct sync *sy, const char *queryid)
{
	struct mam_q	*q;

	if (queryid == NULL)
		return NULL;
	for (q = sy->queries; q != NULL; q = q->next) {
		if (strcmp(q->queryid, queryid) == 0)
			return q;
	}
	return NULL;
}

void
mam_unlink(struct sync *sy, struct mam_q *q)
{
	struct mam_q	**pp;

	for (pp = &sy->queries; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			q->next = NULL;
			return;
		}
	}
}

void
mam_free(struct mam_q *q)
{
	size_t	i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nlines; i++) {
		free(q->lines[i].who);
		free(q->lines[i].text);
	}
	free(q->lines);
	free(q->queryid);
	free(q->archive);
	free(q->peer);
	free(q);
}

struct mam_q *
mam_start(struct szia *sz, enum mam_kind kind, const struct mam_query *mq)
{
	struct sync	*sy = sync_get(sz);
	struct mam_q	*q = xcalloc(1, sizeof *q);
	struct req	*r = req_new(REQ_MAM_QUERY);

	q->queryid = rand_id();
	q->archive = xstrdup_or_null(mq->archive);
	q->kind = kind;
	q->next = sy->queries;
	sy->queries = q;
	r->mam.archive = xstrdup_or_null(mq->archive);
	r->mam.with = xstrdup_or_null(mq->with);
	r->mam.start = xstrdup_or_null(mq->start);
	r->mam.after = xstrdup_or_null(mq->after);
	r->mam.before = xstrdup_or_null(mq->before);
	r->mam.max = mq->max > 0 ? mq->max : MAM_PAGE;
	r->mam.queryid = xstrdup(q->queryid);
	outbox_push(&sz->outbox, r);
	return q;
}

const char *
core_mam_query(struct szia *sz, const struct mam_query *mq)
{
	if (sz->session.state != CONN_ONLINE)
		return NULL;
	return mam_start(sz, MAM_OTHER, mq)->queryid;
}

int
core_mam_pending(const struct szia *sz, const char *queryid)
{
	return sz->sync != NULL && mam_find(sz->sync, queryid) != NULL;
}

/* Start the catch-up of the own archive (a fresh session). */
void
mam_catchup(struct szia *sz)
{
	struct sync		*sy = sync_get(sz);
	struct mam_query	 mq;
	char			*last = NULL;
	long			 initial;

	sy->fetched = 0;
	memset(&mq, 0, sizeof mq);
	if (sz->log != NULL && sz->log->archive_last != NULL)
		last = sz->log->archive_last(sz->log_ctx, sz->session.bare);
	if (last != NULL) {
		mq.after = last;
		mq.max = MAM_PAGE;
		mam_start(sz, MAM_CATCHUP, &mq);
		free(last);
		return;
	}
	initial = settings_num(&sz->settings, SET_MAM_INITIAL);
	if (initial <= 0)
		return;
	mq.before = "";
	mq.max = (int)initial;
	mam_start(sz, MAM_INITIAL, &mq);
}

/* Remember LAST as the newest id fetched from the own archive. */
static void
mam_store_last(struct szia *sz, const char *last)
{
	char	*cause = NULL;

	if (last == NULL || *last == '\0' || sz->log == NULL ||
	    sz->log->archive_set == NULL)
		return;
	if (sz->log->archive_set(sz->log_ctx, sz->session.bare, last,
	    &cause) != 0) {
		log_warn("archive: cannot store the last id: %s", cause);
		free(cause);
	}
}

static void
mam_backfill_done(struct szia *sz, struct mam_q *q, const struct ev *ev)
{
	struct window	*w = core_chat_window(sz, q->peer);

	if (w == NULL)
		return;
	if (q->nlines > 0) {
		window_prepend(w, q->lines, q->nlines);
		w->scroll += q->nlines;
		core_info(sz, w, "%zu older message%s from the server archive "
		    "(above).", q->nlines, q->nlines == 1 ? "" : "s");
	} else if (ev->mam_fin.complete || q->got == 0)
		core_info(sz, w, "No older messages in the server archive.");
	else
		core_info(sz, w, "No older messages the log does not have "
		    "already; /history again for more.");
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
}

void
sync_mam_fin(struct szia *sz, const struct ev *ev)
{
	struct sync		*sy = sync_get(sz);
	struct mam_q		*q = mam_find(sy, ev->mam_fin.queryid);
	struct mam_query	 mq;
	char			*err;

	if (q == NULL || q->kind == MAM_OTHER) {
		if (q != NULL) {	/* its owner has seen the event */
			mam_unlink(sy, q);
			mam_free(q);
		}
		return;
	}
	mam_unlink(sy, q);
	if (ev->mam_fin.error != NULL) {
		if (q->kind == MAM_CATCHUP &&
		    strstr(ev->mam_fin.error, "item-not-found") != NULL) {
			/* The archive no longer has our last id. */
			log_warn("archive: last id unknown to the server, "
			    "fetching the last page");
			memset(&mq, 0, sizeof mq);
			mq.before = "";
			mq.max = (int)settings_num(&sz->settings,
			    SET_MAM_INITIAL);
			if (mq.max > 0)
				mam_start(sz, MAM_INITIAL, &mq);
		} else {
			err = utf8_safe(ev->mam_fin.error);
			core_error(sz, q->kind == MAM_BACKFILL &&
			    core_chat_window(sz, q->peer) != NULL ?
			    core_chat_window(sz, q->peer) :
			    windows_console(&sz->windows),
			    "Server archive query failed: %s", err);
			free(err);
		}
		mam_free(q);
		return;
	}
	switch (q->kind) {
	case MAM_CATCHUP:
	case MAM_INITIAL:
		sy->fetched += q->fresh;
		mam_store_last(sz, ev->mam_fin.last);
		if (q->kind == MAM_CATCHUP && !ev->mam_fin.complete &&
		    ev->mam_fin.last != NULL && q->got > 0) {
			memset(&mq, 0, sizeof mq);
			mq.after = ev->mam_fin.last;
			mq.max = MAM_PAGE;
			mam_start(sz, MAM_CATCHUP, &mq);
		} else if (sy->fetched > 0)
			core_info(sz, windows_console(&sz->windows), "Server "
			    "archive: %u message%s fetched.", sy->fetched,
			    sy->fetched == 1 ? "" : "s");
		break;
	case MAM_BACKFILL:
		mam_backfill_done(sz, q, ev);
		break;
	case MAM_OTHER:
		break;
	}
	mam_free(q);
}

int
sync_history_more(struct szia *sz, struct window *w, size_t n)
{
	struct mam_query	 mq;
	struct mam_q		*q;
	char			*oldest = NULL;

	if (sz->session.state != CONN_ONLINE || w->type != WINDOW_CHAT)
		return -1;
	if (sz->log != NULL && sz->log->oldest_stanza_id != NULL)
		oldest = sz->log->oldest_stanza_id(sz->log_ctx, w->name);
	memset(&mq, 0, sizeof mq);
	mq.with = w->name;
	mq.before = oldest != NULL ? oldest : "";
	mq.max = n > MAM_PAGE ? MAM_PAGE : (int)n;
	q = mam_start(sz, MAM_BACKFILL, &mq);
	q->peer = xstrdup(w->name);
	free(oldest);
	return 0;
}
