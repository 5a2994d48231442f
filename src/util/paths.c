/*
 * paths.c - XDG base directories and safe file writing (see paths.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/paths.h"
#include "util/xalloc.h"

char *
paths_dir(enum path_kind kind)
{
	const char	*env, *fallback, *home;

	switch (kind) {
	case PATH_CONFIG:
		env = "XDG_CONFIG_HOME"; fallback = ".config";
		break;
	case PATH_DATA:
		env = "XDG_DATA_HOME"; fallback = ".local/share";
		break;
	default:
		env = "XDG_STATE_HOME"; fallback = ".local/state";
		break;
	}
	if (getenv(env) != NULL && getenv(env)[0] == '/')
		return xasprintf("%s/szia", getenv(env));
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = "/tmp";
	return xasprintf("%s/%s/szia", home, fallback);
}

char *
paths_file(enum path_kind kind, const char *name)
{
	char	*dir = paths_dir(kind), *path;

	path = xasprintf("%s/%s", dir, name);
	free(dir);
	return path;
}

int
paths_mkdir_where(const char *dir, int mode, char **failed)
{
	char	*copy = xstrdup(dir), *p, saved;

	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		saved = *p;
		*p = '\0';
		if (mkdir(copy, mode) == -1 && errno != EEXIST) {
			*failed = copy;		/* cut at the folder */
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return 0;
}

int
paths_mkdir(const char *dir, int mode, char **cause)
{
	char	*failed;
	int	 saved;

	if (paths_mkdir_where(dir, mode, &failed) == 0)
		return 0;
	saved = errno;
	*cause = xasprintf("cannot create %s: %s", failed, strerror(saved));
	free(failed);
	errno = saved;
	return -1;
}

int
paths_write_atomic(const char *path, const char *data, size_t len, int mode,
    char **cause)
{
	char	*tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int	 fd, saved;
	ssize_t	 n;
	size_t	 off = 0;

	if ((fd = open(tmp, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC|O_NOFOLLOW,
	    mode)) == -1)
		goto fail_open;	/* not ours to remove */
	if (fchmod(fd, mode) == -1)
		goto fail_fd;
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail_fd;
		}
		off += n;
	}
	if (fsync(fd) == -1)
		goto fail_fd;
	if (close(fd) == -1)
		goto fail;
	if (rename(tmp, path) == -1)
		goto fail;
	free(tmp);
	return 0;

fail_fd:
	saved = errno;
	close(fd);
	errno = saved;
fail:
	saved = errno;
	unlink(tmp);
	errno = saved;
fail_open:
	saved = errno;
	if (cause != NULL)
		*cause = xasprintf("cannot write %s: %s", path,
		    strerror(saved));
	free(tmp);
	errno = saved;
	return -1;
}

char *
paths_expand_home(const char *path)
{
	const char	*home = getenv("HOME");

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') &&
	    home != NULL)
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}
