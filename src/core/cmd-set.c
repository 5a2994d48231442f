/*
 * cmd-set.c - /set and /theme: settings and colours.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/session.h"
#include "util/xalloc.h"

static enum cmd_retval
cmd_set_exec(struct cmd_ctx *ctx)
{
	struct szia	*sz = ctx->sz;
	char		*cause = NULL;
	int		 i, id;

	if (ctx->argc == 0) {
		for (i = 0; i < SET_COUNT; i++)
			cmd_info(ctx, "%s = %s", setting_defs[i].name,
			    sz->settings.str[i]);
		return CMD_OK;
	}
	if ((id = settings_find(ctx->argv[0])) < 0)
		return cmd_error(ctx, "/set: unknown setting '%s' (/set lists "
		    "them).", ctx->argv[0]);
	if (ctx->argc == 1) {
		cmd_info(ctx, "%s = %s  (%s; default %s)", setting_defs[id].name,
		    sz->settings.str[id], setting_defs[id].help,
		    setting_defs[id].def);
		return CMD_OK;
	}
	if (id == SET_THEME) {
		if (theme_load(&sz->theme, ctx->argv[1], sz->theme_dir,
		    &cause) != 0) {
			cmd_error(ctx, "/set theme: %s", cause);
			free(cause);
			return CMD_ERROR;
		}
		sz->dirty |= DIRTY_ALL;
	}
	if (settings_set(&sz->settings, ctx->argv[0], ctx->argv[1],
	    &cause) != 0 || settings_save(&sz->settings, &cause) != 0) {
		cmd_error(ctx, "/set: %s.", cause);
		free(cause);
		return CMD_ERROR;
	}
	switch (id) {
	case SET_PRIORITY:
		session_send_presence(sz);
		break;
	case SET_SCROLLBACK:
		sz->windows.scrollback = settings_num(&sz->settings, id);
		break;
	default:
		sz->dirty |= DIRTY_ALL;
		break;
	}
	cmd_info(ctx, "%s = %s", setting_defs[id].name, sz->settings.str[id]);
	return CMD_OK;
}

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.min = 0, .max = 2,
	.rest = 1,
	.usage = "/set [KEY [VALUE]]",
	.help = "Show or change a setting; changes are saved to "
	    "~/.config/szia/sziarc.",
	.examples = "/set\n/set roster.width 30\n/set autoaway.minutes 0\n"
	    "/set time.format %H:%M:%S",
	.args = { ARG_SETTING, ARG_NONE },
	.exec = cmd_set_exec,
};

static const char *const cmd_theme_subcmds[] = { "list", "load", NULL };

static enum cmd_retval
cmd_theme_exec(struct cmd_ctx *ctx)
{
	struct szia	*sz = ctx->sz;
	char		**names, *cause = NULL;
	size_t		 i;

	if (ctx->argc == 0 || strcmp(ctx->argv[0], "list") == 0) {
		names = theme_list(sz->theme_dir);
		cmd_info(ctx, "Themes (current: %s):", sz->theme.name);
		for (i = 0; names[i] != NULL; i++) {
			cmd_info(ctx, "  %s", names[i]);
			free(names[i]);
		}
		free(names);
		return CMD_OK;
	}
	if (strcmp(ctx->argv[0], "load") != 0 || ctx->argc != 2)
		return cmd_usage(ctx);
	if (theme_load(&sz->theme, ctx->argv[1], sz->theme_dir, &cause) != 0 ||
	    settings_set(&sz->settings, "theme", ctx->argv[1], &cause) != 0 ||
	    settings_save(&sz->settings, &cause) != 0) {
		cmd_error(ctx, "/theme load: %s", cause);
		free(cause);
		return CMD_ERROR;
	}
	sz->dirty |= DIRTY_ALL;
	cmd_info(ctx, "Theme %s loaded.", ctx->argv[1]);
	return CMD_OK;
}

const struct cmd_entry cmd_theme_entry = {
	.name = "theme",
	.min = 0, .max = 2,
	.usage = "/theme [list] | load NAME",
	.help = "List the themes or switch to one. Your own themes go in "
	    "~/.config/szia/themes/NAME.theme; a theme with an error is "
	    "refused with its line number and the current one stays.",
	.examples = "/theme list\n/theme load light",
	.subcmds = cmd_theme_subcmds,
	.args = { ARG_SUBCMD, ARG_THEME },
	.exec = cmd_theme_exec,
};
