/*
 * test-ini.c - unit tests for src/util/ini.c.
 *
 * The callbacks write what they see into a log, one event a line:
 *	"LINE [SECTION] KEY=VALUE", "LINE start SECTION", "LINE end SECTION"
 * (the LINE of an end is that of the section's header).  A key "bad", a
 * section "bad" and the end of a section "badend" are refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/ini.h"
#include "util/str.h"
#include "util/xalloc.h"

static int
log_key(void *arg, const char *section, const char *key, const char *value,
    int line, char **cause)
{
	strbuf_addf(arg, "%d [%s] %s=%s\n", line, section, key, value);
	if (strcmp(key, "bad") == 0) {
		*cause = xasprintf("bad key '%s'", value);
		return -1;
	}
	return 0;
}

static int
log_section(void *arg, const char *section, int line, char **cause)
{
	strbuf_addf(arg, "%d start %s\n", line, section);
	if (strcmp(section, "bad") == 0) {
		*cause = xstrdup("bad section");
		return -1;
	}
	return 0;
}

static int
log_end(void *arg, const char *section, int line, char **cause)
{
	strbuf_addf(arg, "%d end %s\n", line, section);
	if (strcmp(section, "badend") == 0) {
		*cause = xstrdup("bad end");
		return -1;
	}
	return 0;
}

static const struct ini_format keys_only = {
	.expected = "expected 'key = value'",
	.key = log_key,
};
static const struct ini_format keys_semicolons = {
	.flags = INI_SEMICOLONS,
	.expected = "expected 'key = value'",
	.key = log_key,
};
static const struct ini_format with_sections = {
	.expected = "expected 'key = value'",
	.key = log_key,
	.section = log_section,
	.section_end = log_end,
};

/*
 * Parse TEXT with FMT: check the log is WANT_LOG and the result WANT_CAUSE
 * (NULL: success).
 */
static void
parse(const struct ini_format *fmt, const char *text, const char *want_log,
    const char *want_cause)
{
	struct strbuf	 log = { 0 };
	char		*cause = NULL, *got;
	int		 rc;

	rc = ini_parse_text(fmt, "test.ini", text, &log, &cause);
	got = strbuf_take(&log);
	assert_string_equal(got, want_log);
	free(got);
	if (want_cause == NULL) {
		assert_int_equal(rc, 0);
		assert_null(cause);
	} else {
		assert_int_equal(rc, -1);
		assert_non_null(cause);
		assert_string_equal(cause, want_cause);
		free(cause);
	}
}

static void
ini_parse_text__passes_line_numbers__to_callbacks(void **state)
{
	parse(&with_sections,
	    "# comment\n"
	    "top = 1\n"
	    "\n"
	    "; comment\n"
	    "[one]\n"
	    "a = x\n"
	    "b: y\n"
	    "[ two ]\n"
	    "c = z\n",
	    "2 [] top=1\n"
	    "5 start one\n"
	    "6 [one] a=x\n"
	    "7 [one] b=y\n"
	    "5 end one\n"
	    "8 start two\n"
	    "9 [two] c=z\n"
	    "8 end two\n", NULL);
}

static void
ini_parse_text__accepts_empty_text__without_calls(void **state)
{
	parse(&with_sections, "", "", NULL);
	parse(&with_sections, "\n\n# nothing\n", "", NULL);
}

static void
ini_parse_text__reads_last_line__without_newline(void **state)
{
	parse(&keys_only, "a = 1\r\nb = 2", "1 [] a=1\n2 [] b=2\n", NULL);
}

static void
ini_parse_text__keeps_whole_name__when_section_is_long(void **state)
{
	char	 name[81], text[200], want[400];

	memset(name, 'n', 80);
	name[80] = '\0';
	snprintf(text, sizeof text, "[%s]\nkey = value\n", name);
	snprintf(want, sizeof want, "1 start %s\n2 [%s] key=value\n1 end %s\n",
	    name, name, name);
	parse(&with_sections, text, want, NULL);
}

static void
ini_parse_text__rejects_line__when_longer_than_inih_buffer(void **state)
{
	char	text[600], want[300];

	/* 198 characters fit in inih's 200 bytes with '\n' and NUL. */
	snprintf(text, sizeof text, "a = %0194d\nb = %0195d\nc = 3\n", 0, 0);
	snprintf(want, sizeof want, "1 [] a=%0194d\n3 [] c=3\n", 0);
	parse(&keys_only, text, want,
	    "test.ini:2: line is longer than 198 characters");
}

static void
ini_parse_text__skips_leading_blanks__without_joining_lines(void **state)
{
	parse(&keys_only, "a = 1\n  b = 2\n\t c = 3\n",
	    "1 [] a=1\n2 [] b=2\n3 [] c=3\n", NULL);
}

static void
ini_parse_text__skips_byte_order_mark__on_first_line_only(void **state)
{
	parse(&with_sections, "\xef\xbb\xbf[s]\na = 1\n",
	    "1 start s\n2 [s] a=1\n1 end s\n", NULL);
	parse(&keys_only, "a = 1\n\xef\xbb\xbf" "b = 2\n",
	    "1 [] a=1\n2 [] \xef\xbb\xbf" "b=2\n", NULL);
}

static void
ini_parse_text__cuts_inline_comment__without_semicolons_flag(void **state)
{
	parse(&keys_only, "a = x ; comment\nb = x;y\n",
	    "1 [] a=x\n2 [] b=x;y\n", NULL);
}

static void
ini_parse_text__keeps_semicolons__with_semicolons_flag(void **state)
{
	parse(&keys_semicolons,
	    "; comment\n"
	    "# comment\n"
	    "a = x ; not a comment ;)\n"
	    "b = ;\n"
	    "[s;t]\n"
	    "c = d;e\n",
	    "3 [] a=x ; not a comment ;)\n"
	    "4 [] b=;\n"
	    "6 [s;t] c=d;e\n", NULL);
}

static void
ini_parse_text__reports_first_problem__and_applies_good_lines(void **state)
{
	parse(&keys_only, "a = 1\nbad = one\nb = 2\nbad = two\nc = 3\n",
	    "1 [] a=1\n2 [] bad=one\n3 [] b=2\n4 [] bad=two\n5 [] c=3\n",
	    "test.ini:2: bad key 'one'");
}

static void
ini_parse_text__reports_syntax_error__when_its_line_comes_first(void **state)
{
	parse(&keys_only, "a = 1\njunk\nbad = x\nb = 2\n",
	    "1 [] a=1\n3 [] bad=x\n4 [] b=2\n",
	    "test.ini:2: expected 'key = value'");
	parse(&keys_only, "bad = x\njunk\nb = 2\n",
	    "1 [] bad=x\n3 [] b=2\n", "test.ini:1: bad key 'x'");
	parse(&keys_only, "[unclosed\na = 1\n", "2 [] a=1\n",
	    "test.ini:1: expected 'key = value'");
}

static void
ini_parse_text__reports_section_problems__at_header_line(void **state)
{
	parse(&with_sections, "[bad]\na = 1\n[ok]\nb = 2\n",
	    "1 start bad\n2 [bad] a=1\n1 end bad\n3 start ok\n4 [ok] b=2\n"
	    "3 end ok\n", "test.ini:1: bad section");
	/* An end comes at the next header, after the lines between. */
	parse(&with_sections, "[badend]\nbad = x\n[ok]\n",
	    "1 start badend\n2 [badend] bad=x\n1 end badend\n3 start ok\n"
	    "3 end ok\n", "test.ini:2: bad key 'x'");
	parse(&with_sections, "[badend]\na = 1\n[bad]\n",
	    "1 start badend\n2 [badend] a=1\n1 end badend\n3 start bad\n"
	    "3 end bad\n", "test.ini:1: bad end");
}

static void
ini_parse_text__checks_last_section__before_syntax_error(void **state)
{
	/* The end of the text comes before inih's error is looked at. */
	parse(&with_sections, "[badend]\njunk\n",
	    "1 start badend\n1 end badend\n", "test.ini:1: bad end");
	parse(&with_sections, "[ok]\njunk\n[badend]\n",
	    "1 start ok\n1 end ok\n3 start badend\n3 end badend\n",
	    "test.ini:2: expected 'key = value'");
}

static void
ini_read_file__reads_whole_file__when_it_exists(void **state)
{
	char	 path[] = "/tmp/szia-test-ini.XXXXXX", *text = NULL;
	char	 big[10000];
	FILE	*f;
	int	 fd;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(big, f);
	fclose(f);
	assert_int_equal(ini_read_file(path, &text), 0);
	assert_string_equal(text, big);
	free(text);
	unlink(path);

	text = NULL;
	errno = 0;
	assert_int_equal(ini_read_file(path, &text), -1);
	assert_int_equal(errno, ENOENT);
	assert_null(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    ini_parse_text__passes_line_numbers__to_callbacks),
		cmocka_unit_test(
		    ini_parse_text__accepts_empty_text__without_calls),
		cmocka_unit_test(
		    ini_parse_text__reads_last_line__without_newline),
		cmocka_unit_test(
		    ini_parse_text__keeps_whole_name__when_section_is_long),
		cmocka_unit_test(
		    ini_parse_text__rejects_line__when_longer_than_inih_buffer),
		cmocka_unit_test(
		    ini_parse_text__skips_leading_blanks__without_joining_lines),
		cmocka_unit_test(
		    ini_parse_text__skips_byte_order_mark__on_first_line_only),
		cmocka_unit_test(
		    ini_parse_text__cuts_inline_comment__without_semicolons_flag),
		cmocka_unit_test(
		    ini_parse_text__keeps_semicolons__with_semicolons_flag),
		cmocka_unit_test(
		    ini_parse_text__reports_first_problem__and_applies_good_lines),
		cmocka_unit_test(
		    ini_parse_text__reports_syntax_error__when_its_line_comes_first),
		cmocka_unit_test(
		    ini_parse_text__reports_section_problems__at_header_line),
		cmocka_unit_test(
		    ini_parse_text__checks_last_section__before_syntax_error),
		cmocka_unit_test(
		    ini_read_file__reads_whole_file__when_it_exists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
