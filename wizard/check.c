/*
 * check.c - xmpp-setup check DOMAIN (see check.h).
 *
 * The expectations are the generator's own output: the lines of gen_dns()
 * are parsed back into (name, type, data), so `check` can never disagree
 * with the dns.zone the wizard writes.  Names and targets compare without
 * case; SRV records compare on port and target (priority and weight are
 * the admin's to choose); an address where an alias was expected, or the
 * other way round, is reported as wrong.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/dns.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/check.h"
#include "wizard/gen.h"
#include "wizard/i18n.h"

/* Stands for "any address" when the public address was not given. */
#define CHECK_ANY_V4	"0.0.0.0"
#define CHECK_ANY_V6	"::"
#define CHECK_ANY_MAIL	"*"	/* e-mail not given: any CAA iodef */

struct expect {
	char		*name;		/* fully qualified, no final dot */
	enum dns_type	 type;
	char		*data;
	char		*line;		/* the zone line, for the fix */
};

static int
check_type(const char *s, enum dns_type *type)
{
	static const enum dns_type types[] = {
		DNS_A, DNS_AAAA, DNS_CNAME, DNS_SRV, DNS_CAA, DNS_TXT
	};
	size_t	i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (strcmp(s, dns_type_name(types[i])) == 0) {
			*type = types[i];
			return 0;
		}
	}
	return -1;
}

/* Parse the zone text into expectations; returns how many. */
static size_t
check_parse(const char *zone, const char *domain, struct expect **out)
{
	struct expect	*e = NULL;
	size_t		 n = 0;
	const char	*p = zone, *nl;
	char		*line, *name, *in, *type, *data, *save;
	enum dns_type	 t;

	for (; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, nl - p);
		if (*line == ';' || *str_trim(line) == '\0' ||
		    (name = strtok_r(line, " \t", &save)) == NULL ||
		    (in = strtok_r(NULL, " \t", &save)) == NULL ||
		    strcmp(in, "IN") != 0 ||
		    (type = strtok_r(NULL, " \t", &save)) == NULL ||
		    check_type(type, &t) != 0 ||
		    (data = strtok_r(NULL, "", &save)) == NULL) {
			free(line);
			continue;
		}
		e = xreallocarray(e, n + 1, sizeof *e);
		e[n].name = strcmp(name, "@") == 0 ? xstrdup(domain) :
		    xasprintf("%s.%s", name, domain);
		e[n].type = t;
		e[n].data = str_trim(xstrdup(data));
		e[n].line = xstrndup(p, nl - p);
		n++;
		free(line);
	}
	*out = e;
	return n;
}

/* Does record data GOT satisfy EXPECTED for TYPE? */
static int
check_match(enum dns_type type, const char *expected, const char *got)
{
	unsigned	ep, gp;
	char		et[256], gt[256];

	switch (type) {
	case DNS_A:
		return strcmp(expected, CHECK_ANY_V4) == 0 ||
		    strcmp(expected, got) == 0;
	case DNS_AAAA:
		return strcmp(expected, CHECK_ANY_V6) == 0 ||
		    strcasecmp(expected, got) == 0;
	case DNS_SRV:
		if (sscanf(expected, "%*u %*u %u %255s", &ep, et) != 2 ||
		    sscanf(got, "%*u %*u %u %255s", &gp, gt) != 2)
			return 0;
		return ep == gp && strcasecmp(et, gt) == 0;
	case DNS_CAA:
		if (strstr(expected, "mailto:" CHECK_ANY_MAIL "\"") != NULL)
			return strncasecmp(got, "0 iodef ", 8) == 0;
		return strcasecmp(expected, got) == 0;
	default:
		return strcasecmp(expected, got) == 0;
	}
}

/* Why no answer came, in the user's language.  Caller frees. */
static char *
check_error(enum dns_error error, const char *resolver)
{
	switch (error) {
	case DNS_ERR_RESOLVER:
		return xstrdup(_("cannot initialise the resolver"));
	case DNS_ERR_SERVER:
		return xasprintf(_("'%s' is not a DNS server address"),
		    resolver);
	case DNS_ERR_NO_ANSWER:
		if (resolver != NULL)
			return xasprintf(_("no answer from %s"), resolver);
		return xstrdup(_("no answer from the DNS servers"));
	case DNS_ERR_UNREADABLE:
		return xstrdup(_("the answer could not be read"));
	}
	return xstrdup("?");
}

int
check_run(const struct answers *given, const char *resolver, FILE *out)
{
	struct answers	 a = *given;
	struct expect	*e;
	struct dns_rr	*rrs;
	char		*zone, *cause;
	enum dns_error	 error;
	size_t		 n, i, j;
	int		 count, k, found, other, status = CHECK_OK, bad = 0;

	if (a.ipv4 == NULL)
		a.ipv4 = (char *)CHECK_ANY_V4;
	if (a.email == NULL)
		a.email = (char *)CHECK_ANY_MAIL;
	zone = gen_dns(&a);
	n = check_parse(zone, a.domain, &e);
	free(zone);
	for (i = 0; i < n; i++) {
		/* Several records of one name and type are asked once. */
		for (j = 0; j < i; j++) {
			if (e[j].type == e[i].type &&
			    strcasecmp(e[j].name, e[i].name) == 0)
				break;
		}
		if (j < i)
			continue;
		count = dns_query(e[i].name, e[i].type, resolver, &rrs,
		    &error);
		if (count < 0) {
			cause = check_error(error, resolver);
			fprintf(out, _("no answer %s %s: %s\n"), e[i].name,
			    dns_type_name(e[i].type), cause);
			free(cause);
			status = CHECK_NO_DNS;
			break;		/* the next ones would wait as long */
		}
		for (j = i; j < n; j++) {
			if (e[j].type != e[i].type ||
			    strcasecmp(e[j].name, e[i].name) != 0)
				continue;
			found = other = 0;
			for (k = 0; k < count; k++) {
				if (rrs[k].type == e[j].type &&
				    check_match(e[j].type, e[j].data,
				    rrs[k].data))
					found = 1;
				else if (rrs[k].type == e[j].type ||
				    rrs[k].type == DNS_CNAME)
					other = k + 1;
			}
			if (found) {
				fprintf(out, _("ok       %s %s %s\n"),
				    e[j].name, dns_type_name(e[j].type),
				    e[j].data);
				continue;
			}
			bad = 1;
			if (other)
				fprintf(out, _("wrong    %s %s: found %s %s\n"),
				    e[j].name, dns_type_name(e[j].type),
				    dns_type_name(rrs[other - 1].type),
				    rrs[other - 1].data);
			else
				fprintf(out, _("missing  %s %s\n"), e[j].name,
				    dns_type_name(e[j].type));
			if (strcmp(e[j].data, CHECK_ANY_V4) == 0)
				fprintf(out, "%s", _("         fix: add an A "
				    "record with the server's public IPv4 "
				    "address\n"));
			else if (strstr(e[j].data, "mailto:" CHECK_ANY_MAIL) !=
			    NULL)
				fprintf(out, "%s", _("         fix: add a CAA "
				    "iodef record with the admin's e-mail "
				    "address\n"));
			else
				fprintf(out, _("         fix: %s\n"),
				    e[j].line);
		}
		dns_rrs_free(rrs, count);
	}
	for (i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].data);
		free(e[i].line);
	}
	free(e);
	if (status == CHECK_NO_DNS)
		return CHECK_NO_DNS;
	return bad ? CHECK_PROBLEMS : CHECK_OK;
}
