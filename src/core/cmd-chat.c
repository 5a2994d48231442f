/*
 * cmd-chat.c - /msg and /history: one-to-one conversations.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "core/sync.h"
#include "util/xalloc.h"

/* A roster name or a JID to a normalised bare JID; NULL if neither. */
static char *
cmd_chat_resolve(struct szia *sz, const char *who)
{
	struct contact	*c, *tmp;

	if (strchr(who, '@') == NULL) {
		HASH_ITER(hh, sz->roster.by_jid, c, tmp) {
			if (c->in_roster && c->name != NULL &&
			    strcasecmp(c->name, who) == 0)
				return xstrdup(c->jid);
		}
	}
	return jid_bare(who);
}

static enum cmd_retval
cmd_msg_exec(struct cmd_ctx *ctx)
{
	struct window	*w;
	char		*bare;
	struct room	*r = room_of_window(ctx->sz, ctx->win);

	/* In a room, /msg NICK is a private message to that occupant. */
	if (r != NULL && room_occupant(r, ctx->argv[0]) != NULL) {
		w = room_open_private(ctx->sz, r, ctx->argv[0], 1);
		if (ctx->argc == 2)
			return core_send_message(ctx->sz, w, ctx->argv[1]) ==
			    0 ? CMD_OK : CMD_ERROR;
		return CMD_OK;
	}
	if ((bare = cmd_chat_resolve(ctx->sz, ctx->argv[0])) == NULL)
		return cmd_error(ctx, "/msg: '%s' is neither a contact's name "
		    "nor a JID.", ctx->argv[0]);
	w = core_open_chat(ctx->sz, bare, 1);
	free(bare);
	if (ctx->argc == 2)
		return core_send_message(ctx->sz, w, ctx->argv[1]) == 0 ?
		    CMD_OK : CMD_ERROR;
	return CMD_OK;
}

const struct cmd_entry cmd_msg_entry = {
	.name = "msg",
	.alias = "query",
	.min = 1, .max = 2,
	.rest = 1,
	.usage = "/msg JID|NAME|NICK [text]",
	.help = "Open (or switch to) the chat window for a contact and "
	    "optionally send a message. In a chat window, whatever you type "
	    "that does not start with / is sent (start it with // to send a "
	    "leading slash). In a room window, /msg NICK opens a private "
	    "conversation with that occupant.",
	.examples = "/msg bob@example.org\n/msg bob@example.org Hi Bob!\n"
	    "/msg Bob see you at 8",
	.args = { ARG_CONTACT, ARG_NONE },
	.exec = cmd_msg_exec,
};

/* Past the log: the server's archive of a chat, or a room's archive. */
static int
cmd_history_archive(struct szia *sz, struct window *w, size_t n)
{
	if (w->type == WINDOW_ROOM)
		return room_history_more(sz, w, n);
	return sync_history_more(sz, w, n);
}

static enum cmd_retval
cmd_history_exec(struct cmd_ctx *ctx)
{
	struct window	*w = ctx->win;
	long		 n = 50;
	char		*end;
	int		 got;

	if (w->type != WINDOW_CHAT && w->type != WINDOW_ROOM &&
	    w->type != WINDOW_PRIVATE)
		return cmd_error(ctx, "/history: only in a chat window.");
	if (ctx->argc == 1) {
		n = strtol(ctx->argv[0], &end, 10);
		if (*end != '\0' || n < 1 || n > 10000)
			return cmd_error(ctx, "/history: N must be a number "
			    "from 1 to 10000.");
	}
	if (ctx->sz->log == NULL)
		return cmd_error(ctx, "/history: no message log is open.");
	if (w->history_done) {
		/* [sync] then the server's archive */
		if (cmd_history_archive(ctx->sz, w, n) == 0)
			cmd_info(ctx, "No older messages in the log: asking "
			    "the server archive...");
		else
			cmd_info(ctx, "No older messages in the log.");
		return CMD_OK;
	}
	if ((got = core_load_history(ctx->sz, w, n)) < 0)
		return CMD_ERROR;
	if (got == 0 && cmd_history_archive(ctx->sz, w, n) == 0)
		cmd_info(ctx, "No older messages in the log: asking the "
		    "server archive...");
	else if (got == 0)
		cmd_info(ctx, "No older messages in the log.");
	else {
		/* Show the first of the loaded lines: scroll up by them. */
		w->scroll += got;
		ctx->sz->dirty |= DIRTY_WINDOW;
	}
	return CMD_OK;
}

const struct cmd_entry cmd_history_entry = {
	.name = "history",
	.min = 0, .max = 1,
	.usage = "/history [N]",
	.help = "Show N (default 50) more messages of this conversation from "
	    "the local log, above the ones shown; when the log has no more, "
	    "ask the server's archive (XEP-0313) for up to 100 older ones. "
	    "PageUp/PageDown scroll.",
	.examples = "/history\n/history 200",
	.exec = cmd_history_exec,
};
