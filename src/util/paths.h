/*
 * paths.h - where szia keeps its files (XDG base directories).
 *
 *   config:  $XDG_CONFIG_HOME/szia  (default ~/.config/szia): sziarc,
 *            accounts, themes/
 *   data:    $XDG_DATA_HOME/szia    (default ~/.local/share/szia):
 *            <account>/log.db
 *   state:   $XDG_STATE_HOME/szia   (default ~/.local/state/szia): szia.log
 */
#ifndef SZIA_PATHS_H
#define SZIA_PATHS_H

enum path_kind {
	PATH_CONFIG,
	PATH_DATA,
	PATH_STATE,
};

/* The directory for KIND, e.g. "/home/u/.config/szia". Caller frees. */
char	*paths_dir(enum path_kind);
/* "~" or "~/x" -> "$HOME", "$HOME/x"; anything else copied as it is. */
char	*paths_expand_home(const char *path);
/* paths_dir(KIND) + "/" + NAME. Caller frees. */
char	*paths_file(enum path_kind, const char *name);
/*
 * Create DIR and its missing parents with MODE.  Returns 0, or -1 with
 * errno set and *cause set to "cannot create FOLDER: REASON" (caller
 * frees), FOLDER being the one that could not be made.
 */
int	 paths_mkdir(const char *dir, int mode, char **cause);
/*
 * The same, for callers that word the message themselves: on failure
 * *failed is the folder that could not be made (caller frees).
 */
int	 paths_mkdir_where(const char *dir, int mode, char **failed);
/*
 * Write LEN bytes to PATH atomically (a temporary file in the same folder,
 * fsync, rename) with file mode MODE exactly (not through the umask).
 * Returns 0, or -1 with errno set and, unless CAUSE is NULL, *cause set to
 * "cannot write PATH: REASON" (caller frees); PATH is then as it was, and
 * the temporary file is gone.
 */
int	 paths_write_atomic(const char *path, const char *data, size_t len,
	     int mode, char **cause);

#endif
