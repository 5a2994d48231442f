/*
 * rand.c - unpredictable identifiers and hashing via libgcrypt (rand.h).
 */
#include <stdio.h>
#include <string.h>

#include <gcrypt.h>

#include "util/log.h"
#include "util/rand.h"
#include "util/xalloc.h"

static void
rand_init(void)
{
	static int	done;

	if (done)
		return;
	if (!gcry_check_version(GCRYPT_VERSION))
		fatal("libgcrypt version mismatch");
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	done = 1;
}

char *
rand_id(void)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		 bytes[22];
	char			*id = xmalloc(sizeof bytes + 1);
	size_t			 i;

	rand_init();
	gcry_create_nonce(bytes, sizeof bytes);
	for (i = 0; i < sizeof bytes; i++)
		id[i] = alphabet[bytes[i] & 63];
	id[sizeof bytes] = '\0';
	return id;
}

uint32_t
rand_uniform(uint32_t n)
{
	uint32_t	v, limit;

	rand_init();
	if (n <= 1)
		return 0;
	limit = UINT32_MAX - UINT32_MAX % n;
	do
		gcry_create_nonce(&v, sizeof v);
	while (v >= limit);
	return v % n;
}

char *
rand_sha256_fingerprint(const void *data, size_t len)
{
	unsigned char	 digest[32];
	char		*out = xmalloc(sizeof digest * 3);
	size_t		 i;

	rand_init();
	gcry_md_hash_buffer(GCRY_MD_SHA256, digest, data, len);
	for (i = 0; i < sizeof digest; i++)
		snprintf(out + i * 3, 4, "%02X%s", digest[i],
		    i + 1 < sizeof digest ? ":" : "");
	return out;
}
