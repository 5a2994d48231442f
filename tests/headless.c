/*
 * headless.c - szia without a screen, for functional tests and benchmarks.
 *
 * It runs the same core, XMPP layer, message log and main loop as szia.
 * Lines read from standard input are typed into the current window (so
 * commands start with /); lines starting with ! are driver commands:
 *   !dump       print the current window's whole buffer
 *   !roster     print the roster panel's rows
 *   !win N      select window N without a command
 *   !occupants  the current room's occupants:
 *               OCCUPANT <nick> | <role> | <affiliation> | <show>
 *               then OCCUPANTS END <count> (and TITLE <title>)
 *   !marks      the current window's lines with their marks:
 *               LINE <kind> <mark>[ edited] <text> ... MARKS END
 *   !title      TITLE <what the title bar shows, chat state included>
 *   !type TEXT  the input line now holds TEXT (typing notifications)
 *   !focus in|out  the terminal gained/lost focus (XEP-0352)
 * What a UI would show is printed as it happens, one line each:
 *   W<num> <window name> | <kind> [<who>: ]<text>
 *   PROMPT <text>          a question (a password) waits for the next line
 *   STATE <offline|connecting|online|waiting>
 * End of input quits.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "core/room.h"
#include "loop.h"
#include "store/store.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/stats.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "xmpp/xmpp.h"

struct headless {
	struct szia	*sz;
	struct strbuf	 in;
	enum conn_state	 state;
	int		 prompted;
	char		*prompt_text;	/* last printed: a chained prompt
					   (asked again) is printed too */
};

static const char *const kinds[] = { "info", "error", "in", "out",
    "presence" };
static const char *const states[] = { "offline", "connecting", "online",
    "waiting" };

/* [sync] carbon, archive, pending: after the history/delayed word. */
static const char *
headless_sync_flags(const struct line *l)
{
	if (l->flags & LINE_PENDING)
		return " pending";
	if ((l->flags & LINE_CARBON) && (l->flags & LINE_ARCHIVE))
		return " carbon archive";
	if (l->flags & LINE_CARBON)
		return " carbon";
	if (l->flags & LINE_ARCHIVE)
		return " archive";
	return "";
}

static void
headless_print_line(struct window *w, const struct line *l)
{
	printf("W%d %s | %s%s%s%s %s%s%s\n", w->num, w->name, kinds[l->kind],
	    (l->flags & LINE_HISTORY) ? " history" :
	    (l->flags & LINE_DELAYED) ? " delayed" : "",
	    (l->flags & LINE_HIGHLIGHT) ? " highlight" : "",
	    headless_sync_flags(l),
	    l->who != NULL ? l->who : "", l->who != NULL ? ": " : "",
	    l->text);
}

static void
headless_command(struct headless *h, const char *line)
{
	struct window	*w = h->sz->windows.current;
	struct roster	*r = &h->sz->roster;
	size_t		 i;

	if (strcmp(line, "!dump") == 0) {
		for (i = 0; i < w->buf.len; i++)
			headless_print_line(w, window_line(w, i));
		printf("DUMP END\n");
	} else if (strcmp(line, "!roster") == 0) {
		for (i = 0; i < r->nrows; i++)
			printf("ROSTER %s | %s | %s | %s\n", r->rows[i].group,
			    r->rows[i].contact->jid,
			    r->rows[i].contact->display,
			    show_name(r->rows[i].contact->show));
		printf("ROSTER END %zu\n", r->nrows);
	} else if (strcmp(line, "!occupants") == 0) {
		struct room	*room = room_of_window(h->sz, w);
		struct occupant	*o, *tmp;
		size_t		 n = 0;

		if (room != NULL) {
			HASH_ITER(hh, room->occupants, o, tmp) {
				printf("OCCUPANT %s | %s | %s | %s\n", o->safe,
				    room_role_name(o->role),
				    room_affil_name(o->affil),
				    show_name(o->show));
				n++;
			}
		}
		printf("TITLE %s\n", w->title != NULL ? w->title : w->name);
		printf("OCCUPANTS END %zu\n", n);
	} else if (strcmp(line, "!focus out") == 0) {	/* [sync] */
		core_focus(h->sz, 0);
	} else if (strcmp(line, "!focus in") == 0) {
		core_focus(h->sz, 1);
	} else if (strncmp(line, "!win ", 5) == 0) {
		core_select_window(h->sz, windows_by_num(&h->sz->windows,
		    atoi(line + 5)));
	} else if (strcmp(line, "!marks") == 0) {
		for (i = 0; i < w->buf.len; i++) {
			struct line *l = window_line(w, i);

			printf("LINE %s %s%s %s\n", kinds[l->kind],
			    quality_mark_name(l->mark),
			    l->edited ? " edited" : "", l->text);
		}
		printf("MARKS END\n");
	} else if (strcmp(line, "!stats") == 0) {
		char	buf[256];

		stats_format(buf, sizeof buf);
		printf("STATS %s\nSTATS END\n", buf);
	} else if (strcmp(line, "!title") == 0) {
		printf("TITLE %s%s\n", w->title != NULL ? w->title : w->name,
		    quality_title_suffix(w));
	} else if (strncmp(line, "!type", 5) == 0 &&
	    (line[5] == ' ' || line[5] == '\0')) {
		core_typing(h->sz, line[5] == ' ' ? line + 6 : "",
		    h->sz->now);
	} else
		printf("DRIVER unknown command %s\n", line);
}

static void
headless_readable(void *ud, int fd)
{
	struct headless	*h = ud;
	char		 buf[65536], *nl, *line;
	ssize_t		 n;

	n = read(fd, buf, sizeof buf);
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		h->sz->quit = 1;
		return;
	}
	if (n < 0)
		return;
	strbuf_add(&h->in, buf, n);
	while (h->in.s != NULL && (nl = strchr(h->in.s, '\n')) != NULL) {
		line = xstrndup(h->in.s, nl - h->in.s);
		h->in.len -= nl + 1 - h->in.s;
		memmove(h->in.s, nl + 1, h->in.len + 1);
		core_activity(h->sz, h->sz->now);
		if (line[0] == '!' && !h->sz->prompt.active)
			headless_command(h, line);
		else
			core_input(h->sz, line);
		free(line);
	}
}

/* How many lines of each window were printed: keyed by name. */
struct seen {
	char		*name;
	uint64_t	 seq;
};

static struct seen	*seen;
static size_t		 nseen;

static struct seen *
headless_seen(const char *name)
{
	size_t	i;

	for (i = 0; i < nseen; i++) {
		if (strcmp(seen[i].name, name) == 0)
			return &seen[i];
	}
	seen = xreallocarray(seen, nseen + 1, sizeof *seen);
	seen[nseen].name = xstrdup(name);
	seen[nseen].seq = 0;
	return &seen[nseen++];
}

static void
headless_render(void *ud)
{
	struct headless	*h = ud;
	struct window	*w;
	struct seen	*s;
	uint64_t	 fresh;
	size_t		 i;

	for (w = h->sz->windows.head; w != NULL; w = w->next) {
		s = headless_seen(w->name);
		if (w->buf.seq < s->seq)	/* closed and reopened */
			s->seq = 0;
		fresh = w->buf.seq - s->seq;
		if (fresh > w->buf.len)
			fresh = w->buf.len;
		for (i = w->buf.len - fresh; i < w->buf.len; i++)
			headless_print_line(w, window_line(w, i));
		s->seq = w->buf.seq;
	}
	if (h->sz->prompt.active && (!h->prompted || h->prompt_text == NULL ||
	    strcmp(h->prompt_text, h->sz->prompt.text) != 0)) {
		printf("PROMPT %s\n", h->sz->prompt.text);
		h->prompted = 1;
		free(h->prompt_text);
		h->prompt_text = xstrdup(h->sz->prompt.text);
	} else if (!h->sz->prompt.active)
		h->prompted = 0;
	if (h->sz->session.state != h->state) {
		h->state = h->sz->session.state;
		printf("STATE %s\n", states[h->state]);
	}
	fflush(stdout);
}

static void
headless_free_seen(void)
{
	size_t	i;

	for (i = 0; i < nseen; i++)
		free(seen[i].name);
	free(seen);
}

int
main(int argc, char **argv)
{
	struct szia		 sz;
	struct core_config	 cfg;
	struct xmpp_link	*xl;
	struct store		*store;
	struct headless		 h;
	struct frontend		 fe;
	char			*settings, *accounts, *logpath;

	setlocale(LC_ALL, "C.UTF-8");
	signal(SIGPIPE, SIG_IGN);	/* as szia: a dead socket is an error */
	/* Written out once per loop turn (headless_render() flushes), as
	 * the terminal UI draws once per turn: not a write() per line. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	logpath = getenv("SZIA_LOG");
	if (logpath != NULL)
		log_open(logpath, LOG_LEVEL_DEBUG);
	settings = paths_file(PATH_CONFIG, "sziarc");
	accounts = paths_file(PATH_CONFIG, "accounts");
	memset(&cfg, 0, sizeof cfg);
	cfg.settings_path = settings;
	cfg.accounts_path = accounts;
	cfg.theme_dir = getenv("SZIA_THEMEDIR");
	core_init(&sz, &cfg);
	store = store_new();
	core_set_log(&sz, &store_log_ops, store);
	xl = xl_new(&sz);

	memset(&h, 0, sizeof h);
	h.sz = &sz;
	h.state = CONN_OFFLINE;
	memset(&fe, 0, sizeof fe);
	fe.fds[0] = STDIN_FILENO;
	fe.fds[1] = fe.fds[2] = fe.fds[3] = -1;
	fe.readable = headless_readable;
	fe.render = headless_render;
	fe.ud = &h;
	if (argc == 3 && strcmp(argv[1], "-a") == 0)
		core_connect_account(&sz, argv[2]);
	loop_run(&sz, xl, &fe);
	xl_free(xl);
	core_free(&sz);
	store_free(store);
	strbuf_free(&h.in);
	free(h.prompt_text);
	headless_free_seen();
	free(settings);
	free(accounts);
	log_close();
	return 0;
}
