/*
 * rand.h - unpredictable identifiers.
 *
 * Stanza ids must not be guessable, or a third party could answer a request
 * in the server's or a contact's name.  They come from libgcrypt's nonce
 * generator (seeded from the kernel), already a dependency for hashing.
 */
#ifndef SZIA_RAND_H
#define SZIA_RAND_H

#include <stdint.h>

/* A fresh random id: 16 random bytes as 22 URL-safe characters. */
char	*rand_id(void);
/* A uniformly distributed integer in [0, n). */
uint32_t rand_uniform(uint32_t n);
/* SHA-256 of DATA as upper-case hex pairs joined by ':'. Caller frees. */
char	*rand_sha256_fingerprint(const void *data, size_t len);

#endif
