/*
 * conn.c - the libstrophe context and connection: connect, TLS trust,
 * errors, keepalive and the drain loop (see xmpp.h).
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "core/jid.h"
#include "util/clock.h"
#include "util/dns.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

/*
 * libstrophe 0.12.2 loses the bound JID that its bind handler (auth.c,
 * _handle_bind) allocates, when a stream-management resumption fails or
 * is abandoned.  Under LeakSanitizer szia marks that one object, which it
 * sees as xmpp_conn_get_bound_jid() once connected, as not a leak; every
 * other allocation stays checked, szia's own xmpp_stanza_get_text()
 * results included.  (tests/lib/lsan.supp cannot name _handle_bind: the
 * Debian library has no symbols for its static functions.)
 */
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer) || \
    __has_feature(leak_sanitizer)
#include <sanitizer/lsan_interface.h>
#define XL_LSAN_IGNORE(p)	__lsan_ignore_object(p)
#else
#define XL_LSAN_IGNORE(p)	((void)(p))
#endif

/* How long a keepalive ping may go unanswered: at most 30 s. */
#define KEEPALIVE_TIMEOUT_MS	30000

/*
 * libstrophe's certificate callback gets no user data, only the
 * certificate; szia has one link per process, so the link being
 * connected is remembered here for it.
 */
static struct xmpp_link *cert_link;

/*
 * Nothing that says we have a message may leave before the message is in
 * the log.  libstrophe queues what is sent and writes its queue at the
 * start of the next xmpp_run_once(), and xl_run() calls that in a loop
 * before the turn's commit: so a stanza sent from a handler, or the <a/>
 * with which libstrophe itself answers the server's stream-management
 * <r/> while parsing, would be out before the messages parsed with it
 * are written.  Commit first.  It is a no-op when nothing is waiting, and
 * otherwise costs one transaction per such stanza, not per message.
 */
static void
xl_commit_barrier(struct xmpp_link *xl)
{
	core_flush(xl->sz);
}

static void
xl_default_send(struct xmpp_link *xl, xmpp_stanza_t *stanza)
{
	if (xl->conn != NULL && xl->online) {
		xl_commit_barrier(xl);
		xmpp_send(xl->conn, stanza);
	}
}

static void
xl_strophe_log(void *userdata, xmpp_log_level_t level, const char *area,
    const char *msg)
{
	struct xmpp_link	*xl = userdata;
	const char		*p;

	/*
	 * libstrophe 0.12 reports a refused login and the socket error of a
	 * failed connect only through its log (the connection handler gets
	 * error 0), so take them from there.
	 */
	if (strcmp(area, "auth") == 0 && level >= XMPP_LEVEL_WARN &&
	    strstr(msg, "authenticate") != NULL)
		xl->auth_failed = 1;
	if (strcmp(area, "xmpp") == 0 && strstr(msg, "SASL") != NULL &&
	    strstr(msg, "auth failed") != NULL)
		xl->auth_failed = 1;
	if ((p = strstr(msg, "connection failed, error ")) != NULL)
		xl->sock_error = atoi(p + strlen("connection failed, error "));
	/* TLS: the handshake failed (keep OpenSSL's reason), the server
	 * offers no TLS, or requires it while the account says plain. */
	if (strcmp(area, "tls") == 0 && strncmp(msg, "error:", 6) == 0) {
		free(xl->tls_detail);
		xl->tls_detail = xstrdup(strrchr(msg, ':') + 1);
	}
	if (strstr(msg, "Couldn't start TLS") != NULL)
		xl->tls_failed = 1;
	if (strstr(msg, "TLS is not supported") != NULL)
		xl->no_tls = 1;
	/* Malformed XML: libstrophe answers with a stream error but keeps
	 * the connection; xl_run() closes it. */
	if (strcmp(area, "xmpp") == 0 && strncmp(msg, "parse error", 11) == 0 &&
	    xl->bad_xml == 0)
		xl->bad_xml = 1;
	if (xl->plain && strstr(msg, "RECV: <features") != NULL &&
	    strstr(msg, "<starttls") != NULL && strstr(msg, "<required/>") != NULL)
		xl->tls_required = 1;
	if (strncmp(msg, "RECV: ", 6) == 0) {	/* [sync] */
		/* Logged before libstrophe handles it and answers <a/>. */
		if (strncmp(msg + 6, "<r ", 3) == 0 && strstr(msg, NS_SM) !=
		    NULL)
			xl_commit_barrier(xl);
		xsync_features(xl, msg + 6);
		xsm_log(xl, msg + 6);
	} else if (strncmp(msg, "SENT: ", 6) == 0)
		xsm_sent(xl, msg + 6);
	/* [files] a password change carries the new password in clear. */
	if (strstr(msg, NS_REGISTER) != NULL && strstr(msg, "<password") !=
	    NULL)
		log_debug("strophe %s: (a jabber:iq:register stanza with a "
		    "password: not logged)", area);
	else if (level >= XMPP_LEVEL_WARN)
		log_warn("strophe %s: %s", area, msg);
	else
		log_debug("strophe %s: %.400s", area, msg);
}

static xmpp_log_t xl_logger = { xl_strophe_log, NULL };

struct xmpp_link *
xl_new(struct szia *sz)
{
	struct xmpp_link	*xl = xcalloc(1, sizeof *xl);

	xl->sz = sz;
	xl->fd = -1;
	xl->send = xl_default_send;
	xmpp_initialize();
	xl_logger.userdata = xl;
	xl->ctx = xmpp_ctx_new(NULL, &xl_logger);
	xmpp_ctx_set_verbosity(xl->ctx, 0);
	return xl;
}

static void
xl_release_conn(struct xmpp_link *xl)
{
	if (xl->conn != NULL) {
		xsm_take(xl);	/* [sync] outside libstrophe's handlers */
		xmpp_conn_release(xl->conn);
	}
	xl->conn = NULL;
	xl->fd = -1;
	xl->tcp_pending = 0;
	xl->online = 0;
	iqtrack_clear(xl);
	xsync_clear(xl);	/* [sync] */
	free(xl->keepalive_id);
	xl->keepalive_id = NULL;
	if (cert_link == xl)
		cert_link = NULL;
}

void
xl_free(struct xmpp_link *xl)
{
	if (xl == NULL)
		return;
	if (xl->conn != NULL && xmpp_conn_is_connected(xl->conn)) {
		if (!xl->closing)
			xmpp_disconnect(xl->conn);
		xl->closing = 1;
		/* Let the stream close go out; bounded. */
		for (int i = 0; i < 20 && xl->conn != NULL &&
		    !xmpp_conn_is_disconnected(xl->conn); i++)
			xmpp_run_once(xl->ctx, 50);
	}
	xl_release_conn(xl);
	xl_upload_free(xl);
	xl_register_free(xl);
	xsm_free(xl);		/* [sync] */
	xmpp_ctx_free(xl->ctx);
	xmpp_shutdown();
	free(xl->fingerprint);
	free(xl->tls_detail);
	free(xl->bare);
	free(xl->domain);
	free(xl->bound);
	free(xl);
}

int
xl_active(struct xmpp_link *xl)
{
	return xl->conn != NULL;
}

static int
xl_sockopt(xmpp_conn_t *conn, void *sock)
{
	if (cert_link != NULL && cert_link->conn == conn) {
		cert_link->fd = *(int *)sock;
		cert_link->tcp_pending = 1;	/* connect() in progress */
	}
	return xmpp_sockopt_cb_keepalive(conn, sock);
}

/*
 * SHA-256 of the certificate's DER, from its PEM.  The digest is OpenSSL's,
 * the library libstrophe does TLS with (libstrophe 0.12.2 has no SHA-256
 * fingerprint of its own).
 */
char *
xl_cert_fingerprint(xmpp_ctx_t *ctx, const char *pem)
{
	const char	*begin, *end;
	unsigned char	*der = NULL;
	size_t		 derlen = 0;
	unsigned char	 digest[EVP_MAX_MD_SIZE];
	unsigned int	 dlen = 0;
	char		*b64, *fp = NULL;
	size_t		 i, n = 0;

	if (pem == NULL || (begin = strstr(pem, "-----BEGIN")) == NULL ||
	    (begin = strchr(begin, '\n')) == NULL ||
	    (end = strstr(begin, "-----END")) == NULL)
		return NULL;
	b64 = xmalloc(end - begin + 1);
	for (i = 0; begin + i < end; i++) {
		if (strchr("\r\n \t", begin[i]) == NULL)
			b64[n++] = begin[i];
	}
	b64[n] = '\0';
	xmpp_base64_decode_bin(ctx, b64, n, &der, &derlen);
	free(b64);
	if (der == NULL)
		return NULL;
	if (EVP_Digest(der, derlen, digest, &dlen, EVP_sha256(), NULL) == 1)
		fp = str_hex_pairs(digest, dlen);
	xmpp_free(ctx, der);
	return fp;
}

static int
xl_certfail(const xmpp_tlscert_t *cert, const char *errormsg)
{
	struct xmpp_link	*xl = cert_link;
	struct ev		 ev;
	char			*fp;

	if (xl == NULL)
		return 0;
	fp = xl_cert_fingerprint(xl->ctx, xmpp_tlscert_get_pem(cert));
	if (fp == NULL) {
		log_warn("certfail: cannot read the certificate");
		xl->cert_refused = 1;
		return 0;
	}
	if (xl_pin_matches(fp, xl->fingerprint)) {
		log_info("certificate %s trusted by the user", fp);
		free(fp);
		return 1;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CERT_UNTRUSTED;
	ev.cert.fingerprint = fp;
	ev.cert.subject = xmpp_tlscert_get_string(cert, XMPP_CERT_SUBJECT);
	ev.cert.reason = errormsg;
	core_handle(xl->sz, &ev);
	xl->cert_refused = 1;
	free(fp);
	return 0;
}

int
xl_pin_matches(const char *fp, const char *pin)
{
	return fp != NULL && pin != NULL && strcasecmp(fp, pin) == 0;
}

/*
 * A pinned certificate (the account's tls_fingerprint) binds even when the
 * system's CAs vouch for the one offered: libstrophe asks xl_certfail()
 * only when they do not.  So once TLS is up, and before the next
 * xmpp_run_once() writes anything (stream header, credentials), the
 * certificate is compared with the pin; on a mismatch the socket is shut
 * at once, so nothing queued leaves, and the user hears of both
 * fingerprints (EV_CERT_UNTRUSTED).
 */
static void
xl_check_pin(struct xmpp_link *xl)
{
	xmpp_tlscert_t	*cert;
	struct ev	 ev;
	char		*fp = NULL;

	if (xl->pin_checked || xl->conn == NULL ||
	    !xmpp_conn_is_secured(xl->conn))
		return;
	xl->pin_checked = 1;
	if (xl->fingerprint == NULL)
		return;		/* the CAs (or xl_certfail) decided */
	if ((cert = xmpp_conn_get_peer_cert(xl->conn)) != NULL)
		fp = xl_cert_fingerprint(xl->ctx, xmpp_tlscert_get_pem(cert));
	if (xl_pin_matches(fp, xl->fingerprint))
		goto out;
	log_warn("certificate %s is not the pinned %s: disconnecting",
	    fp != NULL ? fp : "(unreadable)", xl->fingerprint);
	if (xl->fd >= 0)
		shutdown(xl->fd, SHUT_RDWR);
	if (fp == NULL) {
		xl->tls_failed = 1;
		free(xl->tls_detail);
		xl->tls_detail = xstrdup("cannot read the server's "
		    "certificate");
		goto out;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CERT_UNTRUSTED;
	ev.cert.fingerprint = fp;
	ev.cert.subject = xmpp_tlscert_get_string(cert, XMPP_CERT_SUBJECT);
	ev.cert.reason = "not the pinned certificate";
	core_handle(xl->sz, &ev);
	xl->cert_refused = 1;
out:
	free(fp);
	if (cert != NULL)
		xmpp_tlscert_free(cert);
}

static enum conn_error
xl_map_error(struct xmpp_link *xl, int error, xmpp_stream_error_t *se)
{
	if (xl->cert_refused)
		return ERR_CERT;
	if (xl->tls_failed)
		return ERR_TLS;
	if (xl->no_tls)
		return ERR_PLAINTEXT;
	if (xl->tls_required)
		return ERR_STREAM;
	if (xl->auth_failed)
		return ERR_AUTH;
	if (xl->bad_xml)
		return ERR_STREAM;
	if (xl->lost)
		return ERR_LOST;
	if (se != NULL) {
		switch (se->type) {
		case XMPP_SE_CONFLICT:
			return ERR_CONFLICT;
		case XMPP_SE_NOT_AUTHORIZED:
			return ERR_AUTH;
		default:
			return ERR_STREAM;
		}
	}
	if (error == 0)
		error = xl->sock_error;
	switch (error) {
	case 0:
		return xl->closing ? ERR_NONE : ERR_LOST;
	case ECONNREFUSED:
		return ERR_REFUSED;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EADDRNOTAVAIL:
		return ERR_HOST;
	default:
		return ERR_LOST;
	}
}

/* "CONDITION: TEXT" of a stream error (either may be missing). */
static char *
xl_stream_error_text(xmpp_stream_error_t *se)
{
	xmpp_stanza_t	*c;
	const char	*cond = NULL;

	for (c = se->stanza != NULL ? xmpp_stanza_get_children(se->stanza) :
	    NULL; c != NULL; c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) && xmpp_stanza_get_name(c) != NULL &&
		    strcmp(xmpp_stanza_get_name(c), "text") != 0) {
			cond = xmpp_stanza_get_name(c);
			break;
		}
	}
	if (cond != NULL && se->text != NULL)
		return xasprintf("%s: %s", cond, se->text);
	if (cond != NULL)
		return xstrdup(cond);
	return se->text != NULL ? xstrdup(se->text) : NULL;
}

static void
xl_conn_handler(xmpp_conn_t *conn, xmpp_conn_event_t status, int error,
    xmpp_stream_error_t *se, void *userdata)
{
	struct xmpp_link	*xl = userdata;
	struct ev		 ev;
	char			*detail = NULL;
	const char		*bound;

	memset(&ev, 0, sizeof ev);
	if (status == XMPP_CONN_CONNECT) {
		bound = xmpp_conn_get_bound_jid(conn);
		if (bound != NULL)
			XL_LSAN_IGNORE(bound);
		xl->online = 1;
		free(xl->bound);
		xl->bound = xstrdup(bound != NULL ? bound : xl->bare);
		xmpp_handler_add(conn, xin_message, NULL, "message", NULL, xl);
		xmpp_handler_add(conn, xin_presence, NULL, "presence", NULL,
		    xl);
		xmpp_handler_add(conn, xin_iq, NULL, "iq", NULL, xl);
		xl->next_ping = clock_now_ms() + 1000 *
		    settings_num(&xl->sz->settings, SET_PING_INTERVAL);
		if (xsm_connected(xl))	/* [sync] resumed: same session */
			return;
		xout_roster_get(xl);
		xout_account_disco(xl);
		ev.type = EV_CONNECTED;
		ev.connected.jid = xl->bound;
		core_handle(xl->sz, &ev);
		return;
	}
	if (status == XMPP_CONN_RAW_CONNECT)
		return;
	ev.type = EV_DISCONNECTED;
	ev.disconnected.error = xl_map_error(xl, error, se);
	if (ev.disconnected.error == ERR_TLS && xl->tls_detail != NULL)
		detail = xstrdup(xl->tls_detail);
	else if (xl->tls_required)
		detail = xstrdup("the server requires TLS, and this account has "
		    "tls = plain");
	else if (xl->bad_xml)
		detail = xstrdup("the server sent malformed XML");
	else if (se != NULL)
		detail = xl_stream_error_text(se);
	else if ((error != 0 || xl->sock_error != 0) &&
	    ev.disconnected.error != ERR_AUTH &&
	    ev.disconnected.error != ERR_REFUSED &&
	    ev.disconnected.error != ERR_TLS)
		detail = xstrdup(strerror(error != 0 ? error : xl->sock_error));
	ev.disconnected.text = detail;
	log_info("disconnected: status %d error %d -> %d", (int)status, error,
	    (int)ev.disconnected.error);
	/* The core may queue a new connect: release this one first. */
	xl->online = 0;
	xl->fd = -1;
	if (xsm_dropped(xl, ev.disconnected.error)) {	/* [sync] */
		free(detail);
		return;		/* resuming: the core stays online */
	}
	core_handle(xl->sz, &ev);
	free(detail);
}

static void
xl_connect(struct xmpp_link *xl, struct req *r)
{
	struct jid	*j;
	char		*cause = NULL, *host;
	const char	*target;
	long		 flags = 0;
	struct ev	 ev;
	int		 rc, port;

	xl_release_conn(xl);
	xsm_remember(xl, r);	/* [sync] */
	memset(&ev, 0, sizeof ev);
	if ((j = jid_parse(r->connect.jid, &cause)) == NULL) {
		ev.type = EV_DISCONNECTED;
		ev.disconnected.error = ERR_HOST;
		ev.disconnected.text = cause;
		core_handle(xl->sz, &ev);
		free(cause);
		return;
	}
	free(xl->bare);
	free(xl->domain);
	xl->bare = xstrdup(j->bare);
	xl->domain = xstrdup(j->domain);
	jid_free(j);
	/* RFC 6761: resolvers must not even be asked about .invalid. */
	target = r->connect.server != NULL ? r->connect.server : xl->domain;
	if (dns_name_is_invalid(target)) {
		ev.type = EV_DISCONNECTED;
		ev.disconnected.error = ERR_HOST;
		ev.disconnected.text = cause = xasprintf("%s cannot exist: "
		    "names under .invalid never resolve (RFC 6761)", target);
		core_handle(xl->sz, &ev);
		free(cause);
		return;
	}
	free(xl->fingerprint);
	xl->fingerprint = xstrdup_or_null(r->connect.fingerprint);
	xl->cert_refused = xl->auth_failed = xl->lost = xl->closing = 0;
	xl->sock_error = 0;
	xl->tls_failed = xl->no_tls = xl->tls_required = 0;
	xl->bad_xml = 0;
	xl->pin_checked = 0;
	free(xl->tls_detail);
	xl->tls_detail = NULL;
	xl->plain = r->connect.tls == TLS_PLAIN;

	xl->conn = xmpp_conn_new(xl->ctx);
	switch (r->connect.tls) {
	case TLS_STARTTLS:
		flags = XMPP_CONN_FLAG_MANDATORY_TLS;
		break;
	case TLS_DIRECT:
		flags = XMPP_CONN_FLAG_LEGACY_SSL;
		break;
	case TLS_PLAIN:
		flags = XMPP_CONN_FLAG_DISABLE_TLS;
		break;
	}
	/* [sync] Stream management (XEP-0198) is on: see sm.c. */
	xmpp_conn_set_flags(xl->conn, flags);
	xsm_attach(xl);
	xmpp_conn_set_jid(xl->conn, r->connect.jid);
	xmpp_conn_set_pass(xl->conn, r->connect.password);
	xmpp_conn_set_certfail_handler(xl->conn, xl_certfail);
	xmpp_conn_set_sockopt_callback(xl->conn, xl_sockopt);
	cert_link = xl;
	host = xstrdup_or_null(r->connect.server);
	port = r->connect.port;
	/* XEP-0368: direct TLS goes where _xmpps-client points, if anywhere
	 * (libstrophe would try DOMAIN:5223). */
	if (r->connect.tls == TLS_DIRECT && host == NULL && port == 0)
		srv_lookup("xmpps-client", xl->domain, &host, &port);
	rc = xmpp_connect_client(xl->conn, host, port > 0 ? port : 0,
	    xl_conn_handler, xl);
	free(host);
	if (rc != XMPP_EOK) {
		xl_release_conn(xl);
		xl->sm_quick = 0;	/* [sync] the core hears of it */
		ev.type = EV_DISCONNECTED;
		ev.disconnected.error = ERR_HOST;
		ev.disconnected.text = "cannot resolve or reach the server";
		core_handle(xl->sz, &ev);
		return;
	}
	if (xl->sm_quick)	/* [sync] the core does not know */
		return;
	ev.type = EV_CONNECTING;
	core_handle(xl->sz, &ev);
}

void
xl_flush(struct xmpp_link *xl)
{
	struct req	*r;

	while ((r = outbox_pop(&xl->sz->outbox)) != NULL) {
		switch (r->type) {
		case REQ_CONNECT:
			xl_connect(xl, r);
			break;
		case REQ_DISCONNECT:
			if (xl->conn != NULL) {
				xl->closing = 1;
				xmpp_disconnect(xl->conn);
			}
			break;
		case REQ_REGISTER:	/* [files] no session needed */
			xl_register_request(xl, r);
			break;
		default:
			if (xl->online && r->type == REQ_MESSAGE)
				xsm_track(xl, r);	/* [sync] */
			if (xl->online)
				xout_request(xl, r);
			else if (xsm_hold(xl, r))	/* [sync] */
				continue;
			else
				log_debug("request %d dropped: offline",
				    (int)r->type);
			break;
		}
		req_free(r);
	}
}

int
xl_pollfd(struct xmpp_link *xl, struct pollfd *pfd)
{
	if (xl->conn == NULL || xl->fd < 0)
		return 0;
	pfd->fd = xl->fd;
	pfd->events = POLLIN;
	/* Writable means: the TCP connect finished, or room to send. */
	if (xl->tcp_pending || xmpp_conn_send_queue_len(xl->conn) > 0)
		pfd->events |= POLLOUT;
	pfd->revents = 0;
	return 1;
}

int
xl_timeout(struct xmpp_link *xl)
{
	uint64_t	now;

	if (xl->conn == NULL)
		return -1;
	/* While connecting or closing, libstrophe runs its own timers. */
	if (!xl->online || xl->fd < 0)
		return 50;
	now = clock_now_ms();
	if (xl->next_ping <= now)
		return 0;
	return xl->next_ping - now > 60000 ? 60000 : (int)(xl->next_ping - now);
}

static int
xl_fd_ready(int fd, short events)
{
	struct pollfd	pfd = { .fd = fd, .events = events };

	return fd >= 0 && poll(&pfd, 1, 0) > 0;
}

/* The answer to a keepalive is awaited as long as the interval, <= 30 s. */
static uint64_t
xl_keepalive_timeout(struct xmpp_link *xl)
{
	uint64_t	interval = 1000 *
	    (uint64_t)settings_num(&xl->sz->settings, SET_PING_INTERVAL);

	return interval < KEEPALIVE_TIMEOUT_MS ? interval :
	    KEEPALIVE_TIMEOUT_MS;
}

static void
xl_keepalive_tick(struct xmpp_link *xl)
{
	uint64_t	now = clock_now_ms();

	if (!xl->online || now < xl->next_ping)
		return;
	if (xl->keepalive_id != NULL) {
		/* The last keepalive got no answer: the link is dead. */
		log_warn("keepalive: no answer from the server, disconnecting");
		xl->lost = 1;
		xmpp_disconnect(xl->conn);
		xl->next_ping = now + xl_keepalive_timeout(xl);
		return;
	}
	xout_keepalive(xl);
	xl->next_ping = now + xl_keepalive_timeout(xl);
}

void
xl_run(struct xmpp_link *xl)
{
	unsigned	before;
	int		i, idle = 0;

	if (xl->conn == NULL)
		return;
	/*
	 * Drain: one xmpp_run_once() reads at most one buffer, and TLS may
	 * hold decrypted bytes poll() cannot see, so go on while stanzas
	 * keep arriving or the socket is readable, then a few more turns for
	 * a TLS record's remainder.  Bounded so the keyboard stays live.
	 */
	for (i = 0; i < 2000 && idle < 4 && xl->conn != NULL; i++) {
		before = xl->activity;
		xmpp_run_once(xl->ctx, 0);
		xl_check_pin(xl);
		if (xl->bad_xml == 1 && xl->conn != NULL) {
			xl->bad_xml = 2;	/* once */
			xmpp_disconnect(xl->conn);
		}
		if (xl->activity != before || xl_fd_ready(xl->fd, POLLIN))
			idle = 0;
		else
			idle++;
	}
	if (xl->tcp_pending && xl_fd_ready(xl->fd, POLLOUT))
		xl->tcp_pending = 0;
	if (xl->conn != NULL && xmpp_conn_is_disconnected(xl->conn) &&
	    !xl->online)
		xl_release_conn(xl);
	xsm_check(xl);		/* [sync] what the resumption lost */
	if (xl->sm_due) {	/* [sync] resume a dropped stream now */
		xl->sm_due = 0;
		xl_connect(xl, xsm_reconnect_req(xl));
	}
	xl_keepalive_tick(xl);
}
