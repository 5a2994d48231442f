/*
 * str.c - small string helpers and a growable buffer (see str.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/xalloc.h"

static void
strbuf_grow(struct strbuf *b, size_t more)
{
	size_t	need = b->len + more + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void
strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	strbuf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_adds(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void
strbuf_addc(struct strbuf *b, char c)
{
	strbuf_add(b, &c, 1);
}

void
strbuf_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_adds(b, s);
	free(s);
}

char *
strbuf_take(struct strbuf *b)
{
	char	*s = b->s != NULL ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
strbuf_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int
str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
str_casestartswith(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

char *
str_trim(char *s)
{
	char	*start = s, *end;

	while (isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (start != s)
		memmove(s, start, end - start + 1);
	return s;
}

void
str_replace(char **field, const char *v)
{
	char	*copy;

	/* Often the same text again (a window's locked JID, a line's
	 * sender): keep it rather than copy it once per message. */
	if (*field != NULL && v != NULL && strcmp(*field, v) == 0)
		return;
	copy = xstrdup_or_null(v);

	free(*field);
	*field = copy;
}

char *
str_lower(const char *s)
{
	char	*copy = xstrdup(s), *p;

	for (p = copy; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	return copy;
}

int
str_split_args(const char *line, int max, int rest_last, char ***argvp,
    char **cause)
{
	char		**argv = NULL;
	int		  argc = 0;
	const char	 *p = line;
	struct strbuf	  word = { 0 };

	*argvp = NULL;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || argc == max)
			break;
		argv = xreallocarray(argv, argc + 2, sizeof *argv);
		if (rest_last && argc == max - 1) {
			char *rest = xstrdup(p);

			argv[argc++] = str_trim(rest);
			break;
		}
		if (*p == '"') {
			p++;
			while (*p != '"') {
				if (*p == '\0') {
					strbuf_free(&word);
					str_argv_free(argc, argv);
					*cause = xstrdup("unterminated quote");
					return -1;
				}
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				strbuf_addc(&word, *p++);
			}
			p++;
		} else {
			while (*p != '\0' && !isspace((unsigned char)*p))
				strbuf_addc(&word, *p++);
		}
		argv[argc++] = strbuf_take(&word);
	}
	if (argv == NULL)
		argv = xcalloc(1, sizeof *argv);
	argv[argc] = NULL;
	*argvp = argv;
	return argc;
}

void
str_argv_free(int argc, char **argv)
{
	int	i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

char *
str_hex_pairs(const unsigned char *data, size_t len)
{
	char	*out = xmalloc(len > 0 ? len * 3 : 1);
	size_t	 i;

	out[0] = '\0';
	for (i = 0; i < len; i++)
		snprintf(out + i * 3, 4, "%02X%s", data[i],
		    i + 1 < len ? ":" : "");
	return out;
}
