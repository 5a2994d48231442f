/*
 * register.c - /register (XEP-0077 in-band registration) and saving the
 * account it created; `szia --register` (main.c) shares the saving.
 *
 * The connection settings come from a saved account with the same JID if
 * there is one (server, port, tls, tls_fingerprint), overridden by
 * SERVER[:PORT] on the command line; the certificate is trusted exactly as
 * at login.  The password is asked twice without echo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void
reg_wipe(char **p)
{
	if (*p != NULL)
		explicit_bzero(*p, strlen(*p));
	free(*p);
	*p = NULL;
}

int
core_parse_hostport(const char *s, char **host, int *port)
{
	const char	*colon = strrchr(s, ':');
	char		*end;
	long		 n;

	*host = NULL;
	*port = 0;
	if (colon == NULL) {
		if (*s == '\0')
			return -1;
		*host = xstrdup(s);
		return 0;
	}
	n = strtol(colon + 1, &end, 10);
	if (colon == s || *end != '\0' || n < 1 || n > 65535)
		return -1;
	*host = xstrndup(s, colon - s);
	*port = (int)n;
	return 0;
}

/* An account name from BARE's user name: letters, digits, '.', '_', '-'. */
static char *
reg_account_name(const char *bare)
{
	char		*name = xstrdup(bare), *q = name;
	const char	*p;

	/* One '_' per character that is not allowed (not per byte). */
	for (p = bare; *p != '\0' && *p != '@' && q - name < 48; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		*q++ = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", *p) != NULL ? *p : '_';
	}
	*q = '\0';
	if (*name == '\0') {
		free(name);
		name = xstrdup("account");
	}
	return name;
}

int
core_save_registered(struct szia *sz, const struct reg_account *ra,
    char **msg)
{
	struct accounts	*as = &sz->accounts;
	struct account	*a;
	char		*bare, *name = NULL, *base = NULL, *cause = NULL;
	char		 port[16];
	int		 i, rc = -1;

	if ((bare = jid_bare(ra->jid)) == NULL) {
		*msg = xstrdup("not a valid JID");
		return -1;
	}
	if ((a = accounts_find_jid(as, bare)) == NULL) {
		base = reg_account_name(bare);
		name = xstrdup(base);
		for (i = 2; accounts_find(as, name) != NULL && i < 1000; i++) {
			free(name);
			name = xasprintf("%s-%d", base, i);
		}
		if ((a = accounts_add(as, name, bare, &cause)) == NULL)
			goto out;
		snprintf(port, sizeof port, "%d", ra->port);
		if ((ra->server != NULL &&
		    account_set(a, "server", ra->server, &cause) != 0) ||
		    (ra->port > 0 &&
		    account_set(a, "port", port, &cause) != 0) ||
		    account_set(a, "tls", tls_mode_name(ra->tls), &cause) != 0 ||
		    (ra->fingerprint != NULL && account_set(a,
		    "tls_fingerprint", ra->fingerprint, &cause) != 0))
			goto out;
	}
	/* An eval_password command already knows it: store nothing. */
	if ((a->eval_password == NULL &&
	    account_set(a, "password", ra->password, &cause) != 0) ||
	    accounts_save(as, &cause) != 0)
		goto out;
	*msg = xasprintf("Account %s (%s) saved %s: /connect %s (or szia -a "
	    "%s) to log in.", a->name, bare, a->eval_password != NULL ?
	    "(its password comes from eval_password)" : "with its password",
	    a->name, a->name);
	rc = 0;
out:
	if (rc != 0) {
		*msg = xasprintf("the account was created on the server but "
		    "not saved: %s", cause != NULL ? cause : "unknown error");
		free(cause);
	}
	free(name);
	free(base);
	free(bare);
	return rc;
}

/*
 * Connection settings for JID: a saved account's with that JID, else
 * those of the session's account if it is on the same server; then
 * SERVER[:PORT] overrides.
 */
static void
reg_defaults(struct szia *sz, const char *bare, struct req *r)
{
	struct account	*a = accounts_find_jid(&sz->accounts, bare);
	struct session	*s = &sz->session;
	const char	*d1, *d2;

	r->reg.tls = TLS_STARTTLS;
	if (a != NULL) {
		r->reg.server = xstrdup_or_null(a->server);
		r->reg.port = a->port;
		r->reg.tls = a->tls;
		r->reg.fingerprint = xstrdup_or_null(a->tls_fingerprint);
		return;
	}
	if (s->bare == NULL || (d1 = strchr(s->bare, '@')) == NULL ||
	    (d2 = strchr(bare, '@')) == NULL || strcmp(d1, d2) != 0)
		return;
	r->reg.server = xstrdup_or_null(s->server);
	r->reg.port = s->port;
	r->reg.tls = s->tls;
	r->reg.fingerprint = xstrdup_or_null(s->fingerprint);
}

static void
reg_again(struct szia *sz, const char *answer)
{
	struct req	*r = sz->reg_req;

	sz->reg_req = NULL;
	if (r == NULL)
		return;
	if (answer == NULL || strcmp(answer, r->reg.password) != 0) {
		core_error(sz, NULL, answer == NULL ? "Registration cancelled." :
		    "The passwords differ: no account created.");
		req_free(r);
		return;
	}
	core_info(sz, NULL, "Registering %s...", r->reg.jid);
	/* Keep what is needed to save the account afterwards. */
	req_free(sz->reg_sent);
	sz->reg_sent = req_new(REQ_REGISTER);
	sz->reg_sent->reg.jid = xstrdup(r->reg.jid);
	sz->reg_sent->reg.password = xstrdup(r->reg.password);
	sz->reg_sent->reg.server = xstrdup_or_null(r->reg.server);
	sz->reg_sent->reg.port = r->reg.port;
	sz->reg_sent->reg.tls = r->reg.tls;
	sz->reg_sent->reg.fingerprint = xstrdup_or_null(r->reg.fingerprint);
	outbox_push(&sz->outbox, r);
}

void
core_register_free(struct szia *sz)
{
	req_free(sz->reg_req);
	sz->reg_req = NULL;
	req_free(sz->reg_sent);
	sz->reg_sent = NULL;
}

static void
reg_first(struct szia *sz, const char *answer)
{
	struct req	*r = sz->reg_req;

	if (r == NULL)
		return;
	if (answer == NULL || *answer == '\0') {
		core_info(sz, NULL, "Registration cancelled.");
		req_free(r);
		sz->reg_req = NULL;
		return;
	}
	reg_wipe(&r->reg.password);
	r->reg.password = xstrdup(answer);
	core_prompt(sz, "Repeat the password: ", 1, reg_again);
}

static enum cmd_retval
cmd_register_exec(struct cmd_ctx *ctx)
{
	struct szia	*sz = ctx->sz;
	struct req	*r;
	struct jid	*j;
	char		*cause = NULL, *host, *q;
	int		 port;

	if ((j = jid_parse(ctx->argv[0], &cause)) == NULL ||
	    j->local == NULL || j->resource != NULL) {
		jid_free(j);
		free(cause);
		return cmd_error(ctx, "/register: give the new account as "
		    "user@server.");
	}
	if (sz->reg_req != NULL)
		return cmd_error(ctx, "/register: a registration is already "
		    "being set up.");
	r = req_new(REQ_REGISTER);
	r->reg.jid = xasprintf("%s@%s", j->local, j->domain);
	jid_free(j);
	reg_defaults(sz, r->reg.jid, r);
	if (ctx->argc == 2) {
		if (core_parse_hostport(ctx->argv[1], &host, &port) != 0) {
			req_free(r);
			return cmd_error(ctx, "/register: SERVER[:PORT] "
			    "expected, not '%s'.", ctx->argv[1]);
		}
		free(r->reg.server);
		r->reg.server = host;
		r->reg.port = port;
	}
	sz->reg_req = r;
	q = xasprintf("Password for the new account %s: ", r->reg.jid);
	core_prompt(sz, q, 1, reg_first);
	free(q);
	return CMD_OK;
}

const struct cmd_entry cmd_register_entry = {
	.name = "register",
	.min = 1, .max = 2,
	.usage = "/register JID [SERVER[:PORT]]",
	.help = "Create an account on a server that allows in-band "
	    "registration (XEP-0077), then save it (with its password) in "
	    "the accounts file. The password is asked twice. TLS is required "
	    "and the certificate checked as at login: a saved account with "
	    "the same JID, or else the account you are logged in with if it "
	    "is on the same server, lends its server, port, tls and "
	    "tls_fingerprint. "
	    "Servers that want more than a user name and a password (a "
	    "CAPTCHA, an e-mail address) are refused with an explanation.",
	.examples = "/register me@example.org\n"
	    "/register me@example.org xmpp.example.org:5222",
	.args = { ARG_NONE, ARG_NONE },
	.exec = cmd_register_exec,
};

void
core_register_event(struct szia *sz, const struct ev *ev)
{
	struct reg_account	 ra;
	struct req		*sent = sz->reg_sent;
	char			*jid, *text, *msg = NULL;

	jid = utf8_safe(ev->reg.jid != NULL ? ev->reg.jid : "?");
	if (!ev->reg.ok) {
		text = utf8_safe(ev->reg.error != NULL ? ev->reg.error :
		    "unknown error");
		if (ev->reg.refused_fp != NULL)
			core_error(sz, NULL, "Registration of %s failed: %s; "
			    "its SHA-256 fingerprint is %s (to trust it: "
			    "/account add NAME %s, /account set NAME "
			    "tls_fingerprint %s, then /register again).", jid,
			    text, ev->reg.refused_fp, jid, ev->reg.refused_fp);
		else
			core_error(sz, NULL, "Registration of %s failed: %s.",
			    jid, text);
		free(text);
		free(jid);
		req_free(sz->reg_sent);
		sz->reg_sent = NULL;
		return;
	}
	core_info(sz, NULL, "Account %s created on the server.", jid);
	free(jid);
	if (sent == NULL || ev->reg.jid == NULL ||
	    strcmp(sent->reg.jid, ev->reg.jid) != 0) {
		core_error(sz, NULL, "The password is no longer known: add "
		    "the account with /account add.");
		return;
	}
	memset(&ra, 0, sizeof ra);
	ra.jid = sent->reg.jid;
	ra.password = sent->reg.password;
	ra.server = sent->reg.server;
	ra.port = sent->reg.port;
	ra.tls = sent->reg.tls;
	ra.fingerprint = sent->reg.fingerprint;
	if (core_save_registered(sz, &ra, &msg) == 0)
		core_info(sz, NULL, "%s", msg);
	else
		core_error(sz, NULL, "%s.", msg);
	free(msg);
	req_free(sz->reg_sent);
	sz->reg_sent = NULL;
}
