/*
 * dns.c - DNS queries (see dns.h).
 *
 * Without a server, the C library's resolver asks the system's
 * resolvers.  With one, the query made by res_nmkquery() is sent to it
 * here, over UDP (then TCP if the answer was truncated), because the
 * resolver's state can only be pointed at IPv4 servers portably.  An
 * answer counts only if it has the query's ID and question.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/dns.h"
#include "util/str.h"
#include "util/xalloc.h"

#define DNS_TRIES	2	/* UDP sends to a given server */
#define DNS_TIMEOUT_MS	2000	/* per try, and per TCP step */

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

const char *
dns_error_text(enum dns_error error)
{
	switch (error) {
	case DNS_ERR_RESOLVER:
		return "cannot initialise the resolver";
	case DNS_ERR_SERVER:
		return "not a DNS server address (IPV4[:PORT] or [IPV6]:PORT)";
	case DNS_ERR_NO_ANSWER:
		return "no answer from the DNS server";
	case DNS_ERR_UNREADABLE:
		return "unreadable answer";
	}
	return "?";
}

/* A port 1-65535: digits only. */
static int
dns_port(const char *s, in_port_t *port)
{
	long	n = 0;

	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (n < 1 || n > 65535)
		return -1;
	*port = htons((in_port_t)n);
	return 0;
}

int
dns_server_parse(const char *server, struct sockaddr_storage *sa,
    socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)sa;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)sa;
	char			*addr = xstrdup(server), *end, *colon;
	const char		*port = NULL;
	int			 rc = -1;

	memset(sa, 0, sizeof *sa);
	if (*addr == '[') {			/* [IPV6] or [IPV6]:PORT */
		if ((end = strchr(addr, ']')) == NULL ||
		    (end[1] != ':' && end[1] != '\0'))
			goto out;
		if (end[1] == ':')
			port = end + 2;
		*end = '\0';
		if (inet_pton(AF_INET6, addr + 1, &sin6->sin6_addr) != 1)
			goto out;
		sin6->sin6_family = AF_INET6;
		*len = sizeof *sin6;
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;	/* IPV6 */
		*len = sizeof *sin6;
	} else {				/* IPV4[:PORT] */
		if ((colon = strchr(addr, ':')) != NULL) {
			*colon = '\0';
			port = colon + 1;
		}
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			goto out;
		sin->sin_family = AF_INET;
		*len = sizeof *sin;
	}
	if (port == NULL)
		rc = 0;
	else
		rc = dns_port(port, sa->ss_family == AF_INET6 ?
		    &sin6->sin6_port : &sin->sin_port);
	if (rc == 0 && port == NULL) {
		if (sa->ss_family == AF_INET6)
			sin6->sin6_port = htons(NS_DEFAULTPORT);
		else
			sin->sin_port = htons(NS_DEFAULTPORT);
	}
out:
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

/* Wait up to MS milliseconds for FD to be readable: 1, 0 (time out), -1. */
static int
dns_wait(int fd, int ms)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	int		n;

	while ((n = poll(&pfd, 1, ms)) == -1 && errno == EINTR)
		;
	return n;
}

/* N bytes from the connected stream FD, each within the time limit. */
static int
dns_read_all(int fd, unsigned char *buf, size_t n)
{
	ssize_t	got;
	size_t	off = 0;

	while (off < n) {
		if (dns_wait(fd, DNS_TIMEOUT_MS) != 1)
			return -1;
		if ((got = recv(fd, buf + off, n - off, 0)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (got == 0)
			return -1;
		off += got;
	}
	return 0;
}

/* The query over TCP (RFC 1035 4.2.2), after a truncated UDP answer. */
static int
dns_send_tcp(const struct sockaddr_storage *sa, socklen_t salen,
    const unsigned char *q, int qlen, unsigned char *ans, int anssize)
{
	struct timeval	 tv = { DNS_TIMEOUT_MS / 1000, 0 };
	unsigned char	 hdr[2];
	int		 fd, len = -1;

	if ((fd = socket(sa->ss_family, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	hdr[0] = qlen >> 8;
	hdr[1] = qlen & 0xff;
	if (connect(fd, (const struct sockaddr *)sa, salen) == -1 ||
	    send(fd, hdr, 2, MSG_NOSIGNAL) != 2 ||
	    send(fd, q, qlen, MSG_NOSIGNAL) != qlen ||
	    dns_read_all(fd, hdr, 2) != 0)
		goto out;
	len = hdr[0] << 8 | hdr[1];
	if (len < HFIXEDSZ || len > anssize || dns_read_all(fd, ans, len) != 0 ||
	    memcmp(ans, q, 2) != 0)
		len = -1;
out:
	close(fd);
	return len;
}

/*
 * Send the query Q to SA over UDP, DNS_TRIES times at most; a truncated
 * answer is asked again over TCP.  Returns the answer's length, or -1.
 */
static int
dns_send(const struct sockaddr_storage *sa, socklen_t salen,
    const unsigned char *q, int qlen, unsigned char *ans, int anssize)
{
	ssize_t	n;
	int	fd, try, ready;

	if ((fd = socket(sa->ss_family, SOCK_DGRAM|SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, salen) == -1) {
		close(fd);
		return -1;
	}
	for (try = 0; try < DNS_TRIES; try++) {
		if (send(fd, q, qlen, 0) != qlen)
			continue;
		/* Skip what is not the answer to this query. */
		while ((ready = dns_wait(fd, DNS_TIMEOUT_MS)) == 1) {
			n = recv(fd, ans, anssize, 0);
			if (n == -1 && errno == ECONNREFUSED)
				break;		/* nothing listens there */
			if (n < HFIXEDSZ || memcmp(ans, q, 2) != 0 ||
			    !(ans[2] & 0x80))
				continue;
			close(fd);
			if (ans[2] & 0x02)	/* TC: truncated */
				return dns_send_tcp(sa, salen, q, qlen, ans,
				    anssize);
			return (int)n;
		}
		if (ready == -1)
			break;
	}
	close(fd);
	return -1;
}

/* Are A and B the same name (case and a final dot do not matter)? */
static int
dns_same_name(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/*
 * Ask SERVER directly (not the system's resolvers).  Returns the
 * answer's length, or -1 with *error set; an answer with no records
 * sets *empty.
 */
static int
dns_ask_server(res_state state, const char *name, enum dns_type type,
    const char *server, unsigned char *ans, int anssize, int *empty,
    enum dns_error *error)
{
	struct sockaddr_storage	 sa;
	socklen_t		 salen;
	unsigned char		 q[NS_PACKETSZ];
	ns_msg			 msg;
	ns_rr			 rr;
	int			 qlen, len;

	*empty = 0;
	if (dns_server_parse(server, &sa, &salen) != 0) {
		*error = DNS_ERR_SERVER;
		return -1;
	}
	if ((qlen = res_nmkquery(state, ns_o_query, name, ns_c_in, type,
	    NULL, 0, NULL, q, sizeof q)) < 0) {
		*error = DNS_ERR_UNREADABLE;
		return -1;
	}
	if ((len = dns_send(&sa, salen, q, qlen, ans, anssize)) < 0) {
		*error = DNS_ERR_NO_ANSWER;
		return -1;
	}
	/* The answer must be to this question. */
	if (ns_initparse(ans, len, &msg) != 0 ||
	    ns_msg_count(msg, ns_s_qd) != 1 ||
	    ns_parserr(&msg, ns_s_qd, 0, &rr) != 0 ||
	    ns_rr_type(rr) != (ns_type)type ||
	    !dns_same_name(ns_rr_name(rr), name)) {
		*error = DNS_ERR_UNREADABLE;
		return -1;
	}
	switch (ns_msg_getflag(msg, ns_f_rcode)) {
	case ns_r_noerror:
		*empty = ns_msg_count(msg, ns_s_an) == 0;
		return len;
	case ns_r_nxdomain:
		*empty = 1;
		return len;
	default:			/* SERVFAIL, REFUSED ... */
		*error = DNS_ERR_NO_ANSWER;
		return -1;
	}
}

int
dns_query(const char *name, enum dns_type type, const char *server,
    struct dns_rr **out, enum dns_error *error)
{
	struct __res_state	 state;
	unsigned char		 answer[8192];
	ns_msg			 msg;
	ns_rr			 rr;
	struct dns_rr		*rrs = NULL;
	char			*data;
	int			 len, i, count, herr, empty, n = 0;

	*out = NULL;
	memset(&state, 0, sizeof state);
	if (res_ninit(&state) != 0) {
		*error = DNS_ERR_RESOLVER;
		return -1;
	}
	if (server != NULL) {
		len = dns_ask_server(&state, name, type, server, answer,
		    sizeof answer, &empty, error);
		res_nclose(&state);
		if (len < 0)
			return -1;
		if (empty)
			return 0;
	} else {
		len = res_nquery(&state, name, ns_c_in, type, answer,
		    sizeof answer);
		herr = state.res_h_errno;
		res_nclose(&state);
		if (len < 0) {
			if (herr == HOST_NOT_FOUND || herr == NO_DATA)
				return 0;
			*error = DNS_ERR_NO_ANSWER;
			return -1;
		}
	}
	if (ns_initparse(answer, len, &msg) != 0) {
		*error = DNS_ERR_UNREADABLE;
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

int
dns_name_is_invalid(const char *name)
{
	size_t	len = strlen(name);

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len < 7 || strncasecmp(name + len - 7, "invalid", 7) != 0)
		return 0;
	return len == 7 || name[len - 8] == '.';
}
