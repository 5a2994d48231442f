/*
 * jid.c - Jabber ID parsing and normalisation (see jid.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jid.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define JID_PART_MAX	1023

/*
 * Every part must be valid UTF-8 without control characters (C0, DEL, C1):
 * RFC 7622 forbids them, and a JID is shown on the screen.
 */
static int
jid_check_text(const char *s, const char *what, char **cause)
{
	size_t		len = strlen(s);
	uint32_t	cp;
	int		n;

	while (len > 0) {
		if ((n = utf8_decode(s, len, &cp)) < 0) {
			*cause = xasprintf("%s is not valid UTF-8", what);
			return -1;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
			*cause = xasprintf("%s contains a control character",
			    what);
			return -1;
		}
		s += n;
		len -= n;
	}
	return 0;
}

static int
jid_check_local(const char *s, char **cause)
{
	const unsigned char	*p;

	if (*s == '\0') {
		*cause = xstrdup("empty name before '@'");
		return -1;
	}
	if (strlen(s) > JID_PART_MAX) {
		*cause = xstrdup("name before '@' is too long");
		return -1;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || strchr("\"&'/:<>@ ", *p)) {
			*cause = xasprintf("character '%c' is not allowed in "
			    "the name before '@'", *p < 0x20 ? '?' : *p);
			return -1;
		}
	}
	return 0;
}

static int
jid_check_domain(char *s, char **cause)
{
	size_t			 len = strlen(s);
	const unsigned char	*p;

	if (len > 0 && s[len - 1] == '.')
		s[--len] = '\0';
	if (len > 0 && s[len - 1] == '.') {
		*cause = xstrdup("empty label in domain");
		return -1;
	}
	if (len == 0) {
		*cause = xstrdup("missing domain");
		return -1;
	}
	if (len > JID_PART_MAX) {
		*cause = xstrdup("domain is too long");
		return -1;
	}
	if (s[0] == '[') {	/* IPv6 literal */
		if (s[len - 1] != ']') {
			*cause = xstrdup("unterminated IPv6 address in domain");
			return -1;
		}
		return 0;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x80 && !isalnum(*p) && *p != '-' && *p != '.' &&
		    *p != '_') {
			*cause = xasprintf("character '%c' is not allowed in "
			    "a domain", *p < 0x20 ? '?' : *p);
			return -1;
		}
		if (*p == '.' && (p == (const unsigned char *)s || p[1] == '.')) {
			*cause = xstrdup("empty label in domain");
			return -1;
		}
	}
	return 0;
}

static void
jid_lower_ascii(char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x80)
			*s = tolower((unsigned char)*s);
	}
}

struct jid *
jid_parse(const char *s, char **cause)
{
	struct jid	*j;
	const char	*slash, *at;
	char		*rest;

	if (s == NULL || *s == '\0') {
		*cause = xstrdup("empty address");
		return NULL;
	}
	j = xcalloc(1, sizeof *j);
	slash = strchr(s, '/');
	if (slash != NULL) {
		if (slash[1] == '\0') {
			*cause = xstrdup("empty resource after '/'");
			goto fail;
		}
		if (strlen(slash + 1) > JID_PART_MAX) {
			*cause = xstrdup("resource is too long");
			goto fail;
		}
		j->resource = xstrdup(slash + 1);
		rest = xstrndup(s, slash - s);
	} else
		rest = xstrdup(s);
	at = strchr(rest, '@');
	if (at != NULL) {
		j->local = xstrndup(rest, at - rest);
		j->domain = xstrdup(at + 1);
	} else
		j->domain = xstrdup(rest);
	free(rest);
	if ((j->local != NULL &&
	    jid_check_text(j->local, "the name before '@'", cause) != 0) ||
	    jid_check_text(j->domain, "the domain", cause) != 0 ||
	    (j->resource != NULL &&
	    jid_check_text(j->resource, "the resource", cause) != 0))
		goto fail;
	if (j->local != NULL) {
		if (jid_check_local(j->local, cause) != 0)
			goto fail;
		jid_lower_ascii(j->local);
	}
	if (jid_check_domain(j->domain, cause) != 0)
		goto fail;
	jid_lower_ascii(j->domain);
	if (j->local != NULL)
		j->bare = xstrjoin(j->local, '@', j->domain);
	else
		j->bare = xstrdup(j->domain);
	if (j->resource != NULL)
		j->full = xstrjoin(j->bare, '/', j->resource);
	else
		j->full = xstrdup(j->bare);
	return j;

fail:
	jid_free(j);
	return NULL;
}

void
jid_free(struct jid *j)
{
	if (j == NULL)
		return;
	free(j->local);
	free(j->domain);
	free(j->resource);
	free(j->bare);
	free(j->full);
	free(j);
}

char *
jid_bare(const char *s)
{
	struct jid	*j;
	char		*cause = NULL, *bare;

	if ((j = jid_parse(s, &cause)) == NULL) {
		free(cause);
		return NULL;
	}
	bare = j->bare;
	j->bare = NULL;
	jid_free(j);
	return bare;
}

char *
jid_resource(const char *s)
{
	const char	*slash;

	if (s == NULL || (slash = strchr(s, '/')) == NULL || slash[1] == '\0')
		return NULL;
	return xstrdup(slash + 1);
}

int
jid_bare_eq(const char *a, const char *b)
{
	char	*ba, *bb;
	int	 eq;

	if (a == NULL || b == NULL)
		return 0;
	ba = jid_bare(a);
	bb = jid_bare(b);
	eq = ba != NULL && bb != NULL && strcmp(ba, bb) == 0;
	free(ba);
	free(bb);
	return eq;
}

int
jid_valid(const char *s)
{
	char	*bare = jid_bare(s);

	free(bare);
	return bare != NULL;
}
