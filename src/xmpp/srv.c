/*
 * srv.c - DNS SRV lookups for XEP-0368 direct TLS (_xmpps-client._tcp).
 *
 * libstrophe 0.12 looks up only _xmpp-client (STARTTLS); for a direct TLS
 * account without a server set, szia asks for _xmpps-client itself
 * (src/util/dns.c) and hands the chosen target to libstrophe.
 * SZIA_RESOLVER=IPV4[:PORT] or [IPV6]:PORT sends the query to that DNS
 * server instead of the system's (the tests run one on 127.0.0.1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/dns.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

struct srv_rr {
	unsigned	 priority;
	unsigned	 weight;
	unsigned	 port;
	char		 target[256];
};

/* RFC 2782: the lowest priority, then a weighted random choice. */
static const struct srv_rr *
srv_choose(const struct srv_rr *rr, size_t n)
{
	unsigned	best = ~0u, total = 0, pick;
	size_t		i;

	for (i = 0; i < n; i++) {
		if (rr[i].priority < best)
			best = rr[i].priority;
	}
	for (i = 0; i < n; i++) {
		if (rr[i].priority == best)
			total += rr[i].weight + 1;
	}
	pick = rand_uniform(total);
	for (i = 0; i < n; i++) {
		if (rr[i].priority != best)
			continue;
		if (pick < rr[i].weight + 1)
			return &rr[i];
		pick -= rr[i].weight + 1;
	}
	return &rr[0];
}

int
srv_lookup(const char *service, const char *domain, char **host, int *port)
{
	struct dns_rr		*rrs = NULL;
	struct srv_rr		*srv;
	const struct srv_rr	*best;
	const char		*server = getenv("SZIA_RESOLVER");
	char			*name;
	enum dns_error		 error;
	size_t			 len, n = 0;
	int			 i, count;

	if (server != NULL && *server == '\0')
		server = NULL;
	name = xasprintf("_%s._tcp.%s", service, domain);
	count = dns_query(name, DNS_SRV, server, &rrs, &error);
	if (count < 0)
		log_warn("srv: %s SRV%s%s: %s", name, server != NULL ? " at " :
		    "", server != NULL ? server : "", dns_error_text(error));
	srv = xcalloc(count > 0 ? count : 1, sizeof *srv);
	for (i = 0; i < count; i++) {
		if (rrs[i].type != DNS_SRV || sscanf(rrs[i].data, "%u %u %u "
		    "%255s", &srv[n].priority, &srv[n].weight, &srv[n].port,
		    srv[n].target) != 4 || srv[n].port == 0 ||
		    srv[n].port > 65535)
			continue;
		len = strlen(srv[n].target);
		if (len > 0 && srv[n].target[len - 1] == '.')
			srv[n].target[--len] = '\0';
		/* "." means: the service is not offered here (RFC 2782). */
		if (len > 0)
			n++;
	}
	dns_rrs_free(rrs, count > 0 ? count : 0);
	if (n == 0) {
		log_debug("srv: no usable %s record", name);
		free(srv);
		free(name);
		return -1;
	}
	best = srv_choose(srv, n);
	*host = xstrdup(best->target);
	*port = best->port;
	log_info("srv: %s -> %s:%d", name, *host, *port);
	free(srv);
	free(name);
	return 0;
}
