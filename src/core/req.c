/*
 * req.c - requests from the core to the XMPP layer (see req.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "core/room.h"
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
		free(r->message.replace_id);
		free(r->message.oob_url);
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
	case REQ_MUC:
		req_muc_free(r->muc);
		break;
	case REQ_MARK:
	case REQ_CHATSTATE:
	case REQ_QUALITY_IQ:
		free(r->q.to);
		free(r->q.id);
		for (i = 0; i < r->q.njids; i++)
			free(r->q.jids[i]);
		free(r->q.jids);
		break;
	case REQ_UPLOAD:
	case REQ_UPLOAD_CANCEL:
		free(r->upload.id);
		free(r->upload.path);
		free(r->upload.filename);
		break;
	case REQ_PASSWORD:
		if (r->password.password != NULL)
			explicit_bzero(r->password.password,
			    strlen(r->password.password));
		free(r->password.password);
		break;
	case REQ_REGISTER:
		if (r->reg.password != NULL)
			explicit_bzero(r->reg.password,
			    strlen(r->reg.password));
		free(r->reg.jid);
		free(r->reg.password);
		free(r->reg.server);
		free(r->reg.fingerprint);
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
