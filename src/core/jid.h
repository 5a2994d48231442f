/*
 * jid.h - Jabber IDs (RFC 7622): localpart@domainpart/resourcepart.
 *
 * jid_parse() checks the structure and lengths and normalises what can be
 * normalised without a full PRECIS implementation: the domain is lower-cased
 * (ASCII) and a trailing dot removed; the localpart is lower-cased (ASCII;
 * servers compare case-insensitively).  Forbidden localpart characters
 * ("&'/:<>@ and controls) and empty parts are rejected with a reason.
 */
#ifndef SZIA_JID_H
#define SZIA_JID_H

struct jid {
	char	*local;		/* NULL if none */
	char	*domain;
	char	*resource;	/* NULL if none */
	char	*bare;		/* local@domain or domain */
	char	*full;		/* bare/resource, or bare */
};

/* Returns a new jid, or NULL with *cause set (caller frees). */
struct jid	*jid_parse(const char *s, char **cause);
void		 jid_free(struct jid *);
/* Normalised bare JID of S, or NULL if S is not a valid JID. */
char		*jid_bare(const char *s);
/* The resource of S (a copy), or NULL. */
char		*jid_resource(const char *s);
/* Do A and B have the same normalised bare JID?  False if either is bad. */
int		 jid_bare_eq(const char *a, const char *b);
/* Is S a syntactically valid JID? */
int		 jid_valid(const char *s);

#endif
