/*
 * clock.c - time sources (see clock.h).
 */
#include <time.h>

#include "util/clock.h"

uint64_t
clock_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

time_t
clock_wall(void)
{
	return time(NULL);
}
