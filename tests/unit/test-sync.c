/*
 * test-sync.c - [sync] the core's side of synchronisation (src/core/sync.c,
 * sync-mam.c): carbons, archive query bookkeeping and catch-up,
 * de-duplication, the offline outbox and client state indication.
 *
 * A real struct szia is driven through core_handle()/core_input(); a small
 * in-memory log (with seen / archive_last / archive_set) stands in for
 * SQLite; the assertions look at windows and the outbox.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/core.h"
#include "core/sync.h"
#include "util/str.h"
#include "util/xalloc.h"

/* --- an in-memory log --------------------------------------------------- */

struct memlog {
	struct logmsg	 msgs[64];
	size_t		 n;
	char		*last;		/* archive_last of ME */
	int		 sets;
};

static struct memlog	ml;

static int
mem_open(void *ctx, const char *account, char **cause)
{
	return 0;
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void
mem_add(void *ctx, const struct logmsg *m)
{
	struct logmsg	*c = &ml.msgs[ml.n++];

	assert_true(ml.n < 64);
	tu_logmsg_copy(c, m);
}

static int
mem_flush(void *ctx, char **cause)
{
	return 0;
}

static int
mem_recent(void *ctx, const char *peer, int64_t before, size_t n,
    struct logmsg **out, char **cause)
{
	*out = NULL;
	return 0;
}

static void
mem_free_msgs(void *ctx, struct logmsg *m, size_t n)
{
	free(m);
}

static unsigned	seen_calls;	/* how often the log was asked */

static int
mem_seen(void *ctx, const char *peer, const char *sid, const char *oid,
    const char *mid, const char *from)
{
	size_t	i;

	seen_calls++;
	for (i = 0; i < ml.n; i++) {
		if (!same(ml.msgs[i].peer, peer))
			continue;
		if (same(ml.msgs[i].stanza_id, sid))
			return 1;
		if (same(ml.msgs[i].from_jid, from) &&
		    (same(ml.msgs[i].origin_id, oid) ||
		    same(ml.msgs[i].msg_id, mid)))
			return 1;
	}
	return 0;
}

static char *
mem_archive_last(void *ctx, const char *archive)
{
	assert_string_equal(archive, ME);
	return xstrdup_or_null(ml.last);
}

static int
mem_archive_set(void *ctx, const char *archive, const char *id,
    char **cause)
{
	assert_string_equal(archive, ME);
	str_replace(&ml.last, id);
	ml.sets++;
	return 0;
}

static char *
mem_oldest(void *ctx, const char *peer)
{
	return xstrdup("OLDEST");
}

static const struct log_ops mem_ops = {
	.open = mem_open,
	.add = mem_add,
	.flush = mem_flush,
	.recent = mem_recent,
	.free_msgs = mem_free_msgs,
	.seen = mem_seen,
	.archive_last = mem_archive_last,
	.archive_set = mem_archive_set,
	.oldest_stanza_id = mem_oldest,
};

/* --- fixture ------------------------------------------------------------ */

static struct szia	sz;

static int
setup(void **state)
{
	struct core_config	cfg = { NULL, NULL, NULL };

	memset(&ml, 0, sizeof ml);
	core_init(&sz, &cfg);
	core_set_log(&sz, &mem_ops, &ml);
	return 0;
}

static int
teardown(void **state)
{
	size_t	i;

	core_free(&sz);
	for (i = 0; i < ml.n; i++)
		tu_logmsg_clear(&ml.msgs[i]);
	free(ml.last);
	return 0;
}

static struct req *
pop(enum req_type type)
{
	return tu_pop(&sz, type);
}

static void
assert_outbox_empty(void)
{
	tu_outbox_empty(&sz);
}

/* Online; the requests of the new session are left in the outbox. */
static void
connect_(void)
{
	tu_online(&sz);
	req_free(pop(REQ_CONNECT));
	req_free(pop(REQ_PRESENCE));
}

/* Online; returns the catch-up query (the REQ_CARBONS before it dropped). */
static struct req *
catchup(void)
{
	connect_();
	req_free(pop(REQ_CARBONS));
	return pop(REQ_MAM_QUERY);
}

static size_t
count_lines(const struct window *w, const char *needle)
{
	size_t	i, n = 0;

	for (i = 0; i < w->buf.len; i++) {
		if (strstr(window_line(w, i)->text, needle) != NULL)
			n++;
	}
	return n;
}

/* The XEP-0308 replace id message() puts in its events: set only by
 * carbon_correction(). */
static const char	*replace_id;

static void
message(const char *from, const char *to, const char *body, const char *id,
    const char *stanza_id, int carbon, const char *archive,
    const char *queryid)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.replace_id = replace_id;
	ev.message.from = from;
	ev.message.to = to;
	ev.message.type = "chat";
	ev.message.body = body;
	ev.message.id = id;
	ev.message.origin_id = id;
	ev.message.stanza_id = stanza_id;
	ev.message.carbon = carbon;
	ev.message.archive = archive;
	ev.message.queryid = queryid;
	core_handle(&sz, &ev);
}

static void
fin(const char *queryid, int complete, const char *first, const char *last,
    const char *error)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_MAM_FIN;
	ev.mam_fin.queryid = queryid;
	ev.mam_fin.complete = complete;
	ev.mam_fin.first = first;
	ev.mam_fin.last = last;
	ev.mam_fin.error = error;
	core_handle(&sz, &ev);
}

/* --- tests -------------------------------------------------------------- */

static void
connect__fetches_last_page__without_stored_id(void **state)
{
	struct req	*r;

	r = catchup();
	assert_null(r->mam.archive);
	assert_null(r->mam.after);
	assert_string_equal(r->mam.before, "");
	assert_int_equal(r->mam.max, 50);
	assert_true(core_mam_pending(&sz, r->mam.queryid));
	message(BOB "/desk", ME_FULL, "archived hi", "a1", "S1", 0, ME,
	    r->mam.queryid);
	fin(r->mam.queryid, 1, "S1", "S1", NULL);
	assert_false(core_mam_pending(&sz, r->mam.queryid));
	assert_string_equal(ml.last, "S1");
	assert_true(tu_find_line(windows_find(&sz.windows, BOB), "archived hi")
	    ->flags & LINE_ARCHIVE);
	req_free(r);
	assert_outbox_empty();
}

static void
catchup__pages_after_stored_id__until_complete(void **state)
{
	struct req	*r, *r2;
	struct window	*w;

	ml.last = xstrdup("S0");
	r = catchup();
	assert_string_equal(r->mam.after, "S0");
	assert_null(r->mam.before);
	assert_int_equal(r->mam.max, 100);
	message(BOB "/desk", ME_FULL, "one", "m1", "S1", 0, ME,
	    r->mam.queryid);
	/* Our own sent message, archived: outgoing in Bob's window. */
	message(ME_FULL, BOB, "mine", "o2", "S2", 0, ME, r->mam.queryid);
	fin(r->mam.queryid, 0, "S1", "S2", NULL);
	assert_string_equal(ml.last, "S2");
	r2 = pop(REQ_MAM_QUERY);
	assert_string_equal(r2->mam.after, "S2");
	/* The first query is over: its results are refused now. */
	message(BOB "/desk", ME_FULL, "late", "m9", "S9", 0, ME,
	    r->mam.queryid);
	message(BOB "/desk", ME_FULL, "three", "m3", "S3", 0, ME,
	    r2->mam.queryid);
	fin(r2->mam.queryid, 1, "S3", "S3", NULL);
	assert_string_equal(ml.last, "S3");
	assert_outbox_empty();
	w = windows_find(&sz.windows, BOB);
	assert_non_null(w);
	assert_int_equal(tu_find_line(w, "mine")->kind, LINE_OUT);
	assert_int_equal(tu_find_line(w, "one")->kind, LINE_IN);
	assert_null(tu_find_line(w, "late"));
	assert_non_null(tu_find_line(windows_console(&sz.windows),
	    "3 messages fetched"));
	req_free(r);
	req_free(r2);
}

static void
catchup__falls_back_to_last_page__when_id_unknown(void **state)
{
	struct req	*r;

	ml.last = xstrdup("GONE");
	r = catchup();
	fin(r->mam.queryid, 0, NULL, NULL, "item-not-found");
	req_free(r);
	r = pop(REQ_MAM_QUERY);
	assert_string_equal(r->mam.before, "");
	req_free(r);
}

static void
result__is_refused__from_other_archive_or_unknown_query(void **state)
{
	struct req	*r;

	r = catchup();
	message(BOB "/desk", ME_FULL, "from bob's archive", "x1", "X1", 0,
	    BOB, r->mam.queryid);
	message(BOB "/desk", ME_FULL, "made-up query", "x2", "X2", 0, ME,
	    "nosuchquery");
	assert_null(windows_find(&sz.windows, BOB));
	assert_int_equal(ml.n, 0);
	req_free(r);
}

static void
message__is_shown_once__live_carbon_and_archive(void **state)
{
	struct req	*r, *m;
	struct window	*w;

	r = catchup();
	message(BOB "/desk", ME_FULL, "hello once", "m1", "S1", 0, NULL, NULL);
	message(BOB "/desk", ME_FULL, "hello once", "m1", "S1", 0, ME,
	    r->mam.queryid);
	message(BOB "/desk", ME_FULL, "hello once", "m1", NULL,
	    CARBON_RECEIVED, NULL, NULL);
	/* Sent by us here, then echoed by the archive. */
	w = windows_find(&sz.windows, BOB);
	core_select_window(&sz, w);
	core_input(&sz, "my answer");
	m = pop(REQ_MESSAGE);
	message(ME_FULL, BOB, "my answer", m->message.id, "S2", 0, ME,
	    r->mam.queryid);
	assert_int_equal(count_lines(w, "hello once"), 1);
	assert_int_equal(count_lines(w, "my answer"), 1);
	assert_int_equal(ml.n, 2);
	req_free(m);
	req_free(r);
}

/* A stanza resent after a resumption is known from memory: a plain live
 * message never costs a query to the log; ids are per sender. */
static void
message__resent_live__is_shown_once__without_asking_the_log(void **state)
{
	struct req	*r;
	struct window	*w;

	r = catchup();
	fin(r->mam.queryid, 1, NULL, NULL, NULL);	/* catch-up over */
	req_free(r);
	seen_calls = 0;
	message(BOB "/desk", ME_FULL, "resent", "m7", "S7", 0, NULL, NULL);
	message(BOB "/desk", ME_FULL, "resent", "m7", "S7", 0, NULL, NULL);
	message(BOB "/desk", ME_FULL, "resent", "m7", NULL, 0, NULL, NULL);
	/* The same id from someone else is another message. */
	message(BOB "/phone", ME_FULL, "other sender", "m7", NULL, 0, NULL,
	    NULL);
	w = windows_find(&sz.windows, BOB);
	assert_non_null(w);
	assert_int_equal(count_lines(w, "resent"), 1);
	assert_int_equal(count_lines(w, "other sender"), 1);
	assert_int_equal(ml.n, 2);
	assert_int_equal(seen_calls, 0);
}

/* The memory of this run's ids keeps the newest 4096 and forgets the
 * older ones, whatever the order of deletions in its table. */
static void
seen__remembers_the_newest_ids__and_forgets_older(void **state)
{
	struct ev	ev;
	char		id[32];
	int		i;

	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "id-%d", i);
		sync_remember(&sz, BOB, BOB "/x", id, NULL, NULL);
	}
	memset(&ev, 0, sizeof ev);
	ev.type = EV_MESSAGE;
	ev.message.from = BOB "/x";
	for (i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "id-%d", i);
		ev.message.id = id;
		if (sync_remembered(&sz, BOB, &ev) != (i >= 5000 - 4096))
			fail_msg("id-%d: remembered %d", i,
			    sync_remembered(&sz, BOB, &ev));
	}
	ev.message.id = "id-4999";
	ev.message.from = BOB "/other";		/* ids are per sender */
	assert_false(sync_remembered(&sz, BOB, &ev));
}

static void
carbons__sent_is_outgoing__and_forged_sender_ignored(void **state)
{
	struct window	*w;

	connect_();
	message(ME "/phone", BOB, "from my phone", "p1", NULL, CARBON_SENT,
	    NULL, NULL);
	message(BOB "/desk", ME "/phone", "to my phone", "p2", NULL,
	    CARBON_RECEIVED, NULL, NULL);
	/* A "sent" carbon of someone else's message is a forgery. */
	message("mallory@evil.example/x", BOB, "forged", "p3", NULL,
	    CARBON_SENT, NULL, NULL);
	w = windows_find(&sz.windows, BOB);
	assert_int_equal(tu_find_line(w, "from my phone")->kind, LINE_OUT);
	assert_true(tu_find_line(w, "from my phone")->flags & LINE_CARBON);
	assert_int_equal(tu_find_line(w, "to my phone")->kind, LINE_IN);
	assert_null(tu_find_line(w, "forged"));
	assert_null(windows_find(&sz.windows, "mallory@evil.example"));
}

/* A carbon that corrects REPLACES. */
static void
carbon_correction(const char *from, const char *to, const char *body,
    const char *id, const char *replaces, int carbon)
{
	replace_id = replaces;
	message(from, to, body, id, NULL, carbon, NULL, NULL);
	replace_id = NULL;
}

/* XEP-0308 through carbons, as live: our other client's correction of its
 * line, the contact's of theirs; never someone else's line. */
static void
carbons__corrections_apply_in_place__only_to_the_senders_line(void **state)
{
	struct window	*w;
	size_t		 n;

	connect_();
	message(ME "/phone", BOB, "teh cat", "p1", NULL, CARBON_SENT, NULL,
	    NULL);
	message(BOB "/desk", ME "/phone", "helo", "b1", NULL, CARBON_RECEIVED,
	    NULL, NULL);
	w = windows_find(&sz.windows, BOB);
	n = w->buf.len;
	carbon_correction(ME "/phone", BOB, "the cat", "p2", "p1", CARBON_SENT);
	carbon_correction(BOB "/desk", ME "/phone", "hello", "b2", "b1",
	    CARBON_RECEIVED);
	assert_int_equal(w->buf.len, n);
	assert_true(tu_find_line(w, "the cat")->edited);
	assert_int_equal(tu_find_line(w, "the cat")->kind, LINE_OUT);
	assert_true(tu_find_line(w, "hello")->edited);
	assert_null(tu_find_line(w, "teh cat"));
	/* A correction naming the previous correction's id applies too. */
	carbon_correction(BOB "/desk", ME "/phone", "hello!", "b3", "b2",
	    CARBON_RECEIVED);
	assert_int_equal(w->buf.len, n);
	assert_non_null(tu_find_line(w, "hello!"));
	/* Bob cannot correct our line: his is a new line. */
	carbon_correction(BOB "/desk", ME "/phone", "fake", "b4", "p1",
	    CARBON_RECEIVED);
	assert_int_equal(w->buf.len, n + 1);
	assert_non_null(tu_find_line(w, "the cat"));
	assert_false(tu_find_line(w, "fake")->edited);
	/* The log: the applied ones name what they replace. */
	assert_string_equal(ml.msgs[ml.n - 4].replace_id, "p1");
	assert_string_equal(ml.msgs[ml.n - 3].replace_id, "b1");
	assert_null(ml.msgs[ml.n - 1].replace_id);
}

static void
outbox__pending_lines_sent_in_order__on_connect(void **state)
{
	struct window	*w;
	struct req	*r;

	core_input(&sz, "/msg " BOB " first");
	core_input(&sz, "second");
	w = windows_find(&sz.windows, BOB);
	assert_true(tu_find_line(w, "first")->flags & LINE_PENDING);
	assert_true(tu_find_line(w, "second")->flags & LINE_PENDING);
	assert_outbox_empty();
	assert_int_equal(ml.n, 2);	/* logged when typed */
	req_free(catchup());
	r = pop(REQ_MESSAGE);
	assert_string_equal(r->message.body, "first");
	assert_string_equal(r->message.to, BOB);
	req_free(r);
	r = pop(REQ_MESSAGE);
	assert_string_equal(r->message.body, "second");
	req_free(r);
	assert_false(tu_find_line(w, "first")->flags & LINE_PENDING);
	assert_false(tu_find_line(w, "second")->flags & LINE_PENDING);
	assert_outbox_empty();
}

static void
history__asks_archive__when_log_runs_out(void **state)
{
	struct req	*r;
	struct window	*w;

	connect_();
	outbox_clear(&sz.outbox);
	core_input(&sz, "/msg " BOB);
	w = sz.windows.current;
	core_input(&sz, "/history 30");
	r = pop(REQ_MAM_QUERY);
	assert_string_equal(r->mam.with, BOB);
	assert_string_equal(r->mam.before, "OLDEST");
	assert_int_equal(r->mam.max, 30);
	message(BOB "/desk", ME_FULL, "older 1", "h1", "H1", 0, ME,
	    r->mam.queryid);
	message(ME_FULL, BOB, "older 2", "h2", "H2", 0, ME, r->mam.queryid);
	/* Shown only at the end of the page, above everything. */
	assert_null(tu_find_line(w, "older 1"));
	fin(r->mam.queryid, 1, "H1", "H2", NULL);
	assert_string_equal(window_line(w, 0)->text, "older 1");
	assert_string_equal(window_line(w, 1)->text, "older 2");
	assert_int_equal(window_line(w, 1)->kind, LINE_OUT);
	assert_null(ml.last);	/* backfill does not move the catch-up */
	req_free(r);
}

static void
focus__sends_csi__only_on_change(void **state)
{
	struct req	*r;

	connect_();
	outbox_clear(&sz.outbox);
	core_focus(&sz, 0);
	r = pop(REQ_CSI);
	assert_false(r->csi.active);
	req_free(r);
	core_focus(&sz, 0);
	assert_outbox_empty();
	core_focus(&sz, 1);
	r = pop(REQ_CSI);
	assert_true(r->csi.active);
	req_free(r);
	assert_outbox_empty();
}

static void
idle__sends_csi_inactive__after_csi_idle_minutes(void **state)
{
	struct req	*r;
	char		*cause = NULL;
	uint64_t	 t0;

	assert_int_equal(settings_set(&sz.settings, "csi.idle", "2", &cause),
	    0);
	connect_();
	outbox_clear(&sz.outbox);
	t0 = sz.last_activity;
	assert_true(core_timeout(&sz, t0) > 0);
	core_tick(&sz, t0 + 60000);
	assert_outbox_empty();
	core_tick(&sz, t0 + 120000);
	r = pop(REQ_CSI);
	assert_false(r->csi.active);
	req_free(r);
	core_tick(&sz, t0 + 180000);
	assert_outbox_empty();
	core_activity(&sz, t0 + 190000);
	r = pop(REQ_CSI);
	assert_true(r->csi.active);
	req_free(r);
	assert_outbox_empty();
}

static void
resumed__after_a_reported_drop__probes_roster_and_sends_pending(
    void **state)
{
	struct ev		 ev;
	struct req		*r;
	struct window		*w;

	connect_();
	tu_roster(&sz, BOB, NULL);
	outbox_clear(&sz.outbox);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_DISCONNECTED;
	ev.disconnected.error = ERR_LOST;
	core_handle(&sz, &ev);
	assert_int_equal(sz.session.state, CONN_WAITING);
	core_input(&sz, "/msg " BOB " while away");
	w = windows_find(&sz.windows, BOB);
	assert_true(tu_find_line(w, "while away")->flags & LINE_PENDING);
	outbox_clear(&sz.outbox);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_SM_RESUMED;
	ev.connected.jid = ME_FULL;
	core_handle(&sz, &ev);
	assert_int_equal(sz.session.state, CONN_ONLINE);
	assert_non_null(tu_find_line(windows_console(&sz.windows),
	    "Connection resumed"));
	/* No new session: no presence, carbons or catch-up again. */
	r = pop(REQ_PROBE);
	assert_string_equal(r->probe.to, BOB);
	req_free(r);
	r = pop(REQ_MESSAGE);
	assert_string_equal(r->message.body, "while away");
	req_free(r);
	assert_false(tu_find_line(w, "while away")->flags & LINE_PENDING);
	assert_outbox_empty();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(connect__fetches_last_page__without_stored_id),
		T(catchup__pages_after_stored_id__until_complete),
		T(catchup__falls_back_to_last_page__when_id_unknown),
		T(result__is_refused__from_other_archive_or_unknown_query),
		T(message__is_shown_once__live_carbon_and_archive),
		T(message__resent_live__is_shown_once__without_asking_the_log),
		T(seen__remembers_the_newest_ids__and_forgets_older),
		T(carbons__sent_is_outgoing__and_forged_sender_ignored),
		T(carbons__corrections_apply_in_place__only_to_the_senders_line),
		T(outbox__pending_lines_sent_in_order__on_connect),
		T(history__asks_archive__when_log_runs_out),
		T(focus__sends_csi__only_on_change),
		T(idle__sends_csi_inactive__after_csi_idle_minutes),
		T(resumed__after_a_reported_drop__probes_roster_and_sends_pending),
#undef T
	};

	return cmocka_run_group_tests(tests, tu_group_setup, tu_group_teardown);
}
