/*
 * test-gen.c - the generators: golden files for two fixed answer sets
 * (tests/wizard/golden/), and properties every set must keep.
 *
 * SZIA_SRCDIR (default ".") locates the golden files; with
 * SZIA_UPDATE_GOLDEN=1 the tests rewrite them instead of comparing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/xalloc.h"
#include "wizard/gen.h"

#define SECRET	"5f2b8c0e9a7d4136b0e1c2d3f4a5b6c7" \
		"d8e9f0a1b2c3d4e5f60718293a4b5c6d"

/* FreeBSD + ipfw: everything on, Let's Encrypt. */
static struct answers
freebsd_ipfw(void)
{
	struct answers	a = {
		.domain = (char *)"example.org",
		.domain_input = (char *)"example.org",
		.ipv4 = (char *)"203.0.113.10",
		.ipv6 = (char *)"2001:db8::10",
		.admin = (char *)"admin@example.org",
		.email = (char *)"hostmaster@example.org",
		.os = OS_FREEBSD,
		.firewall = FW_IPFW,
		.muc = 1, .upload = 1, .upload_limit = 10ULL << 20,
		.proxy65 = 1, .pubsub = 1, .turn = 1,
		.registration = REG_CLOSED,
		.storage = STORAGE_INTERNAL,
		.web = 1,
		.certs = CERTS_LETSENCRYPT,
		.turn_secret = (char *)SECRET,
	};

	return a;
}

/* Debian + nftables: NAT, invites, SQLite, certificate files. */
static struct answers
debian_nftables(void)
{
	struct answers	a = {
		.domain = (char *)"chat.example.net",
		.domain_input = (char *)"chat.example.net",
		.ipv4 = (char *)"198.51.100.7",
		.private_ipv4 = (char *)"10.0.0.7",
		.admin = (char *)"admin@chat.example.net",
		.email = (char *)"admin@example.net",
		.os = OS_DEBIAN,
		.firewall = FW_NFTABLES,
		.muc = 1, .upload = 1, .upload_limit = 25ULL << 20,
		.proxy65 = 1, .pubsub = 0, .turn = 1,
		.registration = REG_INVITE,
		.storage = STORAGE_SQLITE,
		.web = 1,
		.certs = CERTS_FILES,
		.cert_path = (char *)"/etc/ssl/xmpp/fullchain.pem",
		.key_path = (char *)"/etc/ssl/xmpp/privkey.pem",
		.txt_xmppconnect = 1,
		.turn_secret = (char *)SECRET,
	};

	return a;
}

/* Debian + ufw: few services (no TURN, no web, no upload), open. */
static struct answers
debian_ufw_minimal(void)
{
	struct answers	a = {
		.domain = (char *)"xmpp.example.com",
		.domain_input = (char *)"xmpp.example.com",
		.ipv4 = (char *)"192.0.2.5",
		.ipv6 = (char *)"2001:db8::5",
		.admin = (char *)"root@xmpp.example.com",
		.email = (char *)"root@example.com",
		.os = OS_DEBIAN,
		.firewall = FW_UFW,
		.muc = 0, .upload = 0, .upload_limit = 10ULL << 20,
		.proxy65 = 0, .pubsub = 0, .turn = 0,
		.registration = REG_OPEN,
		.storage = STORAGE_INTERNAL,
		.web = 0,
		.certs = CERTS_LETSENCRYPT,
		.turn_secret = (char *)SECRET,
	};

	return a;
}

static char *
slurp(const char *path)
{
	FILE	*fp;
	char	*s;
	long	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = xmalloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, fp) != (size_t)n)
		n = 0;
	s[n] = '\0';
	fclose(fp);
	return s;
}

/* Print the first differing line, diff style; returns 0 when equal. */
static int
compare(const char *path, const char *want, const char *got)
{
	const char	*w = want, *g = got, *we, *ge;
	int		 line = 1;

	if (strcmp(want, got) == 0)
		return 0;
	for (;;) {
		we = strchr(w, '\n');
		ge = strchr(g, '\n');
		if (we == NULL || ge == NULL || we - w != ge - g ||
		    memcmp(w, g, (size_t)(we - w)) != 0)
			break;
		w = we + 1;
		g = ge + 1;
		line++;
	}
	print_message("--- %s (golden)\n+++ %s (generated)\n@@ line %d @@\n"
	    "-%.*s\n+%.*s\n", path, path, line,
	    (int)(we != NULL ? we - w : (long)strlen(w)), w,
	    (int)(ge != NULL ? ge - g : (long)strlen(g)), g);
	return -1;
}

static void
check_golden(const struct answers *a, const char *set,
    const char *const *names)
{
	struct gen_file	 files[16];
	const char	*srcdir = getenv("SZIA_SRCDIR"), *update;
	char		*path, *want, *got;
	size_t		 i, n;
	int		 failed = 0;
	FILE		*fp;

	if (srcdir == NULL)
		srcdir = ".";
	update = getenv("SZIA_UPDATE_GOLDEN");
	n = gen_files(a, files, sizeof files / sizeof files[0]);
	for (i = 0; i < n; i++) {
		assert_non_null(names[i]);
		assert_string_equal(files[i].name, names[i]);
		path = xasprintf("%s/tests/wizard/golden/%s/%s", srcdir, set,
		    files[i].name);
		got = files[i].fn(a);
		if (update != NULL && strcmp(update, "1") == 0) {
			fp = fopen(path, "w");
			assert_non_null(fp);
			fputs(got, fp);
			assert_int_equal(fclose(fp), 0);
		} else if ((want = slurp(path)) == NULL) {
			print_message("missing golden file %s\n", path);
			failed = 1;
		} else {
			if (compare(path, want, got) != 0)
				failed = 1;
			free(want);
		}
		free(got);
		free(path);
	}
	assert_null(names[n]);
	assert_int_equal(failed, 0);
}

static void
gen_files__match_golden__for_freebsd_ipfw(void **state)
{
	static const char *const names[] = {
		"dns.zone", "nginx-xmpp.conf", "prosody.cfg.lua",
		"turnserver.conf", "ipfw.rules", "rc.conf",
		"certbot-prosody-hook.sh", "setup.sh", "NEXT-STEPS.txt", NULL,
	};
	struct answers	a = freebsd_ipfw();

	check_golden(&a, "freebsd-ipfw", names);
}

static void
gen_files__match_golden__for_debian_nftables(void **state)
{
	static const char *const names[] = {
		"dns.zone", "nginx-xmpp.conf", "prosody.cfg.lua",
		"turnserver.conf", "nftables.conf", "setup.sh",
		"NEXT-STEPS.txt", NULL,
	};
	struct answers	a = debian_nftables();

	check_golden(&a, "debian-nftables", names);
}

static void
gen_files__match_golden__for_debian_ufw_minimal(void **state)
{
	static const char *const names[] = {
		"dns.zone", "prosody.cfg.lua", "ufw.sh",
		"certbot-prosody-hook.sh", "setup.sh", "NEXT-STEPS.txt", NULL,
	};
	struct answers	a = debian_ufw_minimal();

	check_golden(&a, "debian-ufw-minimal", names);
}

static const struct gen_file *
find(const struct gen_file *files, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}

static void
gen_files__marks_secrets_0600_and_scripts_0755(void **state)
{
	struct answers	a = freebsd_ipfw();
	struct gen_file	files[16];
	size_t		n;

	n = gen_files(&a, files, 16);
	assert_int_equal(find(files, n, "prosody.cfg.lua")->mode, 0600);
	assert_int_equal(find(files, n, "turnserver.conf")->mode, 0600);
	assert_int_equal(find(files, n, "setup.sh")->mode, 0755);
	assert_int_equal(find(files, n, "certbot-prosody-hook.sh")->mode,
	    0755);
	assert_string_equal(find(files, n, "ipfw.rules")->print_name,
	    "firewall");
	assert_string_equal(find(files, n, "rc.conf")->print_name,
	    "firewall");
	assert_string_equal(find(files, n, "turnserver.conf")->print_name,
	    "turn");
}

static void
gen_files__leaves_out_turn_nginx_and_hook__when_not_chosen(void **state)
{
	struct answers	a = debian_nftables();
	struct gen_file	files[16];
	size_t		n;

	a.turn = a.web = a.upload = 0;
	a.firewall = FW_UFW;
	n = gen_files(&a, files, 16);
	assert_null(find(files, n, "turnserver.conf"));
	assert_null(find(files, n, "nginx-xmpp.conf"));
	assert_null(find(files, n, "certbot-prosody-hook.sh"));
	assert_int_equal(find(files, n, "ufw.sh")->mode, 0755);
	assert_int_equal(gen_files(&a, files, 2), 2);
}

static void
gen_prosody__shares_secret_with_coturn(void **state)
{
	struct answers	 a = debian_nftables();
	char		*p, *t;

	p = gen_prosody(&a);
	t = gen_coturn(&a);
	assert_non_null(strstr(p, "turn_external_secret = \"" SECRET "\""));
	assert_non_null(strstr(t, "\nstatic-auth-secret=" SECRET "\n"));
	assert_non_null(strstr(t, "\nexternal-ip=198.51.100.7/10.0.0.7\n"));
	free(p);
	free(t);
}

/*
 * Push notifications: Debian's prosody-modules puts mod_cloud_notify in
 * Prosody's own module folder (no plugin_paths); on FreeBSD setup.sh
 * fetches it into the folder that plugin_paths names.
 */
static void
gen_prosody__enables_cloud_notify__where_setup_installs_it(void **state)
{
	struct answers	 a = debian_nftables();
	char		*p, *s;

	p = gen_prosody(&a);
	s = gen_setup(&a);
	assert_non_null(strstr(p, "\n\t\"cloud_notify\";"));
	assert_null(strstr(p, "-- \"cloud_notify\""));
	assert_null(strstr(p, "plugin_paths"));
	assert_non_null(strstr(s, "\napt-get install -y prosody "
	    "prosody-modules "));
	free(p);
	free(s);

	a = freebsd_ipfw();
	p = gen_prosody(&a);
	s = gen_setup(&a);
	assert_non_null(strstr(p, "\n\t\"cloud_notify\";"));
	assert_non_null(strstr(p,
	    "\nplugin_paths = { \"/usr/local/lib/prosody-modules\" }\n"));
	assert_non_null(strstr(s, "\nfetch -o /usr/local/lib/prosody-modules/"
	    "mod_cloud_notify/mod_cloud_notify.lua "));
	assert_non_null(strstr(s, "/raw-file/556bf57d6417/mod_cloud_notify/"
	    "mod_cloud_notify.lua\n"));
	/* Fetched before the configuration is checked. */
	assert_true(strstr(s, "fetch -o") < strstr(s, "prosodyctl check"));
	free(p);
	free(s);
}

/* Does TEXT have a line that installs a file as PATH? */
static int
installs(const char *text, const char *path)
{
	const char	*line, *end;
	size_t		 len = strlen(path);

	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (strncmp(line, "install ", 8) == 0 &&
		    (size_t)(end - line) > len + 1 &&
		    end[-(long)len - 1] == ' ' &&
		    strncmp(end - len, path, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * certs = files: Prosody 0.12 only finds DOMAIN.crt with DOMAIN.key beside
 * it in its certificates folder, and coturn (unprivileged) reads its own
 * copies; setup.sh puts both there, and turnserver.conf names the copies.
 */
static void
gen_setup__installs_cert_files__for_prosody_and_coturn(void **state)
{
	struct answers	 a = debian_nftables();
	char		*s, *t, *h;

	s = gen_setup(&a);
	t = gen_coturn(&a);
	assert_non_null(strstr(s, "\ninstall -o prosody -g prosody -m 0644 "
	    "/etc/ssl/xmpp/fullchain.pem /etc/prosody/certs/"
	    "chat.example.net.crt\n"));
	assert_non_null(strstr(s, "\ninstall -o prosody -g prosody -m 0600 "
	    "/etc/ssl/xmpp/privkey.pem /etc/prosody/certs/"
	    "chat.example.net.key\n"));
	assert_null(strstr(s, "cert import"));
	assert_non_null(strstr(t, "\ncert=/etc/coturn/fullchain.pem\n"));
	assert_non_null(strstr(t, "\npkey=/etc/coturn/privkey.pem\n"));
	assert_non_null(strstr(s, "\ninstall -o root -g turnserver -m 0640 "
	    "/etc/ssl/xmpp/privkey.pem /etc/coturn/privkey.pem\n"));
	assert_true(installs(s, "/etc/coturn/fullchain.pem"));
	free(s);
	free(t);

	/* Let's Encrypt: the hook makes the same copies for coturn. */
	a = freebsd_ipfw();
	h = gen_certhook(&a);
	t = gen_coturn(&a);
	assert_non_null(strstr(t,
	    "\ncert=/usr/local/etc/coturn/fullchain.pem\n"));
	assert_true(installs(h, "/usr/local/etc/coturn/fullchain.pem"));
	assert_true(installs(h, "/usr/local/etc/coturn/privkey.pem"));
	assert_non_null(strstr(h, "\nprosodyctl --root cert import "
	    "/usr/local/etc/letsencrypt/live\n"));
	free(h);
	free(t);
}

static void
gen_prosody__uses_no_obsolete_options(void **state)
{
	static const char *const bad[] = {
		"cross_domain", "bosh_ports", "legacy_ssl", "http_upload\"",
		"turncredentials", "daemonize",
	};
	struct answers	 a = freebsd_ipfw();
	char		*p;
	size_t		 i;

	p = gen_prosody(&a);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(strstr(p, bad[i]));
	free(p);
}

/*
 * Every firewall keeps SSH open with a rule for 22/tcp itself (5222
 * contains "22" too), first, and never opens Prosody's HTTP ports.
 */
static void
gen_firewall__keeps_ssh__and_never_opens_prosody_http(void **state)
{
	static const char *const ssh[] = {
		"\n# SSH\nipfw -q add 1000 allow tcp from any to any 22 in setup"
		" keep-state\n",
		"\nfirewall_myservices=\"22/tcp ",
		"\n\t\ttcp dport 22 accept comment \"SSH\"\n",
		"\nufw allow 22/tcp comment 'SSH'\n",
	};
	/* The first port rule of each. */
	static const char *const first_port[] = {
		"ipfw -q add 1000 ", "firewall_myservices=\"", "dport ",
		"\nufw allow ",
	};
	struct answers	 sets[3];
	char		*s[4], *port, *rule;
	size_t		 i, j;

	sets[0] = freebsd_ipfw();
	sets[1] = debian_nftables();
	sets[2] = debian_ufw_minimal();
	for (j = 0; j < 3; j++) {
		s[0] = gen_ipfw_rules(&sets[j]);
		s[1] = gen_rc_conf(&sets[j]);
		s[2] = gen_nftables(&sets[j]);
		s[3] = gen_ufw(&sets[j]);
		for (i = 0; i < 4; i++) {
			assert_null(strstr(s[i], "5280"));
			assert_null(strstr(s[i], "5281"));
			if ((rule = strstr(s[i], ssh[i])) == NULL)
				fail_msg("set %zu: no '%s' in:\n%s", j, ssh[i],
				    s[i]);
			/* The SSH rule comes before any other port. */
			port = strstr(s[i], first_port[i]);
			assert_true(port >= rule &&
			    port < rule + strlen(ssh[i]));
			free(s[i]);
		}
	}
}

static void
gen_firewall__opens_only_enabled_services(void **state)
{
	struct answers	 a = debian_nftables();
	char		*s;

	a.turn = a.proxy65 = a.web = a.upload = 0;
	s = gen_rc_conf(&a);
	assert_non_null(strstr(s,
	    "firewall_myservices=\"22/tcp 5222/tcp 5223/tcp 5269/tcp\""));
	free(s);
}

static void
gen_dns__leaves_out_turn_caa_and_txt__when_not_chosen(void **state)
{
	struct answers	 a = debian_nftables();
	char		*s;

	a.turn = 0;
	a.txt_xmppconnect = 0;
	s = gen_dns(&a);
	assert_null(strstr(s, "_turn"));
	assert_null(strstr(s, "CAA"));
	assert_null(strstr(s, "_xmppconnect"));
	assert_non_null(strstr(s, "_xmpps-client._tcp"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gen_files__match_golden__for_freebsd_ipfw),
		cmocka_unit_test(
		    gen_files__match_golden__for_debian_nftables),
		cmocka_unit_test(
		    gen_files__match_golden__for_debian_ufw_minimal),
		cmocka_unit_test(
		    gen_files__marks_secrets_0600_and_scripts_0755),
		cmocka_unit_test(
		    gen_files__leaves_out_turn_nginx_and_hook__when_not_chosen),
		cmocka_unit_test(gen_prosody__shares_secret_with_coturn),
		cmocka_unit_test(
		    gen_prosody__enables_cloud_notify__where_setup_installs_it),
		cmocka_unit_test(gen_prosody__uses_no_obsolete_options),
		cmocka_unit_test(
		    gen_setup__installs_cert_files__for_prosody_and_coturn),
		cmocka_unit_test(
		    gen_firewall__keeps_ssh__and_never_opens_prosody_http),
		cmocka_unit_test(gen_firewall__opens_only_enabled_services),
		cmocka_unit_test(
		    gen_dns__leaves_out_turn_caa_and_txt__when_not_chosen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
