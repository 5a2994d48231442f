/*
 * stats.c - counters of the work the loop does (stats.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/stats.h"

struct stats	stats;

void
stats_format(char *buf, size_t size)
{
	snprintf(buf, size, "turns=%llu wakeups=%llu draws=%llu commits=%llu "
	    "roster_cmps=%llu", (unsigned long long)stats.turns,
	    (unsigned long long)stats.wakeups, (unsigned long long)stats.draws,
	    (unsigned long long)stats.commits,
	    (unsigned long long)stats.roster_cmps);
}

void
stats_write_env(void)
{
	const char	*path = getenv("SZIA_STATS");
	char		 line[256];
	FILE		*f;

	if (path == NULL || *path == '\0')
		return;
	stats_format(line, sizeof line);
	if ((f = fopen(path, "w")) == NULL) {
		log_warn("stats: cannot write %s", path);
		return;
	}
	fprintf(f, "%s\n", line);
	if (fclose(f) != 0)
		log_warn("stats: cannot write %s", path);
}
