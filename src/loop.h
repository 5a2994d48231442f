/*
 * loop.h - the main loop, shared by szia and szia-headless.
 *
 * One poll() over the front end's descriptors (the terminal, a signal
 * pipe) and the XMPP socket, with a timeout from the next timer; no busy
 * polling.  Each turn: run due timers, read input, drain the network,
 * send what the core queued, write the log (one transaction), redraw.
 */
#ifndef SZIA_LOOP_H
#define SZIA_LOOP_H

struct szia;
struct xmpp_link;

#define LOOP_MAXFDS	4

struct frontend {
	int	  fds[LOOP_MAXFDS];	/* -1: unused */
	/* FD is readable (or hung up). */
	void	(*readable)(void *ud, int fd);
	/* End of a turn: show what changed. */
	void	(*render)(void *ud);
	void	 *ud;
};

void	loop_run(struct szia *, struct xmpp_link *, struct frontend *);

#endif
