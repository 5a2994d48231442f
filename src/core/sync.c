/*
 * sync.c - [sync] one history across devices and disconnects (see
 * sync.h): carbons (XEP-0280) and archive results shown in the right
 * window once, de-duplication against the log, the offline outbox and
 * client state indication (XEP-0352).
 *
 * The XMPP layer has already checked where a carbon or an archive result
 * came from (a carbon only from our own bare JID; a result only from the
 * archive queried, for a query still pending).  Here a message is
 * de-duplicated by its stanza-id (stamped by our server), or by its
 * origin-id / id from the same sender, against everything logged, so a
 * message that arrives live, as a carbon and again from the archive is
 * stored and shown once.
 */
#include <stdlib.h>
#include <string.h>

#include "core/jid.h"
#include "core/sync.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

struct sync *
sync_get(struct szia *sz)
{
	if (sz->sync == NULL) {
		sz->sync = xcalloc(1, sizeof *sz->sync);
		sz->sync->pending_tail = &sz->sync->pending;
	}
	return sz->sync;
}

static void
pend_free(struct pend *p)
{
	req_free(p->req);
	free(p->peer);
	free(p);
}

void
sync_free(struct szia *sz)
{
	struct sync	*sy = sz->sync;
	struct mam_q	*q;
	struct pend	*p;

	if (sy == NULL)
		return;
	sync_seen_free(sy);
	while ((q = sy->queries) != NULL) {
		sy->queries = q->next;
		mam_free(q);
	}
	while ((p = sy->pending) != NULL) {
		sy->pending = p->next;
		pend_free(p);
	}
	free(sy);
	sz->sync = NULL;
}

/* --- the offline outbox ------------------------------------------------ */

void
sync_queue_message(struct szia *sz, struct window *w, const char *body)
{
	struct sync	*sy = sync_get(sz);
	struct session	*s = &sz->session;
	struct pend	*p = xcalloc(1, sizeof *p);
	struct line	*l;
	char		*text;
	time_t		 now = clock_wall();

	p->req = req_new(REQ_MESSAGE);
	p->req->message.to = xstrdup(w->locked != NULL ? w->locked : w->name);
	p->req->message.body = xstrdup(body);
	p->req->message.id = rand_id();
	p->req->message.type = xstrdup("chat");
	p->req->message.pending = 1;
	p->peer = xstrdup(w->name);
	p->tag = ++sy->next_tag;
	*sy->pending_tail = p;
	sy->pending_tail = &p->next;
	core_log(sz, w->name, s->bound != NULL ? s->bound : s->bare,
	    p->req->message.to, 1, now, "chat", body, p->req->message.id,
	    p->req->message.id, NULL);
	text = utf8_sanitize(body, strlen(body), UTF8_KEEP_NEWLINES);
	l = window_add(w, now, LINE_OUT, LINE_PENDING, "me", text);
	l->sync_tag = p->tag;
	free(text);
	if (sy->pending == p)
		core_info(sz, w, "Not connected: the message is kept and sent "
		    "when the connection is back%s.", s->state ==
		    CONN_OFFLINE ? " (/connect)" : "");
	w->scroll = 0;
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
}

/* Send everything typed while offline, oldest first. */
static void
sync_send_pending(struct szia *sz)
{
	struct sync	*sy = sync_get(sz);
	struct pend	*p;
	struct window	*w;
	struct line	*l;
	size_t		 i;

	while ((p = sy->pending) != NULL) {
		sy->pending = p->next;
		if (sy->pending == NULL)
			sy->pending_tail = &sy->pending;
		if ((w = core_chat_window(sz, p->peer)) != NULL) {
			for (i = w->buf.len; i > 0; i--) {
				l = window_line(w, i - 1);
				if (l->sync_tag == p->tag) {
					l->flags &= ~LINE_PENDING;
					l->sync_tag = 0;
					break;
				}
			}
			if (w == sz->windows.current)
				sz->dirty |= DIRTY_WINDOW;
		}
		p->req->message.pending = 0;
		outbox_push(&sz->outbox, p->req);
		p->req = NULL;
		pend_free(p);
	}
}

/* --- session ---------------------------------------------------------- */

void
sync_on_connected(struct szia *sz)
{
	struct sync	*sy = sync_get(sz);
	struct req	*r;

	/* A fresh session: presences come again after ours (a resumed
	 * one keeps them, and does not come here). */
	roster_all_offline(&sz->roster);
	sz->dirty |= DIRTY_ROSTER;
	outbox_push(&sz->outbox, req_new(REQ_CARBONS));
	sy->inactive = 0;
	if (sy->unfocused) {
		r = req_new(REQ_CSI);
		r->csi.active = 0;
		outbox_push(&sz->outbox, r);
		sy->inactive = 1;
	}
	mam_catchup(sz);
	sync_send_pending(sz);
}

/*
 * The core marked every contact offline when it saw the drop, and a
 * resumed session gets no presence again by itself: ask for it (RFC 6121
 * 4.3, a probe; the server answers for the contacts we may see).
 */
static void
sync_probe_contacts(struct szia *sz)
{
	struct contact	*c, *tmp;
	struct req	*r;

	HASH_ITER(hh, sz->roster.by_jid, c, tmp) {
		if (!c->in_roster || (c->sub != SUBSCRIPTION_TO &&
		    c->sub != SUBSCRIPTION_BOTH))
			continue;
		r = req_new(REQ_PROBE);
		r->probe.to = xstrdup(c->jid);
		outbox_push(&sz->outbox, r);
	}
}

void
sync_on_resumed(struct szia *sz, const char *bound)
{
	struct session	*s = &sz->session;
	char		*safe;

	if (s->state != CONN_ONLINE) {
		/* The core had seen the drop: online again, same session. */
		safe = utf8_safe(bound != NULL ? bound : s->jid);
		s->state = CONN_ONLINE;
		s->attempts = 0;
		s->last_error = ERR_NONE;
		str_replace(&s->bound, safe);
		core_info(sz, windows_console(&sz->windows), "Connection "
		    "resumed as %s: nothing was lost.", safe);
		free(safe);
		sz->dirty |= DIRTY_STATUS | DIRTY_TITLE;
		sync_probe_contacts(sz);
	} else
		log_info("stream resumed before anyone noticed");
	sync_send_pending(sz);
	/* Queries in flight died with the old connection's IQ tracking:
	 * the catch-up starts again from the last id stored. */
	if (sync_get(sz)->queries != NULL) {
		sync_on_disconnected(sz);
		mam_catchup(sz);
	}
}

void
sync_on_disconnected(struct szia *sz)
{
	struct sync	*sy = sync_get(sz);
	struct mam_q	*q;

	/* No answer can come on a new session. */
	while ((q = sy->queries) != NULL) {
		sy->queries = q->next;
		mam_free(q);
	}
}

/* --- messages --------------------------------------------------------- */

static int
sync_log_seen(struct szia *sz, const char *peer, const struct ev *ev)
{
	if (sz->log == NULL || sz->log->seen == NULL)
		return 0;
	return sz->log->seen(sz->log_ctx, peer, ev->message.stanza_id,
	    ev->message.origin_id, ev->message.id, ev->message.from);
}

int
sync_seen(struct szia *sz, const char *peer, const struct ev *ev)
{
	struct sync	*sy = sync_get(sz);

	/*
	 * This run's messages are in memory (sync-seen.c): a stanza the
	 * server resends after a resumption is found there.  The log is
	 * asked only about what may come from before this run: a late
	 * message (delay), a carbon, an archive result, and anything while
	 * an archive query runs.  Asking it for every live message would
	 * cost more than all the rest of the message's handling.
	 */
	if (!sync_remembered(sz, peer, ev)) {
		if (ev->message.carbon == 0 && ev->message.archive == NULL &&
		    ev->message.delay == 0 && sy->queries == NULL)
			return 0;
		if (!sync_log_seen(sz, peer, ev))
			return 0;
	}
	log_info("message %s from %s already logged: not shown twice",
	    ev->message.id != NULL ? ev->message.id : "(no id)", peer);
	return 1;
}

static struct mam_q *
sync_result_query(struct szia *sz, const struct ev *ev)
{
	struct mam_q	*q = mam_find(sync_get(sz), ev->message.queryid);
	int		 own_archive;

	if (q == NULL) {
		log_warn("archive result for query %s, which is not ours or "
		    "is over: ignored", ev->message.queryid != NULL ?
		    ev->message.queryid : "(none)");
		return NULL;
	}
	own_archive = sz->session.bare != NULL &&
	    strcmp(ev->message.archive, sz->session.bare) == 0;
	if (q->archive == NULL ? !own_archive :
	    !jid_bare_eq(q->archive, ev->message.archive)) {
		log_warn("archive result from %s for a query to %s: ignored",
		    ev->message.archive, q->archive != NULL ? q->archive :
		    "our account");
		return NULL;
	}
	return q;
}

void
sync_message(struct szia *sz, const struct ev *ev)
{
	const char	*own = sz->session.bare;
	struct mam_q	*q = NULL;
	struct window	*w;
	struct contact	*c;
	struct line	*l;
	char		*fbare, *peer, *body, *who;
	int		 outgoing, applied, flags = 0;
	time_t		 ts = clock_wall();

	/* Group chat (live or from a room's archive) is the room code's. */
	if (ev->message.type != NULL &&
	    strcmp(ev->message.type, "groupchat") == 0)
		return;
	if (ev->message.archive != NULL &&
	    (q = sync_result_query(sz, ev)) == NULL)
		return;
	if (q != NULL)
		q->got++;
	if (ev->message.body == NULL || ev->message.error != NULL ||
	    own == NULL || (fbare = jid_bare(ev->message.from)) == NULL)
		return;
	outgoing = strcmp(fbare, own) == 0;
	if (ev->message.carbon == CARBON_SENT && !outgoing) {
		log_warn("sent carbon of a message from %s, not from us: "
		    "ignored", fbare);
		free(fbare);
		return;
	}
	peer = outgoing ? jid_bare(ev->message.to) : xstrdup(fbare);
	free(fbare);
	if (peer == NULL) {
		log_warn("carbon or archived message without a valid "
		    "recipient: ignored");
		return;
	}
	if (sync_seen(sz, peer, ev)) {
		free(peer);
		return;
	}
	if (q != NULL)
		q->fresh++;
	if (ev->message.delay != 0 && ev->message.delay < ts)
		ts = ev->message.delay;
	if (ev->message.carbon != 0)
		flags |= LINE_CARBON;
	if (q != NULL)
		flags |= LINE_HISTORY | LINE_ARCHIVE;
	else if (ts < clock_wall() - 1)
		flags |= LINE_DELAYED;
	body = utf8_sanitize(ev->message.body, strlen(ev->message.body),
	    UTF8_KEEP_NEWLINES);
	c = roster_find(&sz->roster, peer);
	who = outgoing ? xstrdup("me") :
	    utf8_safe(c != NULL && c->in_roster ? c->display : peer);
	if (q != NULL && q->kind == MAM_BACKFILL) {
		/* Shown above everything at the end of the page. */
		core_log(sz, peer, ev->message.from, ev->message.to,
		    outgoing, ts, ev->message.type != NULL ?
		    ev->message.type : "chat", ev->message.body,
		    ev->message.id, ev->message.origin_id,
		    ev->message.stanza_id);
		q->lines = xreallocarray(q->lines, q->nlines + 1,
		    sizeof *q->lines);
		memset(&q->lines[q->nlines], 0, sizeof *q->lines);
		q->lines[q->nlines].ts = ts;
		q->lines[q->nlines].kind = outgoing ? LINE_OUT : LINE_IN;
		q->lines[q->nlines].flags = flags;
		q->lines[q->nlines].who = who;
		q->lines[q->nlines].text = body;
		q->nlines++;
		free(peer);
		return;
	}
	w = core_open_chat(sz, peer, 0);
	/* XEP-0308, as live: the contact's correction of their own line, or
	 * ours (sent from our other client) of one of ours. */
	applied = core_apply_correction(sz, w, ev->message.replace_id,
	    outgoing ? NULL : peer, ev->message.id, ev->message.body);
	core_log_edit(sz, peer, ev->message.from, ev->message.to, outgoing, ts,
	    ev->message.type != NULL ? ev->message.type : "chat",
	    ev->message.body, ev->message.id, ev->message.origin_id,
	    ev->message.stanza_id, applied ? ev->message.replace_id : NULL);
	if (!applied) {
		l = window_add(w, ts, outgoing ? LINE_OUT : LINE_IN, flags, who,
		    body);
		l->msg_id = xstrdup_or_null(ev->message.id);
		if (!outgoing)
			l->sender = xstrdup(peer);
	}
	if (!applied && (w == sz->windows.current || !outgoing))
		core_window_news(sz, w, 0);
	free(who);
	free(body);
	free(peer);
}

/* --- client state indication ------------------------------------------ */

static void
sync_csi(struct szia *sz, int active)
{
	struct sync	*sy = sync_get(sz);
	struct req	*r;

	if (sy->inactive == !active)
		return;
	sy->inactive = !active;
	if (sz->session.state != CONN_ONLINE)
		return;
	r = req_new(REQ_CSI);
	r->csi.active = active;
	outbox_push(&sz->outbox, r);
}

void
core_focus(struct szia *sz, int focused)
{
	struct sync	*sy = sync_get(sz);

	sy->unfocused = !focused;
	if (focused)
		core_activity(sz, sz->now);
	sync_csi(sz, focused);
}

void
sync_activity(struct szia *sz)
{
	struct sync	*sy = sync_get(sz);

	if (!sy->unfocused)
		sync_csi(sz, 1);
}

static uint64_t
sync_idle_limit(const struct szia *sz)
{
	return (uint64_t)settings_num(&sz->settings, SET_CSI_IDLE) * 60000;
}

void
sync_tick(struct szia *sz, uint64_t now)
{
	uint64_t	limit = sync_idle_limit(sz);

	if (limit > 0 && sz->session.state == CONN_ONLINE &&
	    now - sz->last_activity >= limit)
		sync_csi(sz, 0);
}

int
sync_timeout(const struct szia *sz, uint64_t now)
{
	uint64_t	limit = sync_idle_limit(sz), at;

	if (limit == 0 || sz->session.state != CONN_ONLINE ||
	    (sz->sync != NULL && sz->sync->inactive))
		return -1;
	at = sz->last_activity + limit;
	if (at <= now)
		return 0;
	return at - now > 3600000 ? 3600000 : (int)(at - now);
}
