/*
 * settings.c - typed user settings (see settings.h).
 *
 * Every setting is one row of setting_defs[], in enum setting_id order.
 * For SETTING_INT rows, min and max are the allowed range; for
 * SETTING_STRING rows they bound the length in bytes.  A value always goes
 * through settings_check(), whether it comes from the table (defaults),
 * from /set or from sziarc, so struct settings only ever holds valid values
 * in canonical form ("true"/"false", decimal numbers).
 *
 * sziarc is parsed by util/ini.c, which gives line numbers and whole
 * section names and keeps ';' in values (INI_SEMICOLONS): free text such
 * as autoaway.message may contain " ; ".  Every good line is applied and
 * the first problem is reported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/settings.h"
#include "util/ini.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/str.h"
#include "util/xalloc.h"

const struct setting_def setting_defs[SET_COUNT] = {
	[SET_ROSTER_SHOW] = {
	    "roster.show", SETTING_BOOL, "true", 0, 1,
	    "show the roster panel" },
	[SET_ROSTER_WIDTH] = {
	    "roster.width", SETTING_INT, "24", 10, 80,
	    "width of the roster panel in columns" },
	[SET_ROSTER_OFFLINE] = {
	    "roster.offline", SETTING_BOOL, "true", 0, 1,
	    "list offline contacts in the roster" },
	[SET_AUTOAWAY_MINUTES] = {
	    "autoaway.minutes", SETTING_INT, "10", 0, 1440,
	    "idle minutes before going away automatically (0: never)" },
	[SET_AUTOAWAY_MESSAGE] = {
	    "autoaway.message", SETTING_STRING, "Away (idle)", 0, 160,
	    "status message used when going away automatically" },
	[SET_HISTORY_LINES] = {
	    "history.lines", SETTING_INT, "20", 0, 1000,
	    "logged lines shown when a conversation window opens" },
	[SET_SCROLLBACK] = {
	    "scrollback", SETTING_INT, "2000", 100, 100000,
	    "lines kept in each window" },
	[SET_TIME_FORMAT] = {
	    "time.format", SETTING_STRING, "%H:%M", 1, 63,
	    "strftime(3) format of the time in front of each line" },
	[SET_THEME] = {
	    "theme", SETTING_STRING, "default", 1, 64,
	    "colour theme (see /theme list)" },
	[SET_PING_INTERVAL] = {
	    "ping.interval", SETTING_INT, "60", 10, 3600,
	    "seconds between keepalive pings to the server" },
	[SET_RECONNECT_MAX] = {
	    "reconnect.max", SETTING_INT, "300", 5, 3600,
	    "longest wait between reconnection attempts, in seconds" },
	[SET_PRIORITY] = {
	    "presence.priority", SETTING_INT, "0", -128, 127,
	    "priority sent with your presence (an account's own priority, "
	    "if it has one, wins)" },
	/* [muc] group chat */
	[SET_MUC_HIGHLIGHT_WORDS] = {
	    "muc.highlight_words", SETTING_STRING, "", 0, 1000,
	    "comma-separated words that highlight a room message (your nick "
	    "always does)" },
	[SET_MUC_SELFPING] = {
	    "muc.selfping", SETTING_INT, "300", 0, 86400,
	    "seconds a room may stay silent before szia checks that you are "
	    "still in it (XEP-0410; 0: never)" },

	/* [sync] archive and sync */
	[SET_MAM_INITIAL] = {
	    "mam.initial", SETTING_INT, "50", 0, 1000,
	    "messages fetched from the server archive on a first login "
	    "(later logins fetch everything since the last one)" },
	[SET_CSI_IDLE] = {
	    "csi.idle", SETTING_INT, "0", 0, 1440,
	    "idle minutes before telling the server the client is inactive "
	    "(XEP-0352; 0: only on focus loss)" },

	/* [quality] message quality */
	[SET_RECEIPTS_SEND] = {
	    "receipts.send", SETTING_BOOL, "true", 0, 1,
	    "answer delivery receipt requests (XEP-0184) from contacts in "
	    "the roster" },
	[SET_MARKERS_SEND] = {
	    "markers.send", SETTING_BOOL, "true", 0, 1,
	    "tell contacts in the roster when you have seen their messages "
	    "(XEP-0333)" },
	[SET_CHATSTATES] = {
	    "chatstates", SETTING_BOOL, "true", 0, 1,
	    "send typing notifications (XEP-0085) to contacts who send them" },
	[SET_STYLING] = {
	    "styling", SETTING_BOOL, "true", 0, 1,
	    "show *bold* _italic_ ~strike~ `code` and > quotes (XEP-0393)" },

	/* [files] upload and accounts */
	[SET_UPLOAD_CAFILE] = {
	    "upload.cafile", SETTING_STRING, "", 0, 1024,
	    "PEM file of the CAs that HTTPS uploads are verified against "
	    "instead of the system's (empty: the system's)" },

};

static int
settings_parse_bool(const char *text, long *value)
{
	static const char *const yes[] = { "true", "on", "yes", "1" };
	static const char *const no[] = { "false", "off", "no", "0" };
	size_t			 i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*value = 1;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*value = 0;
			return 0;
		}
	}
	return -1;
}

static int
settings_parse_long(const char *text, long *value)
{
	char	*end;

	if (*text == '\0')
		return -1;
	errno = 0;
	*value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

static int
settings_plain_name(const char *s)
{
	if (*s == '\0')
		return 0;
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] == '\0';
}

static int
settings_check_string(const struct setting_def *def, const char *text,
    char **cause)
{
	size_t			 len = strlen(text);
	const unsigned char	*p;

	if (len < (size_t)def->min) {
		*cause = xasprintf("%s must not be empty", def->name);
		return -1;
	}
	if (len > (size_t)def->max) {
		*cause = xasprintf("%s must be at most %ld characters long",
		    def->name, def->max);
		return -1;
	}
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*cause = xasprintf("%s must not contain control "
			    "characters", def->name);
			return -1;
		}
	}
	if (def == &setting_defs[SET_THEME] && !settings_plain_name(text)) {
		*cause = xasprintf("%s must be a name made of letters, digits, "
		    "'-' and '_'", def->name);
		return -1;
	}
	return 0;
}

/*
 * Check TEXT (already trimmed) for DEF.  On success set *NUM and *CANON
 * (caller frees) and return 0; else -1 with *cause set.
 */
static int
settings_check(const struct setting_def *def, const char *text, long *num,
    char **canon, char **cause)
{
	long	 n = 0;

	switch (def->type) {
	case SETTING_BOOL:
		if (settings_parse_bool(text, &n) != 0) {
			*cause = xasprintf("%s must be true or false",
			    def->name);
			return -1;
		}
		*canon = xstrdup(n ? "true" : "false");
		break;
	case SETTING_INT:
		if (settings_parse_long(text, &n) != 0 || n < def->min ||
		    n > def->max) {
			*cause = xasprintf("%s must be a number from %ld "
			    "to %ld", def->name, def->min, def->max);
			return -1;
		}
		*canon = xasprintf("%ld", n);
		break;
	case SETTING_STRING:
		if (settings_check_string(def, text, cause) != 0)
			return -1;
		*canon = xstrdup(text);
		break;
	}
	*num = n;
	return 0;
}

/* Set entry ID to its default; a bad default is a bug in the table. */
static void
settings_reset(struct settings *s, int id)
{
	char	*cause = NULL, *canon;
	long	 n;

	if (settings_check(&setting_defs[id], setting_defs[id].def, &n, &canon,
	    &cause) != 0)
		fatal("settings: bad default: %s", cause);
	free(s->str[id]);
	s->str[id] = canon;
	s->num[id] = n;
}

void
settings_init(struct settings *s, const char *path)
{
	int	 i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < SET_COUNT; i++)
		settings_reset(s, i);
	s->path = xstrdup_or_null(path);
}

void
settings_free(struct settings *s)
{
	int	 i;

	for (i = 0; i < SET_COUNT; i++) {
		free(s->str[i]);
		s->str[i] = NULL;
	}
	free(s->path);
	s->path = NULL;
}

int
settings_find(const char *name)
{
	int	 i;

	for (i = 0; i < SET_COUNT; i++) {
		if (strcmp(setting_defs[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
settings_set(struct settings *s, const char *name, const char *value,
    char **cause)
{
	char	*text, *canon;
	long	 n;
	int	 id;

	if ((id = settings_find(name)) == -1) {
		*cause = xasprintf("unknown setting '%s'", name);
		return -1;
	}
	text = str_trim(xstrdup(value));
	if (settings_check(&setting_defs[id], text, &n, &canon, cause) != 0) {
		free(text);
		return -1;
	}
	free(text);
	free(s->str[id]);
	s->str[id] = canon;
	s->num[id] = n;
	return 0;
}

/* The ini_handler_fn for settings_load(): [SECTION] KEY is SECTION.KEY. */
static int
settings_parse_key(void *arg, const char *section, const char *key,
    const char *value, int line, char **cause)
{
	struct settings	*s = arg;
	char		*full;
	int		 rc;

	if (*section != '\0')
		full = xasprintf("%s.%s", section, key);
	else
		full = xstrdup(key);
	rc = settings_set(s, full, value, cause);
	free(full);
	return rc;
}

static const struct ini_format settings_ini = {
	.flags = INI_SEMICOLONS,
	.expected = "expected 'name = value' or '[section]'",
	.key = settings_parse_key,
};

int
settings_load(struct settings *s, char **cause)
{
	const char	*file;
	char		*text;
	int		 i, rc;

	if (s->path == NULL)
		return 0;
	if (ini_read_file(s->path, &text) != 0) {
		if (errno == ENOENT) {
			for (i = 0; i < SET_COUNT; i++)
				settings_reset(s, i);
			return 0;
		}
		*cause = xasprintf("cannot read %s: %s", s->path,
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < SET_COUNT; i++)
		settings_reset(s, i);

	file = strrchr(s->path, '/') != NULL ? strrchr(s->path, '/') + 1 :
	    s->path;
	rc = ini_parse_text(&settings_ini, file, text, s, cause);
	free(text);
	if (rc != 0)
		return -1;
	log_debug("settings: loaded %s", s->path);
	return 0;
}

/* Values are canonical, and so are the defaults in the table. */
static int
settings_is_default(const struct settings *s, int id)
{
	return strcmp(s->str[id], setting_defs[id].def) == 0;
}

/* Length of the section part of NAME ("roster.width": 6), 0 if none. */
static size_t
settings_section_len(const char *name)
{
	const char	*dot = strchr(name, '.');

	return dot != NULL ? (size_t)(dot - name) : 0;
}

int
settings_save(const struct settings *s, char **cause)
{
	struct strbuf	 b = { 0 };
	char		*dir, *slash;
	const char	*name;
	size_t		 len;
	int		 i, j, seen, header, rc;

	if (s->path == NULL)
		return 0;

	strbuf_adds(&b, "# szia settings: only values that differ from the "
	    "defaults are kept here.\n");
	/* Names without a section come first, outside any [section]. */
	for (i = 0; i < SET_COUNT; i++) {
		name = setting_defs[i].name;
		if (settings_section_len(name) == 0 &&
		    !settings_is_default(s, i))
			strbuf_addf(&b, "%s = %s\n", name, s->str[i]);
	}
	/* Then each section once, at the place it first appears. */
	for (i = 0; i < SET_COUNT; i++) {
		name = setting_defs[i].name;
		if ((len = settings_section_len(name)) == 0)
			continue;
		for (seen = 0, j = 0; j < i && !seen; j++) {
			seen = settings_section_len(setting_defs[j].name) ==
			    len && strncmp(setting_defs[j].name, name, len) == 0;
		}
		if (seen)
			continue;
		header = 0;
		for (j = i; j < SET_COUNT; j++) {
			if (settings_section_len(setting_defs[j].name) != len ||
			    strncmp(setting_defs[j].name, name, len) != 0 ||
			    settings_is_default(s, j))
				continue;
			if (!header) {
				strbuf_addf(&b, "\n[%.*s]\n", (int)len, name);
				header = 1;
			}
			strbuf_addf(&b, "%s = %s\n",
			    setting_defs[j].name + len + 1, s->str[j]);
		}
	}

	dir = xstrdup(s->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdir(dir, 0700, cause) != 0) {
			free(dir);
			strbuf_free(&b);
			return -1;
		}
	}
	free(dir);
	rc = paths_write_atomic(s->path, b.s, b.len, 0600, cause);
	strbuf_free(&b);
	if (rc == 0)
		log_debug("settings: saved %s", s->path);
	return rc;
}
