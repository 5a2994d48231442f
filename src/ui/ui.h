/*
 * ui.h - the terminal front end: ncurses for output, GNU readline (in
 * callback mode) for input.  It renders core state and feeds keys to the
 * core; it never talks to the network.
 */
#ifndef SZIA_UI_H
#define SZIA_UI_H

struct szia;
struct frontend;
struct ui;

/* Take over the terminal.  NULL with *cause set if it is not usable. */
struct ui	*ui_new(struct szia *, char **cause);
/* Give the terminal back (also safe from fatal()). */
void		 ui_free(struct ui *);
/* The descriptors and callbacks for loop_run(). */
void		 ui_frontend(struct ui *, struct frontend *);
/* Restore the terminal after a crash path; idempotent. */
void		 ui_emergency_restore(void);

#endif
