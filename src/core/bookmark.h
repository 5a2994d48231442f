/*
 * bookmark.h - the account's group chat bookmarks (bookmark.c), shared
 * with /bookmark (cmd-bookmark.c) and service discovery (disco.c).
 *
 * Where they live is decided after login by disco#info of our own bare
 * JID: 'urn:xmpp:bookmarks:1#compat' means XEP-0402 (PEP, one item per
 * room, changes pushed live to every client); otherwise XEP-0048 in
 * private XML storage (the whole list rewritten on each change).
 */
#ifndef SZIA_BOOKMARK_H
#define SZIA_BOOKMARK_H

#include "core/core.h"

enum bookmark_mode {
	BM_MODE_UNKNOWN,	/* not decided yet (or offline) */
	BM_MODE_PEP,		/* XEP-0402 */
	BM_MODE_PRIVATE,	/* XEP-0048 private storage */
};

struct bm_change;

struct bookmarks {
	struct bookmark		*list;		/* sorted by jid */
	size_t			 n;
	enum bookmark_mode	 mode;
	int			 loaded;	/* list is the server's */
	int			 autojoined;	/* done for this login */
	char			*fetch_id;	/* fetch in flight */
	char			*storage_extra;	/* XEP-0048: other data in
						   the storage, kept */
	struct bm_change	*changes;	/* publish/retract/store in
						   flight */
};

/* The state (created on first use). */
struct bookmarks *bookmarks_get(struct szia *);
/* The bookmark of bare JID ROOM, or NULL. */
struct bookmark	*bookmark_find(struct szia *, const char *room);
/* Save B (copied; replaces one with the same jid); WIN: where to report.
 * 0, or -1 with *cause set (caller frees). */
int	bookmark_save(struct szia *, const struct bookmark *b,
	    const char *win, char **cause);
int	bookmark_remove(struct szia *, const char *room, const char *win,
	    char **cause);
void	bookmark_clear(struct bookmark *);
/* disco.c: the account's disco#info said whether XEP-0402 is there. */
void	bookmark_start(struct szia *, int pep);
/* disco.c: start a disco job (for /disco, /rooms); see disco.c. */
void	disco_user(struct szia *, const char *jid, const char *node,
	    const char *win);
void	disco_rooms(struct szia *, const char *service, const char *win);
/* disco.c: forget every query. */
void	disco_free(struct szia *);

#endif
