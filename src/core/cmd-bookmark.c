/*
 * cmd-bookmark.c - /bookmark: the account's group chat bookmarks
 * (bookmark.c), and /disco and /rooms: service discovery (disco.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/bookmark.h"
#include "core/cmd.h"
#include "core/jid.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static const char *const cmd_bookmark_subcmds[] = {
	"add", "list", "remove", NULL
};

/*
 * The room a window is about: group chat windows come with the muc part,
 * so for now any window that is neither the console nor a one-to-one
 * chat is taken to be a room named by its JID.
 */
static const char *
cmd_bookmark_window_room(const struct window *w)
{
	return w != NULL && w->type == WINDOW_ROOM ? w->name : NULL;
}

/* The normalised bare JID of a room ("room@service"), or NULL. */
static char *
cmd_bookmark_room(const char *s)
{
	struct jid	*j;
	char		*cause = NULL, *bare = NULL;

	if ((j = jid_parse(s, &cause)) != NULL && j->local != NULL &&
	    j->resource == NULL)
		bare = xstrdup(j->bare);
	jid_free(j);
	free(cause);
	return bare;
}

static enum cmd_retval
cmd_bookmark_list(struct cmd_ctx *ctx)
{
	struct bookmarks	*bm = bookmarks_get(ctx->sz);
	const struct bookmark	*b;
	char			*name, *nick;
	size_t			 i;

	if (!bm->loaded)
		return cmd_error(ctx, "/bookmark: bookmarks are not loaded "
		    "yet.");
	if (bm->n == 0) {
		cmd_info(ctx, "No bookmarks in %s: /bookmark add "
		    "ROOM@SERVICE.", bm->mode == BM_MODE_PEP ? "PEP" :
		    "private storage");
		return CMD_OK;
	}
	cmd_info(ctx, "Bookmarks (%zu, in %s):", bm->n,
	    bm->mode == BM_MODE_PEP ? "PEP" : "private storage");
	for (i = 0; i < bm->n; i++) {
		b = &bm->list[i];
		name = b->name != NULL ? utf8_safe(b->name) : NULL;
		nick = b->nick != NULL ? utf8_safe(b->nick) : NULL;
		cmd_info(ctx, "  %s%s%s%s autojoin=%s%s%s%s", b->jid,
		    name != NULL ? " \"" : "", name != NULL ? name : "",
		    name != NULL ? "\"" : "", b->autojoin ? "on" : "off",
		    nick != NULL ? " nick=" : "", nick != NULL ? nick : "",
		    b->password != NULL ? " password=set" : "");
		free(name);
		free(nick);
	}
	return CMD_OK;
}

static enum cmd_retval
cmd_bookmark_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct bookmark		 b, *old;
	const char		*room = NULL, *opt;
	char			*bare, *cause = NULL, **val;
	enum cmd_retval		 rv = CMD_OK;
	int			 i, autojoin = -1;
	char			*nick = NULL, *password = NULL, *name = NULL;

	for (i = 0; i < argc; i++) {
		opt = argv[i];
		if (strncmp(opt, "--", 2) != 0) {
			if (room != NULL)
				return cmd_error(ctx, "/bookmark add: one room "
				    "at a time.");
			room = opt;
			continue;
		}
		if (i + 1 >= argc)
			return cmd_error(ctx, "/bookmark add: %s needs a "
			    "value.", opt);
		if (strcmp(opt, "--nick") == 0)
			val = &nick;
		else if (strcmp(opt, "--password") == 0)
			val = &password;
		else if (strcmp(opt, "--name") == 0)
			val = &name;
		else if (strcmp(opt, "--autojoin") == 0) {
			if (strcmp(argv[i + 1], "on") == 0)
				autojoin = 1;
			else if (strcmp(argv[i + 1], "off") == 0)
				autojoin = 0;
			else
				return cmd_error(ctx, "/bookmark add: "
				    "--autojoin on or off.");
			i++;
			continue;
		} else
			return cmd_error(ctx, "/bookmark add: unknown option "
			    "%s.", opt);
		*val = argv[++i];
	}
	if (room == NULL && (room = cmd_bookmark_window_room(ctx->win)) ==
	    NULL)
		return cmd_error(ctx, "/bookmark add: which room? "
		    "/bookmark add ROOM@SERVICE (or type it in the room's "
		    "window).");
	if ((bare = cmd_bookmark_room(room)) == NULL)
		return cmd_error(ctx, "/bookmark add: '%s' is not a room JID "
		    "like room@conference.example.org.", room);
	memset(&b, 0, sizeof b);
	b.jid = bare;
	b.autojoin = 1;		/* bookmarking a room: join it next time */
	if ((old = bookmark_find(ctx->sz, bare)) != NULL) {
		b.name = old->name;
		b.nick = old->nick;
		b.password = old->password;
		b.autojoin = old->autojoin;
		b.extensions = old->extensions;	/* other clients' data */
	}
	if (nick != NULL)
		b.nick = *nick != '\0' ? nick : NULL;
	if (password != NULL)
		b.password = *password != '\0' ? password : NULL;
	if (name != NULL)
		b.name = *name != '\0' ? name : NULL;
	if (autojoin != -1)
		b.autojoin = autojoin;
	if (bookmark_save(ctx->sz, &b, ctx->win->name, &cause) != 0) {
		rv = cmd_error(ctx, "/bookmark add: %s.", cause);
		free(cause);
	}
	free(bare);
	return rv;
}

static enum cmd_retval
cmd_bookmark_exec(struct cmd_ctx *ctx)
{
	const char	*sub = ctx->argc > 0 ? ctx->argv[0] : "list";
	const char	*room;
	char		**argv = NULL, *cause = NULL, *bare;
	int		 argc;
	enum cmd_retval	 rv;

	if (strcmp(sub, "list") == 0)
		return ctx->argc > 1 ? cmd_usage(ctx) : cmd_bookmark_list(ctx);
	argc = str_split_args(ctx->argc > 1 ? ctx->argv[1] : "", 16, 0, &argv,
	    &cause);
	if (argc < 0) {
		rv = cmd_error(ctx, "/bookmark: %s.", cause);
		free(cause);
		return rv;
	}
	if (strcmp(sub, "add") == 0)
		rv = cmd_bookmark_add(ctx, argc, argv);
	else if (strcmp(sub, "remove") == 0 && argc <= 1) {
		room = argc == 1 ? argv[0] : cmd_bookmark_window_room(ctx->win);
		if (room == NULL)
			rv = cmd_usage(ctx);
		else if ((bare = cmd_bookmark_room(room)) == NULL)
			rv = cmd_error(ctx, "/bookmark remove: '%s' is not a "
			    "room JID.", room);
		else {
			rv = CMD_OK;
			if (bookmark_remove(ctx->sz, bare, ctx->win->name,
			    &cause) != 0) {
				rv = cmd_error(ctx, "/bookmark remove: %s.",
				    cause);
				free(cause);
			}
			free(bare);
		}
	} else
		rv = cmd_usage(ctx);
	str_argv_free(argc, argv);
	return rv;
}

const struct cmd_entry cmd_bookmark_entry = {
	.name = "bookmark",
	.min = 0, .max = 2,
	.rest = 1,
	.online = 1,
	.usage = "/bookmark [list] | add [ROOM@SERVICE] [--nick N] "
	    "[--password P] [--autojoin on|off] [--name TEXT] | remove ROOM",
	.help = "Your group chat bookmarks, stored on your server so that "
	    "all your clients share them (XEP-0402, or XEP-0048 private "
	    "storage on servers without it). Rooms with autojoin on are "
	    "joined when you log in. add saves or changes a bookmark (in a "
	    "room's window the room is the default; autojoin is on unless "
	    "you say off; an empty value clears a field); remove deletes "
	    "one. Changes made on your other clients show up live.",
	.examples = "/bookmark add chat@conference.example.org --nick ann\n"
	    "/bookmark add chat@conference.example.org --name \"Our chat\" "
	    "--autojoin off\n/bookmark remove chat@conference.example.org\n"
	    "/bookmark list",
	.subcmds = cmd_bookmark_subcmds,
	.args = { ARG_SUBCMD, ARG_NONE },
	.exec = cmd_bookmark_exec,
};

/* A JID argument, normalised; NULL after an error line. */
static char *
cmd_disco_jid(struct cmd_ctx *ctx, const char *s)
{
	struct jid	*j;
	char		*cause = NULL, *full;

	if ((j = jid_parse(s, &cause)) == NULL) {
		cmd_error(ctx, "/%s: '%s' is not a valid JID: %s.",
		    ctx->entry->name, s, cause);
		free(cause);
		return NULL;
	}
	full = xstrdup(j->full);
	jid_free(j);
	return full;
}

static enum cmd_retval
cmd_disco_exec(struct cmd_ctx *ctx)
{
	char	*jid = cmd_disco_jid(ctx, ctx->argv[0]);

	if (jid == NULL)
		return CMD_ERROR;
	disco_user(ctx->sz, jid, ctx->argc > 1 ? ctx->argv[1] : NULL,
	    ctx->win->name);
	free(jid);
	return CMD_OK;
}

const struct cmd_entry cmd_disco_entry = {
	.name = "disco",
	.min = 1, .max = 2,
	.online = 1,
	.usage = "/disco JID [NODE]",
	.help = "Service discovery (XEP-0030): what JID is (identities), "
	    "what it supports (features) and what it offers (items), shown "
	    "as one block.",
	.examples = "/disco example.org\n/disco conference.example.org\n"
	    "/disco example.org http://jabber.org/protocol/commands",
	.args = { ARG_CONTACT, ARG_NONE },
	.exec = cmd_disco_exec,
};

static enum cmd_retval
cmd_rooms_exec(struct cmd_ctx *ctx)
{
	char	*service = NULL;

	if (ctx->argc > 0 && (service = cmd_disco_jid(ctx,
	    ctx->argv[0])) == NULL)
		return CMD_ERROR;
	disco_rooms(ctx->sz, service, ctx->win->name);
	free(service);
	return CMD_OK;
}

const struct cmd_entry cmd_rooms_entry = {
	.name = "rooms",
	.min = 0, .max = 1,
	.online = 1,
	.usage = "/rooms [SERVICE]",
	.help = "List the public rooms of a group chat service, with their "
	    "names. Without SERVICE, the one your server offers is found "
	    "through service discovery. Only the first page of a long "
	    "(paged) list is shown, and szia says so.",
	.examples = "/rooms\n/rooms conference.example.org",
	.args = { ARG_NONE },
	.exec = cmd_rooms_exec,
};
