/*
 * test-answers.c - unit tests for wizard/answers.c: defaults, setting and
 * loading answers (with line numbers in errors), the answers.ini round
 * trip and the checks of the answers as a whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wizard/answers.h"

#define SECRET	"00112233445566778899aabbccddeeff" \
		"00112233445566778899aabbccddeeff"

/* Set KEY to VALUE, which must be accepted. */
static void
set_ok(struct answers *a, const char *key, const char *value)
{
	char	*cause = NULL;

	if (answers_set(a, key, value, &cause) != 0)
		fail_msg("%s = %s refused: %s", key, value, cause);
}

/* Set KEY to VALUE, which must be refused with a cause containing WANT. */
static void
set_bad(struct answers *a, const char *key, const char *value,
    const char *want)
{
	char	*cause = NULL;

	assert_int_equal(answers_set(a, key, value, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, want);
	assert_null(strchr(cause, '\n'));
	free(cause);
}

/* Does PROBLEMS have a line containing WANT? */
static int
has_problem(const struct answers_problems *p, const char *want)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		if (strstr(p->lines[i], want) != NULL)
			return 1;
	}
	return 0;
}

static void
assert_problem(const struct answers_problems *p, const char *want)
{
	size_t	i;

	if (has_problem(p, want))
		return;
	for (i = 0; i < p->n; i++)
		print_message("problem: %s\n", p->lines[i]);
	fail_msg("no problem mentions '%s'", want);
}

static void
complete(struct answers *a)
{
	set_ok(a, "domain", "example.org");
	set_ok(a, "ipv4", "203.0.113.10");
	set_ok(a, "admin", "admin@example.org");
	set_ok(a, "email", "hostmaster@example.org");
}

static void
answers_defaults__are__the_classic_setup(void **state)
{
	struct answers	a;

	answers_defaults(&a);
	assert_null(a.domain);
	assert_null(a.ipv4);
	assert_null(a.ipv6);
	assert_null(a.private_ipv4);
	assert_null(a.admin);
	assert_null(a.email);
	assert_null(a.turn_secret);
	assert_int_equal(a.os, OS_DEBIAN);
	assert_int_equal(a.firewall, FW_NFTABLES);
	assert_true(a.muc && a.upload && a.proxy65 && a.pubsub && a.turn);
	assert_true(a.web);
	assert_false(a.txt_xmppconnect);
	assert_true(a.upload_limit == 10ULL << 20);
	assert_int_equal(a.registration, REG_CLOSED);
	assert_int_equal(a.storage, STORAGE_INTERNAL);
	assert_int_equal(a.certs, CERTS_LETSENCRYPT);
	answers_free(&a);
}

static void
answers_set__stores__canonical_values(void **state)
{
	struct answers	 a;
	char		*s;

	answers_defaults(&a);
	set_ok(&a, "domain", "Bücher.Example");
	assert_string_equal(a.domain, "xn--bcher-kva.example");
	assert_string_equal(a.domain_input, "Bücher.Example");
	set_ok(&a, "ipv6", "2001:DB8:0::10");
	assert_string_equal(a.ipv6, "2001:db8::10");
	set_ok(&a, "admin", "Admin@bücher.example");
	assert_string_equal(a.admin, "admin@xn--bcher-kva.example");
	set_ok(&a, "upload_limit", "1024M");
	assert_true(a.upload_limit == 1ULL << 30);
	s = answers_get(&a, "upload_limit");
	assert_string_equal(s, "1G");
	free(s);
	set_ok(&a, "muc", "no");
	assert_false(a.muc);
	set_ok(&a, "registration", "Invite");
	assert_int_equal(a.registration, REG_INVITE);
	set_ok(&a, "storage", "sqlite");
	assert_int_equal(a.storage, STORAGE_SQLITE);
	set_ok(&a, "turn_secret", SECRET);
	assert_string_equal(a.turn_secret, SECRET);
	/* Empty unsets an optional text answer. */
	set_ok(&a, "ipv6", "");
	assert_null(a.ipv6);
	answers_free(&a);
}

static void
answers_set__refuses__bad_values_keeping_the_old(void **state)
{
	struct answers	a;

	answers_defaults(&a);
	set_ok(&a, "domain", "example.org");
	set_bad(&a, "domain", "-bad.example", "hyphen");
	assert_string_equal(a.domain, "example.org");
	set_bad(&a, "ipv4", "192.168.1.1", "private address");
	set_bad(&a, "private_ipv4", "203.0.113.10", "not a private address");
	set_bad(&a, "ipv6", "fe80::1", "link-local");
	set_bad(&a, "email", "nobody", "not an e-mail address");
	set_bad(&a, "admin", "admin", "not a JID");
	set_bad(&a, "os", "windows", "not one of debian or freebsd");
	set_bad(&a, "firewall", "pf", "not one of nftables, ufw or ipfw");
	set_bad(&a, "muc", "perhaps", "not yes or no");
	assert_true(a.muc);
	set_bad(&a, "upload_limit", "5G", "largest size");
	set_bad(&a, "upload_limit", "", "empty");
	set_bad(&a, "cert", "cert.pem", "absolute");
	set_bad(&a, "turn_secret", "1234", "64 hexadecimal");
	set_bad(&a, "colour", "blue", "unknown key");
	answers_free(&a);
}

static void
answers_firewall__follows_os__until_given(void **state)
{
	struct answers	a;

	answers_defaults(&a);
	set_ok(&a, "os", "freebsd");
	assert_int_equal(a.firewall, FW_IPFW);
	set_ok(&a, "os", "debian");
	assert_int_equal(a.firewall, FW_NFTABLES);
	set_ok(&a, "firewall", "ufw");
	set_ok(&a, "os", "debian");
	assert_int_equal(a.firewall, FW_UFW);
	answers_free(&a);
}

static void
answers_check__lists__every_missing_answer(void **state)
{
	struct answers		a;
	struct answers_problems	p = { 0 };

	answers_defaults(&a);
	assert_int_equal(answers_check(&a, &p), 4);
	assert_string_equal(p.lines[0], "missing answer: domain (--domain)");
	assert_string_equal(p.lines[1], "missing answer: ipv4 (--ipv4)");
	assert_string_equal(p.lines[2], "missing answer: admin (--admin)");
	assert_string_equal(p.lines[3], "missing answer: email (--email)");
	answers_problems_free(&p);

	complete(&a);
	assert_int_equal(answers_check(&a, &p), 0);
	assert_int_equal(p.n, 0);
	answers_free(&a);
}

static void
answers_check__skips_missing__when_value_was_refused(void **state)
{
	struct answers		a;
	struct answers_problems	p = { 0 };

	answers_defaults(&a);
	assert_int_equal(answers_load_text(&a, "x.ini", "ipv4 = 127.0.0.1\n",
	    &p), -1);
	assert_int_equal(p.n, 1);
	assert_int_equal(answers_check(&a, &p), 3);
	assert_false(has_problem(&p, "missing answer: ipv4"));
	assert_problem(&p, "missing answer: domain");
	answers_problems_free(&p);
	answers_free(&a);
}

static void
answers_check__refuses__os_firewall_combinations(void **state)
{
	struct answers		a;
	struct answers_problems	p = { 0 };

	answers_defaults(&a);
	complete(&a);
	set_ok(&a, "firewall", "ipfw");
	assert_int_equal(answers_check(&a, &p), 1);
	assert_problem(&p, "ipfw is for freebsd");
	answers_problems_free(&p);

	set_ok(&a, "os", "freebsd");
	assert_int_equal(answers_check(&a, &p), 0);

	set_ok(&a, "firewall", "nftables");
	assert_int_equal(answers_check(&a, &p), 1);
	assert_problem(&p, "nftables is not available on freebsd");
	answers_problems_free(&p);
	set_ok(&a, "firewall", "ufw");
	assert_int_equal(answers_check(&a, &p), 1);
	assert_problem(&p, "ufw is not available on freebsd");
	answers_problems_free(&p);
	answers_free(&a);
}

static void
answers_check__needs__cert_files_and_admin_on_domain(void **state)
{
	struct answers		a;
	struct answers_problems	p = { 0 };

	answers_defaults(&a);
	complete(&a);
	set_ok(&a, "certs", "files");
	set_ok(&a, "admin", "boss@example.net");
	assert_int_equal(answers_check(&a, &p), 3);
	assert_problem(&p, "cert: certs = files needs");
	assert_problem(&p, "key: certs = files needs");
	assert_problem(&p, "boss@example.net is not an account on "
	    "example.org");
	answers_problems_free(&p);
	set_ok(&a, "cert", "/etc/ssl/example.org/fullchain.pem");
	set_ok(&a, "key", "/etc/ssl/example.org/privkey.pem");
	set_ok(&a, "admin", "boss@example.org");
	assert_int_equal(answers_check(&a, &p), 0);
	answers_free(&a);
}

/* The legacy TXT record advertises BOSH, which only nginx serves. */
static void
answers_check__refuses__txt_xmppconnect_without_web(void **state)
{
	struct answers		a;
	struct answers_problems	p = { 0 };

	answers_defaults(&a);
	complete(&a);
	set_ok(&a, "txt_xmppconnect", "yes");
	assert_int_equal(answers_check(&a, &p), 0);
	set_ok(&a, "web", "no");
	assert_int_equal(answers_check(&a, &p), 1);
	assert_problem(&p, "txt_xmppconnect: the _xmppconnect record points "
	    "web clients at https://example.org/http-bind, which only exists "
	    "with web = yes (--web)");
	assert_null(strchr(p.lines[0], '\n'));
	answers_problems_free(&p);
	set_ok(&a, "txt_xmppconnect", "no");
	assert_int_equal(answers_check(&a, &p), 0);
	answers_free(&a);
}

static void
answers_load_text__names__each_bad_line(void **state)
{
	static const char	 text[] =
	    "# my answers\n"
	    "domain = example.org\n"
	    "ipv4 = 10.0.0.1\n"
	    "\n"
	    "colour = blue\n"
	    "muc = no\n"
	    "this line has no equals sign\n"
	    "os = plan9\n";
	struct answers		 a;
	struct answers_problems	 p = { 0 };

	answers_defaults(&a);
	assert_int_equal(answers_load_text(&a, "a.ini", text, &p), -1);
	assert_problem(&p, "a.ini:3: ipv4: 10.0.0.1 is a private address");
	assert_problem(&p, "a.ini:5: unknown key 'colour'");
	assert_problem(&p, "a.ini:7: expected key = value");
	assert_problem(&p, "a.ini:8: os: 'plan9' is not one of");
	assert_int_equal(p.n, 4);
	/* The good lines are applied. */
	assert_string_equal(a.domain, "example.org");
	assert_false(a.muc);
	answers_problems_free(&p);
	answers_free(&a);
}

/* The wizard's own (translated) words, not ini.c's English. */
static void
answers_load_text__refuses__too_long_lines(void **state)
{
	struct answers		 a;
	struct answers_problems	 p = { 0 };
	char			*text;
	size_t			 len = 20000;

	text = malloc(len + 16);
	assert_non_null(text);
	memcpy(text, "domain = ", 9);
	memset(text + 9, 'a', len);
	strcpy(text + 9 + len, "\n");
	answers_defaults(&a);
	assert_int_equal(answers_load_text(&a, "long.ini", text, &p), -1);
	assert_problem(&p, "long.ini:1: the line is too long");
	answers_problems_free(&p);
	answers_free(&a);
	free(text);
}

static void
answers_load_text__refuses__sections(void **state)
{
	struct answers		a;
	struct answers_problems	p = { 0 };

	answers_defaults(&a);
	assert_int_equal(answers_load_text(&a, "s.ini",
	    "[server]\ndomain = example.org\n", &p), -1);
	assert_int_equal(p.n, 1);
	assert_problem(&p, "s.ini:1: [server]: answers files have no "
	    "sections");
	assert_null(a.domain);
	answers_problems_free(&p);
	answers_free(&a);
}

static void
answers_format__round_trips__through_load(void **state)
{
	struct answers		 a, b;
	struct answers_problems	 p = { 0 };
	char			*text, *again;
	size_t			 i;

	answers_defaults(&a);
	complete(&a);
	set_ok(&a, "domain", "bücher.example");
	set_ok(&a, "admin", "admin@bücher.example");
	set_ok(&a, "ipv6", "2001:db8::10");
	set_ok(&a, "private_ipv4", "192.168.1.10");
	set_ok(&a, "os", "freebsd");
	set_ok(&a, "upload_limit", "512K");
	set_ok(&a, "proxy65", "no");
	set_ok(&a, "registration", "open");
	set_ok(&a, "certs", "files");
	set_ok(&a, "cert", "/usr/local/etc/ssl/fullchain.pem");
	set_ok(&a, "key", "/usr/local/etc/ssl/privkey.pem");
	set_ok(&a, "txt_xmppconnect", "yes");
	set_ok(&a, "turn_secret", SECRET);
	text = answers_format(&a);

	/* Every key is there, and the secret. */
	for (i = 0; i < answers_nquestions; i++) {
		char *line = NULL;

		if (asprintf(&line, "\n%s =", answers_questions[i].key) < 0)
			fail();
		assert_non_null(strstr(text, line));
		free(line);
	}
	assert_non_null(strstr(text, "\nturn_secret = " SECRET "\n"));
	assert_non_null(strstr(text, "\ndomain = bücher.example\n"));

	answers_defaults(&b);
	assert_int_equal(answers_load_text(&b, "answers.ini", text, &p), 0);
	assert_int_equal(p.n, 0);
	again = answers_format(&b);
	assert_string_equal(text, again);
	assert_string_equal(b.domain, "xn--bcher-kva.example");
	assert_int_equal(b.os, OS_FREEBSD);
	assert_int_equal(b.firewall, FW_IPFW);
	assert_true(b.upload_limit == 512ULL << 10);
	assert_false(b.proxy65);
	assert_true(b.txt_xmppconnect);
	assert_int_equal(answers_check(&b, &p), 0);
	free(text);
	free(again);
	answers_free(&a);
	answers_free(&b);
}

/*
 * The answers.ini key of a question is its flag's name with '_' for '-'
 * (--cert: cert); files written with the older keys cert_path and
 * key_path still load, and are written back with the new ones.
 */
static void
answers_keys__are__flag_names__and_old_keys_load(void **state)
{
	static const char	 old[] =
	    "domain = example.org\n"
	    "certs = files\n"
	    "cert_path = /etc/ssl/old/fullchain.pem\n"
	    "key_path = /etc/ssl/old/privkey.pem\n";
	struct answers		 a, b;
	struct answers_problems	 p = { 0 };
	const struct question	*q;
	char			*text, *want;
	size_t			 i, j;

	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		want = strdup(q->flag + 2);
		assert_non_null(want);
		for (j = 0; want[j] != '\0'; j++) {
			if (want[j] == '-')
				want[j] = '_';
		}
		assert_int_equal(strncmp(q->flag, "--", 2), 0);
		assert_string_equal(q->key, want);
		free(want);
	}
	assert_ptr_equal(answers_find("cert_path"), answers_find("cert"));
	assert_ptr_equal(answers_find("key_path"), answers_find("key"));

	answers_defaults(&a);
	assert_int_equal(answers_load_text(&a, "old.ini", old, &p), 0);
	assert_string_equal(a.cert_path, "/etc/ssl/old/fullchain.pem");
	assert_string_equal(a.key_path, "/etc/ssl/old/privkey.pem");
	text = answers_format(&a);
	assert_non_null(strstr(text, "\ncert = /etc/ssl/old/fullchain.pem\n"));
	assert_non_null(strstr(text, "\nkey = /etc/ssl/old/privkey.pem\n"));
	assert_null(strstr(text, "cert_path"));
	assert_null(strstr(text, "key_path"));
	answers_defaults(&b);
	assert_int_equal(answers_load_text(&b, "new.ini", text, &p), 0);
	assert_string_equal(b.cert_path, a.cert_path);
	assert_string_equal(b.key_path, a.key_path);
	/* A bad value under the old key is reported under that key. */
	assert_int_equal(answers_load_text(&b, "bad.ini", "key_path = k.pem\n",
	    &p), -1);
	assert_problem(&p, "bad.ini:1: key_path: 'k.pem' is not an absolute");
	answers_problems_free(&p);
	free(text);
	answers_free(&a);
	answers_free(&b);
}

static void
answers_load_file__reports__unreadable_file(void **state)
{
	struct answers		a;
	struct answers_problems	p = { 0 };

	answers_defaults(&a);
	assert_int_equal(answers_load_file(&a, "/nonexistent/answers.ini",
	    &p), -1);
	assert_int_equal(p.n, 1);
	assert_problem(&p, "cannot read /nonexistent/answers.ini");
	answers_problems_free(&p);
	answers_free(&a);
}

static void
answers_questions__have__unique_keys_and_flags(void **state)
{
	size_t	i, j;

	for (i = 0; i < answers_nquestions; i++) {
		assert_ptr_equal(answers_find(answers_questions[i].key),
		    &answers_questions[i]);
		assert_true(strncmp(answers_questions[i].flag, "--", 2) == 0);
		for (j = i + 1; j < answers_nquestions; j++)
			assert_string_not_equal(answers_questions[i].flag,
			    answers_questions[j].flag);
	}
	assert_null(answers_find("nope"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_defaults__are__the_classic_setup),
		cmocka_unit_test(answers_set__stores__canonical_values),
		cmocka_unit_test(
		    answers_set__refuses__bad_values_keeping_the_old),
		cmocka_unit_test(answers_firewall__follows_os__until_given),
		cmocka_unit_test(answers_check__lists__every_missing_answer),
		cmocka_unit_test(
		    answers_check__skips_missing__when_value_was_refused),
		cmocka_unit_test(
		    answers_check__refuses__os_firewall_combinations),
		cmocka_unit_test(
		    answers_check__needs__cert_files_and_admin_on_domain),
		cmocka_unit_test(
		    answers_check__refuses__txt_xmppconnect_without_web),
		cmocka_unit_test(answers_load_text__names__each_bad_line),
		cmocka_unit_test(answers_load_text__refuses__too_long_lines),
		cmocka_unit_test(answers_load_text__refuses__sections),
		cmocka_unit_test(answers_format__round_trips__through_load),
		cmocka_unit_test(
		    answers_keys__are__flag_names__and_old_keys_load),
		cmocka_unit_test(answers_load_file__reports__unreadable_file),
		cmocka_unit_test(
		    answers_questions__have__unique_keys_and_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
