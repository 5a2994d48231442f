/*
 * test-roster.c - unit tests for src/core/roster.c.
 *
 * Besides one test per behaviour, a randomized test drives 2,000 contacts
 * through updates, removals, reloads and presence floods with a fixed seed,
 * and after each batch checks the incrementally kept rows against a
 * from-scratch sort with a reference comparison written here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "core/roster.h"
#include "util/stats.h"

static struct ev_item
item(const char *jid, const char *name, const char *sub, const char **groups,
    size_t ngroups)
{
	struct ev_item	it;

	memset(&it, 0, sizeof it);
	it.jid = jid;
	it.name = name;
	it.subscription = sub;
	it.groups = groups;
	it.ngroups = ngroups;
	return it;
}

static struct contact *
add(struct roster *r, const char *jid, const char *name, const char *group)
{
	const char	*groups[1] = { group };
	struct ev_item	 it = item(jid, name, "both", groups, group != NULL);

	return roster_update(r, &it);
}

/* How many rows C has. */
static size_t
rows_of(const struct roster *r, const struct contact *c)
{
	size_t	i, n = 0;

	for (i = 0; i < r->nrows; i++)
		n += r->rows[i].contact == c;
	return n;
}

static void
roster_init__is_empty(void **state)
{
	struct roster	r;

	roster_init(&r);
	assert_null(r.by_jid);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.ncontacts, 0);
	assert_null(roster_find(&r, "a@example.org"));
	roster_clear(&r);
}

static void
roster_clear__frees_everything(void **state)
{
	struct roster	r;
	unsigned	v;

	roster_init(&r);
	add(&r, "a@example.org", "A", "G");
	roster_presence(&r, "b@example.org", "x", 1, SHOW_ONLINE, "hi", 0);
	v = r.version;
	roster_clear(&r);
	assert_null(r.by_jid);
	assert_null(r.rows);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.ncontacts, 0);
	assert_true(r.version != v);
	roster_clear(&r);
}

static void
roster_find__returns_contact__by_bare_jid(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", NULL, NULL);
	assert_ptr_equal(roster_find(&r, "a@example.org"), c);
	assert_null(roster_find(&r, "b@example.org"));
	assert_null(roster_find(&r, NULL));
	roster_clear(&r);
}

static void
roster_update__creates_contact__with_fields(void **state)
{
	struct roster	 r;
	struct contact	*c;
	const char	*groups[] = { "Friends", "Work" };
	struct ev_item	 it = item("a@example.org", "Alice", "to", groups, 2);
	unsigned	 v;

	roster_init(&r);
	v = r.version;
	it.ask = 1;
	c = roster_update(&r, &it);
	assert_non_null(c);
	assert_string_equal(c->jid, "a@example.org");
	assert_string_equal(c->name, "Alice");
	assert_string_equal(c->display, "Alice");
	assert_int_equal(c->ngroups, 2);
	assert_string_equal(c->groups[0], "Friends");
	assert_string_equal(c->groups[1], "Work");
	assert_ptr_not_equal(c->groups[0], groups[0]);
	assert_int_equal(c->sub, SUBSCRIPTION_TO);
	assert_int_equal(c->ask, 1);
	assert_int_equal(c->in_roster, 1);
	assert_int_equal(c->show, SHOW_OFFLINE);
	assert_int_equal(r.ncontacts, 1);
	assert_int_equal(r.nrows, 2);
	assert_true(r.version != v);
	roster_clear(&r);
}

static void
roster_update__uses_jid_as_display__when_name_empty(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "", NULL);
	assert_null(c->name);
	assert_string_equal(c->display, "a@example.org");
	c = add(&r, "b@example.org", NULL, NULL);
	assert_null(c->name);
	assert_string_equal(c->display, "b@example.org");
	roster_clear(&r);
}

static void
roster_update__parses_subscription__unknown_is_none(void **state)
{
	struct roster	 r;
	struct ev_item	 it = item("a@example.org", NULL, "none", NULL, 0);
	static const struct {
		const char		*s;
		enum subscription	 sub;
	} t[] = {
		{ "none", SUBSCRIPTION_NONE }, { "to", SUBSCRIPTION_TO },
		{ "from", SUBSCRIPTION_FROM }, { "both", SUBSCRIPTION_BOTH },
		{ "bogus", SUBSCRIPTION_NONE }, { NULL, SUBSCRIPTION_NONE },
	};
	size_t		 i;

	roster_init(&r);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		it.subscription = t[i].s;
		assert_int_equal(roster_update(&r, &it)->sub, t[i].sub);
	}
	assert_int_equal(r.ncontacts, 1);
	roster_clear(&r);
}

static void
roster_update__dedupes_groups(void **state)
{
	struct roster	 r;
	struct contact	*c;
	const char	*groups[] = { "A", "B", "A", "", "B", "b" };
	struct ev_item	 it = item("a@example.org", NULL, "both", groups, 6);

	roster_init(&r);
	c = roster_update(&r, &it);
	assert_int_equal(c->ngroups, 3);
	assert_string_equal(c->groups[0], "A");
	assert_string_equal(c->groups[1], "B");
	assert_string_equal(c->groups[2], "b");
	assert_int_equal(r.nrows, 3);
	roster_clear(&r);
}

static void
roster_update__updates_existing_contact(void **state)
{
	struct roster	 r;
	struct contact	*c, *c2;
	const char	*groups[] = { "X", "Y" };
	struct ev_item	 it = item("a@example.org", "New", "from", groups, 2);

	roster_init(&r);
	c = add(&r, "a@example.org", "Old", "G");
	c2 = roster_update(&r, &it);
	assert_ptr_equal(c, c2);
	assert_string_equal(c->display, "New");
	assert_int_equal(c->ngroups, 2);
	assert_int_equal(c->sub, SUBSCRIPTION_FROM);
	assert_int_equal(r.ncontacts, 1);
	assert_int_equal(r.nrows, 2);
	assert_string_equal(r.rows[0].group, "X");
	assert_string_equal(r.rows[1].group, "Y");
	roster_clear(&r);
}

static void
roster_update__lists_presence_only_contact(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = roster_presence(&r, "a@example.org", "r", 1, SHOW_AWAY, NULL, 0);
	assert_int_equal(c->in_roster, 0);
	assert_int_equal(r.nrows, 0);
	assert_ptr_equal(add(&r, "a@example.org", "A", NULL), c);
	assert_int_equal(c->in_roster, 1);
	assert_int_equal(c->show, SHOW_AWAY);
	assert_int_equal(r.ncontacts, 1);
	assert_int_equal(r.nrows, 1);
	roster_clear(&r);
}

static void
roster_update__removes_contact__when_subscription_remove(void **state)
{
	struct roster	 r;
	struct ev_item	 it = item("a@example.org", NULL, "remove", NULL, 0);

	roster_init(&r);
	add(&r, "a@example.org", "A", "G");
	add(&r, "b@example.org", "B", "G");
	assert_null(roster_update(&r, &it));
	assert_null(roster_find(&r, "a@example.org"));
	assert_int_equal(r.ncontacts, 1);
	assert_int_equal(r.nrows, 1);
	assert_string_equal(r.rows[0].contact->jid, "b@example.org");
	/* Unknown JID: nothing happens. */
	it.jid = "c@example.org";
	assert_null(roster_update(&r, &it));
	assert_int_equal(r.ncontacts, 1);
	roster_clear(&r);
}

static void
roster_update__unlists_contact__when_removed_while_online(void **state)
{
	struct roster	 r;
	struct contact	*c;
	struct ev_item	 it = item("a@example.org", NULL, "remove", NULL, 0);

	roster_init(&r);
	c = add(&r, "a@example.org", "A", "G");
	roster_presence(&r, "a@example.org", "r", 1, SHOW_ONLINE, NULL, 0);
	assert_null(roster_update(&r, &it));
	assert_ptr_equal(roster_find(&r, "a@example.org"), c);
	assert_int_equal(c->in_roster, 0);
	assert_int_equal(c->ngroups, 0);
	assert_int_equal(c->show, SHOW_ONLINE);
	assert_int_equal(r.ncontacts, 0);
	assert_int_equal(r.nrows, 0);
	roster_clear(&r);
}

static void
roster_reset_items__unlists_everything_until_reloaded(void **state)
{
	struct roster	 r;
	struct contact	*a, *b;

	roster_init(&r);
	a = add(&r, "a@example.org", "A", "G");
	b = add(&r, "b@example.org", "B", "G");
	roster_presence(&r, "b@example.org", "r", 1, SHOW_ONLINE, NULL, 0);
	roster_reset_items(&r);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.ncontacts, 0);
	assert_int_equal(a->in_roster, 0);
	assert_int_equal(a->ngroups, 0);
	assert_int_equal(b->in_roster, 0);

	/* The reload has only A. */
	assert_ptr_equal(add(&r, "a@example.org", "A", "H"), a);
	assert_int_equal(r.nrows, 1);
	assert_ptr_equal(r.rows[0].contact, a);
	assert_string_equal(r.rows[0].group, "H");
	/* B stays known (it is online) but is not shown. */
	assert_ptr_equal(roster_find(&r, "b@example.org"), b);
	assert_int_equal(rows_of(&r, b), 0);
	roster_clear(&r);
}

static void
roster_reset_items__frees_idle_unlisted_contacts(void **state)
{
	struct roster	 r;

	roster_init(&r);
	add(&r, "a@example.org", "A", NULL);
	add(&r, "b@example.org", "B", NULL);
	roster_presence(&r, "s@example.org", NULL, 0, SHOW_OFFLINE, "bye", 0);
	roster_reset_items(&r);
	/* The stranger was already unlisted and idle: freed now. */
	assert_null(roster_find(&r, "s@example.org"));
	add(&r, "a@example.org", "A", NULL);
	/* B was dropped by the reload: kept, hidden, until the next reset. */
	assert_non_null(roster_find(&r, "b@example.org"));
	assert_int_equal(r.nrows, 1);
	roster_reset_items(&r);
	assert_null(roster_find(&r, "b@example.org"));
	assert_non_null(roster_find(&r, "a@example.org"));
	roster_clear(&r);
}

static void
roster_presence__creates_unlisted_contact__when_unknown(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = roster_presence(&r, "s@example.org", "r", 1, SHOW_CHAT, "yo", 0);
	assert_non_null(c);
	assert_ptr_equal(roster_find(&r, "s@example.org"), c);
	assert_int_equal(c->in_roster, 0);
	assert_int_equal(c->show, SHOW_CHAT);
	assert_string_equal(c->status, "yo");
	assert_string_equal(c->display, "s@example.org");
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.ncontacts, 0);
	roster_clear(&r);
}

static void
roster_presence__tracks_resources(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "A", NULL);
	roster_presence(&r, "a@example.org", "pc", 1, SHOW_ONLINE, "pc", 0);
	roster_presence(&r, "a@example.org", "phone", 1, SHOW_AWAY, "ph", 0);
	roster_presence(&r, "a@example.org", "pc", 1, SHOW_DND, "busy", 0);
	assert_non_null(c->resources);
	assert_non_null(c->resources->next);
	assert_null(c->resources->next->next);
	assert_int_equal(c->show, SHOW_DND);
	assert_string_equal(c->status, "busy");
	roster_presence(&r, "a@example.org", "pc", 0, SHOW_OFFLINE, NULL, 0);
	assert_null(c->resources->next);
	assert_string_equal(c->resources->name, "phone");
	assert_int_equal(c->show, SHOW_AWAY);
	assert_string_equal(c->status, "ph");
	/* Unavailable from a resource we never saw changes nothing. */
	roster_presence(&r, "a@example.org", "nope", 0, SHOW_OFFLINE, NULL, 0);
	assert_int_equal(c->show, SHOW_AWAY);
	roster_clear(&r);
}

static void
roster_presence__treats_null_resource_as_bare(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "A", NULL);
	roster_presence(&r, "a@example.org", NULL, 1, SHOW_XA, NULL, 0);
	assert_string_equal(c->resources->name, "");
	assert_int_equal(c->show, SHOW_XA);
	roster_presence(&r, "a@example.org", "", 1, SHOW_AWAY, NULL, 0);
	assert_null(c->resources->next);
	assert_int_equal(c->show, SHOW_AWAY);
	roster_clear(&r);
}

static void
roster_presence__drops_all__when_bare_unavailable(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "A", NULL);
	roster_presence(&r, "a@example.org", "1", 1, SHOW_ONLINE, NULL, 0);
	roster_presence(&r, "a@example.org", "2", 1, SHOW_ONLINE, NULL, 0);
	roster_presence(&r, "a@example.org", NULL, 0, SHOW_OFFLINE, NULL, 0);
	assert_null(c->resources);
	assert_int_equal(c->show, SHOW_OFFLINE);
	roster_clear(&r);
}

/* Offline, a contact shows the text of their "unavailable" (their last
 * words), never that of the presence that ended; and nothing once we are
 * offline ourselves. */
static void
roster_presence__offline_status__is_the_last_words_only(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "A", NULL);
	roster_presence(&r, "a@example.org", "r", 1, SHOW_ONLINE, "here", 0);
	roster_presence(&r, "a@example.org", "r", 0, SHOW_OFFLINE, "gone home",
	    0);
	assert_int_equal(c->show, SHOW_OFFLINE);
	assert_string_equal(c->status, "gone home");
	roster_presence(&r, "a@example.org", "r", 1, SHOW_AWAY, "lunch", 0);
	roster_presence(&r, "a@example.org", "r", 0, SHOW_OFFLINE, NULL, 0);
	assert_int_equal(c->show, SHOW_OFFLINE);
	assert_null(c->status);
	roster_presence(&r, "a@example.org", "r", 0, SHOW_OFFLINE, "bye", 0);
	roster_all_offline(&r);
	assert_null(c->status);
	roster_clear(&r);
}

static void
roster_presence__picks_highest_priority(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "A", NULL);
	roster_presence(&r, "a@example.org", "hi", 1, SHOW_XA, "hi", 10);
	roster_presence(&r, "a@example.org", "lo", 1, SHOW_CHAT, "lo", 5);
	roster_presence(&r, "a@example.org", "neg", 1, SHOW_CHAT, "neg", -1);
	assert_string_equal(roster_best_resource(c)->name, "hi");
	assert_int_equal(c->show, SHOW_XA);
	assert_string_equal(c->status, "hi");
	roster_clear(&r);
}

static void
roster_presence__breaks_ties__by_show(void **state)
{
	static const enum show	 order[] = {
		SHOW_XA, SHOW_AWAY, SHOW_DND, SHOW_ONLINE, SHOW_CHAT,
	};
	struct roster		 r;
	struct contact		*c;
	char			 name[8];
	size_t			 i, j;

	/* Whatever the arrival order, the most available show wins. */
	for (i = 0; i < 5; i++) {
		roster_init(&r);
		c = add(&r, "a@example.org", "A", NULL);
		for (j = 0; j < 5; j++) {
			snprintf(name, sizeof name, "r%zu", (i + j) % 5);
			roster_presence(&r, "a@example.org", name, 1,
			    order[(i + j) % 5], NULL, 3);
		}
		assert_string_equal(roster_best_resource(c)->name, "r4");
		assert_int_equal(c->show, SHOW_CHAT);
		roster_clear(&r);
	}
	/* chat > online > dnd > away > xa, pairwise. */
	for (i = 0; i + 1 < 5; i++) {
		roster_init(&r);
		c = add(&r, "a@example.org", "A", NULL);
		roster_presence(&r, "a@example.org", "b", 1, order[i + 1],
		    NULL, 0);
		roster_presence(&r, "a@example.org", "a", 1, order[i], NULL, 0);
		assert_int_equal(c->show, order[i + 1]);
		roster_clear(&r);
	}
}

static void
roster_presence__breaks_ties__by_recency(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "A", NULL);
	roster_presence(&r, "a@example.org", "1", 1, SHOW_ONLINE, "one", 1);
	roster_presence(&r, "a@example.org", "2", 1, SHOW_ONLINE, "two", 1);
	assert_string_equal(roster_best_resource(c)->name, "2");
	assert_string_equal(c->status, "two");
	roster_presence(&r, "a@example.org", "1", 1, SHOW_ONLINE, "uno", 1);
	assert_string_equal(roster_best_resource(c)->name, "1");
	assert_string_equal(c->status, "uno");
	roster_clear(&r);
}

static void
roster_presence__moves_rows__when_availability_changes(void **state)
{
	struct roster	 r;
	struct contact	*a, *b;
	unsigned	 v;

	roster_init(&r);
	a = add(&r, "a@example.org", "Alice", "G");
	b = add(&r, "b@example.org", "Bob", "G");
	assert_ptr_equal(r.rows[0].contact, a);
	v = r.version;
	roster_presence(&r, "b@example.org", "r", 1, SHOW_AWAY, NULL, 0);
	assert_true(r.version != v);
	assert_ptr_equal(r.rows[0].contact, b);
	assert_ptr_equal(r.rows[1].contact, a);
	roster_presence(&r, "b@example.org", "r", 0, SHOW_OFFLINE, NULL, 0);
	assert_ptr_equal(r.rows[0].contact, a);
	assert_ptr_equal(r.rows[1].contact, b);
	roster_clear(&r);
}

static void
roster_all_offline__drops_resources_and_keeps_order(void **state)
{
	struct roster	 r;
	struct contact	*a, *b, *c;

	roster_init(&r);
	a = add(&r, "a@example.org", "A", "G");
	b = add(&r, "b@example.org", "B", "G");
	c = add(&r, "c@example.org", "C", "G");
	roster_presence(&r, "c@example.org", "r", 1, SHOW_ONLINE, "x", 0);
	roster_presence(&r, "b@example.org", "r", 1, SHOW_ONLINE, NULL, 0);
	roster_presence(&r, "s@example.org", "r", 1, SHOW_ONLINE, NULL, 0);
	assert_ptr_equal(r.rows[0].contact, b);
	roster_all_offline(&r);
	assert_int_equal(r.nrows, 3);
	assert_ptr_equal(r.rows[0].contact, a);
	assert_ptr_equal(r.rows[1].contact, b);
	assert_ptr_equal(r.rows[2].contact, c);
	assert_null(c->resources);
	assert_int_equal(c->show, SHOW_OFFLINE);
	assert_null(c->status);		/* unknown while we are offline */
	assert_int_equal(roster_find(&r, "s@example.org")->show, SHOW_OFFLINE);
	roster_clear(&r);
}

static void
roster_best_resource__is_null__when_offline(void **state)
{
	struct roster	 r;
	struct contact	*c;

	roster_init(&r);
	c = add(&r, "a@example.org", "A", NULL);
	assert_null(roster_best_resource(c));
	roster_clear(&r);
}

static void
contact_in_group__matches_groups(void **state)
{
	struct roster	 r;
	struct contact	*a, *b;

	roster_init(&r);
	a = add(&r, "a@example.org", "A", "Work");
	b = add(&r, "b@example.org", "B", NULL);
	assert_true(contact_in_group(a, "Work"));
	assert_false(contact_in_group(a, "work"));
	assert_false(contact_in_group(a, ROSTER_NO_GROUP));
	assert_false(contact_in_group(a, NULL));
	assert_true(contact_in_group(b, ROSTER_NO_GROUP));
	assert_false(contact_in_group(b, "Work"));
	roster_clear(&r);
}

static void
roster_rows__order_groups_availability_and_names(void **state)
{
	struct roster	 r;
	const char	*expect[][2] = {
		{ "alpha", "z@x" }, { "alpha", "b@x" }, { "beta", "a@x" },
		{ "Contacts", "n@x" },
	};
	size_t		 i;

	roster_init(&r);
	add(&r, "n@x", "nobody", NULL);
	add(&r, "a@x", "Al", "beta");
	add(&r, "b@x", "Bo", "alpha");
	add(&r, "z@x", "Zed", "alpha");
	roster_presence(&r, "z@x", "r", 1, SHOW_XA, NULL, 0);
	assert_int_equal(r.nrows, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(r.rows[i].group, expect[i][0]);
		assert_string_equal(r.rows[i].contact->jid, expect[i][1]);
	}
	roster_clear(&r);
}

/* ---- The randomized check of the incremental order. ---- */

#define FUZZ_CONTACTS	2000
#define FUZZ_BATCHES	60
#define FUZZ_OPS	400

static uint64_t	fuzz_state;

static uint32_t
fuzz_rand(uint32_t n)
{
	/* xorshift64*: fixed seed, same run everywhere. */
	fuzz_state ^= fuzz_state >> 12;
	fuzz_state ^= fuzz_state << 25;
	fuzz_state ^= fuzz_state >> 27;
	return (uint32_t)((fuzz_state * 2685821657736338717ULL) >> 32) % n;
}

static const char *fuzz_groups[] = {
	"Family", "Friends", "Work", "work", "WORK", "Uni", "Band", "B",
	"b", "zeta", "\xc3\x86r\xc3\xb8", "Contacts", "Old", "Chess",
	"Climbing",
};
#define FUZZ_NGROUPS	(sizeof fuzz_groups / sizeof fuzz_groups[0])

static const char *fuzz_names[] = {
	NULL, "", "alice", "Alice", "ALICE", "bob", "Carol", "dave", "eve",
	"Mallory", "trent", "peggy", "victor", "walter", "zoe",
};
#define FUZZ_NNAMES	(sizeof fuzz_names / sizeof fuzz_names[0])

static void
fuzz_jid(char *buf, size_t len, uint32_t i)
{
	/* Mixed prefixes so that JID order and index order differ. */
	snprintf(buf, len, "%c%u@example.org", 'a' + (i * 7) % 26, i);
}

static void
fuzz_update(struct roster *r, uint32_t i)
{
	char		 jid[64];
	const char	*groups[3];
	size_t		 n = 1 + fuzz_rand(3), k;
	struct ev_item	 it;

	fuzz_jid(jid, sizeof jid, i);
	for (k = 0; k < n; k++)
		groups[k] = fuzz_groups[fuzz_rand(FUZZ_NGROUPS)];
	/* Sometimes no group at all. */
	if (fuzz_rand(10) == 0)
		n = 0;
	it = item(jid, fuzz_names[fuzz_rand(FUZZ_NNAMES)], "both", groups, n);
	roster_update(r, &it);
}

static void
fuzz_presence(struct roster *r, uint32_t i)
{
	char		jid[64], res[16];
	enum show	show = SHOW_XA + fuzz_rand(5);
	int		available = fuzz_rand(3) != 0;

	fuzz_jid(jid, sizeof jid, i);
	snprintf(res, sizeof res, "r%u", fuzz_rand(3));
	roster_presence(r, jid, fuzz_rand(8) == 0 ? NULL : res, available,
	    available ? show : SHOW_OFFLINE, "status",
	    (int)fuzz_rand(5) - 1);
}

/* The rule, written independently of roster.c. */
static int
ref_cmp(const void *va, const void *vb)
{
	const struct roster_row	*a = va, *b = vb;
	int			 an = a->contact->ngroups == 0;
	int			 bn = b->contact->ngroups == 0;
	int			 aa, ba, x;

	if (an != bn)
		return an ? 1 : -1;
	if (!an) {
		if ((x = strcasecmp(a->group, b->group)) != 0)
			return x;
		if ((x = strcmp(a->group, b->group)) != 0)
			return x;
	}
	aa = a->contact->show != SHOW_OFFLINE;
	ba = b->contact->show != SHOW_OFFLINE;
	if (aa != ba)
		return aa ? -1 : 1;
	if ((x = strcasecmp(a->contact->display, b->contact->display)) != 0)
		return x;
	return strcmp(a->contact->jid, b->contact->jid);
}

static enum show
ref_show(const struct contact *c)
{
	const struct resource	*res, *best = NULL;

	for (res = c->resources; res != NULL; res = res->next) {
		if (best == NULL || res->priority > best->priority ||
		    (res->priority == best->priority && res->show > best->show))
			best = res;
	}
	return best == NULL ? SHOW_OFFLINE : best->show;
}

static void
fuzz_verify(const struct roster *r)
{
	struct roster_row	*want = NULL;
	size_t			 n = 0, cap = 0, i, g, listed = 0;
	struct contact		*c, *tmp;

	HASH_ITER(hh, r->by_jid, c, tmp) {
		assert_int_equal(c->show, ref_show(c));
		if (!c->in_roster)
			continue;
		listed++;
		for (g = 0; g < (c->ngroups == 0 ? 1 : c->ngroups); g++) {
			if (n == cap) {
				cap = cap == 0 ? 256 : cap * 2;
				want = realloc(want, cap * sizeof *want);
				assert_non_null(want);
			}
			want[n].group = c->ngroups == 0 ? ROSTER_NO_GROUP :
			    c->groups[g];
			want[n].contact = c;
			n++;
		}
	}
	assert_int_equal(r->ncontacts, listed);
	if (n > 0)
		qsort(want, n, sizeof *want, ref_cmp);
	assert_int_equal(r->nrows, n);
	for (i = 0; i < n; i++) {
		assert_ptr_equal(r->rows[i].contact, want[i].contact);
		/* Named groups: the contact's own string, not a copy. */
		if (want[i].contact->ngroups == 0)
			assert_string_equal(r->rows[i].group, ROSTER_NO_GROUP);
		else
			assert_ptr_equal(r->rows[i].group, want[i].group);
		if (i > 0)
			assert_true(ref_cmp(&want[i - 1], &want[i]) < 0);
	}
	free(want);
}

static void
roster_rows__match_full_sort__after_random_changes(void **state)
{
	struct roster	r;
	uint32_t	i, batch, op, what;
	struct ev_item	it;
	char		jid[64];

	fuzz_state = 0x5a1a2024c0ffeeULL;
	roster_init(&r);
	for (i = 0; i < FUZZ_CONTACTS; i++)
		fuzz_update(&r, i);
	fuzz_verify(&r);

	for (batch = 0; batch < FUZZ_BATCHES; batch++) {
		for (op = 0; op < FUZZ_OPS; op++) {
			/* A few strangers beyond the roster, too. */
			i = fuzz_rand(FUZZ_CONTACTS + 50);
			what = fuzz_rand(100);
			if (what < 80)
				fuzz_presence(&r, i);
			else if (what < 95)
				fuzz_update(&r, i);
			else {
				fuzz_jid(jid, sizeof jid, i);
				it = item(jid, NULL, "remove", NULL, 0);
				roster_update(&r, &it);
			}
		}
		if (batch % 20 == 7) {
			/* A reload, of most of the roster. */
			roster_reset_items(&r);
			fuzz_verify(&r);
			for (i = 0; i < FUZZ_CONTACTS; i++) {
				if (fuzz_rand(10) != 0)
					fuzz_update(&r, i);
			}
		}
		if (batch % 20 == 13)
			roster_all_offline(&r);
		fuzz_verify(&r);
	}
	roster_clear(&r);
}

/*
 * "Kept sorted incrementally": a presence change in a 2,000-contact roster
 * moves the contact's rows by binary search.  A full re-sort would cost
 * about n log2 n = 22,000 comparisons per change, a linear pass 2,000.
 */
static void
roster_presence__compares_logarithmically__in_a_big_roster(void **state)
{
	struct roster	r;
	uint32_t	i;
	uint64_t	before, most = 0;

	fuzz_state = 0x5eed5eed1234ULL;
	roster_init(&r);
	for (i = 0; i < FUZZ_CONTACTS; i++)
		fuzz_update(&r, i);
	for (i = 0; i < 200; i++) {
		before = stats.roster_cmps;
		fuzz_presence(&r, fuzz_rand(FUZZ_CONTACTS));
		if (stats.roster_cmps - before > most)
			most = stats.roster_cmps - before;
	}
	fuzz_verify(&r);
	/* Each contact has up to 3 groups: 3 rows out, 3 rows in, each a
	 * binary search of ~11 steps of (at most) 2 counted comparisons. */
	assert_true(most > 0);
	assert_true(most <= 3 * 2 * 2 * 12);
	roster_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(roster_init__is_empty),
		cmocka_unit_test(roster_clear__frees_everything),
		cmocka_unit_test(roster_find__returns_contact__by_bare_jid),
		cmocka_unit_test(roster_update__creates_contact__with_fields),
		cmocka_unit_test(
		    roster_update__uses_jid_as_display__when_name_empty),
		cmocka_unit_test(
		    roster_update__parses_subscription__unknown_is_none),
		cmocka_unit_test(roster_update__dedupes_groups),
		cmocka_unit_test(roster_update__updates_existing_contact),
		cmocka_unit_test(roster_update__lists_presence_only_contact),
		cmocka_unit_test(
		    roster_update__removes_contact__when_subscription_remove),
		cmocka_unit_test(
		    roster_update__unlists_contact__when_removed_while_online),
		cmocka_unit_test(
		    roster_reset_items__unlists_everything_until_reloaded),
		cmocka_unit_test(
		    roster_reset_items__frees_idle_unlisted_contacts),
		cmocka_unit_test(
		    roster_presence__creates_unlisted_contact__when_unknown),
		cmocka_unit_test(roster_presence__tracks_resources),
		cmocka_unit_test(roster_presence__treats_null_resource_as_bare),
		cmocka_unit_test(
		    roster_presence__drops_all__when_bare_unavailable),
		cmocka_unit_test(
		    roster_presence__offline_status__is_the_last_words_only),
		cmocka_unit_test(roster_presence__picks_highest_priority),
		cmocka_unit_test(roster_presence__breaks_ties__by_show),
		cmocka_unit_test(roster_presence__breaks_ties__by_recency),
		cmocka_unit_test(
		    roster_presence__moves_rows__when_availability_changes),
		cmocka_unit_test(
		    roster_all_offline__drops_resources_and_keeps_order),
		cmocka_unit_test(roster_best_resource__is_null__when_offline),
		cmocka_unit_test(contact_in_group__matches_groups),
		cmocka_unit_test(
		    roster_rows__order_groups_availability_and_names),
		cmocka_unit_test(
		    roster_rows__match_full_sort__after_random_changes),
		cmocka_unit_test(
		    roster_presence__compares_logarithmically__in_a_big_roster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
