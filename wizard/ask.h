/*
 * ask.h - interactive mode: the questions of answers_questions[] asked on
 * the terminal with GNU readline, each answer checked at once.
 *
 * Ctrl-C or Ctrl-D at any prompt cancels: the prompt functions print
 * "Cancelled: nothing was written." and return -1.  From the first prompt
 * on, SIGINT, SIGTERM and SIGHUP are caught (the terminal is left as it
 * was found) and a signal that arrives between prompts cancels at the
 * next one.
 */
#ifndef XMPP_SETUP_ASK_H
#define XMPP_SETUP_ASK_H

#include <stdio.h>

#include "wizard/answers.h"

/*
 * Mark in GIVEN (one flag per row of answers_questions[]) every question
 * that the answers file PATH sets, even to an empty value.  Problems with
 * the file are not reported here (answers_load_file() does that).
 */
void	 ask_given_from_file(const char *path, int *given);
/*
 * Ask, in table order, every question that is not GIVEN and applies to
 * the answers so far (the NAT address only with TURN, the certificate
 * files only with certs = files; never the TURN secret), writing the
 * dialogue to OUT.  Enter takes the default shown in brackets; a bad
 * answer gets one line and the question again.  Returns 0, or -1 if the
 * user cancelled.
 */
int	 ask_questions(struct answers *a, const int *given, FILE *out);
/*
 * Show a summary of A and the files to be written into DIR, then ask
 * "Write these files into DIR? [Y/n]".  Returns 0 for yes, or -1 (with
 * "Cancelled: nothing was written." on OUT) for no, Ctrl-C or Ctrl-D.
 */
int	 ask_confirm(const struct answers *a, const char *dir, FILE *out);

#endif
