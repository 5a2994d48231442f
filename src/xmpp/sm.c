/*
 * sm.c - [sync] stream management (XEP-0198) with resumption.
 *
 * libstrophe enables SM after binding (asking for resumption) and keeps
 * the stanzas the server has not acknowledged; after the stream drops,
 * xmpp_conn_get_sm_state() hands that state over, and a new connection
 * given it with xmpp_conn_set_sm_state() asks the server to resume: on
 * <resumed/> libstrophe sends again what was not acknowledged and the
 * server does the same, so nothing is lost or duplicated either way.
 *
 * When a resumable stream drops (not a /disconnect), szia tries to resume
 * at once, without telling the core: it stays online, and what it asks
 * meanwhile is held here and sent once the stream is back.  If that
 * attempt cannot even connect, the core is told (and retries with its
 * back-off, still resuming if the server allows); if the server refuses
 * to resume, libstrophe binds a fresh session, reported as EV_CONNECTED,
 * after which the core fetches what it missed from the archive.
 *
 * libstrophe 0.12.2 miscounts its queue of unacknowledged stanzas (its
 * count starts at <enabled/>, the server's at <enable/>; see libstrophe
 * issue 222), so after a resumption it may drop a message the server
 * never got.  szia therefore keeps its own list of messages not yet
 * acknowledged, numbered as the server counts (every stanza libstrophe
 * logs as sent since <enable/>, or since the <resumed h=/> count), and,
 * once everything queued is written after a resumption or a new session,
 * sends again those that libstrophe did not.
 */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

/* A message sent and not yet acknowledged by the server. */
struct xsm_out {
	struct req	*req;		/* a copy, to send it again */
	uint32_t	 seq;		/* server's count; 0: not sent */
	int		 sent;		/* written since the last resume */
	struct xsm_out	*next;
};

#define XSM_MAX_OUT	1000		/* kept unacknowledged, at most */
#define XSM_QUICK_MS	10000		/* our own resumption, at most */

static void
xsm_out_clear(struct xmpp_link *xl)
{
	struct xsm_out	*o;

	while ((o = xl->sm_out) != NULL) {
		xl->sm_out = o->next;
		req_free(o->req);
		free(o);
	}
	xl->sm_check = 0;
}

/* Forget the messages the server acknowledged: up to H. */
static void
xsm_acked(struct xmpp_link *xl, uint32_t h)
{
	struct xsm_out	**pp = &xl->sm_out, *o;

	while ((o = *pp) != NULL) {
		/* (h - seq) as signed: the counters wrap at 2^32. */
		if (o->seq != 0 && (int32_t)(h - o->seq) >= 0) {
			*pp = o->next;
			req_free(o->req);
			free(o);
		} else
			pp = &o->next;
	}
}

void
xsm_track(struct xmpp_link *xl, const struct req *r)
{
	struct xsm_out	*o, **pp;
	size_t		 n = 0;

	if (!xl->sm_counting || r->message.id == NULL)
		return;
	for (pp = &xl->sm_out; *pp != NULL; pp = &(*pp)->next)
		n++;
	if (n >= XSM_MAX_OUT) {
		log_warn("sm: %zu messages unacknowledged: not tracking more",
		    n);
		return;
	}
	o = xcalloc(1, sizeof *o);
	o->req = req_new(REQ_MESSAGE);
	o->req->message.to = xstrdup(r->message.to);
	o->req->message.body = xstrdup(r->message.body);
	o->req->message.id = xstrdup(r->message.id);
	o->req->message.type = xstrdup_or_null(r->message.type);
	*pp = o;
}

/* The value of attribute NAME in the start tag at S (up to its '>'). */
static char *
xsm_attr(const char *s, const char *name)
{
	const char	*end = strchr(s, '>'), *p = s, *v, *q;
	size_t		 n = strlen(name);

	while (end != NULL && (p = strstr(p, name)) != NULL && p < end) {
		if (p > s && p[-1] == ' ' && p[n] == '=' &&
		    (p[n + 1] == '"' || p[n + 1] == '\'')) {
			v = p + n + 2;
			if ((q = strchr(v, p[n + 1])) != NULL && q < end)
				return xstrndup(v, q - v);
		}
		p += n;
	}
	return NULL;
}

void
xsm_sent(struct xmpp_link *xl, const char *raw)
{
	struct xsm_out	*o;
	char		*id;

	if (strncmp(raw, "<enable ", 8) == 0 && strstr(raw, NS_SM) != NULL) {
		/* A new session: what the last one did not get is unsent. */
		xl->sm_counting = 1;
		xl->sm_seq = 0;
		for (o = xl->sm_out; o != NULL; o = o->next) {
			o->sent = 0;
			o->seq = 0;
		}
		return;
	}
	if (!xl->sm_counting || (strncmp(raw, "<message", 8) != 0 &&
	    strncmp(raw, "<iq", 3) != 0 && strncmp(raw, "<presence", 9) != 0))
		return;
	xl->sm_seq++;
	if (strncmp(raw, "<message", 8) != 0 ||
	    (id = xsm_attr(raw, "id")) == NULL)
		return;
	for (o = xl->sm_out; o != NULL; o = o->next) {
		if (strcmp(o->req->message.id, id) == 0) {
			o->seq = xl->sm_seq;
			o->sent = 1;
			break;
		}
	}
	free(id);
}

void
xsm_check(struct xmpp_link *xl)
{
	struct xsm_out	*o;

	if (xl->sm_quick && !xl->sm_due && xl->conn != NULL &&
	    clock_now_ms() >= xl->sm_deadline) {
		/* Our attempt hangs: give up, and let the core know. */
		log_warn("sm: no answer to the resumption");
		xl->lost = 1;
		xmpp_disconnect(xl->conn);
		return;
	}
	if (!xl->sm_check || !xl->online || xl->conn == NULL ||
	    xmpp_conn_send_queue_len(xl->conn) > 0)
		return;
	xl->sm_check = 0;
	for (o = xl->sm_out; o != NULL; o = o->next) {
		if (o->sent)
			continue;
		log_warn("sm: message %s was lost with the stream: sending it "
		    "again", o->req->message.id);
		o->seq = 0;
		xout_request(xl, o->req);
	}
}

static void
xsm_drop_state(struct xmpp_link *xl)
{
	if (xl->sm_state != NULL)
		xmpp_free_sm_state(xl->sm_state);
	xl->sm_state = NULL;
}

void
xsm_free(struct xmpp_link *xl)
{
	xsm_drop_state(xl);
	req_free(xl->sm_connect);
	xl->sm_connect = NULL;
	outbox_clear(&xl->sm_held);
	xsm_out_clear(xl);
}

void
xsm_remember(struct xmpp_link *xl, const struct req *r)
{
	struct req	*c;

	if (r == xl->sm_connect)
		return;
	/* Another account: its stream cannot be resumed. */
	if (xl->sm_connect != NULL &&
	    strcmp(xl->sm_connect->connect.jid, r->connect.jid) != 0) {
		xsm_drop_state(xl);
		outbox_clear(&xl->sm_held);
		xsm_out_clear(xl);
	}
	c = req_new(REQ_CONNECT);
	c->connect.jid = xstrdup(r->connect.jid);
	c->connect.password = xstrdup_or_null(r->connect.password);
	c->connect.server = xstrdup_or_null(r->connect.server);
	c->connect.port = r->connect.port;
	c->connect.tls = r->connect.tls;
	c->connect.fingerprint = xstrdup_or_null(r->connect.fingerprint);
	req_free(xl->sm_connect);
	xl->sm_connect = c;
}

struct req *
xsm_reconnect_req(struct xmpp_link *xl)
{
	return xl->sm_connect;
}

void
xsm_attach(struct xmpp_link *xl)
{
	xl->sm_resumed = xl->sm_resumable = 0;
	if (xl->sm_state == NULL)
		return;
	if (xmpp_conn_set_sm_state(xl->conn, xl->sm_state) == XMPP_EOK)
		log_info("sm: asking the server to resume the stream");
	else
		xmpp_free_sm_state(xl->sm_state);
	xl->sm_state = NULL;
}

/* Send what was held while the stream was away. */
static void
xsm_flush_held(struct xmpp_link *xl)
{
	struct req	*r;

	while ((r = outbox_pop(&xl->sm_held)) != NULL) {
		if (r->type == REQ_MESSAGE)
			xsm_track(xl, r);
		xout_request(xl, r);
		req_free(r);
	}
}

int
xsm_connected(struct xmpp_link *xl)
{
	struct ev	ev;
	int		told = xl->sm_told;

	xl->sm_quick = 0;
	xl->sm_told = 0;
	if (xl->sm_out != NULL)
		xl->sm_check = 1;	/* see what libstrophe sends again */
	if (!xl->sm_resumed) {
		/* A fresh session: held requests go out after it starts. */
		xsm_flush_held(xl);
		return 0;
	}
	log_info("sm: stream resumed%s", told ? "" : " (unnoticed)");
	xsm_flush_held(xl);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_SM_RESUMED;
	ev.connected.jid = xl->bound;
	core_handle(xl->sz, &ev);
	return 1;
}

/*
 * libstrophe may call the connection handler from inside its parser (a
 * stream it refuses, such as one that offers no TLS), and uses the
 * connection's SM state again once the handler returns: taking the state
 * there (xmpp_conn_get_sm_state() leaves NULL behind) crashed it.  So the
 * handler only notes that the state is wanted (sm_take), and xsm_take()
 * takes it when the connection is released, after xmpp_run_once().
 */
int
xsm_dropped(struct xmpp_link *xl, enum conn_error e)
{
	xl->sm_take = 0;
	if (xl->closing || (e != ERR_LOST && e != ERR_STREAM &&
	    e != ERR_REFUSED && e != ERR_HOST)) {
		/* Cannot resume: libstrophe frees the state with the conn. */
		xsm_drop_state(xl);
		outbox_clear(&xl->sm_held);
		xsm_out_clear(xl);
		xl->sm_quick = xl->sm_told = 0;
		return 0;
	}
	xl->sm_take = 1;
	if (xl->sm_quick) {
		/* Our own attempt failed: the core retries from here. */
		xl->sm_quick = 0;
		xl->sm_told = 1;
		return 0;
	}
	/* A server that stopped answering (keepalive) may not answer a
	 * resumption either: the core says so and retries with back-off. */
	if (!xl->sm_resumable || xl->sm_told || xl->sm_connect == NULL ||
	    xl->lost) {
		xl->sm_told = 1;
		return 0;
	}
	log_info("sm: stream dropped, resuming");
	xl->sm_quick = xl->sm_due = 1;
	xl->sm_deadline = clock_now_ms() + XSM_QUICK_MS;
	return 1;
}

void
xsm_take(struct xmpp_link *xl)
{
	xmpp_sm_state_t	*st;

	if (!xl->sm_take || xl->conn == NULL)
		return;
	xl->sm_take = 0;
	if ((st = xmpp_conn_get_sm_state(xl->conn)) != NULL) {
		xsm_drop_state(xl);
		xl->sm_state = st;
	}
}

int
xsm_hold(struct xmpp_link *xl, struct req *r)
{
	if (!xl->sm_quick)
		return 0;
	if (r->type != REQ_MESSAGE)
		return 0;	/* presence and queries are redone anyway */
	outbox_push(&xl->sm_held, r);
	return 1;
}

void
xsm_log(struct xmpp_link *xl, const char *raw)
{
	struct xsm_out	*o;
	char		*h;

	if (strstr(raw, NS_SM) == NULL)
		return;
	if ((strncmp(raw, "<a ", 3) == 0 || strncmp(raw, "<resumed", 8) == 0) &&
	    (h = xsm_attr(raw, "h")) != NULL) {
		xsm_acked(xl, (uint32_t)strtoul(h, NULL, 10));
		if (raw[1] == 'r') {
			/* The server's count goes on from here. */
			xl->sm_seq = (uint32_t)strtoul(h, NULL, 10);
			xl->sm_counting = 1;
			for (o = xl->sm_out; o != NULL; o = o->next)
				o->sent = 0;
		}
		free(h);
	}
	if (strncmp(raw, "<failed", 7) == 0)
		xl->sm_counting = 0;
	if (strncmp(raw, "<enabled", 8) == 0 &&
	    (strstr(raw, "resume=\"true\"") != NULL ||
	    strstr(raw, "resume='true'") != NULL ||
	    strstr(raw, "resume=\"1\"") != NULL ||
	    strstr(raw, "resume='1'") != NULL))
		xl->sm_resumable = 1;
	else if (strncmp(raw, "<resumed", 8) == 0)
		xl->sm_resumed = xl->sm_resumable = 1;
	else if (strncmp(raw, "<failed", 7) == 0)
		log_warn("sm: the server could not resume the stream: new "
		    "session");
}
