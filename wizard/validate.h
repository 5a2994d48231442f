/*
 * validate.h - checks for what the wizard is told: domain names (IDN to
 * punycode), IP addresses, e-mail addresses, JIDs, sizes, ports, paths.
 *
 * Every validator is a pure function of its input: nothing is looked up
 * on the network.  Each returns 0, with the canonical form of the value in
 * *OUT where it has one (caller frees), or -1 with *cause set to one line
 * naming the problem (caller frees); *OUT is untouched on failure.
 */
#ifndef XMPP_SETUP_VALIDATE_H
#define XMPP_SETUP_VALIDATE_H

/* Largest upload limit accepted: 4 GiB. */
#define VALIDATE_SIZE_MAX	(4ULL << 30)

/*
 * A fully qualified domain name: IDN labels are converted to punycode
 * (UTS #46, non-transitional), the result is lower case, one trailing dot
 * is dropped; labels of 1-63 letters, digits and inner hyphens, at least
 * two labels, at most 253 characters, not an IP address.  *ASCII gets the
 * ASCII form.
 */
int	 validate_domain(const char *input, char **ascii, char **cause);

/*
 * An IPv4 address in dotted-quad form.  PUBLIC set: an address reachable
 * from the Internet (not private, loopback, link-local, shared CGNAT,
 * multicast, reserved or "this network").  PUBLIC clear: a private
 * (RFC 1918) or shared (RFC 6598) address, as behind NAT.
 */
int	 validate_ipv4(const char *s, int public, char **out, char **cause);
/*
 * A public IPv6 address (not ::, loopback, link-local, unique local,
 * multicast or IPv4-mapped).  *OUT gets the RFC 5952 form.
 */
int	 validate_ipv6(const char *s, char **out, char **cause);
/* local@domain, the domain checked as above; *OUT has the ASCII domain. */
int	 validate_email(const char *s, char **out, char **cause);
/* A bare JID local@domain (no resource); *OUT has the ASCII domain. */
int	 validate_jid(const char *s, char **out, char **cause);
/*
 * A size: bytes, or a number followed by K, M or G (binary multiples,
 * case does not matter), from 1 byte to MAX.
 */
int	 validate_size(const char *s, unsigned long long max,
	     unsigned long long *out, char **cause);
/* SIZE as validate_size() reads it, in the largest exact unit ("10M"). */
char	*validate_size_format(unsigned long long size);
/* A TCP/UDP port, 1-65535. */
int	 validate_port(const char *s, int *out, char **cause);
/*
 * A DNS server to ask (check --resolver): IPV4, IPV4:PORT, IPV6, [IPV6]
 * or [IPV6]:PORT, the port as validate_port() takes it.
 */
int	 validate_resolver(const char *s, char **cause);
/*
 * An absolute path usable unquoted in the generated files: starts with
 * '/', no white space, control characters or quotes.
 */
int	 validate_abs_path(const char *s, char **cause);
/* yes/no (also true/false, on/off, 1/0). */
int	 validate_yesno(const char *s, int *out, char **cause);
/* A TURN secret: 64 hexadecimal digits; *OUT is lower case. */
int	 validate_secret(const char *s, char **out, char **cause);

#endif
