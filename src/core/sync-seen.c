/*
 * sync-seen.c - [sync] the messages of this run, remembered in memory so
 * that a duplicate (resent after a stream resumption, or coming again as
 * a carbon or from the archive) is recognised without asking the log.
 *
 * Every message the core logs is remembered under its keys: the
 * stanza-id (XEP-0359, already checked to be stamped by our server or the
 * room) and the sender's own ids (origin-id, id), each per conversation.
 * A key is kept as a 64-bit FNV-1a hash of its parts (a false match needs
 * a 64-bit collision among the last few thousand ids) in a fixed table:
 * nothing is allocated per message, which matters because this runs for
 * every one.  The log is
 * asked only for what memory cannot know: messages from before this run
 * (see sync_seen()).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sync.h"
#include "util/xalloc.h"

#define SEEN_MAX	4096			/* keys remembered */
#define SEEN_SLOTS	(SEEN_MAX * 2)		/* power of two, half full */

/*
 * An open-addressing table of 64-bit keys (0 marks an empty slot; a key
 * that hashes to 0 is stored as 1) with linear probing, and a ring of the
 * keys in insertion order for eviction.  Deletion shifts the following
 * probe run back, so no tombstones are needed.
 */
struct sync_seen_set {
	uint64_t	 slot[SEEN_SLOTS];
	uint64_t	 ring[SEEN_MAX];	/* oldest at head */
	size_t		 head;
	size_t		 len;
};

/* FNV-1a over the NUL-terminated parts A, B, C (C may be NULL), with the
 * kind K and separators mixed in so that parts cannot run together. */
static uint64_t
seen_hash(char k, const char *a, const char *b, const char *c)
{
	const char	*parts[3] = { a, b, c };
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 i;
	const char	*p;

	h = (h ^ (unsigned char)k) * 1099511628211ULL;
	for (i = 0; i < 3 && parts[i] != NULL; i++) {
		for (p = parts[i]; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL;
	}
	return h != 0 ? h : 1;
}

/* The slot holding H, or the empty slot where it would go. */
static size_t
seen_find(const struct sync_seen_set *s, uint64_t h)
{
	size_t	i = (size_t)(h ^ (h >> 29)) & (SEEN_SLOTS - 1);

	while (s->slot[i] != 0 && s->slot[i] != h)
		i = (i + 1) & (SEEN_SLOTS - 1);
	return i;
}

static void
seen_delete(struct sync_seen_set *s, uint64_t h)
{
	size_t		i = seen_find(s, h), j, home;
	uint64_t	k;

	if (s->slot[i] == 0)
		return;
	s->slot[i] = 0;
	/* Move back every key of the run that no longer finds its way. */
	for (j = (i + 1) & (SEEN_SLOTS - 1); (k = s->slot[j]) != 0;
	    j = (j + 1) & (SEEN_SLOTS - 1)) {
		home = (size_t)(k ^ (k >> 29)) & (SEEN_SLOTS - 1);
		if (((j - home) & (SEEN_SLOTS - 1)) >=
		    ((j - i) & (SEEN_SLOTS - 1))) {
			s->slot[i] = k;
			s->slot[j] = 0;
			i = j;
		}
	}
}

static void
seen_add(struct sync_seen_set *s, uint64_t h)
{
	size_t	i = seen_find(s, h);

	if (s->slot[i] == h)
		return;
	if (s->len == SEEN_MAX) {
		seen_delete(s, s->ring[s->head]);
		s->head = (s->head + 1) % SEEN_MAX;
		s->len--;
		i = seen_find(s, h);
	}
	s->slot[i] = h;
	s->ring[(s->head + s->len) % SEEN_MAX] = h;
	s->len++;
}

static int
seen_has(const struct sync_seen_set *s, uint64_t h)
{
	return s->slot[seen_find(s, h)] == h;
}

void
sync_remember(struct szia *sz, const char *peer, const char *from,
    const char *id, const char *origin_id, const char *stanza_id)
{
	struct sync		*sy = sync_get(sz);
	struct sync_seen_set	*s;

	if (peer == NULL)
		return;
	if ((s = sy->seen) == NULL)
		s = sy->seen = xcalloc(1, sizeof *s);
	if (stanza_id != NULL)
		seen_add(s, seen_hash('s', peer, stanza_id, NULL));
	if (from == NULL)
		return;
	if (origin_id != NULL)
		seen_add(s, seen_hash('i', peer, from, origin_id));
	if (id != NULL && (origin_id == NULL || strcmp(id, origin_id) != 0))
		seen_add(s, seen_hash('i', peer, from, id));
}

int
sync_remembered(struct szia *sz, const char *peer, const struct ev *ev)
{
	struct sync_seen_set	*s = sync_get(sz)->seen;
	const char		*from = ev->message.from;

	if (s == NULL || peer == NULL)
		return 0;
	if (ev->message.stanza_id != NULL &&
	    seen_has(s, seen_hash('s', peer, ev->message.stanza_id, NULL)))
		return 1;
	if (from == NULL)
		return 0;
	return (ev->message.origin_id != NULL && seen_has(s,
	    seen_hash('i', peer, from, ev->message.origin_id))) ||
	    (ev->message.id != NULL && seen_has(s,
	    seen_hash('i', peer, from, ev->message.id)));
}

void
sync_seen_free(struct sync *sy)
{
	struct sync_seen_set	*s = sy->seen;

	if (s == NULL)
		return;
	free(s);
	sy->seen = NULL;
}
