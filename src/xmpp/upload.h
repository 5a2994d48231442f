/*
 * upload.h - XEP-0363 HTTP File Upload, driven from the main loop.
 *
 * The core asks for an upload with REQ_UPLOAD; src/xmpp/upload.c finds
 * the service (disco#items of the server, disco#info of each item; the
 * result and its max-file-size are cached for the session), refuses a
 * file over the limit, requests a slot and PUTs the file with libcurl's
 * multi interface, whose sockets the main loop polls with the XMPP
 * socket: nothing blocks.  Progress, success (the GET URL) and failure go
 * back to the core as EV_UPLOAD.  libcurl never leaves upload.c.
 */
#ifndef SZIA_UPLOAD_H
#define SZIA_UPLOAD_H

#include <poll.h>

struct xmpp_link;

/* At most this many descriptors from transfers in one poll(). */
#define UPLOAD_MAXFDS	8

/* Fill up to MAX entries of PFD with the transfers' sockets; count. */
int	xl_upload_pollfds(struct xmpp_link *, struct pollfd *pfd, int max);
/* Milliseconds until the transfers need xl_upload_run(), or -1. */
int	xl_upload_timeout(struct xmpp_link *);
/* Move the transfers on; report progress, completion and failures. */
void	xl_upload_run(struct xmpp_link *);

#endif
