/*
 * cmd.c - the command table, parsing and dispatch (see cmd.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_account_entry;
extern const struct cmd_entry cmd_close_entry;
extern const struct cmd_entry cmd_connect_entry;
extern const struct cmd_entry cmd_disconnect_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_history_entry;
extern const struct cmd_entry cmd_msg_entry;
extern const struct cmd_entry cmd_ping_entry;
extern const struct cmd_entry cmd_quit_entry;
extern const struct cmd_entry cmd_roster_entry;
extern const struct cmd_entry cmd_set_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_sub_entry;
extern const struct cmd_entry cmd_theme_entry;
extern const struct cmd_entry cmd_tls_entry;
extern const struct cmd_entry cmd_win_entry;
/* [muc] group chat */
extern const struct cmd_entry cmd_affiliation_entry;
extern const struct cmd_entry cmd_ban_entry;
extern const struct cmd_entry cmd_config_entry;
extern const struct cmd_entry cmd_destroy_entry;
extern const struct cmd_entry cmd_invite_entry;
extern const struct cmd_entry cmd_join_entry;
extern const struct cmd_entry cmd_kick_entry;
extern const struct cmd_entry cmd_leave_entry;
extern const struct cmd_entry cmd_names_entry;
extern const struct cmd_entry cmd_nick_entry;
extern const struct cmd_entry cmd_role_entry;
extern const struct cmd_entry cmd_topic_entry;

/* bookmarks, caps, disco */
extern const struct cmd_entry cmd_bookmark_entry;
extern const struct cmd_entry cmd_disco_entry;
extern const struct cmd_entry cmd_rooms_entry;

/* [quality] message quality */
extern const struct cmd_entry cmd_block_entry;
extern const struct cmd_entry cmd_blocked_entry;
extern const struct cmd_entry cmd_correct_entry;
extern const struct cmd_entry cmd_time_entry;
extern const struct cmd_entry cmd_unblock_entry;
extern const struct cmd_entry cmd_version_entry;

/* [files] upload and accounts */
extern const struct cmd_entry cmd_register_entry;
extern const struct cmd_entry cmd_sendfile_entry;

const struct cmd_entry *const cmd_table[] = {
	/* Sorted by name (test-cmd checks): /help lists them in this order. */
	&cmd_account_entry,
	&cmd_affiliation_entry,
	&cmd_ban_entry,
	&cmd_block_entry,
	&cmd_blocked_entry,
	&cmd_bookmark_entry,
	&cmd_close_entry,
	&cmd_config_entry,
	&cmd_connect_entry,
	&cmd_correct_entry,
	&cmd_destroy_entry,
	&cmd_disco_entry,
	&cmd_disconnect_entry,
	&cmd_help_entry,
	&cmd_history_entry,
	&cmd_invite_entry,
	&cmd_join_entry,
	&cmd_kick_entry,
	&cmd_leave_entry,
	&cmd_msg_entry,
	&cmd_names_entry,
	&cmd_nick_entry,
	&cmd_ping_entry,
	&cmd_quit_entry,
	&cmd_register_entry,
	&cmd_role_entry,
	&cmd_rooms_entry,
	&cmd_roster_entry,
	&cmd_sendfile_entry,
	&cmd_set_entry,
	&cmd_status_entry,
	&cmd_sub_entry,
	&cmd_theme_entry,
	&cmd_time_entry,
	&cmd_tls_entry,
	&cmd_topic_entry,
	&cmd_unblock_entry,
	&cmd_version_entry,
	&cmd_win_entry,
	NULL
};

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry *const	*e;

	for (e = cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 ||
		    ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
			return *e;
	}
	return NULL;
}

enum cmd_retval
cmd_run(struct szia *sz, struct window *w, const char *line)
{
	const struct cmd_entry	*e;
	struct cmd_ctx		 ctx;
	char			*name, *cause = NULL, *safe;
	const char		*p, *args;
	enum cmd_retval		 rv;

	if (*line == '/')
		line++;
	for (p = line; *p != '\0' && *p != ' ' && *p != '\t'; p++)
		;
	name = xstrndup(line, p - line);
	args = p;
	if ((e = cmd_find(name)) == NULL) {
		safe = utf8_safe(name);
		core_error(sz, w, "Unknown command /%s: see /help.", safe);
		free(safe);
		free(name);
		return CMD_ERROR;
	}
	free(name);
	memset(&ctx, 0, sizeof ctx);
	ctx.sz = sz;
	ctx.win = w;
	ctx.entry = e;
	ctx.argc = str_split_args(args, e->rest ? e->max : e->max + 1, e->rest,
	    &ctx.argv, &cause);
	if (ctx.argc < 0) {
		core_error(sz, w, "/%s: %s.", e->name, cause);
		free(cause);
		return CMD_ERROR;
	}
	if (ctx.argc < e->min || ctx.argc > e->max)
		rv = cmd_usage(&ctx);
	else if (e->online && sz->session.state != CONN_ONLINE)
		rv = cmd_error(&ctx, "/%s: not connected (/connect first).",
		    e->name);
	else
		rv = e->exec(&ctx);
	str_argv_free(ctx.argc, ctx.argv);
	return rv;
}

enum cmd_retval
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	core_error(ctx->sz, ctx->win, "%s", text);
	free(text);
	return CMD_ERROR;
}

void
cmd_info(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	core_info(ctx->sz, ctx->win, "%s", text);
	free(text);
}

enum cmd_retval
cmd_usage(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "usage: %s", ctx->entry->usage);
}
