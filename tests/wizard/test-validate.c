/*
 * test-validate.c - unit tests for wizard/validate.c.
 *
 * Each validator is checked for the canonical form it returns and for a
 * one-line reason naming the problem (no '\n' in any cause).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wizard/validate.h"

/* CAUSE is one line containing WANT; frees it. */
static void
assert_cause(char *cause, const char *want)
{
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, want);
	assert_null(strchr(cause, '\n'));
	free(cause);
}

static void
domain_ok(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	if (validate_domain(in, &out, &cause) != 0)
		fail_msg("'%s' refused: %s", in, cause);
	assert_string_equal(out, want);
	free(out);
}

static void
domain_bad(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	assert_int_equal(validate_domain(in, &out, &cause), -1);
	assert_null(out);
	assert_cause(cause, want);
}

static void
validate_domain__accepts__ascii_lowercased(void **state)
{
	domain_ok("example.org", "example.org");
	domain_ok("XMPP.Example.ORG", "xmpp.example.org");
	domain_ok("example.org.", "example.org");
	domain_ok("a-b.c1.example", "a-b.c1.example");
	domain_ok("xn--bcher-kva.example", "xn--bcher-kva.example");
}

static void
validate_domain__converts__idn_to_punycode(void **state)
{
	domain_ok("bücher.example", "xn--bcher-kva.example");
	domain_ok("Bücher.Example", "xn--bcher-kva.example");
	domain_ok("szép.hu", "xn--szp-cma.hu");
	/* Non-transitional: ß stays (not "ss"). */
	domain_ok("faß.de", "xn--fa-hia.de");
}

static void
validate_domain__refuses__bad_labels(void **state)
{
	domain_bad("", "empty");
	domain_bad("example", "no dot");
	domain_bad("-foo.example", "starts with a hyphen");
	domain_bad("foo-.example", "ends with a hyphen");
	domain_bad("foo..example", "empty label");
	domain_bad(".example.org", "empty label");
	domain_bad("foo_bar.example", "'_' is not allowed");
	domain_bad("exa mple.org", "spaces");
	domain_bad("example.org\n", "spaces");
	domain_bad("example.123", "looks like an IP address");
}

static void
validate_domain__refuses__too_long(void **state)
{
	char	label[70], name[300];

	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(name, sizeof name, "%s.example", label);
	domain_bad(name, "longer than 63");
	label[63] = '\0';
	snprintf(name, sizeof name, "%s.example", label);
	domain_ok(name, name);

	/* 4 labels of 63 + 3 dots = 255 > 253 */
	snprintf(name, sizeof name, "%s.%s.%s.%s", label, label, label, label);
	domain_bad(name, "longer than 253");
}

static void
validate_domain__refuses__ip_addresses(void **state)
{
	domain_bad("203.0.113.10", "is an IP address");
	domain_bad("2001:db8::1", "is an IP address");
}

static void
validate_domain__refuses__invalid_idn(void **state)
{
	/* A label starting with a combining mark is invalid IDNA. */
	domain_bad("\xcc\x81x.example", "international domain name: a label "
	    "starts with a combining mark");
	/* The reasons are ours (translated), not libidn2's English. */
	domain_bad("b\xc3\xbc\xe2\x98\x83" "cher.example", "not a valid "
	    "international domain name: it contains a character that domain "
	    "names cannot have");
}

static void
ipv4_ok(const char *in, int public, const char *want)
{
	char	*out = NULL, *cause = NULL;

	if (validate_ipv4(in, public, &out, &cause) != 0)
		fail_msg("'%s' refused: %s", in, cause);
	assert_string_equal(out, want);
	free(out);
}

static void
ipv4_bad(const char *in, int public, const char *want)
{
	char	*out = NULL, *cause = NULL;

	assert_int_equal(validate_ipv4(in, public, &out, &cause), -1);
	assert_null(out);
	assert_cause(cause, want);
}

static void
validate_ipv4__accepts__public(void **state)
{
	ipv4_ok("203.0.113.10", 1, "203.0.113.10");
	ipv4_ok("8.8.8.8", 1, "8.8.8.8");
	ipv4_ok("100.63.255.255", 1, "100.63.255.255");
	ipv4_ok("172.32.0.1", 1, "172.32.0.1");
}

static void
validate_ipv4__refuses__syntax(void **state)
{
	ipv4_bad("", 1, "not an IPv4 address");
	ipv4_bad("1.2.3", 1, "not an IPv4 address");
	ipv4_bad("256.1.1.1", 1, "not an IPv4 address");
	ipv4_bad("1.2.3.4 ", 1, "not an IPv4 address");
	ipv4_bad("example.org", 1, "not an IPv4 address");
	ipv4_bad("2001:db8::1", 1, "is an IPv6 address");
}

static void
validate_ipv4__refuses__each_special_range_as_public(void **state)
{
	ipv4_bad("0.0.0.0", 1, "this network");
	ipv4_bad("10.1.2.3", 1, "private address (10.0.0.0/8)");
	ipv4_bad("172.16.0.1", 1, "private address (172.16.0.0/12)");
	ipv4_bad("172.31.255.254", 1, "private address (172.16.0.0/12)");
	ipv4_bad("192.168.1.10", 1, "private address (192.168.0.0/16)");
	ipv4_bad("127.0.0.1", 1, "loopback");
	ipv4_bad("169.254.1.1", 1, "link-local");
	ipv4_bad("100.64.0.1", 1, "carrier-grade NAT");
	ipv4_bad("224.0.0.1", 1, "multicast");
	ipv4_bad("239.255.255.250", 1, "multicast");
	ipv4_bad("240.0.0.1", 1, "reserved");
	ipv4_bad("255.255.255.255", 1, "reserved");
	/* The private ones hint at the NAT question. */
	ipv4_bad("192.168.1.10", 1, "behind NAT");
}

static void
validate_ipv4__private_must_be_private(void **state)
{
	ipv4_ok("10.0.0.5", 0, "10.0.0.5");
	ipv4_ok("172.20.1.1", 0, "172.20.1.1");
	ipv4_ok("192.168.1.10", 0, "192.168.1.10");
	ipv4_ok("100.64.1.1", 0, "100.64.1.1");
	ipv4_bad("203.0.113.10", 0, "not a private address");
	ipv4_bad("127.0.0.1", 0, "not a private address");
	ipv4_bad("169.254.1.1", 0, "not a private address");
}

static void
ipv6_ok(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	if (validate_ipv6(in, &out, &cause) != 0)
		fail_msg("'%s' refused: %s", in, cause);
	assert_string_equal(out, want);
	free(out);
}

static void
ipv6_bad(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	assert_int_equal(validate_ipv6(in, &out, &cause), -1);
	assert_null(out);
	assert_cause(cause, want);
}

static void
validate_ipv6__accepts__public_canonically(void **state)
{
	ipv6_ok("2001:db8::10", "2001:db8::10");
	ipv6_ok("2001:0DB8:0000:0000:0000:0000:0000:0010", "2001:db8::10");
	ipv6_ok("2a01:4f8::1", "2a01:4f8::1");
}

static void
validate_ipv6__refuses__special_and_bad(void **state)
{
	ipv6_bad("::", "unspecified");
	ipv6_bad("::1", "loopback");
	ipv6_bad("fe80::1", "link-local");
	ipv6_bad("febf::1", "link-local");
	ipv6_bad("fc00::1", "unique local");
	ipv6_bad("fd12:3456::1", "unique local");
	ipv6_bad("ff02::1", "multicast");
	ipv6_bad("::ffff:203.0.113.10", "IPv4-mapped");
	ipv6_bad("203.0.113.10", "is an IPv4 address");
	ipv6_bad("2001:db8::g", "not an IPv6 address");
	ipv6_bad("fe80::1%eth0", "not an IPv6 address");
	ipv6_bad("", "not an IPv6 address");
}

static void
email_ok(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	if (validate_email(in, &out, &cause) != 0)
		fail_msg("'%s' refused: %s", in, cause);
	assert_string_equal(out, want);
	free(out);
}

static void
email_bad(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	assert_int_equal(validate_email(in, &out, &cause), -1);
	assert_null(out);
	assert_cause(cause, want);
}

static void
validate_email__accepts__addresses(void **state)
{
	email_ok("me@example.org", "me@example.org");
	email_ok("First.Last+xmpp@Example.ORG", "First.Last+xmpp@example.org");
	email_ok("kati@bücher.example", "kati@xn--bcher-kva.example");
}

static void
validate_email__refuses__bad(void **state)
{
	email_bad("", "empty");
	email_bad("me", "not an e-mail address");
	email_bad("@example.org", "not an e-mail address");
	email_bad("me@", "not an e-mail address");
	email_bad("me @example.org", "spaces");
	email_bad("me@example", "no dot");
	email_bad("me@-x.example", "hyphen");
	email_bad("a,b@example.org", "',' is not allowed");
	email_bad(".me@example.org", "dot");
	email_bad("a..b@example.org", "dot");
}

static void
jid_ok(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	if (validate_jid(in, &out, &cause) != 0)
		fail_msg("'%s' refused: %s", in, cause);
	assert_string_equal(out, want);
	free(out);
}

static void
jid_bad(const char *in, const char *want)
{
	char	*out = NULL, *cause = NULL;

	assert_int_equal(validate_jid(in, &out, &cause), -1);
	assert_null(out);
	assert_cause(cause, want);
}

static void
validate_jid__accepts__bare_jids(void **state)
{
	jid_ok("admin@example.org", "admin@example.org");
	jid_ok("Admin@EXAMPLE.org", "admin@example.org");
	jid_ok("admin@bücher.example", "admin@xn--bcher-kva.example");
}

static void
validate_jid__refuses__bad(void **state)
{
	jid_bad("admin", "not a JID");
	jid_bad("example.org", "not a JID");
	jid_bad("admin@example.org/phone", "without a /resource");
	jid_bad("ad min@example.org", "spaces");
	jid_bad("a<b@example.org", "'<' is not allowed");
	jid_bad("admin@localhost", "no dot");
}

static void
size_ok(const char *in, unsigned long long want)
{
	unsigned long long	 n = 0;
	char			*cause = NULL;

	if (validate_size(in, VALIDATE_SIZE_MAX, &n, &cause) != 0)
		fail_msg("'%s' refused: %s", in, cause);
	assert_true(n == want);
}

static void
size_bad(const char *in, const char *want)
{
	unsigned long long	 n = 7;
	char			*cause = NULL;

	assert_int_equal(validate_size(in, VALIDATE_SIZE_MAX, &n, &cause), -1);
	assert_true(n == 7);
	assert_cause(cause, want);
}

static void
validate_size__accepts__units(void **state)
{
	size_ok("1", 1);
	size_ok("1048576", 1048576);
	size_ok("512K", 512ULL << 10);
	size_ok("512k", 512ULL << 10);
	size_ok("10M", 10ULL << 20);
	size_ok("1G", 1ULL << 30);
	size_ok("4G", 4ULL << 30);
	size_ok("4096M", 4ULL << 30);
}

static void
validate_size__refuses__bad_and_too_big(void **state)
{
	size_bad("", "not a size");
	size_bad("M", "not a size");
	size_bad("10 M", "not a size");
	size_bad("10MB", "not a size");
	size_bad("-1", "not a size");
	size_bad("1.5G", "not a size");
	size_bad("0", "at least 1 byte");
	size_bad("5G", "largest size allowed, 4G");
	size_bad("4294967297", "largest size");
	size_bad("99999999999999999999999", "largest size");
	size_bad("18014398509481984K", "largest size");
}

static void
validate_size_format__uses__largest_exact_unit(void **state)
{
	static const struct {
		unsigned long long	 n;
		const char		*s;
	} cases[] = {
		{ 10ULL << 20, "10M" }, { 1ULL << 30, "1G" },
		{ 4ULL << 30, "4G" }, { 512ULL << 10, "512K" },
		{ 1536ULL << 20, "1536M" }, { 1000, "1000" }, { 1, "1" },
	};
	unsigned long long	 back;
	char			*s, *cause;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = validate_size_format(cases[i].n);
		assert_string_equal(s, cases[i].s);
		assert_int_equal(validate_size(s, VALIDATE_SIZE_MAX, &back,
		    &cause), 0);
		assert_true(back == cases[i].n);
		free(s);
	}
}

static void
validate_port__accepts_and_refuses(void **state)
{
	int	 port = 0;
	char	*cause = NULL;

	assert_int_equal(validate_port("5222", &port, &cause), 0);
	assert_int_equal(port, 5222);
	assert_int_equal(validate_port("1", &port, &cause), 0);
	assert_int_equal(port, 1);
	assert_int_equal(validate_port("65535", &port, &cause), 0);
	assert_int_equal(port, 65535);
	assert_int_equal(validate_port("0", &port, &cause), -1);
	assert_cause(cause, "not a port number (1-65535)");
	assert_int_equal(validate_port("65536", &port, &cause), -1);
	assert_cause(cause, "not a port number");
	assert_int_equal(validate_port("005222", &port, &cause), -1);
	assert_cause(cause, "not a port number");
	assert_int_equal(validate_port("", &port, &cause), -1);
	assert_cause(cause, "not a port number");
	assert_int_equal(validate_port("22a", &port, &cause), -1);
	assert_cause(cause, "not a port number");
	assert_int_equal(validate_port("-1", &port, &cause), -1);
	assert_cause(cause, "not a port number");
	assert_int_equal(port, 65535);
}

static void
validate_resolver__accepts_and_refuses(void **state)
{
	static const char *const good[] = {
		"127.0.0.1", "127.0.0.1:53", "192.0.2.1:5353", "::1",
		"2001:db8::53", "[::1]", "[::1]:5353", "[2001:db8::53]:53",
	};
	static const struct {
		const char	*in;
		const char	*want;
	} bad[] = {
		{ "999.1.1.1", "'999.1.1.1' is not an IPv4 or IPv6 address" },
		{ "bogus", "'bogus' is not an IPv4 or IPv6 address" },
		{ "127.0.0.1:53x", "'53x' is not a port number (1-65535)" },
		{ "127.0.0.1:0", "'0' is not a port number" },
		{ "127.0.0.1:65536", "'65536' is not a port number" },
		{ "127.0.0.1:", "'' is not a port number" },
		{ "[::1]:", "'' is not a port number" },
		{ "[::1]53", "'[::1]53' is not [IPV6] or [IPV6]:PORT" },
		{ "[::1", "is not [IPV6] or [IPV6]:PORT" },
		{ "[127.0.0.1]:53", "'127.0.0.1' is not an IPv6 address" },
		{ "::1:53x", "'::1:53x' is not an IPv4 or IPv6 address" },
		{ "999.1.1.1:53", "'999.1.1.1:53' is not an IPv4 or IPv6" },
		{ "", "'' is not an IPv4 or IPv6 address" },
	};
	char	*cause;
	size_t	 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		cause = NULL;
		if (validate_resolver(good[i], &cause) != 0)
			fail_msg("%s refused: %s", good[i], cause);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (validate_resolver(bad[i].in, &cause) != -1)
			fail_msg("%s accepted", bad[i].in);
		assert_cause(cause, bad[i].want);
	}
}

static void
validate_abs_path__accepts_and_refuses(void **state)
{
	char	*cause = NULL;

	assert_int_equal(validate_abs_path("/etc/ssl/example.pem", &cause), 0);
	assert_int_equal(validate_abs_path("/", &cause), 0);
	assert_int_equal(validate_abs_path("", &cause), -1);
	assert_cause(cause, "empty");
	assert_int_equal(validate_abs_path("etc/key.pem", &cause), -1);
	assert_cause(cause, "not an absolute path");
	assert_int_equal(validate_abs_path("/my certs/a.pem", &cause), -1);
	assert_cause(cause, "spaces");
	assert_int_equal(validate_abs_path("/a/$HOME", &cause), -1);
	assert_cause(cause, "'$' is not supported");
	assert_int_equal(validate_abs_path("/a/\"b\"", &cause), -1);
	assert_cause(cause, "'\"' is not supported");
}

static void
validate_yesno__and_secret(void **state)
{
	int	 v = 5;
	char	*cause = NULL, *out = NULL;

	assert_int_equal(validate_yesno("Yes", &v, &cause), 0);
	assert_int_equal(v, 1);
	assert_int_equal(validate_yesno("off", &v, &cause), 0);
	assert_int_equal(v, 0);
	assert_int_equal(validate_yesno("maybe", &v, &cause), -1);
	assert_cause(cause, "not yes or no");

	assert_int_equal(validate_secret("0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", &out, &cause), 0);
	assert_string_equal(out, "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef");
	free(out);
	assert_int_equal(validate_secret("abc", &out, &cause), -1);
	assert_cause(cause, "64 hexadecimal digits");
	assert_int_equal(validate_secret("0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdeg", &out, &cause), -1);
	assert_cause(cause, "64 hexadecimal digits");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validate_domain__accepts__ascii_lowercased),
		cmocka_unit_test(validate_domain__converts__idn_to_punycode),
		cmocka_unit_test(validate_domain__refuses__bad_labels),
		cmocka_unit_test(validate_domain__refuses__too_long),
		cmocka_unit_test(validate_domain__refuses__ip_addresses),
		cmocka_unit_test(validate_domain__refuses__invalid_idn),
		cmocka_unit_test(validate_ipv4__accepts__public),
		cmocka_unit_test(validate_ipv4__refuses__syntax),
		cmocka_unit_test(
		    validate_ipv4__refuses__each_special_range_as_public),
		cmocka_unit_test(validate_ipv4__private_must_be_private),
		cmocka_unit_test(validate_ipv6__accepts__public_canonically),
		cmocka_unit_test(validate_ipv6__refuses__special_and_bad),
		cmocka_unit_test(validate_email__accepts__addresses),
		cmocka_unit_test(validate_email__refuses__bad),
		cmocka_unit_test(validate_jid__accepts__bare_jids),
		cmocka_unit_test(validate_jid__refuses__bad),
		cmocka_unit_test(validate_size__accepts__units),
		cmocka_unit_test(validate_size__refuses__bad_and_too_big),
		cmocka_unit_test(validate_size_format__uses__largest_exact_unit),
		cmocka_unit_test(validate_port__accepts_and_refuses),
		cmocka_unit_test(validate_resolver__accepts_and_refuses),
		cmocka_unit_test(validate_abs_path__accepts_and_refuses),
		cmocka_unit_test(validate_yesno__and_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
