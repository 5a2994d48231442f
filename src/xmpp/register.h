/*
 * register.h - XEP-0077 in-band registration: create an account.
 *
 * A connection of its own (libstrophe's raw mode): TCP, STARTTLS or
 * direct TLS with the same trust as a login (system CAs, or the pinned
 * fingerprint), the registration form, the submission.  Only forms that
 * ask for a username and a password are filled in; anything more (a
 * CAPTCHA, an e-mail address) is explained and refused.
 *
 * `szia --register` runs it to the end on a context of its own
 * (register_blocking); /register runs it inside the main loop
 * (REQ_REGISTER -> EV_REGISTER, polled through the functions below).
 */
#ifndef SZIA_REGISTER_H
#define SZIA_REGISTER_H

#include "core/req.h"

struct xmpp_link;

struct reg_params {
	const char	*jid;		/* bare JID to create */
	const char	*password;
	const char	*server;	/* NULL: the domain */
	int		 port;		/* 0: default */
	enum tls_mode	 tls;
	const char	*fingerprint;	/* trusted certificate, or NULL */
};

/*
 * Register on a context of its own, waiting at most 60 s.  Returns 0, or
 * -1 with *error (one line; caller frees) and, if the certificate was not
 * trusted, *refused_fp (its SHA-256 fingerprint; caller frees).
 */
int	register_blocking(const struct reg_params *, char **error,
	    char **refused_fp);

/* The main loop's side of /register. */
int	xl_register_timeout(struct xmpp_link *);
void	xl_register_run(struct xmpp_link *);

#endif
