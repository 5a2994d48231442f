/*
 * ini.c - INI text parsed with inih, with line numbers (see ini.h).
 *
 * sziarc, the accounts file and the themes are parsed with inih, but not
 * the way Debian builds it: its handler gets no line number, a section name
 * is cut to its first 49 bytes (an account name may have 64) and lines are
 * read into a 200-byte buffer, so a longer line would be split and its tail
 * parsed as a line of its own.  The text is therefore fed to
 * ini_parse_stream() through our own line reader (ini_read_line), which
 * counts lines, keeps the whole name of the current section and refuses a
 * line longer than inih's buffer.  It also skips a UTF-8 byte order mark
 * and drops leading blanks, so that inih never joins an indented line to
 * the one before (multi-line values).  With INI_SEMICOLONS it hides every
 * ';' after the first character of a key line from inih's inline comments
 * (free text such as autoaway.message or a password may contain " ; ");
 * ini_call_key() puts them back.
 *
 * inih keeps going after a bad line, so every good line is applied.  The
 * problems found by the reader and the callbacks are kept in the order
 * they are found, the first one wins; inih's own syntax error (the first
 * line it could not parse) wins if its line is earlier.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "util/ini.h"
#include "util/str.h"
#include "util/xalloc.h"

/* Stands for ';' between ini_read_line() and ini_call_key(). */
#define INI_SEMICOLON	'\x1f'

/* State of one ini_parse_text(). */
struct ini_state {
	const struct ini_format	*fmt;
	void			*arg;
	const char		*next;		/* text not read yet */
	int			 line;		/* of the line last read */
	char			*section;	/* current [section], or NULL */
	int			 section_line;	/* its line, 0: none */
	int			 errline;	/* first problem, 0: none */
	char			*error;
};

static void
ini_problem(struct ini_state *st, int line, char *msg)
{
	if (st->errline == 0) {
		st->errline = line;
		st->error = msg;
	} else
		free(msg);
}

/* The current section ends: tell the section_end callback. */
static void
ini_end_section(struct ini_state *st)
{
	char	*cause = NULL;

	if (st->section_line == 0 || st->fmt->section_end == NULL)
		return;
	if (st->fmt->section_end(st->arg, st->section, st->section_line,
	    &cause) != 0)
		ini_problem(st, st->section_line, cause);
}

/* A [NAME] line (NAME is consumed). */
static void
ini_start_section(struct ini_state *st, char *name)
{
	char	*cause = NULL;

	ini_end_section(st);
	free(st->section);
	st->section = name;
	st->section_line = st->line;
	if (st->fmt->section == NULL)
		return;
	if (st->fmt->section(st->arg, st->section, st->line, &cause) != 0)
		ini_problem(st, st->line, cause);
}

/*
 * The ini_reader for ini_parse_text(): hands inih one line at a time (see
 * the comment at the top of the file).
 */
static char *
ini_read_line(char *buf, int size, void *arg)
{
	struct ini_state	*st = arg;
	const char		*p = st->next, *end, *close;
	size_t			 len, i;

	if (*p == '\0')
		return NULL;
	end = p + strcspn(p, "\n");
	st->next = *end == '\n' ? end + 1 : end;
	st->line++;

	if (st->line == 1 && strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* UTF-8 byte order mark */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	len = end - p;
	if (len + 2 > (size_t)size) {
		ini_problem(st, st->line, st->fmt->too_long != NULL ?
		    xstrdup(st->fmt->too_long) : xasprintf("line is longer "
		    "than %d characters", size - 2));
		len = 0;
	}
	memcpy(buf, p, len);
	buf[len] = '\n';
	buf[len + 1] = '\0';

	if (len > 0 && buf[0] == '[' &&
	    (close = memchr(buf, ']', len)) != NULL) {
		ini_start_section(st, str_trim(xstrndup(buf + 1,
		    close - buf - 1)));
	} else if ((st->fmt->flags & INI_SEMICOLONS) && len > 0 &&
	    buf[0] != ';' && buf[0] != '#') {
		for (i = 1; i < len; i++) {
			if (buf[i] == ';')
				buf[i] = INI_SEMICOLON;
		}
	}
	return buf;
}

/*
 * The ini_handler: inih's SECTION may be cut short, so the callback gets
 * the reader's.
 */
static int
ini_call_key(void *arg, const char *section, const char *key,
    const char *value)
{
	struct ini_state	*st = arg;
	char			*text = NULL, *name = NULL, *p, *cause = NULL;
	int			 rc;

	if (st->fmt->flags & INI_SEMICOLONS) {
		text = xstrdup(value);
		name = xstrdup(key);
		for (p = text; *p != '\0'; p++) {
			if (*p == INI_SEMICOLON)
				*p = ';';
		}
		for (p = name; *p != '\0'; p++) {
			if (*p == INI_SEMICOLON)
				*p = ';';
		}
		value = text;
		key = name;
	}
	rc = st->fmt->key(st->arg, st->section != NULL ? st->section : "",
	    key, value, st->line, &cause);
	if (text != NULL)	/* it may have been a password */
		explicit_bzero(text, strlen(text));
	free(text);
	free(name);
	if (rc != 0) {
		ini_problem(st, st->line, cause);
		return 0;
	}
	return 1;
}

int
ini_parse_text(const struct ini_format *fmt, const char *name,
    const char *text, void *arg, char **cause)
{
	struct ini_state	 st;
	int			 rc;

	memset(&st, 0, sizeof st);
	st.fmt = fmt;
	st.arg = arg;
	st.next = text;
	rc = ini_parse_stream(ini_read_line, &st, ini_call_key, &st);
	ini_end_section(&st);
	if (rc > 0 && (st.errline == 0 || rc < st.errline)) {
		free(st.error);
		st.errline = rc;
		st.error = xstrdup(fmt->expected);
	}
	free(st.section);
	if (st.errline != 0) {
		*cause = xasprintf("%s:%d: %s", name, st.errline, st.error);
		free(st.error);
		return -1;
	}
	return 0;
}

int
ini_read_file(const char *path, char **text)
{
	FILE		*f;
	struct strbuf	 b = { 0 };
	char		 chunk[4096];
	size_t		 n;
	int		 saved;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		strbuf_add(&b, chunk, n);
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		strbuf_free(&b);
		errno = saved;
		return -1;
	}
	fclose(f);
	*text = strbuf_take(&b);
	return 0;
}
