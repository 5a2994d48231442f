/*
 * test-core.c - unit tests for the core as a whole (src/core/core.c,
 * handle.c, session.c).
 *
 * Each test drives a real struct szia, with no file persisted (the
 * core_config paths are NULL and the XDG folders point into a mkdtemp
 * folder), through the same calls the UI and the XMPP layer make:
 * core_handle() for network events, core_input() for typed lines,
 * core_tick()/core_activity() for time.  The assertions look at the state,
 * the windows' lines and the requests queued in the outbox.  A small
 * in-memory struct log_ops stands in for the SQLite store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/core.h"
#include "core/session.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* SHA-256 fingerprints as src/xmpp/ reports them. */
#define FP_A	"AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA" \
	":AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA"
#define FP_D	"DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD" \
	":DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD:DD"

/* --- an in-memory message log ----------------------------------------- */

struct memlog {
	struct logmsg	*msgs;
	size_t		 n;
	int64_t		 next_id;
	char		*account;	/* of the last open() */
	int		 opens;
	int		 fail_flush;	/* flush() fails with "disk full" */
};

static int
mem_open(void *ctx, const char *account, char **cause)
{
	struct memlog	*ml = ctx;

	str_replace(&ml->account, account);
	ml->opens++;
	return 0;
}

static void
mem_add(void *ctx, const struct logmsg *m)
{
	struct memlog	*ml = ctx;

	ml->msgs = xreallocarray(ml->msgs, ml->n + 1, sizeof *ml->msgs);
	tu_logmsg_copy(&ml->msgs[ml->n], m);
	ml->msgs[ml->n].id = ++ml->next_id;
	ml->n++;
}

static int
mem_flush(void *ctx, char **cause)
{
	struct memlog	*ml = ctx;

	if (ml->fail_flush) {
		*cause = xstrdup("disk full");
		return -1;
	}
	return 0;
}

/* The newest N messages of PEER older than BEFORE_ID, oldest first. */
static int
mem_recent(void *ctx, const char *peer, int64_t before_id, size_t n,
    struct logmsg **out, char **cause)
{
	struct memlog	*ml = ctx;
	size_t		 i, count = 0, first;

	*out = NULL;
	for (i = ml->n; i > 0 && count < n; i--) {
		if (strcmp(ml->msgs[i - 1].peer, peer) == 0 &&
		    (before_id == 0 || ml->msgs[i - 1].id < before_id))
			count++;
	}
	if (count == 0)
		return 0;
	first = i;
	*out = xcalloc(count, sizeof **out);
	for (i = first, count = 0; i < ml->n; i++) {
		if (strcmp(ml->msgs[i].peer, peer) == 0 &&
		    (before_id == 0 || ml->msgs[i].id < before_id))
			tu_logmsg_copy(&(*out)[count++], &ml->msgs[i]);
	}
	return (int)count;
}

static void
mem_free_msgs(void *ctx, struct logmsg *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		tu_logmsg_clear(&m[i]);
	free(m);
}

static const struct log_ops mem_ops = {
	.open = mem_open,
	.add = mem_add,
	.flush = mem_flush,
	.recent = mem_recent,
	.free_msgs = mem_free_msgs,
};

/* Put a message into the log directly, as if from an earlier session. */
static void
mem_seed(struct memlog *ml, const char *peer, int outgoing, int64_t ts,
    const char *body)
{
	struct logmsg	m;

	memset(&m, 0, sizeof m);
	m.peer = (char *)peer;
	m.from_jid = (char *)(outgoing ? ME_FULL : peer);
	m.to_jid = (char *)(outgoing ? peer : ME_FULL);
	m.outgoing = outgoing;
	m.ts = m.received = ts;
	m.type = (char *)"chat";
	m.body = (char *)body;
	mem_add(ml, &m);
}

/* --- fixture ------------------------------------------------------------ */

struct fixture {
	struct szia	sz;
	struct memlog	log;
};

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct core_config	 cfg = { NULL, NULL, NULL };

	core_init(&f->sz, &cfg);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	core_free(&f->sz);
	for (i = 0; i < f->log.n; i++)
		tu_logmsg_clear(&f->log.msgs[i]);
	free(f->log.msgs);
	free(f->log.account);
	free(f);
	return 0;
}

/* --- helpers ------------------------------------------------------------ */

static void
drain(struct szia *sz)
{
	outbox_clear(&sz->outbox);
}

/* Log in as ME with password "secret" and drain the outbox. */
static void
go_online(struct szia *sz)
{
	struct ev	 ev;
	struct req	*r;

	core_input(sz, "/connect " ME);
	assert_true(sz->prompt.active);
	assert_true(sz->prompt.hidden);
	core_input(sz, "secret");
	assert_false(sz->prompt.active);
	r = tu_pop(sz, REQ_CONNECT);
	assert_string_equal(r->connect.jid, ME);
	assert_string_equal(r->connect.password, "secret");
	req_free(r);
	assert_int_equal(sz->session.state, CONN_CONNECTING);

	memset(&ev, 0, sizeof ev);
	ev.type = EV_CONNECTED;
	ev.connected.jid = ME_FULL;
	core_handle(sz, &ev);
	assert_int_equal(sz->session.state, CONN_ONLINE);
	drain(sz);
}

static void
recv_message(struct szia *sz, const char *from, const char *body)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = from;
	ev.message.to = ME_FULL;
	ev.message.type = "chat";
	ev.message.body = body;
	core_handle(sz, &ev);
}

static void
recv_presence(struct szia *sz, const char *from, int available,
    enum show show)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_PRESENCE;
	ev.presence.from = from;
	ev.presence.available = available;
	ev.presence.show = show;
	core_handle(sz, &ev);
}

static void
recv_disconnected(struct szia *sz, enum conn_error e)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCONNECTED;
	ev.disconnected.error = e;
	core_handle(sz, &ev);
}

static void
recv_cert(struct szia *sz, const char *fp)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_CERT_UNTRUSTED;
	ev.cert.fingerprint = fp;
	ev.cert.reason = "self-signed certificate";
	core_handle(sz, &ev);
}

/* --- connection ------------------------------------------------------- */

static void
core_init__starts_offline_in_console(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	assert_int_equal(sz->session.state, CONN_OFFLINE);
	assert_ptr_equal(sz->windows.current, tu_console(sz));
	assert_int_equal(tu_console(sz)->num, 1);
	assert_non_null(tu_find_line(tu_console(sz), "Welcome to szia"));
	tu_outbox_empty(sz);
}

static void
core_input__asks_password__when_connecting_new_jid(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	core_input(sz, "/connect " ME);
	assert_true(sz->prompt.active);
	assert_true(sz->prompt.hidden);
	assert_non_null(strstr(sz->prompt.text, ME));
	assert_int_equal(sz->session.state, CONN_CONNECTING);
	tu_outbox_empty(sz);
	/* An empty answer cancels. */
	core_input(sz, "");
	assert_false(sz->prompt.active);
	assert_int_equal(sz->session.state, CONN_OFFLINE);
	assert_non_null(tu_find_line(tu_console(sz), "cancelled"));
	tu_outbox_empty(sz);
}

static void
core_handle__queues_presence__when_connected(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct req	*r;
	struct ev	 ev;

	core_input(sz, "/connect " ME);
	core_input(sz, "secret");
	req_free(tu_pop(sz, REQ_CONNECT));
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CONNECTED;
	ev.connected.jid = ME_FULL;
	core_handle(sz, &ev);

	assert_int_equal(sz->session.state, CONN_ONLINE);
	assert_string_equal(sz->session.bound, ME_FULL);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.show, SHOW_ONLINE);
	assert_null(r->presence.status);
	assert_int_equal(r->presence.priority, 0);
	req_free(r);
	req_free(tu_pop(sz, REQ_CARBONS));		/* [sync] */
	req_free(tu_pop(sz, REQ_MAM_QUERY));
	tu_outbox_empty(sz);
	assert_non_null(tu_find_line(tu_console(sz), "Connected as " ME_FULL));
}

static void
core_handle__waits_and_reconnects__when_connection_lost(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct req	*r;
	uint64_t	 t0, wait;
	int		 timeout;

	go_online(sz);
	t0 = sz->now;
	recv_disconnected(sz, ERR_LOST);

	assert_int_equal(sz->session.state, CONN_WAITING);
	assert_int_equal(sz->session.attempts, 1);
	assert_null(sz->session.bound);
	wait = sz->session.retry_at - t0;
	assert_in_range(wait, 500, 1499);
	/* The loop wakes at the retry, or each second for the countdown in
	 * the status bar, whichever comes first. */
	timeout = core_timeout(sz, t0);
	assert_true(timeout > 0);
	assert_true((uint64_t)timeout <= wait);
	assert_true(timeout <= 1000);
	assert_int_equal(timeout, wait > 1000 ? (int)(wait % 1000 ?
	    wait % 1000 : 1000) : (int)wait);
	assert_non_null(tu_find_line(tu_console(sz), "reconnecting in"));
	tu_outbox_empty(sz);

	core_tick(sz, sz->session.retry_at - 1);
	tu_outbox_empty(sz);
	assert_int_equal(sz->session.state, CONN_WAITING);

	core_tick(sz, sz->session.retry_at);
	r = tu_pop(sz, REQ_CONNECT);
	assert_string_equal(r->connect.jid, ME);
	assert_string_equal(r->connect.password, "secret");
	req_free(r);
	assert_int_equal(sz->session.state, CONN_CONNECTING);
	assert_int_equal(core_timeout(sz, sz->now), -1);
}

static void
core_handle__backs_off_more__when_reconnect_fails_again(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	uint64_t	 wait;

	go_online(sz);
	recv_disconnected(sz, ERR_LOST);
	core_tick(sz, sz->session.retry_at);
	drain(sz);
	recv_disconnected(sz, ERR_REFUSED);
	assert_int_equal(sz->session.state, CONN_WAITING);
	assert_int_equal(sz->session.attempts, 2);
	wait = sz->session.retry_at - sz->now;
	assert_in_range(wait, 1000, 2999);
	/* Success resets the count. */
	core_tick(sz, sz->session.retry_at);
	drain(sz);
	{
		struct ev ev;

		memset(&ev, 0, sizeof ev);
		ev.type = EV_CONNECTED;
		ev.connected.jid = ME_FULL;
		core_handle(sz, &ev);
	}
	assert_int_equal(sz->session.attempts, 0);
	drain(sz);
}

static void
core_input__stops_reconnecting__when_disconnect_typed(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	go_online(sz);
	recv_disconnected(sz, ERR_LOST);
	core_input(sz, "/disconnect");
	assert_int_equal(sz->session.state, CONN_OFFLINE);
	assert_int_equal(core_timeout(sz, sz->now), -1);
	core_tick(sz, sz->now + 3600 * 1000);
	tu_outbox_empty(sz);
}

static void
core_handle__goes_offline__when_auth_fails(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	core_input(sz, "/connect " ME);
	core_input(sz, "wrong");
	drain(sz);
	recv_disconnected(sz, ERR_AUTH);

	assert_int_equal(sz->session.state, CONN_OFFLINE);
	assert_null(sz->session.password);
	assert_non_null(tu_find_line(tu_console(sz), "wrong password"));
	assert_int_equal(tu_last_line(tu_console(sz))->kind, LINE_ERROR);
	assert_int_equal(core_timeout(sz, sz->now), -1);
	core_tick(sz, sz->now + 3600 * 1000);
	tu_outbox_empty(sz);
}

static void
core_handle__does_not_retry__when_first_connect_fails(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	core_input(sz, "/connect " ME);
	core_input(sz, "secret");
	drain(sz);
	recv_disconnected(sz, ERR_HOST);
	assert_int_equal(sz->session.state, CONN_OFFLINE);
	assert_non_null(tu_find_line(tu_console(sz), "unknown host"));
	assert_int_equal(core_timeout(sz, sz->now), -1);
}

static void
core_handle__says_disconnected__when_asked_to(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	go_online(sz);
	recv_disconnected(sz, ERR_NONE);
	assert_int_equal(sz->session.state, CONN_OFFLINE);
	assert_non_null(tu_find_line(tu_console(sz), "Disconnected."));
	assert_int_equal(core_timeout(sz, sz->now), -1);
}

static void
core_handle__offers_trust__when_cert_untrusted(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct req	*r;

	core_input(sz, "/connect " ME);
	assert_true(sz->prompt.active);
	core_input(sz, "secret");
	r = tu_pop(sz, REQ_CONNECT);
	assert_null(r->connect.fingerprint);
	req_free(r);

	recv_cert(sz, FP_A);
	recv_disconnected(sz, ERR_CERT);
	assert_int_equal(sz->session.state, CONN_OFFLINE);
	assert_non_null(tu_find_line(tu_console(sz), FP_A));
	assert_non_null(tu_find_line(tu_console(sz), "/tls trust"));
	tu_outbox_empty(sz);

	core_input(sz, "/tls trust");
	r = tu_pop(sz, REQ_CONNECT);
	assert_string_equal(r->connect.jid, ME);
	assert_string_equal(r->connect.password, "secret");
	assert_string_equal(r->connect.fingerprint, FP_A);
	req_free(r);
	assert_string_equal(sz->session.fingerprint, FP_A);
	assert_null(sz->session.refused_fp);
	assert_non_null(accounts_find_jid(&sz->accounts, ME));
	assert_string_equal(
	    accounts_find_jid(&sz->accounts, ME)->tls_fingerprint, FP_A);
	assert_null(tu_find_line(tu_console(sz), "CHANGED"));

	/* Later the server shows another certificate. */
	recv_cert(sz, FP_D);
	recv_disconnected(sz, ERR_CERT);
	assert_non_null(tu_find_line(tu_console(sz), "CHANGED"));
	assert_non_null(tu_find_line(tu_console(sz), FP_D));
	assert_int_equal(tu_find_line(tu_console(sz), "CHANGED")->kind, LINE_ERROR);
	assert_int_equal(sz->session.state, CONN_OFFLINE);
	tu_outbox_empty(sz);
}

static void
core_input__refuses_tls_trust__when_nothing_refused(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	core_input(sz, "/tls trust");
	assert_non_null(tu_find_line(tu_console(sz), "no certificate"));
	tu_outbox_empty(sz);
}

static void
core_input__forgets_cert__when_tls_deny(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	core_input(sz, "/connect " ME);
	core_input(sz, "secret");
	drain(sz);
	recv_cert(sz, FP_A);
	recv_disconnected(sz, ERR_CERT);
	core_input(sz, "/tls deny");
	assert_null(sz->session.refused_fp);
	assert_null(sz->session.fingerprint);
	tu_outbox_empty(sz);
	assert_int_equal(sz->session.state, CONN_OFFLINE);
}

/* --- auto-away ---------------------------------------------------------- */

static void
core_tick__sets_away__when_idle_past_autoaway(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct req	*r;
	char		*cause = NULL;
	uint64_t	 t0;

	assert_int_equal(settings_set(&sz->settings, "autoaway.minutes", "1",
	    &cause), 0);
	go_online(sz);
	t0 = sz->last_activity;
	assert_int_equal(core_timeout(sz, t0), 60000);

	core_tick(sz, t0 + 59000);
	tu_outbox_empty(sz);

	core_tick(sz, t0 + 61000);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.show, SHOW_AWAY);
	assert_string_equal(r->presence.status, "Away (idle)");
	req_free(r);
	assert_int_equal(sz->session.show, SHOW_AWAY);
	tu_outbox_empty(sz);

	/* Only once. */
	core_tick(sz, t0 + 300000);
	tu_outbox_empty(sz);

	core_activity(sz, t0 + 310000);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.show, SHOW_ONLINE);
	assert_null(r->presence.status);
	req_free(r);
	assert_int_equal(sz->session.show, SHOW_ONLINE);
	tu_outbox_empty(sz);
}

static void
core_tick__keeps_manual_away__when_idle(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct req	*r;
	char		*cause = NULL;
	uint64_t	 t0;

	assert_int_equal(settings_set(&sz->settings, "autoaway.minutes", "1",
	    &cause), 0);
	go_online(sz);
	t0 = sz->last_activity;
	core_input(sz, "/status dnd busy");
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.show, SHOW_DND);
	assert_string_equal(r->presence.status, "busy");
	req_free(r);
	core_tick(sz, t0 + 120000);
	tu_outbox_empty(sz);
	core_activity(sz, t0 + 130000);
	tu_outbox_empty(sz);
	assert_int_equal(sz->session.show, SHOW_DND);
}

static void
core_connect__sends_status_set_offline__when_connected(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct req	*r;
	struct ev	 ev;

	/* /status help: "sent when connected, kept for the next login". */
	core_input(sz, "/status away back at 3");
	assert_int_equal(sz->session.show, SHOW_AWAY);
	core_input(sz, "/connect " ME);
	core_input(sz, "secret");
	req_free(tu_pop(sz, REQ_CONNECT));
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CONNECTED;
	ev.connected.jid = ME_FULL;
	core_handle(sz, &ev);
	r = tu_pop(sz, REQ_PRESENCE);
	/*
	 * Regression (fixed): session_connect() (src/core/session.c:160 session_free(),
	 * then :178 s->show = SHOW_ONLINE) resets the show and status the
	 * user chose offline, so the first presence is "online".
	 */
	assert_int_equal(r->presence.show, SHOW_AWAY);
	assert_non_null(r->presence.status);
	assert_string_equal(r->presence.status, "back at 3");
	req_free(r);
}

static void
core_tick__never_sets_away__when_autoaway_zero(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	char		*cause = NULL;

	assert_int_equal(settings_set(&sz->settings, "autoaway.minutes", "0",
	    &cause), 0);
	go_online(sz);
	assert_int_equal(core_timeout(sz, sz->now), -1);
	core_tick(sz, sz->last_activity + 24 * 3600 * 1000ULL);
	tu_outbox_empty(sz);
}

static void
session_backoff__stays_within_jitter_of_capped_base(void **state)
{
	unsigned	attempt;
	uint64_t	base, d, lo, hi;
	int		i;

	for (attempt = 0; attempt < 16; attempt++) {
		base = 1000ULL << attempt;
		if (base > 300000)
			base = 300000;
		lo = UINT64_MAX;
		hi = 0;
		for (i = 0; i < 200; i++) {
			d = session_backoff(attempt, 300);
			if (d < base / 2 || d >= base + base / 2)
				fail_msg("attempt %u: %llu not in [%llu, %llu)",
				    attempt, (unsigned long long)d,
				    (unsigned long long)(base / 2),
				    (unsigned long long)(base + base / 2));
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		/* There is jitter. */
		assert_true(hi > lo);
	}
}

static void
session_backoff__grows_then_caps_at_max(void **state)
{
	uint64_t	d;
	int		i;

	for (i = 0; i < 100; i++) {
		assert_true(session_backoff(0, 300) < 1500);
		assert_true(session_backoff(3, 300) >= 4000);	/* 8 s / 2 */
		d = session_backoff(10, 300);
		assert_true(d >= 150000 && d < 450000);
		/* Huge attempt counts neither overflow nor loop long. */
		d = session_backoff(UINT32_MAX, 300);
		assert_true(d >= 150000 && d < 450000);
		d = session_backoff(40, 5);
		assert_true(d >= 2500 && d < 7500);
	}
}

/* --- messages ------------------------------------------------------------ */

static void
core_handle__opens_unselected_chat__when_contact_writes(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct line	*l;
	unsigned	 version;

	go_online(sz);
	tu_roster(sz, BOB, "Bob");
	version = sz->windows.version;
	recv_message(sz, BOB "/phone", "hi there");

	w = windows_find(&sz->windows, BOB);
	assert_non_null(w);
	assert_int_equal(w->type, WINDOW_CHAT);
	assert_int_equal(w->num, 2);
	assert_ptr_equal(sz->windows.current, tu_console(sz));
	assert_int_equal(w->unread, 1);
	assert_true(sz->windows.version > version);
	assert_false(w->not_in_roster);
	assert_string_equal(w->title, "Bob <" BOB ">");
	l = tu_last_line(w);
	assert_int_equal(l->kind, LINE_IN);
	assert_string_equal(l->who, "Bob");
	assert_string_equal(l->text, "hi there");
	assert_int_equal(l->flags & LINE_DELAYED, 0);
	assert_null(tu_find_line(w, "not in your roster"));

	recv_message(sz, BOB "/phone", "again");
	assert_int_equal(w->unread, 2);
	tu_outbox_empty(sz);
}

static void
core_handle__keeps_unread_zero__when_window_is_current(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;

	go_online(sz);
	tu_roster(sz, BOB, NULL);
	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	assert_string_equal(w->name, BOB);
	recv_message(sz, BOB "/phone", "hello");
	assert_int_equal(w->unread, 0);
	assert_string_equal(tu_last_line(w)->text, "hello");
	assert_string_equal(tu_last_line(w)->who, BOB);
}

static void
core_handle__marks_highlight__when_chat_message_is_unseen(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w, *con = tu_console(sz);
	struct ev	 ev;

	go_online(sz);
	tu_roster(sz, BOB, "Bob");
	/* A subscription request: unread in the console, but not a
	 * message for us. */
	memset(&ev, 0, sizeof ev);
	ev.type = EV_SUBSCRIPTION;
	ev.subscription.from = "carol@example.org";
	ev.subscription.sub = SUB_SUBSCRIBE;
	core_input(sz, "/msg " BOB);
	core_handle(sz, &ev);
	assert_int_equal(con->unread, 1);
	assert_int_equal(con->highlight, 0);
	core_select_window(sz, con);
	/* Seen as it arrives, the next one leaves nothing unread. */
	ev.subscription.from = "dave@example.org";
	core_handle(sz, &ev);
	assert_int_equal(con->unread, 0);
	/* A one-to-one message in a window we do not look at is for us. */
	w = windows_find(&sz->windows, BOB);
	recv_message(sz, BOB "/phone", "are you there?");
	assert_int_equal(w->unread, 1);
	assert_int_equal(w->highlight, 1);
	/* A presence change is not. */
	recv_presence(sz, BOB "/phone", 1, SHOW_AWAY);
	assert_int_equal(w->unread, 1);
	/* Looking at the window clears both marks... */
	core_select_window(sz, w);
	assert_int_equal(w->unread, 0);
	assert_int_equal(w->highlight, 0);
	/* ...and a message we see as it arrives sets neither. */
	recv_message(sz, BOB "/phone", "ok, I see you");
	assert_int_equal(w->unread, 0);
	assert_int_equal(w->highlight, 0);
}

static void
core_handle__sanitises_text__when_message_has_escapes(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct line	*l;

	go_online(sz);
	tu_roster(sz, BOB, "B\x1b]0;owned\x07ob");
	recv_message(sz, BOB "/phone", "\x1b[2Jhi\r\n\xc2\x9b" "0m\x7f");

	w = windows_find(&sz->windows, BOB);
	assert_non_null(w);
	l = tu_last_line(w);
	assert_null(strchr(l->text, 0x1b));
	assert_null(strchr(l->text, '\r'));
	assert_non_null(strstr(l->text, "[2Jhi"));
	assert_non_null(strchr(l->text, '\n'));		/* body keeps lines */
	assert_true(text_is_safe(l->text));
	assert_null(strchr(l->who, 0x1b));
	assert_null(strchr(l->who, 0x07));
	assert_true(text_is_safe(l->who));
	assert_true(text_is_safe(w->title));
}

static void
core_handle__marks_not_in_roster__when_sender_unknown(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct line	*l;

	go_online(sz);
	recv_message(sz, "stranger@else.example/x", "buy now");
	w = windows_find(&sz->windows, "stranger@else.example");
	assert_non_null(w);
	assert_true(w->not_in_roster);
	assert_non_null(strstr(w->title, "not in roster"));
	l = tu_find_line(w, "not in your roster");
	assert_non_null(l);
	assert_non_null(strstr(l->text, "/roster add stranger@else.example"));
	assert_string_equal(tu_last_line(w)->text, "buy now");
	assert_string_equal(tu_last_line(w)->who, "stranger@else.example");

	/* Adding the contact clears the mark. */
	tu_roster(sz, "stranger@else.example", NULL);
	assert_false(w->not_in_roster);
}

static void
core_handle__drops_message__when_from_invalid(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;

	go_online(sz);
	recv_message(sz, "bad jid@x/y", "hi");
	recv_message(sz, "", "hi");
	for (w = sz->windows.head; w != NULL; w = w->next)
		assert_int_equal(w->type, WINDOW_CONSOLE);
	assert_int_equal(tu_console(sz)->unread, 0);
}

static void
core_handle__ignores_message__when_no_body(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	go_online(sz);
	recv_message(sz, BOB "/phone", NULL);
	assert_null(windows_find(&sz->windows, BOB));
}

static void
core_handle__shows_error__when_message_bounced(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct ev	 ev;

	go_online(sz);
	core_input(sz, "/msg " BOB " hi");
	drain(sz);
	w = sz->windows.current;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = BOB;
	ev.message.type = "error";
	ev.message.error = "service-unavailable\x1b[5m";
	core_handle(sz, &ev);
	assert_non_null(tu_find_line(w, "service-unavailable"));
	assert_int_equal(tu_last_line(w)->kind, LINE_ERROR);
	assert_true(text_is_safe(tu_last_line(w)->text));
}

static void
core_handle__dates_line__when_message_delayed(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct line	*l;
	struct ev	 ev;
	time_t		 delay = time(NULL) - 3600;

	go_online(sz);
	core_set_log(sz, &mem_ops, &f->log);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = BOB "/phone";
	ev.message.type = "chat";
	ev.message.body = "sent an hour ago";
	ev.message.delay = delay;
	core_handle(sz, &ev);

	w = windows_find(&sz->windows, BOB);
	l = tu_last_line(w);
	assert_string_equal(l->text, "sent an hour ago");
	assert_true(l->flags & LINE_DELAYED);
	assert_int_equal(l->ts, delay);
	assert_int_equal(f->log.n, 1);
	assert_int_equal(f->log.msgs[0].ts, delay);
}

static void
core_handle__ignores_delay__when_not_in_past(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct line	*l;
	struct ev	 ev;
	time_t		 future = time(NULL) + 3600;

	go_online(sz);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = BOB "/phone";
	ev.message.body = "from the future";
	ev.message.delay = future;
	core_handle(sz, &ev);
	l = tu_last_line(windows_find(&sz->windows, BOB));
	assert_int_equal(l->flags & LINE_DELAYED, 0);
	assert_true(l->ts < future - 60);
}

static void
core_input__sends_to_locked_resource__until_presence_changes(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct req	*r;

	go_online(sz);
	tu_roster(sz, BOB, "Bob");
	recv_message(sz, BOB "/phone", "hi");
	w = windows_find(&sz->windows, BOB);
	assert_string_equal(w->locked, BOB "/phone");
	core_select_window(sz, w);

	core_input(sz, "hello phone");
	r = tu_pop(sz, REQ_MESSAGE);
	assert_string_equal(r->message.to, BOB "/phone");
	assert_string_equal(r->message.body, "hello phone");
	assert_string_equal(r->message.type, "chat");
	assert_non_null(r->message.id);
	assert_int_equal(strlen(r->message.id), 22);
	req_free(r);
	assert_int_equal(tu_last_line(w)->kind, LINE_OUT);
	assert_string_equal(tu_last_line(w)->text, "hello phone");

	/* Presence from another resource keeps the lock. */
	recv_presence(sz, BOB "/laptop", 1, SHOW_ONLINE);
	assert_string_equal(w->locked, BOB "/phone");

	/* A change from the locked resource releases it. */
	recv_presence(sz, BOB "/phone", 1, SHOW_AWAY);
	assert_null(w->locked);
	core_input(sz, "hello anyone");
	r = tu_pop(sz, REQ_MESSAGE);
	assert_string_equal(r->message.to, BOB);
	req_free(r);
	tu_outbox_empty(sz);
}

static void
core_input__sends_leading_slash__when_doubled(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct req	*r;

	go_online(sz);
	core_input(sz, "/msg " BOB);
	core_input(sz, "//shrug");
	r = tu_pop(sz, REQ_MESSAGE);
	assert_string_equal(r->message.body, "/shrug");
	assert_string_equal(r->message.to, BOB);
	req_free(r);
}

static void
core_input__gives_error__when_typing_in_console(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct line	*l;

	go_online(sz);
	core_input(sz, "hello?");
	l = tu_last_line(tu_console(sz));
	assert_int_equal(l->kind, LINE_ERROR);
	assert_non_null(strstr(l->text, "console"));
	assert_non_null(strstr(l->text, "/msg"));
	tu_outbox_empty(sz);
}

static void
core_input__ignores_empty_line(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	size_t		 before;

	go_online(sz);
	core_input(sz, "/msg " BOB);
	before = sz->windows.current->buf.len;
	core_input(sz, "");
	assert_int_equal(sz->windows.current->buf.len, before);
	tu_outbox_empty(sz);
}

/* [sync] Typed while offline: kept, shown as pending, sent once online. */
static void
core_input__queues_message__when_offline(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct line	*l;
	struct req	*r;

	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	assert_string_equal(w->name, BOB);
	core_input(sz, "are you there?");
	assert_non_null(l = tu_find_line(w, "are you there?"));
	assert_int_equal(l->kind, LINE_OUT);
	assert_true(l->flags & LINE_PENDING);
	assert_non_null(tu_find_line(w, "Not connected"));
	tu_outbox_empty(sz);

	/* Also after the connection is lost. */
	go_online(sz);
	assert_false(tu_find_line(w, "are you there?")->flags & LINE_PENDING);
	recv_disconnected(sz, ERR_LOST);
	core_input(sz, "third");
	assert_true(tu_find_line(w, "third")->flags & LINE_PENDING);
	tu_outbox_empty(sz);
	(void)r;
}

/* --- roster, presence, subscriptions ----------------------------------- */

static void
core_handle__removes_contact__when_push_says_remove(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct ev	 ev;
	struct ev_item	 items[2];
	struct contact	*c;

	go_online(sz);
	memset(items, 0, sizeof items);
	items[0].jid = BOB;
	items[0].name = "Bob";
	items[0].subscription = "both";
	items[1].jid = "Carol@Example.ORG";
	items[1].subscription = "to";
	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER;
	ev.roster.items = items;
	ev.roster.nitems = 2;
	core_handle(sz, &ev);
	assert_int_equal(sz->roster.ncontacts, 2);
	c = roster_find(&sz->roster, "carol@example.org");
	assert_non_null(c);
	assert_int_equal(c->sub, SUBSCRIPTION_TO);
	assert_string_equal(roster_find(&sz->roster, BOB)->display, "Bob");

	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER_PUSH;
	ev.item.jid = BOB;
	ev.item.subscription = "remove";
	core_handle(sz, &ev);
	c = roster_find(&sz->roster, BOB);
	assert_true(c == NULL || !c->in_roster);
	assert_int_equal(sz->roster.ncontacts, 1);
	assert_non_null(tu_find_line(tu_console(sz), "Roster: " BOB " removed."));
}

static void
core_handle__updates_contact__when_push_renames(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct ev	 ev;
	const char	*groups[] = { "Work\x1b[31m" };
	struct contact	*c;

	go_online(sz);
	tu_roster(sz, BOB, "Bob");
	core_input(sz, "/msg " BOB);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER_PUSH;
	ev.item.jid = BOB;
	ev.item.name = "Robert";
	ev.item.subscription = "both";
	ev.item.groups = groups;
	ev.item.ngroups = 1;
	core_handle(sz, &ev);
	c = roster_find(&sz->roster, BOB);
	assert_string_equal(c->name, "Robert");
	assert_int_equal(c->ngroups, 1);
	assert_null(strchr(c->groups[0], 0x1b));
	assert_string_equal(sz->windows.current->title, "Robert <" BOB ">");
}

static void
core_handle__retitles_window__when_reload_drops_contact(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;

	go_online(sz);
	tu_roster(sz, BOB, "Bob");
	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	assert_false(w->not_in_roster);
	/* A full roster (after a reconnect) without Bob. */
	tu_roster(sz, "carol@example.org", NULL);
	assert_false(roster_find(&sz->roster, BOB) != NULL &&
	    roster_find(&sz->roster, BOB)->in_roster);
	/*
	 * Regression (fixed): handle_roster() (src/core/handle.c:56-64) retitles only the
	 * windows of the items in the new roster, so Bob's window keeps
	 * not_in_roster = 0 and the title "Bob <bob@example.org>".
	 */
	assert_true(w->not_in_roster);
	assert_non_null(strstr(w->title, "not in roster"));
}

static void
core_handle__drops_roster_item__when_jid_invalid(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	go_online(sz);
	tu_roster(sz, "not a jid@x", "X");
	assert_int_equal(sz->roster.ncontacts, 0);
}

static void
core_handle__shows_presence_line__when_contact_changes(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct contact	*c;
	struct window	*w;

	go_online(sz);
	tu_roster(sz, BOB, "Bob");
	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	recv_presence(sz, BOB "/phone", 1, SHOW_AWAY);
	c = roster_find(&sz->roster, BOB);
	assert_int_equal(c->show, SHOW_AWAY);
	assert_int_equal(tu_last_line(w)->kind, LINE_PRESENCE);
	assert_non_null(strstr(tu_last_line(w)->text, "Bob is now away"));
	recv_presence(sz, BOB "/phone", 0, SHOW_OFFLINE);
	assert_int_equal(c->show, SHOW_OFFLINE);
	assert_non_null(strstr(tu_last_line(w)->text, "Bob is now offline"));
}

static void
core_handle__ignores_own_presence(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	go_online(sz);
	recv_presence(sz, ME "/other", 1, SHOW_ONLINE);
	assert_null(roster_find(&sz->roster, ME));
}

static void
core_handle__marks_all_offline__when_disconnected(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	go_online(sz);
	tu_roster(sz, BOB, "Bob");
	recv_presence(sz, BOB "/phone", 1, SHOW_ONLINE);
	assert_int_equal(roster_find(&sz->roster, BOB)->show, SHOW_ONLINE);
	recv_disconnected(sz, ERR_LOST);
	assert_int_equal(roster_find(&sz->roster, BOB)->show, SHOW_OFFLINE);
}

static void
core_handle__prints_sub_allow__when_subscription_requested(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct ev	 ev;
	struct line	*l;

	go_online(sz);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_SUBSCRIPTION;
	ev.subscription.from = "Dave@Example.org/res";
	ev.subscription.sub = SUB_SUBSCRIBE;
	core_handle(sz, &ev);
	l = tu_last_line(tu_console(sz));
	assert_non_null(strstr(l->text, "/sub allow dave@example.org"));
	assert_non_null(strstr(l->text, "/sub deny dave@example.org"));
	tu_outbox_empty(sz);

	/* Typing the suggestion answers it. */
	core_input(sz, "/sub allow dave@example.org");
	{
		struct req *r = tu_pop(sz, REQ_SUBSCRIPTION);

		assert_string_equal(r->subscription.to, "dave@example.org");
		assert_int_equal(r->subscription.sub, SUB_SUBSCRIBED);
		req_free(r);
	}
}

static void
core_handle__prints_info_sanitised__when_ev_info(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct ev	 ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_INFO;
	ev.info.error = 1;
	ev.info.text = "roster set failed\x1b[2J";
	core_handle(sz, &ev);
	assert_int_equal(tu_last_line(tu_console(sz))->kind, LINE_ERROR);
	assert_non_null(strstr(tu_last_line(tu_console(sz))->text,
	    "roster set failed"));
	assert_true(text_is_safe(tu_last_line(tu_console(sz))->text));
}

static void
core_handle__reports_pong__when_ping_id_matches(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct ev	 ev;
	struct req	*r;
	size_t		 before;

	go_online(sz);
	core_input(sz, "/ping");
	r = tu_pop(sz, REQ_PING);
	assert_string_equal(r->ping.to, "example.org");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_IQ_RESULT;
	ev.iq.id = "someone-else";
	ev.iq.from = "example.org";
	ev.iq.ok = 1;
	before = tu_console(sz)->buf.len;
	core_handle(sz, &ev);
	assert_int_equal(tu_console(sz)->buf.len, before);

	ev.iq.id = r->ping.id;
	ev.iq.rtt_ms = 42;
	core_handle(sz, &ev);
	assert_non_null(tu_find_line(tu_console(sz), "Pong from example.org in 42"));
	assert_null(sz->session.ping_id);
	req_free(r);
}

/* Every line and title the core holds is safe to draw. */
static void
assert_all_text_safe(struct szia *sz)
{
	struct window	*w;
	struct line	*l;
	size_t		 i;

	for (w = sz->windows.head; w != NULL; w = w->next) {
		if (!text_is_safe(w->title))
			fail_msg("window %d title is unsafe", w->num);
		for (i = 0; i < w->buf.len; i++) {
			l = window_line(w, i);
			if (!text_is_safe(l->text))
				fail_msg("window %d line %zu unsafe: %s",
				    w->num, i, l->text);
			if (l->who != NULL && !text_is_safe(l->who))
				fail_msg("window %d line %zu who unsafe",
				    w->num, i);
		}
	}
}

static void
core_handle__keeps_text_safe__when_jid_has_c1_control(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct ev	 ev;
	/* U+009B (CSI) inside a JID: jid_parse accepts bytes >= 0x80. */
	const char	*evil = "m\xc2\x9b" "2J@evil.example";

	go_online(sz);
	/*
	 * Regression (fixed): jid_parse() (src/core/jid.c:27 and :58) lets C1 controls
	 * (U+0080-U+009F, e.g. the 8-bit CSI U+009B) through in the
	 * localpart and domain, and the core prints the bare JID without
	 * utf8_safe() in core.c:276 (window title "(not in roster)"),
	 * core.c:296 ("is not in your roster"), handle.c:99 ("Presence
	 * error from"), handle.c:130 ("is now"), handle.c:161 ("asks to see
	 * your presence") and handle.c:200 ("Message to %s failed").
	 */
	recv_message(sz, "m\xc2\x9b" "2J@evil.example/r", "hi");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_SUBSCRIPTION;
	ev.subscription.from = evil;
	ev.subscription.sub = SUB_SUBSCRIBE;
	core_handle(sz, &ev);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_PRESENCE;
	ev.presence.from = evil;
	ev.presence.error = "forbidden";
	core_handle(sz, &ev);
	recv_presence(sz, "m\xc2\x9b" "2J@evil.example/r", 1, SHOW_AWAY);
	assert_all_text_safe(sz);
}

static void
core_handle__opens_chat_window__when_sender_is_named_console(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;

	go_online(sz);
	/*
	 * Regression (fixed): src/core/core.c:288 core_open_chat() looks the window up
	 * with windows_find(), which also matches the console (named
	 * "console"), and "console" is a valid domain-only JID: a message
	 * from it lands in the console (and sets the console's ->locked)
	 * instead of in a chat window; /msg console selects the console.
	 */
	recv_message(sz, "console/x", "hello from a component");
	w = sz->windows.head->next;
	assert_non_null(w);
	assert_int_equal(w->type, WINDOW_CHAT);
	assert_string_equal(w->name, "console");
	assert_null(tu_console(sz)->locked);
}

/* --- history (struct log_ops) ------------------------------------------- */

static void
core_connect__opens_log__for_account(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	core_set_log(sz, &mem_ops, &f->log);
	go_online(sz);
	assert_int_equal(f->log.opens, 1);
	assert_string_equal(f->log.account, ME);
}

static void
core_handle__logs_incoming_message__with_ids(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct logmsg	*m;
	struct ev	 ev;

	core_set_log(sz, &mem_ops, &f->log);
	go_online(sz);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = "Bob@Example.org/phone";
	ev.message.to = ME_FULL;
	ev.message.type = "chat";
	ev.message.body = "raw \x1b[1m text";
	ev.message.id = "m-1";
	ev.message.origin_id = "o-1";
	ev.message.stanza_id = "s-1";
	core_handle(sz, &ev);

	assert_int_equal(f->log.n, 1);
	m = &f->log.msgs[0];
	assert_string_equal(m->peer, BOB);
	assert_string_equal(m->from_jid, "Bob@Example.org/phone");
	assert_string_equal(m->to_jid, ME_FULL);
	assert_int_equal(m->outgoing, 0);
	assert_string_equal(m->type, "chat");
	assert_string_equal(m->body, "raw \x1b[1m text");	/* raw */
	assert_string_equal(m->msg_id, "m-1");
	assert_string_equal(m->origin_id, "o-1");
	assert_string_equal(m->stanza_id, "s-1");
	assert_true(m->received > 0);
	/* The window shows the sanitised text. */
	assert_null(strchr(tu_last_line(windows_find(&sz->windows, BOB))->text,
	    0x1b));
}

static void
core_input__logs_outgoing_message__with_request_id(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct logmsg	*m;
	struct req	*r;

	core_set_log(sz, &mem_ops, &f->log);
	go_online(sz);
	recv_message(sz, BOB "/phone", "ping?");
	core_select_window(sz, windows_find(&sz->windows, BOB));
	core_input(sz, "pong!");
	r = tu_pop(sz, REQ_MESSAGE);

	assert_int_equal(f->log.n, 2);
	m = &f->log.msgs[1];
	assert_string_equal(m->peer, BOB);
	assert_int_equal(m->outgoing, 1);
	assert_string_equal(m->from_jid, ME_FULL);
	assert_string_equal(m->to_jid, BOB "/phone");
	assert_string_equal(m->body, "pong!");
	assert_string_equal(m->msg_id, r->message.id);
	assert_string_equal(m->origin_id, r->message.id);
	assert_null(m->stanza_id);
	assert_string_equal(m->type, "chat");
	req_free(r);
}

/* XEP-0308: a correction szia applied is logged with the id it replaces,
 * and a window reloaded from the log shows the corrected text in place;
 * one that was not applied stays a line of its own. */
static void
corrections__logged_and_applied_on_reload(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct req	*r;
	struct ev	 ev;
	char		*sent_id;

	core_set_log(sz, &mem_ops, &f->log);
	go_online(sz);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = BOB "/phone";
	ev.message.to = ME_FULL;
	ev.message.type = "chat";
	ev.message.body = "teh cat";
	ev.message.id = "m-1";
	core_handle(sz, &ev);
	ev.message.body = "the cat";
	ev.message.id = "m-2";
	ev.message.replace_id = "m-1";
	core_handle(sz, &ev);
	ev.message.body = "stray";
	ev.message.id = "m-3";
	ev.message.replace_id = "unknown";
	core_handle(sz, &ev);
	w = windows_find(&sz->windows, BOB);
	core_select_window(sz, w);
	core_input(sz, "helo");
	r = tu_pop(sz, REQ_MESSAGE);
	sent_id = xstrdup(r->message.id);
	req_free(r);
	core_input(sz, "/correct hello");
	req_free(tu_pop(sz, REQ_MESSAGE));

	assert_int_equal(f->log.n, 5);
	assert_null(f->log.msgs[0].replace_id);
	assert_string_equal(f->log.msgs[1].replace_id, "m-1");
	assert_null(f->log.msgs[2].replace_id);		/* not applied */
	assert_string_equal(f->log.msgs[4].replace_id, sent_id);
	assert_string_equal(f->log.msgs[4].body, "hello");

	/* Closed and opened again: from the log only. */
	core_input(sz, "/close");
	assert_null(windows_find(&sz->windows, BOB));
	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	assert_int_equal(w->buf.len, 4);	/* + "not in your roster" */
	assert_string_equal(window_line(w, 0)->text, "the cat");
	assert_true(window_line(w, 0)->edited);
	assert_string_equal(window_line(w, 1)->text, "stray");
	assert_false(window_line(w, 1)->edited);
	assert_string_equal(window_line(w, 2)->text, "hello");
	assert_int_equal(window_line(w, 2)->kind, LINE_OUT);
	assert_true(window_line(w, 2)->edited);

	/* A live correction of a reloaded line applies too. */
	ev.message.body = "the black cat";
	ev.message.id = "m-4";
	ev.message.replace_id = "m-2";
	core_handle(sz, &ev);
	assert_int_equal(w->buf.len, 4);
	assert_string_equal(window_line(w, 0)->text, "the black cat");
	free(sent_id);
}

static void
core_open_chat__loads_recent_history(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;
	struct line	*l;
	char		 text[16];
	int		 i;

	for (i = 1; i <= 30; i++) {
		snprintf(text, sizeof text, "#%d", i);
		mem_seed(&f->log, BOB, i % 2 == 0, 1000 + i, text);
		mem_seed(&f->log, "carol@example.org", 0, 1000 + i, "carol");
	}
	core_set_log(sz, &mem_ops, &f->log);
	tu_roster(sz, BOB, "Bob");
	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	assert_string_equal(w->name, BOB);

	/* history.lines = 20: #11 .. #30, oldest first. */
	assert_int_equal(w->buf.len, 20);
	for (i = 0; i < 20; i++) {
		l = window_line(w, i);
		snprintf(text, sizeof text, "#%d", i + 11);
		assert_string_equal(l->text, text);
		assert_true(l->flags & LINE_HISTORY);
		assert_int_equal(l->ts, 1000 + i + 11);
		assert_int_equal(l->kind, (i + 11) % 2 == 0 ? LINE_OUT :
		    LINE_IN);
		assert_string_equal(l->who, (i + 11) % 2 == 0 ? "me" : "Bob");
	}
	assert_false(w->history_done);
	assert_int_equal(w->oldest_log_id, f->log.msgs[20].id);

	/* /history 5 prepends #6 .. #10. */
	core_input(sz, "/history 5");
	assert_int_equal(w->buf.len, 25);
	assert_string_equal(window_line(w, 0)->text, "#6");
	assert_string_equal(window_line(w, 4)->text, "#10");
	assert_string_equal(window_line(w, 5)->text, "#11");
	assert_true(window_line(w, 0)->flags & LINE_HISTORY);
	assert_int_equal(w->scroll, 5);

	/* The rest: only 5 left, so the log is exhausted. */
	core_input(sz, "/history");
	assert_string_equal(window_line(w, 0)->text, "#1");
	assert_true(w->history_done);
	core_input(sz, "/history");
	assert_non_null(strstr(tu_last_line(w)->text, "No older messages"));
	assert_null(tu_find_line(w, "carol"));
}

static void
core_open_chat__sanitises_history(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	struct window	*w;

	mem_seed(&f->log, BOB, 0, 1000, "old \x1b]2;title\x07 line\nsecond");
	core_set_log(sz, &mem_ops, &f->log);
	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	assert_non_null(tu_find_line(w, "old "));
	assert_true(text_is_safe(tu_find_line(w, "old ")->text));
	assert_non_null(strchr(tu_find_line(w, "old ")->text, '\n'));
	assert_true(w->history_done);
}

static void
core_input__refuses_history__when_no_log(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;

	core_input(sz, "/msg " BOB);
	core_input(sz, "/history");
	assert_int_equal(tu_last_line(sz->windows.current)->kind, LINE_ERROR);
	assert_non_null(strstr(tu_last_line(sz->windows.current)->text,
	    "no message log"));
	core_select_window(sz, tu_console(sz));
	core_input(sz, "/history");
	assert_non_null(strstr(tu_last_line(tu_console(sz))->text,
	    "only in a chat window"));
}

static void
core_flush__reports_failure_once__then_recovery(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz = &f->sz;
	size_t		 before;

	core_set_log(sz, &mem_ops, &f->log);
	f->log.fail_flush = 1;
	before = tu_console(sz)->buf.len;
	core_flush(sz);
	core_flush(sz);
	assert_int_equal(tu_console(sz)->buf.len, before + 1);
	assert_non_null(strstr(tu_last_line(tu_console(sz))->text, "disk full"));
	assert_int_equal(tu_last_line(tu_console(sz))->kind, LINE_ERROR);
	f->log.fail_flush = 0;
	core_flush(sz);
	assert_int_equal(tu_console(sz)->buf.len, before + 2);
	assert_non_null(strstr(tu_last_line(tu_console(sz))->text,
	    "writable again"));
	core_flush(sz);
	assert_int_equal(tu_console(sz)->buf.len, before + 2);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(core_init__starts_offline_in_console),
		T(core_input__asks_password__when_connecting_new_jid),
		T(core_handle__queues_presence__when_connected),
		T(core_handle__waits_and_reconnects__when_connection_lost),
		T(core_handle__backs_off_more__when_reconnect_fails_again),
		T(core_input__stops_reconnecting__when_disconnect_typed),
		T(core_handle__goes_offline__when_auth_fails),
		T(core_handle__does_not_retry__when_first_connect_fails),
		T(core_handle__says_disconnected__when_asked_to),
		T(core_handle__offers_trust__when_cert_untrusted),
		T(core_input__refuses_tls_trust__when_nothing_refused),
		T(core_input__forgets_cert__when_tls_deny),
		T(core_tick__sets_away__when_idle_past_autoaway),
		T(core_tick__keeps_manual_away__when_idle),
		T(core_connect__sends_status_set_offline__when_connected),
		T(core_tick__never_sets_away__when_autoaway_zero),
		T(session_backoff__stays_within_jitter_of_capped_base),
		T(session_backoff__grows_then_caps_at_max),
		T(core_handle__opens_unselected_chat__when_contact_writes),
		T(core_handle__keeps_unread_zero__when_window_is_current),
		T(core_handle__marks_highlight__when_chat_message_is_unseen),
		T(core_handle__sanitises_text__when_message_has_escapes),
		T(core_handle__marks_not_in_roster__when_sender_unknown),
		T(core_handle__drops_message__when_from_invalid),
		T(core_handle__ignores_message__when_no_body),
		T(core_handle__shows_error__when_message_bounced),
		T(core_handle__dates_line__when_message_delayed),
		T(core_handle__ignores_delay__when_not_in_past),
		T(core_input__sends_to_locked_resource__until_presence_changes),
		T(core_input__sends_leading_slash__when_doubled),
		T(core_input__gives_error__when_typing_in_console),
		T(core_input__ignores_empty_line),
		T(core_input__queues_message__when_offline),
		T(core_handle__removes_contact__when_push_says_remove),
		T(core_handle__updates_contact__when_push_renames),
		T(core_handle__retitles_window__when_reload_drops_contact),
		T(core_handle__drops_roster_item__when_jid_invalid),
		T(core_handle__shows_presence_line__when_contact_changes),
		T(core_handle__ignores_own_presence),
		T(core_handle__marks_all_offline__when_disconnected),
		T(core_handle__prints_sub_allow__when_subscription_requested),
		T(core_handle__prints_info_sanitised__when_ev_info),
		T(core_handle__reports_pong__when_ping_id_matches),
		T(core_handle__keeps_text_safe__when_jid_has_c1_control),
		T(core_handle__opens_chat_window__when_sender_is_named_console),
		T(core_connect__opens_log__for_account),
		T(core_handle__logs_incoming_message__with_ids),
		T(core_input__logs_outgoing_message__with_request_id),
		T(core_open_chat__loads_recent_history),
		T(corrections__logged_and_applied_on_reload),
		T(core_open_chat__sanitises_history),
		T(core_input__refuses_history__when_no_log),
		T(core_flush__reports_failure_once__then_recovery),
	};

	return cmocka_run_group_tests(tests, tu_group_setup, tu_group_teardown);
}
