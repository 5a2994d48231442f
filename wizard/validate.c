/*
 * validate.c - checks for what the wizard is told (see validate.h).
 *
 * The messages are what the user reads, one line each, so every one says
 * what is wrong with the value and, where it helps, what to give instead.
 * Nothing here touches the network: an address is judged by its range, a
 * domain by its syntax.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/i18n.h"
#include "wizard/validate.h"

#define DOMAIN_MAX	253
#define LABEL_MAX	63
#define EMAIL_LOCAL_MAX	64
#define JID_LOCAL_MAX	1023
#define PATH_LEN_MAX	4095

/* An IPv4 range and what an address in it is. */
struct v4_range {
	uint32_t	 net;
	int		 bits;
	const char	*what;
	int		 nat;		/* usable as the address behind NAT */
};

static const struct v4_range v4_ranges[] = {
	{ 0x00000000, 8, N_("a \"this network\" address (0.0.0.0/8)"), 0 },
	{ 0x0a000000, 8, N_("a private address (10.0.0.0/8)"), 1 },
	{ 0x64400000, 10,
	    N_("a shared carrier-grade NAT address (100.64.0.0/10)"), 1 },
	{ 0x7f000000, 8, N_("a loopback address (127.0.0.0/8)"), 0 },
	{ 0xa9fe0000, 16, N_("a link-local address (169.254.0.0/16)"), 0 },
	{ 0xac100000, 12, N_("a private address (172.16.0.0/12)"), 1 },
	{ 0xc0a80000, 16, N_("a private address (192.168.0.0/16)"), 1 },
	{ 0xe0000000, 4, N_("a multicast address (224.0.0.0/4)"), 0 },
	{ 0xf0000000, 4, N_("a reserved address (240.0.0.0/4)"), 0 },
};

/*
 * RC, with any control character in *CAUSE (it may quote what was typed)
 * shown as '?', so that the cause stays on one line.
 */
static int
one_line(int rc, char **cause)
{
	char	*p;

	if (rc == 0)
		return 0;
	for (p = *cause; *p != '\0'; p++) {
		if (iscntrl((unsigned char)*p))
			*p = '?';
	}
	return rc;
}

/* Does S hold a byte that is white space or a control character? */
static int
has_space(const char *s)
{
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s))
			return 1;
	}
	return 0;
}

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return 0;
	}
	return 1;
}

/*
 * What libidn2's error RC means, in the user's language (idn2_strerror()
 * is English only).
 */
static const char *
idn_problem(int rc)
{
	switch (rc) {
	case IDN2_ENCODING_ERROR:
	case IDN2_NFC:
	case IDN2_NOT_NFC:
		return _("it is not valid UTF-8 text");
	case IDN2_TOO_BIG_DOMAIN:
	case IDN2_TOO_BIG_LABEL:
	case IDN2_PUNYCODE_BIG_OUTPUT:
		return _("it is too long once converted to ASCII");
	case IDN2_HYPHEN_STARTEND:
	case IDN2_2HYPHEN:
		return _("a label starts or ends with a hyphen, or has two "
		    "in its third and fourth places");
	case IDN2_LEADING_COMBINING:
		return _("a label starts with a combining mark");
	case IDN2_DISALLOWED:
		return _("it contains a character that domain names cannot "
		    "have");
	case IDN2_CONTEXTJ:
	case IDN2_CONTEXTJ_NO_RULE:
	case IDN2_CONTEXTO:
	case IDN2_CONTEXTO_NO_RULE:
		return _("it contains a character that is not allowed where "
		    "it is");
	case IDN2_UNASSIGNED:
		return _("it contains a character that Unicode has not "
		    "assigned");
	case IDN2_BIDI:
		return _("it mixes right-to-left and left-to-right text in "
		    "a way domain names cannot");
	default:
		return _("it cannot be converted to ASCII (punycode)");
	}
}

/* Check the labels of the ASCII domain NAME (INPUT is for messages). */
static int
check_labels(const char *input, const char *name, char **cause)
{
	const char	*label = name, *end, *p;
	size_t		 len;
	int		 digits;

	if (strlen(name) > DOMAIN_MAX) {
		*cause = xasprintf(_("'%s' is longer than %d characters"),
		    input, DOMAIN_MAX);
		return -1;
	}
	if (strchr(name, '.') == NULL) {
		*cause = xasprintf(_("'%s' has no dot; give the full domain "
		    "name, e.g. example.org"), input);
		return -1;
	}
	for (;;) {
		end = strchr(label, '.');
		len = end != NULL ? (size_t)(end - label) : strlen(label);
		if (len == 0) {
			*cause = xasprintf(_("'%s' has an empty label (two "
			    "dots in a row, or a dot at the start)"), input);
			return -1;
		}
		if (len > LABEL_MAX) {
			*cause = xasprintf(_("'%s': the label '%.*s' is longer "
			    "than %d characters"), input, (int)len, label,
			    LABEL_MAX);
			return -1;
		}
		digits = 1;
		for (p = label; p < label + len; p++) {
			if (!isalnum((unsigned char)*p) && *p != '-') {
				*cause = xasprintf(_("'%s': '%c' is not "
				    "allowed in a domain name (only letters, "
				    "digits and hyphens)"), input, *p);
				return -1;
			}
			if (!isdigit((unsigned char)*p))
				digits = 0;
		}
		if (label[0] == '-' || label[len - 1] == '-') {
			*cause = xasprintf(label[0] == '-' ?
			    _("'%s': the label '%.*s' starts with a hyphen") :
			    _("'%s': the label '%.*s' ends with a hyphen"),
			    input, (int)len, label);
			return -1;
		}
		if (end == NULL)
			break;
		label = end + 1;
	}
	if (digits) {
		*cause = xasprintf(_("'%s' ends in a number: it looks like an "
		    "IP address, not a domain name"), input);
		return -1;
	}
	return 0;
}

static int
check_domain(const char *input, char **ascii, char **cause)
{
	unsigned char	 buf[sizeof(struct in6_addr)];
	char		*name, *idn;
	size_t		 len;
	int		 rc;

	if (*input == '\0') {
		*cause = xstrdup(_("the domain name is empty"));
		return -1;
	}
	if (has_space(input)) {
		*cause = xasprintf(_("'%s': a domain name cannot contain "
		    "spaces or control characters"), input);
		return -1;
	}
	if (inet_pton(AF_INET, input, buf) == 1 ||
	    inet_pton(AF_INET6, input, buf) == 1) {
		*cause = xasprintf(_("'%s' is an IP address, not a domain "
		    "name"), input);
		return -1;
	}

	name = xstrdup(input);
	len = strlen(name);
	if (len > 1 && name[len - 1] == '.')
		name[len - 1] = '\0';	/* example.org. */
	if (!is_ascii(name)) {
		rc = idn2_to_ascii_8z(name, &idn,
		    IDN2_NFC_INPUT|IDN2_NONTRANSITIONAL);
		free(name);
		if (rc != IDN2_OK) {
			*cause = xasprintf(_("'%s' is not a valid "
			    "international domain name: %s"), input,
			    idn_problem(rc));
			return -1;
		}
		name = xstrdup(idn);
		idn2_free(idn);
	} else {
		idn = name;
		name = str_lower(idn);
		free(idn);
	}
	if (check_labels(input, name, cause) != 0) {
		free(name);
		return -1;
	}
	*ascii = name;
	return 0;
}

static int
check_ipv4(const char *s, int public, char **out, char **cause)
{
	struct in_addr		 in;
	struct in6_addr		 in6;
	const struct v4_range	*r;
	uint32_t		 a, mask;
	size_t			 i;
	char			 text[INET_ADDRSTRLEN];

	if (inet_pton(AF_INET, s, &in) != 1) {
		if (inet_pton(AF_INET6, s, &in6) == 1)
			*cause = xasprintf(_("'%s' is an IPv6 address, not an "
			    "IPv4 one"), s);
		else
			*cause = xasprintf(_("'%s' is not an IPv4 address "
			    "(four numbers 0-255, e.g. 203.0.113.10)"), s);
		return -1;
	}
	a = ntohl(in.s_addr);
	r = NULL;
	for (i = 0; i < sizeof v4_ranges / sizeof v4_ranges[0]; i++) {
		mask = 0xffffffffU << (32 - v4_ranges[i].bits);
		if ((a & mask) == v4_ranges[i].net) {
			r = &v4_ranges[i];
			break;
		}
	}
	if (public && r != NULL) {
		*cause = xasprintf(r->nat ? _("%s is %s, not a public one; "
		    "give the public address, and this one as the private "
		    "address behind NAT") : _("%s is %s, not a public one"), s,
		    _(r->what));
		return -1;
	}
	if (!public && (r == NULL || !r->nat)) {
		*cause = xasprintf(_("%s is not a private address (10.0.0.0/8, "
		    "172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)"), s);
		return -1;
	}
	if (inet_ntop(AF_INET, &in, text, sizeof text) == NULL)
		*out = xstrdup(s);
	else
		*out = xstrdup(text);
	return 0;
}

static int
check_ipv6(const char *s, char **out, char **cause)
{
	static const unsigned char	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0xff, 0xff };
	struct in6_addr			 in6;
	struct in_addr			 in;
	const unsigned char		*b = in6.s6_addr;
	const char			*what = NULL;
	char				 text[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, s, &in6) != 1) {
		if (inet_pton(AF_INET, s, &in) == 1)
			*cause = xasprintf(_("'%s' is an IPv4 address, not an "
			    "IPv6 one"), s);
		else
			*cause = xasprintf(_("'%s' is not an IPv6 address "
			    "(e.g. 2001:db8::10)"), s);
		return -1;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&in6))
		what = N_("the unspecified address (::)");
	else if (IN6_IS_ADDR_LOOPBACK(&in6))
		what = N_("the loopback address (::1)");
	else if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		what = N_("a link-local address (fe80::/10)");
	else if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
		what = N_("a site-local address (fec0::/10)");
	else if ((b[0] & 0xfe) == 0xfc)
		what = N_("a unique local address (fc00::/7)");
	else if (b[0] == 0xff)
		what = N_("a multicast address (ff00::/8)");
	else if (memcmp(b, mapped, sizeof mapped) == 0)
		what = N_("an IPv4-mapped address (::ffff:0:0/96)");
	if (what != NULL) {
		*cause = xasprintf(_("%s is %s, not a public IPv6 address"), s,
		    _(what));
		return -1;
	}
	if (inet_ntop(AF_INET6, &in6, text, sizeof text) == NULL)
		*out = xstrdup(s);
	else
		*out = xstrdup(text);
	return 0;
}

/* Split S at its last '@' into a local part and a domain. */
static int
split_at(const char *s, int email, char **local, const char **domain,
    char **cause)
{
	const char	*at;

	if (*s == '\0') {
		*cause = xstrdup(email ? _("the e-mail address is empty") :
		    _("the JID is empty"));
		return -1;
	}
	if (has_space(s)) {
		*cause = xasprintf(email ? _("'%s': an e-mail address cannot "
		    "contain spaces or control characters") : _("'%s': a JID "
		    "cannot contain spaces or control characters"), s);
		return -1;
	}
	if ((at = strrchr(s, '@')) == NULL || at == s || at[1] == '\0') {
		*cause = xasprintf(email ? _("'%s' is not an e-mail address "
		    "(expected name@example.org)") : _("'%s' is not a JID "
		    "(expected name@example.org)"), s);
		return -1;
	}
	*local = xstrndup(s, at - s);
	*domain = at + 1;
	return 0;
}

/*
 * The end of an e-mail or JID check: validate the domain DPART of S and
 * give LOCAL@DOMAIN in *OUT.  Takes ownership of LOCAL.
 */
static int
join_domain(const char *s, char *local, const char *dpart, char **out,
    char **cause)
{
	char	*domain, *dcause;

	if (validate_domain(dpart, &domain, &dcause) != 0) {
		*cause = xasprintf("'%s': %s", s, dcause);
		free(dcause);
		free(local);
		return -1;
	}
	*out = xasprintf("%s@%s", local, domain);
	free(domain);
	free(local);
	return 0;
}

static int
check_email(const char *s, char **out, char **cause)
{
	static const char	 special[] = "!#$%&'*+-/=?^_`{|}~.";
	char			*local;
	const char		*dpart, *p;
	size_t			 len;

	if (split_at(s, 1, &local, &dpart, cause) != 0)
		return -1;
	len = strlen(local);
	if (len > EMAIL_LOCAL_MAX) {
		*cause = xasprintf(_("'%s': the part before @ is longer than "
		    "%d characters"), s, EMAIL_LOCAL_MAX);
		goto fail;
	}
	for (p = local; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) &&
		    (unsigned char)*p < 0x80 && strchr(special, *p) == NULL) {
			*cause = xasprintf(_("'%s': '%c' is not allowed before "
			    "the @ of an e-mail address"), s, *p);
			goto fail;
		}
	}
	if (local[0] == '.' || local[len - 1] == '.' ||
	    strstr(local, "..") != NULL) {
		*cause = xasprintf(_("'%s': the part before @ cannot start or "
		    "end with a dot or have two in a row"), s);
		goto fail;
	}
	return join_domain(s, local, dpart, out, cause);

fail:
	free(local);
	return -1;
}

static int
check_jid(const char *s, char **out, char **cause)
{
	static const char	 forbidden[] = "\"&'/:<>@";
	char			*local, *p;
	const char		*dpart;

	if (strchr(s, '/') != NULL) {
		*cause = xasprintf(_("'%s': give the bare JID (name@domain), "
		    "without a /resource"), s);
		return -1;
	}
	if (split_at(s, 0, &local, &dpart, cause) != 0)
		return -1;
	if (strlen(local) > JID_LOCAL_MAX) {
		*cause = xasprintf(_("'%s': the part before @ is longer than "
		    "%d bytes"), s, JID_LOCAL_MAX);
		goto fail;
	}
	for (p = local; *p != '\0'; p++) {
		if (strchr(forbidden, *p) != NULL) {
			*cause = xasprintf(_("'%s': '%c' is not allowed before "
			    "the @ of a JID"), s, *p);
			goto fail;
		}
		if ((unsigned char)*p < 0x80)
			*p = tolower((unsigned char)*p);
	}
	return join_domain(s, local, dpart, out, cause);

fail:
	free(local);
	return -1;
}

static int
check_size(const char *s, unsigned long long max, unsigned long long *out,
    char **cause)
{
	unsigned long long	 n = 0, unit = 1;
	const char		*p = s;
	char			*maxtext;

	if (!isdigit((unsigned char)*p))
		goto bad;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > (~0ULL - 9) / 10)
			goto big;
		n = n * 10 + (*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k': case 'K':
		unit = 1ULL << 10;
		p++;
		break;
	case 'm': case 'M':
		unit = 1ULL << 20;
		p++;
		break;
	case 'g': case 'G':
		unit = 1ULL << 30;
		p++;
		break;
	default:
		goto bad;
	}
	if (*p != '\0')
		goto bad;
	if (n == 0) {
		*cause = xasprintf(_("'%s': the size must be at least 1 "
		    "byte"), s);
		return -1;
	}
	if (n > max / unit || n * unit > max)
		goto big;
	*out = n * unit;
	return 0;

bad:
	*cause = xasprintf(_("'%s' is not a size (a number of bytes, or a "
	    "number with K, M or G, e.g. 512K, 10M, 1G)"), s);
	return -1;
big:
	maxtext = validate_size_format(max);
	*cause = xasprintf(_("'%s' is more than the largest size allowed, %s"),
	    s, maxtext);
	free(maxtext);
	return -1;
}

char *
validate_size_format(unsigned long long size)
{
	static const char	 units[] = "GMK";
	int			 i, shift;

	for (i = 0; units[i] != '\0'; i++) {
		shift = 30 - 10 * i;
		if (size != 0 && size % (1ULL << shift) == 0)
			return xasprintf("%llu%c", size >> shift, units[i]);
	}
	return xasprintf("%llu", size);
}

static int
check_port(const char *s, int *out, char **cause)
{
	const char	*p;
	long		 n = 0;

	if (*s == '\0')
		goto bad;
	for (p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) || p - s >= 5)
			goto bad;
		n = n * 10 + (*p - '0');
	}
	if (n < 1 || n > 65535)
		goto bad;
	*out = (int)n;
	return 0;

bad:
	*cause = xasprintf(_("'%s' is not a port number (1-65535)"), s);
	return -1;
}

static int
check_resolver(const char *s, char **cause)
{
	struct in_addr	 in;
	struct in6_addr	 in6;
	char		*addr = xstrdup(s), *end, *port = NULL;
	int		 n, rc = -1;

	if (*addr == '[') {
		if ((end = strchr(addr, ']')) == NULL ||
		    (end[1] != ':' && end[1] != '\0')) {
			*cause = xasprintf(_("'%s' is not [IPV6] or "
			    "[IPV6]:PORT"), s);
			goto out;
		}
		if (end[1] == ':')
			port = end + 2;
		*end = '\0';
		if (inet_pton(AF_INET6, addr + 1, &in6) != 1) {
			*cause = xasprintf(_("'%s' is not an IPv6 address"),
			    addr + 1);
			goto out;
		}
	} else if (inet_pton(AF_INET6, addr, &in6) != 1) {
		if ((end = strchr(addr, ':')) != NULL) {
			*end = '\0';
			port = end + 1;
		}
		if (inet_pton(AF_INET, addr, &in) != 1) {
			*cause = xasprintf(_("'%s' is not an IPv4 or IPv6 "
			    "address (IPV4[:PORT], IPV6 or [IPV6]:PORT)"), s);
			goto out;
		}
	}
	if (port == NULL || check_port(port, &n, cause) == 0)
		rc = 0;
out:
	free(addr);
	return rc;
}

static int
check_abs_path(const char *s, char **cause)
{
	const char	*p;

	if (*s == '\0') {
		*cause = xstrdup(_("the path is empty"));
		return -1;
	}
	if (*s != '/') {
		*cause = xasprintf(_("'%s' is not an absolute path (it must "
		    "start with /)"), s);
		return -1;
	}
	if (strlen(s) > PATH_LEN_MAX) {
		*cause = xasprintf(_("the path is longer than %d characters"),
		    PATH_LEN_MAX);
		return -1;
	}
	for (p = s; *p != '\0'; p++) {
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
			*cause = xasprintf(_("'%s': paths with spaces or "
			    "control characters are not supported"), s);
			return -1;
		}
		if (strchr("\"'`$\\;", *p) != NULL) {
			*cause = xasprintf(_("'%s': '%c' is not supported in a "
			    "path"), s, *p);
			return -1;
		}
	}
	return 0;
}

static int
check_yesno(const char *s, int *out, char **cause)
{
	static const char	*yes[] = { "yes", "y", "true", "on", "1" };
	static const char	*no[] = { "no", "n", "false", "off", "0" };
	size_t			 i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	*cause = xasprintf(_("'%s' is not yes or no"), s);
	return -1;
}

static int
check_secret(const char *s, char **out, char **cause)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!isxdigit((unsigned char)s[i]))
			break;
	}
	if (s[i] != '\0' || i != 64) {
		*cause = xstrdup(_("the TURN secret must be 64 hexadecimal "
		    "digits (256 bits)"));
		return -1;
	}
	*out = str_lower(s);
	return 0;
}

/* The public validators: the checks above, each cause on one line. */
int
validate_domain(const char *input, char **ascii, char **cause)
{
	return one_line(check_domain(input, ascii, cause), cause);
}

int
validate_ipv4(const char *s, int public, char **out, char **cause)
{
	return one_line(check_ipv4(s, public, out, cause), cause);
}

int
validate_ipv6(const char *s, char **out, char **cause)
{
	return one_line(check_ipv6(s, out, cause), cause);
}

int
validate_email(const char *s, char **out, char **cause)
{
	return one_line(check_email(s, out, cause), cause);
}

int
validate_jid(const char *s, char **out, char **cause)
{
	return one_line(check_jid(s, out, cause), cause);
}

int
validate_size(const char *s, unsigned long long max, unsigned long long *out,
    char **cause)
{
	return one_line(check_size(s, max, out, cause), cause);
}

int
validate_port(const char *s, int *out, char **cause)
{
	return one_line(check_port(s, out, cause), cause);
}

int
validate_resolver(const char *s, char **cause)
{
	return one_line(check_resolver(s, cause), cause);
}

int
validate_abs_path(const char *s, char **cause)
{
	return one_line(check_abs_path(s, cause), cause);
}

int
validate_yesno(const char *s, int *out, char **cause)
{
	return one_line(check_yesno(s, out, cause), cause);
}

int
validate_secret(const char *s, char **out, char **cause)
{
	return one_line(check_secret(s, out, cause), cause);
}
