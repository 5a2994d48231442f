/*
 * ini.h - INI text parsed with inih, with line numbers (see ini.c).
 *
 * A file is a list of lines: "[section]", "key = value" (or "key: value"),
 * blank lines and comments starting with ';' or '#'.  Leading blanks are
 * ignored and a value never continues on the next line.  Each problem is
 * reported as "NAME:LINE: problem"; only the first one is returned, and
 * every good line is still handed to the callbacks.
 *
 * The names are not ini_parse() and ini_handler: inih's <ini.h> has those.
 */
#ifndef SZIA_INI_H
#define SZIA_INI_H

/*
 * Called for each key, with the whole name of the current section ("" before
 * the first [section]) and the key's line.  Return 0 to accept the line, or
 * -1 with *cause set (the caller of ini_parse_text() frees it).
 */
typedef int (*ini_handler_fn)(void *arg, const char *section, const char *key,
    const char *value, int line, char **cause);
/*
 * Called with a section's name (whole, trimmed) and the line of its
 * [section] header.  Return 0, or -1 with *cause set: the problem is
 * reported at LINE.
 */
typedef int (*ini_section_fn)(void *arg, const char *section, int line,
    char **cause);

#define INI_SEMICOLONS	0x1	/* ';' inside values is data, not a comment */

/* What a kind of file looks like; usually a static const. */
struct ini_format {
	int		 flags;		/* INI_* */
	/* The problem with a line that is neither key nor [section]. */
	const char	*expected;
	ini_handler_fn	 key;
	/* At each [section] line, or NULL. */
	ini_section_fn	 section;
	/*
	 * When a section ends: at the next [section] line (before SECTION
	 * is called) or at the end of the text.  NULL if not needed.
	 */
	ini_section_fn	 section_end;
	/*
	 * The problem with a line too long to read, or NULL for the English
	 * "line is longer than N characters" (a program that translates its
	 * messages gives its own).
	 */
	const char	*too_long;
};

/*
 * Parse TEXT, calling FMT's callbacks with ARG.  Returns 0, or -1 with
 * *cause set to "NAME:LINE: problem" for the first problem (caller frees).
 */
int	 ini_parse_text(const struct ini_format *fmt, const char *name,
	     const char *text, void *arg, char **cause);
/* Read all of PATH into *TEXT (caller frees).  Returns 0, or -1 with errno. */
int	 ini_read_file(const char *path, char **text);

#endif
