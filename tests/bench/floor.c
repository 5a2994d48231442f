/*
 * floor.c - the benchmark's floor: a bare libstrophe receiver.
 *
 * It does the least an XMPP client that receives messages has to do, so
 * that `make bench` can print szia's figures as ratios to it:
 *
 *	floor --count  [options]	count chat messages with a body
 *	floor --sqlite PATH [options]	and insert each into SQLite
 *	... --room ROOM/NICK		join a room (XEP-0045) and count its
 *					group chat messages instead
 *
 * It logs in (STARTTLS, the test server's self-signed certificate trusted
 * with XMPP_CONN_FLAG_TRUST_TLS), asks for the roster, sends initial
 * presence, answers XEP-0199 pings (the sender's windows may ping us) and
 * counts.  In SQLite mode every message becomes a row of a table shaped
 * like szia's log (src/store/history.c), written the way szia writes:
 * one prepared INSERT, one transaction per wake-up (a blocking
 * xmpp_run_once() that returned, then non-blocking ones while stanzas keep
 * coming or the socket stays readable), WAL, synchronous=NORMAL.
 *
 * Lines on standard output (T is CLOCK_MONOTONIC in seconds):
 *	CONNECTED T
 *	ROSTER <items> T	the roster result arrived
 *	JOINED <occupants> T	--room: our own presence came back (status
 *				110), after every other occupant's
 *	PROGRESS <count>	every --progress N messages
 *	DONE <count> T		--expect N messages arrived (and are committed)
 *	EXIT <count>		on the way out
 *	ERROR <text>
 * It runs until SIGTERM or SIGINT, or exits after DONE with --exit.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <strophe.h>

#define FLOOR_ROSTER_ID	"floor-roster"
#define FLOOR_WAIT_MS	1000

struct floor {
	xmpp_ctx_t	*ctx;
	xmpp_conn_t	*conn;
	int		 fd;
	int		 online;
	int		 failed;

	unsigned long	 count;		/* chat messages with a body */
	unsigned long	 expect;	/* print DONE at this count */
	unsigned long	 progress;	/* print PROGRESS every so many */
	unsigned long	 next_progress;
	unsigned long	 activity;	/* stanzas of any kind */
	int		 done;

	sqlite3		*db;
	sqlite3_stmt	*insert;
	sqlite3_stmt	*begin;
	sqlite3_stmt	*commit;
	int		 in_txn;

	const char	*room;		/* --room ROOM/NICK, or NULL */
	size_t		 roomlen;	/* length of the bare room JID */
	unsigned long	 occupants;	/* presences from the room */
	int		 joined;
};

/* The one floor: libstrophe's socket callback gets no user data. */
static struct floor	 fl;
static volatile sig_atomic_t quit;

static const char floor_schema[] =
	"CREATE TABLE IF NOT EXISTS messages ("
	"  id        INTEGER PRIMARY KEY,"
	"  peer      TEXT NOT NULL,"
	"  from_jid  TEXT,"
	"  to_jid    TEXT,"
	"  dir       INTEGER NOT NULL,"
	"  ts        INTEGER NOT NULL,"
	"  received  INTEGER NOT NULL,"
	"  type      TEXT,"
	"  body      TEXT,"
	"  msg_id    TEXT,"
	"  origin_id TEXT,"
	"  stanza_id TEXT"
	");"
	"CREATE INDEX IF NOT EXISTS messages_peer_id ON messages (peer, id);"
	"CREATE INDEX IF NOT EXISTS messages_peer_stanza_id"
	"  ON messages (peer, stanza_id) WHERE stanza_id IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS messages_peer_origin_id"
	"  ON messages (peer, origin_id) WHERE origin_id IS NOT NULL;"
	/* szia's migration 2: de-duplication by message id. */
	"CREATE INDEX IF NOT EXISTS messages_peer_msg_id"
	"  ON messages (peer, msg_id) WHERE msg_id IS NOT NULL;";

static void
floor_on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static double
floor_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
floor_fatal_db(const char *what)
{
	printf("ERROR %s: %s\n", what, sqlite3_errmsg(fl.db));
	exit(1);
}

static void
floor_open_db(const char *path)
{
	char	*err = NULL;

	if (sqlite3_open_v2(path, &fl.db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		floor_fatal_db(path);
	if (sqlite3_exec(fl.db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;", NULL, NULL, &err) != SQLITE_OK ||
	    sqlite3_exec(fl.db, floor_schema, NULL, NULL, &err) != SQLITE_OK) {
		printf("ERROR %s: %s\n", path, err);
		exit(1);
	}
	if (sqlite3_prepare_v2(fl.db, "INSERT INTO messages (peer, from_jid, "
	    "to_jid, dir, ts, received, type, body, msg_id, origin_id, "
	    "stanza_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	    -1, &fl.insert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(fl.db, "BEGIN IMMEDIATE", -1, &fl.begin,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(fl.db, "COMMIT", -1, &fl.commit,
	    NULL) != SQLITE_OK)
		floor_fatal_db("prepare");
}

static void
floor_step(sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		floor_fatal_db(what);
	sqlite3_reset(st);
}

static void
floor_commit(void)
{
	if (!fl.in_txn)
		return;
	floor_step(fl.commit, "commit");
	fl.in_txn = 0;
}

static void
floor_close_db(void)
{
	if (fl.db == NULL)
		return;
	floor_commit();
	sqlite3_finalize(fl.insert);
	sqlite3_finalize(fl.begin);
	sqlite3_finalize(fl.commit);
	sqlite3_close(fl.db);
	fl.db = NULL;
}

/* Insert one message; the transaction ends in floor_commit(). */
static void
floor_store(xmpp_stanza_t *st, xmpp_stanza_t *body)
{
	const char	*from = xmpp_stanza_get_from(st);
	const char	*text = xmpp_stanza_get_text_ptr(body);
	const char	*slash;
	xmpp_stanza_t	*c;
	time_t		 now = time(NULL);
	int		 peerlen;

	if (from == NULL)
		from = "";
	slash = strchr(from, '/');
	peerlen = slash != NULL ? (int)(slash - from) : (int)strlen(from);
	if (!fl.in_txn) {
		floor_step(fl.begin, "begin");
		fl.in_txn = 1;
	}
	sqlite3_bind_text(fl.insert, 1, from, peerlen, SQLITE_STATIC);
	sqlite3_bind_text(fl.insert, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(fl.insert, 3, xmpp_stanza_get_to(st), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(fl.insert, 4, 0);
	sqlite3_bind_int64(fl.insert, 5, now);
	sqlite3_bind_int64(fl.insert, 6, now);
	sqlite3_bind_text(fl.insert, 7, xmpp_stanza_get_type(st), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(fl.insert, 8, text != NULL ? text : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(fl.insert, 9, xmpp_stanza_get_id(st), -1,
	    SQLITE_STATIC);
	c = xmpp_stanza_get_child_by_name_and_ns(st, "origin-id",
	    "urn:xmpp:sid:0");
	sqlite3_bind_text(fl.insert, 10, c != NULL ?
	    xmpp_stanza_get_attribute(c, "id") : NULL, -1, SQLITE_STATIC);
	c = xmpp_stanza_get_child_by_name_and_ns(st, "stanza-id",
	    "urn:xmpp:sid:0");
	sqlite3_bind_text(fl.insert, 11, c != NULL ?
	    xmpp_stanza_get_attribute(c, "id") : NULL, -1, SQLITE_STATIC);
	floor_step(fl.insert, "insert");
	sqlite3_clear_bindings(fl.insert);
}

static int
floor_any(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	(void)conn;
	(void)st;
	(void)ud;
	fl.activity++;
	return 1;
}

static int
floor_message(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	const char	*type = xmpp_stanza_get_type(st);
	xmpp_stanza_t	*body;

	(void)conn;
	(void)ud;
	if (type == NULL || strcmp(type, fl.room != NULL ? "groupchat" :
	    "chat") != 0)
		return 1;
	if ((body = xmpp_stanza_get_child_by_name(st, "body")) == NULL)
		return 1;
	if (fl.db != NULL)
		floor_store(st, body);
	fl.count++;
	return 1;
}

static int
floor_iq(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	const char	*type = xmpp_stanza_get_type(st);
	xmpp_stanza_t	*reply;

	(void)ud;
	if (type == NULL || strcmp(type, "get") != 0 ||
	    xmpp_stanza_get_child_by_ns(st, "urn:xmpp:ping") == NULL)
		return 1;
	reply = xmpp_stanza_reply(st);
	xmpp_stanza_set_type(reply, "result");
	xmpp_send(conn, reply);
	xmpp_stanza_release(reply);
	return 1;
}

static int
floor_roster(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	xmpp_stanza_t	*q, *c;
	const char	*type = xmpp_stanza_get_type(st);
	unsigned long	 n = 0;

	(void)conn;
	(void)ud;
	if (type == NULL || strcmp(type, "result") != 0) {
		printf("ERROR roster: %s\n", type != NULL ? type : "no type");
		return 0;
	}
	if ((q = xmpp_stanza_get_child_by_name(st, "query")) != NULL) {
		for (c = xmpp_stanza_get_children(q); c != NULL;
		    c = xmpp_stanza_get_next(c)) {
			if (xmpp_stanza_is_tag(c) &&
			    strcmp(xmpp_stanza_get_name(c), "item") == 0)
				n++;
		}
	}
	printf("ROSTER %lu %.6f\n", n, floor_now());
	return 0;
}

/* --room: count the occupants until our own presence (status 110). */
static int
floor_presence(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	const char	*from = xmpp_stanza_get_from(st);
	xmpp_stanza_t	*x, *c;

	(void)conn;
	(void)ud;
	if (fl.room == NULL || fl.joined || from == NULL ||
	    strncmp(from, fl.room, fl.roomlen) != 0 || from[fl.roomlen] != '/')
		return 1;
	fl.occupants++;
	x = xmpp_stanza_get_child_by_name_and_ns(st, "x",
	    "http://jabber.org/protocol/muc#user");
	for (c = x != NULL ? xmpp_stanza_get_children(x) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "status") == 0 &&
		    xmpp_stanza_get_attribute(c, "code") != NULL &&
		    strcmp(xmpp_stanza_get_attribute(c, "code"), "110") == 0) {
			fl.joined = 1;
			printf("JOINED %lu %.6f\n", fl.occupants, floor_now());
		}
	}
	return 1;
}

static void
floor_join(xmpp_conn_t *conn)
{
	xmpp_stanza_t	*pres, *x;

	pres = xmpp_presence_new(fl.ctx);
	xmpp_stanza_set_to(pres, fl.room);
	x = xmpp_stanza_new(fl.ctx);
	xmpp_stanza_set_name(x, "x");
	xmpp_stanza_set_ns(x, "http://jabber.org/protocol/muc");
	xmpp_stanza_add_child(pres, x);
	xmpp_stanza_release(x);
	xmpp_send(conn, pres);
	xmpp_stanza_release(pres);
}

static int
floor_sockopt(xmpp_conn_t *conn, void *sock)
{
	fl.fd = *(int *)sock;
	return xmpp_sockopt_cb_keepalive(conn, sock);
}

static void
floor_conn(xmpp_conn_t *conn, xmpp_conn_event_t status, int error,
    xmpp_stream_error_t *se, void *ud)
{
	xmpp_stanza_t	*iq, *q, *pres;

	(void)ud;
	if (status == XMPP_CONN_RAW_CONNECT)
		return;
	if (status != XMPP_CONN_CONNECT) {
		if (!quit)
			printf("ERROR disconnected (error %d%s)\n", error,
			    se != NULL ? ", stream error" : "");
		fl.online = 0;
		fl.failed = 1;
		return;
	}
	fl.online = 1;
	printf("CONNECTED %.6f\n", floor_now());
	xmpp_handler_add(conn, floor_any, NULL, NULL, NULL, NULL);
	xmpp_handler_add(conn, floor_message, NULL, "message", NULL, NULL);
	xmpp_handler_add(conn, floor_iq, NULL, "iq", NULL, NULL);
	xmpp_handler_add(conn, floor_presence, NULL, "presence", NULL, NULL);
	xmpp_id_handler_add(conn, floor_roster, FLOOR_ROSTER_ID, NULL);

	/* As a client does (RFC 6121): the roster, then presence. */
	iq = xmpp_iq_new(fl.ctx, "get", FLOOR_ROSTER_ID);
	q = xmpp_stanza_new(fl.ctx);
	xmpp_stanza_set_name(q, "query");
	xmpp_stanza_set_ns(q, "jabber:iq:roster");
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xmpp_send(conn, iq);
	xmpp_stanza_release(iq);
	pres = xmpp_presence_new(fl.ctx);
	xmpp_send(conn, pres);
	xmpp_stanza_release(pres);
	if (fl.room != NULL)
		floor_join(conn);
}

static int
floor_fd_readable(void)
{
	struct pollfd	pfd;

	if (fl.fd < 0)
		return 0;
	pfd.fd = fl.fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0;
}

/* One wake-up: wait, drain, commit once, report. */
static void
floor_turn(void)
{
	unsigned long	before;

	xmpp_run_once(fl.ctx, FLOOR_WAIT_MS);
	do {
		before = fl.activity;
		xmpp_run_once(fl.ctx, 0);
	} while (!quit && fl.online &&
	    (fl.activity != before || floor_fd_readable()));
	floor_commit();
	if (fl.progress > 0 && fl.count >= fl.next_progress) {
		printf("PROGRESS %lu\n", fl.count);
		while (fl.next_progress <= fl.count)
			fl.next_progress += fl.progress;
	}
	if (!fl.done && fl.expect > 0 && fl.count >= fl.expect) {
		fl.done = 1;
		printf("DONE %lu %.6f\n", fl.count, floor_now());
	}
}

static void
floor_usage(void)
{
	fprintf(stderr, "usage: floor --count | --sqlite PATH --jid JID "
	    "--password PW\n"
	    "             [--host HOST] [--port PORT] [--resource RES]\n"
	    "             [--expect N [--exit]] [--progress N]"
	    " [--room ROOM/NICK]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", no_argument, NULL, 'c' },
		{ "sqlite", required_argument, NULL, 's' },
		{ "jid", required_argument, NULL, 'j' },
		{ "password", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'P' },
		{ "resource", required_argument, NULL, 'r' },
		{ "expect", required_argument, NULL, 'n' },
		{ "exit", no_argument, NULL, 'x' },
		{ "progress", required_argument, NULL, 'g' },
		{ "room", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*jid = NULL, *password = NULL, *host = NULL;
	const char		*resource = "floor", *dbpath = NULL;
	char			*fulljid;
	unsigned short		 port = 0;
	int			 ch, mode = 0, exit_when_done = 0, i;
	struct sigaction	 sa;
	size_t			 len;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			mode = 'c';
			break;
		case 's':
			mode = 's';
			dbpath = optarg;
			break;
		case 'j':
			jid = optarg;
			break;
		case 'p':
			password = optarg;
			break;
		case 'H':
			host = optarg;
			break;
		case 'P':
			port = (unsigned short)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			resource = optarg;
			break;
		case 'n':
			fl.expect = strtoul(optarg, NULL, 10);
			break;
		case 'x':
			exit_when_done = 1;
			break;
		case 'g':
			fl.progress = strtoul(optarg, NULL, 10);
			fl.next_progress = fl.progress;
			break;
		case 'R':
			fl.room = optarg;
			if (strchr(optarg, '/') == NULL)
				floor_usage();
			fl.roomlen = strchr(optarg, '/') - optarg;
			break;
		default:
			floor_usage();
		}
	}
	if (mode == 0 || jid == NULL || password == NULL || optind != argc)
		floor_usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = floor_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fl.fd = -1;
	if (mode == 's')
		floor_open_db(dbpath);

	xmpp_initialize();
	fl.ctx = xmpp_ctx_new(NULL, NULL);
	fl.conn = xmpp_conn_new(fl.ctx);
	xmpp_conn_set_flags(fl.conn, XMPP_CONN_FLAG_MANDATORY_TLS |
	    XMPP_CONN_FLAG_TRUST_TLS | XMPP_CONN_FLAG_DISABLE_SM);
	len = strlen(jid) + strlen(resource) + 2;
	if ((fulljid = malloc(len)) == NULL) {
		printf("ERROR out of memory\n");
		return 1;
	}
	snprintf(fulljid, len, "%s/%s", jid, resource);
	xmpp_conn_set_jid(fl.conn, fulljid);
	xmpp_conn_set_pass(fl.conn, password);
	xmpp_conn_set_sockopt_callback(fl.conn, floor_sockopt);
	if (xmpp_connect_client(fl.conn, host, port, floor_conn, NULL) !=
	    XMPP_EOK) {
		printf("ERROR cannot connect\n");
		return 1;
	}

	while (!quit && !fl.failed && !(fl.done && exit_when_done))
		floor_turn();

	floor_close_db();
	if (fl.online) {
		xmpp_disconnect(fl.conn);
		for (i = 0; i < 20 && !xmpp_conn_is_disconnected(fl.conn); i++)
			xmpp_run_once(fl.ctx, 50);
	}
	printf("EXIT %lu\n", fl.count);
	xmpp_conn_release(fl.conn);
	xmpp_ctx_free(fl.ctx);
	xmpp_shutdown();
	free(fulljid);
	return fl.failed && !quit ? 1 : 0;
}
