/*
 * cmd.h - commands as data.
 *
 * Each command group lives in one file, src/core/cmd-<group>.c, holding its
 * entries (name, argument counts, usage, help, examples, completion spec)
 * and their exec functions; cmd.c only lists the entries, parses a line,
 * checks the argument count (printing the usage on a mismatch) and calls
 * exec with the window the command was typed in.  complete.c uses the same
 * entries for Tab completion.
 */
#ifndef SZIA_CMD_H
#define SZIA_CMD_H

struct szia;
struct window;

enum cmd_retval {
	CMD_OK,
	CMD_ERROR,
};

/* What an argument position completes to. */
enum cmd_arg {
	ARG_NONE,
	ARG_SUBCMD,		/* one of the entry's subcmds */
	ARG_CONTACT,		/* roster JID (or name) */
	ARG_ACCOUNT,		/* saved account name */
	ARG_ACCOUNT_KEY,	/* account_keys */
	ARG_SETTING,		/* setting name */
	ARG_THEME,
	ARG_COMMAND,		/* a command name */
	ARG_SHOW,		/* online chat away xa dnd */
	ARG_WINDOW,		/* window number */
	ARG_FILE,		/* a path (and the entry's subcmds) */
};

#define CMD_MAXARGS	6

struct cmd_ctx;

struct cmd_entry {
	const char		*name;		/* without the slash */
	const char		*alias;		/* or NULL */
	int			 min;		/* argument counts */
	int			 max;
	int			 rest;		/* last argument takes the
						   rest of the line */
	int			 online;	/* needs a session */
	const char		*usage;		/* "/msg JID [text]" */
	const char		*help;		/* one paragraph */
	const char		*examples;	/* lines, '\n' separated */
	const char *const	*subcmds;	/* NULL-terminated or NULL */
	enum cmd_arg		 args[CMD_MAXARGS];
	enum cmd_retval		(*exec)(struct cmd_ctx *);
};

struct cmd_ctx {
	struct szia		*sz;
	struct window		*win;		/* where it was typed */
	const struct cmd_entry	*entry;
	int			 argc;
	char			**argv;		/* arguments, not the name */
};

/* Every command, NULL-terminated, sorted by name. */
extern const struct cmd_entry *const cmd_table[];

const struct cmd_entry *cmd_find(const char *name);
/* Parse and run LINE ("/name args..."). */
enum cmd_retval	cmd_run(struct szia *, struct window *, const char *line);
/* One error line in the command's window; returns CMD_ERROR. */
enum cmd_retval	cmd_error(struct cmd_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		cmd_info(struct cmd_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* Print "usage: ..." and return CMD_ERROR. */
enum cmd_retval	cmd_usage(struct cmd_ctx *);

/*
 * Completion: candidates for the word that ends at END in LINE (the word
 * starts at START).  Returns a NULL-terminated array of strings the caller
 * frees with cmd_complete_free(), or NULL if there is nothing to offer.
 */
char	**cmd_complete(struct szia *, const char *line, int start, int end);
void	  cmd_complete_free(char **);

#endif
