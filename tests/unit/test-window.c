/*
 * test-window.c - unit tests for src/core/window.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/window.h"

/* Append lines "#FIRST" .. "#LAST". */
static void
add_numbered(struct window *w, int first, int last)
{
	char	text[16];
	int	i;

	for (i = first; i <= last; i++) {
		snprintf(text, sizeof text, "#%d", i);
		window_add(w, i, LINE_INFO, 0, NULL, text);
	}
}

static void
assert_lines(const struct window *w, const char *const *want, size_t n)
{
	size_t	i;

	assert_int_equal(w->buf.len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(window_line(w, i)->text, want[i]);
	assert_null(window_line(w, n));
}

static void
buffer_init__enforces_capacity_of_one(void **state)
{
	struct buffer	b;

	buffer_init(&b, 0);
	assert_int_equal(b.cap, 1);
	assert_int_equal(b.len, 0);
	buffer_free(&b);
	assert_null(b.lines);
	assert_int_equal(b.cap, 0);
}

static void
buffer_free__frees_lines(void **state)
{
	struct windows	ws;

	windows_init(&ws, 4);
	add_numbered(ws.head, 1, 6);
	buffer_free(&ws.head->buf);
	assert_int_equal(ws.head->buf.len, 0);
	windows_clear(&ws);
}

static void
window_add__copies_fields(void **state)
{
	struct windows	 ws;
	struct line	*l;
	char		 who[] = "alice", text[] = "hello";

	windows_init(&ws, 10);
	l = window_add(ws.head, 42, LINE_IN, LINE_DELAYED, who, text);
	who[0] = text[0] = 'X';
	assert_ptr_equal(window_line(ws.head, 0), l);
	assert_int_equal(l->ts, 42);
	assert_int_equal(l->kind, LINE_IN);
	assert_int_equal(l->flags, LINE_DELAYED);
	assert_string_equal(l->who, "alice");
	assert_string_equal(l->text, "hello");
	l = window_add(ws.head, 43, LINE_INFO, 0, NULL, "info");
	assert_null(l->who);
	assert_int_equal(ws.head->unread, 0);
	windows_clear(&ws);
}

static void
window_add__drops_oldest__when_full(void **state)
{
	static const char *const want[] = { "#3", "#4", "#5" };
	struct windows		 ws;

	windows_init(&ws, 3);
	add_numbered(ws.head, 1, 5);
	assert_lines(ws.head, want, 3);
	assert_int_equal(ws.head->buf.cap, 3);
	windows_clear(&ws);
}

static void
window_add__wraps_many_times(void **state)
{
	struct windows	ws;
	char		want[16];
	size_t		i;

	windows_init(&ws, 7);
	add_numbered(ws.head, 1, 100);
	for (i = 0; i < 7; i++) {
		snprintf(want, sizeof want, "#%zu", 94 + i);
		assert_string_equal(window_line(ws.head, i)->text, want);
	}
	windows_clear(&ws);
}

static void
window_line__returns_null__past_the_end(void **state)
{
	struct windows	ws;

	windows_init(&ws, 3);
	assert_null(window_line(ws.head, 0));
	add_numbered(ws.head, 1, 1);
	assert_non_null(window_line(ws.head, 0));
	assert_null(window_line(ws.head, 1));
	windows_clear(&ws);
}

static void
window_prepend__inserts_before_oldest(void **state)
{
	static const char *const want[] = { "h1", "h2", "#3", "#4", "#5" };
	struct line		 hist[2] = {
		{ .ts = 1, .kind = LINE_IN, .flags = LINE_HISTORY,
		    .who = (char *)"bob", .text = (char *)"h1" },
		{ .ts = 2, .kind = LINE_OUT, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h2" },
	};
	struct windows		 ws;

	windows_init(&ws, 5);
	add_numbered(ws.head, 3, 5);
	window_prepend(ws.head, hist, 2);
	assert_lines(ws.head, want, 5);
	assert_string_equal(window_line(ws.head, 0)->who, "bob");
	assert_ptr_not_equal(window_line(ws.head, 0)->text, hist[0].text);
	assert_int_equal(window_line(ws.head, 0)->flags, LINE_HISTORY);
	assert_int_equal(window_line(ws.head, 1)->kind, LINE_OUT);
	assert_null(window_line(ws.head, 1)->who);
	windows_clear(&ws);
}

static void
window_prepend__wraps_around_start(void **state)
{
	static const char *const want[] = { "h1", "h2", "#6", "#7" };
	static const char *const later[] = { "#6", "#7", "#8", "#9" };
	struct line		 hist[2] = {
		{ .ts = 1, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h1" },
		{ .ts = 2, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h2" },
	};
	struct windows		 ws;

	windows_init(&ws, 4);
	add_numbered(ws.head, 6, 7);
	/* The oldest is at index 0 of the array: prepending wraps back. */
	assert_int_equal(ws.head->buf.start, 0);
	window_prepend(ws.head, hist, 2);
	assert_int_equal(ws.head->buf.start, 2);
	assert_lines(ws.head, want, 4);
	/* Appending to the now full ring drops the history first. */
	add_numbered(ws.head, 8, 9);
	assert_lines(ws.head, later, 4);
	windows_clear(&ws);
}

static void
window_prepend__grows_ring__when_history_overfull(
    void **state)
{
	static const char *const want[] = { "h1", "h2", "h3", "h4", "#1",
	    "#2" };
	struct line		 hist[4] = {
		{ .ts = 1, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h1" },
		{ .ts = 2, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h2" },
		{ .ts = 3, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h3" },
		{ .ts = 4, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h4" },
	};
	static const char *const full[] = { "h1", "h2", "h3", "h4", "#1",
	    "#2", "#3", "#4" };
	static const char *const after[] = { "h2", "h3", "h4", "#1", "#2",
	    "#3", "#4", "#5" };
	struct windows		 ws;

	/* Asked-for history is never cut: the ring grows for it. */
	windows_init(&ws, 4);
	add_numbered(ws.head, 1, 2);
	window_prepend(ws.head, hist, 4);
	assert_lines(ws.head, want, 6);
	windows_clear(&ws);

	/* Even when the buffer was full; new lines then push out the
	 * oldest, as always. */
	windows_init(&ws, 4);
	add_numbered(ws.head, 1, 4);
	window_prepend(ws.head, hist, 4);
	assert_lines(ws.head, full, 8);
	add_numbered(ws.head, 5, 5);
	assert_lines(ws.head, after, 8);
	windows_clear(&ws);
}

static void
window_prepend__fills_empty_buffer(void **state)
{
	static const char *const want[] = { "h1", "h2" };
	struct line		 hist[2] = {
		{ .ts = 1, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h1" },
		{ .ts = 2, .kind = LINE_INFO, .flags = LINE_HISTORY,
		    .who = NULL, .text = (char *)"h2" },
	};
	struct windows		 ws;

	windows_init(&ws, 3);
	window_prepend(ws.head, hist, 2);
	assert_lines(ws.head, want, 2);
	/* Appending after a prepend still goes at the end. */
	window_add(ws.head, 3, LINE_INFO, 0, NULL, "#3");
	window_add(ws.head, 4, LINE_INFO, 0, NULL, "#4");
	assert_string_equal(window_line(ws.head, 0)->text, "h2");
	assert_string_equal(window_line(ws.head, 2)->text, "#4");
	windows_clear(&ws);
}

static void
windows_init__creates_console(void **state)
{
	struct windows	 ws;
	struct window	*w;

	windows_init(&ws, 0);
	w = ws.head;
	assert_non_null(w);
	assert_null(w->next);
	assert_ptr_equal(ws.current, w);
	assert_ptr_equal(windows_console(&ws), w);
	assert_int_equal(w->num, 1);
	assert_int_equal(w->type, WINDOW_CONSOLE);
	assert_string_equal(w->name, "console");
	assert_string_equal(w->title, "szia console");
	assert_int_equal(w->buf.cap, 1);
	windows_clear(&ws);
}

static void
windows_clear__frees_all(void **state)
{
	struct windows	ws;
	unsigned	v;

	windows_init(&ws, 10);
	windows_open_chat(&ws, "a@x");
	add_numbered(windows_open_chat(&ws, "b@x"), 1, 20);
	add_numbered(ws.head, 1, 20);
	v = ws.version;
	windows_clear(&ws);
	assert_null(ws.head);
	assert_null(ws.current);
	assert_true(ws.version != v);
	assert_null(windows_console(&ws));
	assert_null(windows_next(&ws, 1));
}

static void
windows_open_chat__numbers_from_two(void **state)
{
	struct windows	 ws;
	struct window	*a, *b;
	unsigned	 v;

	windows_init(&ws, 10);
	v = ws.version;
	a = windows_open_chat(&ws, "a@x");
	assert_true(ws.version != v);
	b = windows_open_chat(&ws, "b@x");
	assert_int_equal(a->num, 2);
	assert_int_equal(b->num, 3);
	assert_int_equal(a->type, WINDOW_CHAT);
	assert_string_equal(a->name, "a@x");
	assert_string_equal(a->title, "a@x");
	assert_int_equal(a->buf.cap, 10);
	assert_ptr_equal(ws.head->next, a);
	assert_ptr_equal(a->next, b);
	/* Opening does not select. */
	assert_ptr_equal(ws.current, ws.head);
	windows_clear(&ws);
}

static void
windows_open_chat__returns_existing__when_name_open(void **state)
{
	struct windows	 ws;
	struct window	*a;
	unsigned	 v;

	windows_init(&ws, 10);
	a = windows_open_chat(&ws, "a@x");
	v = ws.version;
	assert_ptr_equal(windows_open_chat(&ws, "a@x"), a);
	assert_int_equal(ws.version, v);
	assert_null(a->next);
	windows_clear(&ws);
}

static void
windows_open_chat__reuses_lowest_free_number(void **state)
{
	struct windows	 ws;
	struct window	*w, *d;
	int		 want[] = { 1, 2, 3, 4, 5 }, i;

	windows_init(&ws, 10);
	windows_open_chat(&ws, "a@x");
	windows_open_chat(&ws, "b@x");
	windows_open_chat(&ws, "c@x");
	windows_open_chat(&ws, "d@x");
	windows_close(&ws, windows_find(&ws, "b@x"));	/* #3 */
	d = windows_open_chat(&ws, "e@x");
	assert_int_equal(d->num, 3);
	windows_close(&ws, windows_find(&ws, "a@x"));	/* #2 */
	windows_close(&ws, windows_find(&ws, "e@x"));	/* #3 */
	assert_int_equal(windows_open_chat(&ws, "f@x")->num, 2);
	assert_int_equal(windows_open_chat(&ws, "g@x")->num, 3);
	/* The list stays ordered by number. */
	for (i = 0, w = ws.head; w != NULL; w = w->next, i++)
		assert_int_equal(w->num, want[i]);
	assert_int_equal(i, 5);
	windows_clear(&ws);
}

static void
windows_find__matches_name(void **state)
{
	struct windows	 ws;
	struct window	*a;

	windows_init(&ws, 10);
	a = windows_open_chat(&ws, "a@x");
	assert_ptr_equal(windows_find(&ws, "a@x"), a);
	assert_ptr_equal(windows_find(&ws, "console"), ws.head);
	assert_null(windows_find(&ws, "b@x"));
	assert_null(windows_find(&ws, NULL));
	windows_clear(&ws);
}

static void
windows_by_num__matches_number(void **state)
{
	struct windows	 ws;
	struct window	*a, *b;

	windows_init(&ws, 10);
	a = windows_open_chat(&ws, "a@x");
	b = windows_open_chat(&ws, "b@x");
	assert_ptr_equal(windows_by_num(&ws, 1), ws.head);
	assert_ptr_equal(windows_by_num(&ws, 2), a);
	assert_ptr_equal(windows_by_num(&ws, 3), b);
	assert_null(windows_by_num(&ws, 4));
	assert_null(windows_by_num(&ws, 0));
	assert_null(windows_by_num(&ws, -1));
	windows_clear(&ws);
}

static void
windows_close__refuses_console(void **state)
{
	struct windows	ws;
	unsigned	v;

	windows_init(&ws, 10);
	v = ws.version;
	windows_close(&ws, ws.head);
	windows_close(&ws, NULL);
	assert_non_null(ws.head);
	assert_ptr_equal(ws.current, ws.head);
	assert_int_equal(ws.version, v);
	windows_clear(&ws);
}

static void
windows_close__moves_current_to_lower_number(void **state)
{
	struct windows	 ws;
	struct window	*a, *b, *c;
	unsigned	 v;

	windows_init(&ws, 10);
	a = windows_open_chat(&ws, "a@x");
	b = windows_open_chat(&ws, "b@x");
	c = windows_open_chat(&ws, "c@x");
	add_numbered(b, 1, 30);
	b->locked = strdup("b@x/phone");
	windows_select(&ws, b);
	v = ws.version;
	windows_close(&ws, b);
	assert_true(ws.version != v);
	assert_ptr_equal(ws.current, a);
	assert_ptr_equal(a->next, c);
	assert_null(windows_find(&ws, "b@x"));
	windows_close(&ws, a);
	assert_ptr_equal(ws.current, ws.head);
	assert_ptr_equal(ws.head->next, c);
	/* Closing another window leaves the current one alone. */
	windows_select(&ws, c);
	windows_close(&ws, windows_open_chat(&ws, "d@x"));
	assert_ptr_equal(ws.current, c);
	windows_clear(&ws);
}

static void
windows_select__clears_unread_keeps_scroll(void **state)
{
	struct windows	 ws;
	struct window	*a;
	unsigned	 v;

	windows_init(&ws, 10);
	a = windows_open_chat(&ws, "a@x");
	a->unread = 5;
	a->highlight = 1;
	a->scroll = 7;
	v = ws.version;
	windows_select(&ws, a);
	assert_ptr_equal(ws.current, a);
	assert_int_equal(a->unread, 0);
	assert_int_equal(a->highlight, 0);
	assert_int_equal(a->scroll, 7);
	assert_true(ws.version != v);
	windows_clear(&ws);
}

static void
windows_next__wraps_both_ways(void **state)
{
	struct windows	 ws;
	struct window	*con, *a, *b;

	windows_init(&ws, 10);
	con = ws.head;
	/* Only the console: both ways lead back to it. */
	assert_ptr_equal(windows_next(&ws, 1), con);
	assert_ptr_equal(windows_next(&ws, -1), con);
	a = windows_open_chat(&ws, "a@x");
	b = windows_open_chat(&ws, "b@x");
	assert_ptr_equal(windows_next(&ws, 1), a);
	assert_ptr_equal(windows_next(&ws, -1), b);
	windows_select(&ws, a);
	assert_ptr_equal(windows_next(&ws, 1), b);
	assert_ptr_equal(windows_next(&ws, -1), con);
	windows_select(&ws, b);
	assert_ptr_equal(windows_next(&ws, 1), con);
	assert_ptr_equal(windows_next(&ws, -1), a);
	/* It does not select. */
	assert_ptr_equal(ws.current, b);
	windows_clear(&ws);
}

static void
windows_next__skips_gaps_in_numbers(void **state)
{
	struct windows	 ws;
	struct window	*a, *c;

	windows_init(&ws, 10);
	a = windows_open_chat(&ws, "a@x");
	windows_open_chat(&ws, "b@x");
	c = windows_open_chat(&ws, "c@x");
	windows_close(&ws, windows_find(&ws, "b@x"));
	windows_select(&ws, a);
	assert_ptr_equal(windows_next(&ws, 1), c);
	windows_select(&ws, c);
	assert_ptr_equal(windows_next(&ws, -1), a);
	windows_clear(&ws);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(buffer_init__enforces_capacity_of_one),
		cmocka_unit_test(buffer_free__frees_lines),
		cmocka_unit_test(window_add__copies_fields),
		cmocka_unit_test(window_add__drops_oldest__when_full),
		cmocka_unit_test(window_add__wraps_many_times),
		cmocka_unit_test(window_line__returns_null__past_the_end),
		cmocka_unit_test(window_prepend__inserts_before_oldest),
		cmocka_unit_test(window_prepend__wraps_around_start),
		cmocka_unit_test(
		    window_prepend__grows_ring__when_history_overfull),
		cmocka_unit_test(window_prepend__fills_empty_buffer),
		cmocka_unit_test(windows_init__creates_console),
		cmocka_unit_test(windows_clear__frees_all),
		cmocka_unit_test(windows_open_chat__numbers_from_two),
		cmocka_unit_test(
		    windows_open_chat__returns_existing__when_name_open),
		cmocka_unit_test(windows_open_chat__reuses_lowest_free_number),
		cmocka_unit_test(windows_find__matches_name),
		cmocka_unit_test(windows_by_num__matches_number),
		cmocka_unit_test(windows_close__refuses_console),
		cmocka_unit_test(windows_close__moves_current_to_lower_number),
		cmocka_unit_test(windows_select__clears_unread_keeps_scroll),
		cmocka_unit_test(windows_next__wraps_both_ways),
		cmocka_unit_test(windows_next__skips_gaps_in_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
