/*
 * register.c - XEP-0077 in-band registration (see register.h).
 *
 * raw connect -> stream -> features: STARTTLS (unless direct TLS or
 * tls = plain) -> stream again -> features must offer
 * http://jabber.org/features/iq-register -> iq get jabber:iq:register ->
 * the form (plain fields, or a jabber:x:data form, which wins) -> iq set
 * with username and password -> result or error -> close.
 */
#include <stdlib.h>
#include <string.h>

#include "core/jid.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "xmpp/register.h"
#include "xmpp/xmpp-int.h"

#define NS_FEATURE_REGISTER	"http://jabber.org/features/iq-register"
#define REG_TIMEOUT_MS		60000

struct xreg {
	xmpp_ctx_t	*ctx;
	xmpp_conn_t	*conn;
	char		*local;
	char		*domain;
	char		*password;
	char		*fingerprint;
	enum tls_mode	 tls;
	int		 done;		/* finished (ok or error) */
	int		 ok;
	char		*error;
	char		*refused_fp;
	int		 closed;	/* disconnected */
	uint64_t	 deadline;
};

/* libstrophe's certificate callback has no user data: one at a time. */
static struct xreg *cert_reg;

static void
xreg_fail(struct xreg *r, const char *error)
{
	if (!r->done) {
		r->done = 1;
		r->ok = 0;
		r->error = xstrdup(error);
	}
	if (r->conn != NULL && !r->closed)
		xmpp_disconnect(r->conn);
}

static int
xreg_certfail(const xmpp_tlscert_t *cert, const char *errormsg)
{
	struct xreg	*r = cert_reg;
	char		*fp;

	if (r == NULL)
		return 0;
	fp = xl_cert_fingerprint(r->ctx, xmpp_tlscert_get_pem(cert));
	if (xl_pin_matches(fp, r->fingerprint)) {
		free(fp);
		return 1;
	}
	free(r->refused_fp);
	r->refused_fp = fp;
	if (!r->done) {
		r->done = 1;
		r->error = xasprintf("the server's certificate is not trusted "
		    "(%s)", errormsg != NULL ? errormsg : "unknown reason");
	}
	return 0;
}

static void
xreg_send(struct xreg *r, xmpp_stanza_t *st)
{
	xmpp_send(r->conn, st);
	xmpp_stanza_release(st);
}

/* The error of a failed submission as one line for the user. */
static char *
xreg_error(struct xreg *r, xmpp_stanza_t *st)
{
	xmpp_stanza_t	*err = xmpp_stanza_get_child_by_name(st, "error");
	xmpp_stanza_t	*c, *t;
	const char	*cond = NULL;
	char		*text = NULL, *msg;

	for (c = err != NULL ? xmpp_stanza_get_children(err) : NULL;
	    c != NULL; c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) && strcmp(xmpp_stanza_get_name(c),
		    "text") != 0 && cond == NULL)
			cond = xmpp_stanza_get_name(c);
	}
	if (err != NULL && (t = xmpp_stanza_get_child_by_name(err, "text")) !=
	    NULL)
		text = xmpp_stanza_get_text(t);
	if (cond == NULL)
		cond = "undefined-condition";
	if (strcmp(cond, "conflict") == 0)
		msg = xasprintf("the name %s@%s is already taken", r->local,
		    r->domain);
	else if (strcmp(cond, "not-allowed") == 0 ||
	    strcmp(cond, "forbidden") == 0 ||
	    strcmp(cond, "service-unavailable") == 0 ||
	    strcmp(cond, "registration-required") == 0)
		msg = xasprintf("registration is closed on %s (%s)", r->domain,
		    text != NULL ? text : cond);
	else if (strcmp(cond, "not-acceptable") == 0 ||
	    strcmp(cond, "bad-request") == 0)
		msg = xasprintf("the server did not accept the registration "
		    "(%s)", text != NULL ? text : cond);
	else
		msg = xasprintf("registration failed: %s", text != NULL ? text :
		    cond);
	if (text != NULL)
		xmpp_free(r->ctx, text);
	return msg;
}

static int
xreg_submitted(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	struct xreg	*r = ud;
	const char	*type = xmpp_stanza_get_type(st);
	char		*msg;

	if (type != NULL && strcmp(type, "result") == 0) {
		r->done = 1;
		r->ok = 1;
		xmpp_disconnect(conn);
		return 0;
	}
	msg = xreg_error(r, st);
	xreg_fail(r, msg);
	free(msg);
	return 0;
}

/*
 * Does the form ask for anything besides username and password?  Returns
 * the name of the first such required field, or NULL.  FORM: a data form.
 */
static const char *
xreg_extra_field(xmpp_stanza_t *q, int form)
{
	xmpp_stanza_t	*c;
	const char	*name, *var, *type;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c))
			continue;
		name = xmpp_stanza_get_name(c);
		if (form) {
			if (strcmp(name, "field") != 0)
				continue;
			var = xmpp_stanza_get_attribute(c, "var");
			type = xmpp_stanza_get_attribute(c, "type");
			if (var == NULL || strcmp(var, "username") == 0 ||
			    strcmp(var, "password") == 0 ||
			    strcmp(var, "FORM_TYPE") == 0)
				continue;
			if ((type != NULL && (strcmp(type, "fixed") == 0 ||
			    strcmp(type, "hidden") == 0)) ||
			    xmpp_stanza_get_child_by_name(c, "required") ==
			    NULL)
				continue;
			return var;
		}
		if (strcmp(name, "username") == 0 ||
		    strcmp(name, "password") == 0 ||
		    strcmp(name, "instructions") == 0 ||
		    strcmp(name, "registered") == 0 ||
		    strcmp(name, "x") == 0)
			continue;
		return name;
	}
	return NULL;
}

static int
xreg_form(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	struct xreg	*r = ud;
	const char	*type = xmpp_stanza_get_type(st);
	xmpp_stanza_t	*q, *x, *iq, *nq, *nx;
	const char	*extra;
	char		*msg;
	int		 form;

	if (type == NULL || strcmp(type, "result") != 0) {
		msg = xreg_error(r, st);
		xreg_fail(r, msg);
		free(msg);
		return 0;
	}
	q = xmpp_stanza_get_child_by_ns(st, NS_REGISTER);
	if (q == NULL) {
		xreg_fail(r, "the server sent no registration form");
		return 0;
	}
	x = xmpp_stanza_get_child_by_ns(q, NS_XDATA);
	form = x != NULL;
	if (!form && (xmpp_stanza_get_child_by_name(q, "username") == NULL ||
	    xmpp_stanza_get_child_by_name(q, "password") == NULL)) {
		xreg_fail(r, "the server's registration form asks for no "
		    "username and password");
		return 0;
	}
	if ((extra = xreg_extra_field(form ? x : q, form)) != NULL) {
		msg = xasprintf("the server asks for more than a username and "
		    "a password ('%.40s', e.g. a CAPTCHA or an e-mail address): "
		    "register on its web site or with another client",
		    extra);
		xreg_fail(r, msg);
		free(msg);
		return 0;
	}
	iq = xmpp_iq_new(r->ctx, "set", "reg2");
	xmpp_stanza_set_to(iq, r->domain);
	nq = xs_tag(r->ctx, "query", NS_REGISTER);
	if (form) {
		nx = xs_tag(r->ctx, "x", NS_XDATA);
		xmpp_stanza_set_type(nx, "submit");
		xs_field(nx, "FORM_TYPE", NULL, NS_REGISTER);
		xs_field(nx, "username", NULL, r->local);
		xs_field(nx, "password", NULL, r->password);
		xmpp_stanza_add_child(nq, nx);
		xmpp_stanza_release(nx);
	} else {
		xs_text_child(nq, "username", r->local);
		xs_text_child(nq, "password", r->password);
	}
	xmpp_stanza_add_child(iq, nq);
	xmpp_stanza_release(nq);
	xmpp_id_handler_add(conn, xreg_submitted, "reg2", r);
	xreg_send(r, iq);
	return 0;
}

static int
xreg_proceed(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	struct xreg	*r = ud;

	if (strcmp(xmpp_stanza_get_name(st), "proceed") != 0) {
		xreg_fail(r, "the server refused STARTTLS");
		return 0;
	}
	if (xmpp_conn_tls_start(conn) != 0) {
		if (!r->done)
			xreg_fail(r, "the TLS handshake failed");
		else
			xmpp_disconnect(conn);
		return 0;
	}
	xmpp_conn_open_stream_default(conn);
	return 0;
}

/*
 * A fingerprint given binds even when the CAs vouch for the certificate
 * (xreg_certfail() is asked only when they do not): 0 if the peer's
 * matches or none was given, else -1 after xreg_fail().
 */
static int
xreg_check_pin(struct xreg *r, xmpp_conn_t *conn)
{
	xmpp_tlscert_t	*cert;
	char		*fp = NULL, *why;
	int		 rc = 0;

	if (r->fingerprint == NULL || !xmpp_conn_is_secured(conn))
		return 0;
	if ((cert = xmpp_conn_get_peer_cert(conn)) != NULL) {
		fp = xl_cert_fingerprint(r->ctx, xmpp_tlscert_get_pem(cert));
		xmpp_tlscert_free(cert);
	}
	if (!xl_pin_matches(fp, r->fingerprint)) {
		why = xasprintf("the server's certificate (SHA-256 %s) is not "
		    "the one given (%s)", fp != NULL ? fp : "unreadable",
		    r->fingerprint);
		xreg_fail(r, why);
		free(why);
		rc = -1;
	}
	free(fp);
	return rc;
}

static int
xreg_features(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	struct xreg	*r = ud;
	xmpp_stanza_t	*c, *iq, *q;

	if (xreg_check_pin(r, conn) != 0)
		return 0;

	c = xmpp_stanza_get_child_by_name(st, "starttls");
	if (!xmpp_conn_is_secured(conn) && r->tls != TLS_PLAIN) {
		if (c == NULL || xmpp_stanza_get_ns(c) == NULL ||
		    strcmp(xmpp_stanza_get_ns(c), XMPP_NS_TLS) != 0) {
			xreg_fail(r, "the server offers no TLS");
			return 0;
		}
		xmpp_handler_add(conn, xreg_proceed, XMPP_NS_TLS, NULL, NULL,
		    r);
		xreg_send(r, xs_tag(r->ctx, "starttls", XMPP_NS_TLS));
		return 0;
	}
	c = xmpp_stanza_get_child_by_ns(st, NS_FEATURE_REGISTER);
	if (c == NULL) {
		xreg_fail(r, "registration is closed: the server does not "
		    "offer in-band registration (XEP-0077)");
		return 0;
	}
	iq = xmpp_iq_new(r->ctx, "get", "reg1");
	xmpp_stanza_set_to(iq, r->domain);
	q = xs_tag(r->ctx, "query", NS_REGISTER);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xmpp_id_handler_add(conn, xreg_form, "reg1", r);
	xreg_send(r, iq);
	return 0;
}

static int
xreg_stream_error(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	xreg_fail(ud, "the server closed the stream with an error");
	return 0;
}

static void
xreg_conn(xmpp_conn_t *conn, xmpp_conn_event_t status, int error,
    xmpp_stream_error_t *se, void *ud)
{
	struct xreg	*r = ud;

	if (status == XMPP_CONN_RAW_CONNECT) {
		/* XEP-0368: TLS first; a raw connection leaves it to us. */
		if (r->tls == TLS_DIRECT && !xmpp_conn_is_secured(conn) &&
		    xmpp_conn_tls_start(conn) != 0) {
			xreg_fail(r, r->refused_fp != NULL ? "the server's "
			    "certificate is not trusted" : "the TLS handshake "
			    "failed");
			return;
		}
		xmpp_conn_open_stream_default(conn);
		return;
	}
	if (status == XMPP_CONN_CONNECT) {
		/* Each (re)opened stream: its features, once. */
		xmpp_handler_delete(conn, xreg_stream_error);
		xmpp_handler_delete(conn, xreg_features);
		xmpp_handler_add(conn, xreg_stream_error, XMPP_NS_STREAMS,
		    "error", NULL, r);
		xmpp_handler_add(conn, xreg_features, XMPP_NS_STREAMS,
		    "features", NULL, r);
		return;
	}
	r->closed = 1;
	if (!r->done) {
		r->done = 1;
		r->error = error != 0 ? xasprintf("cannot reach the server: %s",
		    strerror(error)) : xstrdup("the server closed the "
		    "connection");
	}
}

static struct xreg *
xreg_start(xmpp_ctx_t *ctx, const struct reg_params *p)
{
	struct xreg	*r = xcalloc(1, sizeof *r);
	struct jid	*j;
	char		*cause = NULL, *host;
	long		 flags = 0;
	int		 port;

	r->ctx = ctx;
	r->deadline = clock_now_ms() + REG_TIMEOUT_MS;
	if ((j = jid_parse(p->jid, &cause)) == NULL || j->local == NULL) {
		r->done = r->closed = 1;
		r->error = cause != NULL ? cause : xstrdup("a JID with a user "
		    "name is needed (user@server)");
		jid_free(j);
		return r;
	}
	r->local = xstrdup(j->local);
	r->domain = xstrdup(j->domain);
	jid_free(j);
	r->password = xstrdup(p->password);
	r->fingerprint = xstrdup_or_null(p->fingerprint);
	r->tls = p->tls;
	r->conn = xmpp_conn_new(ctx);
	if (p->tls == TLS_PLAIN)
		flags = XMPP_CONN_FLAG_DISABLE_TLS;
	xmpp_conn_set_flags(r->conn, flags);
	xmpp_conn_set_jid(r->conn, r->domain);
	xmpp_conn_set_certfail_handler(r->conn, xreg_certfail);
	cert_reg = r;
	host = xstrdup_or_null(p->server);
	port = p->port;
	/* As at login: direct TLS goes where _xmpps-client points. */
	if (p->tls == TLS_DIRECT && port == 0 && (host != NULL ||
	    srv_lookup("xmpps-client", r->domain, &host, &port) != 0))
		port = 5223;	/* no record or no port: 5223 */
	if (xmpp_connect_raw(r->conn, host, port > 0 ? port : 0, xreg_conn,
	    r) != XMPP_EOK) {
		r->done = r->closed = 1;
		r->error = xstrdup("cannot resolve or reach the server");
	}
	free(host);
	return r;
}

static void
xreg_free(struct xreg *r)
{
	if (r == NULL)
		return;
	if (cert_reg == r)
		cert_reg = NULL;
	if (r->conn != NULL)
		xmpp_conn_release(r->conn);
	if (r->password != NULL)
		explicit_bzero(r->password, strlen(r->password));
	free(r->password);
	free(r->local);
	free(r->domain);
	free(r->fingerprint);
	free(r->error);
	free(r->refused_fp);
	free(r);
}

/* One turn; 1 while not finished. */
static int
xreg_step(struct xreg *r)
{
	if (!r->done && clock_now_ms() > r->deadline)
		xreg_fail(r, "the server did not answer in time");
	if (r->done && (r->closed || r->conn == NULL))
		return 0;
	if (r->done && clock_now_ms() > r->deadline + 5000)
		return 0;		/* the close hangs: give up on it */
	return 1;
}

int
register_blocking(const struct reg_params *p, char **error,
    char **refused_fp)
{
	xmpp_ctx_t	*ctx;
	struct xreg	*r;
	int		 ok;

	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	r = xreg_start(ctx, p);
	while (xreg_step(r))
		xmpp_run_once(ctx, 100);
	ok = r->done && r->ok;
	*error = ok ? NULL : xstrdup(r->error != NULL ? r->error :
	    "registration failed");
	*refused_fp = xstrdup_or_null(r->refused_fp);
	xreg_free(r);
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	return ok ? 0 : -1;
}

/* --- /register from the main loop ------------------------------------- */

void
xl_register_request(struct xmpp_link *xl, struct req *q)
{
	struct reg_params	p;
	struct ev		ev;

	if (xl->reg != NULL) {
		memset(&ev, 0, sizeof ev);
		ev.type = EV_REGISTER;
		ev.reg.jid = q->reg.jid;
		ev.reg.error = "a registration is already under way";
		core_handle(xl->sz, &ev);
		return;
	}
	memset(&p, 0, sizeof p);
	p.jid = q->reg.jid;
	p.password = q->reg.password;
	p.server = q->reg.server;
	p.port = q->reg.port;
	p.tls = q->reg.tls;
	p.fingerprint = q->reg.fingerprint;
	xl->reg = xreg_start(xl->ctx, &p);
	free(xl->reg_jid);
	xl->reg_jid = xstrdup(q->reg.jid);
}

int
xl_register_timeout(struct xmpp_link *xl)
{
	return xl->reg != NULL ? 50 : -1;
}

void
xl_register_run(struct xmpp_link *xl)
{
	struct xreg	*r = xl->reg;
	struct ev	 ev;

	if (r == NULL)
		return;
	/* Without a session, nobody else runs the shared context. */
	if (xl->conn == NULL)
		xmpp_run_once(xl->ctx, 0);
	if (xreg_step(r))
		return;
	xl->reg = NULL;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_REGISTER;
	ev.reg.jid = xl->reg_jid;
	ev.reg.ok = r->ok;
	ev.reg.error = r->ok ? NULL : r->error != NULL ? r->error :
	    "registration failed";
	ev.reg.refused_fp = r->refused_fp;
	core_handle(xl->sz, &ev);
	xreg_free(r);
	free(xl->reg_jid);
	xl->reg_jid = NULL;
}

void
xl_register_free(struct xmpp_link *xl)
{
	xreg_free(xl->reg);
	xl->reg = NULL;
	free(xl->reg_jid);
	xl->reg_jid = NULL;
}
