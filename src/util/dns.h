/*
 * dns.h - DNS queries through the C library's resolver, answers as text.
 *
 * Used by szia for the XEP-0368 SRV lookup and by xmpp-setup's `check`.
 * A query goes to the system's resolvers, or to SERVER ("ADDRESS[:PORT]",
 * IPv4) when one is given.  It blocks until answered or timed out.
 */
#ifndef SZIA_DNS_H
#define SZIA_DNS_H

#include <stddef.h>

enum dns_type {
	DNS_A = 1,
	DNS_CNAME = 5,
	DNS_TXT = 16,
	DNS_AAAA = 28,
	DNS_SRV = 33,
	DNS_CAA = 257,
};

/* One answer record, its data in zone-file form. */
struct dns_rr {
	enum dns_type	 type;
	char		*name;		/* owner, without the final dot */
	/*
	 * A, AAAA: the address; CNAME: the target with a final dot;
	 * SRV: "PRIORITY WEIGHT PORT TARGET."; CAA: FLAGS TAG "VALUE";
	 * TXT: "TEXT" (strings joined).
	 */
	char		*data;
};

/*
 * Ask for NAME's records of TYPE.  Returns the number of answer records
 * of any type (a CNAME in place of an address is reported as a CNAME) in
 * *OUT (caller frees with dns_rrs_free()): 0 when the name or the type
 * does not exist; -1 with *cause set when no server answered or the
 * answer could not be read.
 */
int	 dns_query(const char *name, enum dns_type type, const char *server,
	     struct dns_rr **out, char **cause);
void	 dns_rrs_free(struct dns_rr *, int n);
const char *dns_type_name(enum dns_type);

#endif
