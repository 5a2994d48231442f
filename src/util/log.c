/*
 * log.c - the debug log (see log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "util/log.h"

static FILE		*log_file;
static enum log_level	 log_min = LOG_LEVEL_WARN;
static void		(*log_fatal_hook)(void);

static const char *const log_names[] = { "debug", "info", "warn", "error" };

int
log_open(const char *path, enum log_level min)
{
	FILE	*f;

	if ((f = fopen(path, "a")) == NULL)
		return -1;
	setvbuf(f, NULL, _IOLBF, 0);
	log_close();
	log_file = f;
	log_min = min;
	return 0;
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void
log_set_fatal_hook(void (*hook)(void))
{
	log_fatal_hook = hook;
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	FILE		*out = log_file;
	struct timespec	 ts;
	struct tm	 tm;

	if (level < log_min)
		return;
	if (out == NULL) {
		if (level < LOG_LEVEL_WARN)
			return;
		out = stderr;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	fprintf(out, "%04d-%02d-%02d %02d:%02d:%02d.%03ld %s ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, log_names[level]);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	if (log_fatal_hook != NULL)
		log_fatal_hook();
	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	fputs("szia: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(70);
}
