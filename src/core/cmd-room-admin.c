/*
 * cmd-room-admin.c - room moderation and administration (XEP-0045
 * sections 8-10): /kick /ban /role /affiliation /destroy /config.  The
 * room decides who may do what; its refusals come back as one line
 * (room-handle.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "util/str.h"
#include "util/xalloc.h"

static struct room *
admin_room(struct cmd_ctx *ctx)
{
	struct room	*r = room_of_window(ctx->sz, ctx->win);

	if (r == NULL) {
		cmd_error(ctx, "/%s: only in a room window.", ctx->entry->name);
		return NULL;
	}
	return cmd_in_room(ctx, r);
}

static int
one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(s, *list) == 0)
			return 1;
	}
	return 0;
}

static const char *const roles[] = { "moderator", "participant", "visitor",
    "none", NULL };
#define role_words roles
static const char *const affils[] = { "owner", "admin", "member", "outcast",
    "none", NULL };

static enum cmd_retval
set_role(struct cmd_ctx *ctx, struct room *r, const char *nick,
    const char *role, const char *reason)
{
	struct req_muc	*m;

	if (room_occupant(r, nick) == NULL)
		return cmd_error(ctx, "/%s: nobody called '%s' in %s.",
		    ctx->entry->name, nick, r->jid);
	m = room_req(ctx->sz, MUC_SET_ROLE, r->jid);
	m->nick = xstrdup(nick);
	m->value = xstrdup(role);
	m->reason = xstrdup_or_null(reason);
	return CMD_OK;
}

static enum cmd_retval
cmd_kick_exec(struct cmd_ctx *ctx)
{
	struct room	*r = admin_room(ctx);

	if (r == NULL)
		return CMD_ERROR;
	return set_role(ctx, r, ctx->argv[0], "none", ctx->argc == 2 ?
	    ctx->argv[1] : NULL);
}

const struct cmd_entry cmd_kick_entry = {
	.name = "kick",
	.min = 1, .max = 2,
	.rest = 1,
	.usage = "/kick NICK [reason]",
	.help = "Kick an occupant out of the room (moderators only); they "
	    "may join again.",
	.examples = "/kick troll\n/kick troll stop flooding",
	.exec = cmd_kick_exec,
};

static enum cmd_retval
cmd_role_exec(struct cmd_ctx *ctx)
{
	struct room	*r = admin_room(ctx);

	if (r == NULL)
		return CMD_ERROR;
	if (!one_of(ctx->argv[1], roles))
		return cmd_error(ctx, "/role: ROLE is moderator, participant, "
		    "visitor or none.");
	return set_role(ctx, r, ctx->argv[0], ctx->argv[1], ctx->argc == 3 ?
	    ctx->argv[2] : NULL);
}

const struct cmd_entry cmd_role_entry = {
	.name = "role",
	.min = 2, .max = 3,
	.rest = 1,
	.usage = "/role NICK moderator|participant|visitor|none [reason]",
	.help = "Change an occupant's role in the room: give or take voice "
	    "(participant/visitor) or moderator rights; none kicks.",
	.examples = "/role bob visitor\n/role ann moderator",
	.subcmds = role_words,
	.args = { ARG_NONE, ARG_SUBCMD, ARG_NONE },
	.exec = cmd_role_exec,
};

/* NICK (with a known real JID) or JID to a bare JID; NULL if neither. */
static char *
nick_or_jid(struct room *r, const char *who)
{
	struct occupant	*o = room_occupant(r, who);

	if (o != NULL && o->jid != NULL)
		return jid_bare(o->jid);
	if (strchr(who, '@') == NULL && strchr(who, '.') == NULL)
		return NULL;
	return jid_bare(who);
}

static enum cmd_retval
set_affil(struct cmd_ctx *ctx, struct room *r, const char *who,
    const char *affil, const char *reason)
{
	struct req_muc	*m;
	char		*bare = nick_or_jid(r, who);

	if (bare == NULL)
		return cmd_error(ctx, "/%s: '%s' is not a JID%s.",
		    ctx->entry->name, who, room_occupant(r, who) != NULL ?
		    " (the room does not tell us their real JID: give it)" :
		    "");
	m = room_req(ctx->sz, MUC_SET_AFFIL, r->jid);
	m->jid = bare;
	m->value = xstrdup(affil);
	m->reason = xstrdup_or_null(reason);
	return CMD_OK;
}

static enum cmd_retval
cmd_ban_exec(struct cmd_ctx *ctx)
{
	struct room	*r = admin_room(ctx);

	if (r == NULL)
		return CMD_ERROR;
	return set_affil(ctx, r, ctx->argv[0], "outcast", ctx->argc == 2 ?
	    ctx->argv[1] : NULL);
}

const struct cmd_entry cmd_ban_entry = {
	.name = "ban",
	.min = 1, .max = 2,
	.rest = 1,
	.usage = "/ban NICK|JID [reason]",
	.help = "Ban someone from the room (admins only): their affiliation "
	    "becomes outcast. A nick works when the room shows real JIDs.",
	.examples = "/ban troll\n/ban spam@example.net spam",
	.exec = cmd_ban_exec,
};

static enum cmd_retval
cmd_affiliation_exec(struct cmd_ctx *ctx)
{
	struct room	*r = admin_room(ctx);
	struct req_muc	*m;

	if (r == NULL)
		return CMD_ERROR;
	if (strcmp(ctx->argv[0], "list") == 0) {
		if (!one_of(ctx->argv[1], affils) ||
		    strcmp(ctx->argv[1], "none") == 0)
			return cmd_error(ctx, "/affiliation list: owner, admin, "
			    "member or outcast.");
		m = room_req(ctx->sz, MUC_LIST, r->jid);
		m->value = xstrdup(ctx->argv[1]);
		return CMD_OK;
	}
	if (!one_of(ctx->argv[1], affils))
		return cmd_error(ctx, "/affiliation: owner, admin, member, "
		    "outcast or none.");
	return set_affil(ctx, r, ctx->argv[0], ctx->argv[1], ctx->argc == 3 ?
	    ctx->argv[2] : NULL);
}

static const char *const affil_words[] = { "list", "owner", "admin",
    "member", "outcast", "none", NULL };

const struct cmd_entry cmd_affiliation_entry = {
	.name = "affiliation",
	.min = 2, .max = 3,
	.rest = 1,
	.usage = "/affiliation JID owner|admin|member|outcast|none [reason]  "
	    "or  /affiliation list owner|admin|member|outcast",
	.help = "Change someone's long-term affiliation with the room "
	    "(member, admin, owner; outcast bans, none removes), or list who "
	    "has an affiliation.",
	.examples = "/affiliation bob@example.org member\n"
	    "/affiliation list member",
	.subcmds = affil_words,
	.args = { ARG_NONE, ARG_SUBCMD, ARG_NONE },
	.exec = cmd_affiliation_exec,
};

static enum cmd_retval
cmd_destroy_exec(struct cmd_ctx *ctx)
{
	struct room	*r = admin_room(ctx);
	struct req_muc	*m;

	if (r == NULL)
		return CMD_ERROR;
	m = room_req(ctx->sz, MUC_DESTROY, r->jid);
	m->reason = ctx->argc == 1 ? xstrdup(ctx->argv[0]) : NULL;
	return CMD_OK;
}

const struct cmd_entry cmd_destroy_entry = {
	.name = "destroy",
	.min = 0, .max = 1,
	.rest = 1,
	.usage = "/destroy [reason]",
	.help = "Destroy the room of this window (owners only); everyone in "
	    "it is told.",
	.examples = "/destroy\n/destroy moved elsewhere",
	.exec = cmd_destroy_exec,
};

static enum cmd_retval
cmd_config_exec(struct cmd_ctx *ctx)
{
	struct room	*r = admin_room(ctx);
	struct req_muc	*m;
	size_t		 i;
	const char	*sub = ctx->argc > 0 ? ctx->argv[0] : NULL;

	if (r == NULL)
		return CMD_ERROR;
	if (sub == NULL) {
		room_req(ctx->sz, MUC_CONFIG_GET, r->jid);
		return CMD_OK;
	}
	if (!r->config_open)
		return cmd_error(ctx, "/config %s: fetch the form first with "
		    "/config.", sub);
	if (strcmp(sub, "set") == 0) {
		if (ctx->argc < 2)
			return cmd_usage(ctx);
		for (i = 0; i < r->ncfg; i++) {
			if (strcmp(room_config_short(r->cfg_keys[i]),
			    ctx->argv[1]) == 0 ||
			    strcmp(r->cfg_keys[i], ctx->argv[1]) == 0)
				break;
		}
		if (i == r->ncfg)
			return cmd_error(ctx, "/config set: the form has no "
			    "field '%s'.", ctx->argv[1]);
		str_replace(&r->cfg_vals[i], ctx->argc == 3 ? ctx->argv[2] :
		    "");
		cmd_info(ctx, "%s = %s (not saved: /config submit)",
		    room_config_short(r->cfg_keys[i]), r->cfg_vals[i]);
		return CMD_OK;
	}
	if (strcmp(sub, "submit") == 0) {
		m = room_req(ctx->sz, MUC_CONFIG_SUBMIT, r->jid);
		m->keys = xcalloc(r->ncfg + 1, sizeof *m->keys);
		m->vals = xcalloc(r->ncfg + 1, sizeof *m->vals);
		m->types = xcalloc(r->ncfg + 1, sizeof *m->types);
		for (i = 0; i < r->ncfg; i++) {
			m->keys[i] = xstrdup(r->cfg_keys[i]);
			m->vals[i] = xstrdup(r->cfg_vals[i]);
			m->types[i] = xstrdup(r->cfg_types[i]);
		}
		m->nfields = r->ncfg;
		room_clear_config(r);
		return CMD_OK;
	}
	if (strcmp(sub, "cancel") == 0) {
		room_req(ctx->sz, MUC_CONFIG_CANCEL, r->jid);
		room_clear_config(r);
		cmd_info(ctx, "Configuration left unchanged.");
		return CMD_OK;
	}
	return cmd_usage(ctx);
}

static const char *const config_words[] = { "set", "submit", "cancel",
    NULL };

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.min = 0, .max = 3,
	.rest = 1,
	.usage = "/config [set FIELD VALUE | submit | cancel]",
	.help = "Show the room's configuration form (owners only): roomname, "
	    "roomdesc, persistentroom, publicroom, membersonly, "
	    "moderatedroom, passwordprotectedroom, roomsecret, whois, "
	    "maxusers. Change fields with /config set (booleans are 1 or 0), "
	    "then /config submit to save or /config cancel.",
	.examples = "/config\n/config set membersonly 1\n"
	    "/config set roomname Dev talk\n/config submit",
	.subcmds = config_words,
	.args = { ARG_SUBCMD, ARG_NONE, ARG_NONE },
	.exec = cmd_config_exec,
};
