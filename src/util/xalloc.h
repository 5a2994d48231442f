/*
 * xalloc.h - allocation that cannot fail.
 *
 * Running out of memory is not a condition szia can recover from in any
 * useful way, so these wrappers call fatal() instead of returning NULL.
 * Callers never check the result.  Everything returned is owned by the
 * caller and released with free().
 */
#ifndef SZIA_XALLOC_H
#define SZIA_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* "A" SEP "B" (xasprintf("%s%c%s") without printf: JIDs are joined per
 * stanza). */
char	*xstrjoin(const char *a, char sep, const char *b);
/* xstrdup(s) for s != NULL, NULL otherwise. */
char	*xstrdup_or_null(const char *);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

#endif
