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
	case REQ_DISCO:
		free(r->disco.to);
		free(r->disco.node);
		free(r->disco.id);
		break;
	case REQ_BOOKMARK:
		free(r->bookmark.id);
		for (i = 0; i < r->bookmark.nbm; i++) {
			free(r->bookmark.bm[i].jid);
			free(r->bookmark.bm[i].name);
			free(r->bookmark.bm[i].nick);
			free(r->bookmark.bm[i].password);
			free(r->bookmark.bm[i].extensions);
		}
		free(r->bookmark.storage_extra);
		free(r->bookmark.bm);
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
