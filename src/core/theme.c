/*
 * theme.c - colour themes (see theme.h).
 *
 * A theme is a style (foreground, background, attributes) for each role
 * in enum theme_role.  Every theme starts from the built-in default below
 * (themes/default.theme is the same, written out) and a file overrides
 * single roles in its [colours] section:
 *
 *	role = fg[,bg][,attr...]
 *
 * A theme is parsed into a copy and *T is replaced only if the whole text
 * is good, so a bad line leaves the current theme in place.
 *
 * Theme files are parsed by util/ini.c, as sziarc is: it counts lines for
 * the messages, lets us check [section] lines ourselves (inih does not pass
 * empty sections to the handler) and never joins lines.  Inline comments
 * after " ;" are allowed here (no INI_SEMICOLONS): no value may contain ';'.
 */
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/theme.h"
#include "util/ini.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/str.h"
#include "util/xalloc.h"

static const char *const theme_roles[ROLE_COUNT] = {
	[ROLE_DEFAULT] = "default",
	[ROLE_TIME] = "time",
	[ROLE_INFO] = "info",
	[ROLE_ERROR] = "error",
	[ROLE_NICK_IN] = "nick.in",
	[ROLE_NICK_OUT] = "nick.out",
	[ROLE_TEXT_IN] = "text.in",
	[ROLE_TEXT_OUT] = "text.out",
	[ROLE_PRESENCE] = "presence",
	[ROLE_HISTORY] = "history",
	[ROLE_HIGHLIGHT] = "highlight",
	[ROLE_TITLE] = "title",
	[ROLE_STATUSBAR] = "statusbar",
	[ROLE_STATUS_ACTIVE] = "status.active",
	[ROLE_STATUS_UNREAD] = "status.unread",
	[ROLE_STATUS_HIGHLIGHT] = "status.highlight",
	[ROLE_ROSTER_GROUP] = "roster.group",
	[ROLE_ROSTER_ONLINE] = "roster.online",
	[ROLE_ROSTER_CHAT] = "roster.chat",
	[ROLE_ROSTER_AWAY] = "roster.away",
	[ROLE_ROSTER_XA] = "roster.xa",
	[ROLE_ROSTER_DND] = "roster.dnd",
	[ROLE_ROSTER_OFFLINE] = "roster.offline",
	[ROLE_BORDER] = "border",
	[ROLE_INPUT] = "input",
};

/* The eight basic colours; "bright" + name is the same plus 8. */
static const char *const theme_colours[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};
#define BLACK		0
#define RED		1
#define GREEN		2
#define YELLOW		3
#define BLUE		4
#define MAGENTA		5
#define CYAN		6
#define WHITE		7
#define BRIGHT(c)	((c) + 8)
#define DEF		COLOUR_DEFAULT

static const struct {
	const char	*name;
	int		 flag;
} theme_attrs[] = {
	{ "bold", THEME_BOLD },
	{ "dim", THEME_DIM },
	{ "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE },
	{ "italic", THEME_ITALIC },
};

/* For a dark terminal with 16 colours; keep themes/default.theme in step. */
static const struct theme_style theme_builtin[ROLE_COUNT] = {
	[ROLE_DEFAULT] =	  { DEF, DEF, 0 },
	[ROLE_TIME] =		  { DEF, DEF, THEME_DIM },
	[ROLE_INFO] =		  { CYAN, DEF, 0 },
	[ROLE_ERROR] =		  { BRIGHT(RED), DEF, THEME_BOLD },
	[ROLE_NICK_IN] =	  { BRIGHT(CYAN), DEF, THEME_BOLD },
	[ROLE_NICK_OUT] =	  { BRIGHT(GREEN), DEF, THEME_BOLD },
	[ROLE_TEXT_IN] =	  { DEF, DEF, 0 },
	[ROLE_TEXT_OUT] =	  { DEF, DEF, 0 },
	[ROLE_PRESENCE] =	  { CYAN, DEF, THEME_DIM },
	[ROLE_HISTORY] =	  { DEF, DEF, THEME_DIM },
	[ROLE_HIGHLIGHT] =	  { BRIGHT(YELLOW), DEF, THEME_BOLD },
	[ROLE_TITLE] =		  { BRIGHT(WHITE), BLUE, THEME_BOLD },
	[ROLE_STATUSBAR] =	  { WHITE, BLUE, 0 },
	[ROLE_STATUS_ACTIVE] =	  { BRIGHT(WHITE), BLUE, THEME_BOLD },
	[ROLE_STATUS_UNREAD] =	  { BRIGHT(CYAN), BLUE, 0 },
	[ROLE_STATUS_HIGHLIGHT] = { BRIGHT(YELLOW), BLUE, THEME_BOLD },
	[ROLE_ROSTER_GROUP] =	  { DEF, DEF, THEME_BOLD },
	[ROLE_ROSTER_ONLINE] =	  { GREEN, DEF, 0 },
	[ROLE_ROSTER_CHAT] =	  { BRIGHT(GREEN), DEF, THEME_BOLD },
	[ROLE_ROSTER_AWAY] =	  { YELLOW, DEF, 0 },
	[ROLE_ROSTER_XA] =	  { MAGENTA, DEF, 0 },
	[ROLE_ROSTER_DND] =	  { RED, DEF, 0 },
	[ROLE_ROSTER_OFFLINE] =	  { DEF, DEF, THEME_DIM },
	[ROLE_BORDER] =		  { BLUE, DEF, 0 },
	[ROLE_INPUT] =		  { DEF, DEF, 0 },
};

/* State of one theme_parse(). */
struct theme_parse {
	struct theme	 t;		/* the theme being built */
	int		 section;	/* 0: none, 1: [colours], -1: other */
};

const char *
theme_role_name(enum theme_role role)
{
	if ((unsigned)role >= ROLE_COUNT)
		return NULL;
	return theme_roles[role];
}

void
theme_default(struct theme *t)
{
	t->name = xstrdup("default");
	memcpy(t->style, theme_builtin, sizeof t->style);
	t->version = 1;
}

void
theme_free(struct theme *t)
{
	free(t->name);
	t->name = NULL;
}

static int
theme_name_ok(const char *name)
{
	if (*name == '\0')
		return 0;
	return name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] == '\0';
}

/* Colour NAME as 0-255 or COLOUR_DEFAULT; -2 if unknown, -3 if > 255. */
static int
theme_colour(const char *name)
{
	const char	*base = name;
	size_t		 i;
	long		 n;
	int		 bright = 0;

	if (strcasecmp(name, "default") == 0)
		return COLOUR_DEFAULT;
	if (*name != '\0' && strspn(name, "0123456789") == strlen(name)) {
		if (strlen(name) > 3 || (n = strtol(name, NULL, 10)) > 255)
			return -3;
		return n;
	}
	if (strncasecmp(name, "bright", 6) == 0) {
		bright = 8;
		base = name + 6;
	}
	for (i = 0; i < sizeof theme_colours / sizeof theme_colours[0]; i++) {
		if (strcasecmp(base, theme_colours[i]) == 0)
			return i + bright;
	}
	return -2;
}

static int
theme_attr(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof theme_attrs / sizeof theme_attrs[0]; i++) {
		if (strcasecmp(name, theme_attrs[i].name) == 0)
			return theme_attrs[i].flag;
	}
	return 0;
}

/* Parse "fg[,bg][,attr...]" into *STYLE; -1 with *cause on error. */
static int
theme_parse_style(const char *role, const char *value,
    struct theme_style *style, char **cause)
{
	char	*copy = xstrdup(value), *rest = copy, *item;
	int	 n = 0, colour, attr, rc = -1;

	style->fg = style->bg = COLOUR_DEFAULT;
	style->attrs = 0;
	if (*str_trim(copy) == '\0') {
		*cause = xasprintf("missing colour for '%s'", role);
		goto out;
	}
	while ((item = strsep(&rest, ",")) != NULL) {
		str_trim(item);
		if (*item == '\0') {
			*cause = xasprintf("empty item in '%s'", value);
			goto out;
		}
		colour = theme_colour(item);
		attr = theme_attr(item);
		if (n < 2 && colour == -3) {
			*cause = xasprintf("colour '%s' is not from 0 to 255",
			    item);
			goto out;
		}
		if (n == 0 && colour == -2) {
			if (attr != 0)
				*cause = xasprintf("expected a colour before "
				    "the attribute '%s'", item);
			else
				*cause = xasprintf("unknown colour '%s'", item);
			goto out;
		}
		if (n == 0)
			style->fg = colour;
		else if (n == 1 && colour != -2)
			style->bg = colour;
		else if (attr != 0)
			style->attrs |= attr;
		else if (n == 1) {
			*cause = xasprintf("unknown colour or attribute '%s'",
			    item);
			goto out;
		} else {
			*cause = xasprintf("unknown attribute '%s'", item);
			goto out;
		}
		if (n < 2 && attr == 0)
			n++;
		else
			n = 2;	/* attributes from here on */
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int
theme_parse_section(void *arg, const char *name, int line, char **cause)
{
	struct theme_parse	*tp = arg;

	if (strcasecmp(name, "colours") == 0 ||
	    strcasecmp(name, "colors") == 0) {
		tp->section = 1;
		return 0;
	}
	*cause = xasprintf("unknown section [%s]: a theme has only [colours]",
	    name);
	tp->section = -1;
	return -1;
}

static int
theme_parse_key(void *arg, const char *section, const char *key,
    const char *value, int line, char **cause)
{
	struct theme_parse	*tp = arg;
	struct theme_style	 style;
	int			 role;

	if (tp->section == -1)
		return 0;	/* reported at the [section] line */
	if (tp->section == 0) {
		*cause = xasprintf("'%s' must be in the [colours] section",
		    key);
		return -1;
	}
	for (role = 0; role < ROLE_COUNT; role++) {
		if (strcasecmp(theme_roles[role], key) == 0)
			break;
	}
	if (role == ROLE_COUNT) {
		*cause = xasprintf("unknown role '%s'", key);
		return -1;
	}
	if (theme_parse_style(key, value, &style, cause) != 0)
		return -1;
	tp->t.style[role] = style;
	return 0;
}

static const struct ini_format theme_ini = {
	.expected = "expected 'role = colours' or '[colours]'",
	.key = theme_parse_key,
	.section = theme_parse_section,
};

/* Replace *T with NEW (which is consumed). */
static void
theme_replace(struct theme *t, struct theme *new)
{
	new->version = t->version + 1;
	free(t->name);
	*t = *new;
}

int
theme_parse(struct theme *t, const char *name, const char *text,
    char **cause)
{
	struct theme_parse	 tp;
	char			*file;
	int			 rc;

	memset(&tp, 0, sizeof tp);
	theme_default(&tp.t);
	str_replace(&tp.t.name, name);
	file = xasprintf("%s.theme", name);
	rc = ini_parse_text(&theme_ini, file, text, &tp, cause);
	free(file);
	if (rc != 0) {
		theme_free(&tp.t);
		return -1;
	}
	theme_replace(t, &tp.t);
	return 0;
}

/*
 * Read the file of theme NAME from DIR into *TEXT.  Returns 1 if it was
 * read, 0 if there is none, -1 with *cause set if it cannot be read.
 */
static int
theme_read_file(const char *dir, const char *name, char **text, char **cause)
{
	char	*path;

	path = xasprintf("%s/%s.theme", dir, name);
	if (ini_read_file(path, text) != 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			free(path);
			return 0;
		}
		*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	log_debug("theme: reading %s", path);
	free(path);
	return 1;
}

int
theme_load(struct theme *t, const char *name, const char *system_dir,
    char **cause)
{
	struct theme	 new;
	char		*user_dir, *text = NULL;
	int		 found = 0, rc;

	if (!theme_name_ok(name)) {
		*cause = xasprintf("no theme named '%s' (see /theme list)",
		    name);
		return -1;
	}
	user_dir = paths_file(PATH_CONFIG, "themes");
	found = theme_read_file(user_dir, name, &text, cause);
	free(user_dir);
	if (found == 0 && system_dir != NULL)
		found = theme_read_file(system_dir, name, &text, cause);
	if (found == -1)
		return -1;
	if (found == 0) {
		if (strcmp(name, "default") == 0) {
			/* Built in: no file needed. */
			theme_default(&new);
			theme_replace(t, &new);
			return 0;
		}
		*cause = xasprintf("no theme named '%s' (see /theme list)",
		    name);
		return -1;
	}
	rc = theme_parse(t, name, text, cause);
	free(text);
	return rc;
}

/* Add the theme names found in DIR to *NAMES (*N of them). */
static void
theme_list_dir(const char *dir, char ***names, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 len;
	char		*name;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 6 || strcmp(de->d_name + len - 6, ".theme") != 0)
			continue;
		name = xstrndup(de->d_name, len - 6);
		if (!theme_name_ok(name)) {
			free(name);
			continue;
		}
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = name;
	}
	closedir(d);
}

static int
theme_list_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
theme_list(const char *system_dir)
{
	char	**names = NULL, *user_dir;
	size_t	  n = 0, i, out;

	/* The built-in theme is always there. */
	names = xreallocarray(names, 1, sizeof *names);
	names[n++] = xstrdup("default");
	user_dir = paths_file(PATH_CONFIG, "themes");
	theme_list_dir(user_dir, &names, &n);
	free(user_dir);
	if (system_dir != NULL)
		theme_list_dir(system_dir, &names, &n);

	qsort(names, n, sizeof *names, theme_list_cmp);
	for (i = 0, out = 0; i < n; i++) {
		if (out > 0 && strcmp(names[out - 1], names[i]) == 0)
			free(names[i]);
		else
			names[out++] = names[i];
	}
	names = xreallocarray(names, out + 1, sizeof *names);
	names[out] = NULL;
	return names;
}
