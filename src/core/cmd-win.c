/*
 * cmd-win.c - /win and /close: numbered windows.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/room.h"
#include "util/xalloc.h"

static struct window *
cmd_win_target(struct cmd_ctx *ctx, const char *arg)
{
	struct window	*w;
	char		*end;
	long		 n;

	n = strtol(arg, &end, 10);
	if (*end == '\0' && n > 0 && n < 10000)
		return windows_by_num(&ctx->sz->windows, n);
	if ((w = windows_find(&ctx->sz->windows, arg)) != NULL)
		return w;
	return NULL;
}

static enum cmd_retval
cmd_win_exec(struct cmd_ctx *ctx)
{
	struct windows	*ws = &ctx->sz->windows;
	struct window	*w;

	if (ctx->argc == 0) {
		for (w = ws->head; w != NULL; w = w->next)
			cmd_info(ctx, "%c%d: %s%s", w == ws->current ? '*' : ' ',
			    w->num, w->title != NULL ? w->title : w->name,
			    w->unread ? " (unread)" : "");
		return CMD_OK;
	}
	if (strcmp(ctx->argv[0], "next") == 0)
		w = windows_next(ws, 1);
	else if (strcmp(ctx->argv[0], "prev") == 0)
		w = windows_next(ws, -1);
	else if ((w = cmd_win_target(ctx, ctx->argv[0])) == NULL)
		return cmd_error(ctx, "/win: no window %s.", ctx->argv[0]);
	core_select_window(ctx->sz, w);
	return CMD_OK;
}

const struct cmd_entry cmd_win_entry = {
	.name = "win",
	.alias = "w",
	.min = 0, .max = 1,
	.usage = "/win [N|JID|next|prev]",
	.help = "Switch to window N (Alt-1..Alt-0 and Alt-Left/Right do the "
	    "same), or list the windows.",
	.examples = "/win 2\n/win bob@example.org\n/win",
	.args = { ARG_WINDOW },
	.exec = cmd_win_exec,
};

static enum cmd_retval
cmd_close_exec(struct cmd_ctx *ctx)
{
	struct window	*w = ctx->win;

	if (ctx->argc == 1 && (w = cmd_win_target(ctx, ctx->argv[0])) == NULL)
		return cmd_error(ctx, "/close: no window %s.", ctx->argv[0]);
	if (w->type == WINDOW_CONSOLE)
		return cmd_error(ctx, "/close: the console stays open (/quit "
		    "leaves szia).");
	if (w->type == WINDOW_ROOM && room_of_window(ctx->sz, w) != NULL)
		room_forget(ctx->sz, room_of_window(ctx->sz, w));
	quality_on_close(ctx->sz, w);
	windows_close(&ctx->sz->windows, w);
	ctx->sz->dirty |= DIRTY_ALL;
	return CMD_OK;
}

const struct cmd_entry cmd_close_entry = {
	.name = "close",
	.min = 0, .max = 1,
	.usage = "/close [N|JID]",
	.help = "Close the current window (or window N). Its messages stay "
	    "in the log.",
	.examples = "/close\n/close 3",
	.args = { ARG_WINDOW },
	.exec = cmd_close_exec,
};
