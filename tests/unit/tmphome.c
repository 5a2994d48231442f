/*
 * tmphome.c - a throwaway $HOME and XDG folders for unit tests.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "tmphome.h"

int
tmphome_create(char *template)
{
	if (mkdtemp(template) == NULL)
		return -1;
	setenv("HOME", template, 1);
	setenv("XDG_CONFIG_HOME", template, 1);
	setenv("XDG_DATA_HOME", template, 1);
	setenv("XDG_STATE_HOME", template, 1);
	return 0;
}

static int
tmphome_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

int
tmphome_remove(const char *dir)
{
	return nftw(dir, tmphome_rm, 8, FTW_DEPTH | FTW_PHYS);
}
