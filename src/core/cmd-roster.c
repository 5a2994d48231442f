/*
 * cmd-roster.c - /roster and /sub: the contact list and subscriptions.
 *
 * Changes are requests to the server; the roster itself changes only when
 * the server's roster push arrives, so what szia shows is what the server
 * stored.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "util/xalloc.h"

static const char *const cmd_roster_subcmds[] = {
	"add", "group", "list", "name", "remove", NULL
};

/* Queue a roster set for BARE with NAME and the groups given. */
static void
cmd_roster_set(struct szia *sz, const char *bare, const char *name,
    char *const *groups, size_t ngroups)
{
	struct req	*r = req_new(REQ_ROSTER_SET);
	size_t		 i;

	r->roster.jid = xstrdup(bare);
	r->roster.name = xstrdup_or_null(name);
	r->roster.ngroups = ngroups;
	r->roster.groups = xcalloc(ngroups + 1, sizeof *r->roster.groups);
	for (i = 0; i < ngroups; i++)
		r->roster.groups[i] = xstrdup(groups[i]);
	outbox_push(&sz->outbox, r);
}

static enum cmd_retval
cmd_roster_list(struct cmd_ctx *ctx)
{
	struct roster	*ro = &ctx->sz->roster;
	size_t		 i;
	const char	*group = NULL;
	struct contact	*c;

	if (ro->nrows == 0) {
		cmd_info(ctx, "Your roster is empty: /roster add JID [name].");
		return CMD_OK;
	}
	for (i = 0; i < ro->nrows; i++) {
		c = ro->rows[i].contact;
		if (group == NULL || strcmp(group, ro->rows[i].group) != 0) {
			group = ro->rows[i].group;
			cmd_info(ctx, "%s:", group);
		}
		cmd_info(ctx, "  %s%s%s%s - %s%s%s [%s%s]", c->display,
		    c->name != NULL ? " <" : "", c->name != NULL ? c->jid : "",
		    c->name != NULL ? ">" : "", show_name(c->show),
		    c->status != NULL ? ": " : "",
		    c->status != NULL ? c->status : "",
		    c->sub == SUBSCRIPTION_BOTH ? "both" :
		    c->sub == SUBSCRIPTION_TO ? "to" :
		    c->sub == SUBSCRIPTION_FROM ? "from" : "none",
		    c->ask ? ", asked" : "");
	}
	return CMD_OK;
}

static enum cmd_retval
cmd_roster_exec(struct cmd_ctx *ctx)
{
	struct szia	*sz = ctx->sz;
	const char	*sub = ctx->argc > 0 ? ctx->argv[0] : "list";
	struct contact	*c;
	struct req	*r;
	char		*bare = NULL, *name = NULL, **groups;
	size_t		 i, n;
	enum cmd_retval	 rv = CMD_OK;

	if (strcmp(sub, "list") == 0)
		return cmd_roster_list(ctx);
	/* Wrong words get the usage, connected or not. */
	for (i = 0; cmd_roster_subcmds[i] != NULL; i++) {
		if (strcmp(sub, cmd_roster_subcmds[i]) == 0)
			break;
	}
	if (cmd_roster_subcmds[i] == NULL || ctx->argc < 2)
		return cmd_usage(ctx);
	if (strcmp(sub, "group") == 0 && (ctx->argc != 4 ||
	    (strcmp(ctx->argv[1], "add") != 0 &&
	    strcmp(ctx->argv[1], "remove") != 0)))
		return cmd_error(ctx, "usage: /roster group add|remove JID "
		    "GROUP");
	if (sz->session.state != CONN_ONLINE)
		return cmd_error(ctx, "/roster %s: not connected.", sub);
	bare = jid_bare(ctx->argv[strcmp(sub, "group") == 0 ? 2 : 1]);
	if (bare == NULL)
		return cmd_error(ctx, "/roster %s: not a valid JID.", sub);
	c = roster_find(&sz->roster, bare);
	/* "add JID Bobby Tables": the name is the rest of the line. */
	if (ctx->argc == 4 && strcmp(sub, "group") != 0)
		name = xasprintf("%s %s", ctx->argv[2], ctx->argv[3]);
	else if (ctx->argc >= 3 && strcmp(sub, "group") != 0)
		name = xstrdup(ctx->argv[2]);
	if (strcmp(sub, "add") == 0) {
		cmd_roster_set(sz, bare, name,
		    c != NULL ? c->groups : NULL, c != NULL ? c->ngroups : 0);
		cmd_info(ctx, "Adding %s to your roster; /sub request %s asks "
		    "to see their presence.", bare, bare);
	} else if (c == NULL || !c->in_roster) {
		rv = cmd_error(ctx, "/roster %s: %s is not in your roster.",
		    sub, bare);
	} else if (strcmp(sub, "remove") == 0) {
		r = req_new(REQ_ROSTER_REMOVE);
		r->roster.jid = xstrdup(bare);
		outbox_push(&sz->outbox, r);
	} else if (strcmp(sub, "name") == 0) {
		cmd_roster_set(sz, bare, name, c->groups, c->ngroups);
	} else {			/* group */
		groups = xcalloc(c->ngroups + 1, sizeof *groups);
		for (i = n = 0; i < c->ngroups; i++) {
			if (strcmp(c->groups[i], ctx->argv[3]) != 0)
				groups[n++] = c->groups[i];
		}
		if (strcmp(ctx->argv[1], "add") == 0)
			groups[n++] = ctx->argv[3];
		cmd_roster_set(sz, bare, c->name, groups, n);
		free(groups);
	}
	free(name);
	free(bare);
	return rv;
}

const struct cmd_entry cmd_roster_entry = {
	.name = "roster",
	.min = 0, .max = 4,
	.rest = 1,
	.usage = "/roster [list] | add JID [NAME] | remove JID | name JID "
	    "[NAME] | group add|remove JID GROUP",
	.help = "Show or change your contact list (stored on the server). "
	    "Adding a contact does not ask to see their presence: use /sub "
	    "request for that. F2 shows or hides the roster panel.",
	.examples = "/roster add bob@example.org Bob\n"
	    "/roster group add bob@example.org Friends\n"
	    "/roster name bob@example.org Robert\n/roster remove bob@example.org",
	.subcmds = cmd_roster_subcmds,
	.args = { ARG_SUBCMD, ARG_CONTACT, ARG_NONE },
	.exec = cmd_roster_exec,
};

static const char *const cmd_sub_subcmds[] = {
	"allow", "cancel", "deny", "request", NULL
};

static enum cmd_retval
cmd_sub_exec(struct cmd_ctx *ctx)
{
	static const struct {
		const char	*word;
		enum sub_type	 type;
		const char	*done;
	} map[] = {
		{ "request", SUB_SUBSCRIBE, "Asked to see the presence of" },
		{ "allow", SUB_SUBSCRIBED, "Now sharing your presence with" },
		{ "deny", SUB_UNSUBSCRIBED, "Not sharing your presence with" },
		{ "cancel", SUB_UNSUBSCRIBE, "No longer following the presence of" },
	};
	struct req	*r;
	char		*bare;
	size_t		 i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(ctx->argv[0], map[i].word) == 0)
			break;
	}
	if (i == sizeof map / sizeof map[0])
		return cmd_usage(ctx);
	if ((bare = jid_bare(ctx->argv[1])) == NULL)
		return cmd_error(ctx, "/sub: '%s' is not a valid JID.",
		    ctx->argv[1]);
	r = req_new(REQ_SUBSCRIPTION);
	r->subscription.to = bare;
	r->subscription.sub = map[i].type;
	outbox_push(&ctx->sz->outbox, r);
	cmd_info(ctx, "%s %s.", map[i].done, bare);
	return CMD_OK;
}

const struct cmd_entry cmd_sub_entry = {
	.name = "sub",
	.min = 2, .max = 2,
	.online = 1,
	.usage = "/sub request|allow|deny|cancel JID",
	.help = "Presence subscriptions: request asks to see JID's presence, "
	    "allow and deny answer their request (or revoke), cancel stops "
	    "seeing theirs.",
	.examples = "/sub request bob@example.org\n/sub allow bob@example.org",
	.subcmds = cmd_sub_subcmds,
	.args = { ARG_SUBCMD, ARG_CONTACT },
	.exec = cmd_sub_exec,
};
