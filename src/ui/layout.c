/*
 * layout.c - the screen's parts and how each is drawn.
 *
 *   +-------------------------------------------+
 *   | title: window title, contact presence     |
 *   +-------------------------------+-----------+
 *   | current window's lines        | roster    |
 *   | (wrapped to the width)        | panel     |
 *   +-------------------------------+-----------+
 *   | status: account, state, window list       |
 *   | input line (readline)                     |
 *   +-------------------------------------------+
 *
 * Each part is redrawn only when the core marked it dirty; the main loop
 * calls doupdate() once per turn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/styling.h"
#include "ui/ui-int.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static int
layout_roster_width(struct ui *ui)
{
	long	w;

	if (!settings_num(&ui->sz->settings, SET_ROSTER_SHOW))
		return 0;
	w = settings_num(&ui->sz->settings, SET_ROSTER_WIDTH);
	if (ui->cols < 40 || w + 20 > ui->cols)
		return 0;	/* too narrow: the chat comes first */
	return w;
}

void
layout_destroy(struct ui *ui)
{
	WINDOW	**ws[] = { &ui->title, &ui->main, &ui->side, &ui->status,
	    &ui->input };
	size_t	  i;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		if (*ws[i] != NULL)
			delwin(*ws[i]);
		*ws[i] = NULL;
	}
}

void
layout_create(struct ui *ui)
{
	int	rw, mh;

	layout_destroy(ui);
	getmaxyx(stdscr, ui->rows, ui->cols);
	if (ui->rows < 4)
		ui->rows = 4;
	if (ui->cols < 10)
		ui->cols = 10;
	rw = layout_roster_width(ui);
	mh = ui->rows - 3;
	ui->title = newwin(1, ui->cols, 0, 0);
	ui->main = newwin(mh, ui->cols - (rw > 0 ? rw + 1 : 0), 1, 0);
	ui->side = rw > 0 ? newwin(mh, rw + 1, 1, ui->cols - rw - 1) : NULL;
	ui->status = newwin(1, ui->cols, ui->rows - 2, 0);
	ui->input = newwin(1, ui->cols, ui->rows - 1, 0);
	leaveok(ui->title, TRUE);
	leaveok(ui->main, TRUE);
	leaveok(ui->status, TRUE);
	if (ui->side != NULL)
		leaveok(ui->side, TRUE);
	ui->sz->dirty = DIRTY_ALL;
}

/* Fill the rest of window W's current row with the current attributes. */
static void
layout_fill(WINDOW *w)
{
	int	y, x, maxy, maxx;

	getyx(w, y, x);
	getmaxyx(w, maxy, maxx);
	(void)maxy;
	for (; x < maxx; x++)
		mvwaddch(w, y, x, ' ');
}

void
layout_draw_title(struct ui *ui)
{
	struct window	*w = ui->sz->windows.current;
	struct contact	*c;
	int		 used;

	werase(ui->title);
	draw_role(ui->title, ROLE_TITLE);
	wmove(ui->title, 0, 0);
	used = draw_text(ui->title, " ", ui->cols);
	used += draw_text(ui->title, w->title != NULL ? w->title : w->name,
	    ui->cols - used);
	if (w->type == WINDOW_CHAT &&
	    (c = roster_find(&ui->sz->roster, w->name)) != NULL) {
		used += draw_text(ui->title, " - ", ui->cols - used);
		used += draw_text(ui->title, show_name(c->show), ui->cols - used);
		if (c->status != NULL) {
			used += draw_text(ui->title, ": ", ui->cols - used);
			used += draw_text(ui->title, c->status, ui->cols - used);
		}
	}
	used += draw_text(ui->title, quality_title_suffix(w), ui->cols - used);
	layout_fill(ui->title);
	wnoutrefresh(ui->title);
}

void
layout_draw_status(struct ui *ui)
{
	struct szia	*sz = ui->sz;
	struct session	*s = &sz->session;
	struct window	*w;
	char		 buf[128];
	int		 used = 0, width = ui->cols, n, pct;
	long		 secs;

	werase(ui->status);
	draw_role(ui->status, ROLE_STATUSBAR);
	wmove(ui->status, 0, 0);
	used += draw_text(ui->status, " [", width - used);
	switch (s->state) {
	case CONN_OFFLINE:
		used += draw_text(ui->status, "offline", width - used);
		break;
	case CONN_CONNECTING:
		used += draw_text(ui->status, "connecting ", width - used);
		used += draw_text(ui->status, s->bare != NULL ? s->bare : "",
		    width - used);
		break;
	case CONN_ONLINE:
		used += draw_text(ui->status, s->bound != NULL ? s->bound : "",
		    width - used);
		snprintf(buf, sizeof buf, " (%s)", show_name(s->show));
		used += draw_text(ui->status, buf, width - used);
		break;
	case CONN_WAITING:
		secs = s->retry_at > sz->now ?
		    (long)((s->retry_at - sz->now + 999) / 1000) : 0;
		snprintf(buf, sizeof buf, "reconnecting in %lds", secs);
		used += draw_text(ui->status, buf, width - used);
		break;
	}
	used += draw_text(ui->status, "] ", width - used);
	if ((n = core_uploads(sz, &pct)) > 0) {
		/* "[up 40%]", "[2 up 5%]"; "…" until the first one sends. */
		if (n > 1)
			snprintf(buf, sizeof buf, "[%d up ", n);
		else
			snprintf(buf, sizeof buf, "[up ");
		used += draw_text(ui->status, buf, width - used);
		if (pct >= 0)
			snprintf(buf, sizeof buf, "%d%%] ", pct);
		else
			snprintf(buf, sizeof buf, "\u2026] ");
		used += draw_text(ui->status, buf, width - used);
	}
	used += draw_text(ui->status, "[", width - used);
	for (w = sz->windows.head; w != NULL; w = w->next) {
		if (w != sz->windows.head)
			used += draw_text(ui->status, " ", width - used);
		if (w == sz->windows.current)
			draw_role(ui->status, ROLE_STATUS_ACTIVE);
		else if (w->highlight)
			draw_role(ui->status, ROLE_STATUS_HIGHLIGHT);
		else if (w->unread > 0)
			draw_role(ui->status, ROLE_STATUS_UNREAD);
		snprintf(buf, sizeof buf, "%d", w->num);
		used += draw_text(ui->status, buf, width - used);
		if (w->type != WINDOW_CONSOLE) {
			used += draw_text(ui->status, ":", width - used);
			used += draw_text(ui->status, w->name, width - used);
		}
		/* Marks that do not need colour: "*" unread, "!" for us. */
		if (w->unread > 0 && w != sz->windows.current)
			used += draw_text(ui->status, "*", width - used);
		if (w->highlight && w != sz->windows.current)
			used += draw_text(ui->status, "!", width - used);
		draw_role(ui->status, ROLE_STATUSBAR);
	}
	used += draw_text(ui->status, "]", width - used);
	if (w = sz->windows.current, w->scroll > 0)
		used += draw_text(ui->status, " -- more below --",
		    width - used);
	layout_fill(ui->status);
	wnoutrefresh(ui->status);
}

enum theme_role
layout_show_role(enum show show)
{
	switch (show) {
	case SHOW_CHAT:
		return ROLE_ROSTER_CHAT;
	case SHOW_ONLINE:
		return ROLE_ROSTER_ONLINE;
	case SHOW_AWAY:
		return ROLE_ROSTER_AWAY;
	case SHOW_XA:
		return ROLE_ROSTER_XA;
	case SHOW_DND:
		return ROLE_ROSTER_DND;
	default:
		return ROLE_ROSTER_OFFLINE;
	}
}

static const char *
layout_show_mark(enum show show)
{
	switch (show) {
	case SHOW_CHAT:
		return "+";
	case SHOW_ONLINE:
		return "*";
	case SHOW_AWAY:
		return "~";
	case SHOW_XA:
		return "-";
	case SHOW_DND:
		return "!";
	default:
		return " ";
	}
}

void
layout_draw_roster(struct ui *ui)
{
	struct roster		*ro = &ui->sz->roster;
	const struct roster_row	*r;
	const char		*group = NULL;
	int			 y = 0, h, w, x;
	size_t			 i;
	int			 offline = settings_num(&ui->sz->settings,
				    SET_ROSTER_OFFLINE);

	if (ui->side == NULL || occupants_draw(ui))
		return;
	getmaxyx(ui->side, h, w);
	werase(ui->side);
	draw_role(ui->side, ROLE_BORDER);
	for (x = 0; x < h; x++)
		mvwaddch(ui->side, x, 0, ACS_VLINE);
	for (i = 0; i < ro->nrows && y < h; i++) {
		r = &ro->rows[i];
		if (!offline && r->contact->show == SHOW_OFFLINE)
			continue;
		if (group == NULL || strcmp(group, r->group) != 0) {
			group = r->group;
			draw_role(ui->side, ROLE_ROSTER_GROUP);
			wmove(ui->side, y++, 1);
			draw_text(ui->side, group, w - 1);
			if (y >= h)
				break;
		}
		draw_role(ui->side, layout_show_role(r->contact->show));
		wmove(ui->side, y++, 1);
		x = draw_text(ui->side, layout_show_mark(r->contact->show),
		    w - 1);
		x += draw_text(ui->side, core_contact_name(ui->sz,
		    r->contact->jid), w - 1 - x);
		if (r->contact->status != NULL && w - 1 - x > 4) {
			draw_role(ui->side, ROLE_ROSTER_OFFLINE);
			x += draw_text(ui->side, " ", w - 1 - x);
			draw_text(ui->side, r->contact->status, w - 1 - x);
		}
	}
	if (ro->nrows == 0) {
		draw_role(ui->side, ROLE_ROSTER_OFFLINE);
		wmove(ui->side, 0, 1);
		draw_text(ui->side, ui->sz->session.state == CONN_ONLINE ?
		    "(no contacts)" : "(offline)", w - 1);
	}
	wnoutrefresh(ui->side);
}

/* Rows of one logical line, built by draw_wrap(). */
struct rowset {
	const char	**start;
	size_t		 *len;
	int		  n;
};

static void
layout_collect(void *arg, const char *s, size_t len)
{
	struct rowset	*rs = arg;

	rs->start = xreallocarray(rs->start, rs->n + 1, sizeof *rs->start);
	rs->len = xreallocarray(rs->len, rs->n + 1, sizeof *rs->len);
	rs->start[rs->n] = s;
	rs->len[rs->n] = len;
	rs->n++;
}

/* The prefix of line L: "HH:MM who: " (or "HH:MM -!- "). */
static char *
layout_prefix(struct ui *ui, const struct line *l, int *who_start,
    int *who_len)
{
	char		 ts[64], day[16] = "";
	struct tm	 tm, today;
	time_t		 t = l->ts, now = time(NULL);
	char		*p;

	localtime_r(&t, &tm);
	localtime_r(&now, &today);
	/* Lines from another day (history, delayed) carry their date. */
	if (tm.tm_yday != today.tm_yday || tm.tm_year != today.tm_year)
		strftime(day, sizeof day, "%Y-%m-%d ", &tm);
	/* The format is the user's setting, validated when it was set. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(ts, sizeof ts, settings_str(&ui->sz->settings,
	    SET_TIME_FORMAT), &tm) == 0)
		ts[0] = '\0';
#pragma GCC diagnostic pop
	if (l->who != NULL) {
		p = xasprintf("%s%s %s: ", day, ts, l->who);
		*who_start = strlen(day) + strlen(ts) + 1;
		*who_len = strlen(l->who);
	} else {
		p = xasprintf("%s%s %s ", day, ts, l->kind == LINE_ERROR ?
		    "!!" : l->kind == LINE_PRESENCE ? "--" : "-!-");
		*who_start = *who_len = 0;
	}
	return p;
}

static enum theme_role
layout_text_role(const struct line *l)
{
	if (l->flags & LINE_HISTORY)
		return ROLE_HISTORY;
	if (l->flags & LINE_HIGHLIGHT)		/* [muc] mentions us */
		return ROLE_HIGHLIGHT;
	switch (l->kind) {
	case LINE_IN:
		return ROLE_TEXT_IN;
	case LINE_OUT:
		return ROLE_TEXT_OUT;
	case LINE_ERROR:
		return ROLE_ERROR;
	case LINE_PRESENCE:
		return ROLE_PRESENCE;
	default:
		return ROLE_INFO;
	}
}

/* [quality] " (edited) ✓✓" after line L's text, or NULL. */
static char *
layout_suffix(const struct line *l)
{
	const char	*sym = quality_mark_symbol(l);

	if (!l->edited && sym == NULL)
		return NULL;
	return xasprintf("%s%s%s", l->edited ? " (edited)" : "",
	    sym != NULL ? " " : "", sym != NULL ? sym : "");
}

/* Draw line L's wrapped rows, skipping the first SKIP, from row Y down. */
static void
layout_draw_line(struct ui *ui, const struct line *l, struct rowset *rs,
    const char *prefix, int pw, int ws, int wl, int y, int skip)
{
	int		 r, maxy, maxx, used;
	unsigned char	*mask = NULL;
	char		*suffix = layout_suffix(l);

	getmaxyx(ui->main, maxy, maxx);
	if ((l->kind == LINE_IN || l->kind == LINE_OUT) &&
	    settings_num(&ui->sz->settings, SET_STYLING))
		mask = styling_parse(l->text, strlen(l->text));
	for (r = skip; r < rs->n && y < maxy; r++, y++) {
		wmove(ui->main, y, 0);
		if (r == 0) {
			draw_role(ui->main, ROLE_TIME);
			if (wl > 0) {
				draw_textn(ui->main, prefix, ws, maxx);
				draw_role(ui->main, l->kind == LINE_OUT ?
				    ROLE_NICK_OUT : ROLE_NICK_IN);
				draw_textn(ui->main, prefix + ws, wl, maxx);
				draw_role(ui->main, ROLE_DEFAULT);
				draw_text(ui->main, prefix + ws + wl, maxx);
			} else
				draw_text(ui->main, prefix, maxx);
		} else
			wmove(ui->main, y, pw);
		used = draw_styled(ui->main, rs->start[r], rs->len[r],
		    mask != NULL ? mask + (rs->start[r] - l->text) : NULL,
		    layout_text_role(l), maxx - pw);
		if (r == rs->n - 1 && suffix != NULL) {
			draw_role(ui->main, ROLE_TIME);
			draw_text(ui->main, suffix, maxx - pw - used);
		}
	}
	free(mask);
	free(suffix);
}

void
layout_draw_main(struct ui *ui)
{
	struct window	*w = ui->sz->windows.current;
	struct rowset	*sets;
	char		**prefixes;
	int		*pws, *wss, *wls;
	int		 h, width, text_w, rows = 0, need, y, skip, maxscroll;
	size_t		 i, first, n;

	getmaxyx(ui->main, h, width);
	werase(ui->main);
	if (w->buf.len == 0) {
		wnoutrefresh(ui->main);
		return;
	}
	/* Walk back from the newest line until the screen (plus the
	 * scroll offset) is full. */
	need = h + w->scroll;
	n = w->buf.len;
	sets = xcalloc(n, sizeof *sets);
	prefixes = xcalloc(n, sizeof *prefixes);
	pws = xcalloc(n, sizeof *pws);
	wss = xcalloc(n, sizeof *wss);
	wls = xcalloc(n, sizeof *wls);
	first = n;
	while (first > 0 && rows < need) {
		struct line *l = window_line(w, --first);

		prefixes[first] = layout_prefix(ui, l, &wss[first],
		    &wls[first]);
		pws[first] = utf8_width(prefixes[first]);
		if (pws[first] > width - 8)
			pws[first] = width - 8 > 0 ? width - 8 : 0;
		text_w = width - pws[first];
		{	/* [quality] room for the mark on the last row */
			char *sfx = layout_suffix(l);

			if (sfx != NULL && text_w - utf8_width(sfx) >= 8)
				text_w -= utf8_width(sfx);
			free(sfx);
		}
		draw_wrap(l->text, text_w, layout_collect, &sets[first]);
		rows += sets[first].n;
	}
	/* Clamp scrolling to what exists. */
	maxscroll = rows > h ? rows - h : 0;
	if (w->scroll > maxscroll)
		w->scroll = maxscroll;
	skip = rows - h - w->scroll;	/* rows hidden above the top */
	y = 0;
	for (i = first; i < n; i++) {
		int s = 0;

		if (skip > 0) {
			s = skip < sets[i].n ? skip : sets[i].n;
			skip -= s;
		}
		if (s < sets[i].n) {
			layout_draw_line(ui, window_line(w, i), &sets[i],
			    prefixes[i], pws[i], wss[i], wls[i], y, s);
			y += sets[i].n - s;
		}
	}
	for (i = first; i < n; i++) {
		free(sets[i].start);
		free(sets[i].len);
		free(prefixes[i]);
	}
	free(sets);
	free(prefixes);
	free(pws);
	free(wss);
	free(wls);
	wnoutrefresh(ui->main);
}
