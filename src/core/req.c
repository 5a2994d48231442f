/*
 * req.c - requests from the core to the XMPP layer (see req.h).
 */
#include <stdlib.h>

#include "core/req.h"
#include "util/xalloc.h"

struct req *
req_new(enum req_type type)
{
	struct req	*r = xcalloc(1, sizeof *r);

	r->type = type;
	return r;
}

void
req_free(struct req *r)
{
	size_t	i;

	if (r == NULL)
		return;
	switch (r->type) {
	case REQ_CONNECT:
		free(r->connect.jid);
		free(r->connect.password);
		free(r->connect.server);
		free(r->connect.fingerprint);
		break;
	case REQ_DISCONNECT:
		break;
	case REQ_MESSAGE:
		free(r->message.to);
		free(r->message.body);
		free(r->message.id);
		free(r->message.type);
		break;
	case REQ_PRESENCE:
		free(r->presence.status);
		break;
	case REQ_SUBSCRIPTION:
		free(r->subscription.to);
		break;
	case REQ_ROSTER_SET:
	case REQ_ROSTER_REMOVE:
		free(r->roster.jid);
		free(r->roster.name);
		for (i = 0; i < r->roster.ngroups; i++)
			free(r->roster.groups[i]);
		free(r->roster.groups);
		break;
	case REQ_PING:
		free(r->ping.to);
		free(r->ping.id);
		break;
	/* [sync] archive and sync */
	case REQ_MAM_QUERY:
		free(r->mam.archive);
		free(r->mam.with);
		free(r->mam.start);
		free(r->mam.after);
		free(r->mam.before);
		free(r->mam.queryid);
		break;
	case REQ_PROBE:
		free(r->probe.to);
		break;
	case REQ_CARBONS:
	case REQ_CSI:
		break;
	}
	free(r);
}

void
outbox_push(struct outbox *o, struct req *r)
{
	r->next = NULL;
	if (o->tail != NULL)
		o->tail->next = r;
	else
		o->head = r;
	o->tail = r;
	o->len++;
}

struct req *
outbox_pop(struct outbox *o)
{
	struct req	*r = o->head;

	if (r == NULL)
		return NULL;
	o->head = r->next;
	if (o->head == NULL)
		o->tail = NULL;
	o->len--;
	r->next = NULL;
	return r;
}

void
outbox_clear(struct outbox *o)
{
	struct req	*r;

	while ((r = outbox_pop(o)) != NULL)
		req_free(r);
}
