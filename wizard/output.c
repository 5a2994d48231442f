/*
 * output.c - writing the generated files (see output.h).
 *
 * All texts are generated before anything is written, and every target is
 * checked first, so a run that finds an existing file (without --force)
 * writes nothing at all.  Each file is written atomically with
 * paths_write_atomic(), which sets its mode exactly (not through the
 * umask): 0600 for answers.ini and the files gen_files() marks as holding
 * the TURN secret.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "util/log.h"
#include "util/paths.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/gen.h"
#include "wizard/i18n.h"
#include "wizard/output.h"
#include "wizard/validate.h"

#define OUTPUT_MAX_FILES	32
#define SECRET_BYTES		32

/* A file to write: its name, mode and text. */
struct target {
	const char	*name;
	int		 mode;
	char		*text;
};

char *
output_default_dir(const struct answers *a)
{
	return xasprintf("xmpp-setup-%s", a->domain != NULL ? a->domain :
	    "unknown");
}

static void
secret_init(void)
{
	static int	done;

	if (done)
		return;
	if (!gcry_check_version(GCRYPT_VERSION))
		fatal("libgcrypt version mismatch");
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	done = 1;
}

char *
output_new_secret(void)
{
	unsigned char	 bytes[SECRET_BYTES];
	char		*hex = xmalloc(2 * sizeof bytes + 1);
	size_t		 i;

	secret_init();
	gcry_randomize(bytes, sizeof bytes, GCRY_STRONG_RANDOM);
	for (i = 0; i < sizeof bytes; i++)
		snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
	explicit_bzero(bytes, sizeof bytes);
	return hex;
}

enum output_secret
output_ensure_secret(struct answers *a, const char *dir)
{
	struct answers		 old;
	struct answers_problems	 problems = { 0 };
	struct stat		 sb;
	char			*path;

	if (a->turn_secret != NULL)
		return SECRET_GIVEN;
	path = xasprintf("%s/%s", dir, OUTPUT_ANSWERS);
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		answers_defaults(&old);
		answers_load_file(&old, path, &problems);
		answers_problems_free(&problems);
		a->turn_secret = old.turn_secret;	/* NULL if none */
		old.turn_secret = NULL;
		answers_free(&old);
	}
	free(path);
	if (a->turn_secret != NULL)
		return SECRET_KEPT;
	a->turn_secret = output_new_secret();
	return SECRET_NEW;
}

/* The targets for A: the generated files and answers.ini. */
static size_t
targets_make(const struct answers *a, struct target *t, size_t max)
{
	struct gen_file	 files[OUTPUT_MAX_FILES];
	size_t		 n, i;

	n = gen_files(a, files, OUTPUT_MAX_FILES);
	if (n + 1 > max)
		fatal("too many files to write");
	for (i = 0; i < n; i++) {
		t[i].name = files[i].name;
		t[i].mode = files[i].mode;
		t[i].text = files[i].fn(a);
	}
	t[n].name = OUTPUT_ANSWERS;
	t[n].mode = 0600;
	t[n].text = answers_format(a);
	return n + 1;
}

static void
targets_free(struct target *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		explicit_bzero(t[i].text, strlen(t[i].text));
		free(t[i].text);
	}
}

int
output_write(const struct answers *a, const char *dir, int force,
    FILE *summary, struct answers_problems *problems)
{
	struct target	 t[OUTPUT_MAX_FILES + 1];
	struct stat	 sb;
	size_t		 n, i, before = problems->n;
	char		*path, *failed;
	const char	*why;

	if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		answers_problem_add(problems,
		    _("%s exists and is not a folder"), dir);
		return -1;
	}
	n = targets_make(a, t, sizeof t / sizeof t[0]);
	if (!force) {
		for (i = 0; i < n; i++) {
			path = xasprintf("%s/%s", dir, t[i].name);
			if (lstat(path, &sb) == 0)
				answers_problem_add(problems, _("%s exists "
				    "(use --force to overwrite it)"), path);
			free(path);
		}
		if (problems->n > before)
			goto out;
	}
	if (paths_mkdir_where(dir, 0755, &failed) != 0) {
		why = strerror(errno);
		answers_problem_add(problems, _("cannot create %s: %s"), failed,
		    why);
		free(failed);
		goto out;
	}
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, t[i].name);
		if (paths_write_atomic(path, t[i].text, strlen(t[i].text),
		    t[i].mode, NULL) != 0) {
			why = strerror(errno);
			answers_problem_add(problems, _("cannot write %s: %s"),
			    path, why);
			free(path);
			goto out;
		}
		free(path);
	}
	fprintf(summary, ngettext("Wrote %zu file to %s/:",
	    "Wrote %zu files to %s/:", n), n, dir);
	fputc('\n', summary);
	for (i = 0; i < n; i++)
		fprintf(summary, "  %s%s\n", t[i].name,
		    t[i].mode == 0600 ? _(" (mode 0600: holds a secret)") : "");
	fprintf(summary, _("Next: follow %s/NEXT-STEPS.txt"), dir);
	fputc('\n', summary);

out:
	targets_free(t, n);
	return problems->n > before ? -1 : 0;
}

int
output_print(const struct answers *a, const char *name, FILE *f,
    char **cause)
{
	struct gen_file	 files[OUTPUT_MAX_FILES];
	size_t		 n, i, found = 0;
	char		*text;

	n = gen_files(a, files, OUTPUT_MAX_FILES);
	for (i = 0; i < n; i++) {
		if (files[i].print_name != NULL &&
		    strcmp(files[i].print_name, name) == 0)
			found++;
	}
	if (found == 0) {
		if (strcmp(name, "turn") == 0 && !a->turn)
			*cause = xstrdup(_("--print turn: TURN is off "
			    "(--no-turn)"));
		else
			*cause = xasprintf(_("--print %s: nothing to print "
			    "with these answers"), name);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (files[i].print_name == NULL ||
		    strcmp(files[i].print_name, name) != 0)
			continue;
		if (found > 1)
			fprintf(f, "# --- %s ---\n", files[i].name);
		text = files[i].fn(a);
		fputs(text, f);
		free(text);
	}
	return 0;
}
