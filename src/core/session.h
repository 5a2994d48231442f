/*
 * session.h - the connection's life: connect, password, certificate
 * trust, reconnect with backoff, own presence and auto-away.
 */
#ifndef SZIA_SESSION_H
#define SZIA_SESSION_H

#include <stdint.h>

#include "core/core.h"

/*
 * Connect as JID.  Settings come from the saved account with that name or
 * bare JID if there is one; SERVER/PORT (may be NULL/0) override them.  The
 * password comes from the account, its eval_password command, or a hidden
 * prompt.  Returns 0, or -1 after printing why.
 */
int	session_connect(struct szia *, const char *name_or_jid,
	    const char *server, int port);
/* Trust the certificate that was just refused, remember it, reconnect. */
int	session_trust(struct szia *, char **cause);
/* Forget the refused certificate: stay disconnected. */
int	session_deny(struct szia *, char **cause);

void	session_on_connecting(struct szia *);
void	session_on_connected(struct szia *, const char *bound);
void	session_on_disconnected(struct szia *, enum conn_error, const char *);
void	session_on_cert(struct szia *, const struct ev *);

/* The priority to send: the account's, if it sets one, else the setting
 * presence.priority. */
int	session_priority(struct szia *);
/* Queue our presence (show/status/priority) if online. */
void	session_send_presence(struct szia *);
/* Reconnect and auto-away timers. */
void	session_tick(struct szia *, uint64_t now);
int	session_timeout(const struct szia *, uint64_t now);
void	session_activity(struct szia *, uint64_t now);
/* The delay before reconnect attempt N (ms, with jitter). */
uint64_t session_backoff(unsigned attempt, long max_seconds);
const char *conn_error_text(enum conn_error);
void	session_free(struct session *);
/* [files] an eval_password command's first line (szia --register). */
char	*session_eval_password(const char *command, char **cause);

#endif
