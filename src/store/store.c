/*
 * store.c - the message log behind struct log_ops (see store.h).
 */
#include <stdlib.h>
#include <string.h>

#include "store/archive.h"
#include "store/history.h"
#include "store/store.h"
#include "util/paths.h"
#include "util/xalloc.h"

struct store {
	struct history	*h;
	char		*account;
};

struct store *
store_new(void)
{
	return xcalloc(1, sizeof(struct store));
}

void
store_free(struct store *st)
{
	if (st == NULL)
		return;
	history_close(st->h);
	free(st->account);
	free(st);
}

static int
store_open(void *ctx, const char *account, char **cause)
{
	struct store	*st = ctx;
	char		*dir, *path;

	if (st->h != NULL && strcmp(st->account, account) == 0)
		return 0;
	history_close(st->h);
	st->h = NULL;
	free(st->account);
	st->account = xstrdup(account);
	if (strchr(account, '/') != NULL || strcmp(account, "..") == 0 ||
	    strcmp(account, ".") == 0) {
		*cause = xasprintf("account name '%s' cannot be a folder name",
		    account);
		return -1;
	}
	dir = paths_file(PATH_DATA, account);
	if (paths_mkdir(dir, 0700, cause) != 0) {
		free(dir);
		return -1;
	}
	path = xasprintf("%s/log.db", dir);
	free(dir);
	st->h = history_open(path, cause);
	free(path);
	return st->h != NULL ? 0 : -1;
}

static void
store_add(void *ctx, const struct logmsg *m)
{
	struct store		*st = ctx;
	struct history_msg	 h;

	if (st->h == NULL)
		return;
	memset(&h, 0, sizeof h);
	h.peer = m->peer;
	h.from_jid = m->from_jid;
	h.to_jid = m->to_jid;
	h.dir = m->outgoing ? HISTORY_OUT : HISTORY_IN;
	h.ts = m->ts;
	h.received = m->received;
	h.type = m->type;
	h.body = m->body;
	h.msg_id = m->msg_id;
	h.origin_id = m->origin_id;
	h.stanza_id = m->stanza_id;
	h.replace_id = m->replace_id;
	history_add(st->h, &h);
}

static int
store_flush(void *ctx, char **cause)
{
	struct store	*st = ctx;

	if (st->h == NULL)
		return 0;
	return history_flush(st->h, cause);
}

static int
store_recent(void *ctx, const char *peer, int64_t before_id, size_t n,
    struct logmsg **out, char **cause)
{
	struct store		*st = ctx;
	struct history_msg	*hm = NULL;
	struct logmsg		*lm;
	int			 count, i;

	*out = NULL;
	if (st->h == NULL)
		return 0;
	if ((count = history_recent(st->h, peer, before_id, n, &hm,
	    cause)) <= 0) {
		history_msgs_free(hm, 0);
		return count;
	}
	lm = xcalloc(count, sizeof *lm);
	for (i = 0; i < count; i++) {
		/* Move the strings over; history_msgs_free sees NULLs. */
		lm[i].id = hm[i].id;
		lm[i].peer = hm[i].peer;
		lm[i].from_jid = hm[i].from_jid;
		lm[i].to_jid = hm[i].to_jid;
		lm[i].outgoing = hm[i].dir == HISTORY_OUT;
		lm[i].ts = hm[i].ts;
		lm[i].received = hm[i].received;
		lm[i].type = hm[i].type;
		lm[i].body = hm[i].body;
		lm[i].msg_id = hm[i].msg_id;
		lm[i].origin_id = hm[i].origin_id;
		lm[i].stanza_id = hm[i].stanza_id;
		lm[i].replace_id = hm[i].replace_id;
		memset(&hm[i], 0, sizeof hm[i]);
	}
	history_msgs_free(hm, count);
	*out = lm;
	return count;
}

static void
store_free_msgs(void *ctx, struct logmsg *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(m[i].peer);
		free(m[i].from_jid);
		free(m[i].to_jid);
		free(m[i].type);
		free(m[i].body);
		free(m[i].msg_id);
		free(m[i].origin_id);
		free(m[i].stanza_id);
		free(m[i].replace_id);
	}
	free(m);
}

/* [sync] */
static int
store_seen(void *ctx, const char *peer, const char *stanza_id,
    const char *origin_id, const char *msg_id, const char *from)
{
	struct store	*st = ctx;

	return st->h != NULL && history_seen(st->h, peer, stanza_id,
	    origin_id, msg_id, from);
}

static char *
store_archive_last(void *ctx, const char *archive)
{
	struct store	*st = ctx;

	return st->h != NULL ? history_archive_last(st->h, archive) : NULL;
}

static int
store_archive_set(void *ctx, const char *archive, const char *id,
    char **cause)
{
	struct store	*st = ctx;

	if (st->h == NULL) {
		*cause = xstrdup("no message log is open");
		return -1;
	}
	return history_archive_set(st->h, archive, id, cause);
}

static char *
store_oldest_stanza_id(void *ctx, const char *peer)
{
	struct store	*st = ctx;

	return st->h != NULL ? history_oldest_stanza_id(st->h, peer) : NULL;
}

static char *
store_newest_stanza_id(void *ctx, const char *peer)
{
	struct store	*st = ctx;

	return st->h != NULL ? history_newest_stanza_id(st->h, peer) : NULL;
}

const struct log_ops store_log_ops = {
	.open = store_open,
	.add = store_add,
	.flush = store_flush,
	.recent = store_recent,
	.free_msgs = store_free_msgs,
	.seen = store_seen,
	.archive_last = store_archive_last,
	.archive_set = store_archive_set,
	.oldest_stanza_id = store_oldest_stanza_id,
	.newest_stanza_id = store_newest_stanza_id,
};
