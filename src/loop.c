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
	int		nfds, i, timeout, has_net, nup;
	uint64_t	now;

	while (!sz->quit) {
		xl_flush(xl);
		core_flush(sz);
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
		if (poll(pfd, nfds + has_net + nup, timeout) == -1 &&
		    errno != EINTR)
			fatal("poll: %s", strerror(errno));

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
	xl_flush(xl);
	core_flush(sz);
}
