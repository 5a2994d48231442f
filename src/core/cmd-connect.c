/*
 * cmd-connect.c - /connect, /disconnect, /tls, /ping, /quit.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "core/session.h"
#include "util/rand.h"
#include "util/xalloc.h"

/* Split "host", "host:port", "[v6]:port"; -1 on a bad port. */
static int
cmd_connect_hostport(const char *s, char **host, int *port)
{
	const char	*colon;
	char		*end;
	long		 p;

	*port = 0;
	if (s[0] == '[' && (colon = strstr(s, "]:")) != NULL)
		colon++;
	else if (s[0] != '[' && (colon = strrchr(s, ':')) != NULL &&
	    strchr(s, ':') != colon)
		colon = NULL;	/* bare IPv6 without port */
	if (colon == NULL) {
		*host = xstrdup(s);
		return 0;
	}
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535)
		return -1;
	*port = p;
	*host = xstrndup(s, colon - s);
	return 0;
}

static enum cmd_retval
cmd_connect_exec(struct cmd_ctx *ctx)
{
	char	*host = NULL;
	int	 port = 0, rc;

	if (ctx->argc == 2 &&
	    cmd_connect_hostport(ctx->argv[1], &host, &port) != 0)
		return cmd_error(ctx, "/connect: bad port in '%s' (1-65535).",
		    ctx->argv[1]);
	rc = session_connect(ctx->sz, ctx->argv[0], host, port);
	free(host);
	return rc == 0 ? CMD_OK : CMD_ERROR;
}

const struct cmd_entry cmd_connect_entry = {
	.name = "connect",
	.min = 1, .max = 2,
	.usage = "/connect ACCOUNT|JID [SERVER[:PORT]]",
	.help = "Log in with a saved account, or as JID (the password is "
	    "asked without echo unless the account stores one or has an "
	    "eval_password command). SERVER overrides the host found through "
	    "DNS SRV records.",
	.examples = "/connect alice@example.org\n/connect work\n"
	    "/connect me@example.org xmpp.example.org:5223",
	.args = { ARG_ACCOUNT, ARG_NONE },
	.exec = cmd_connect_exec,
};

static enum cmd_retval
cmd_disconnect_exec(struct cmd_ctx *ctx)
{
	core_disconnect(ctx->sz);
	return CMD_OK;
}

const struct cmd_entry cmd_disconnect_entry = {
	.name = "disconnect",
	.min = 0, .max = 0,
	.usage = "/disconnect",
	.help = "Log out (or stop reconnecting).",
	.examples = "/disconnect",
	.exec = cmd_disconnect_exec,
};

static enum cmd_retval
cmd_quit_exec(struct cmd_ctx *ctx)
{
	if (ctx->sz->session.state == CONN_ONLINE)
		core_disconnect(ctx->sz);
	ctx->sz->quit = 1;
	return CMD_OK;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "exit",
	.min = 0, .max = 0,
	.usage = "/quit",
	.help = "Log out and leave szia.",
	.examples = "/quit",
	.exec = cmd_quit_exec,
};

static const char *const cmd_tls_subcmds[] = { "trust", "deny", NULL };

static enum cmd_retval
cmd_tls_exec(struct cmd_ctx *ctx)
{
	char	*cause = NULL;
	int	 rc;

	if (strcmp(ctx->argv[0], "trust") == 0)
		rc = session_trust(ctx->sz, &cause);
	else if (strcmp(ctx->argv[0], "deny") == 0)
		rc = session_deny(ctx->sz, &cause);
	else
		return cmd_usage(ctx);
	if (rc != 0) {
		cmd_error(ctx, "/tls %s: %s.", ctx->argv[0], cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_OK;
}

const struct cmd_entry cmd_tls_entry = {
	.name = "tls",
	.min = 1, .max = 1,
	.usage = "/tls trust|deny",
	.help = "Decide about a server certificate szia refused: trust "
	    "remembers its SHA-256 fingerprint for the account (trust on "
	    "first use) and reconnects; a different certificate later is "
	    "refused loudly. deny forgets it.",
	.examples = "/tls trust\n/tls deny",
	.subcmds = cmd_tls_subcmds,
	.args = { ARG_SUBCMD },
	.exec = cmd_tls_exec,
};

static enum cmd_retval
cmd_ping_exec(struct cmd_ctx *ctx)
{
	struct session	*s = &ctx->sz->session;
	struct req	*r;
	char		*bare;

	r = req_new(REQ_PING);
	if (ctx->argc == 1) {
		if (!jid_valid(ctx->argv[0])) {
			req_free(r);
			return cmd_error(ctx, "/ping: '%s' is not a JID.",
			    ctx->argv[0]);
		}
		r->ping.to = xstrdup(ctx->argv[0]);
	} else {
		bare = xstrdup(strchr(s->bare, '@') + 1);
		r->ping.to = bare;
	}
	r->ping.id = rand_id();
	free(s->ping_id);
	s->ping_id = xstrdup(r->ping.id);
	outbox_push(&ctx->sz->outbox, r);
	return CMD_OK;
}

const struct cmd_entry cmd_ping_entry = {
	.name = "ping",
	.min = 0, .max = 1,
	.online = 1,
	.usage = "/ping [JID]",
	.help = "Send an XMPP ping (XEP-0199) to JID or to your server and "
	    "show the round-trip time.",
	.examples = "/ping\n/ping bob@example.org/phone",
	.args = { ARG_CONTACT },
	.exec = cmd_ping_exec,
};
