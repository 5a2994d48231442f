/*
 * iqtrack.c - IQ requests in flight, matched on id AND sender.
 */
#include <stdlib.h>
#include <string.h>

#include "core/jid.h"
#include "util/clock.h"
#include "util/rand.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

char *
iqtrack_add(struct xmpp_link *xl, const char *to, enum iq_kind kind)
{
	struct iq_pending	*p = xcalloc(1, sizeof *p);

	p->id = rand_id();
	p->expect = xstrdup_or_null(to);
	p->kind = kind;
	p->sent = clock_now_ms();
	p->next = xl->iqs;
	xl->iqs = p;
	return p->id;
}

int
xl_from_self(struct xmpp_link *xl, const char *from)
{
	if (from == NULL)
		return 1;
	if (xl->bare != NULL && strcmp(from, xl->bare) == 0)
		return 1;
	if (xl->bound != NULL && strcmp(from, xl->bound) == 0)
		return 1;
	return xl->domain != NULL && strcmp(from, xl->domain) == 0;
}

/* Does a reply from FROM answer a request sent to EXPECT? */
static int
iqtrack_sender_ok(struct xmpp_link *xl, const char *expect, const char *from)
{
	char	*a, *b;
	int	 ok;

	if (expect == NULL || xl_from_self(xl, expect))
		return xl_from_self(xl, from);
	if (from == NULL)
		return 0;
	if (strcmp(expect, from) == 0)
		return 1;
	/* A request to a bare JID may be answered by the bare JID only. */
	a = jid_bare(expect);
	b = jid_bare(from);
	ok = a != NULL && b != NULL && strcmp(a, expect) == 0 &&
	    strcmp(b, from) == 0 && strcmp(a, b) == 0;
	free(a);
	free(b);
	return ok;
}

struct iq_pending *
iqtrack_take(struct xmpp_link *xl, const char *id, const char *from)
{
	struct iq_pending	**pp, *p;

	if (id == NULL)
		return NULL;
	for (pp = &xl->iqs; (p = *pp) != NULL; pp = &p->next) {
		if (strcmp(p->id, id) != 0)
			continue;
		if (!iqtrack_sender_ok(xl, p->expect, from))
			return NULL;
		*pp = p->next;
		p->next = NULL;
		return p;
	}
	return NULL;
}

void
iqtrack_free(struct iq_pending *p)
{
	if (p == NULL)
		return;
	free(p->id);
	free(p->expect);
	free(p);
}

void
iqtrack_clear(struct xmpp_link *xl)
{
	struct iq_pending	*p, *next;

	for (p = xl->iqs; p != NULL; p = next) {
		next = p->next;
		iqtrack_free(p);
	}
	xl->iqs = NULL;
}
