/*
 * testutil.c - shared helpers of the unit tests (see testutil.h).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "testutil.h"
#include "core/core.h"
#include "util/utf8.h"
#include "util/xalloc.h"

char	tu_tmpdir[] = "/tmp/szia-test-XXXXXX";

int
tmphome_create(char *template)
{
	if (mkdtemp(template) == NULL)
		return -1;
	setenv("HOME", template, 1);
	setenv("XDG_CONFIG_HOME", template, 1);
	setenv("XDG_DATA_HOME", template, 1);
	setenv("XDG_STATE_HOME", template, 1);
	return 0;
}

static int
tmphome_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

int
tmphome_remove(const char *dir)
{
	return nftw(dir, tmphome_rm, 8, FTW_DEPTH | FTW_PHYS);
}

int
tu_group_setup(void **state)
{
	return tmphome_create(tu_tmpdir);
}

int
tu_group_teardown(void **state)
{
	return tmphome_remove(tu_tmpdir);
}

int
tu_core_setup(void **state)
{
	struct szia		*sz = xcalloc(1, sizeof *sz);
	struct core_config	 cfg = { NULL, NULL, NULL };

	core_init(sz, &cfg);
	*state = sz;
	return 0;
}

int
tu_core_teardown(void **state)
{
	struct szia	*sz = *state;

	core_free(sz);
	free(sz);
	return 0;
}

void
tu_online(struct szia *sz)
{
	struct ev	ev;

	core_input(sz, "/connect " ME);
	assert_true(sz->prompt.active);
	core_input(sz, "secret");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CONNECTED;
	ev.connected.jid = ME_FULL;
	core_handle(sz, &ev);
	assert_int_equal(sz->session.state, CONN_ONLINE);
}

void
tu_roster(struct szia *sz, const char *jid, const char *name)
{
	struct ev	ev;
	struct ev_item	item;

	memset(&item, 0, sizeof item);
	item.jid = jid;
	item.name = name;
	item.subscription = "both";
	memset(&ev, 0, sizeof ev);
	ev.type = EV_ROSTER;
	ev.roster.items = &item;
	ev.roster.nitems = 1;
	core_handle(sz, &ev);
}

int
text_is_safe(const char *s)
{
	size_t		len = strlen(s);
	uint32_t	cp;
	int		n;

	while (len > 0) {
		if ((n = utf8_decode(s, len, &cp)) < 0)
			return 0;
		if ((cp < 0x20 && cp != '\n') || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f))
			return 0;
		s += n;
		len -= n;
	}
	return 1;
}

struct req *
tu_pop(struct szia *sz, int type)
{
	struct req	*r = outbox_pop(&sz->outbox);

	if (r == NULL)
		fail_msg("outbox empty, expected request type %d", type);
	if ((int)r->type != type)
		fail_msg("request type %d, expected %d", r->type, type);
	return r;
}

void
tu_outbox_empty(struct szia *sz)
{
	struct req	*r = outbox_pop(&sz->outbox);

	if (r != NULL)
		fail_msg("unexpected request type %d", r->type);
	assert_int_equal(sz->outbox.len, 0);
}

struct req *
tu_next(struct szia *sz, int type)
{
	struct req	*r;

	while ((r = outbox_pop(&sz->outbox)) != NULL) {
		if ((int)r->type == type)
			return r;
		req_free(r);
	}
	fail_msg("no request of type %d queued", type);
	return NULL;
}

struct line *
tu_find_line(const struct window *w, const char *needle)
{
	struct line	*l;
	size_t		 i;

	if (w == NULL)
		return NULL;
	for (i = w->buf.len; i > 0; i--) {
		l = window_line(w, i - 1);
		if (strstr(l->text, needle) != NULL)
			return l;
	}
	return NULL;
}

struct line *
tu_last_line(const struct window *w)
{
	assert_true(w->buf.len > 0);
	return window_line(w, w->buf.len - 1);
}

struct window *
tu_console(struct szia *sz)
{
	return windows_console(&sz->windows);
}

void
tu_logmsg_copy(struct logmsg *to, const struct logmsg *from)
{
	*to = *from;
	to->peer = xstrdup_or_null(from->peer);
	to->from_jid = xstrdup_or_null(from->from_jid);
	to->to_jid = xstrdup_or_null(from->to_jid);
	to->type = xstrdup_or_null(from->type);
	to->body = xstrdup_or_null(from->body);
	to->msg_id = xstrdup_or_null(from->msg_id);
	to->origin_id = xstrdup_or_null(from->origin_id);
	to->stanza_id = xstrdup_or_null(from->stanza_id);
	to->replace_id = xstrdup_or_null(from->replace_id);
}

void
tu_logmsg_clear(struct logmsg *m)
{
	free(m->peer);
	free(m->from_jid);
	free(m->to_jid);
	free(m->type);
	free(m->body);
	free(m->msg_id);
	free(m->origin_id);
	free(m->stanza_id);
	free(m->replace_id);
	memset(m, 0, sizeof *m);
}
