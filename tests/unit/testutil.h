/*
 * testutil.h - what several unit tests need: a throwaway $HOME and XDG
 * folders, and a check that text is safe for a terminal.
 */
#ifndef SZIA_TESTUTIL_H
#define SZIA_TESTUTIL_H

/* mkdtemp(TEMPLATE) and point HOME and XDG_*_HOME at it; 0 or -1. */
int	tmphome_create(char *template);
/* Remove DIR and everything below it; 0 or -1. */
int	tmphome_remove(const char *dir);
/* Is S valid UTF-8 without C0 (but '\n'), DEL or C1 controls? */
int	text_is_safe(const char *s);

#endif
