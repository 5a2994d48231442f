/*
 * tmphome.h - a throwaway $HOME and XDG folders for unit tests.
 */
#ifndef SZIA_TMPHOME_H
#define SZIA_TMPHOME_H

/* mkdtemp(TEMPLATE) and point HOME and XDG_*_HOME at it; 0 or -1. */
int	tmphome_create(char *template);
/* Remove DIR and everything below it; 0 or -1. */
int	tmphome_remove(const char *dir);

#endif
