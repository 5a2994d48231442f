/*
 * complete.c - Tab completion from the command table's argument specs.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/room.h"
#include "util/paths.h"
#include "util/str.h"
#include "util/xalloc.h"

struct cands {
	char	**v;
	size_t	  n;
	const char *prefix;
	size_t	  plen;
};

static void
cands_add(struct cands *c, const char *word)
{
	size_t	i;

	if (strncasecmp(word, c->prefix, c->plen) != 0)
		return;
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i], word) == 0)
			return;
	}
	c->v = xreallocarray(c->v, c->n + 2, sizeof *c->v);
	c->v[c->n++] = xstrdup(word);
	c->v[c->n] = NULL;
}

static int
cands_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The most names one Tab lists from a folder. */
#define COMPLETE_FILES_MAX	1000

/*
 * Paths: the entries of the prefix's folder ("~/" is $HOME) that start
 * with its last part, case-sensitively; folders end in "/".  Dot files
 * only when that part starts with a dot.
 */
static void
complete_files(struct cands *c)
{
	const char	*slash = strrchr(c->prefix, '/'), *base;
	char		*dirpart, *dir, *word;
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	size_t		 blen, n = 0;

	dirpart = slash != NULL ? xstrndup(c->prefix, slash - c->prefix + 1) :
	    xstrdup("");
	base = slash != NULL ? slash + 1 : c->prefix;
	blen = strlen(base);
	dir = paths_expand_home(*dirpart != '\0' ? dirpart : ".");
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL && n < COMPLETE_FILES_MAX) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0 ||
			    (de->d_name[0] == '.' && base[0] != '.') ||
			    strncmp(de->d_name, base, blen) != 0)
				continue;
			word = xasprintf("%s/%s", dir, de->d_name);
			if (stat(word, &st) == 0 && S_ISDIR(st.st_mode)) {
				free(word);
				word = xasprintf("%s%s/", dirpart, de->d_name);
			} else {
				free(word);
				word = xasprintf("%s%s", dirpart, de->d_name);
			}
			cands_add(c, word);
			free(word);
			n++;
		}
		closedir(d);
	}
	free(dir);
	free(dirpart);
}

static void
complete_kind(struct szia *sz, const struct cmd_entry *e, enum cmd_arg kind,
    struct cands *c)
{
	const struct cmd_entry *const	*ce;
	const char *const		*w;
	struct contact			*ct, *tmp;
	struct account			*a;
	struct window			*win;
	char				**themes, num[16];
	size_t				 i;
	static const char *const	 shows[] = {
		"online", "chat", "away", "xa", "dnd", NULL
	};

	switch (kind) {
	case ARG_NONE:
		break;
	case ARG_SUBCMD:
		for (w = e->subcmds; w != NULL && *w != NULL; w++)
			cands_add(c, *w);
		break;
	case ARG_CONTACT:
		HASH_ITER(hh, sz->roster.by_jid, ct, tmp) {
			if (!ct->in_roster)
				continue;
			cands_add(c, ct->jid);
			if (ct->name != NULL && strchr(ct->name, ' ') == NULL)
				cands_add(c, ct->name);
		}
		break;
	case ARG_ACCOUNT:
		for (a = sz->accounts.head; a != NULL; a = a->next)
			cands_add(c, a->name);
		break;
	case ARG_ACCOUNT_KEY:
		for (w = account_keys; *w != NULL; w++)
			cands_add(c, *w);
		break;
	case ARG_SETTING:
		for (i = 0; i < SET_COUNT; i++)
			cands_add(c, setting_defs[i].name);
		break;
	case ARG_THEME:
		themes = theme_list(sz->theme_dir);
		for (i = 0; themes[i] != NULL; i++) {
			cands_add(c, themes[i]);
			free(themes[i]);
		}
		free(themes);
		break;
	case ARG_COMMAND:
		for (ce = cmd_table; *ce != NULL; ce++)
			cands_add(c, (*ce)->name);
		break;
	case ARG_SHOW:
		for (w = shows; *w != NULL; w++)
			cands_add(c, *w);
		break;
	case ARG_FILE:
		for (w = e != NULL ? e->subcmds : NULL; w != NULL && *w != NULL;
		    w++)
			cands_add(c, *w);
		complete_files(c);
		break;
	case ARG_WINDOW:
		for (win = sz->windows.head; win != NULL; win = win->next) {
			snprintf(num, sizeof num, "%d", win->num);
			cands_add(c, num);
			if (win->type != WINDOW_CONSOLE)	/* + rooms */
				cands_add(c, win->name);
		}
		break;
	}
}

/* [muc] group chat: the nicks of the current window's room. */
static int
complete_nicks(struct szia *sz, struct cands *c, const char *suffix)
{
	struct room	*r = room_of_window(sz, sz->windows.current);
	struct occupant	*o, *tmp;
	char		*word;

	if (r == NULL)
		return 0;
	HASH_ITER(hh, r->occupants, o, tmp) {
		if (strcmp(o->nick, r->nick) == 0 ||
		    strcmp(o->nick, o->safe) != 0)
			continue;
		word = xasprintf("%s%s", o->nick, suffix);
		cands_add(c, word);
		free(word);
	}
	return 1;
}

char **
cmd_complete(struct szia *sz, const char *line, int start, int end)
{
	const struct cmd_entry *const	*ce;
	const struct cmd_entry		*e;
	struct cands			 c;
	char				*prefix, *name;
	const char			*p;
	int				 words = 0;

	memset(&c, 0, sizeof c);
	prefix = xstrndup(line + start, end - start);
	c.prefix = prefix;
	c.plen = strlen(prefix);
	/* Count the words before START. */
	for (p = line; p < line + start; ) {
		while (p < line + start && isspace((unsigned char)*p))
			p++;
		if (p >= line + start)
			break;
		words++;
		while (p < line + start && !isspace((unsigned char)*p))
			p++;
	}
	if (line[0] != '/') {
		/* In a room: nicks, "nick: " at the start of the line. */
		if (!complete_nicks(sz, &c, start == 0 ? ":" : ""))
			complete_kind(sz, NULL, ARG_CONTACT, &c);
	} else if (words == 1 && (str_startswith(line, "/kick ") ||
	    str_startswith(line, "/ban ") || str_startswith(line, "/role ") ||
	    str_startswith(line, "/msg ")) && complete_nicks(sz, &c, "")) {
		if (str_startswith(line, "/msg "))
			complete_kind(sz, NULL, ARG_CONTACT, &c);
	} else if (words == 0) {
		for (ce = cmd_table; *ce != NULL; ce++) {
			name = xasprintf("/%s", (*ce)->name);
			cands_add(&c, name);
			free(name);
		}
	} else {
		p = strpbrk(line, " \t");
		name = xstrndup(line + 1, p != NULL ? (size_t)(p - line - 1) :
		    strlen(line + 1));
		e = cmd_find(name);
		free(name);
		if (e != NULL && words - 1 < CMD_MAXARGS)
			complete_kind(sz, e, e->args[words - 1], &c);
	}
	free(prefix);
	if (c.n > 1)
		qsort(c.v, c.n, sizeof *c.v, cands_cmp);
	return c.v;
}

void
cmd_complete_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
