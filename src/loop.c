/*
 * loop.c - the main loop (see loop.h).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "core/core.h"
#include "loop.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/stats.h"
#include "xmpp/register.h"
#include "xmpp/upload.h"
#include "xmpp/xmpp.h"

static int
loop_min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

void
loop_run(struct szia *sz, struct xmpp_link *xl, struct frontend *fe)
{
	struct pollfd	pfd[LOOP_MAXFDS + 1 + UPLOAD_MAXFDS];
	int		nfds, i, n, timeout, has_net, nup;
	uint64_t	now;

	while (!sz->quit) {
		/*
		 * The log first, then the requests: what xl_flush() sends
		 * (receipts, markers, our own messages) is only queued until
		 * xl_run() below, but this order says the rule plainly: a
		 * message is in the database before anything saying we have
		 * it leaves.  Stanzas sent from inside libstrophe's handlers,
		 * and its stream-management acks, wait for a commit in
		 * conn.c (xl_commit_barrier).
		 */
		core_flush(sz);
		xl_flush(xl);
		if (fe->render != NULL)
			fe->render(fe->ud);
		if (sz->quit)
			break;

		nfds = 0;
		for (i = 0; i < LOOP_MAXFDS; i++) {
			if (fe->fds[i] < 0)
				continue;
			pfd[nfds].fd = fe->fds[i];
			pfd[nfds].events = POLLIN;
			pfd[nfds].revents = 0;
			nfds++;
		}
		has_net = xl_pollfd(xl, &pfd[nfds]);
		nup = xl_upload_pollfds(xl, &pfd[nfds + has_net],
		    UPLOAD_MAXFDS);
		now = clock_now_ms();
		timeout = loop_min_timeout(core_timeout(sz, now),
		    loop_min_timeout(xl_timeout(xl), loop_min_timeout(
		    xl_upload_timeout(xl), xl_register_timeout(xl))));
		stats.turns++;
		n = poll(pfd, nfds + has_net + nup, timeout);
		if (n == -1 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		if (n > 0)
			stats.wakeups++;

		core_tick(sz, clock_now_ms());
		for (i = 0; i < nfds; i++) {
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				fe->readable(fe->ud, pfd[i].fd);
		}
		xl_run(xl);
		xl_upload_run(xl);
		xl_register_run(xl);
	}
	/* Send what /quit queued (the stream close). */
	core_flush(sz);
	xl_flush(xl);
}
