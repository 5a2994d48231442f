/*
 * testutil.c - shared helpers of the unit tests (see testutil.h).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/utf8.h"

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

int
text_is_safe(const char *s)
{
	size_t		len = strlen(s);
	uint32_t	cp;
	int		n;

	while (len > 0) {
		if ((n = utf8_decode(s, len, &cp)) < 0)
			return 0;
		if ((cp < 0x20 && cp != '\n') || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f))
			return 0;
		s += n;
		len -= n;
	}
	return 1;
}
