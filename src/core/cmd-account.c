/*
 * cmd-account.c - /account: saved accounts.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/session.h"
#include "util/xalloc.h"

static const char *const cmd_account_subcmds[] = {
	"add", "list", "password", "remove", "set", "unset", NULL
};

static enum cmd_retval
cmd_account_save(struct cmd_ctx *ctx)
{
	char	*cause = NULL;

	if (accounts_save(&ctx->sz->accounts, &cause) != 0) {
		cmd_error(ctx, "/account: %s", cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_OK;
}

/* /account set or unset (VALUE ""): KEY of A, saved; a new priority goes
 * out with our presence at once (session_priority() picks the account). */
static enum cmd_retval
cmd_account_change(struct cmd_ctx *ctx, struct account *a, const char *key,
    const char *value)
{
	const char	*sub = *value != '\0' ? "set" : "unset";
	char		*cause = NULL;

	if (account_set(a, key, value, &cause) != 0) {
		cmd_error(ctx, "/account %s: %s.", sub, cause);
		free(cause);
		return CMD_ERROR;
	}
	if (cmd_account_save(ctx) != CMD_OK)
		return CMD_ERROR;
	if (*value != '\0')
		cmd_info(ctx, "Account %s: %s set.", a->name, key);
	else
		cmd_info(ctx, "Account %s: %s back to its default.", a->name,
		    key);
	if (strcmp(key, "priority") == 0)
		session_send_presence(ctx->sz);
	return CMD_OK;
}

static enum cmd_retval
cmd_account_exec(struct cmd_ctx *ctx)
{
	struct accounts	*as = &ctx->sz->accounts;
	struct account	*a;
	const char	*sub = ctx->argc > 0 ? ctx->argv[0] : "list";
	char		*cause = NULL;

	if (strcmp(sub, "list") == 0) {
		if (as->head == NULL)
			cmd_info(ctx, "No saved accounts: /account add NAME JID.");
		for (a = as->head; a != NULL; a = a->next) {
			cmd_info(ctx, "%s: %s%s%s, tls %s%s%s", a->name, a->jid,
			    a->server != NULL ? " via " : "",
			    a->server != NULL ? a->server : "",
			    tls_mode_name(a->tls),
			    a->password != NULL ? ", password saved" :
			    a->eval_password != NULL ? ", eval_password" : "",
			    a->tls_fingerprint != NULL ? ", pinned cert" : "");
		}
		return CMD_OK;
	}
	if (strcmp(sub, "add") == 0) {
		if (ctx->argc != 3)
			return cmd_error(ctx, "usage: /account add NAME JID");
		if (accounts_add(as, ctx->argv[1], ctx->argv[2], &cause) ==
		    NULL) {
			cmd_error(ctx, "/account add: %s.", cause);
			free(cause);
			return CMD_ERROR;
		}
		if (cmd_account_save(ctx) != CMD_OK)
			return CMD_ERROR;
		cmd_info(ctx, "Account %s added: /connect %s to log in.",
		    ctx->argv[1], ctx->argv[1]);
		return CMD_OK;
	}
	if (strcmp(sub, "password") == 0)	/* [files] cmd-files.c */
		return core_files_password_cmd(ctx);
	if (strcmp(sub, "remove") == 0) {
		if (ctx->argc != 2)
			return cmd_error(ctx, "usage: /account remove NAME");
		if (accounts_remove(as, ctx->argv[1]) != 0)
			return cmd_error(ctx, "/account remove: no account "
			    "named '%s'.", ctx->argv[1]);
		if (cmd_account_save(ctx) != CMD_OK)
			return CMD_ERROR;
		cmd_info(ctx, "Account %s removed.", ctx->argv[1]);
		return CMD_OK;
	}
	if (strcmp(sub, "set") == 0) {
		if (ctx->argc != 4)
			return cmd_error(ctx,
			    "usage: /account set NAME KEY VALUE");
		if ((a = accounts_find(as, ctx->argv[1])) == NULL)
			return cmd_error(ctx, "/account set: no account named "
			    "'%s'.", ctx->argv[1]);
		return cmd_account_change(ctx, a, ctx->argv[2], ctx->argv[3]);
	}
	if (strcmp(sub, "unset") == 0) {
		/* Back to the default: what "set KEY ''" would mean, had
		 * the line a way to say an empty word. */
		if (ctx->argc != 3)
			return cmd_error(ctx, "usage: /account unset NAME KEY");
		if ((a = accounts_find(as, ctx->argv[1])) == NULL)
			return cmd_error(ctx, "/account unset: no account named "
			    "'%s'.", ctx->argv[1]);
		if (strcmp(ctx->argv[2], "jid") == 0)
			return cmd_error(ctx, "/account unset: an account needs "
			    "its jid.");
		return cmd_account_change(ctx, a, ctx->argv[2], "");
	}
	return cmd_usage(ctx);
}

const struct cmd_entry cmd_account_entry = {
	.name = "account",
	.min = 0, .max = 4,
	.rest = 1,
	.usage = "/account [list] | add NAME JID | set NAME KEY VALUE | "
	    "unset NAME KEY | remove NAME | password [NEW]",
	.help = "Manage saved accounts (stored in ~/.config/szia/accounts, "
	    "mode 0600). Keys: jid, password, eval_password (a command that "
	    "prints the password, e.g. pass show xmpp), server, port, tls "
	    "(starttls, direct or plain), resource, tls_fingerprint, "
	    "priority (sent with your presence instead of the setting "
	    "presence.priority). /account unset NAME KEY returns a key to its "
	    "default (e.g. forgets a pinned tls_fingerprint, so the next "
	    "connection is verified against the system's CAs only). "
	    "/account password changes the password of the account "
	    "you are logged in with on the server (XEP-0077; asked twice "
	    "without echo unless given) and in the accounts file if it is "
	    "stored there.",
	.examples = "/account add work me@example.org\n"
	    "/account set work eval_password pass show xmpp/work\n"
	    "/account set work tls direct\n/account unset work "
	    "tls_fingerprint\n/account list\n/account password",
	.subcmds = cmd_account_subcmds,
	.args = { ARG_SUBCMD, ARG_ACCOUNT, ARG_ACCOUNT_KEY, ARG_NONE },
	.exec = cmd_account_exec,
};
