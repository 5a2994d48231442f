/*
 * account.h - saved accounts in $XDG_CONFIG_HOME/szia/accounts (INI, 0600).
 *
 *   [work]
 *   jid = me@example.org
 *   password = ...            (or)  eval_password = pass show xmpp
 *   server = xmpp.example.org (optional: else SRV / the domain)
 *   port = 5222               (optional)
 *   tls = starttls | direct | plain   (plain only if you mean it)
 *   resource = szia
 *   tls_fingerprint = AB:CD:...       (set by /tls trust)
 *   priority = 0              (optional: else the setting presence.priority)
 *
 * The file is rewritten atomically with mode 0600 on every change.
 */
#ifndef SZIA_ACCOUNT_H
#define SZIA_ACCOUNT_H

#include <stddef.h>

#include "core/req.h"

struct account {
	char		*name;
	char		*jid;
	char		*password;
	char		*eval_password;
	char		*server;
	int		 port;
	enum tls_mode	 tls;
	char		*resource;
	char		*tls_fingerprint;
	int		 priority;
	int		 has_priority;	/* 0: use presence.priority */
	struct account	*next;
};

struct accounts {
	struct account	*head;
	char		*path;		/* NULL: not persisted */
};

void		 accounts_init(struct accounts *, const char *path);
void		 accounts_free(struct accounts *);
/* Load the file (missing: empty).  -1 with *cause naming the line. */
int		 accounts_load(struct accounts *, char **cause);
int		 accounts_save(const struct accounts *, char **cause);
struct account	*accounts_find(struct accounts *, const char *name);
/* The account whose bare JID is JID, or NULL. */
struct account	*accounts_find_jid(struct accounts *, const char *jid);
/* Create NAME for JID; -1 with *cause if the name exists or JID is bad. */
struct account	*accounts_add(struct accounts *, const char *name,
		     const char *jid, char **cause);
int		 accounts_remove(struct accounts *, const char *name);
/* Set KEY of A; -1 with *cause for an unknown key or a bad value. */
int		 account_set(struct account *, const char *key,
		     const char *value, char **cause);
/* The keys account_set() knows, NULL-terminated (for completion). */
extern const char *const account_keys[];
const char	*tls_mode_name(enum tls_mode);

#endif
