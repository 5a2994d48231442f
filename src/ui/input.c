/*
 * input.c - GNU readline in callback mode inside the ncurses screen.
 *
 * Readline never touches the terminal: it reads bytes we hand it
 * (rl_getc_function), writes nothing (rl_outstream is /dev/null) and
 * "redisplays" by marking the input line dirty; input_draw() then draws
 * rl_line_buffer with the cursor at rl_point, scrolling horizontally.
 * Keys szia owns (window switching, scrolling, the roster toggle) are
 * readline key bindings, so Emacs editing, history and completion keep
 * working as readline users expect.  Each window keeps its own history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "core/cmd.h"
#include "ui/ui-int.h"
#include "util/clock.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

struct hist_state {
	char		*window;
	HISTORY_STATE	*state;
};

/*
 * Readline's callbacks carry no user data: the one UI is kept here, with
 * the bytes read from the terminal that readline has not taken yet.
 * Readline asks whether more input is queued (to take typed-ahead
 * characters in one go) and then reads it: both must see this queue, not
 * the terminal, or a character would be read as EOF, which readline takes
 * for Enter on a non-empty line.
 */
static struct ui	*input_ui;
static const unsigned char *input_queue;
static size_t		 input_left;
static FILE		*input_null;

/*
 * [quality] Bracketed paste: the terminal wraps pasted text in
 * ESC[200~ .. ESC[201~.  Readline never sees it: the text is collected
 * here (across reads) and inserted into the line in one go, newlines
 * included, so a pasted block becomes one message when Enter is pressed.
 */
#define PASTE_BEGIN	"\033[200~"
#define PASTE_END	"\033[201~"
static int		 input_pasting;
static struct strbuf	 input_paste;
static char		*input_typed;	/* the line when last reported */

static int
input_getc(FILE *f)
{
	if (input_left == 0)
		return EOF;
	input_left--;
	return *input_queue++;
}

static int
input_available(void)
{
	return input_left > 0;
}

static void
input_redisplay(void)
{
	if (input_ui != NULL)
		input_ui->input_dirty = 1;
}

static void
input_line(char *line)
{
	struct ui	*ui = input_ui;
	struct szia	*sz = ui->sz;
	int		 hidden = sz->prompt.active && sz->prompt.hidden;

	if (line == NULL) {		/* Ctrl-D on an empty line */
		if (sz->prompt.active)
			core_input(sz, NULL);
		return;
	}
	if (!hidden && *line != '\0')
		add_history(line);
	sz->windows.current->scroll = 0;
	core_input(sz, line);
	if (hidden)
		explicit_bzero(line, strlen(line));
	free(line);
	ui->input_dirty = 1;
	sz->dirty |= DIRTY_WINDOW | DIRTY_STATUS;
}

/* [quality] Alt-Enter: a newline inside the input line. */
static int
input_key_newline(int count, int key)
{
	rl_insert_text("\n");
	input_ui->input_dirty = 1;
	return 0;
}

/* [quality] Alt-Up / Ctrl-Up: "/correct " and the last message sent. */
static int
input_key_correct(int count, int key)
{
	const char	*last = core_last_sent(input_ui->sz->windows.current);
	char		*line;

	if (last == NULL) {
		rl_ding();
		return 0;
	}
	line = xasprintf("/correct %s", last);
	rl_replace_line(line, 0);
	rl_point = rl_end;
	free(line);
	input_ui->input_dirty = 1;
	return 0;
}

static int
input_key_window(int count, int key)
{
	struct szia	*sz = input_ui->sz;
	int		 num = key == '0' ? 10 : key - '0';

	core_select_window(sz, windows_by_num(&sz->windows, num));
	return 0;
}

static int
input_key_next(int count, int key)
{
	struct szia	*sz = input_ui->sz;

	core_select_window(sz, windows_next(&sz->windows, 1));
	return 0;
}

static int
input_key_prev(int count, int key)
{
	struct szia	*sz = input_ui->sz;

	core_select_window(sz, windows_next(&sz->windows, -1));
	return 0;
}

static int
input_page(int dir)
{
	struct szia	*sz = input_ui->sz;
	struct window	*w = sz->windows.current;
	int		 h = input_ui->rows - 4;

	if (h < 1)
		h = 1;
	w->scroll += dir * h;
	if (w->scroll < 0)
		w->scroll = 0;
	sz->dirty |= DIRTY_WINDOW | DIRTY_STATUS;
	return 0;
}

static int
input_key_pgup(int count, int key)
{
	return input_page(1);
}

static int
input_key_pgdn(int count, int key)
{
	return input_page(-1);
}

static int
input_key_roster(int count, int key)
{
	struct szia	*sz = input_ui->sz;
	char		*cause = NULL;

	if (settings_set(&sz->settings, "roster.show",
	    settings_num(&sz->settings, SET_ROSTER_SHOW) ? "false" : "true",
	    &cause) != 0)
		free(cause);
	sz->dirty |= DIRTY_LAYOUT;
	return 0;
}

static int
input_key_redraw(int count, int key)
{
	clearok(curscr, TRUE);
	input_ui->sz->dirty |= DIRTY_ALL;
	return 0;
}

/* [sync] xterm focus reports (\e[?1004h): \e[I in, \e[O out. */
static int
input_key_focus_in(int count, int key)
{
	core_focus(input_ui->sz, 1);
	return 0;
}

static int
input_key_focus_out(int count, int key)
{
	core_focus(input_ui->sz, 0);
	return 0;
}

static int
input_key_cancel(int count, int key)
{
	struct szia	*sz = input_ui->sz;

	rl_replace_line("", 1);
	rl_point = rl_end = 0;
	if (sz->prompt.active)
		core_input(sz, NULL);
	input_ui->input_dirty = 1;
	return 0;
}

static char *
input_generator(const char *text, int state)
{
	static char	**cands;
	static size_t	  next;

	if (state == 0) {
		cmd_complete_free(cands);
		next = 0;
		cands = cmd_complete(input_ui->sz, rl_line_buffer,
		    rl_point - (int)strlen(text), rl_point);
	}
	if (cands == NULL || cands[next] == NULL)
		return NULL;
	return strdup(cands[next++]);
}

static char **
input_complete(const char *text, int start, int end)
{
	char	**m;
	size_t	  len;

	rl_attempted_completion_over = 1;
	if (input_ui->sz->prompt.active)
		return NULL;
	m = rl_completion_matches(text, input_generator);
	/* A folder ("photos/") goes on without a space after it. */
	if (m != NULL && m[1] == NULL && (len = strlen(m[0])) > 0 &&
	    m[0][len - 1] == '/')
		rl_completion_append_character = '\0';
	return m;
}

/* Show the list of matches in the window, not on the terminal. */
static void
input_show_matches(char **matches, int n, int maxlen)
{
	struct szia	*sz = input_ui->sz;
	char		*list = xstrdup("");
	char		*tmp;
	int		 i;

	for (i = 1; i <= n && i <= 200; i++) {
		tmp = xasprintf("%s%s%s", list, i > 1 ? "  " : "", matches[i]);
		free(list);
		list = tmp;
	}
	core_info(sz, NULL, "%s", list);
	free(list);
}

void
input_init(struct ui *ui)
{
	char	keyseq[16];
	int	i;

	input_ui = ui;
	input_null = fopen("/dev/null", "w");
	rl_instream = stdin;
	rl_outstream = input_null;
	rl_getc_function = input_getc;
	rl_input_available_hook = input_available;
	rl_redisplay_function = input_redisplay;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_readline_name = "szia";
	rl_attempted_completion_function = input_complete;
	rl_completion_display_matches_hook = input_show_matches;
	rl_basic_word_break_characters = " \t";
	rl_bind_key('\t', rl_complete);
	using_history();
	stifle_history(500);
	rl_callback_handler_install("", input_line);
	for (i = 0; i <= 9; i++) {
		snprintf(keyseq, sizeof keyseq, "\033%d", i);
		rl_bind_keyseq(keyseq, input_key_window);
	}
	rl_bind_keyseq("\033[1;3C", input_key_next);	/* Alt-Right */
	rl_bind_keyseq("\033[1;3D", input_key_prev);	/* Alt-Left */
	rl_bind_keyseq("\033\033[C", input_key_next);
	rl_bind_keyseq("\033\033[D", input_key_prev);
	rl_bind_keyseq("\033[5~", input_key_pgup);
	rl_bind_keyseq("\033[6~", input_key_pgdn);
	rl_bind_keyseq("\033OQ", input_key_roster);	/* F2 */
	rl_bind_keyseq("\033[12~", input_key_roster);
	rl_bind_keyseq("\033[I", input_key_focus_in);	/* [sync] */
	rl_bind_keyseq("\033[O", input_key_focus_out);
	rl_bind_key('\014', input_key_redraw);		/* Ctrl-L */
	rl_bind_key('\003', input_key_cancel);		/* Ctrl-C */
	rl_bind_keyseq("\033\r", input_key_newline);	/* Alt-Enter */
	rl_bind_keyseq("\033\n", input_key_newline);
	rl_bind_keyseq("\033[1;3A", input_key_correct);	/* Alt-Up */
	rl_bind_keyseq("\033\033[A", input_key_correct);
	rl_bind_keyseq("\033[1;5A", input_key_correct);	/* Ctrl-Up */
	/* Readline does not drive the terminal here: ask for bracketed
	 * paste ourselves (input_free turns it off). */
	fputs("\033[?2004h", stdout);
	fflush(stdout);
	ui->hist_window = xstrdup(ui->sz->windows.current->name);
}

/* Free readline's current history list, entries (with the undo lists
 * readline keeps in edited ones) and array. */
static void
input_drop_history(void)
{
	HISTORY_STATE	*st;

	rl_clear_history();
	st = history_get_history_state();
	free(st->entries);
	free(st);
	history_set_history_state(&(HISTORY_STATE){ 0 });
}

void
input_free(struct ui *ui)
{
	size_t	i;

	rl_callback_handler_remove();
	fputs("\033[?2004l", stdout);
	fflush(stdout);
	strbuf_free(&input_paste);
	input_pasting = 0;
	free(input_typed);
	input_typed = NULL;
	input_drop_history();
	for (i = 0; i < ui->nhist; i++) {
		if (ui->hist[i].state != NULL) {
			history_set_history_state(ui->hist[i].state);
			input_drop_history();
		}
		free(ui->hist[i].window);
		free(ui->hist[i].state);
	}
	free(ui->hist);
	free(ui->hist_window);
	if (input_null != NULL)
		fclose(input_null);
	input_null = NULL;
	input_ui = NULL;
}

/* Hand LEN bytes to readline, key by key. */
static void
input_feed_keys(const char *buf, size_t len)
{
	input_queue = (const unsigned char *)buf;
	input_left = len;
	while (input_left > 0) {
		size_t before = input_left;

		rl_callback_read_char();
		if (input_left == before)	/* readline took nothing */
			break;
	}
	input_queue = NULL;
}

/* [quality] Insert pasted TEXT: CR/CRLF become newlines, other control
 * characters (which XML cannot carry) are dropped, as is a final
 * newline. */
static void
input_insert_paste(const char *text, size_t len)
{
	char	*clean = xmalloc(len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = text[i];

		if (c == '\r') {
			if (i + 1 < len && text[i + 1] == '\n')
				continue;
			c = '\n';
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			continue;
		clean[n++] = c;
	}
	while (n > 0 && clean[n - 1] == '\n')
		n--;
	clean[n] = '\0';
	rl_insert_text(clean);
	explicit_bzero(clean, len + 1);
	free(clean);
	input_ui->input_dirty = 1;
}

void
input_feed(struct ui *ui, const char *buf, size_t len)
{
	const char	*mark, *end;
	size_t		 plen = strlen(PASTE_BEGIN);

	while (len > 0) {
		if (input_pasting) {
			strbuf_add(&input_paste, buf, len);
			len = 0;
			mark = memmem(input_paste.s, input_paste.len,
			    PASTE_END, plen);
			if (mark == NULL)
				break;
			end = input_paste.s + input_paste.len;
			input_insert_paste(input_paste.s, mark - input_paste.s);
			input_pasting = 0;
			/* What followed the paste is typed input again. */
			buf = xstrndup(mark + plen, end - (mark + plen));
			len = end - (mark + plen);
			strbuf_free(&input_paste);
			input_feed(ui, buf, len);
			free((char *)buf);
			return;
		}
		mark = memmem(buf, len, PASTE_BEGIN, plen);
		if (mark == NULL) {
			input_feed_keys(buf, len);
			break;
		}
		input_feed_keys(buf, mark - buf);
		input_pasting = 1;
		len -= mark + plen - buf;
		buf = mark + plen;
	}
	core_activity(ui->sz, clock_now_ms());
	/* [quality] typing notifications (XEP-0085): only when the text
	 * changed (not for window switches or scrolling). */
	if (!ui->sz->prompt.active && rl_line_buffer != NULL &&
	    (input_typed == NULL || strcmp(input_typed, rl_line_buffer) != 0)) {
		free(input_typed);
		input_typed = xstrdup(rl_line_buffer);
		core_typing(ui->sz, rl_line_buffer, clock_now_ms());
	}
}

/*
 * Stop browsing the current history before it is put away.  While the
 * user browses, readline ties the line on screen (its undo list) to the
 * recalled entry and keeps the line typed before browsing aside; both
 * belong to this history, and the next one would otherwise inherit them
 * (the undo list was lost: a leak).  As readline does on Enter, the
 * recalled line's edits are undone in the history, then browsing ends;
 * the text on the input line stays as it was, with a fresh undo list.
 */
static void
input_leave_history(void)
{
	char	*text = xstrdup(rl_line_buffer);
	int	 point = rl_point;

	if (where_history() < history_length) {
		if (rl_undo_list != NULL)
			rl_revert_line(1, 0);
		rl_end_of_history(0, 0);
	}
	rl_replace_line(text, 1);
	rl_point = point;
	explicit_bzero(text, strlen(text));	/* it may be a password */
	free(text);
}

/* Save the history of the window we leave, load the one we enter. */
void
input_switch_history(struct ui *ui)
{
	const char		*name = ui->sz->windows.current->name;
	struct hist_state	*h = NULL;
	size_t			 i;

	if (strcmp(ui->hist_window, name) == 0)
		return;
	input_leave_history();
	for (i = 0; i < ui->nhist; i++) {
		if (strcmp(ui->hist[i].window, ui->hist_window) == 0)
			h = &ui->hist[i];
	}
	if (h == NULL) {
		ui->hist = xreallocarray(ui->hist, ui->nhist + 1,
		    sizeof *ui->hist);
		h = &ui->hist[ui->nhist++];
		h->window = xstrdup(ui->hist_window);
		h->state = NULL;
	}
	free(h->state);
	h->state = history_get_history_state();
	/* Detach the entries from readline's list: they now belong to h. */
	history_set_history_state(&(HISTORY_STATE){ 0 });
	for (i = 0; i < ui->nhist; i++) {
		if (strcmp(ui->hist[i].window, name) == 0 &&
		    ui->hist[i].state != NULL) {
			history_set_history_state(ui->hist[i].state);
			free(ui->hist[i].state);
			ui->hist[i].state = NULL;
		}
	}
	free(ui->hist_window);
	ui->hist_window = xstrdup(name);
}

void
input_draw(struct ui *ui)
{
	struct szia	*sz = ui->sz;
	const char	*prompt = sz->prompt.active ? sz->prompt.text : "> ";
	int		 pw, cursor, width, start_col, x;
	const char	*raw = rl_line_buffer != NULL ? rl_line_buffer : "";
	char		*before, *line;
	size_t		 off;
	struct strbuf	 show;
	int		 i, point = 0;

	werase(ui->input);
	draw_role(ui->input, ROLE_INPUT);
	wmove(ui->input, 0, 0);
	pw = draw_text(ui->input, prompt, ui->cols / 2);
	width = ui->cols - pw - 1;
	if (sz->prompt.active && sz->prompt.hidden) {
		wmove(ui->input, 0, pw);
		wnoutrefresh(ui->input);
		ui->input_dirty = 0;
		return;
	}
	/* [quality] a newline in the line (paste, Alt-Enter) shows as \u21b5 */
	memset(&show, 0, sizeof show);
	strbuf_adds(&show, "");
	for (i = 0; raw[i] != '\0'; i++) {
		if (i == rl_point)
			point = show.len;
		if (raw[i] == '\n')
			strbuf_adds(&show, "\u21b5");
		else
			strbuf_addc(&show, raw[i]);
	}
	if (rl_point >= i)
		point = show.len;
	line = strbuf_take(&show);
	before = xstrndup(line, point);
	cursor = utf8_width(before);
	free(before);
	/* Scroll so the cursor stays visible. */
	start_col = cursor > width ? cursor - width + width / 4 : 0;
	off = 0;
	if (start_col > 0)
		off = utf8_fit(line, start_col, &start_col);
	x = draw_text(ui->input, line + off, width);
	(void)x;
	wmove(ui->input, 0, pw + cursor - start_col);
	wnoutrefresh(ui->input);
	ui->input_dirty = 0;
	free(line);
}
