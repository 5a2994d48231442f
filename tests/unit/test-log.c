/*
 * test-log.c - unit tests for src/util/log.c: remote text in a log line
 * cannot act on the terminal that shows the log, and no warning reaches a
 * terminal the UI owns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/log.h"

static char	dir[] = "/tmp/szia-test-log-XXXXXX";
static char	path[64];

/* The whole file at PATH (caller frees). */
static char *
slurp(const char *file)
{
	FILE	*f = fopen(file, "r");
	char	*buf = calloc(1, 1 << 16);
	size_t	 n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* No byte of TEXT but its line ends is a control or a raw C1/bidi. */
static void
assert_no_raw_controls(const char *text)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)text; *p != '\0'; p++)
		assert_true((*p >= 0x20 && *p != 0x7f) || *p == '\n');
	assert_null(strstr(text, "\xc2\x9b"));
	assert_null(strstr(text, "\xe2\x80\xae"));
}

static int
setup(void **state)
{
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/szia.log", dir);
	return 0;
}

static int
teardown(void **state)
{
	unlink(path);
	return rmdir(dir);
}

static void
log_msg__escapes_controls_bidi_and_bad_utf8(void **state)
{
	char	*text;

	unlink(path);
	assert_int_equal(log_open(path, LOG_LEVEL_DEBUG), 0);
	log_warn("push from %s ignored", "eve\x1b[2J\x07\xc2\x9b" "31m"
	    "\xe2\x80\xaegnp.exe\nfake line\r\xff\x7f");
	log_close();
	text = slurp(path);
	assert_no_raw_controls(text);
	assert_non_null(strstr(text, " warn push from eve\\x1b[2J\\x07\\x9b31m"
	    "\\u202egnp.exe\\x0afake line\\x0d\\xff\\x7f ignored\n"));
	/* One entry, one line. */
	assert_non_null(strchr(text, '\n'));
	assert_string_equal(strchr(text, '\n'), "\n");
	free(text);
}

static void
log_msg__keeps_utf8_text_and_long_lines(void **state)
{
	char	 big[5000], *text;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	unlink(path);
	assert_int_equal(log_open(path, LOG_LEVEL_DEBUG), 0);
	log_info("héllo 日本 %s end", big);
	log_close();
	text = slurp(path);
	assert_non_null(strstr(text, "héllo 日本 xxxx"));
	assert_non_null(strstr(text, "x end\n"));
	assert_true(strlen(text) > sizeof big);
	free(text);
}

static void
log_msg__drops_warnings__when_stderr_is_the_uis(void **state)
{
	char	 errpath[80], *text;
	int	 saved = dup(STDERR_FILENO), fd;
	FILE	*f;

	snprintf(errpath, sizeof errpath, "%s/stderr", dir);
	assert_non_null(f = fopen(errpath, "w"));
	fd = fileno(f);
	fflush(stderr);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);

	log_close();			/* no log file: stderr, then nothing */
	log_warn("before the UI");
	log_stderr(0);
	log_warn("while the UI \x1b[31mruns");
	log_error("again");
	assert_int_equal(log_dropped(), 2);
	log_stderr(1);

	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	fclose(f);
	text = slurp(errpath);
	assert_non_null(strstr(text, "before the UI"));
	assert_null(strstr(text, "while the UI"));
	assert_null(strstr(text, "again"));
	free(text);
	unlink(errpath);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_msg__escapes_controls_bidi_and_bad_utf8),
		cmocka_unit_test(log_msg__keeps_utf8_text_and_long_lines),
		cmocka_unit_test(
		    log_msg__drops_warnings__when_stderr_is_the_uis),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
