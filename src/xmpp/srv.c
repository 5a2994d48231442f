/*
 * srv.c - DNS SRV lookups for XEP-0368 direct TLS (_xmpps-client._tcp).
 *
 * libstrophe 0.12 looks up only _xmpp-client (STARTTLS); for a direct TLS
 * account without a server set, szia asks for _xmpps-client itself and
 * hands the chosen target to libstrophe.  The lookup uses the C library's
 * resolver (res_nquery, libresolv's ns_parserr), blocking like libstrophe's
 * own lookups.  SZIA_RESOLVER=ADDRESS[:PORT] sends the query to that DNS
 * server instead of the system's (the tests run one on 127.0.0.1).
 */
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/rand.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

struct srv_rr {
	unsigned	 priority;
	unsigned	 weight;
	int		 port;
	char		 target[NS_MAXDNAME];
};

/* Point STATE at $SZIA_RESOLVER if it is set. */
static void
srv_resolver(res_state state)
{
	const char	*env = getenv("SZIA_RESOLVER");
	char		*addr, *colon;
	struct in_addr	 in;
	int		 port = NS_DEFAULTPORT;

	if (env == NULL || *env == '\0')
		return;
	addr = xstrdup(env);
	if ((colon = strchr(addr, ':')) != NULL) {
		*colon = '\0';
		port = atoi(colon + 1);
	}
	if (inet_pton(AF_INET, addr, &in) == 1 && port > 0 && port < 65536) {
		state->nsaddr_list[0].sin_family = AF_INET;
		state->nsaddr_list[0].sin_addr = in;
		state->nsaddr_list[0].sin_port = htons(port);
		state->nscount = 1;
		state->retry = 1;
		state->retrans = 2;
	} else
		log_warn("SZIA_RESOLVER=%s is not ADDRESS[:PORT]: ignored", env);
	free(addr);
}

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
	struct __res_state	 state;
	unsigned char		 answer[NS_PACKETSZ * 4];
	const unsigned char	*rd;
	struct srv_rr		*rrs = NULL;
	const struct srv_rr	*best;
	ns_msg			 msg;
	ns_rr			 rr;
	char			*name;
	int			 len, i, count, found = -1;
	size_t			 n = 0;

	memset(&state, 0, sizeof state);
	if (res_ninit(&state) != 0)
		return -1;
	srv_resolver(&state);
	name = xasprintf("_%s._tcp.%s", service, domain);
	len = res_nquery(&state, name, ns_c_in, ns_t_srv, answer,
	    sizeof answer);
	if (len < 0 || ns_initparse(answer, len, &msg) != 0) {
		log_debug("srv: no %s record", name);
		goto out;
	}
	count = ns_msg_count(msg, ns_s_an);
	for (i = 0; i < count; i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 ||
		    ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
			continue;
		rd = ns_rr_rdata(rr);
		rrs = xreallocarray(rrs, n + 1, sizeof *rrs);
		rrs[n].priority = ns_get16(rd);
		rrs[n].weight = ns_get16(rd + 2);
		rrs[n].port = ns_get16(rd + 4);
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6,
		    rrs[n].target, sizeof rrs[n].target) < 0)
			continue;
		/* "." means: the service is not offered here (RFC 2782). */
		if (strcmp(rrs[n].target, ".") == 0 || rrs[n].target[0] == '\0')
			continue;
		n++;
	}
	if (n == 0)
		goto out;
	best = srv_choose(rrs, n);
	*host = xstrdup(best->target);
	*port = best->port;
	log_info("srv: %s -> %s:%d", name, *host, *port);
	found = 0;
out:
	free(rrs);
	free(name);
	res_nclose(&state);
	return found;
}
