/*
 * xmpp.h - the XMPP layer: libstrophe on one side, core events and
 * requests on the other.
 *
 * The main loop owns the waiting: it polls the descriptor this layer
 * reports (xl_pollfd), then calls xl_run(), which drains everything
 * libstrophe can read now (including TLS data it already decrypted and
 * buffered, which poll() cannot see), turning stanzas into core events;
 * then xl_flush() turns the core's queued requests into stanzas.
 * libstrophe memory never leaves src/xmpp/.
 */
#ifndef SZIA_XMPP_H
#define SZIA_XMPP_H

#include <poll.h>

struct szia;
struct xmpp_link;

struct xmpp_link *xl_new(struct szia *);
void		  xl_free(struct xmpp_link *);
/* Hand the core's queued requests to the network. */
void		  xl_flush(struct xmpp_link *);
/* Fill PFD with the socket to wait on; 0 if there is none. */
int		  xl_pollfd(struct xmpp_link *, struct pollfd *pfd);
/* Milliseconds until this layer needs xl_run() anyway, or -1. */
int		  xl_timeout(struct xmpp_link *);
/* Read and handle everything available now; run due timers. */
void		  xl_run(struct xmpp_link *);
/* Is a connection open or being opened? */
int		  xl_active(struct xmpp_link *);

#endif
