/*
 * clock.h - time sources.
 */
#ifndef SZIA_CLOCK_H
#define SZIA_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds on the monotonic clock: for timers and timeouts. */
uint64_t clock_now_ms(void);
/* Seconds since the epoch: for message timestamps. */
time_t	 clock_wall(void);

#endif
