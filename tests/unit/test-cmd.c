/*
 * test-cmd.c - unit tests for the command table, dispatcher and
 * completion (src/core/cmd*.c, complete.c).
 *
 * Commands run against a real struct szia (nothing persisted: NULL paths,
 * XDG folders in a mkdtemp folder); the assertions look at the lines the
 * commands print, the state they change and the requests they queue.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <ftw.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/cmd.h"
#include "core/core.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define CAROL	"carol@example.org"

/* --- helpers ------------------------------------------------------------ */

/* Does some line of W from index FROM on contain NEEDLE? */
static int
has_line_from(const struct window *w, size_t from, const char *needle)
{
	size_t	i;

	for (i = from; i < w->buf.len; i++) {
		if (strstr(window_line(w, i)->text, needle) != NULL)
			return 1;
	}
	return 0;
}

/*
 * Run LINE in the current window; it must print exactly one line of KIND
 * containing NEEDLE and return RV.
 */
static void
assert_one_line(struct szia *sz, const char *line, enum cmd_retval rv,
    enum line_kind kind, const char *needle)
{
	struct window	*w = sz->windows.current;
	size_t		 before = w->buf.len;

	assert_int_equal(cmd_run(sz, w, line), rv);
	if (w->buf.len != before + 1)
		fail_msg("'%s' printed %zu lines", line, w->buf.len - before);
	assert_int_equal(tu_last_line(w)->kind, kind);
	if (strstr(tu_last_line(w)->text, needle) == NULL)
		fail_msg("'%s' printed '%s', lacks '%s'", line,
		    tu_last_line(w)->text, needle);
}

static void
go_online(struct szia *sz)
{
	tu_online(sz);
	outbox_clear(&sz->outbox);
}

/* A roster of Bob (named "Bob") and Carol (no name). */
static void
recv_roster(struct szia *sz)
{
	struct ev	ev;
	struct ev_item	items[2];

	memset(items, 0, sizeof items);
	items[0].jid = BOB;
	items[0].name = "Bob";
	items[0].subscription = "both";
	items[1].jid = CAROL;
	items[1].subscription = "to";
	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER;
	ev.roster.items = items;
	ev.roster.nitems = 2;
	core_handle(sz, &ev);
}

/* Complete the last word of LINE (from its last space). */
static char **
complete(struct szia *sz, const char *line)
{
	const char	*sp = strrchr(line, ' ');
	int		 start = sp != NULL ? (int)(sp - line) + 1 : 0;

	return cmd_complete(sz, line, start, (int)strlen(line));
}

/* Completing LINE offers exactly the N words of WANT, in order. */
static void
assert_completes(struct szia *sz, const char *line, const char *const *want,
    size_t n)
{
	char	**v = complete(sz, line);
	size_t	  i;

	if (n == 0) {
		if (v != NULL)
			fail_msg("'%s' completes to '%s'", line, v[0]);
		return;
	}
	if (v == NULL)
		fail_msg("'%s' completes to nothing", line);
	for (i = 0; i < n; i++) {
		if (v[i] == NULL)
			fail_msg("'%s': %zu candidates, want %zu", line, i, n);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[n]);
	cmd_complete_free(v);
}

/* --- the table ------------------------------------------------------- */

static void
cmd_table__has_complete_entries(void **state)
{
	const struct cmd_entry *const	*e;
	char				 prefix[64];
	size_t				 n = 0;
	int				 i;

	for (e = cmd_table; *e != NULL; e++, n++) {
		const struct cmd_entry *c = *e;

		assert_non_null(c->name);
		assert_true(*c->name != '\0');
		if (c->usage == NULL || *c->usage == '\0')
			fail_msg("/%s has no usage", c->name);
		if (c->help == NULL || *c->help == '\0')
			fail_msg("/%s has no help", c->name);
		if (c->examples == NULL || *c->examples == '\0')
			fail_msg("/%s has no examples", c->name);
		if (c->min < 0 || c->min > c->max)
			fail_msg("/%s: min %d max %d", c->name, c->min, c->max);
		assert_non_null(c->exec);
		/* The usage starts with the command itself. */
		snprintf(prefix, sizeof prefix, "/%s", c->name);
		if (!str_startswith(c->usage, prefix))
			fail_msg("/%s usage '%s'", c->name, c->usage);
		/* Every example runs this command (or its alias). */
		if (!str_startswith(c->examples, prefix))
			fail_msg("/%s examples start '%s'", c->name,
			    c->examples);
		/* A subcommand list comes with a position that offers it
		 * (ARG_SUBCMD, or ARG_FILE: paths and those words). */
		if (c->subcmds != NULL) {
			for (i = 0; i < CMD_MAXARGS; i++) {
				if (c->args[i] == ARG_SUBCMD ||
				    c->args[i] == ARG_FILE)
					break;
			}
			if (i == CMD_MAXARGS)
				fail_msg("/%s has subcmds but no ARG_SUBCMD",
				    c->name);
		}
		assert_ptr_equal(cmd_find(c->name), c);
		if (c->alias != NULL)
			assert_ptr_equal(cmd_find(c->alias), c);
	}
	assert_true(n >= 10);
}

static void
cmd_table__is_sorted_and_unique(void **state)
{
	const struct cmd_entry *const	*e, *const *o;

	/* Sorted, so /help lists them in order; strictly: unique. */
	for (e = cmd_table; *e != NULL && e[1] != NULL; e++) {
		if (strcmp(e[0]->name, e[1]->name) >= 0)
			fail_msg("/%s before /%s", e[0]->name, e[1]->name);
	}
	for (e = cmd_table; *e != NULL; e++) {
		for (o = cmd_table; *o != NULL; o++) {
			if ((*o)->alias != NULL && o != e &&
			    strcmp((*o)->alias, (*e)->name) == 0)
				fail_msg("alias /%s hides a command",
				    (*o)->alias);
		}
	}
}

static void
cmd_find__returns_null__when_unknown(void **state)
{
	assert_null(cmd_find("nosuch"));
	assert_null(cmd_find(""));
	assert_ptr_equal(cmd_find("query"), cmd_find("msg"));
	assert_ptr_equal(cmd_find("w"), cmd_find("win"));
}

/* --- dispatch --------------------------------------------------------- */

static void
cmd_run__reports_unknown_command(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/frobnicate now", CMD_ERROR, LINE_ERROR,
	    "Unknown command /frobnicate");
	assert_non_null(strstr(tu_last_line(tu_console(sz))->text, "/help"));
	/* The name is sanitised before it is shown. */
	assert_one_line(sz, "/x\x1b[2J", CMD_ERROR, LINE_ERROR,
	    "Unknown command");
	assert_null(strchr(tu_last_line(tu_console(sz))->text, 0x1b));
	tu_outbox_empty(sz);
}

static void
cmd_run__accepts_name_without_slash(void **state)
{
	struct szia	*sz = *state;

	assert_int_equal(cmd_run(sz, tu_console(sz), "quit"), CMD_OK);
	assert_true(sz->quit);
}

static void
cmd_run__runs_alias(void **state)
{
	struct szia	*sz = *state;

	assert_int_equal(cmd_run(sz, tu_console(sz), "/exit"), CMD_OK);
	assert_true(sz->quit);
}

static void
cmd_run__prints_usage__when_too_few_args(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/sub allow", CMD_ERROR, LINE_ERROR,
	    "usage: /sub request|allow|deny|cancel JID");
	assert_one_line(sz, "/tls", CMD_ERROR, LINE_ERROR, "usage: /tls");
	assert_one_line(sz, "/connect", CMD_ERROR, LINE_ERROR,
	    "usage: /connect");
	assert_one_line(sz, "/msg", CMD_ERROR, LINE_ERROR, "usage: /msg");
	tu_outbox_empty(sz);
}

static void
cmd_run__prints_usage__when_too_many_args(void **state)
{
	struct szia	*sz = *state;

	core_input(sz, "/msg " BOB);
	core_input(sz, "/msg " CAROL);
	assert_int_equal(windows_by_num(&sz->windows, 2)->type, WINDOW_CHAT);
	/* "/close 2 3" must not close window 2. */
	assert_one_line(sz, "/close 2 3", CMD_ERROR, LINE_ERROR,
	    "usage: /close");
	assert_non_null(windows_by_num(&sz->windows, 2));
}

static void
cmd_run__reports_unterminated_quote(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	assert_one_line(sz, "/roster add " BOB " \"Bob", CMD_ERROR,
	    LINE_ERROR, "/roster: unterminated quote");
	assert_one_line(sz, "/sub \"allow " BOB, CMD_ERROR, LINE_ERROR,
	    "unterminated quote");
	tu_outbox_empty(sz);
	/* The rest of a /msg line is text, not parsed for quotes. */
	assert_int_equal(cmd_run(sz, tu_console(sz), "/msg " BOB " say \"hi"),
	    CMD_OK);
	r = tu_pop(sz, REQ_MESSAGE);
	assert_string_equal(r->message.body, "say \"hi");
	req_free(r);
}

static void
cmd_run__unquotes_words(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	assert_int_equal(cmd_run(sz, tu_console(sz),
	    "/roster add " BOB " \"Bobby \\\"Tables\\\"\""), CMD_OK);
	r = tu_pop(sz, REQ_ROSTER_SET);
	assert_string_equal(r->roster.name, "Bobby \"Tables\"");
	req_free(r);
}

static void
cmd_run__refuses_online_command__when_offline(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/ping", CMD_ERROR, LINE_ERROR, "not connected");
	assert_one_line(sz, "/sub allow " BOB, CMD_ERROR, LINE_ERROR,
	    "not connected");
	tu_outbox_empty(sz);
	assert_null(sz->session.ping_id);
}

static void
cmd_run__prints_in_window_typed_in(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;
	size_t		 before;

	core_input(sz, "/msg " BOB);
	w = sz->windows.current;
	before = tu_console(sz)->buf.len;
	assert_one_line(sz, "/nosuch", CMD_ERROR, LINE_ERROR, "Unknown");
	assert_ptr_equal(sz->windows.current, w);
	assert_int_equal(tu_console(sz)->buf.len, before);
}

/* --- /help ------------------------------------------------------------- */

static void
cmd_help__lists_every_usage(void **state)
{
	struct szia			*sz = *state;
	const struct cmd_entry *const	*e;
	size_t				 before = tu_console(sz)->buf.len;

	assert_int_equal(cmd_run(sz, tu_console(sz), "/help"), CMD_OK);
	for (e = cmd_table; *e != NULL; e++) {
		if (!has_line_from(tu_console(sz), before, (*e)->usage))
			fail_msg("/help lacks '%s'", (*e)->usage);
	}
}

static void
cmd_help__prints_examples__for_one_command(void **state)
{
	struct szia	*sz = *state;
	struct window	*con = tu_console(sz);
	size_t		 before = con->buf.len;

	assert_int_equal(cmd_run(sz, con, "/help roster"), CMD_OK);
	assert_true(has_line_from(con, before, "usage: /roster"));
	assert_true(has_line_from(con, before, "examples:"));
	assert_true(has_line_from(con, before,
	    "  /roster add bob@example.org Bob"));
	assert_true(has_line_from(con, before,
	    "  /roster remove bob@example.org"));
	assert_true(has_line_from(con, before,
	    cmd_find("roster")->help));

	/* With a slash, by alias, and the last example intact. */
	before = con->buf.len;
	assert_int_equal(cmd_run(sz, con, "/help /query"), CMD_OK);
	assert_true(has_line_from(con, before, "usage: /msg"));
	assert_true(has_line_from(con, before, "alias: /query"));
	assert_string_equal(tu_last_line(con)->text, "  /msg Bob see you at 8");
}

static void
cmd_help__prints_every_example__for_every_command(void **state)
{
	struct szia			*sz = *state;
	struct window			*con = tu_console(sz);
	const struct cmd_entry *const	*e;
	char				 line[64], *ex, *p, *nl, want[256];
	size_t				 before;

	for (e = cmd_table; *e != NULL; e++) {
		snprintf(line, sizeof line, "/help %s", (*e)->name);
		before = con->buf.len;
		assert_int_equal(cmd_run(sz, con, line), CMD_OK);
		ex = xstrdup((*e)->examples);
		for (p = ex; p != NULL; p = nl) {
			if ((nl = strchr(p, '\n')) != NULL)
				*nl++ = '\0';
			snprintf(want, sizeof want, "  %s", p);
			if (!has_line_from(con, before, want))
				fail_msg("/help %s lacks example '%s'",
				    (*e)->name, p);
		}
		free(ex);
	}
}

static void
cmd_help__reports_unknown_command(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/help nosuch", CMD_ERROR, LINE_ERROR,
	    "no command /nosuch");
}

/* --- /set ---------------------------------------------------------- */

static void
cmd_set__changes_value(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/set roster.width 30", CMD_OK, LINE_INFO,
	    "roster.width = 30");
	assert_int_equal(settings_num(&sz->settings, SET_ROSTER_WIDTH), 30);
	assert_one_line(sz, "/set autoaway.message gone  fishing", CMD_OK,
	    LINE_INFO, "gone  fishing");
	assert_string_equal(settings_str(&sz->settings, SET_AUTOAWAY_MESSAGE),
	    "gone  fishing");
	assert_one_line(sz, "/set roster.width", CMD_OK, LINE_INFO,
	    "roster.width = 30");
	assert_non_null(strstr(tu_last_line(tu_console(sz))->text, "default 24"));
}

static void
cmd_set__gives_one_line_error__when_key_unknown(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/set roster.wdth 30", CMD_ERROR, LINE_ERROR,
	    "unknown setting 'roster.wdth'");
	assert_one_line(sz, "/set nosuch", CMD_ERROR, LINE_ERROR,
	    "unknown setting");
}

static void
cmd_set__gives_one_line_error__when_value_bad(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/set roster.width wide", CMD_ERROR, LINE_ERROR,
	    "roster.width");
	assert_one_line(sz, "/set roster.width 5", CMD_ERROR, LINE_ERROR,
	    "roster.width");
	assert_one_line(sz, "/set roster.show maybe", CMD_ERROR, LINE_ERROR,
	    "roster.show");
	assert_int_equal(settings_num(&sz->settings, SET_ROSTER_WIDTH), 24);
	assert_int_equal(settings_num(&sz->settings, SET_ROSTER_SHOW), 1);
}

static void
cmd_set__lists_all__without_args(void **state)
{
	struct szia	*sz = *state;
	size_t		 before = tu_console(sz)->buf.len;
	int		 i;

	assert_int_equal(cmd_run(sz, tu_console(sz), "/set"), CMD_OK);
	assert_int_equal(tu_console(sz)->buf.len, before + SET_COUNT);
	for (i = 0; i < SET_COUNT; i++)
		assert_true(has_line_from(tu_console(sz), before,
		    setting_defs[i].name));
}

static void
cmd_set__sends_presence__when_priority_changes_online(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	assert_int_equal(cmd_run(sz, tu_console(sz), "/set presence.priority 5"),
	    CMD_OK);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.priority, 5);
	req_free(r);
}

static void
session__sends_account_priority__over_setting(void **state)
{
	struct szia	*sz = *state;
	struct account	*a;
	struct req	*r;
	char		*cause = NULL;

	a = accounts_add(&sz->accounts, "work", ME, &cause);
	assert_non_null(a);
	assert_int_equal(settings_set(&sz->settings, "presence.priority", "3",
	    &cause), 0);
	go_online(sz);

	/* No priority in the account: the setting. */
	assert_int_equal(cmd_run(sz, tu_console(sz), "/status chat"), CMD_OK);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.priority, 3);
	req_free(r);

	/* Set for the account in use: it wins, and goes out at once. */
	assert_int_equal(cmd_run(sz, tu_console(sz),
	    "/account set work priority 7"), CMD_OK);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.priority, 7);
	assert_int_equal(r->presence.show, SHOW_CHAT);
	req_free(r);
	assert_int_equal(cmd_run(sz, tu_console(sz), "/status xa"), CMD_OK);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.priority, 7);
	req_free(r);
	assert_int_equal(cmd_run(sz, tu_console(sz), "/status"), CMD_OK);
	assert_non_null(tu_find_line(tu_console(sz), "(priority 7)"));
	/* ...even 0, once set. */
	assert_int_equal(cmd_run(sz, tu_console(sz),
	    "/account set work priority 0"), CMD_OK);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.priority, 0);
	req_free(r);
	tu_outbox_empty(sz);
}

/* --- /status ---------------------------------------------------------- */

static void
cmd_status__sets_show__but_queues_nothing__when_offline(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/status away out for lunch", CMD_OK, LINE_INFO,
	    "Status: away (out for lunch)");
	assert_int_equal(sz->session.show, SHOW_AWAY);
	assert_string_equal(sz->session.status, "out for lunch");
	tu_outbox_empty(sz);
}

static void
cmd_status__queues_presence__when_online(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	assert_int_equal(cmd_run(sz, tu_console(sz), "/status dnd"), CMD_OK);
	r = tu_pop(sz, REQ_PRESENCE);
	assert_int_equal(r->presence.show, SHOW_DND);
	assert_null(r->presence.status);
	req_free(r);
	assert_int_equal(sz->session.show, SHOW_DND);
}

static void
cmd_status__rejects_unknown_show(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/status busy", CMD_ERROR, LINE_ERROR,
	    "'busy' is not one of");
	assert_int_equal(sz->session.show, SHOW_ONLINE);
	assert_one_line(sz, "/status offline", CMD_ERROR, LINE_ERROR,
	    "not one of");
	assert_one_line(sz, "/status", CMD_OK, LINE_INFO, "You are online");
}

/* --- /roster, /sub, /msg ---------------------------------------------- */

static void
cmd_roster__refuses_add__when_offline(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/roster add " BOB " Bob", CMD_ERROR, LINE_ERROR,
	    "not connected");
	tu_outbox_empty(sz);
	/* Listing works offline. */
	assert_one_line(sz, "/roster", CMD_OK, LINE_INFO, "roster is empty");
}

static void
cmd_roster__prints_usage__when_subcommand_unknown(void **state)
{
	struct szia	*sz = *state;

	/* Offline: the usage, not "not connected". */
	assert_one_line(sz, "/roster frobnicate " BOB, CMD_ERROR, LINE_ERROR,
	    "usage: /roster");
	assert_one_line(sz, "/roster group frob " BOB " Friends", CMD_ERROR,
	    LINE_ERROR, "usage: /roster group add|remove JID GROUP");
	assert_one_line(sz, "/roster remove", CMD_ERROR, LINE_ERROR,
	    "usage: /roster");
	/* Online: the usage, not "... is not in your roster". */
	go_online(sz);
	assert_one_line(sz, "/roster frobnicate " BOB, CMD_ERROR, LINE_ERROR,
	    "usage: /roster");
	assert_one_line(sz, "/roster Add " BOB, CMD_ERROR, LINE_ERROR,
	    "usage: /roster");
	tu_outbox_empty(sz);
}

static void
cmd_roster__queues_set__when_add_online(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	assert_int_equal(cmd_run(sz, tu_console(sz),
	    "/roster add Bob@Example.org Bobby"), CMD_OK);
	r = tu_pop(sz, REQ_ROSTER_SET);
	assert_string_equal(r->roster.jid, BOB);
	assert_string_equal(r->roster.name, "Bobby");
	assert_int_equal(r->roster.ngroups, 0);
	req_free(r);
	assert_one_line(sz, "/roster add not@valid@jid", CMD_ERROR,
	    LINE_ERROR, "not a valid JID");
	assert_one_line(sz, "/roster add", CMD_ERROR, LINE_ERROR,
	    "usage: /roster");
	tu_outbox_empty(sz);
}

static void
cmd_roster__keeps_whole_name__when_add_has_spaces(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	/* NAME is the 3rd and 4th words ("group add JID GROUP" needs 4). */
	assert_int_equal(cmd_run(sz, tu_console(sz),
	    "/roster add " BOB " Bobby Tables"), CMD_OK);
	r = tu_pop(sz, REQ_ROSTER_SET);
	assert_string_equal(r->roster.name, "Bobby Tables");
	req_free(r);
}

static void
cmd_roster__edits_existing_contact(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	recv_roster(sz);
	assert_one_line(sz, "/roster remove nobody@example.org", CMD_ERROR,
	    LINE_ERROR, "not in your roster");
	assert_int_equal(cmd_run(sz, tu_console(sz),
	    "/roster group add " BOB " Friends"), CMD_OK);
	r = tu_pop(sz, REQ_ROSTER_SET);
	assert_string_equal(r->roster.jid, BOB);
	assert_string_equal(r->roster.name, "Bob");
	assert_int_equal(r->roster.ngroups, 1);
	assert_string_equal(r->roster.groups[0], "Friends");
	req_free(r);
	assert_int_equal(cmd_run(sz, tu_console(sz), "/roster remove " BOB),
	    CMD_OK);
	r = tu_pop(sz, REQ_ROSTER_REMOVE);
	assert_string_equal(r->roster.jid, BOB);
	req_free(r);
	/* Nothing changes until the server's push. */
	assert_non_null(roster_find(&sz->roster, BOB));
}

static void
cmd_msg__resolves_roster_name(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	go_online(sz);
	recv_roster(sz);
	assert_int_equal(cmd_run(sz, tu_console(sz), "/msg bob see you at 8"),
	    CMD_OK);
	assert_string_equal(sz->windows.current->name, BOB);
	r = tu_pop(sz, REQ_MESSAGE);
	assert_string_equal(r->message.to, BOB);
	assert_string_equal(r->message.body, "see you at 8");
	req_free(r);
	assert_one_line(sz, "/msg a<b hi", CMD_ERROR, LINE_ERROR,
	    "neither a contact's name nor a JID");
}

static void
cmd_connect__rejects_bad_port_and_jid(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/connect " ME " host:99999", CMD_ERROR,
	    LINE_ERROR, "bad port");
	assert_one_line(sz, "/connect example.org", CMD_ERROR, LINE_ERROR,
	    "Cannot connect");
	assert_false(sz->prompt.active);
	assert_int_equal(sz->session.state, CONN_OFFLINE);
	tu_outbox_empty(sz);
}

static void
cmd_connect__uses_server_and_port(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	assert_int_equal(cmd_run(sz, tu_console(sz),
	    "/connect " ME " xmpp.example.org:5223"), CMD_OK);
	core_input(sz, "pw");
	r = tu_pop(sz, REQ_CONNECT);
	assert_string_equal(r->connect.server, "xmpp.example.org");
	assert_int_equal(r->connect.port, 5223);
	req_free(r);
}

static void
cmd_connect__refuses__when_already_connected(void **state)
{
	struct szia	*sz = *state;

	go_online(sz);
	assert_one_line(sz, "/connect " ME, CMD_ERROR, LINE_ERROR,
	    "Already connected");
	tu_outbox_empty(sz);
}

/* --- /win, /close ------------------------------------------------------ */

static void
cmd_win__selects_by_number_name_and_direction(void **state)
{
	struct szia	*sz = *state;
	struct window	*w2, *w3;

	core_input(sz, "/msg " BOB);
	core_input(sz, "/msg " CAROL);
	w2 = windows_by_num(&sz->windows, 2);
	w3 = windows_by_num(&sz->windows, 3);
	assert_string_equal(w2->name, BOB);
	assert_string_equal(w3->name, CAROL);
	assert_ptr_equal(sz->windows.current, w3);

	assert_int_equal(cmd_run(sz, w3, "/win 2"), CMD_OK);
	assert_ptr_equal(sz->windows.current, w2);
	assert_int_equal(cmd_run(sz, w2, "/win 1"), CMD_OK);
	assert_ptr_equal(sz->windows.current, tu_console(sz));
	assert_int_equal(cmd_run(sz, tu_console(sz), "/win " CAROL), CMD_OK);
	assert_ptr_equal(sz->windows.current, w3);
	assert_int_equal(cmd_run(sz, w3, "/win next"), CMD_OK);
	assert_ptr_equal(sz->windows.current, tu_console(sz));	/* wraps */
	assert_int_equal(cmd_run(sz, tu_console(sz), "/win prev"), CMD_OK);
	assert_ptr_equal(sz->windows.current, w3);
	assert_int_equal(cmd_run(sz, w3, "/w 2"), CMD_OK);
	assert_ptr_equal(sz->windows.current, w2);
}

static void
cmd_win__reports_missing_window(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/win 9", CMD_ERROR, LINE_ERROR, "no window 9");
	assert_one_line(sz, "/win 0", CMD_ERROR, LINE_ERROR, "no window 0");
	assert_one_line(sz, "/win nobody@x", CMD_ERROR, LINE_ERROR,
	    "no window");
	assert_ptr_equal(sz->windows.current, tu_console(sz));
}

static void
cmd_win__lists_windows(void **state)
{
	struct szia	*sz = *state;
	size_t		 before;

	core_input(sz, "/msg " BOB);
	core_input(sz, "/win 1");
	before = tu_console(sz)->buf.len;
	assert_int_equal(cmd_run(sz, tu_console(sz), "/win"), CMD_OK);
	assert_int_equal(tu_console(sz)->buf.len, before + 2);
	assert_string_equal(window_line(tu_console(sz), before)->text,
	    "*1: szia console");
	assert_non_null(strstr(window_line(tu_console(sz), before + 1)->text,
	    " 2: " BOB));
}

static void
cmd_close__closes_current_and_reuses_number(void **state)
{
	struct szia	*sz = *state;
	struct window	*w2, *w;

	core_input(sz, "/msg " BOB);
	core_input(sz, "/msg " CAROL);
	w2 = windows_by_num(&sz->windows, 2);
	core_select_window(sz, w2);
	assert_int_equal(cmd_run(sz, w2, "/close"), CMD_OK);
	assert_null(windows_find(&sz->windows, BOB));
	assert_ptr_equal(sz->windows.current, tu_console(sz));
	assert_non_null(windows_by_num(&sz->windows, 3));

	/* The next window takes the freed number. */
	core_input(sz, "/msg dave@example.org");
	w = windows_find(&sz->windows, "dave@example.org");
	assert_int_equal(w->num, 2);

	assert_int_equal(cmd_run(sz, w, "/close 3"), CMD_OK);
	assert_null(windows_find(&sz->windows, CAROL));
	assert_ptr_equal(sz->windows.current, w);
}

static void
cmd_close__refuses_console(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/close", CMD_ERROR, LINE_ERROR,
	    "console stays open");
	core_input(sz, "/msg " BOB);
	assert_one_line(sz, "/close 1", CMD_ERROR, LINE_ERROR,
	    "console stays open");
	assert_one_line(sz, "/close 7", CMD_ERROR, LINE_ERROR, "no window 7");
	assert_non_null(windows_find(&sz->windows, BOB));
}

static void
cmd_account__adds_and_lists(void **state)
{
	struct szia	*sz = *state;

	assert_one_line(sz, "/account add work me@example.org", CMD_OK,
	    LINE_INFO, "Account work added");
	assert_non_null(accounts_find(&sz->accounts, "work"));
	assert_one_line(sz, "/account set work tls direct", CMD_OK,
	    LINE_INFO, "tls set");
	assert_int_equal(accounts_find(&sz->accounts, "work")->tls,
	    TLS_DIRECT);
	assert_one_line(sz, "/account set work tls none", CMD_ERROR,
	    LINE_ERROR, "/account set:");
	assert_one_line(sz, "/account", CMD_OK, LINE_INFO,
	    "work: me@example.org, tls direct");
	assert_one_line(sz, "/account remove work", CMD_OK, LINE_INFO,
	    "removed");
	assert_null(accounts_find(&sz->accounts, "work"));
}

static void
cmd_account_unset__returns_key_to_default(void **state)
{
	struct szia	*sz = *state;
	struct account	*a;

	assert_one_line(sz, "/account add work me@example.org", CMD_OK,
	    LINE_INFO, "Account work added");
	a = accounts_find(&sz->accounts, "work");
	assert_one_line(sz, "/account set work tls_fingerprint "
	    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:"
	    "45:67:89:AB:CD:EF:01:23:45:67:89", CMD_OK, LINE_INFO, "set");
	assert_non_null(a->tls_fingerprint);
	assert_one_line(sz, "/account set work tls direct", CMD_OK,
	    LINE_INFO, "tls set");
	assert_one_line(sz, "/account unset work tls_fingerprint", CMD_OK,
	    LINE_INFO, "tls_fingerprint back to its default");
	assert_null(a->tls_fingerprint);
	assert_one_line(sz, "/account unset work tls", CMD_OK, LINE_INFO,
	    "default");
	assert_int_equal(a->tls, TLS_STARTTLS);
	/* The jid is required; unknown keys and accounts are refused. */
	assert_one_line(sz, "/account unset work jid", CMD_ERROR, LINE_ERROR,
	    "needs its jid");
	assert_string_equal(a->jid, "me@example.org");
	assert_one_line(sz, "/account unset work colour", CMD_ERROR,
	    LINE_ERROR, "unknown account key");
	assert_one_line(sz, "/account unset play tls", CMD_ERROR, LINE_ERROR,
	    "no account named 'play'");
	assert_one_line(sz, "/account unset work", CMD_ERROR, LINE_ERROR,
	    "usage: /account unset NAME KEY");
	assert_one_line(sz, "/account remove work", CMD_OK, LINE_INFO,
	    "removed");
}

/* --- completion ---------------------------------------------------------- */

static void
cmd_complete__completes_command_names(void **state)
{
	struct szia		*sz = *state;
	const char *const	 ro[] = { "/roster" };
	const char *const	 qu[] = { "/quit" };	/* not the alias */
	const char *const	 s[] = { "/sendfile", "/set", "/status",
	    "/sub" };

	assert_completes(sz, "/ros", ro, 1);
	assert_completes(sz, "/qu", qu, 1);
	assert_completes(sz, "/s", s, 4);
	assert_completes(sz, "/zz", NULL, 0);
}

static void
cmd_complete__offers_every_command__for_slash(void **state)
{
	struct szia			*sz = *state;
	const struct cmd_entry *const	*e;
	char				**v = complete(sz, "/");
	size_t				 n = 0;

	size_t				 i;

	/* Every command once (candidates are sorted, the table is sorted
	 * only within each block). */
	assert_non_null(v);
	for (e = cmd_table; *e != NULL; e++, n++) {
		for (i = 0; v[i] != NULL; i++) {
			if (strcmp(v[i] + 1, (*e)->name) == 0)
				break;
		}
		if (v[i] == NULL)
			fail_msg("/%s not offered", (*e)->name);
	}
	for (i = 0; v[i] != NULL; i++)
		;
	assert_int_equal(i, n);
	cmd_complete_free(v);
}

/* An empty file DIR/NAME. */
static void
touch(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name);
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
	free(path);
}

/* /sendfile completes paths ("~/" is $HOME, the test's folder; folders
 * end in "/", dot files only for a dot) and its word "cancel". */
static void
cmd_complete__sendfile_completes_paths(void **state)
{
	struct szia		*sz = *state;
	const char *const	 pho[] = { "~/files/photo.jpg",
	    "~/files/photos/" };
	const char *const	 cancel[] = { "cancel" };
	char			*dir = xasprintf("%s/files", tu_tmpdir), *p;
	char			*line, *want[1];

	assert_int_equal(mkdir(dir, 0700), 0);
	p = xasprintf("%s/photos", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	touch(dir, "photo.jpg");
	touch(dir, "Pho.txt");		/* not for "pho": paths are exact */
	touch(dir, ".hidden");

	assert_completes(sz, "/sendfile ~/files/pho", pho, 2);
	assert_completes(sz, "/sendfile ~/files/nothing", NULL, 0);
	line = xasprintf("/sendfile %s/.", dir);
	want[0] = xasprintf("%s/.hidden", dir);
	assert_completes(sz, line, (const char *const *)want, 1);
	free(line);
	free(want[0]);
	assert_completes(sz, "/sendfile canc", cancel, 1);
	free(dir);
}

static void
cmd_complete__completes_subcommands(void **state)
{
	struct szia		*sz = *state;
	const char *const	 add[] = { "add" };
	const char *const	 all[] = { "add", "group", "list", "name",
				    "remove" };
	const char *const	 away[] = { "away" };

	assert_completes(sz, "/roster a", add, 1);
	assert_completes(sz, "/roster ", all, 5);
	assert_completes(sz, "/status a", away, 1);
}

static void
cmd_complete__completes_roster_jid__after_roster(void **state)
{
	struct szia		*sz = *state;
	const char *const	 bob[] = { "Bob", BOB };
	const char *const	 c[] = { CAROL };

	assert_completes(sz, "/msg b", NULL, 0);
	recv_roster(sz);
	assert_completes(sz, "/msg b", bob, 2);
	assert_completes(sz, "/msg car", c, 1);
	/* The second argument of /sub is a contact too. */
	assert_completes(sz, "/sub allow car", c, 1);
	/* A plain line completes contacts (for "nick: " style). */
	assert_completes(sz, "hello car", c, 1);
}

static void
cmd_complete__lists_roster_settings(void **state)
{
	struct szia		*sz = *state;
	const char *const	 want[] = { "roster.offline", "roster.show",
				    "roster.width" };

	assert_completes(sz, "/set roster.", want, 3);
	assert_completes(sz, "/set roster.w", want + 2, 1);
}

static void
cmd_complete__offers_windows(void **state)
{
	struct szia		*sz = *state;
	const char *const	 want[] = { "1", "2", BOB };

	core_input(sz, "/msg " BOB);
	assert_completes(sz, "/win ", want, 3);
}

static void
cmd_complete__offers_nothing__past_last_argument(void **state)
{
	struct szia	*sz = *state;

	recv_roster(sz);
	assert_completes(sz, "/sub allow " BOB " b", NULL, 0);
	assert_completes(sz, "/nosuch b", NULL, 0);
	assert_completes(sz, "/quit a b c d e f g h", NULL, 0);
}

static void
cmd_complete__completes_mid_line(void **state)
{
	struct szia		*sz = *state;
	const char *const	 want[] = { "/roster" };
	char			**v;

	/* Completing "/ros" in "/ros add bob": only up to END counts. */
	v = cmd_complete(sz, "/ros add bob", 0, 4);
	assert_non_null(v);
	assert_string_equal(v[0], want[0]);
	assert_null(v[1]);
	cmd_complete_free(v);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, tu_core_setup,	\
	    tu_core_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(cmd_table__has_complete_entries),
		T(cmd_table__is_sorted_and_unique),
		T(cmd_find__returns_null__when_unknown),
		T(cmd_run__reports_unknown_command),
		T(cmd_run__accepts_name_without_slash),
		T(cmd_run__runs_alias),
		T(cmd_run__prints_usage__when_too_few_args),
		T(cmd_run__prints_usage__when_too_many_args),
		T(cmd_run__reports_unterminated_quote),
		T(cmd_run__unquotes_words),
		T(cmd_run__refuses_online_command__when_offline),
		T(cmd_run__prints_in_window_typed_in),
		T(cmd_help__lists_every_usage),
		T(cmd_help__prints_examples__for_one_command),
		T(cmd_help__prints_every_example__for_every_command),
		T(cmd_help__reports_unknown_command),
		T(cmd_set__changes_value),
		T(cmd_set__gives_one_line_error__when_key_unknown),
		T(cmd_set__gives_one_line_error__when_value_bad),
		T(cmd_set__lists_all__without_args),
		T(cmd_set__sends_presence__when_priority_changes_online),
		T(session__sends_account_priority__over_setting),
		T(cmd_status__sets_show__but_queues_nothing__when_offline),
		T(cmd_status__queues_presence__when_online),
		T(cmd_status__rejects_unknown_show),
		T(cmd_roster__refuses_add__when_offline),
		T(cmd_roster__prints_usage__when_subcommand_unknown),
		T(cmd_roster__queues_set__when_add_online),
		T(cmd_roster__keeps_whole_name__when_add_has_spaces),
		T(cmd_roster__edits_existing_contact),
		T(cmd_msg__resolves_roster_name),
		T(cmd_connect__rejects_bad_port_and_jid),
		T(cmd_connect__uses_server_and_port),
		T(cmd_connect__refuses__when_already_connected),
		T(cmd_win__selects_by_number_name_and_direction),
		T(cmd_win__reports_missing_window),
		T(cmd_win__lists_windows),
		T(cmd_close__closes_current_and_reuses_number),
		T(cmd_close__refuses_console),
		T(cmd_account__adds_and_lists),
		T(cmd_account_unset__returns_key_to_default),
		T(cmd_complete__completes_command_names),
		T(cmd_complete__offers_every_command__for_slash),
		T(cmd_complete__completes_subcommands),
		T(cmd_complete__sendfile_completes_paths),
		T(cmd_complete__completes_roster_jid__after_roster),
		T(cmd_complete__lists_roster_settings),
		T(cmd_complete__offers_windows),
		T(cmd_complete__offers_nothing__past_last_argument),
		T(cmd_complete__completes_mid_line),
	};

	return cmocka_run_group_tests(tests, tu_group_setup, tu_group_teardown);
}
