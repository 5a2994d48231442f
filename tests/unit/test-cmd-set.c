/*
 * test-cmd-set.c - /set and /theme load persist to sziarc
 * (src/core/cmd-set.c).
 *
 * Unlike test-cmd.c, the core here has a real settings path: sziarc in a
 * mkdtemp(3) folder that HOME and XDG_*_HOME point to.  Each test runs a
 * command, then reads the file back through a fresh struct settings (and
 * a fresh core) and looks at the values; a refused command must leave the
 * file byte for byte as it was.  The shipped themes are read from
 * $SZIA_SRCDIR/themes (default ./themes), as in test-theme.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/cmd.h"
#include "core/core.h"
#include "util/xalloc.h"

struct fixture {
	char		 dir[64];
	char		*sziarc;
	char		*theme_dir;
	struct szia	*sz;
};

static struct szia *
core_open(const struct fixture *f)
{
	struct szia		*sz = xcalloc(1, sizeof *sz);
	struct core_config	 cfg = { f->sziarc, NULL, f->theme_dir };

	core_init(sz, &cfg);
	return sz;
}

static void
core_close(struct szia *sz)
{
	core_free(sz);
	free(sz);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	const char	*srcdir = getenv("SZIA_SRCDIR");

	strcpy(f->dir, "/tmp/szia-test-cmd-set-XXXXXX");
	if (tmphome_create(f->dir) != 0)
		return -1;
	f->sziarc = xasprintf("%s/szia/sziarc", f->dir);
	f->theme_dir = xasprintf("%s/themes", srcdir != NULL ? srcdir : ".");
	f->sz = core_open(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	core_close(f->sz);
	tmphome_remove(f->dir);
	free(f->sziarc);
	free(f->theme_dir);
	free(f);
	return 0;
}

/* The whole of PATH, or NULL if it cannot be read. */
static char *
slurp(const char *path)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	buf = xmalloc(65536);
	len = fread(buf, 1, 65535, fp);
	buf[len] = '\0';
	fclose(fp);
	return buf;
}

/* Read sziarc into a fresh struct settings, as szia does on start. */
static void
reload(const struct fixture *f, struct settings *s)
{
	char	*cause = NULL;

	settings_init(s, f->sziarc);
	if (settings_load(s, &cause) != 0)
		fail_msg("reading %s: %s", f->sziarc, cause);
}

static void
run_ok(struct szia *sz, const char *line)
{
	if (cmd_run(sz, sz->windows.current, line) != CMD_OK)
		fail_msg("'%s' failed", line);
}

static void
run_error(struct szia *sz, const char *line)
{
	if (cmd_run(sz, sz->windows.current, line) != CMD_ERROR)
		fail_msg("'%s' did not fail", line);
}

/* --- tests -------------------------------------------------------------- */

static void
set__writes_value_to_sziarc(void **state)
{
	struct fixture	*f = *state;
	struct settings	 s;

	assert_int_equal(access(f->sziarc, F_OK), -1);
	run_ok(f->sz, "/set roster.width 30");
	run_ok(f->sz, "/set autoaway.message gone  fishing");

	reload(f, &s);
	assert_int_equal(settings_num(&s, SET_ROSTER_WIDTH), 30);
	assert_string_equal(settings_str(&s, SET_AUTOAWAY_MESSAGE),
	    "gone  fishing");
	settings_free(&s);
}

static void
set__value_survives_restart(void **state)
{
	struct fixture	*f = *state;
	struct szia	*sz;

	run_ok(f->sz, "/set roster.width 30");
	sz = core_open(f);
	assert_int_equal(settings_num(&sz->settings, SET_ROSTER_WIDTH), 30);
	core_close(sz);
}

static void
theme_load__writes_theme_to_sziarc(void **state)
{
	struct fixture	*f = *state;
	struct settings	 s;
	struct szia	*sz;

	run_ok(f->sz, "/theme load light");
	assert_string_equal(f->sz->theme.name, "light");

	reload(f, &s);
	assert_string_equal(settings_str(&s, SET_THEME), "light");
	settings_free(&s);

	/* And the next start comes up with it. */
	sz = core_open(f);
	assert_string_equal(sz->theme.name, "light");
	core_close(sz);
}

static void
refused_commands__leave_sziarc_unchanged(void **state)
{
	struct fixture	*f = *state;
	struct settings	 s;
	char		*before, *after;

	run_ok(f->sz, "/set roster.width 30");
	run_ok(f->sz, "/theme load light");
	if ((before = slurp(f->sziarc)) == NULL)
		fail_msg("%s was not written", f->sziarc);

	run_error(f->sz, "/set roster.width 5");	/* below 10 */
	run_error(f->sz, "/set roster.width wide");
	run_error(f->sz, "/set roster.show maybe");
	run_error(f->sz, "/set roster.wdth 31");	/* unknown key */
	run_error(f->sz, "/set theme nosuch");
	run_error(f->sz, "/theme load nosuch");

	after = slurp(f->sziarc);
	assert_non_null(after);
	assert_string_equal(after, before);
	reload(f, &s);
	assert_int_equal(settings_num(&s, SET_ROSTER_WIDTH), 30);
	assert_string_equal(settings_str(&s, SET_THEME), "light");
	settings_free(&s);
	free(before);
	free(after);
}

static void
refused_commands__create_no_sziarc(void **state)
{
	struct fixture	*f = *state;

	run_error(f->sz, "/set roster.width 500");
	run_error(f->sz, "/set nosuch.key 1");
	run_error(f->sz, "/theme load nosuch");
	assert_int_equal(access(f->sziarc, F_OK), -1);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(set__writes_value_to_sziarc),
		T(set__value_survives_restart),
		T(theme_load__writes_theme_to_sziarc),
		T(refused_commands__leave_sziarc_unchanged),
		T(refused_commands__create_no_sziarc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
