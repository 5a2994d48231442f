/*
 * window.c - numbered windows and their scrollback (see window.h).
 *
 * The windows form a singly linked list ordered by number.  Window 1 is
 * the console and is always the head: it is created by windows_init() and
 * windows_close() refuses it, so every other window has a predecessor.
 * A chat window takes the lowest free number from 2 up, so numbers closed
 * earlier are reused.
 *
 * A buffer is a ring of cap lines (at least 1): lines[start] is the oldest
 * and the i-th line is lines[(start + i) % cap].  Appending to a full ring
 * frees the oldest line.  Prepending history never drops existing lines:
 * they are newer than anything from the log.  If the history does not fit,
 * the ring grows to hold it: the user asked for those lines (/history),
 * and the scrollback limit is for what arrives, not for what is asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "core/window.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void
line_set(struct line *l, time_t ts, enum line_kind kind, int flags,
    const char *who, const char *text)
{
	memset(l, 0, sizeof *l);	/* every part's fields start empty */
	l->ts = ts;
	l->kind = kind;
	l->flags = flags;
	l->who = xstrdup_or_null(who);
	l->text = xstrdup(text != NULL ? text : "");
}

static void
line_free(struct line *l)
{
	free(l->who);
	free(l->text);
	free(l->msg_id);
	free(l->corr_id);
	free(l->sender);
	/* Every field, so that a reused slot starts clean. */
	memset(l, 0, sizeof *l);
}

void
buffer_init(struct buffer *b, size_t cap)
{
	if (cap == 0)
		cap = 1;
	b->lines = xcalloc(cap, sizeof *b->lines);
	b->cap = cap;
	b->start = 0;
	b->len = 0;
}

void
buffer_free(struct buffer *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++)
		line_free(&b->lines[(b->start + i) % b->cap]);
	free(b->lines);
	b->lines = NULL;
	b->cap = b->start = b->len = 0;
}

struct line *
window_add(struct window *w, time_t ts, enum line_kind kind, int flags,
    const char *who, const char *text)
{
	struct buffer	*b = &w->buf;
	struct line	*l;

	if (b->len == b->cap) {
		line_free(&b->lines[b->start]);
		b->start = (b->start + 1) % b->cap;
		b->len--;
	}
	l = &b->lines[(b->start + b->len) % b->cap];
	line_set(l, ts, kind, flags, who, text);
	b->len++;
	b->seq++;
	return l;
}

/* Re-lay the ring in a larger array of CAP lines, oldest first. */
static void
buffer_grow(struct buffer *b, size_t cap)
{
	struct line	*lines = xcalloc(cap, sizeof *lines);
	size_t		 i;

	for (i = 0; i < b->len; i++)
		lines[i] = b->lines[(b->start + i) % b->cap];
	free(b->lines);
	b->lines = lines;
	b->cap = cap;
	b->start = 0;
}

void
window_prepend(struct window *w, const struct line *lines, size_t n)
{
	struct buffer	*b = &w->buf;
	size_t		 room = b->cap - b->len;
	const struct line *l;

	if (n > room) {
		/* The user asked for older lines (/history): make room,
		 * whatever the scrollback; existing lines stay. */
		buffer_grow(b, b->len + n);
	}
	while (n > 0) {
		l = &lines[--n];
		b->start = (b->start + b->cap - 1) % b->cap;
		line_set(&b->lines[b->start], l->ts, l->kind, l->flags, l->who,
		    l->text);
		b->lines[b->start].msg_id = xstrdup_or_null(l->msg_id);
		b->lines[b->start].corr_id = xstrdup_or_null(l->corr_id);
		b->lines[b->start].sender = xstrdup_or_null(l->sender);
		b->lines[b->start].edited = l->edited;
		b->len++;
	}
}

struct line *
window_line(const struct window *w, size_t i)
{
	const struct buffer	*b = &w->buf;

	if (i >= b->len)
		return NULL;
	return &b->lines[(b->start + i) % b->cap];
}

static struct window *
window_new(struct windows *ws, int num, enum window_type type,
    const char *name, const char *title)
{
	struct window	*w;

	w = xcalloc(1, sizeof *w);
	w->num = num;
	w->type = type;
	w->name = xstrdup(name);
	w->title = xstrdup(title);
	buffer_init(&w->buf, ws->scrollback);
	return w;
}

static void
window_free(struct window *w)
{
	buffer_free(&w->buf);
	free(w->name);
	free(w->title);
	free(w->locked);
	free(w->markable_id);
	free(w);
}

void
windows_init(struct windows *ws, size_t scrollback)
{
	memset(ws, 0, sizeof *ws);
	ws->scrollback = scrollback;
	ws->head = window_new(ws, 1, WINDOW_CONSOLE, "console", "szia console");
	ws->current = ws->head;
	ws->version++;
}

void
windows_clear(struct windows *ws)
{
	struct window	*w, *next;

	for (w = ws->head; w != NULL; w = next) {
		next = w->next;
		window_free(w);
	}
	ws->head = ws->current = NULL;
	ws->version++;
}

struct window *
windows_console(struct windows *ws)
{
	struct window	*w;

	for (w = ws->head; w != NULL; w = w->next) {
		if (w->type == WINDOW_CONSOLE)
			return w;
	}
	return NULL;
}

struct window *
windows_find(struct windows *ws, const char *name)
{
	struct window	*w;

	if (name == NULL)
		return NULL;
	for (w = ws->head; w != NULL; w = w->next) {
		if (strcmp(w->name, name) == 0)
			return w;
	}
	return NULL;
}

struct window *
windows_by_num(struct windows *ws, int num)
{
	struct window	*w;

	for (w = ws->head; w != NULL && w->num <= num; w = w->next) {
		if (w->num == num)
			return w;
	}
	return NULL;
}

struct window *
windows_open_chat(struct windows *ws, const char *name)
{
	return windows_open(ws, WINDOW_CHAT, name);
}

struct window *
windows_open(struct windows *ws, enum window_type type, const char *name)
{
	struct window	*w, **link;
	int		 num = 2;

	for (w = ws->head; w != NULL; w = w->next) {
		if (w->type == type && strcmp(w->name, name) == 0)
			return w;
	}

	/* The list is ordered: the first gap from 2 up is the number. */
	for (link = &ws->head; (w = *link) != NULL; link = &w->next) {
		if (w->num > num)
			break;
		if (w->num == num)
			num++;
	}

	w = window_new(ws, num, type, name, name);
	w->next = *link;
	*link = w;
	ws->version++;
	return w;
}

void
windows_close(struct windows *ws, struct window *w)
{
	struct window	*prev = NULL, **link;

	if (w == NULL || w->type == WINDOW_CONSOLE)
		return;
	for (link = &ws->head; *link != NULL && *link != w;
	    link = &(*link)->next)
		prev = *link;
	if (*link == NULL)
		return;		/* not ours */
	*link = w->next;
	if (ws->current == w)
		ws->current = prev != NULL ? prev : ws->head;
	window_free(w);
	ws->version++;
}

void
windows_select(struct windows *ws, struct window *w)
{
	if (w == NULL)
		return;
	ws->current = w;
	w->unread = 0;
	w->highlight = 0;
	ws->version++;
}

struct window *
windows_next(struct windows *ws, int dir)
{
	struct window	*cur = ws->current, *w;

	if (ws->head == NULL)
		return NULL;
	if (cur == NULL)
		return ws->head;
	if (dir >= 0)
		return cur->next != NULL ? cur->next : ws->head;
	/*
	 * Previous: stop at the window before cur; if cur is the first, this
	 * runs to the last window, which is where going back wraps to.
	 */
	for (w = ws->head; w->next != NULL && w->next != cur; w = w->next)
		;
	return w;
}

int
line_has_id(const struct line *l, const char *id)
{
	return id != NULL && ((l->msg_id != NULL &&
	    strcmp(l->msg_id, id) == 0) || (l->corr_id != NULL &&
	    strcmp(l->corr_id, id) == 0));
}

void
line_correct(struct line *l, const char *text, const char *new_id)
{
	free(l->text);
	l->text = utf8_sanitize(text, strlen(text), UTF8_KEEP_NEWLINES);
	l->edited = 1;
	if (new_id != NULL)
		str_replace(&l->corr_id, new_id);
}
