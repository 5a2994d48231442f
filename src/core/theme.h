/*
 * theme.h - colour themes: themes/NAME.theme files (INI).
 *
 *   [colours]
 *   statusbar = white,blue          fg[,bg[,attr...]]
 *   error = brightred,default,bold
 *
 * Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
 * their bright* forms, or 0-255.  Attributes: bold, dim, underline,
 * reverse, italic.  The core only parses and validates; the UI maps roles
 * to curses colour pairs (and falls back to the 8/16 basic colours on
 * terminals with fewer colours).  A theme is loaded whole or not at all:
 * a bad line leaves the current theme in place.
 */
#ifndef SZIA_THEME_H
#define SZIA_THEME_H

enum theme_role {
	ROLE_DEFAULT,
	ROLE_TIME,
	ROLE_INFO,
	ROLE_ERROR,
	ROLE_NICK_IN,
	ROLE_NICK_OUT,
	ROLE_TEXT_IN,
	ROLE_TEXT_OUT,
	ROLE_PRESENCE,
	ROLE_HISTORY,
	ROLE_HIGHLIGHT,
	ROLE_TITLE,
	ROLE_STATUSBAR,
	ROLE_STATUS_ACTIVE,
	ROLE_STATUS_UNREAD,
	ROLE_STATUS_HIGHLIGHT,
	ROLE_ROSTER_GROUP,
	ROLE_ROSTER_ONLINE,
	ROLE_ROSTER_CHAT,
	ROLE_ROSTER_AWAY,
	ROLE_ROSTER_XA,
	ROLE_ROSTER_DND,
	ROLE_ROSTER_OFFLINE,
	ROLE_BORDER,
	ROLE_INPUT,
	ROLE_COUNT
};

#define COLOUR_DEFAULT	-1

#define THEME_BOLD	0x01
#define THEME_DIM	0x02
#define THEME_UNDERLINE	0x04
#define THEME_REVERSE	0x08
#define THEME_ITALIC	0x10

struct theme_style {
	short	fg;		/* COLOUR_DEFAULT or 0-255 */
	short	bg;
	int	attrs;
};

struct theme {
	char			*name;
	struct theme_style	 style[ROLE_COUNT];
	unsigned		 version;	/* bumped on load */
};

/* The built-in default (also the base every theme file overrides). */
void		 theme_default(struct theme *);
void		 theme_free(struct theme *);
/*
 * Load theme NAME: the user's $XDG_CONFIG_HOME/szia/themes/NAME.theme
 * first, then SYSTEM_DIR/NAME.theme.  On success replace *T and return 0;
 * on failure leave *T alone and return -1 with *cause
 * ("mono.theme:7: unknown colour 'bleu'").
 */
int		 theme_load(struct theme *, const char *name,
		     const char *system_dir, char **cause);
/* Parse theme text (for tests); same contract. */
int		 theme_parse(struct theme *, const char *name, const char *text,
		     char **cause);
/* Theme names found in both folders, sorted, NULL-terminated. */
char		**theme_list(const char *system_dir);
const char	*theme_role_name(enum theme_role);

#endif
