/*
 * session.c - the connection's life (see session.h).
 *
 * States: OFFLINE -> CONNECTING -> ONLINE; a connection that was online and
 * is lost goes to WAITING and is retried after session_backoff(): 1, 2, 4,
 * ... seconds up to reconnect.max, each multiplied by a random factor in
 * [0.5, 1.5) so that many clients cut off together do not return together.
 * Errors that retrying cannot fix (wrong password, untrusted certificate,
 * resource conflict, no TLS offered) stop at OFFLINE with one line saying
 * what to do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/jid.h"
#include "core/room.h"
#include "core/session.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void	session_start(struct szia *);

const char *
conn_error_text(enum conn_error e)
{
	switch (e) {
	case ERR_NONE:
		return "disconnected";
	case ERR_AUTH:
		return "wrong password or account does not exist";
	case ERR_HOST:
		return "unknown host";
	case ERR_REFUSED:
		return "connection refused";
	case ERR_TLS:
		return "TLS failure";
	case ERR_CERT:
		return "certificate not trusted";
	case ERR_CONFLICT:
		return "logged in elsewhere with the same resource";
	case ERR_STREAM:
		return "stream error";
	case ERR_LOST:
		return "connection lost";
	case ERR_PLAINTEXT:
		return "server does not offer TLS";
	}
	return "error";
}

void
session_free(struct session *s)
{
	if (s->password != NULL)
		explicit_bzero(s->password, strlen(s->password));
	free(s->account);
	free(s->jid);
	free(s->bare);
	free(s->bound);
	free(s->password);
	free(s->server);
	free(s->fingerprint);
	free(s->refused_fp);
	free(s->status);
	free(s->saved_status);
	free(s->ping_id);
	memset(s, 0, sizeof *s);
	s->show = SHOW_ONLINE;
}

uint64_t
session_backoff(unsigned attempt, long max_seconds)
{
	uint64_t	base = 1000;

	while (attempt-- > 0 && base < (uint64_t)max_seconds * 1000)
		base *= 2;
	if (base > (uint64_t)max_seconds * 1000)
		base = (uint64_t)max_seconds * 1000;
	base = base / 2 + rand_uniform((uint32_t)base);
	return base > (uint64_t)max_seconds * 1000 ?
	    (uint64_t)max_seconds * 1000 : base;
}

/* Run the account's eval_password command; first line of its output. */
char *
session_eval_password(const char *command, char **cause)
{
	FILE	*p;
	char	 buf[1024], *nl;
	int	 status;

	if ((p = popen(command, "r")) == NULL) {
		*cause = xasprintf("eval_password: %s", strerror(errno));
		return NULL;
	}
	if (fgets(buf, sizeof buf, p) == NULL)
		buf[0] = '\0';
	status = pclose(p);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explicit_bzero(buf, sizeof buf);
		*cause = xasprintf("eval_password command failed: %s", command);
		return NULL;
	}
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	if (buf[0] == '\0') {
		*cause = xasprintf("eval_password command printed nothing: %s",
		    command);
		return NULL;
	}
	nl = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return nl;
}

static void
session_password_entered(struct szia *sz, const char *answer)
{
	if (answer == NULL || *answer == '\0') {
		core_info(sz, windows_console(&sz->windows),
		    "Connection cancelled.");
		sz->session.state = CONN_OFFLINE;
		sz->dirty |= DIRTY_STATUS;
		return;
	}
	str_replace(&sz->session.password, answer);
	session_start(sz);
}

int
session_connect(struct szia *sz, const char *name, const char *server,
    int port)
{
	struct session	*s = &sz->session;
	struct account	*a;
	struct jid	*j;
	char		*cause = NULL, *prompt, *status;
	const char	*jid;
	enum show	 show;

	if (s->state == CONN_ONLINE || s->state == CONN_CONNECTING) {
		core_error(sz, NULL, "Already %s as %s: /disconnect first.",
		    s->state == CONN_ONLINE ? "connected" : "connecting",
		    s->jid);
		return -1;
	}
	if ((a = accounts_find(&sz->accounts, name)) == NULL)
		a = accounts_find_jid(&sz->accounts, name);
	jid = a != NULL ? a->jid : name;
	if ((j = jid_parse(jid, &cause)) == NULL || j->local == NULL) {
		core_error(sz, NULL, "Cannot connect: '%s' is not an account "
		    "name or a JID like user@example.org%s%s.", name,
		    cause != NULL ? ": " : "", cause != NULL ? cause : "");
		free(cause);
		jid_free(j);
		return -1;
	}
	/* The presence chosen while offline is kept for this login. */
	show = s->show;
	status = s->status;
	s->status = NULL;
	session_free(s);
	s->show = show;
	s->status = status;
	s->account = xstrdup(a != NULL ? a->name : j->bare);
	s->bare = xstrdup(j->bare);
	if (j->resource == NULL && a != NULL && a->resource != NULL)
		s->jid = xasprintf("%s/%s", j->bare, a->resource);
	else
		s->jid = xstrdup(j->full);
	jid_free(j);
	if (a != NULL) {
		s->server = xstrdup_or_null(a->server);
		s->port = a->port;
		s->tls = a->tls;
		s->fingerprint = xstrdup_or_null(a->tls_fingerprint);
	}
	if (server != NULL)
		str_replace(&s->server, server);
	if (port != 0)
		s->port = port;
	if (a != NULL && a->password != NULL && *a->password != '\0')
		s->password = xstrdup(a->password);
	else if (a != NULL && a->eval_password != NULL) {
		s->password = session_eval_password(a->eval_password, &cause);
		if (s->password == NULL) {
			core_error(sz, NULL, "Cannot connect: %s", cause);
			free(cause);
			return -1;
		}
	}
	if (s->tls == TLS_PLAIN)
		core_error(sz, NULL, "Warning: account %s has tls = plain: the "
		    "password and every message cross the network "
		    "unencrypted.", s->account);
	if (s->password == NULL) {
		s->state = CONN_CONNECTING;
		prompt = xasprintf("Password for %s: ", s->bare);
		core_prompt(sz, prompt, 1, session_password_entered);
		free(prompt);
		return 0;
	}
	session_start(sz);
	return 0;
}

/* Queue the connect request with the session's parameters. */
static void
session_start(struct szia *sz)
{
	struct session	*s = &sz->session;
	struct req	*r;
	char		*cause = NULL;

	if (sz->log != NULL && sz->log->open(sz->log_ctx, s->account,
	    &cause) != 0) {
		core_error(sz, NULL, "Message log unavailable: %s", cause);
		free(cause);
	}
	r = req_new(REQ_CONNECT);
	r->connect.jid = xstrdup(s->jid);
	r->connect.password = xstrdup(s->password);
	r->connect.server = xstrdup_or_null(s->server);
	r->connect.port = s->port;
	r->connect.tls = s->tls;
	r->connect.fingerprint = xstrdup_or_null(s->fingerprint);
	outbox_push(&sz->outbox, r);
	s->state = CONN_CONNECTING;
	sz->dirty |= DIRTY_STATUS;
	core_info(sz, windows_console(&sz->windows), "Connecting as %s%s%s...",
	    s->jid, s->server != NULL ? " via " : "",
	    s->server != NULL ? s->server : "");
}

void
session_on_connecting(struct szia *sz)
{
	sz->session.state = CONN_CONNECTING;
	sz->dirty |= DIRTY_STATUS;
}

void
session_on_connected(struct szia *sz, const char *bound)
{
	struct session	*s = &sz->session;
	char		*safe = utf8_safe(bound);

	s->state = CONN_ONLINE;
	s->attempts = 0;
	s->last_error = ERR_NONE;
	str_replace(&s->bound, safe);
	core_info(sz, windows_console(&sz->windows), "Connected as %s.",
	    safe);
	free(safe);
	session_send_presence(sz);
	sz->dirty |= DIRTY_STATUS | DIRTY_TITLE;
}

static int
session_retryable(enum conn_error e)
{
	switch (e) {
	case ERR_LOST:
	case ERR_REFUSED:
	case ERR_HOST:
	case ERR_STREAM:
	case ERR_TLS:
		return 1;
	default:
		return 0;
	}
}

void
session_on_disconnected(struct szia *sz, enum conn_error e, const char *text)
{
	struct session	*s = &sz->session;
	struct window	*con = windows_console(&sz->windows);
	int		 was_online = s->state == CONN_ONLINE;
	int		 was_retrying = s->attempts > 0;
	char		*detail = utf8_safe(text);
	uint64_t	 delay;

	roster_all_offline(&sz->roster);
	free(s->bound);
	s->bound = NULL;
	s->last_error = e;
	sz->dirty |= DIRTY_STATUS | DIRTY_ROSTER | DIRTY_TITLE;
	if (e == ERR_NONE || s->state == CONN_OFFLINE) {
		if (s->state != CONN_OFFLINE)
			core_info(sz, con, "Disconnected.");
		s->state = CONN_OFFLINE;
		free(detail);
		return;
	}
	if ((was_online || was_retrying) && session_retryable(e)) {
		delay = session_backoff(s->attempts,
		    settings_num(&sz->settings, SET_RECONNECT_MAX));
		s->attempts++;
		s->state = CONN_WAITING;
		s->retry_at = sz->now + delay;
		core_error(sz, con, "%s%s%s: reconnecting in %.1f s.",
		    conn_error_text(e), *detail != '\0' ? ": " : "", detail,
		    delay / 1000.0);
		free(detail);
		return;
	}
	s->state = CONN_OFFLINE;
	switch (e) {
	case ERR_AUTH:
		core_error(sz, con, "Login failed for %s: wrong password or "
		    "no such account.", s->bare);
		if (s->password != NULL)
			explicit_bzero(s->password, strlen(s->password));
		free(s->password);
		s->password = NULL;
		break;
	case ERR_CERT:
		/* session_on_cert() already explained. */
		break;
	case ERR_CONFLICT:
		core_error(sz, con, "Disconnected: %s logged in elsewhere with "
		    "the same resource; not reconnecting.", s->bare);
		break;
	case ERR_PLAINTEXT:
		core_error(sz, con, "Cannot connect: the server does not offer "
		    "TLS (set tls = plain for the account only if you accept "
		    "an unencrypted connection).");
		break;
	default:
		core_error(sz, con, "Cannot connect as %s: %s%s%s.", s->bare,
		    conn_error_text(e), *detail != '\0' ? ": " : "", detail);
		break;
	}
	free(detail);
}

void
session_on_cert(struct szia *sz, const struct ev *ev)
{
	struct session	*s = &sz->session;
	struct window	*con = windows_console(&sz->windows);
	char		*fp = utf8_safe(ev->cert.fingerprint);
	char		*why = utf8_safe(ev->cert.reason);

	str_replace(&s->refused_fp, fp);
	if (s->fingerprint != NULL && strcmp(s->fingerprint, fp) != 0) {
		core_error(sz, con, "WARNING: the certificate of %s CHANGED "
		    "since you trusted it. Someone may be intercepting the "
		    "connection. Trusted SHA-256: %s", s->bare, s->fingerprint);
		core_error(sz, con, "Offered SHA-256: %s. Connection refused; "
		    "only if you expected this change, type /tls trust.", fp);
	} else {
		core_error(sz, con, "The certificate of %s is not trusted "
		    "(%s). SHA-256 fingerprint: %s", s->bare,
		    *why != '\0' ? why : "unknown issuer", fp);
		core_error(sz, con, "Compare it with the one your server's "
		    "admin published, then type /tls trust to trust it for "
		    "this account, or /tls deny.");
	}
	free(fp);
	free(why);
}

int
session_trust(struct szia *sz, char **cause)
{
	struct session	*s = &sz->session;
	struct account	*a;

	if (s->refused_fp == NULL) {
		*cause = xstrdup("no certificate is waiting for a decision");
		return -1;
	}
	if ((a = accounts_find(&sz->accounts, s->account)) == NULL &&
	    (a = accounts_find_jid(&sz->accounts, s->bare)) == NULL)
		a = accounts_add(&sz->accounts, s->account, s->bare, cause);
	if (a == NULL)
		return -1;
	if (account_set(a, "tls_fingerprint", s->refused_fp, cause) != 0 ||
	    accounts_save(&sz->accounts, cause) != 0)
		return -1;
	str_replace(&s->fingerprint, s->refused_fp);
	free(s->refused_fp);
	s->refused_fp = NULL;
	core_info(sz, NULL, "Trusted certificate %s for account %s.",
	    s->fingerprint, a->name);
	if (s->state == CONN_OFFLINE && s->password != NULL)
		session_start(sz);
	else if (s->state == CONN_OFFLINE)
		return session_connect(sz, a->name, NULL, 0);
	return 0;
}

int
session_deny(struct szia *sz, char **cause)
{
	struct session	*s = &sz->session;

	if (s->refused_fp == NULL) {
		*cause = xstrdup("no certificate is waiting for a decision");
		return -1;
	}
	core_info(sz, NULL, "Certificate %s not trusted; staying "
	    "disconnected.", s->refused_fp);
	free(s->refused_fp);
	s->refused_fp = NULL;
	return 0;
}

int
session_priority(struct szia *sz)
{
	struct session	*s = &sz->session;
	struct account	*a = NULL;

	if (s->account != NULL)
		a = accounts_find(&sz->accounts, s->account);
	if (a == NULL && s->bare != NULL)
		a = accounts_find_jid(&sz->accounts, s->bare);
	if (a != NULL && a->has_priority)
		return a->priority;
	return (int)settings_num(&sz->settings, SET_PRIORITY);
}

void
session_send_presence(struct szia *sz)
{
	struct session	*s = &sz->session;
	struct req	*r;

	if (s->state != CONN_ONLINE)
		return;
	r = req_new(REQ_PRESENCE);
	r->presence.show = s->show;
	r->presence.status = xstrdup_or_null(s->status);
	r->presence.priority = session_priority(sz);
	outbox_push(&sz->outbox, r);
	room_send_presence(sz);		/* [muc] rooms see it too */
	sz->dirty |= DIRTY_STATUS;
}

static uint64_t
session_idle_limit(const struct szia *sz)
{
	return (uint64_t)settings_num(&sz->settings, SET_AUTOAWAY_MINUTES) *
	    60000;
}

void
session_tick(struct szia *sz, uint64_t now)
{
	struct session	*s = &sz->session;
	uint64_t	 limit = session_idle_limit(sz);

	if (s->state == CONN_WAITING)
		sz->dirty |= DIRTY_STATUS;	/* the countdown */
	if (s->state == CONN_WAITING && now >= s->retry_at) {
		core_info(sz, windows_console(&sz->windows),
		    "Reconnecting (attempt %u)...", s->attempts);
		session_start(sz);
	}
	if (s->state == CONN_ONLINE && limit > 0 && !s->auto_away &&
	    (s->show == SHOW_ONLINE || s->show == SHOW_CHAT) &&
	    now - sz->last_activity >= limit) {
		s->auto_away = s->show == SHOW_CHAT ? 2 : 1;
		s->show = SHOW_AWAY;
		free(s->saved_status);
		s->saved_status = s->status;
		s->status = NULL;
		str_replace(&s->status, settings_str(&sz->settings,
		    SET_AUTOAWAY_MESSAGE));
		session_send_presence(sz);
		core_info(sz, windows_console(&sz->windows), "Idle for %ld "
		    "minutes: now away.", settings_num(&sz->settings,
		    SET_AUTOAWAY_MINUTES));
	}
}

int
session_timeout(const struct szia *sz, uint64_t now)
{
	const struct session	*s = &sz->session;
	uint64_t		 limit = session_idle_limit(sz), at = 0;

	if (s->state == CONN_WAITING) {
		/* Wake each second for the status bar's countdown. */
		at = s->retry_at;
		if (at > now + 1000)	/* when the shown seconds change */
			at = now + ((at - now) % 1000 ? (at - now) % 1000 :
			    1000);
	}
	if (s->state == CONN_ONLINE && limit > 0 && !s->auto_away &&
	    (s->show == SHOW_ONLINE || s->show == SHOW_CHAT)) {
		if (at == 0 || sz->last_activity + limit < at)
			at = sz->last_activity + limit;
	}
	if (at == 0)
		return -1;
	if (at <= now)
		return 0;
	return at - now > 3600000 ? 3600000 : (int)(at - now);
}

void
session_activity(struct szia *sz, uint64_t now)
{
	struct session	*s = &sz->session;

	sz->last_activity = now;
	if (!s->auto_away)
		return;
	s->show = s->auto_away == 2 ? SHOW_CHAT : SHOW_ONLINE;
	s->auto_away = 0;
	free(s->status);
	s->status = s->saved_status;
	s->saved_status = NULL;
	session_send_presence(sz);
	core_info(sz, windows_console(&sz->windows), "Back from idle: now %s.",
	    show_name(s->show));
}
