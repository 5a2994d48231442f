/*
 * disco.c - service discovery (XEP-0030) from the core: /disco, /rooms,
 * and the question bookmarks ask our own account after login.
 *
 * A job is one user-level question, made of one or more disco queries
 * (each with its own random id, which the XMPP layer tracks so that only
 * the entity asked may answer).  Its output is collected and shown as one
 * block when every query has answered; a job that waits longer than
 * DISCO_TIMEOUT_MS says so in one line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/bookmark.h"
#include "core/jid.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define DISCO_TIMEOUT_MS	20000
#define DISCO_MAX_PROBES	32	/* /rooms: services asked */

enum disco_purpose {
	DJ_USER,		/* /disco JID [NODE] */
	DJ_ROOMS,		/* /rooms SERVICE */
	DJ_FIND_SERVICE,	/* /rooms: which item of our server is MUC */
};

struct disco_job {
	enum disco_purpose	 purpose;
	char			*target;	/* JID asked (normalised) */
	char			*node;
	char			*win;		/* window name for output */
	char			**ids;		/* queries waiting */
	size_t			 nids;
	char			**lines;	/* collected output */
	size_t			 nlines;
	char			**ilines;	/* DJ_USER: the items */
	size_t			 nilines;
	char			*items_error;	/* DJ_USER: #items failed */
	int			 info_done;
	uint64_t		 deadline;
	struct disco_job	*next;
};

static void
disco_line(struct disco_job *j, int items, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
disco_line(struct disco_job *j, int items, const char *fmt, ...)
{
	va_list	 ap;
	char	***v = items ? &j->ilines : &j->lines;
	size_t	*n = items ? &j->nilines : &j->nlines;

	va_start(ap, fmt);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xvasprintf(fmt, ap);
	va_end(ap);
}

static void
disco_job_free(struct disco_job *j)
{
	size_t	i;

	for (i = 0; i < j->nids; i++)
		free(j->ids[i]);
	for (i = 0; i < j->nlines; i++)
		free(j->lines[i]);
	for (i = 0; i < j->nilines; i++)
		free(j->ilines[i]);
	free(j->ids);
	free(j->lines);
	free(j->ilines);
	free(j->target);
	free(j->node);
	free(j->win);
	free(j->items_error);
	free(j);
}

static void
disco_unlink(struct szia *sz, struct disco_job *j)
{
	struct disco_job	**pp;

	for (pp = &sz->disco_jobs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			return;
		}
	}
}

void
disco_free(struct szia *sz)
{
	struct disco_job	*j, *next;

	for (j = sz->disco_jobs; j != NULL; j = next) {
		next = j->next;
		disco_job_free(j);
	}
	sz->disco_jobs = NULL;
}

static struct disco_job *
disco_job_new(struct szia *sz, enum disco_purpose purpose, const char *target,
    const char *node, const char *win)
{
	struct disco_job	*j = xcalloc(1, sizeof *j);

	j->purpose = purpose;
	j->target = xstrdup(target);
	j->node = xstrdup_or_null(node);
	j->win = xstrdup_or_null(win);
	j->deadline = sz->now + DISCO_TIMEOUT_MS;
	j->next = sz->disco_jobs;
	sz->disco_jobs = j;
	return j;
}

/* Send one query for job J. */
static void
disco_ask(struct szia *sz, struct disco_job *j, const char *to,
    const char *node, int items)
{
	struct req	*r = req_new(REQ_DISCO);

	r->disco.to = xstrdup(to);
	r->disco.node = xstrdup_or_null(node);
	r->disco.items = items;
	r->disco.id = rand_id();
	j->ids = xreallocarray(j->ids, j->nids + 1, sizeof *j->ids);
	j->ids[j->nids++] = xstrdup(r->disco.id);
	outbox_push(&sz->outbox, r);
}

static struct window *
disco_window(struct szia *sz, const struct disco_job *j)
{
	struct window	*w = j->win != NULL ?
			    windows_find(&sz->windows, j->win) : NULL;

	return w != NULL ? w : windows_console(&sz->windows);
}

/* Show the collected block and forget the job. */
static void
disco_finish(struct szia *sz, struct disco_job *j)
{
	struct window	*w = disco_window(sz, j);
	size_t		 i;

	for (i = 0; i < j->nlines; i++)
		core_info(sz, w, "%s", j->lines[i]);
	for (i = 0; i < j->nilines; i++)
		core_info(sz, w, "%s", j->ilines[i]);
	disco_unlink(sz, j);
	disco_job_free(j);
}

/* One error line "WHAT TARGET: ERROR", and forget the job. */
static void
disco_fail(struct szia *sz, struct disco_job *j, const char *what,
    const char *error)
{
	char	*safe = utf8_safe(error != NULL ? error : "unknown error");

	core_error(sz, disco_window(sz, j), "%s %s: %s", what, j->target,
	    safe);
	free(safe);
	disco_unlink(sz, j);
	disco_job_free(j);
}

void
disco_user(struct szia *sz, const char *jid, const char *node,
    const char *win)
{
	struct disco_job	*j = disco_job_new(sz, DJ_USER, jid, node, win);

	disco_ask(sz, j, jid, node, 0);
	disco_ask(sz, j, jid, node, 1);
}

void
disco_rooms(struct szia *sz, const char *service, const char *win)
{
	struct disco_job	*j;
	struct jid		*jid;
	char			*domain, *cause = NULL;

	if (service != NULL) {
		j = disco_job_new(sz, DJ_ROOMS, service, NULL, win);
		disco_ask(sz, j, service, NULL, 1);
		return;
	}
	jid = jid_parse(sz->session.bare, &cause);
	free(cause);
	domain = xstrdup(jid != NULL ? jid->domain : "");
	jid_free(jid);
	j = disco_job_new(sz, DJ_FIND_SERVICE, domain, NULL, win);
	disco_ask(sz, j, j->target, NULL, 1);
	free(domain);
}

/* The job waiting for ID; the id is crossed off. */
static struct disco_job *
disco_take(struct szia *sz, const char *id)
{
	struct disco_job	*j;
	size_t			 i;

	if (id == NULL)
		return NULL;
	for (j = sz->disco_jobs; j != NULL; j = j->next) {
		for (i = 0; i < j->nids; i++) {
			if (strcmp(j->ids[i], id) != 0)
				continue;
			free(j->ids[i]);
			j->ids[i] = j->ids[--j->nids];
			return j;
		}
	}
	return NULL;
}

static int
disco_has_feature(const struct ev *ev, const char *var)
{
	size_t	i;

	for (i = 0; i < ev->disco.nfeatures; i++) {
		if (strcmp(ev->disco.features[i], var) == 0)
			return 1;
	}
	return 0;
}

static int
disco_is_muc(const struct ev *ev)
{
	size_t	i;

	for (i = 0; i < ev->disco.nidentities; i++) {
		if (strcmp(ev->disco.identities[i].category, "conference")
		    == 0 && strcmp(ev->disco.identities[i].type, "text") == 0)
			return 1;
	}
	return 0;
}

/* DJ_USER: identities and features, then items, as one block. */
static void
disco_user_reply(struct szia *sz, struct disco_job *j, const struct ev *ev)
{
	char	*a, *b, *c;
	size_t	 i;

	if (!ev->disco.items && !ev->disco.ok) {
		disco_fail(sz, j, "Disco of", ev->disco.error);
		return;
	}
	if (!ev->disco.items) {
		disco_line(j, 0, "Identities:");
		for (i = 0; i < ev->disco.nidentities; i++) {
			a = utf8_safe(ev->disco.identities[i].category);
			b = utf8_safe(ev->disco.identities[i].type);
			c = ev->disco.identities[i].name != NULL ?
			    utf8_safe(ev->disco.identities[i].name) : NULL;
			disco_line(j, 0, "  %s/%s%s%s", a, b, c != NULL ?
			    "  " : "", c != NULL ? c : "");
			free(a);
			free(b);
			free(c);
		}
		if (ev->disco.nidentities == 0)
			disco_line(j, 0, "  (none)");
		disco_line(j, 0, "Features:");
		for (i = 0; i < ev->disco.nfeatures; i++) {
			a = utf8_safe(ev->disco.features[i]);
			disco_line(j, 0, "  %s", a);
			free(a);
		}
		if (ev->disco.nfeatures == 0)
			disco_line(j, 0, "  (none)");
	} else if (!ev->disco.ok) {
		a = utf8_safe(ev->disco.error);
		disco_line(j, 1, "Items: not available (%s)", a);
		free(a);
	} else {
		disco_line(j, 1, "Items:");
		for (i = 0; i < ev->disco.nlist; i++) {
			a = utf8_safe(ev->disco.list[i].jid);
			b = ev->disco.list[i].node != NULL ?
			    utf8_safe(ev->disco.list[i].node) : NULL;
			c = ev->disco.list[i].name != NULL ?
			    utf8_safe(ev->disco.list[i].name) : NULL;
			disco_line(j, 1, "  %s%s%s%s%s", a, b != NULL ?
			    "  node " : "", b != NULL ? b : "", c != NULL ?
			    "  " : "", c != NULL ? c : "");
			free(a);
			free(b);
			free(c);
		}
		if (ev->disco.nlist == 0)
			disco_line(j, 1, "  (none)");
		if (ev->disco.more)
			disco_line(j, 1, "  (more items: only the first page "
			    "is shown)");
	}
	if (j->nids > 0)
		return;
	core_info(sz, disco_window(sz, j), "Disco of %s%s%s:", j->target,
	    j->node != NULL ? " node " : "", j->node != NULL ? j->node : "");
	disco_finish(sz, j);
}

/* DJ_ROOMS: the rooms of a group chat service. */
static void
disco_rooms_reply(struct szia *sz, struct disco_job *j, const struct ev *ev)
{
	char	*a, *c;
	size_t	 i;

	if (!ev->disco.ok) {
		disco_fail(sz, j, "Cannot list the rooms of",
		    ev->disco.error);
		return;
	}
	if (ev->disco.nlist == 0)
		disco_line(j, 0, "No public rooms on %s.", j->target);
	else
		disco_line(j, 0, "Rooms on %s (%zu):", j->target,
		    ev->disco.nlist);
	for (i = 0; i < ev->disco.nlist; i++) {
		a = utf8_safe(ev->disco.list[i].jid);
		c = ev->disco.list[i].name != NULL ?
		    utf8_safe(ev->disco.list[i].name) : NULL;
		disco_line(j, 0, "  %s%s%s", a, c != NULL ? "  " : "",
		    c != NULL ? c : "");
		free(a);
		free(c);
	}
	if (ev->disco.more)
		disco_line(j, 0, "(The service has more rooms: only the first "
		    "page is shown.)");
	disco_finish(sz, j);
}

/* DJ_FIND_SERVICE: our server's items, then each one's identity; the
 * first conference/text one is listed. */
static void
disco_find_reply(struct szia *sz, struct disco_job *j, const struct ev *ev)
{
	struct disco_job	*rooms;
	size_t			 i;

	if (ev->disco.items) {
		if (!ev->disco.ok) {
			disco_fail(sz, j, "Cannot find the group chat "
			    "service of", ev->disco.error);
			return;
		}
		for (i = 0; i < ev->disco.nlist && i < DISCO_MAX_PROBES; i++)
			disco_ask(sz, j, ev->disco.list[i].jid, NULL, 0);
		j->info_done = 1;
	} else if (ev->disco.ok && disco_is_muc(ev)) {
		rooms = disco_job_new(sz, DJ_ROOMS, ev->disco.from, NULL,
		    j->win);
		disco_ask(sz, rooms, rooms->target, NULL, 1);
		disco_unlink(sz, j);
		disco_job_free(j);
		return;
	}
	if (j->nids > 0)
		return;
	core_error(sz, disco_window(sz, j), "No group chat service found on "
	    "%s: try /rooms SERVICE.", j->target);
	disco_unlink(sz, j);
	disco_job_free(j);
}

void
disco_handle(struct szia *sz, const struct ev *ev)
{
	struct disco_job	*j;

	if (ev->disco.account) {
		/* After login: XEP-0402 there, or private storage. */
		bookmark_start(sz, ev->disco.ok && disco_has_feature(ev,
		    "urn:xmpp:bookmarks:1#compat"));
		return;
	}
	if ((j = disco_take(sz, ev->disco.id)) == NULL)
		return;
	switch (j->purpose) {
	case DJ_USER:
		disco_user_reply(sz, j, ev);
		break;
	case DJ_ROOMS:
		disco_rooms_reply(sz, j, ev);
		break;
	case DJ_FIND_SERVICE:
		disco_find_reply(sz, j, ev);
		break;
	}
}

void
disco_tick(struct szia *sz, uint64_t now)
{
	struct disco_job	*j, *next;

	for (j = sz->disco_jobs; j != NULL; j = next) {
		next = j->next;
		if (sz->session.state != CONN_ONLINE)
			disco_fail(sz, j, "No answer from", "disconnected");
		else if (now >= j->deadline)
			disco_fail(sz, j, "No answer from", "timeout");
	}
}

int
disco_timeout(const struct szia *sz, uint64_t now)
{
	const struct disco_job	*j;
	uint64_t		 at = 0;

	for (j = sz->disco_jobs; j != NULL; j = j->next) {
		if (sz->session.state != CONN_ONLINE)
			return 0;	/* the connection went: say so */
		if (at == 0 || j->deadline < at)
			at = j->deadline;
	}
	if (at == 0)
		return -1;
	return at <= now ? 0 : at - now > 3600000 ? 3600000 : (int)(at - now);
}
