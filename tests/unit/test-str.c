/*
 * test-str.c - unit tests for src/util/str.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/str.h"
#include "util/xalloc.h"

/* Split LINE and compare with the N words in WANT. */
static void
assert_split(const char *line, int max, int rest_last,
    const char *const *want, int n)
{
	char	**argv = NULL, *cause = NULL;
	int	  argc, i;

	argc = str_split_args(line, max, rest_last, &argv, &cause);
	assert_int_equal(argc, n);
	assert_null(cause);
	assert_non_null(argv);
	for (i = 0; i < n; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[n]);
	str_argv_free(argc, argv);
}

static void
strbuf_add__appends_and_terminates(void **state)
{
	struct strbuf	b = { 0 };

	strbuf_add(&b, "abcdef", 3);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.s, "abc");
	strbuf_adds(&b, "de");
	strbuf_addc(&b, '!');
	assert_int_equal(b.len, 6);
	assert_string_equal(b.s, "abcde!");
	assert_true(b.cap > b.len);
	strbuf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void
strbuf_add__keeps_embedded_nul(void **state)
{
	struct strbuf	b = { 0 };

	strbuf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.s, "a\0b", 4);
	strbuf_free(&b);
}

static void
strbuf_addf__formats(void **state)
{
	struct strbuf	b = { 0 };

	strbuf_adds(&b, "n=");
	strbuf_addf(&b, "%d, s=%s", 42, "x");
	assert_string_equal(b.s, "n=42, s=x");
	assert_int_equal(b.len, strlen("n=42, s=x"));
	strbuf_free(&b);
}

static void
strbuf_add__grows__for_large_input(void **state)
{
	struct strbuf	 b = { 0 };
	char		*big = malloc(100000);
	size_t		 i;

	memset(big, 'x', 100000);
	for (i = 0; i < 10; i++)
		strbuf_add(&b, big, 10000);
	strbuf_addc(&b, 'y');
	assert_int_equal(b.len, 100001);
	assert_int_equal(b.s[99999], 'x');
	assert_int_equal(b.s[100000], 'y');
	assert_int_equal(b.s[100001], '\0');
	assert_true(b.cap >= 100002);
	free(big);
	strbuf_free(&b);
}

static void
strbuf_take__returns_string_and_resets(void **state)
{
	struct strbuf	 b = { 0 };
	char		*s;

	strbuf_adds(&b, "hello");
	s = strbuf_take(&b);
	assert_string_equal(s, "hello");
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
	/* Reusable after take. */
	strbuf_adds(&b, "again");
	assert_string_equal(b.s, "again");
	strbuf_free(&b);
}

static void
strbuf_take__returns_empty_string__when_nothing_added(void **state)
{
	struct strbuf	 b = { 0 };
	char		*s = strbuf_take(&b);

	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void
str_startswith__matches_prefix(void **state)
{
	assert_true(str_startswith("/roster add", "/ro"));
	assert_true(str_startswith("abc", ""));
	assert_false(str_startswith("/Roster", "/ro"));
	assert_false(str_startswith("ab", "abc"));
	assert_true(str_casestartswith("/ROSTER", "/ro"));
	assert_false(str_casestartswith("/RAST", "/ro"));
}

static void
str_trim__strips_both_ends(void **state)
{
	char	s1[] = "  \t hello world \n ";
	char	s2[] = "nothing";
	char	s3[] = " \t\r\n ";
	char	s4[] = "";
	char	s5[] = "x ";

	assert_ptr_equal(str_trim(s1), s1);
	assert_string_equal(s1, "hello world");
	assert_string_equal(str_trim(s2), "nothing");
	assert_string_equal(str_trim(s3), "");
	assert_string_equal(str_trim(s4), "");
	assert_string_equal(str_trim(s5), "x");
}

static void
str_replace__frees_and_copies(void **state)
{
	char		*field = NULL;
	const char	*src = "one";

	str_replace(&field, src);
	assert_string_equal(field, "one");
	assert_ptr_not_equal(field, src);
	str_replace(&field, "two");
	assert_string_equal(field, "two");
	str_replace(&field, NULL);
	assert_null(field);
}

/* An equal value keeps the copy (no allocation per message). */
static void
str_replace__equal_text__keeps_the_copy(void **state)
{
	char	*field = NULL, *first;

	str_replace(&field, "same");
	first = field;
	str_replace(&field, "same");
	assert_ptr_equal(field, first);
	str_replace(&field, "other");
	assert_string_equal(field, "other");
	free(field);
}

static void
str_replace__handles_own_value(void **state)
{
	char	*field = NULL;

	str_replace(&field, "self");
	/* Copy first, then free: replacing with itself must work. */
	str_replace(&field, field);
	assert_string_equal(field, "self");
	free(field);
}

static void
str_hex_pairs__joins_upper_case_pairs_with_colons(void **state)
{
	const unsigned char	 data[] = { 0x00, 0xab, 0x9f, 0xff };
	char			*s;

	s = str_hex_pairs(data, sizeof data);
	assert_string_equal(s, "00:AB:9F:FF");
	free(s);
	s = str_hex_pairs(data, 1);
	assert_string_equal(s, "00");
	free(s);
	s = str_hex_pairs(data, 0);
	assert_string_equal(s, "");
	free(s);
}

static void
xstrjoin__joins_with_one_separator(void **state)
{
	char	*s = xstrjoin("alice", '@', "example.org");

	assert_string_equal(s, "alice@example.org");
	free(s);
	s = xstrjoin("", '/', "");
	assert_string_equal(s, "/");
	free(s);
}

static void
str_lower__copies_ascii_lowercase(void **state)
{
	char	*s = str_lower("MiXeD-\xc3\x89");

	assert_string_equal(s, "mixed-\xc3\x89");
	free(s);
}

static void
str_split_args__splits_on_white_space(void **state)
{
	const char *const want[] = { "a", "bb", "ccc" };

	assert_split("  a \tbb   ccc  ", 10, 0, want, 3);
}

static void
str_split_args__returns_empty_argv__for_blank_line(void **state)
{
	assert_split("", 5, 0, NULL, 0);
	assert_split("   \t ", 5, 1, NULL, 0);
}

static void
str_split_args__groups_quoted_words(void **state)
{
	const char *const want[] = { "add", "bob@x", "Bob Smith", "" };

	assert_split("add bob@x \"Bob Smith\" \"\"", 10, 0, want, 4);
}

static void
str_split_args__unescapes_quote_and_backslash(void **state)
{
	const char *const want[] = { "say \"hi\" \\ ok", "next" };

	assert_split("\"say \\\"hi\\\" \\\\ ok\" next", 10, 0, want, 2);
}

static void
str_split_args__keeps_other_backslashes(void **state)
{
	const char *const want[] = { "a\\nb", "c\\d" };

	assert_split("\"a\\nb\" c\\d", 10, 0, want, 2);
}

static void
str_split_args__keeps_rest_untouched__when_rest_last(void **state)
{
	const char *const want[] = { "bob@x", "hello  \"there\"  \\ you" };

	assert_split("bob@x   hello  \"there\"  \\ you  ", 2, 1, want, 2);
}

static void
str_split_args__quotes_rest_last_word__not_parsed(void **state)
{
	const char *const want[] = { "away", "\"lunch\"" };

	assert_split("away \"lunch\"", 2, 1, want, 2);
}

static void
str_split_args__uses_fewer_words__when_rest_last_not_reached(void **state)
{
	const char *const want[] = { "away" };

	assert_split("away", 2, 1, want, 1);
}

static void
str_split_args__stops_at_max(void **state)
{
	const char *const want[] = { "a", "b" };

	assert_split("a b c d", 2, 0, want, 2);
	assert_split("a b", 0, 0, NULL, 0);
}

static void
str_split_args__fails__when_quote_unterminated(void **state)
{
	char	**argv = (char **)&argv, *cause = NULL;

	assert_int_equal(str_split_args("a \"open words", 5, 0, &argv,
	    &cause), -1);
	assert_null(argv);
	str_argv_free(-1, argv);	/* what a careless caller does */
	assert_non_null(cause);
	assert_non_null(strstr(cause, "unterminated"));
	free(cause);
	cause = NULL;
	/* An escaped quote does not close it. */
	assert_int_equal(str_split_args("\"x\\\"", 5, 0, &argv, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

static void
str_split_args__ignores_quote__inside_rest_last(void **state)
{
	const char *const	 want[] = { "bob@x", "it's \"open" };
	char			**argv = NULL, *cause = NULL;

	assert_split("bob@x it's \"open", 2, 1, want, 2);
	/* But a quote in a positional word before the rest is checked. */
	assert_int_equal(str_split_args("\"bob it's", 2, 1, &argv, &cause),
	    -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strbuf_add__appends_and_terminates),
		cmocka_unit_test(strbuf_add__keeps_embedded_nul),
		cmocka_unit_test(strbuf_addf__formats),
		cmocka_unit_test(strbuf_add__grows__for_large_input),
		cmocka_unit_test(strbuf_take__returns_string_and_resets),
		cmocka_unit_test(
		    strbuf_take__returns_empty_string__when_nothing_added),
		cmocka_unit_test(str_startswith__matches_prefix),
		cmocka_unit_test(str_trim__strips_both_ends),
		cmocka_unit_test(str_replace__frees_and_copies),
		cmocka_unit_test(str_replace__equal_text__keeps_the_copy),
		cmocka_unit_test(str_replace__handles_own_value),
		cmocka_unit_test(xstrjoin__joins_with_one_separator),
		cmocka_unit_test(str_lower__copies_ascii_lowercase),
		cmocka_unit_test(str_split_args__splits_on_white_space),
		cmocka_unit_test(
		    str_split_args__returns_empty_argv__for_blank_line),
		cmocka_unit_test(str_split_args__groups_quoted_words),
		cmocka_unit_test(
		    str_split_args__unescapes_quote_and_backslash),
		cmocka_unit_test(str_split_args__keeps_other_backslashes),
		cmocka_unit_test(
		    str_split_args__keeps_rest_untouched__when_rest_last),
		cmocka_unit_test(
		    str_split_args__quotes_rest_last_word__not_parsed),
		cmocka_unit_test(
		    str_split_args__uses_fewer_words__when_rest_last_not_reached
		    ),
		cmocka_unit_test(str_split_args__stops_at_max),
		cmocka_unit_test(
		    str_split_args__fails__when_quote_unterminated),
		cmocka_unit_test(
		    str_split_args__ignores_quote__inside_rest_last),
		cmocka_unit_test(
		    str_hex_pairs__joins_upper_case_pairs_with_colons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
