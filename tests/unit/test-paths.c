/*
 * test-paths.c - unit tests for src/util/paths.c: atomic writes (the
 * mode, no temporary file left behind, the old file kept when a write
 * fails), folder creation (the folder that could not be made), and where
 * the files go when the XDG variables are set, unset, empty or relative.
 *
 * Each write or folder test works in a fresh folder under $TMPDIR
 * (default /tmp).  Write failures are made in ways that also work as
 * root: a file size limit (RLIMIT_FSIZE), a folder where the file or the
 * temporary file goes, a plain file where a folder should be.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/paths.h"
#include "util/xalloc.h"

static int
setup_dir(void **state)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	dir = xasprintf("%s/szia-test-paths.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	*state = dir;
	return 0;
}

static int
teardown_dir(void **state)
{
	char	*cmd;
	int	 rc;

	cmd = xasprintf("rm -rf '%s'", (char *)*state);
	rc = system(cmd);
	free(cmd);
	free(*state);
	return rc == 0 ? 0 : -1;
}

static char *
slurp(const char *path)
{
	FILE	*fp;
	char	 buf[256];
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return xstrdup(buf);
}

/* The names in DIR, sorted and space-separated. */
static char *
listing(const char *dir)
{
	struct dirent	**names;
	char		 *out = xstrdup(""), *next;
	int		  n, i;

	n = scandir(dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 &&
		    strcmp(names[i]->d_name, "..") != 0) {
			next = xasprintf("%s%s%s", out, *out != '\0' ? " " : "",
			    names[i]->d_name);
			free(out);
			out = next;
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static void
write_ok(const char *path, const char *text, int mode)
{
	char	*cause = NULL;

	if (paths_write_atomic(path, text, strlen(text), mode, &cause) != 0)
		fail_msg("writing %s: %s", path, cause);
}

static void
assert_file(const char *path, const char *want)
{
	char	*got = slurp(path);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
paths_write_atomic__replaces__with_exact_mode_and_no_temp(void **state)
{
	const char	*dir = *state;
	char		*path = xasprintf("%s/answers.ini", dir), *names;
	struct stat	 sb;
	mode_t		 old_umask;

	old_umask = umask(0277);
	write_ok(path, "first\n", 0644);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);	/* not the umask's */
	write_ok(path, "second\n", 0600);
	umask(old_umask);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_file(path, "second\n");
	names = listing(dir);
	assert_string_equal(names, "answers.ini");
	free(names);
	free(path);
}

/* A write that fails halfway (the file size limit) changes nothing. */
static void
paths_write_atomic__keeps_old_file__when_write_fails(void **state)
{
	const char	*dir = *state;
	char		*path = xasprintf("%s/prosody.cfg.lua", dir), *names;
	char		*big, *cause = NULL;
	struct rlimit	 old, small;
	size_t		 len = 256 * 1024;
	void		(*old_handler)(int);
	int		 rc, saved;

	write_ok(path, "old\n", 0600);
	big = xmalloc(len);
	memset(big, 'x', len);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 4096;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	rc = paths_write_atomic(path, big, len, 0600, &cause);
	saved = errno;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);

	assert_int_equal(rc, -1);
	assert_int_equal(saved, EFBIG);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot write "));
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, strerror(EFBIG)));
	assert_file(path, "old\n");
	names = listing(dir);
	assert_string_equal(names, "prosody.cfg.lua");	/* no temp file */
	free(names);
	free(cause);
	free(big);
	free(path);
}

/* The rename fails: a folder is where the file should go. */
static void
paths_write_atomic__fails__when_target_is_a_folder(void **state)
{
	const char	*dir = *state;
	char		*path = xasprintf("%s/dns.zone", dir), *names;
	char		*cause = NULL;
	struct stat	 sb;

	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(paths_write_atomic(path, "x\n", 2, 0644, &cause), -1);
	assert_int_equal(errno, EISDIR);
	assert_non_null(cause);
	assert_non_null(strstr(cause, path));
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	names = listing(dir);
	assert_string_equal(names, "dns.zone");
	free(names);
	/* A NULL cause is allowed: errno says why. */
	assert_int_equal(paths_write_atomic(path, "x\n", 2, 0644, NULL), -1);
	assert_int_equal(errno, EISDIR);
	free(cause);
	free(path);
}

/*
 * The temporary file cannot be made (something else holds its name, or,
 * when not root, the folder is read-only): the old file stays, and what
 * is not ours is not removed.
 */
static void
paths_write_atomic__keeps_old_file__when_temp_cannot_be_made(void **state)
{
	const char	*dir = *state;
	char		*path = xasprintf("%s/setup.sh", dir), *tmp, *names;
	char		*cause = NULL, *want;
	struct stat	 sb;

	write_ok(path, "old\n", 0755);
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	assert_int_equal(mkdir(tmp, 0755), 0);
	assert_int_equal(paths_write_atomic(path, "new\n", 4, 0755, &cause),
	    -1);
	assert_int_equal(errno, EISDIR);
	assert_file(path, "old\n");
	assert_int_equal(stat(tmp, &sb), 0);		/* left alone */
	assert_int_equal(rmdir(tmp), 0);
	free(cause);
	cause = NULL;

	if (geteuid() != 0) {
		assert_int_equal(chmod(dir, 0555), 0);
		assert_int_equal(paths_write_atomic(path, "new\n", 4, 0755,
		    &cause), -1);
		assert_int_equal(errno, EACCES);
		assert_int_equal(chmod(dir, 0755), 0);
		want = xasprintf("cannot write %s: %s", path, strerror(EACCES));
		assert_string_equal(cause, want);
		free(want);
		free(cause);
		assert_file(path, "old\n");
	}
	names = listing(dir);
	assert_string_equal(names, "setup.sh");
	free(names);
	free(tmp);
	free(path);
}

/* The folder that could not be made is named, with errno set. */
static void
paths_mkdir__names__the_folder_it_could_not_make(void **state)
{
	const char	*dir = *state;
	char		*plain = xasprintf("%s/plain", dir);
	char		*want = xasprintf("%s/plain/out", dir);
	char		*deep = xasprintf("%s/plain/out/more", dir);
	char		*made = xasprintf("%s/a/b/c", dir);
	char		*failed = NULL, *cause = NULL, *msg;
	struct stat	 sb;

	write_ok(plain, "x\n", 0644);
	assert_int_equal(paths_mkdir_where(deep, 0755, &failed), -1);
	assert_int_equal(errno, ENOTDIR);
	assert_string_equal(failed, want);
	assert_int_equal(paths_mkdir(deep, 0755, &cause), -1);
	assert_int_equal(errno, ENOTDIR);
	msg = xasprintf("cannot create %s: %s", want, strerror(ENOTDIR));
	assert_string_equal(cause, msg);

	assert_int_equal(paths_mkdir_where(made, 0750, &failed), 0);
	assert_int_equal(stat(made, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(paths_mkdir(made, 0750, &cause), 0);	/* exists */
	free(msg);
	free(cause);
	free(failed);
	free(plain);
	free(want);
	free(deep);
	free(made);
}

/* --- where the files go: the XDG variables and their defaults --------- */

#define HOME	"/home/tester"

static int
setup_env(void **state)
{
	setenv("HOME", HOME, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_STATE_HOME");
	return 0;
}

static void
assert_dir(enum path_kind kind, const char *want)
{
	char	*dir = paths_dir(kind);

	assert_string_equal(dir, want);
	free(dir);
}

static void
paths_dir__uses_home_defaults__when_xdg_unset(void **state)
{
	assert_dir(PATH_CONFIG, HOME "/.config/szia");
	assert_dir(PATH_DATA, HOME "/.local/share/szia");
	assert_dir(PATH_STATE, HOME "/.local/state/szia");
}

static void
paths_file__joins_default_dir_and_name__when_xdg_unset(void **state)
{
	char	*path;

	path = paths_file(PATH_CONFIG, "accounts");
	assert_string_equal(path, HOME "/.config/szia/accounts");
	free(path);
	path = paths_file(PATH_CONFIG, "sziarc");
	assert_string_equal(path, HOME "/.config/szia/sziarc");
	free(path);
	path = paths_file(PATH_DATA, "work/log.db");
	assert_string_equal(path, HOME "/.local/share/szia/work/log.db");
	free(path);
}

static void
paths_dir__uses_xdg__when_set_absolute(void **state)
{
	setenv("XDG_CONFIG_HOME", "/srv/conf", 1);
	setenv("XDG_DATA_HOME", "/srv/data", 1);
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	assert_dir(PATH_CONFIG, "/srv/conf/szia");
	assert_dir(PATH_DATA, "/srv/data/szia");
	assert_dir(PATH_STATE, "/srv/state/szia");
}

static void
paths_dir__uses_home_defaults__when_xdg_empty_or_relative(void **state)
{
	/* XDG Base Directory: an empty or relative value is ignored. */
	setenv("XDG_CONFIG_HOME", "", 1);
	setenv("XDG_DATA_HOME", "relative/data", 1);
	assert_dir(PATH_CONFIG, HOME "/.config/szia");
	assert_dir(PATH_DATA, HOME "/.local/share/szia");
}

/* "~" and "~/x" are $HOME's; "~bob/x", "x/~" and "/abs" stay. */
static void
paths_expand_home__expands_only_a_leading_tilde(void **state)
{
	static const char *const cases[][2] = {
		{ "~", HOME }, { "~/a b/c", HOME "/a b/c" },
		{ "~bob/x", "~bob/x" }, { "x/~", "x/~" }, { "/abs", "/abs" },
		{ "", "" },
	};
	char	*got;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = paths_expand_home(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    paths_write_atomic__replaces__with_exact_mode_and_no_temp,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(
		    paths_write_atomic__keeps_old_file__when_write_fails,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(
		    paths_write_atomic__fails__when_target_is_a_folder,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(
		    paths_write_atomic__keeps_old_file__when_temp_cannot_be_made,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(
		    paths_mkdir__names__the_folder_it_could_not_make,
		    setup_dir, teardown_dir),
		cmocka_unit_test_setup(
		    paths_dir__uses_home_defaults__when_xdg_unset, setup_env),
		cmocka_unit_test_setup(
		    paths_file__joins_default_dir_and_name__when_xdg_unset,
		    setup_env),
		cmocka_unit_test_setup(
		    paths_dir__uses_xdg__when_set_absolute, setup_env),
		cmocka_unit_test_setup(
		    paths_dir__uses_home_defaults__when_xdg_empty_or_relative,
		    setup_env),
		cmocka_unit_test_setup(
		    paths_expand_home__expands_only_a_leading_tilde,
		    setup_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
