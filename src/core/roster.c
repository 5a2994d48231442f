/*
 * roster.c - contacts, their resources and the roster panel rows (see
 * roster.h).
 *
 * Every contact lives in a uthash table keyed by its normalised bare JID.
 * Contacts we only know from presence (or that left the roster while they
 * still had resources online) have in_roster = 0 and no rows.
 *
 * The rows array holds one row per (group, contact) pair of every contact
 * with in_roster = 1, always sorted by the key
 *
 *	group:	named groups by strcasecmp, then strcmp (so that "Work" and
 *		"work" stay two contiguous blocks); the no-group rows
 *		(ROSTER_NO_GROUP) after every named group;
 *	then available (show != SHOW_OFFLINE) before offline;
 *	then display name by strcasecmp;
 *	then JID by strcmp.
 *
 * Groups of one contact are distinct (strcmp) and JIDs are unique, so this
 * is a total order and every row has exactly one place.  A row without a
 * group is recognised by its contact having ngroups == 0, never by
 * comparing the group pointer.
 *
 * Rows are maintained incrementally: any change to something the key reads
 * (groups, show when it crosses offline/available, display, in_roster) is
 * done as rows_remove() on the old key, the change, rows_insert() on the
 * new one.  Both use binary search and one memmove per row.  Only
 * roster_all_offline() rearranges everything, and it does so with a linear
 * merge per group rather than a sort.
 *
 * Freeing: contacts that end up with in_roster = 0 and no resources (for
 * example those dropped by a roster reload) are kept, invisible, until the
 * next roster_reset_items(), which frees them before marking the others.
 * That keeps the contact pointer roster_presence() returns valid and bounds
 * the garbage to what one session collects.  A "remove" push frees the
 * contact at once unless it still has resources.
 *
 * Recency: a contact's resource list is kept most recently updated first,
 * so that the best-resource scan can break ties by recency for free.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/roster.h"
#include "util/log.h"
#include "util/stats.h"
#include "util/str.h"
#include "util/xalloc.h"

static int
roster_group_cmp(const struct roster_row *a, const struct roster_row *b)
{
	int	a_none = a->contact->ngroups == 0;
	int	b_none = b->contact->ngroups == 0;
	int	r;

	if (a_none || b_none)
		return a_none - b_none;
	if (a->group == b->group)
		return 0;
	if ((r = strcasecmp(a->group, b->group)) != 0)
		return r;
	return strcmp(a->group, b->group);
}

/* The part of the key that follows the group. */
static int
roster_contact_cmp(const struct contact *a, const struct contact *b)
{
	int	r;

	if (a == b)
		return 0;
	stats.roster_cmps++;
	if ((r = strcasecmp(a->display, b->display)) != 0)
		return r;
	return strcmp(a->jid, b->jid);
}

static int
roster_row_cmp(const struct roster_row *a, const struct roster_row *b)
{
	int	a_avail, b_avail, r;

	stats.roster_cmps++;
	if ((r = roster_group_cmp(a, b)) != 0)
		return r;
	a_avail = a->contact->show != SHOW_OFFLINE;
	b_avail = b->contact->show != SHOW_OFFLINE;
	if (a_avail != b_avail)
		return b_avail - a_avail;
	return roster_contact_cmp(a->contact, b->contact);
}

/* The first index whose row is not less than KEY. */
static size_t
rows_lower_bound(const struct roster *r, const struct roster_row *key)
{
	size_t	lo = 0, hi = r->nrows, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (roster_row_cmp(&r->rows[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
rows_make_key(struct roster_row *key, struct contact *c, size_t i)
{
	key->group = c->ngroups == 0 ? ROSTER_NO_GROUP : c->groups[i];
	key->contact = c;
}

static size_t
rows_count(const struct contact *c)
{
	return c->ngroups == 0 ? 1 : c->ngroups;
}

/* Remove C's rows, found by its current (old) key. */
static void
rows_remove(struct roster *r, struct contact *c)
{
	struct roster_row	key;
	size_t			i, at;

	for (i = 0; i < rows_count(c); i++) {
		rows_make_key(&key, c, i);
		at = rows_lower_bound(r, &key);
		if (at == r->nrows || r->rows[at].contact != c)
			fatal("roster: row of %s not where expected", c->jid);
		memmove(&r->rows[at], &r->rows[at + 1],
		    (r->nrows - at - 1) * sizeof *r->rows);
		r->nrows--;
	}
}

/* Insert C's rows according to its current (new) key. */
static void
rows_insert(struct roster *r, struct contact *c)
{
	struct roster_row	key;
	size_t			i, at, need = r->nrows + rows_count(c);

	if (need > r->rows_cap) {
		r->rows_cap = r->rows_cap == 0 ? 64 : r->rows_cap * 2;
		if (r->rows_cap < need)
			r->rows_cap = need;
		r->rows = xreallocarray(r->rows, r->rows_cap, sizeof *r->rows);
	}
	for (i = 0; i < rows_count(c); i++) {
		rows_make_key(&key, c, i);
		at = rows_lower_bound(r, &key);
		memmove(&r->rows[at + 1], &r->rows[at],
		    (r->nrows - at) * sizeof *r->rows);
		r->rows[at] = key;
		r->nrows++;
	}
}

static void
resource_free(struct resource *res)
{
	free(res->name);
	free(res->status);
	free(res);
}

static void
contact_free_resources(struct contact *c)
{
	struct resource	*res, *next;

	for (res = c->resources; res != NULL; res = next) {
		next = res->next;
		resource_free(res);
	}
	c->resources = NULL;
}

static void
contact_free_groups(struct contact *c)
{
	size_t	i;

	for (i = 0; i < c->ngroups; i++)
		free(c->groups[i]);
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

static void
contact_set_name(struct contact *c, const char *name)
{
	if (name != NULL && *name == '\0')
		name = NULL;
	str_replace(&c->name, name);
	str_replace(&c->display, name != NULL ? name : c->jid);
}

/* Copy GROUPS, dropping empty names and duplicates. */
static void
contact_set_groups(struct contact *c, const char **groups, size_t n)
{
	size_t	i, j;

	contact_free_groups(c);
	if (n == 0)
		return;
	c->groups = xreallocarray(NULL, n, sizeof *c->groups);
	for (i = 0; i < n; i++) {
		if (groups[i] == NULL || *groups[i] == '\0')
			continue;
		for (j = 0; j < c->ngroups; j++) {
			if (strcmp(c->groups[j], groups[i]) == 0)
				break;
		}
		if (j == c->ngroups)
			c->groups[c->ngroups++] = xstrdup(groups[i]);
	}
	if (c->ngroups == 0) {
		free(c->groups);
		c->groups = NULL;
	}
}

static void
contact_free(struct contact *c)
{
	contact_free_resources(c);
	contact_free_groups(c);
	free(c->jid);
	free(c->name);
	free(c->display);
	free(c->status);
	free(c);
}

static struct contact *
roster_add_contact(struct roster *r, const char *bare)
{
	struct contact	*c;

	c = xcalloc(1, sizeof *c);
	c->jid = xstrdup(bare);
	c->display = xstrdup(bare);
	c->sub = SUBSCRIPTION_NONE;
	c->show = SHOW_OFFLINE;
	HASH_ADD_KEYPTR(hh, r->by_jid, c->jid, strlen(c->jid), c);
	return c;
}

static void
roster_delete_contact(struct roster *r, struct contact *c)
{
	HASH_DEL(r->by_jid, c);
	contact_free(c);
}

static enum subscription
roster_parse_subscription(const char *s)
{
	if (s == NULL)
		return SUBSCRIPTION_NONE;
	if (strcmp(s, "to") == 0)
		return SUBSCRIPTION_TO;
	if (strcmp(s, "from") == 0)
		return SUBSCRIPTION_FROM;
	if (strcmp(s, "both") == 0)
		return SUBSCRIPTION_BOTH;
	return SUBSCRIPTION_NONE;
}

/* Take C out of the roster proper: no rows, no groups, no subscription. */
static void
roster_unlist(struct roster *r, struct contact *c)
{
	if (!c->in_roster)
		return;
	rows_remove(r, c);
	contact_free_groups(c);
	c->in_roster = 0;
	c->sub = SUBSCRIPTION_NONE;
	c->ask = 0;
	r->ncontacts--;
}

void
roster_init(struct roster *r)
{
	memset(r, 0, sizeof *r);
}

void
roster_clear(struct roster *r)
{
	struct contact	*c, *tmp;
	unsigned	 version = r->version;

	HASH_ITER(hh, r->by_jid, c, tmp)
		roster_delete_contact(r, c);
	free(r->rows);
	roster_init(r);
	r->version = version + 1;
}

struct contact *
roster_find(struct roster *r, const char *bare)
{
	struct contact	*c;

	if (bare == NULL)
		return NULL;
	HASH_FIND_STR(r->by_jid, bare, c);
	return c;
}

struct contact *
roster_update(struct roster *r, const struct ev_item *item)
{
	struct contact	*c = roster_find(r, item->jid);

	if (item->subscription != NULL &&
	    strcmp(item->subscription, "remove") == 0) {
		if (c == NULL)
			return NULL;
		r->version++;
		if (c->resources != NULL) {
			/* Still online: keep its presence, but not listed. */
			roster_unlist(r, c);
			contact_set_name(c, NULL);
			return NULL;
		}
		if (c->in_roster) {
			rows_remove(r, c);
			r->ncontacts--;
		}
		roster_delete_contact(r, c);
		return NULL;
	}

	if (c == NULL)
		c = roster_add_contact(r, item->jid);
	if (c->in_roster)
		rows_remove(r, c);
	else
		r->ncontacts++;
	contact_set_name(c, item->name);
	contact_set_groups(c, item->groups, item->ngroups);
	c->sub = roster_parse_subscription(item->subscription);
	c->ask = item->ask != 0;
	c->in_roster = 1;
	rows_insert(r, c);
	r->version++;
	return c;
}

void
roster_reset_items(struct roster *r)
{
	struct contact	*c, *tmp;

	HASH_ITER(hh, r->by_jid, c, tmp) {
		if (!c->in_roster) {
			/* Left over from before: free it if it is idle. */
			if (c->resources == NULL)
				roster_delete_contact(r, c);
			continue;
		}
		contact_free_groups(c);
		c->in_roster = 0;
	}
	/* Only listed contacts have rows, and none is listed any more. */
	r->nrows = 0;
	r->ncontacts = 0;
	r->version++;
}

static struct resource *
contact_find_resource(struct contact *c, const char *name,
    struct resource ***prevp)
{
	struct resource	**prev, *res;

	for (prev = &c->resources; (res = *prev) != NULL; prev = &res->next) {
		if (strcmp(res->name, name) == 0) {
			*prevp = prev;
			return res;
		}
	}
	return NULL;
}

struct resource *
roster_best_resource(const struct contact *c)
{
	struct resource	*res, *best = NULL;

	/* Most recent first: a later one wins only if strictly better. */
	for (res = c->resources; res != NULL; res = res->next) {
		if (best == NULL || res->priority > best->priority ||
		    (res->priority == best->priority && res->show > best->show))
			best = res;
	}
	return best;
}

/* Set C's show, moving its rows if it crosses offline/available. */
static void
contact_set_show(struct roster *r, struct contact *c, enum show show)
{
	int	moves;

	moves = c->in_roster &&
	    (c->show == SHOW_OFFLINE) != (show == SHOW_OFFLINE);
	if (moves)
		rows_remove(r, c);
	c->show = show;
	if (moves)
		rows_insert(r, c);
}

struct contact *
roster_presence(struct roster *r, const char *bare, const char *resource,
    int available, enum show show, const char *status, int priority)
{
	struct contact	 *c;
	struct resource	 *res, **prev;

	if ((c = roster_find(r, bare)) == NULL)
		c = roster_add_contact(r, bare);

	if (available) {
		if (resource == NULL)
			resource = "";
		if (show <= SHOW_OFFLINE || show > SHOW_CHAT)
			show = SHOW_ONLINE;
		if ((res = contact_find_resource(c, resource, &prev)) != NULL)
			*prev = res->next;
		else {
			res = xcalloc(1, sizeof *res);
			res->name = xstrdup(resource);
		}
		res->show = show;
		str_replace(&res->status, status);
		res->priority = priority;
		res->next = c->resources;
		c->resources = res;
	} else if (resource == NULL)
		contact_free_resources(c);
	else if ((res = contact_find_resource(c, resource, &prev)) != NULL) {
		*prev = res->next;
		resource_free(res);
	}

	if ((res = roster_best_resource(c)) != NULL) {
		contact_set_show(r, c, res->show);
		str_replace(&c->status, res->status);
	} else {
		contact_set_show(r, c, SHOW_OFFLINE);
		/* The last words ("gone home") while offline, if any: not
		 * the text of the presence that just ended. */
		str_replace(&c->status, status);
	}
	r->version++;
	return c;
}

/*
 * Merge the two sorted runs [s, m) and [m, e) of one group by the contact
 * part of the key, through TMP.
 */
static void
rows_merge(struct roster_row *rows, size_t s, size_t m, size_t e,
    struct roster_row *tmp)
{
	size_t	i = s, j = m, k = 0;

	if (s == m || m == e)
		return;
	while (i < m && j < e) {
		if (roster_contact_cmp(rows[j].contact, rows[i].contact) < 0)
			tmp[k++] = rows[j++];
		else
			tmp[k++] = rows[i++];
	}
	while (i < m)
		tmp[k++] = rows[i++];
	while (j < e)
		tmp[k++] = rows[j++];
	memcpy(&rows[s], tmp, k * sizeof *rows);
}

void
roster_all_offline(struct roster *r)
{
	struct roster_row	*tmp;
	struct contact		*c, *ctmp;
	size_t			 s, m, e;

	/*
	 * Within each group the rows are the available run then the offline
	 * run, each sorted by the contact part of the key.  When everybody
	 * is offline a group is just both runs merged: linear, no sort.
	 */
	if (r->nrows != 0) {
		tmp = xreallocarray(NULL, r->nrows, sizeof *tmp);
		for (s = 0; s < r->nrows; s = e) {
			m = s;
			while (m < r->nrows &&
			    roster_group_cmp(&r->rows[m], &r->rows[s]) == 0 &&
			    r->rows[m].contact->show != SHOW_OFFLINE)
				m++;
			e = m;
			while (e < r->nrows &&
			    roster_group_cmp(&r->rows[e], &r->rows[s]) == 0)
				e++;
			rows_merge(r->rows, s, m, e, tmp);
		}
		free(tmp);
	}
	HASH_ITER(hh, r->by_jid, c, ctmp) {
		contact_free_resources(c);
		c->show = SHOW_OFFLINE;
		/* We are offline: what they say now is unknown. */
		free(c->status);
		c->status = NULL;
	}
	r->version++;
}

int
contact_in_group(const struct contact *c, const char *group)
{
	size_t	i;

	if (group == NULL)
		return 0;
	if (c->ngroups == 0)
		return c->in_roster && strcmp(group, ROSTER_NO_GROUP) == 0;
	for (i = 0; i < c->ngroups; i++) {
		if (strcmp(c->groups[i], group) == 0)
			return 1;
	}
	return 0;
}
