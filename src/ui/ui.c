/*
 * ui.c - taking over the terminal, signals, and the per-turn render.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "ui/ui-int.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/stats.h"
#include "util/xalloc.h"

static int	ui_active;
static int	ui_sig_fd = -1;

static void
ui_on_signal(int sig)
{
	int		saved = errno;
	unsigned char	c = sig;

	if (ui_sig_fd >= 0)
		(void)write(ui_sig_fd, &c, 1);
	errno = saved;
}

void
ui_emergency_restore(void)
{
	if (ui_active) {
		fputs("\033[?1004l", stdout);	/* [sync] focus reports off */
		fflush(stdout);
		endwin();
		ui_active = 0;
	}
}

struct ui *
ui_new(struct szia *sz, char **cause)
{
	struct ui		*ui;
	struct sigaction	 sa;
	int			 i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup("standard input and output must be a terminal");
		return NULL;
	}
	ui = xcalloc(1, sizeof *ui);
	ui->sz = sz;
	if (pipe(ui->sig_pipe) == -1)
		fatal("pipe: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		fcntl(ui->sig_pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(ui->sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	ui_sig_fd = ui->sig_pipe[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (initscr() == NULL) {
		*cause = xstrdup("cannot initialise the terminal (is TERM set?)");
		free(ui);
		return NULL;
	}
	ui_active = 1;
	raw();
	noecho();
	nonl();
	if (has_colors()) {
		start_color();
		use_default_colors();
		ui->colours = COLORS;
	}
	draw_apply_theme(ui);
	layout_create(ui);
	input_init(ui);
	/* [sync] Ask the terminal to report focus (XEP-0352 client state). */
	fputs("\033[?1004h", stdout);
	fflush(stdout);
	ui->input_dirty = 1;
	return ui;
}

void
ui_free(struct ui *ui)
{
	if (ui == NULL)
		return;
	input_free(ui);
	layout_destroy(ui);
	ui_emergency_restore();
	ui_sig_fd = -1;
	close(ui->sig_pipe[0]);
	close(ui->sig_pipe[1]);
	free(ui);
}

static void
ui_resize(struct ui *ui)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	layout_create(ui);
	clearok(curscr, TRUE);
	ui->input_dirty = 1;
}

static void
ui_readable(void *ud, int fd)
{
	struct ui	*ui = ud;
	char		 buf[4096];
	ssize_t		 n;
	int		 i, winch = 0;

	if (fd == ui->sig_pipe[0]) {
		while ((n = read(fd, buf, sizeof buf)) > 0) {
			for (i = 0; i < n; i++) {
				if (buf[i] == SIGWINCH)
					winch = 1;
				else
					ui->sz->quit = 1;
			}
		}
		if (winch)
			ui_resize(ui);
		return;
	}
	n = read(fd, buf, sizeof buf);
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		ui->sz->quit = 1;	/* the terminal went away */
		return;
	}
	if (n > 0)
		input_feed(ui, buf, n);
}

static void
ui_render(void *ud)
{
	struct ui	*ui = ud;
	struct szia	*sz = ui->sz;
	unsigned	 d = sz->dirty;

	if (sz->theme.version != ui->theme_version) {
		draw_apply_theme(ui);
		d |= DIRTY_ALL;
	}
	if (d & DIRTY_LAYOUT) {
		layout_create(ui);
		d = DIRTY_ALL;
	}
	input_switch_history(ui);
	if (d & DIRTY_TITLE)
		layout_draw_title(ui);
	if (d & DIRTY_WINDOW)
		layout_draw_main(ui);
	if (d & DIRTY_ROSTER)
		layout_draw_roster(ui);
	if (d & (DIRTY_STATUS | DIRTY_WINDOW))
		layout_draw_status(ui);
	sz->dirty = 0;
	/* The input line last, so the cursor ends up there. */
	if (d != 0 || ui->input_dirty) {
		input_draw(ui);
		doupdate();
		stats.draws++;
	}
}

void
ui_frontend(struct ui *ui, struct frontend *fe)
{
	memset(fe, 0, sizeof *fe);
	fe->fds[0] = STDIN_FILENO;
	fe->fds[1] = ui->sig_pipe[0];
	fe->fds[2] = fe->fds[3] = -1;
	fe->readable = ui_readable;
	fe->render = ui_render;
	fe->ud = ui;
}
