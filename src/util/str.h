/*
 * str.h - small string helpers and a growable buffer.
 */
#ifndef SZIA_STR_H
#define SZIA_STR_H

#include <stdarg.h>
#include <stddef.h>

/* A growable, always NUL-terminated byte buffer.  Zero-initialise it. */
struct strbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

void	 strbuf_add(struct strbuf *, const char *, size_t);
void	 strbuf_adds(struct strbuf *, const char *);
void	 strbuf_addc(struct strbuf *, char);
void	 strbuf_addf(struct strbuf *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* Give the string to the caller (never NULL) and reset the buffer. */
char	*strbuf_take(struct strbuf *);
void	 strbuf_free(struct strbuf *);

int	 str_startswith(const char *, const char *);
int	 str_casestartswith(const char *, const char *);
/* Trim ASCII white space in place; returns s. */
char	*str_trim(char *);
/* Free and NULL a string field; then set it to a copy of v (or NULL). */
void	 str_replace(char **, const char *);
/* ASCII lower-case copy. */
char	*str_lower(const char *);
/* DATA as upper-case hex pairs joined by ':' ("AB:CD"); caller frees. */
char	*str_hex_pairs(const unsigned char *data, size_t len);

/*
 * Split LINE into at most MAX words separated by white space.  Words may be
 * quoted with "..." (backslash escapes \" and \\ inside).  When REST_LAST is
 * set, the last word is the remainder of the line, untouched.  Returns the
 * word count and an argv the caller frees with str_argv_free(), or -1 with
 * *cause set (caller frees) on an unterminated quote.
 */
int	 str_split_args(const char *line, int max, int rest_last,
	     char ***argv, char **cause);
void	 str_argv_free(int, char **);

#endif
