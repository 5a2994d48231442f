/*
 * stats.h - counters of the work the loop does, for tests and `make bench`.
 *
 * The design promises (one poll() per turn, at most one screen update per
 * turn, one log transaction per turn, a roster kept sorted incrementally,
 * no wake-ups while idle) are counted here so that tests can check them
 * without timing anything.  Counting is a few increments per turn; the
 * figures are read by szia-headless's "!stats" and, when SZIA_STATS names
 * a file, written there by szia at exit.
 */
#ifndef SZIA_STATS_H
#define SZIA_STATS_H

#include <stdint.h>

struct stats {
	uint64_t	turns;		/* loop turns (poll() calls) */
	uint64_t	wakeups;	/* poll() returned something */
	uint64_t	draws;		/* screen updates (doupdate()) */
	uint64_t	commits;	/* log transactions written */
	uint64_t	roster_cmps;	/* roster key comparisons */
};

extern struct stats	stats;

/* One line: "turns=N wakeups=N draws=N commits=N roster_cmps=N". */
void	stats_format(char *buf, size_t size);
/* Write that line to the file $SZIA_STATS names, if it is set. */
void	stats_write_env(void);

#endif
