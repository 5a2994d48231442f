/*
 * rand.h - unpredictable identifiers.
 *
 * Stanza ids must not be guessable, or a third party could answer a request
 * in the server's or a contact's name.  They come from the kernel's CSPRNG
 * through getrandom(2): no library to load and initialise for them, and no
 * user-space pool to seed.  (Hashes come from the libraries that already
 * speak the protocols: libstrophe's SHA-1 for entity caps, OpenSSL's
 * SHA-256 for certificate fingerprints, both in src/xmpp.)
 */
#ifndef SZIA_RAND_H
#define SZIA_RAND_H

#include <stdint.h>

/* A fresh random id: 22 random URL-safe characters (132 bits). */
char	*rand_id(void);
/* A uniformly distributed integer in [0, n). */
uint32_t rand_uniform(uint32_t n);

#endif
