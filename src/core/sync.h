/*
 * sync.h - [sync] one consistent history across devices and disconnects
 * (core/sync.c, core/sync-mam.c): message carbons, the server archive
 * (MAM), de-duplication, the offline outbox and client state.
 *
 * Only for the core's own files; the public part is in core.h.
 */
#ifndef SZIA_SYNC_H
#define SZIA_SYNC_H

#include "core/core.h"

enum mam_kind {
	MAM_CATCHUP,		/* own archive: everything after the last id */
	MAM_INITIAL,		/* own archive: the last page, first login */
	MAM_BACKFILL,		/* /history: older than what we have */
	MAM_OTHER,		/* asked through core_mam_query() */
};

/* A MAM query in flight. */
struct mam_q {
	char		*queryid;
	char		*archive;	/* NULL: own account */
	enum mam_kind	 kind;
	char		*peer;		/* MAM_BACKFILL: the window's JID */
	struct line	*lines;		/* MAM_BACKFILL: to prepend at fin */
	size_t		 nlines;
	unsigned	 got;		/* results accepted */
	unsigned	 fresh;		/* ...not in the log before */
	struct mam_q	*next;
};

/* A message typed while not connected. */
struct pend {
	struct req	*req;
	char		*peer;		/* its window */
	unsigned	 tag;		/* line.sync_tag */
	struct pend	*next;
};

struct sync {
	struct mam_q	*queries;
	unsigned	 fetched;	/* this session's catch-up, so far */
	struct pend	*pending;	/* oldest first */
	struct pend	**pending_tail;
	unsigned	 next_tag;
	int		 unfocused;	/* the terminal lost focus */
	int		 inactive;	/* CSI state sent: inactive */
	struct sync_seen_set *seen;	/* this run's messages (sync-seen.c) */
};

struct sync	*sync_get(struct szia *);
void		 sync_free(struct szia *);

/* A fresh session (not a resumed one) started: carbons, catch-up, outbox. */
void	sync_on_connected(struct szia *);
/* The stream was resumed: only the outbox goes out. */
void	sync_on_resumed(struct szia *, const char *bound);
void	sync_on_disconnected(struct szia *);
/* A carbon or an archive result (ev->message.carbon / .archive). */
void	sync_message(struct szia *, const struct ev *);
/* Is this live message already in the log?  (Then it is dropped.) */
int	sync_seen(struct szia *, const char *peer, const struct ev *);
/* sync-seen.c: every logged message, remembered for sync_seen(). */
void	sync_remember(struct szia *, const char *peer, const char *from,
	    const char *id, const char *origin_id, const char *stanza_id);
int	sync_remembered(struct szia *, const char *peer, const struct ev *);
void	sync_seen_free(struct sync *);
void	sync_mam_fin(struct szia *, const struct ev *);
/* /history past the local log: ask the archive for N older messages of
 * W's peer.  0 if asked, -1 if not possible (offline). */
int	sync_history_more(struct szia *, struct window *, size_t n);
/* Keep BODY for W's peer until connected; shown as pending. */
void	sync_queue_message(struct szia *, struct window *, const char *body);
/* Idle timer for client state indication. */
void	sync_tick(struct szia *, uint64_t now);
int	sync_timeout(const struct szia *, uint64_t now);
void	sync_activity(struct szia *);

/* sync-mam.c */
struct mam_q *mam_start(struct szia *, enum mam_kind,
	    const struct mam_query *);
struct mam_q *mam_find(struct sync *, const char *queryid);
void	mam_unlink(struct sync *, struct mam_q *);
void	mam_free(struct mam_q *);
void	mam_catchup(struct szia *);

#endif
