/*
 * log.c - the debug log (see log.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "util/log.h"
#include "util/utf8.h"

static FILE		*log_file;
static enum log_level	 log_min = LOG_LEVEL_WARN;
static void		(*log_fatal_hook)(void);
static int		 log_no_stderr;
static unsigned		 log_ndropped;

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

void
log_stderr(int on)
{
	log_no_stderr = !on;
}

unsigned
log_dropped(void)
{
	return log_ndropped;
}

/* Does CP change what a terminal or an editor shows around it? */
static int
log_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Write S to OUT with what could act on a terminal (controls, escape
 * sequences, line breaks, bidi overrides; invalid UTF-8) as \xNN or \uNNNN,
 * so that a line in the log is one line and shows what was received.
 * Allocates nothing: it may run for fatal() after an allocation failed.
 */
static void
log_write_safe(FILE *out, const char *s)
{
	const char	*p = s;
	size_t		 len = 0, left;
	uint32_t	 cp;
	int		 n;

	while (p[len] != '\0')
		len++;
	while ((left = len - (size_t)(p - s)) > 0) {
		n = utf8_decode(p, left, &cp);
		if (n < 0)
			fprintf(out, "\\x%02x", (unsigned char)*p++);
		else if (log_cp_unsafe(cp)) {
			if (cp < 0x100)
				fprintf(out, "\\x%02x", (unsigned)cp);
			else
				fprintf(out, "\\u%04x", (unsigned)cp);
			p += n;
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	FILE		*out = log_file;
	struct timespec	 ts;
	struct tm	 tm;
	char		 buf[1024], *text = buf;
	va_list		 ap2;
	int		 n;

	if (level < log_min)
		return;
	if (out == NULL) {
		if (level < LOG_LEVEL_WARN)
			return;
		if (log_no_stderr) {	/* the terminal is the UI's */
			log_ndropped++;
			return;
		}
		out = stderr;
	}
	va_copy(ap2, ap);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	/* Not xmalloc(): failing, it would call fatal(), which logs. */
	if (n >= (int)sizeof buf && (text = malloc((size_t)n + 1)) != NULL)
		vsnprintf(text, (size_t)n + 1, fmt, ap2);
	else
		text = buf;
	va_end(ap2);
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	fprintf(out, "%04d-%02d-%02d %02d:%02d:%02d.%03ld %s ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, log_names[level]);
	log_write_safe(out, text);
	fputc('\n', out);
	if (text != buf)
		free(text);
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
	log_no_stderr = 0;	/* the hook gave the terminal back */
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
