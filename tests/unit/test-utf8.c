/*
 * test-utf8.c - unit tests for src/util/utf8.c.
 *
 * Widths come from wcwidth(), so every test runs under C.UTF-8 (set in
 * main).  The sanitiser is also checked by a property test: random byte
 * strings from a fixed-seed generator must come out as valid UTF-8 with no
 * byte below 0x20 (except '\n' with UTF8_KEEP_NEWLINES), no DEL and no C1
 * control.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/utf8.h"

/* Decode S (a string literal, length from strlen) into *CP. */
static int
decode(const char *s, uint32_t *cp)
{
	return utf8_decode(s, strlen(s), cp);
}

/* Sanitise S with FLAGS and compare with WANT. */
static void
assert_sanitized(const char *s, size_t len, int flags, const char *want)
{
	char	*out = utf8_sanitize(s, len, flags);

	assert_string_equal(out, want);
	free(out);
}

/* Is S (NUL-terminated) entirely valid UTF-8? */
static int
valid_utf8(const char *s)
{
	size_t		len = strlen(s);
	uint32_t	cp;
	int		n;

	while (len > 0) {
		if ((n = utf8_decode(s, len, &cp)) < 0)
			return 0;
		s += n;
		len -= n;
	}
	return 1;
}

/* xorshift32: the same sequence on every libc. */
static uint32_t
next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void
utf8_decode__returns_1__for_ascii(void **state)
{
	uint32_t	cp = 0;

	assert_int_equal(decode("A", &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\0x", 2, &cp), 1);
	assert_int_equal(cp, 0);
}

static void
utf8_decode__returns_2_to_4__for_multibyte(void **state)
{
	uint32_t	cp = 0;

	assert_int_equal(decode("\xc3\xa9", &cp), 2);		/* é */
	assert_int_equal(cp, 0xe9);
	assert_int_equal(decode("\xc2\x80", &cp), 2);		/* lowest 2 */
	assert_int_equal(cp, 0x80);
	assert_int_equal(decode("\xe4\xb8\xad", &cp), 3);	/* 中 */
	assert_int_equal(cp, 0x4e2d);
	assert_int_equal(decode("\xef\xbf\xbf", &cp), 3);
	assert_int_equal(cp, 0xffff);
	assert_int_equal(decode("\xf0\x9f\x98\x80", &cp), 4);	/* U+1F600 */
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(decode("\xf4\x8f\xbf\xbf", &cp), 4);	/* U+10FFFF */
	assert_int_equal(cp, 0x10ffff);
}

static void
utf8_decode__uses_only_one_char__when_more_follow(void **state)
{
	uint32_t	cp = 0;

	assert_int_equal(decode("\xc3\xa9z", &cp), 2);
	assert_int_equal(cp, 0xe9);
}

static void
utf8_decode__rejects__when_overlong(void **state)
{
	uint32_t	cp = 0x1234;

	assert_int_equal(decode("\xc0\xaf", &cp), -1);		/* '/' */
	assert_int_equal(decode("\xc1\xbf", &cp), -1);
	assert_int_equal(decode("\xe0\x80\xaf", &cp), -1);
	assert_int_equal(decode("\xe0\x9f\xbf", &cp), -1);	/* U+07FF */
	assert_int_equal(decode("\xf0\x80\x80\xaf", &cp), -1);
	assert_int_equal(decode("\xf0\x8f\xbf\xbf", &cp), -1);	/* U+FFFF */
	assert_int_equal(cp, 0x1234);
}

static void
utf8_decode__rejects__when_surrogate(void **state)
{
	uint32_t	cp = 0x1234;

	assert_int_equal(decode("\xed\xa0\x80", &cp), -1);	/* U+D800 */
	assert_int_equal(decode("\xed\xbf\xbf", &cp), -1);	/* U+DFFF */
	assert_int_equal(cp, 0x1234);
	/* Neighbours of the surrogate range are fine. */
	assert_int_equal(decode("\xed\x9f\xbf", &cp), 3);
	assert_int_equal(cp, 0xd7ff);
	assert_int_equal(decode("\xee\x80\x80", &cp), 3);
	assert_int_equal(cp, 0xe000);
}

static void
utf8_decode__rejects__when_truncated(void **state)
{
	uint32_t	cp = 0x1234;

	assert_int_equal(utf8_decode("\xc3\xa9", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xe4\xb8\xad", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 3, &cp), -1);
	assert_int_equal(utf8_decode("A", 0, &cp), -1);
	/* A NUL where a continuation byte should be. */
	assert_int_equal(utf8_decode("\xe4\xb8\0", 3, &cp), -1);
	assert_int_equal(cp, 0x1234);
}

static void
utf8_decode__rejects__when_bad_lead_or_continuation(void **state)
{
	uint32_t	cp = 0x1234;

	assert_int_equal(decode("\x80", &cp), -1);		/* lone cont. */
	assert_int_equal(decode("\xbf", &cp), -1);
	assert_int_equal(decode("\xf8\x88\x80\x80\x80", &cp), -1); /* 5 */
	assert_int_equal(decode("\xfe", &cp), -1);
	assert_int_equal(decode("\xff", &cp), -1);
	assert_int_equal(decode("\xc3\x28", &cp), -1);		/* not cont. */
	assert_int_equal(decode("\xe4\xb8\x41", &cp), -1);
	assert_int_equal(cp, 0x1234);
}

static void
utf8_decode__rejects__when_above_10ffff(void **state)
{
	uint32_t	cp = 0x1234;

	assert_int_equal(decode("\xf4\x90\x80\x80", &cp), -1);	/* U+110000 */
	assert_int_equal(decode("\xf7\xbf\xbf\xbf", &cp), -1);	/* U+1FFFFF */
	assert_int_equal(cp, 0x1234);
}

static void
utf8_encode__round_trips__through_decode(void **state)
{
	static const uint32_t	 cps[] = {
		0, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd,
		0xffff, 0x10000, 0x1f600, 0x10ffff
	};
	static const int	 lens[] = {
		1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4
	};
	char			 buf[4];
	uint32_t		 cp;
	size_t			 i;
	int			 n;

	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		n = utf8_encode(cps[i], buf);
		assert_int_equal(n, lens[i]);
		assert_int_equal(utf8_decode(buf, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
}

static void
utf8_cpwidth__is_1__for_ascii(void **state)
{
	assert_int_equal(utf8_cpwidth('a'), 1);
	assert_int_equal(utf8_cpwidth(' '), 1);
	assert_int_equal(utf8_cpwidth('~'), 1);
}

static void
utf8_cpwidth__is_0__for_controls(void **state)
{
	assert_int_equal(utf8_cpwidth(0), 0);
	assert_int_equal(utf8_cpwidth(0x1b), 0);
	assert_int_equal(utf8_cpwidth(0x7f), 0);
}

static void
utf8_cpwidth__is_2__for_cjk_and_emoji(void **state)
{
	assert_int_equal(utf8_cpwidth(0x4e2d), 2);	/* 中 */
	assert_int_equal(utf8_cpwidth(0xac00), 2);	/* 가 */
	assert_int_equal(utf8_cpwidth(0xff21), 2);	/* fullwidth A */
	assert_int_equal(utf8_cpwidth(0x1f600), 2);	/* grinning face */
}

static void
utf8_cpwidth__is_0__for_combining_acute(void **state)
{
	assert_int_equal(utf8_cpwidth(0x301), 0);
	assert_int_equal(utf8_cpwidth(0x200b), 0);	/* zero width space */
}

static void
utf8_cpwidth__is_never_negative(void **state)
{
	uint32_t	cp;

	for (cp = 0; cp < 0x30000; cp++) {
		if (utf8_cpwidth(cp) < 0 || utf8_cpwidth(cp) > 2)
			fail_msg("width of U+%04X is %d", cp, utf8_cpwidth(cp));
	}
	assert_int_equal(utf8_cpwidth(0x10ffff), 1);	/* unassigned */
}

static void
utf8_width__adds_columns(void **state)
{
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("hello"), 5);
	assert_int_equal(utf8_width("\xe4\xb8\xad\xe6\x96\x87"), 4);
	assert_int_equal(utf8_width("a\xf0\x9f\x98\x80" "b"), 4);
	assert_int_equal(utf8_width("e\xcc\x81"), 1);	/* e + U+0301 */
	assert_int_equal(utf8_width("caf\xc3\xa9"), 4);
}

static void
utf8_width__counts_invalid_byte_as_replacement(void **state)
{
	/* Each bad byte would be drawn as U+FFFD: one column. */
	assert_int_equal(utf8_width("a\xff" "b"), 3);
	assert_int_equal(utf8_width("\xc3"), 1);
}

static void
utf8_fit__returns_whole_string__when_it_fits(void **state)
{
	int	used = -1;

	assert_int_equal(utf8_fit("hello", 10, &used), 5);
	assert_int_equal(used, 5);
	assert_int_equal(utf8_fit("hello", 5, &used), 5);
	assert_int_equal(used, 5);
	assert_int_equal(utf8_fit("hello", 3, NULL), 3);
	assert_int_equal(utf8_fit("", 3, &used), 0);
	assert_int_equal(used, 0);
}

static void
utf8_fit__never_splits_wide_char(void **state)
{
	const char	*s = "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"; /* 3 CJK */
	int		 used = -1;

	assert_int_equal(utf8_fit(s, 0, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(utf8_fit(s, 1, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(utf8_fit(s, 2, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(utf8_fit(s, 3, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(utf8_fit(s, 5, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(utf8_fit("a\xf0\x9f\x98\x80", 2, &used), 1);
	assert_int_equal(used, 1);
	assert_int_equal(utf8_fit("a\xf0\x9f\x98\x80", 3, &used), 5);
	assert_int_equal(used, 3);
}

static void
utf8_fit__keeps_combining_mark_with_its_base(void **state)
{
	int	used = -1;

	/* "e\u0301x": the accent takes no column, so it comes along. */
	assert_int_equal(utf8_fit("e\xcc\x81x", 1, &used), 3);
	assert_int_equal(used, 1);
}

static void
utf8_fitn__stops_at_len(void **state)
{
	int	used = -1;

	assert_int_equal(utf8_fitn("abcdef", 3, 10, &used), 3);
	assert_int_equal(used, 3);
	/* LEN cuts a character: the partial bytes count as U+FFFD each. */
	assert_int_equal(utf8_fitn("\xe4\xb8\xad", 2, 10, &used), 2);
	assert_int_equal(used, 2);
}

static void
utf8_fit__ends_on_char_boundary__for_every_width(void **state)
{
	const char	*s = "a\xe4\xb8\xad" "b\xf0\x9f\x98\x80" "c\xc3\xa9"
			    "\xe6\x96\x87";
	size_t		 off;
	uint32_t	 cp;
	int		 width, used;

	for (width = 0; width <= utf8_width(s) + 1; width++) {
		off = utf8_fit(s, width, &used);
		assert_true(used <= width);
		/* The rest starts with a whole character (or is empty). */
		if (s[off] != '\0')
			assert_true(utf8_decode(s + off, strlen(s + off),
			    &cp) > 0);
	}
}

static void
utf8_sanitize__keeps_plain_text(void **state)
{
	const char	*s = "Hello, w\xc3\xb6rld \xe4\xb8\xad "
	    "\xf0\x9f\x98\x80";

	assert_sanitized(s, strlen(s), 0, s);
	assert_sanitized("", 0, 0, "");
}

static void
utf8_sanitize__replaces_esc__with_control_picture(void **state)
{
	/* ESC -> U+241B */
	assert_sanitized("\x1b[2Jhi", 6, 0, "\xe2\x90\x9b[2Jhi");
}

static void
utf8_sanitize__replaces_bel_and_cr(void **state)
{
	/* BEL -> U+2407 */
	assert_sanitized("a\x07" "b", 3, 0, "a\xe2\x90\x87" "b");
	assert_sanitized("a\rb", 3, 0, "a\xe2\x90\x8d" "b");	/* U+240D */
	assert_sanitized("a\rb", 3, UTF8_KEEP_NEWLINES,
	    "a\xe2\x90\x8d" "b");
}

static void
utf8_sanitize__replaces_nul__when_inside_len(void **state)
{
	assert_sanitized("a\0b", 3, 0, "a\xe2\x90\x80" "b");	/* U+2400 */
}

static void
utf8_sanitize__replaces_del(void **state)
{
	assert_sanitized("a\x7f", 2, 0, "a\xe2\x90\xa1");	/* U+2421 */
}

static void
utf8_sanitize__replaces_c1_csi__with_replacement_char(void **state)
{
	/* U+009B (8-bit CSI) encoded as UTF-8, and U+0085 (NEL). */
	assert_sanitized("\xc2\x9b" "2J", 4, 0, "\xef\xbf\xbd" "2J");
	assert_sanitized("\xc2\x85", 2, UTF8_KEEP_NEWLINES, "\xef\xbf\xbd");
	assert_sanitized("\xc2\x80\xc2\x9f", 4, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd");
	/* U+00A0 is not C1: kept. */
	assert_sanitized("\xc2\xa0", 2, 0, "\xc2\xa0");
}

static void
utf8_sanitize__replaces_raw_8bit_csi__with_replacement_char(void **state)
{
	/* A bare 0x9b byte (invalid UTF-8) must not reach the terminal. */
	assert_sanitized("\x9b" "31m", 4, 0, "\xef\xbf\xbd" "31m");
}

static void
utf8_sanitize__replaces_invalid_bytes(void **state)
{
	assert_sanitized("a\xff" "b", 3, 0, "a\xef\xbf\xbd" "b");
	/* Overlong '/' : two bad bytes, two replacements. */
	assert_sanitized("\xc0\xaf", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd");
	/* Surrogate: three replacements, never a CESU-8 pass-through. */
	assert_sanitized("\xed\xa0\x80", 3, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Truncated at the end of LEN. */
	assert_sanitized("ok\xe4\xb8", 4, 0, "ok\xef\xbf\xbd\xef\xbf\xbd");
}

static void
utf8_sanitize__turns_tab_into_space(void **state)
{
	assert_sanitized("a\tb", 3, 0, "a b");
	assert_sanitized("a\tb", 3, UTF8_KEEP_NEWLINES, "a b");
}

static void
utf8_sanitize__keeps_newline__only_with_flag(void **state)
{
	assert_sanitized("a\nb", 3, UTF8_KEEP_NEWLINES, "a\nb");
	assert_sanitized("a\nb", 3, 0, "a\xe2\x90\xa4" "b");	/* U+2424 */
}

static void
utf8_sanitize__treats_line_separators_as_newlines(void **state)
{
	/* U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR. */
	assert_sanitized("a\xe2\x80\xa8" "b", 5, UTF8_KEEP_NEWLINES, "a\nb");
	assert_sanitized("a\xe2\x80\xa9" "b", 5, UTF8_KEEP_NEWLINES, "a\nb");
	assert_sanitized("a\xe2\x80\xa8" "b", 5, 0, "a\xe2\x90\xa4" "b");
}

static void
utf8_sanitize__reads_only_len_bytes(void **state)
{
	assert_sanitized("abcdef", 3, 0, "abc");
}

static void
utf8_safe__returns_empty__for_null(void **state)
{
	char	*s = utf8_safe(NULL);

	assert_string_equal(s, "");
	free(s);
	s = utf8_safe("x\ny\x1b");
	assert_string_equal(s, "x\xe2\x90\xa4y\xe2\x90\x9b");
	free(s);
}

/* Check the sanitiser's output promises for one input. */
static void
check_sanitized(const char *in, size_t len, int flags)
{
	char			*out = utf8_sanitize(in, len, flags);
	const unsigned char	*p;
	size_t			 olen = strlen(out), off = 0;
	uint32_t		 cp;
	int			 n;

	for (p = (const unsigned char *)out; *p != '\0'; p++) {
		if (*p == '\n' && (flags & UTF8_KEEP_NEWLINES))
			continue;
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("byte 0x%02x in sanitised output", *p);
	}
	assert_true(valid_utf8(out));
	while (off < olen) {
		n = utf8_decode(out + off, olen - off, &cp);
		assert_true(n > 0);
		if (cp >= 0x80 && cp <= 0x9f)
			fail_msg("C1 control U+%04X in sanitised output", cp);
		if (cp == 0x2028 || cp == 0x2029)
			fail_msg("line separator U+%04X kept", cp);
		off += n;
	}
	free(out);
}

static void
utf8_sanitize__output_is_safe__for_random_bytes(void **state)
{
	uint32_t	seed = 0x5a1a2024;
	char		buf[256];
	size_t		len, i;
	int		round;

	for (round = 0; round < 20000; round++) {
		len = next_rand(&seed) % sizeof buf;
		for (i = 0; i < len; i++) {
			uint32_t r = next_rand(&seed);

			/* Bias towards controls and UTF-8 lead bytes. */
			switch (r % 4) {
			case 0:
				buf[i] = (char)(r >> 8) & 0x1f;
				break;
			case 1:
				buf[i] = (char)(0x80 | ((r >> 8) & 0x7f));
				break;
			default:
				buf[i] = (char)(r >> 8);
				break;
			}
		}
		check_sanitized(buf, len, 0);
		check_sanitized(buf, len, UTF8_KEEP_NEWLINES);
	}
}

static void
utf8_sanitize__output_is_safe__for_every_code_point(void **state)
{
	char		buf[8];
	uint32_t	cp;
	int		n;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = utf8_encode(cp, buf);
		check_sanitized(buf, n, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_decode__returns_1__for_ascii),
		cmocka_unit_test(utf8_decode__returns_2_to_4__for_multibyte),
		cmocka_unit_test(
		    utf8_decode__uses_only_one_char__when_more_follow),
		cmocka_unit_test(utf8_decode__rejects__when_overlong),
		cmocka_unit_test(utf8_decode__rejects__when_surrogate),
		cmocka_unit_test(utf8_decode__rejects__when_truncated),
		cmocka_unit_test(
		    utf8_decode__rejects__when_bad_lead_or_continuation),
		cmocka_unit_test(utf8_decode__rejects__when_above_10ffff),
		cmocka_unit_test(utf8_encode__round_trips__through_decode),
		cmocka_unit_test(utf8_cpwidth__is_1__for_ascii),
		cmocka_unit_test(utf8_cpwidth__is_0__for_controls),
		cmocka_unit_test(utf8_cpwidth__is_2__for_cjk_and_emoji),
		cmocka_unit_test(utf8_cpwidth__is_0__for_combining_acute),
		cmocka_unit_test(utf8_cpwidth__is_never_negative),
		cmocka_unit_test(utf8_width__adds_columns),
		cmocka_unit_test(
		    utf8_width__counts_invalid_byte_as_replacement),
		cmocka_unit_test(utf8_fit__returns_whole_string__when_it_fits),
		cmocka_unit_test(utf8_fit__never_splits_wide_char),
		cmocka_unit_test(utf8_fit__keeps_combining_mark_with_its_base),
		cmocka_unit_test(utf8_fitn__stops_at_len),
		cmocka_unit_test(
		    utf8_fit__ends_on_char_boundary__for_every_width),
		cmocka_unit_test(utf8_sanitize__keeps_plain_text),
		cmocka_unit_test(
		    utf8_sanitize__replaces_esc__with_control_picture),
		cmocka_unit_test(utf8_sanitize__replaces_bel_and_cr),
		cmocka_unit_test(utf8_sanitize__replaces_nul__when_inside_len),
		cmocka_unit_test(utf8_sanitize__replaces_del),
		cmocka_unit_test(
		    utf8_sanitize__replaces_c1_csi__with_replacement_char),
		cmocka_unit_test(
		    utf8_sanitize__replaces_raw_8bit_csi__with_replacement_char
		    ),
		cmocka_unit_test(utf8_sanitize__replaces_invalid_bytes),
		cmocka_unit_test(utf8_sanitize__turns_tab_into_space),
		cmocka_unit_test(utf8_sanitize__keeps_newline__only_with_flag),
		cmocka_unit_test(
		    utf8_sanitize__treats_line_separators_as_newlines),
		cmocka_unit_test(utf8_sanitize__reads_only_len_bytes),
		cmocka_unit_test(utf8_safe__returns_empty__for_null),
		cmocka_unit_test(
		    utf8_sanitize__output_is_safe__for_random_bytes),
		cmocka_unit_test(
		    utf8_sanitize__output_is_safe__for_every_code_point),
	};

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		fprintf(stderr, "test-utf8: the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
