/*
 * test-jid.c - unit tests for src/core/jid.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jid.h"

/* Parse S, which must be valid. */
static struct jid *
parse_ok(const char *s)
{
	struct jid	*j;
	char		*cause = NULL;

	j = jid_parse(s, &cause);
	if (j == NULL)
		fail_msg("'%s' refused: %s", s, cause);
	assert_null(cause);
	return j;
}

/* S must be refused with a cause containing WANT. */
static void
assert_refused(const char *s, const char *want)
{
	struct jid	*j;
	char		*cause = NULL;

	j = jid_parse(s, &cause);
	if (j != NULL)
		fail_msg("'%s' accepted as %s", s, j->full);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("'%s': cause '%s' lacks '%s'", s, cause, want);
	free(cause);
	assert_false(jid_valid(s));
	assert_null(jid_bare(s));
}

/* A string of N copies of C. */
static char *
repeat(char c, size_t n)
{
	char	*s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
jid_parse__splits_parts__when_full(void **state)
{
	struct jid	*j = parse_ok("alice@example.org/phone");

	assert_string_equal(j->local, "alice");
	assert_string_equal(j->domain, "example.org");
	assert_string_equal(j->resource, "phone");
	assert_string_equal(j->bare, "alice@example.org");
	assert_string_equal(j->full, "alice@example.org/phone");
	jid_free(j);
}

static void
jid_parse__accepts_bare(void **state)
{
	struct jid	*j = parse_ok("alice@example.org");

	assert_string_equal(j->local, "alice");
	assert_null(j->resource);
	assert_string_equal(j->bare, "alice@example.org");
	assert_string_equal(j->full, "alice@example.org");
	jid_free(j);
	jid_free(NULL);
}

static void
jid_parse__accepts_domain_only(void **state)
{
	struct jid	*j = parse_ok("example.org");

	assert_null(j->local);
	assert_null(j->resource);
	assert_string_equal(j->domain, "example.org");
	assert_string_equal(j->bare, "example.org");
	assert_string_equal(j->full, "example.org");
	jid_free(j);
	j = parse_ok("conference.example.org/room");
	assert_null(j->local);
	assert_string_equal(j->bare, "conference.example.org");
	assert_string_equal(j->resource, "room");
	jid_free(j);
}

static void
jid_parse__keeps_slash_and_at__in_resource(void **state)
{
	struct jid	*j = parse_ok("alice@example.org/a/b@c.d");

	assert_string_equal(j->local, "alice");
	assert_string_equal(j->domain, "example.org");
	assert_string_equal(j->resource, "a/b@c.d");
	assert_string_equal(j->full, "alice@example.org/a/b@c.d");
	jid_free(j);
	/* The first '/' ends the bare part, even before an '@'. */
	j = parse_ok("example.org/x@y");
	assert_null(j->local);
	assert_string_equal(j->domain, "example.org");
	assert_string_equal(j->resource, "x@y");
	jid_free(j);
}

static void
jid_parse__keeps_case__of_resource(void **state)
{
	struct jid	*j = parse_ok("Alice@Example.ORG/Phone");

	assert_string_equal(j->local, "alice");
	assert_string_equal(j->domain, "example.org");
	assert_string_equal(j->resource, "Phone");
	assert_string_equal(j->full, "alice@example.org/Phone");
	jid_free(j);
}

static void
jid_parse__removes_trailing_dot__from_domain(void **state)
{
	struct jid	*j = parse_ok("bob@Example.org./res");

	assert_string_equal(j->domain, "example.org");
	assert_string_equal(j->bare, "bob@example.org");
	jid_free(j);
	j = parse_ok("example.org.");
	assert_string_equal(j->bare, "example.org");
	jid_free(j);
}

static void
jid_parse__accepts_non_ascii(void **state)
{
	/* "jürgen@münchen.example": non-ASCII bytes kept as they are. */
	struct jid	*j = parse_ok("J\xc3\xbcrgen@M\xc3\xbcnchen.example");

	assert_string_equal(j->local, "j\xc3\xbcrgen");
	assert_string_equal(j->domain, "m\xc3\xbcnchen.example");
	jid_free(j);
}

static void
jid_parse__accepts_ip_literals(void **state)
{
	struct jid	*j = parse_ok("me@[::1]/r");

	assert_string_equal(j->domain, "[::1]");
	jid_free(j);
	j = parse_ok("me@127.0.0.1");
	assert_string_equal(j->domain, "127.0.0.1");
	jid_free(j);
}

static void
jid_parse__accepts_parts__at_length_limit(void **state)
{
	char		*local = repeat('l', 1023);
	char		*domain = repeat('d', 1023);
	char		*res = repeat('r', 1023);
	char		*s;
	struct jid	*j;

	s = malloc(strlen(local) + strlen(domain) + strlen(res) + 3);
	strcpy(s, local);
	strcat(s, "@");
	strcat(s, domain);
	strcat(s, "/");
	strcat(s, res);
	j = parse_ok(s);
	assert_int_equal(strlen(j->local), 1023);
	assert_int_equal(strlen(j->domain), 1023);
	assert_int_equal(strlen(j->resource), 1023);
	jid_free(j);
	free(s);
	free(local);
	free(domain);
	free(res);
}

static void
jid_parse__rejects_address__when_empty(void **state)
{
	char		*cause = NULL;

	assert_refused("", "empty");
	assert_null(jid_parse(NULL, &cause));
	assert_non_null(cause);
	free(cause);
}

static void
jid_parse__rejects_address__when_only_at(void **state)
{
	assert_refused("@", "empty name");
	assert_refused("@example.org", "empty name");
	assert_refused("alice@", "missing domain");
}

static void
jid_parse__rejects_address__when_localpart_has_bad_char(void **state)
{
	assert_refused("al ice@example.org", "' '");
	assert_refused("a\"b@example.org", "'\"'");
	assert_refused("a&b@example.org", "'&'");
	assert_refused("a'b@example.org", "'''");
	assert_refused("a:b@example.org", "':'");
	assert_refused("a<b@example.org", "'<'");
	assert_refused("a>b@example.org", "'>'");
	assert_refused("a\x7f" "b@example.org", "control character");
	assert_refused("a\x1b" "b@example.org", "control character");
	assert_refused("a\nb@example.org", "control character");
	assert_refused("a\xc2\x9b" "b@example.org", "control character");
	assert_refused("a\xff" "b@example.org", "not valid UTF-8");
}

static void
jid_parse__rejects_address__when_two_ats(void **state)
{
	assert_refused("a@b@example.org", "'@'");
}

static void
jid_parse__rejects_address__when_domain_has_bad_char(void **state)
{
	assert_refused("alice@exa mple.org", "domain");
	assert_refused("alice@example.org:5222", "domain");
	assert_refused("alice@exa<mple", "domain");
	assert_refused("alice@ex\x1b" "ample.org", "domain");
}

static void
jid_parse__rejects_address__when_domain_has_empty_label(void **state)
{
	assert_refused("alice@.example.org", "empty label");
	assert_refused("alice@example..org", "empty label");
	assert_refused("alice@.", "missing domain");
}

static void
jid_parse__rejects_address__when_ipv6_unterminated(void **state)
{
	assert_refused("alice@[::1", "IPv6");
}

static void
jid_parse__rejects_address__when_resource_empty(void **state)
{
	assert_refused("alice@example.org/", "empty resource");
	assert_refused("example.org/", "empty resource");
}

static void
jid_parse__rejects_address__when_part_too_long(void **state)
{
	char	*big = repeat('x', 1024), *s;

	s = malloc(2048 + 32);
	strcpy(s, big);
	strcat(s, "@example.org");
	assert_refused(s, "too long");
	strcpy(s, "alice@");
	strcat(s, big);
	assert_refused(s, "too long");
	strcpy(s, "alice@example.org/");
	strcat(s, big);
	assert_refused(s, "too long");
	free(s);
	free(big);
}

static void
jid_parse__rejects_address__when_domain_ends_with_two_dots(void **state)
{
	/*
	 * Regression (fixed): src/core/jid.c:43 removes one trailing dot, and the label
	 * check at jid.c:66 never looks at a dot that ends the string, so
	 * "alice@example.org.." is accepted with the domain "example.org."
	 * (a second key for example.org).  Fix: also refuse p[1] == '\0'.
	 */
	assert_refused("alice@example.org..", "domain");
}

static void
jid_bare__returns_normalised_bare(void **state)
{
	char	*b = jid_bare("Bob@Example.ORG./Phone");

	assert_string_equal(b, "bob@example.org");
	free(b);
	b = jid_bare("example.org/x");
	assert_string_equal(b, "example.org");
	free(b);
}

static void
jid_bare__returns_null__when_invalid(void **state)
{
	assert_null(jid_bare("a b@c"));
	assert_null(jid_bare(""));
	assert_null(jid_bare(NULL));
}

static void
jid_resource__returns_text_after_first_slash(void **state)
{
	char	*r = jid_resource("bob@x/phone/2@y");

	assert_string_equal(r, "phone/2@y");
	free(r);
	assert_null(jid_resource("bob@x"));
	assert_null(jid_resource("bob@x/"));
	assert_null(jid_resource(NULL));
}

static void
jid_bare_eq__compares_normalised_bare(void **state)
{
	assert_true(jid_bare_eq("bob@x.org/a", "BOB@X.ORG/b"));
	assert_true(jid_bare_eq("bob@x.org", "bob@x.org./z"));
	assert_false(jid_bare_eq("bob@x.org", "bobby@x.org"));
	assert_false(jid_bare_eq("bob@x.org", "x.org"));
	assert_false(jid_bare_eq("bad jid@x", "bad jid@x"));
	assert_false(jid_bare_eq(NULL, "bob@x.org"));
	assert_false(jid_bare_eq("bob@x.org", NULL));
}

static void
jid_valid__matches_parse(void **state)
{
	assert_true(jid_valid("a@b"));
	assert_true(jid_valid("b"));
	assert_false(jid_valid("a@"));
	assert_false(jid_valid("a@b/"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jid_parse__splits_parts__when_full),
		cmocka_unit_test(jid_parse__accepts_bare),
		cmocka_unit_test(jid_parse__accepts_domain_only),
		cmocka_unit_test(jid_parse__keeps_slash_and_at__in_resource),
		cmocka_unit_test(jid_parse__keeps_case__of_resource),
		cmocka_unit_test(jid_parse__removes_trailing_dot__from_domain),
		cmocka_unit_test(jid_parse__accepts_non_ascii),
		cmocka_unit_test(jid_parse__accepts_ip_literals),
		cmocka_unit_test(jid_parse__accepts_parts__at_length_limit),
		cmocka_unit_test(jid_parse__rejects_address__when_empty),
		cmocka_unit_test(jid_parse__rejects_address__when_only_at),
		cmocka_unit_test(
		    jid_parse__rejects_address__when_localpart_has_bad_char),
		cmocka_unit_test(jid_parse__rejects_address__when_two_ats),
		cmocka_unit_test(
		    jid_parse__rejects_address__when_domain_has_bad_char),
		cmocka_unit_test(
		    jid_parse__rejects_address__when_domain_has_empty_label),
		cmocka_unit_test(
		    jid_parse__rejects_address__when_ipv6_unterminated),
		cmocka_unit_test(
		    jid_parse__rejects_address__when_resource_empty),
		cmocka_unit_test(
		    jid_parse__rejects_address__when_part_too_long),
		cmocka_unit_test(
		    jid_parse__rejects_address__when_domain_ends_with_two_dots),
		cmocka_unit_test(jid_bare__returns_normalised_bare),
		cmocka_unit_test(jid_bare__returns_null__when_invalid),
		cmocka_unit_test(jid_resource__returns_text_after_first_slash),
		cmocka_unit_test(jid_bare_eq__compares_normalised_bare),
		cmocka_unit_test(jid_valid__matches_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
