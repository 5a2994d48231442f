/*
 * rand.c - unpredictable identifiers from the kernel's CSPRNG (rand.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "util/log.h"
#include "util/rand.h"
#include "util/xalloc.h"

/* LEN bytes from getrandom(2): blocks only before the pool is seeded. */
static void
rand_bytes(void *buf, size_t len)
{
	unsigned char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = getrandom(p, len, 0)) < 0) {
			if (errno == EINTR)
				continue;
			fatal("getrandom: %s", strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
}

char *
rand_id(void)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		 bytes[22];
	char			*id = xmalloc(sizeof bytes + 1);
	size_t			 i;

	rand_bytes(bytes, sizeof bytes);
	for (i = 0; i < sizeof bytes; i++)
		id[i] = alphabet[bytes[i] & 63];
	id[sizeof bytes] = '\0';
	return id;
}

uint32_t
rand_uniform(uint32_t n)
{
	uint32_t	v, limit;

	if (n <= 1)
		return 0;
	limit = UINT32_MAX - UINT32_MAX % n;
	do
		rand_bytes(&v, sizeof v);
	while (v >= limit);
	return v % n;
}
