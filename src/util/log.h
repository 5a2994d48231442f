/*
 * log.h - the debug log.
 *
 * szia never writes diagnostics to the terminal it draws on: they go to a
 * log file opened with log_open() ($XDG_STATE_HOME/szia/szia.log by
 * default, or the file given with -l).  Without an open log, debug and info
 * lines are dropped and warnings go to stderr, until log_stderr(0) (the UI
 * owns the terminal): then they are dropped too, and counted.  A log line
 * often carries remote text, so each is written with control characters,
 * line breaks, bidi overrides and invalid UTF-8 escaped (\x1b, \u202e).
 * fatal() is for broken invariants and out-of-memory only: it restores the
 * terminal through the hook set with log_set_fatal_hook() and exits.
 */
#ifndef SZIA_LOG_H
#define SZIA_LOG_H

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
};

/* Open (append) PATH; returns 0 or -1 with errno set. */
int	 log_open(const char *path, enum log_level min);
void	 log_close(void);
void	 log_set_fatal_hook(void (*)(void));
/* May warnings go to stderr when no log is open?  (Yes at first.) */
void	 log_stderr(int on);
/* How many warnings were dropped since log_stderr(0). */
unsigned log_dropped(void);
void	 log_msg(enum log_level, const char *, ...)
	     __attribute__((format(printf, 2, 3)));

#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)

void	 fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
