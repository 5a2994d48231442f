/*
 * cmd-help.c - /help: generated from the command table.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "util/xalloc.h"

static enum cmd_retval
cmd_help_exec(struct cmd_ctx *ctx)
{
	const struct cmd_entry *const	*e;
	const struct cmd_entry		*c;
	const char			*p, *nl, *name;

	if (ctx->argc == 0) {
		cmd_info(ctx, "Commands (/help COMMAND for details):");
		for (e = cmd_table; *e != NULL; e++)
			cmd_info(ctx, "  %s", (*e)->usage);
		cmd_info(ctx, "Keys: Alt-1..Alt-0 or Alt-Left/Right switch "
		    "windows, PageUp/PageDown scroll, Tab completes, F2 toggles "
		    "the roster, Ctrl-L redraws.");
		return CMD_OK;
	}
	name = ctx->argv[0][0] == '/' ? ctx->argv[0] + 1 : ctx->argv[0];
	if ((c = cmd_find(name)) == NULL)
		return cmd_error(ctx, "/help: no command /%s (/help lists "
		    "them).", name);
	cmd_info(ctx, "usage: %s", c->usage);
	if (c->alias != NULL)
		cmd_info(ctx, "alias: /%s", c->alias);
	cmd_info(ctx, "%s", c->help);
	cmd_info(ctx, "examples:");
	for (p = c->examples; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p) - 1;
		cmd_info(ctx, "  %.*s", (int)(nl - p + (*nl != '\n')), p);
	}
	return CMD_OK;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.min = 0, .max = 1,
	.usage = "/help [COMMAND]",
	.help = "List the commands, or show one command's usage, "
	    "description and examples.",
	.examples = "/help\n/help roster",
	.args = { ARG_COMMAND },
	.exec = cmd_help_exec,
};
