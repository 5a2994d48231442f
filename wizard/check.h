/*
 * check.h - xmpp-setup check DOMAIN: are the DNS records published?
 */
#ifndef XMPP_SETUP_CHECK_H
#define XMPP_SETUP_CHECK_H

#include <stdio.h>

#include "wizard/answers.h"

#define CHECK_OK	0	/* every record present and right */
#define CHECK_PROBLEMS	1	/* something missing or wrong */
#define CHECK_NO_DNS	3	/* the DNS server did not answer */

/*
 * Look up every record gen_dns() would write for A (the public addresses
 * may be NULL: then any address is accepted) at RESOLVER (NULL: the
 * system's), and report each on OUT as ok, missing or wrong, with the
 * zone line that fixes it.  Returns CHECK_OK, CHECK_PROBLEMS or
 * CHECK_NO_DNS.
 */
int	check_run(const struct answers *a, const char *resolver, FILE *out);

#endif
