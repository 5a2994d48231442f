/*
 * roster.h - contacts and their presence (RFC 6121).
 *
 * Contacts are found by bare JID through a hash table (uthash, header-only
 * from Debian's uthash-dev: no runtime dependency and no per-lookup
 * allocation).  For the roster panel the roster also keeps "rows": one per
 * (group, contact) pair, in display order: groups by name (contacts with no
 * group last, under "Contacts"), then available contacts before offline
 * ones, then by display name.  The order is maintained incrementally: a
 * change removes and re-inserts only the rows of the contact that changed
 * (binary search), so a presence flood costs O(log n) per stanza plus a
 * memmove, never a full re-sort.
 *
 * All strings in the structures are sanitised by the core before they get
 * here and owned by the roster.
 */
#ifndef SZIA_ROSTER_H
#define SZIA_ROSTER_H

#include <stddef.h>

#include <uthash.h>

#include "core/event.h"

enum subscription {
	SUBSCRIPTION_NONE,
	SUBSCRIPTION_TO,	/* we see their presence */
	SUBSCRIPTION_FROM,	/* they see ours */
	SUBSCRIPTION_BOTH,
};

struct resource {
	char		*name;
	enum show	 show;
	char		*status;
	int		 priority;
	struct resource	*next;
};

struct contact {
	char			*jid;		/* bare, normalised: the key */
	char			*name;		/* roster name or NULL */
	char			*display;	/* name, else the JID */
	char			**groups;
	size_t			 ngroups;
	enum subscription	 sub;
	int			 ask;		/* subscription pending */
	int			 in_roster;	/* 0: known only from presence */
	struct resource		*resources;	/* available ones */
	enum show		 show;		/* best resource's, or OFFLINE */
	char			*status;	/* best resource's status */
	UT_hash_handle		 hh;
};

/* A line of the roster panel. */
struct roster_row {
	const char	*group;		/* borrowed from the contact, or
					   ROSTER_NO_GROUP */
	struct contact	*contact;
};

#define ROSTER_NO_GROUP	"Contacts"

struct roster {
	struct contact		*by_jid;	/* uthash head */
	struct roster_row	*rows;
	size_t			 nrows;
	size_t			 rows_cap;
	size_t			 ncontacts;	/* in_roster ones */
	unsigned		 version;	/* bumped on every change */
};

void		 roster_init(struct roster *);
void		 roster_clear(struct roster *);
struct contact	*roster_find(struct roster *, const char *bare);
/*
 * Add or update a roster item from the server (a roster result or push).
 * JID must already be validated and normalised.  A subscription of
 * "remove" deletes the contact.  Returns the contact or NULL if removed.
 */
struct contact	*roster_update(struct roster *, const struct ev_item *);
/* Drop items not in the new full roster: call before a full reload. */
void		 roster_reset_items(struct roster *);
/*
 * Record presence of BARE/RESOURCE.  Unknown contacts are created with
 * in_roster = 0 (they are not shown in the panel).  Returns the contact.
 */
struct contact	*roster_presence(struct roster *, const char *bare,
		     const char *resource, int available, enum show show,
		     const char *status, int priority);
/* Mark every contact offline (we disconnected). */
void		 roster_all_offline(struct roster *);
/* The available resource with the highest priority, or NULL. */
struct resource	*roster_best_resource(const struct contact *);
int		 contact_in_group(const struct contact *, const char *group);

#endif
