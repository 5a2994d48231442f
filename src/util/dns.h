/*
 * dns.h - DNS queries (the system resolver, or a given server over UDP
 * and TCP), answers as text.
 *
 * Used by szia for the XEP-0368 SRV lookup and by xmpp-setup's `check`.
 * A query goes to the system's resolvers, or to SERVER when one is given:
 * "IPV4", "IPV4:PORT", "IPV6", "[IPV6]" or "[IPV6]:PORT" (port 53 by
 * default).  It blocks until answered or timed out.
 *
 * Errors are codes, not text, so that each program words them itself
 * (xmpp-setup translates its messages); dns_error_text() is the English.
 */
#ifndef SZIA_DNS_H
#define SZIA_DNS_H

#include <sys/types.h>
#include <sys/socket.h>

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

/* Why a query failed. */
enum dns_error {
	DNS_ERR_RESOLVER = 1,	/* the resolver could not be set up */
	DNS_ERR_SERVER,		/* SERVER is not an address as above */
	DNS_ERR_NO_ANSWER,	/* no answer in time, or the server failed */
	DNS_ERR_UNREADABLE,	/* the answer could not be read */
};

/*
 * Ask for NAME's records of TYPE.  Returns the number of answer records
 * of any type (a CNAME in place of an address is reported as a CNAME) in
 * *OUT (caller frees with dns_rrs_free()): 0 when the name or the type
 * does not exist; -1 with *error set when no server answered or the
 * answer could not be read.
 */
int	 dns_query(const char *name, enum dns_type type, const char *server,
	     struct dns_rr **out, enum dns_error *error);
void	 dns_rrs_free(struct dns_rr *, int n);
const char *dns_type_name(enum dns_type);
/* ERROR in English, for logs. */
const char *dns_error_text(enum dns_error error);
/*
 * Read SERVER (see above) into *SA and *LEN.  Returns 0, or -1 if it is
 * not an IPv4 or IPv6 address with an optional port 1-65535.
 */
int	 dns_server_parse(const char *server, struct sockaddr_storage *sa,
	     socklen_t *len);
/*
 * Is NAME under the special-use domain "invalid." (RFC 6761 6.4), which
 * never resolves?  Such a name is refused without asking any resolver.
 */
int	 dns_name_is_invalid(const char *name);

#endif
