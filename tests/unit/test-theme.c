/*
 * test-theme.c - unit tests for src/core/theme.c.
 *
 * The shipped themes are read from $SZIA_SRCDIR/themes (default ./themes).
 * User themes go to a mkdtemp(3) folder that XDG_CONFIG_HOME points to.
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

#include "core/theme.h"
#include "util/paths.h"
#include "util/xalloc.h"

struct fixture {
	char		 dir[64];
	char		*system_dir;	/* $SZIA_SRCDIR/themes */
	struct theme	 t;
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
	const char	*srcdir = getenv("SZIA_SRCDIR");

	strcpy(f->dir, "/tmp/szia-test-theme.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	setenv("XDG_CONFIG_HOME", f->dir, 1);
	f->system_dir = xasprintf("%s/themes", srcdir != NULL ? srcdir : ".");
	theme_default(&f->t);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	theme_free(&f->t);
	rm_rf(f->dir);
	free(f->system_dir);
	free(f);
	return 0;
}

/* Write a user theme NAME.theme with TEXT. */
static void
write_user_theme(const char *name, const char *text)
{
	char	*dir, *path, *cause = NULL;

	dir = paths_file(PATH_CONFIG, "themes");
	assert_int_equal(paths_mkdir(dir, 0700, &cause), 0);
	path = xasprintf("%s/%s.theme", dir, name);
	assert_int_equal(paths_write_atomic(path, text, strlen(text), 0600,
	    &cause), 0);
	free(path);
	free(dir);
}

static char *
read_text(const char *path)
{
	FILE	*fp = fopen(path, "r");
	char	*buf = xcalloc(1, 16384);

	if (fp == NULL)
		fail_msg("cannot open %s (set SZIA_SRCDIR)", path);
	assert_true(fread(buf, 1, 16383, fp) > 0);
	fclose(fp);
	return buf;
}

/* theme_parse() TEXT must fail with CAUSE and leave the theme alone. */
static void
parse_fails(struct fixture *f, const char *text, const char *want)
{
	struct theme	 before = f->t;
	char		*cause = NULL;

	assert_int_equal(theme_parse(&f->t, "test", text, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	assert_ptr_equal(f->t.name, before.name);
	assert_memory_equal(f->t.style, before.style, sizeof before.style);
	assert_int_equal(f->t.version, before.version);
}

static void
theme_role_name__names_every_role__in_lower_case(void **state)
{
	assert_string_equal(theme_role_name(ROLE_DEFAULT), "default");
	assert_string_equal(theme_role_name(ROLE_NICK_OUT), "nick.out");
	assert_string_equal(theme_role_name(ROLE_STATUS_HIGHLIGHT),
	    "status.highlight");
	assert_string_equal(theme_role_name(ROLE_ROSTER_OFFLINE),
	    "roster.offline");
	assert_string_equal(theme_role_name(ROLE_INPUT), "input");
	for (int i = 0; i < ROLE_COUNT; i++)
		assert_non_null(theme_role_name(i));
	assert_null(theme_role_name(ROLE_COUNT));
}

static void
theme_default__has_readable_bars__on_dark_terminal(void **state)
{
	struct fixture	*f = *state;

	assert_string_equal(f->t.name, "default");
	assert_int_equal(f->t.style[ROLE_STATUSBAR].fg, 7);	/* white */
	assert_int_equal(f->t.style[ROLE_STATUSBAR].bg, 4);	/* blue */
	assert_int_equal(f->t.style[ROLE_ERROR].fg % 8, 1);	/* red */
	assert_int_equal(f->t.style[ROLE_ROSTER_ONLINE].fg % 8, 2);
	assert_int_equal(f->t.style[ROLE_ROSTER_AWAY].fg % 8, 3);
	assert_true(f->t.style[ROLE_HIGHLIGHT].attrs & THEME_BOLD);
	assert_int_equal(f->t.style[ROLE_DEFAULT].fg, COLOUR_DEFAULT);
	assert_int_equal(f->t.style[ROLE_DEFAULT].bg, COLOUR_DEFAULT);
}

static void
theme_parse__overrides_roles__from_default(void **state)
{
	struct fixture	*f = *state;
	struct theme	 def;
	unsigned	 version = f->t.version;
	char		*cause = NULL;

	assert_int_equal(theme_parse(&f->t, "mine",
	    "# comment\n"
	    "[colours]\n"
	    "statusbar = Black, brightcyan ; a comment\n"
	    "  error = 196,default , bold,underline\n"
	    "time = brightblack\n"
	    "highlight = yellow, reverse, italic\n"
	    "input = 0, 255, dim\n", &cause), 0);
	assert_null(cause);
	assert_string_equal(f->t.name, "mine");
	assert_int_equal(f->t.version, version + 1);
	assert_int_equal(f->t.style[ROLE_STATUSBAR].fg, 0);
	assert_int_equal(f->t.style[ROLE_STATUSBAR].bg, 14);
	assert_int_equal(f->t.style[ROLE_STATUSBAR].attrs, 0);
	assert_int_equal(f->t.style[ROLE_ERROR].fg, 196);
	assert_int_equal(f->t.style[ROLE_ERROR].bg, COLOUR_DEFAULT);
	assert_int_equal(f->t.style[ROLE_ERROR].attrs,
	    THEME_BOLD | THEME_UNDERLINE);
	assert_int_equal(f->t.style[ROLE_TIME].fg, 8);
	assert_int_equal(f->t.style[ROLE_TIME].bg, COLOUR_DEFAULT);
	assert_int_equal(f->t.style[ROLE_TIME].attrs, 0);
	assert_int_equal(f->t.style[ROLE_HIGHLIGHT].fg, 3);
	assert_int_equal(f->t.style[ROLE_HIGHLIGHT].bg, COLOUR_DEFAULT);
	assert_int_equal(f->t.style[ROLE_HIGHLIGHT].attrs,
	    THEME_REVERSE | THEME_ITALIC);
	assert_int_equal(f->t.style[ROLE_INPUT].bg, 255);

	/* Roles not named keep the built-in style. */
	theme_default(&def);
	assert_memory_equal(&f->t.style[ROLE_ROSTER_AWAY],
	    &def.style[ROLE_ROSTER_AWAY], sizeof def.style[0]);
	theme_free(&def);
}

static void
theme_parse__rejects_role__when_unknown(void **state)
{
	parse_fails(*state, "[colours]\nstatusbar = white\nstatsbar = red\n",
	    "test.theme:3: unknown role 'statsbar'");
}

static void
theme_parse__rejects_colour__when_unknown(void **state)
{
	struct fixture	*f = *state;

	parse_fails(f, "[colours]\n\n\n\n\n\nerror = bleu\n",
	    "test.theme:7: unknown colour 'bleu'");
	parse_fails(f, "[colours]\nerror = 256\n",
	    "test.theme:2: colour '256' is not from 0 to 255");
	parse_fails(f, "[colours]\nerror = red, blue, blink\n",
	    "test.theme:2: unknown attribute 'blink'");
	parse_fails(f, "[colours]\nerror = red, blink\n",
	    "test.theme:2: unknown colour or attribute 'blink'");
	parse_fails(f, "[colours]\nerror = bold\n",
	    "test.theme:2: expected a colour before the attribute 'bold'");
	parse_fails(f, "[colours]\nerror = red,,bold\n",
	    "test.theme:2: empty item in 'red,,bold'");
	parse_fails(f, "[colours]\nerror =\n",
	    "test.theme:2: missing colour for 'error'");
	parse_fails(f, "[colours]\nerror = red, blue, green\n",
	    "test.theme:2: unknown attribute 'green'");
}

static void
theme_parse__rejects_section__when_not_colours(void **state)
{
	struct fixture	*f = *state;

	parse_fails(f, "[colours]\nerror = red\n\n[ui]\n",
	    "test.theme:4: unknown section [ui]: a theme has only [colours]");
	parse_fails(f, "error = red\n[colours]\n",
	    "test.theme:1: 'error' must be in the [colours] section");
}

static void
theme_parse__names_first_line__when_syntax_error_comes_first(void **state)
{
	parse_fails(*state, "[colours]\nerror red\ntime = bleu\n",
	    "test.theme:2: expected 'role = colours' or '[colours]'");
}

static void
theme_parse__accepts_empty_text__as_default(void **state)
{
	struct fixture	*f = *state;
	struct theme	 def;
	char		*cause = NULL;

	assert_int_equal(theme_parse(&f->t, "empty", "", &cause), 0);
	theme_default(&def);
	assert_memory_equal(f->t.style, def.style, sizeof def.style);
	theme_free(&def);
}

static void
shipped_default_theme__equals_built_in__always(void **state)
{
	struct fixture	*f = *state;
	struct theme	 def;
	char		*path, *text, *cause = NULL;

	path = xasprintf("%s/default.theme", f->system_dir);
	text = read_text(path);
	/* Parse onto a theme that differs everywhere from the default. */
	for (int i = 0; i < ROLE_COUNT; i++) {
		f->t.style[i].fg = 100;
		f->t.style[i].bg = 101;
		f->t.style[i].attrs = THEME_ITALIC | THEME_REVERSE;
	}
	if (theme_parse(&f->t, "default", text, &cause) != 0)
		fail_msg("%s", cause);
	theme_default(&def);
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (memcmp(&f->t.style[i], &def.style[i], sizeof def.style[i]))
			fail_msg("default.theme differs for %s",
			    theme_role_name(i));
	}
	/* Every role is written out, not left to the built-in. */
	for (int i = 0; i < ROLE_COUNT; i++) {
		char *key = xasprintf("\n%s = ", theme_role_name(i));

		if (strstr(text, key) == NULL)
			fail_msg("default.theme does not set %s",
			    theme_role_name(i));
		free(key);
	}
	theme_free(&def);
	free(text);
	free(path);
}

static void
shipped_themes__parse__always(void **state)
{
	struct fixture	*f = *state;
	const char	*names[] = { "default", "light", "mono" };
	char		*path, *text, *cause = NULL;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		path = xasprintf("%s/%s.theme", f->system_dir, names[i]);
		text = read_text(path);
		if (theme_parse(&f->t, names[i], text, &cause) != 0)
			fail_msg("%s", cause);
		free(text);
		free(path);
	}
}

static void
shipped_light_theme__has_no_light_text__on_default_background(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;
	short		 fg, bg;

	assert_int_equal(theme_load(&f->t, "light", f->system_dir, &cause), 0);
	for (int i = 0; i < ROLE_COUNT; i++) {
		fg = f->t.style[i].fg;
		bg = f->t.style[i].bg;
		if (bg == COLOUR_DEFAULT && (fg == 7 || fg == 15 || fg == 3 ||
		    fg == 11))
			fail_msg("light.theme: %s is light on the background",
			    theme_role_name(i));
	}
}

static void
shipped_mono_theme__uses_no_colours__always(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(theme_load(&f->t, "mono", f->system_dir, &cause), 0);
	for (int i = 0; i < ROLE_COUNT; i++) {
		assert_int_equal(f->t.style[i].fg, COLOUR_DEFAULT);
		assert_int_equal(f->t.style[i].bg, COLOUR_DEFAULT);
	}
}

static void
theme_load__prefers_user_theme__over_system_theme(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_user_theme("light", "[colours]\nerror = 123\n");
	assert_int_equal(theme_load(&f->t, "light", f->system_dir, &cause), 0);
	assert_string_equal(f->t.name, "light");
	assert_int_equal(f->t.style[ROLE_ERROR].fg, 123);
}

static void
theme_load__reads_system_theme__when_no_user_theme(void **state)
{
	struct fixture	*f = *state;
	unsigned	 version = f->t.version;
	char		*cause = NULL;

	assert_int_equal(theme_load(&f->t, "mono", f->system_dir, &cause), 0);
	assert_string_equal(f->t.name, "mono");
	assert_int_equal(f->t.version, version + 1);
}

static void
theme_load__fails__when_name_is_unknown(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(theme_load(&f->t, "nosuch", f->system_dir, &cause),
	    -1);
	assert_string_equal(cause, "no theme named 'nosuch' (see /theme list)");
	free(cause);
	cause = NULL;
	assert_int_equal(theme_load(&f->t, "../themes/mono", f->system_dir,
	    &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(theme_load(&f->t, "light", NULL, &cause), -1);
	free(cause);
	assert_string_equal(f->t.name, "default");
}

static void
theme_load__names_file_and_line__when_user_theme_is_bad(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_user_theme("mine", "[colours]\nerror = red\ntime = bleu\n");
	assert_int_equal(theme_load(&f->t, "mine", f->system_dir, &cause), -1);
	assert_string_equal(cause, "mine.theme:3: unknown colour 'bleu'");
	free(cause);
	assert_string_equal(f->t.name, "default");
}

static void
theme_load__uses_built_in__when_default_has_no_file(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(theme_load(&f->t, "mono", f->system_dir, &cause), 0);
	assert_int_equal(theme_load(&f->t, "default", NULL, &cause), 0);
	assert_string_equal(f->t.name, "default");
	assert_int_equal(f->t.style[ROLE_STATUSBAR].bg, 4);
}

static void
theme_list__merges_both_folders__sorted_without_duplicates(void **state)
{
	struct fixture	*f = *state;
	const char	*want[] = {
	    "default", "light", "mine", "mono", "zeta"
	};
	char		**names, *other, *cause = NULL;
	size_t		  n;

	write_user_theme("zeta", "");
	write_user_theme("light", "");		/* also a system theme */
	write_user_theme("mine", "");
	write_user_theme("bad name", "");	/* not a theme name */
	other = paths_file(PATH_CONFIG, "themes/notes.txt");
	assert_int_equal(paths_write_atomic(other, "x", 1, 0600, &cause), 0);
	free(other);

	names = theme_list(f->system_dir);
	for (n = 0; names[n] != NULL; n++) {
		assert_true(n < sizeof want / sizeof want[0]);
		assert_string_equal(names[n], want[n]);
		free(names[n]);
	}
	assert_int_equal(n, sizeof want / sizeof want[0]);
	free(names);
}

static void
theme_list__has_default__when_no_folders(void **state)
{
	char	**names = theme_list(NULL);

	assert_string_equal(names[0], "default");
	assert_null(names[1]);
	free(names[0]);
	free(names);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(theme_role_name__names_every_role__in_lower_case),
		T(theme_default__has_readable_bars__on_dark_terminal),
		T(theme_parse__overrides_roles__from_default),
		T(theme_parse__rejects_role__when_unknown),
		T(theme_parse__rejects_colour__when_unknown),
		T(theme_parse__rejects_section__when_not_colours),
		T(theme_parse__names_first_line__when_syntax_error_comes_first),
		T(theme_parse__accepts_empty_text__as_default),
		T(shipped_default_theme__equals_built_in__always),
		T(shipped_themes__parse__always),
		T(shipped_light_theme__has_no_light_text__on_default_background),
		T(shipped_mono_theme__uses_no_colours__always),
		T(theme_load__prefers_user_theme__over_system_theme),
		T(theme_load__reads_system_theme__when_no_user_theme),
		T(theme_load__fails__when_name_is_unknown),
		T(theme_load__names_file_and_line__when_user_theme_is_bad),
		T(theme_load__uses_built_in__when_default_has_no_file),
		T(theme_list__merges_both_folders__sorted_without_duplicates),
		T(theme_list__has_default__when_no_folders),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
