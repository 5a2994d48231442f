/*
 * output.h - writing the generated files into the output folder, or one
 * of them to standard output (--print).
 */
#ifndef XMPP_SETUP_OUTPUT_H
#define XMPP_SETUP_OUTPUT_H

#include <stdio.h>

#include "wizard/answers.h"

/* The answers file in every output folder. */
#define OUTPUT_ANSWERS	"answers.ini"

/* The default output folder, "xmpp-setup-DOMAIN".  Caller frees. */
char	*output_default_dir(const struct answers *a);
/* 32 bytes from libgcrypt's strong RNG as 64 hex digits.  Caller frees. */
char	*output_new_secret(void);
/* Where output_ensure_secret() found the TURN secret. */
enum output_secret {
	SECRET_GIVEN,		/* in the answers (--turn-secret, --answers) */
	SECRET_KEPT,		/* in DIR/answers.ini of an earlier run */
	SECRET_NEW,		/* made now */
};

/*
 * Give A a TURN secret if it has none: the one in DIR/answers.ini when
 * there is a valid one (so re-running keeps it), else a new one.
 */
enum output_secret output_ensure_secret(struct answers *a, const char *dir);
/*
 * Write every file for A, and answers.ini, into DIR (created 0755),
 * each atomically, files with secrets 0600.  Unless FORCE is set, nothing
 * is written if any of them exists.  Lists what was written on SUMMARY.
 * Returns 0, or -1 with one line per problem added to PROBLEMS.
 */
int	 output_write(const struct answers *a, const char *dir, int force,
	     FILE *summary, struct answers_problems *problems);
/*
 * Write the files whose --print name is NAME to F.  Returns 0, or -1 with
 * *cause set if A has no such file (e.g. turn without TURN).
 */
int	 output_print(const struct answers *a, const char *name, FILE *f,
	     char **cause);

#endif
