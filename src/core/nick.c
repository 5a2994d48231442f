/*
 * nick.c - XEP-0172 user nicknames: what a contact calls itself, from
 * PEP notifications, messages and subscription requests.  Used for
 * display only where the roster has no name for a contact, and never for
 * strangers (who could otherwise pose as someone the user knows).
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/jid.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define NICK_MAX_COLUMNS	48

void
quality_set_nick(struct szia *sz, const char *from, const char *raw)
{
	struct nick	*n;
	char		*bare, *safe = NULL, *p;
	size_t		 len;

	if ((bare = jid_bare(from)) == NULL)
		return;
	if (raw != NULL) {
		/* One line: line breaks become spaces, then sanitise. */
		p = xstrdup(raw);
		for (safe = p; *safe != '\0'; safe++) {
			if (*safe == '\n' || *safe == '\r' || *safe == '\t')
				*safe = ' ';
		}
		safe = utf8_safe(p);
		free(p);
		len = utf8_fit(safe, NICK_MAX_COLUMNS, NULL);
		safe[len] = '\0';
		/* Trim spaces at both ends. */
		for (p = safe; *p == ' '; p++)
			;
		memmove(safe, p, strlen(p) + 1);
		for (len = strlen(safe); len > 0 && safe[len - 1] == ' '; len--)
			safe[len - 1] = '\0';
		if (*safe == '\0') {
			free(safe);
			safe = NULL;
		}
	}
	HASH_FIND_STR(sz->nicks, bare, n);
	if (n != NULL && safe != NULL && strcmp(n->nick, safe) == 0) {
		free(safe);
		free(bare);
		return;
	}
	if (n != NULL) {
		HASH_DEL(sz->nicks, n);
		free(n->bare);
		free(n->nick);
		free(n);
	}
	if (safe != NULL) {
		n = xcalloc(1, sizeof *n);
		n->bare = xstrdup(bare);
		n->nick = safe;
		HASH_ADD_KEYPTR(hh, sz->nicks, n->bare, strlen(n->bare), n);
	}
	core_retitle(sz, bare);
	sz->dirty |= DIRTY_ROSTER | DIRTY_TITLE;
	free(bare);
}

const char *
quality_nick(const struct szia *sz, const char *bare)
{
	struct nick	*n;

	if (bare == NULL)
		return NULL;
	HASH_FIND_STR(sz->nicks, bare, n);
	return n != NULL ? n->nick : NULL;
}

const char *
core_contact_name(const struct szia *sz, const char *bare)
{
	struct contact	*c = roster_find((struct roster *)&sz->roster, bare);
	const char	*nick;

	if (c == NULL || !c->in_roster)
		return bare;
	if (c->name == NULL && (nick = quality_nick(sz, bare)) != NULL)
		return nick;
	return c->display;
}

void
quality_free(struct szia *sz)
{
	struct nick	*n, *tmp;

	HASH_ITER(hh, sz->nicks, n, tmp) {
		HASH_DEL(sz->nicks, n);
		free(n->bare);
		free(n->nick);
		free(n);
	}
}
