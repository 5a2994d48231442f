/*
 * cmd-status.c - /status: our own presence.
 */
#include <stdlib.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/session.h"

static const char *const cmd_status_subcmds[] = {
	"away", "chat", "dnd", "online", "xa", NULL
};

static enum cmd_retval
cmd_status_exec(struct cmd_ctx *ctx)
{
	struct session	*s = &ctx->sz->session;
	int		 show;

	if (ctx->argc == 0) {
		cmd_info(ctx, "You are %s%s%s (priority %d).",
		    show_name(s->show), s->status != NULL ? ": " : "",
		    s->status != NULL ? s->status : "",
		    session_priority(ctx->sz));
		return CMD_OK;
	}
	if ((show = show_parse(ctx->argv[0])) < 0)
		return cmd_error(ctx, "/status: '%s' is not one of online, "
		    "chat, away, xa, dnd.", ctx->argv[0]);
	core_set_presence(ctx->sz, show, ctx->argc > 1 ? ctx->argv[1] : NULL);
	cmd_info(ctx, "Status: %s%s%s%s", show_name(show),
	    ctx->argc > 1 ? " (" : "", ctx->argc > 1 ? ctx->argv[1] : "",
	    ctx->argc > 1 ? ")" : "");
	return CMD_OK;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.min = 0, .max = 2,
	.rest = 1,
	.usage = "/status [online|chat|away|xa|dnd [message]]",
	.help = "Set your presence and status message (sent when connected, "
	    "kept for the next login). The priority is the account's "
	    "(/account set NAME priority N) if it has one, else the setting "
	    "presence.priority; after autoaway.minutes of no typing szia "
	    "sets away and restores it when you are back.",
	.examples = "/status away lunch\n/status dnd\n/status online",
	.subcmds = cmd_status_subcmds,
	.args = { ARG_SUBCMD, ARG_NONE },
	.exec = cmd_status_exec,
};
