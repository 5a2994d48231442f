/*
 * dns.c - DNS queries through the C library's resolver (see dns.h).
 */
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/dns.h"
#include "util/str.h"
#include "util/xalloc.h"

const char *
dns_type_name(enum dns_type type)
{
	switch (type) {
	case DNS_A:
		return "A";
	case DNS_CNAME:
		return "CNAME";
	case DNS_TXT:
		return "TXT";
	case DNS_AAAA:
		return "AAAA";
	case DNS_SRV:
		return "SRV";
	case DNS_CAA:
		return "CAA";
	}
	return "?";
}

/* Point STATE at SERVER ("ADDRESS[:PORT]"); -1 if it is not that. */
static int
dns_server(res_state state, const char *server)
{
	char		*addr = xstrdup(server), *colon;
	struct in_addr	 in;
	int		 port = NS_DEFAULTPORT, rc = -1;

	if ((colon = strchr(addr, ':')) != NULL) {
		*colon = '\0';
		port = atoi(colon + 1);
	}
	if (inet_pton(AF_INET, addr, &in) == 1 && port > 0 && port < 65536) {
		state->nsaddr_list[0].sin_family = AF_INET;
		state->nsaddr_list[0].sin_addr = in;
		state->nsaddr_list[0].sin_port = htons(port);
		state->nscount = 1;
		state->retry = 2;
		state->retrans = 2;
		rc = 0;
	}
	free(addr);
	return rc;
}

/* The record's data as zone-file text; NULL if it cannot be read. */
static char *
dns_rdata(ns_msg *msg, ns_rr *rr)
{
	const unsigned char	*rd = ns_rr_rdata(*rr);
	size_t			 len = ns_rr_rdlen(*rr), i, n;
	char			 name[NS_MAXDNAME], addr[INET6_ADDRSTRLEN];
	struct strbuf		 b = { 0 };

	switch (ns_rr_type(*rr)) {
	case ns_t_a:
		if (len != 4 || inet_ntop(AF_INET, rd, addr, sizeof addr) ==
		    NULL)
			return NULL;
		return xstrdup(addr);
	case ns_t_aaaa:
		if (len != 16 || inet_ntop(AF_INET6, rd, addr, sizeof addr) ==
		    NULL)
			return NULL;
		return xstrdup(addr);
	case ns_t_cname:
		if (dn_expand(ns_msg_base(*msg), ns_msg_end(*msg), rd, name,
		    sizeof name) < 0)
			return NULL;
		return xasprintf("%s.", name);
	case ns_t_srv:
		if (len < 7 || dn_expand(ns_msg_base(*msg), ns_msg_end(*msg),
		    rd + 6, name, sizeof name) < 0)
			return NULL;
		return xasprintf("%u %u %u %s.", ns_get16(rd),
		    ns_get16(rd + 2), ns_get16(rd + 4), name);
	case 257:	/* CAA: flags, tag length, tag, value */
		if (len < 2 || (size_t)rd[1] + 2 > len)
			return NULL;
		strbuf_addf(&b, "%u %.*s \"", rd[0], rd[1],
		    (const char *)rd + 2);
		strbuf_add(&b, (const char *)rd + 2 + rd[1], len - 2 - rd[1]);
		strbuf_addc(&b, '"');
		return strbuf_take(&b);
	case ns_t_txt:
		strbuf_addc(&b, '"');
		for (i = 0; i < len; i += 1 + n) {
			n = rd[i];
			if (i + 1 + n > len) {
				strbuf_free(&b);
				return NULL;
			}
			strbuf_add(&b, (const char *)rd + i + 1, n);
		}
		strbuf_addc(&b, '"');
		return strbuf_take(&b);
	default:
		return xstrdup("");
	}
}

int
dns_query(const char *name, enum dns_type type, const char *server,
    struct dns_rr **out, char **cause)
{
	struct __res_state	 state;
	unsigned char		 answer[8192];
	ns_msg			 msg;
	ns_rr			 rr;
	struct dns_rr		*rrs = NULL;
	char			*data;
	int			 len, i, count, herr, n = 0;

	*out = NULL;
	memset(&state, 0, sizeof state);
	if (res_ninit(&state) != 0) {
		*cause = xstrdup("cannot initialise the resolver");
		return -1;
	}
	if (server != NULL && dns_server(&state, server) != 0) {
		res_nclose(&state);
		*cause = xasprintf("'%s' is not a DNS server address "
		    "(IPv4[:PORT])", server);
		return -1;
	}
	len = res_nquery(&state, name, ns_c_in, type, answer, sizeof answer);
	herr = state.res_h_errno;
	res_nclose(&state);
	if (len < 0) {
		switch (herr) {
		case HOST_NOT_FOUND:
		case NO_DATA:
			return 0;
		default:
			*cause = xasprintf("no answer from %s for %s %s",
			    server != NULL ? server : "the DNS servers", name,
			    dns_type_name(type));
			return -1;
		}
	}
	if (ns_initparse(answer, len, &msg) != 0) {
		*cause = xasprintf("unreadable answer for %s", name);
		return -1;
	}
	count = ns_msg_count(msg, ns_s_an);
	for (i = 0; i < count; i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0)
			continue;
		if ((data = dns_rdata(&msg, &rr)) == NULL)
			continue;
		rrs = xreallocarray(rrs, n + 1, sizeof *rrs);
		rrs[n].type = (enum dns_type)ns_rr_type(rr);
		rrs[n].name = xstrdup(ns_rr_name(rr));
		rrs[n].data = data;
		n++;
	}
	*out = rrs;
	return n;
}

void
dns_rrs_free(struct dns_rr *rrs, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		free(rrs[i].name);
		free(rrs[i].data);
	}
	free(rrs);
}
