/*
 * room-mam.c - a room's own archive (XEP-0313 on the room's JID).
 *
 * Catch-up: when the log has a message of the room stamped with the
 * room's stanza-id, the join asks for no history (maxstanzas=0) and, once
 * joined, szia pages through the room's archive after that id (100 a
 * page, until the room says complete).  Without such an id (a first join,
 * or a room that keeps no archive) the join asks for the MUC history since
 * the newest logged message instead, as before.  Archived messages are
 * de-duplicated against the log (stanza-id, or origin-id/id from the same
 * occupant), logged, and shown with their time.
 *
 * /history in a room window pages back into the archive (before the
 * oldest logged stanza-id) once the local log has nothing older.
 *
 * Results reach the core only from the room queried and with a queryid
 * still pending (src/xmpp/sync.c checks both); each room accepts only the
 * query it has in flight.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "core/sync.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define ROOM_MAM_PAGE	100

void
room_mam_forget(struct room *r)
{
	size_t	i;

	for (i = 0; i < r->mam_nlines; i++) {
		free(r->mam_lines[i].who);
		free(r->mam_lines[i].text);
	}
	free(r->mam_lines);
	r->mam_lines = NULL;
	r->mam_nlines = 0;
	free(r->mam_qid);
	r->mam_qid = NULL;
	r->mam_backfill = 0;
}

/* Ask the room's archive for one page; 0, or -1 if offline. */
static int
room_mam_ask(struct szia *sz, struct room *r, const char *after,
    const char *before, int max, int backfill)
{
	struct mam_query	 mq;
	const char		*qid;

	memset(&mq, 0, sizeof mq);
	mq.archive = r->jid;
	mq.after = after;
	mq.before = before;
	mq.max = max;
	if ((qid = core_mam_query(sz, &mq)) == NULL)
		return -1;
	room_mam_forget(r);
	r->mam_qid = xstrdup(qid);
	r->mam_backfill = backfill;
	return 0;
}

void
room_mam_catchup(struct szia *sz, struct room *r)
{
	if (r->catchup_after == NULL)
		return;
	r->mam_fetched = 0;
	if (room_mam_ask(sz, r, r->catchup_after, NULL, ROOM_MAM_PAGE, 0) < 0)
		return;
	free(r->catchup_after);
	r->catchup_after = NULL;
}

/* The room whose query QUERYID is, or NULL. */
static struct room *
room_of_query(struct szia *sz, const char *queryid)
{
	struct room	*r;

	if (queryid == NULL)
		return NULL;
	for (r = sz->rooms; r != NULL; r = r->next) {
		if (r->mam_qid != NULL && strcmp(r->mam_qid, queryid) == 0)
			return r;
	}
	return NULL;
}

void
room_on_archived(struct szia *sz, const struct ev *ev)
{
	struct room	*r = room_of_query(sz, ev->message.queryid);
	struct window	*w;
	struct line	*l;
	char		*bare, *nick, *who, *body;
	time_t		 ts = clock_wall();
	int		 ours, applied;

	bare = jid_bare(ev->message.from);
	if (r == NULL || bare == NULL || !jid_bare_eq(bare, r->jid) ||
	    !jid_bare_eq(ev->message.archive, r->jid)) {
		log_warn("room archive result from %s (query %s) is not one "
		    "we asked a room for: ignored", ev->message.from,
		    ev->message.queryid != NULL ? ev->message.queryid :
		    "(none)");
		free(bare);
		return;
	}
	free(bare);
	if (ev->message.body == NULL || ev->message.error != NULL)
		return;
	if (sync_seen(sz, r->jid, ev))
		return;
	r->mam_fetched++;
	if (ev->message.delay != 0 && ev->message.delay < ts)
		ts = ev->message.delay;
	nick = jid_resource(ev->message.from);
	ours = nick != NULL && r->nick != NULL && strcmp(nick, r->nick) == 0;
	/*
	 * XEP-0308 in a catch-up, as live where the live key is the full
	 * room JID (a room without occupant-id): an occupant's correction of
	 * their line, ours of ours.  Backfilled pages are older than every
	 * line shown: nothing there to correct.
	 */
	applied = !r->mam_backfill && nick != NULL &&
	    r->own_occupant_id == NULL && core_apply_correction(sz,
	    room_window(sz, r), ev->message.replace_id, ours ? NULL :
	    ev->message.from, ev->message.id, ev->message.body);
	core_log_edit(sz, r->jid, ev->message.from, ours ? r->jid :
	    sz->session.bound, ours, ts, "groupchat", ev->message.body,
	    ev->message.id, ev->message.origin_id, ev->message.stanza_id,
	    applied ? ev->message.replace_id : NULL);
	if (applied) {
		free(nick);
		return;
	}
	who = nick != NULL ? utf8_safe(nick) : NULL;
	body = utf8_sanitize(ev->message.body, strlen(ev->message.body),
	    UTF8_KEEP_NEWLINES);
	free(nick);
	if (r->mam_backfill) {
		/* Shown above everything when the page is complete. */
		r->mam_lines = xreallocarray(r->mam_lines, r->mam_nlines + 1,
		    sizeof *r->mam_lines);
		l = &r->mam_lines[r->mam_nlines++];
		memset(l, 0, sizeof *l);
		l->ts = ts;
		l->kind = who == NULL ? LINE_INFO : ours ? LINE_OUT : LINE_IN;
		l->flags = LINE_HISTORY | LINE_ARCHIVE;
		l->who = who;
		l->text = body;
		return;
	}
	w = room_window(sz, r);
	l = window_add(w, ts, who == NULL ? LINE_INFO : ours ? LINE_OUT :
	    LINE_IN, LINE_DELAYED | LINE_ARCHIVE, who, body);
	if (who != NULL) {
		l->msg_id = xstrdup_or_null(ev->message.id);
		if (!ours && r->own_occupant_id == NULL)
			l->sender = xstrdup(ev->message.from);
	}
	if (w == sz->windows.current || !ours)
		core_window_news(sz, w, 0);
	free(who);
	free(body);
}

static void
room_mam_done(struct szia *sz, struct room *r, const struct ev *ev)
{
	struct window	*w = room_window(sz, r);

	if (r->mam_backfill) {
		if (r->mam_nlines > 0) {
			window_prepend(w, r->mam_lines, r->mam_nlines);
			w->scroll += r->mam_nlines;
			core_info(sz, w, "%zu older message%s from the room's "
			    "archive (above).", r->mam_nlines,
			    r->mam_nlines == 1 ? "" : "s");
		} else
			core_info(sz, w, "No older messages in the room's "
			    "archive%s.", ev->mam_fin.complete ? "" :
			    " that the log does not have already");
	} else if (r->mam_fetched > 0)
		core_info(sz, w, "%u message%s from the room's archive since "
		    "you were last here.", r->mam_fetched,
		    r->mam_fetched == 1 ? "" : "s");
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
}

int
room_mam_fin(struct szia *sz, const struct ev *ev)
{
	struct room	*r = room_of_query(sz, ev->mam_fin.queryid);
	char		*err, *last;

	if (r == NULL)
		return 0;
	if (ev->mam_fin.error != NULL) {
		err = utf8_safe(ev->mam_fin.error);
		core_error(sz, room_window(sz, r), "The room's archive "
		    "answered: %s%s", err, r->mam_backfill ? "" :
		    " (messages sent while you were away are not shown)");
		free(err);
		room_mam_forget(r);
		return 1;
	}
	if (!r->mam_backfill && !ev->mam_fin.complete &&
	    ev->mam_fin.last != NULL && *ev->mam_fin.last != '\0') {
		/* The next page of the catch-up. */
		last = xstrdup(ev->mam_fin.last);
		if (room_mam_ask(sz, r, last, NULL, ROOM_MAM_PAGE, 0) == 0) {
			free(last);
			return 1;
		}
		free(last);
	}
	room_mam_done(sz, r, ev);
	room_mam_forget(r);
	return 1;
}

int
room_history_more(struct szia *sz, struct window *w, size_t n)
{
	struct room	*r = room_of_window(sz, w);
	char		*oldest = NULL;
	int		 rc;

	if (r == NULL || w->type != WINDOW_ROOM || r->state != ROOM_JOINED ||
	    r->mam_qid != NULL)
		return -1;
	if (sz->log != NULL && sz->log->oldest_stanza_id != NULL)
		oldest = sz->log->oldest_stanza_id(sz->log_ctx, r->jid);
	rc = room_mam_ask(sz, r, NULL, oldest != NULL ? oldest : "",
	    n > ROOM_MAM_PAGE ? ROOM_MAM_PAGE : (int)n, 1);
	free(oldest);
	return rc;
}
