/*
 * test-settings.c - unit tests for src/core/settings.c.
 *
 * Files go to a mkdtemp(3) folder that XDG_CONFIG_HOME points to.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/settings.h"
#include "util/paths.h"
#include "util/xalloc.h"

struct fixture {
	char		 dir[64];
	char		*path;		/* $XDG_CONFIG_HOME/szia/... */
	struct settings	 s;
};

/* rm -r PATH (no symbolic links are followed). */
static void
rm_rf(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	char		*sub;

	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			sub = xasprintf("%s/%s", path, de->d_name);
			rm_rf(sub);
			free(sub);
		}
		closedir(d);
	}
	remove(path);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	strcpy(f->dir, "/tmp/szia-test-settings.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	setenv("XDG_CONFIG_HOME", f->dir, 1);
	f->path = paths_file(PATH_CONFIG, "sziarc");
	settings_init(&f->s, f->path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	settings_free(&f->s);
	rm_rf(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* Write TEXT to the fixture's sziarc, creating the folder. */
static void
write_rc(struct fixture *f, const char *text)
{
	char	*dir = paths_dir(PATH_CONFIG), *cause = NULL;

	assert_int_equal(paths_mkdir(dir, 0700, &cause), 0);
	assert_int_equal(paths_write_atomic(f->path, text, strlen(text), 0600,
	    &cause), 0);
	free(dir);
}

static char *
read_rc(struct fixture *f)
{
	FILE	*fp = fopen(f->path, "r");
	char	*buf = xcalloc(1, 4096);

	assert_non_null(fp);
	assert_true(fread(buf, 1, 4095, fp) > 0);
	fclose(fp);
	return buf;
}

static void
settings_init__sets_defaults__always(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(settings_num(&f->s, SET_ROSTER_SHOW), 1);
	assert_string_equal(settings_str(&f->s, SET_ROSTER_SHOW), "true");
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 24);
	assert_int_equal(settings_num(&f->s, SET_AUTOAWAY_MINUTES), 10);
	assert_string_equal(settings_str(&f->s, SET_AUTOAWAY_MESSAGE),
	    "Away (idle)");
	assert_int_equal(settings_num(&f->s, SET_SCROLLBACK), 2000);
	assert_string_equal(settings_str(&f->s, SET_TIME_FORMAT), "%H:%M");
	assert_string_equal(settings_str(&f->s, SET_THEME), "default");
	assert_int_equal(settings_num(&f->s, SET_PRIORITY), 0);
	assert_string_equal(f->s.path, f->path);
}

static void
settings_init__accepts_null_path__when_not_persisted(void **state)
{
	struct settings	 s;
	char		*cause = NULL;

	settings_init(&s, NULL);
	assert_null(s.path);
	assert_int_equal(settings_set(&s, "roster.width", "30", &cause), 0);
	assert_int_equal(settings_load(&s, &cause), 0);
	assert_int_equal(settings_save(&s, &cause), 0);
	assert_null(cause);
	settings_free(&s);
}

static void
setting_defs__follow_enum_order__always(void **state)
{
	assert_int_equal(settings_find("roster.show"), SET_ROSTER_SHOW);
	assert_int_equal(settings_find("scrollback"), SET_SCROLLBACK);
	assert_int_equal(settings_find("presence.priority"), SET_PRIORITY);
	assert_int_equal(settings_find("roster.wdth"), -1);
	for (int i = 0; i < SET_COUNT; i++) {
		assert_int_equal(settings_find(setting_defs[i].name), i);
		assert_non_null(setting_defs[i].help);
	}
}

static void
settings_set__stores_canonical_text__when_bool(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "roster.show", "OFF", &cause), 0);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_SHOW), 0);
	assert_string_equal(settings_str(&f->s, SET_ROSTER_SHOW), "false");
	assert_int_equal(settings_set(&f->s, "roster.show", "Yes", &cause), 0);
	assert_string_equal(settings_str(&f->s, SET_ROSTER_SHOW), "true");
	assert_int_equal(settings_set(&f->s, "roster.offline", "0", &cause), 0);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_OFFLINE), 0);
	assert_int_equal(settings_set(&f->s, "roster.offline", " on ", &cause),
	    0);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_OFFLINE), 1);
}

static void
settings_set__stores_canonical_text__when_int(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "roster.width", "+030", &cause),
	    0);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 30);
	assert_string_equal(settings_str(&f->s, SET_ROSTER_WIDTH), "30");
	assert_int_equal(settings_set(&f->s, "presence.priority", "-128",
	    &cause), 0);
	assert_int_equal(settings_num(&f->s, SET_PRIORITY), -128);
	assert_int_equal(settings_set(&f->s, "autoaway.minutes", "0", &cause),
	    0);
	assert_int_equal(settings_num(&f->s, SET_AUTOAWAY_MINUTES), 0);
}

static void
settings_set__rejects_name__when_unknown(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "roster.wdth", "30", &cause), -1);
	assert_string_equal(cause, "unknown setting 'roster.wdth'");
	free(cause);
}

static void
settings_set__rejects_value__when_out_of_range(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "roster.width", "81", &cause), -1);
	assert_string_equal(cause,
	    "roster.width must be a number from 10 to 80");
	free(cause);
	cause = NULL;
	assert_int_equal(settings_set(&f->s, "presence.priority", "128",
	    &cause), -1);
	assert_string_equal(cause,
	    "presence.priority must be a number from -128 to 127");
	free(cause);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 24);
	assert_int_equal(settings_num(&f->s, SET_PRIORITY), 0);
}

static void
settings_set__rejects_value__when_not_a_number(void **state)
{
	struct fixture	*f = *state;
	const char	*bad[] = { "", "abc", "12abc", "1.5",
	    "99999999999999999999" };
	char		*cause;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(settings_set(&f->s, "scrollback", bad[i],
		    &cause), -1);
		assert_string_equal(cause,
		    "scrollback must be a number from 100 to 100000");
		free(cause);
	}
	assert_string_equal(settings_str(&f->s, SET_SCROLLBACK), "2000");
}

static void
settings_set__rejects_value__when_not_a_bool(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "roster.show", "maybe", &cause),
	    -1);
	assert_string_equal(cause, "roster.show must be true or false");
	free(cause);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_SHOW), 1);
}

static void
settings_set__rejects_value__when_bad_string(void **state)
{
	struct fixture	*f = *state;
	char		 long_fmt[65];
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "time.format", "", &cause), -1);
	assert_string_equal(cause, "time.format must not be empty");
	free(cause);
	cause = NULL;

	memset(long_fmt, 'x', 64);
	long_fmt[64] = '\0';
	assert_int_equal(settings_set(&f->s, "time.format", long_fmt, &cause),
	    -1);
	assert_string_equal(cause,
	    "time.format must be at most 63 characters long");
	free(cause);
	cause = NULL;
	long_fmt[63] = '\0';
	assert_int_equal(settings_set(&f->s, "time.format", long_fmt, &cause),
	    0);

	assert_int_equal(settings_set(&f->s, "theme", "../etc", &cause), -1);
	assert_string_equal(cause, "theme must be a name made of letters, "
	    "digits, '-' and '_'");
	free(cause);
	cause = NULL;
	assert_int_equal(settings_set(&f->s, "theme", "my-theme_2", &cause), 0);
	assert_string_equal(settings_str(&f->s, SET_THEME), "my-theme_2");

	assert_int_equal(settings_set(&f->s, "autoaway.message", "a\nb",
	    &cause), -1);
	assert_string_equal(cause,
	    "autoaway.message must not contain control characters");
	free(cause);
}

static void
settings_load__returns_zero__when_file_missing(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(settings_load(&f->s, &cause), 0);
	assert_null(cause);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 24);
}

static void
settings_load__maps_sections__to_dotted_names(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_rc(f, "# comment\n"
	    "scrollback = 500\n"
	    "theme = light\n"
	    "\n"
	    "[roster]\n"
	    "width = 30\n"
	    "  show = no\n"
	    "; another comment\n"
	    "[autoaway]\n"
	    "message = gone ; back soon\n"
	    "[time]\n"
	    "format = %H:%M:%S\n");
	assert_int_equal(settings_load(&f->s, &cause), 0);
	assert_null(cause);
	assert_int_equal(settings_num(&f->s, SET_SCROLLBACK), 500);
	assert_string_equal(settings_str(&f->s, SET_THEME), "light");
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 30);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_SHOW), 0);
	assert_string_equal(settings_str(&f->s, SET_AUTOAWAY_MESSAGE),
	    "gone ; back soon");
	assert_string_equal(settings_str(&f->s, SET_TIME_FORMAT), "%H:%M:%S");
}

static void
settings_load__skips_byte_order_mark__before_first_section(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_rc(f, "\xef\xbb\xbf[roster]\r\nwidth = 31\r\n");
	assert_int_equal(settings_load(&f->s, &cause), 0);
	assert_null(cause);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 31);
}

static void
settings_load__applies_good_lines__when_one_line_is_bad(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_rc(f, "[roster]\n"
	    "width = 30\n"
	    "wdth = 40\n"
	    "offline = false\n"
	    "[ping]\n"
	    "interval = 5\n"
	    "[reconnect]\n"
	    "max = 60\n");
	assert_int_equal(settings_load(&f->s, &cause), -1);
	assert_string_equal(cause, "sziarc:3: unknown setting 'roster.wdth'");
	free(cause);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 30);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_OFFLINE), 0);
	assert_int_equal(settings_num(&f->s, SET_PING_INTERVAL), 60);
	assert_int_equal(settings_num(&f->s, SET_RECONNECT_MAX), 60);
}

static void
settings_load__names_line__when_value_is_bad(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_rc(f, "[roster]\nshow = false\nwidth = 5\n");
	assert_int_equal(settings_load(&f->s, &cause), -1);
	assert_string_equal(cause,
	    "sziarc:3: roster.width must be a number from 10 to 80");
	free(cause);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_SHOW), 0);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 24);
}

static void
settings_load__names_first_line__when_syntax_error_comes_first(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_rc(f, "[roster]\nwidth = 40\njunk\nwidth = 1\n[history]\n"
	    "lines = 50\n");
	assert_int_equal(settings_load(&f->s, &cause), -1);
	assert_string_equal(cause,
	    "sziarc:3: expected 'name = value' or '[section]'");
	free(cause);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 40);
	assert_int_equal(settings_num(&f->s, SET_HISTORY_LINES), 50);
}

static void
settings_load__rejects_line__when_too_long(void **state)
{
	struct fixture	*f = *state;
	char		 text[400], *cause = NULL;

	snprintf(text, sizeof text, "[autoaway]\nmessage = %0250d\n"
	    "minutes = 5\n", 0);
	write_rc(f, text);
	assert_int_equal(settings_load(&f->s, &cause), -1);
	assert_non_null(strstr(cause, "sziarc:2: line is longer than"));
	free(cause);
	assert_string_equal(settings_str(&f->s, SET_AUTOAWAY_MESSAGE),
	    "Away (idle)");
	assert_int_equal(settings_num(&f->s, SET_AUTOAWAY_MINUTES), 5);
}

static void
settings_load__resets_to_defaults__before_reading(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "roster.width", "50", &cause), 0);
	write_rc(f, "[history]\nlines = 7\n");
	assert_int_equal(settings_load(&f->s, &cause), 0);
	assert_int_equal(settings_num(&f->s, SET_ROSTER_WIDTH), 24);
	assert_int_equal(settings_num(&f->s, SET_HISTORY_LINES), 7);
}

static void
settings_save__round_trips__through_load(void **state)
{
	struct fixture	*f = *state;
	struct settings	 s2;
	char		*cause = NULL;

	assert_int_equal(settings_set(&f->s, "roster.width", "33", &cause), 0);
	assert_int_equal(settings_set(&f->s, "roster.offline", "no", &cause),
	    0);
	assert_int_equal(settings_set(&f->s, "scrollback", "5000", &cause), 0);
	assert_int_equal(settings_set(&f->s, "autoaway.message",
	    "lunch; back ;) at 2", &cause), 0);
	assert_int_equal(settings_set(&f->s, "presence.priority", "-5",
	    &cause), 0);
	assert_int_equal(settings_save(&f->s, &cause), 0);

	settings_init(&s2, f->path);
	assert_int_equal(settings_load(&s2, &cause), 0);
	assert_null(cause);
	for (int i = 0; i < SET_COUNT; i++) {
		assert_string_equal(settings_str(&s2, i),
		    settings_str(&f->s, i));
		assert_int_equal(settings_num(&s2, i), settings_num(&f->s, i));
	}
	settings_free(&s2);
}

static void
settings_save__writes_only_changed_values__grouped_by_section(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *text;

	assert_int_equal(settings_set(&f->s, "reconnect.max", "100", &cause),
	    0);
	assert_int_equal(settings_set(&f->s, "roster.width", "33", &cause), 0);
	assert_int_equal(settings_set(&f->s, "theme", "mono", &cause), 0);
	assert_int_equal(settings_set(&f->s, "roster.show", "off", &cause), 0);
	assert_int_equal(settings_set(&f->s, "scrollback", "300", &cause), 0);
	assert_int_equal(settings_set(&f->s, "history.lines", "20", &cause), 0);
	assert_int_equal(settings_save(&f->s, &cause), 0);

	text = read_rc(f);
	/* Names without a section come before the first section. */
	assert_non_null(strstr(text, "\nscrollback = 300\ntheme = mono\n\n"
	    "[roster]\nshow = false\nwidth = 33\n\n[reconnect]\nmax = 100\n"));
	assert_null(strstr(text, "history"));
	assert_null(strstr(text, "autoaway"));
	free(text);
}

static void
settings_save__creates_private_files__when_folder_missing(void **state)
{
	struct fixture	*f = *state;
	struct stat	 st;
	char		*cause = NULL, *dir = paths_dir(PATH_CONFIG);

	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(settings_save(&f->s, &cause), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(settings_init__sets_defaults__always),
		T(settings_init__accepts_null_path__when_not_persisted),
		T(setting_defs__follow_enum_order__always),
		T(settings_set__stores_canonical_text__when_bool),
		T(settings_set__stores_canonical_text__when_int),
		T(settings_set__rejects_name__when_unknown),
		T(settings_set__rejects_value__when_out_of_range),
		T(settings_set__rejects_value__when_not_a_number),
		T(settings_set__rejects_value__when_not_a_bool),
		T(settings_set__rejects_value__when_bad_string),
		T(settings_load__returns_zero__when_file_missing),
		T(settings_load__maps_sections__to_dotted_names),
		T(settings_load__skips_byte_order_mark__before_first_section),
		T(settings_load__applies_good_lines__when_one_line_is_bad),
		T(settings_load__names_line__when_value_is_bad),
		T(settings_load__names_first_line__when_syntax_error_comes_first),
		T(settings_load__rejects_line__when_too_long),
		T(settings_load__resets_to_defaults__before_reading),
		T(settings_save__round_trips__through_load),
		T(settings_save__writes_only_changed_values__grouped_by_section),
		T(settings_save__creates_private_files__when_folder_missing),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
