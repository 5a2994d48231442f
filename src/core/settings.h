/*
 * settings.h - typed user settings, persisted in $XDG_CONFIG_HOME/szia/sziarc.
 *
 * Every setting is declared once in a table (name, type, default, range,
 * help) in settings.c.  Names are "section.key"; in sziarc they are written
 * as INI sections:  [roster] / width = 28.  The file is parsed with inih
 * (Debian's libinih), which reports the line of a syntax error.
 *
 * Reading is by index (enum setting_id), an array access: nothing is looked
 * up by name on hot paths.
 */
#ifndef SZIA_SETTINGS_H
#define SZIA_SETTINGS_H

enum setting_id {
	SET_ROSTER_SHOW,	/* bool: show the roster panel */
	SET_ROSTER_WIDTH,	/* int: panel columns */
	SET_ROSTER_OFFLINE,	/* bool: list offline contacts */
	SET_AUTOAWAY_MINUTES,	/* int: idle minutes before away, 0: off */
	SET_AUTOAWAY_MESSAGE,	/* string */
	SET_HISTORY_LINES,	/* int: log lines shown on opening a window */
	SET_SCROLLBACK,		/* int: lines kept per window */
	SET_TIME_FORMAT,	/* string: strftime format for lines */
	SET_THEME,		/* string: theme name */
	SET_PING_INTERVAL,	/* int: seconds between keepalive pings */
	SET_RECONNECT_MAX,	/* int: longest reconnect delay, seconds */
	SET_PRIORITY,		/* int: presence priority */
	/* [muc] group chat */
	SET_MUC_HIGHLIGHT_WORDS, /* string: extra words that highlight */
	SET_MUC_SELFPING,	/* int: silent seconds before self-ping */

	/* [sync] archive and sync */
	SET_MAM_INITIAL,	/* int: archived messages on a first login */
	SET_CSI_IDLE,		/* int: idle minutes before inactive (CSI) */

	/* [quality] message quality */
	SET_RECEIPTS_SEND,	/* bool: answer receipt requests */
	SET_MARKERS_SEND,	/* bool: send displayed markers */
	SET_CHATSTATES,		/* bool: send chat states */
	SET_STYLING,		/* bool: render XEP-0393 styling */

	/* [files] upload and accounts */
	SET_UPLOAD_CAFILE,	/* string: CA file for HTTPS uploads */

	SET_COUNT
};

enum setting_type {
	SETTING_BOOL,
	SETTING_INT,
	SETTING_STRING,
};

struct setting_def {
	const char		*name;
	enum setting_type	 type;
	const char		*def;
	long			 min;
	long			 max;
	const char		*help;
};

struct settings {
	long	 num[SET_COUNT];	/* bool and int values */
	char	*str[SET_COUNT];	/* every value as text */
	char	*path;			/* sziarc, or NULL: not persisted */
};

extern const struct setting_def setting_defs[SET_COUNT];

void	 settings_init(struct settings *, const char *path);
void	 settings_free(struct settings *);
/* Index of NAME, or -1. */
int	 settings_find(const char *name);
/*
 * Set NAME to the text VALUE after checking it.  Returns 0, or -1 with
 * *cause set ("unknown setting 'x'", "roster.width must be a number from
 * 10 to 80").
 */
int	 settings_set(struct settings *, const char *name, const char *value,
	     char **cause);
/*
 * Load PATH (missing file: defaults, no error).  Returns 0, or -1 with
 * *cause listing the first problem with its line ("sziarc:3: unknown
 * setting 'roster.wdth'"); good lines before and after are still applied.
 */
int	 settings_load(struct settings *, char **cause);
/* Write every non-default value to the file (atomically, 0600). */
int	 settings_save(const struct settings *, char **cause);

static inline long
settings_num(const struct settings *s, enum setting_id id)
{
	return s->num[id];
}

static inline const char *
settings_str(const struct settings *s, enum setting_id id)
{
	return s->str[id];
}

#endif
