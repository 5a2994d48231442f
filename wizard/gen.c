/*
 * gen.c - the list of files xmpp-setup writes, and the helpers the
 * generators share (see gen.h and gen-int.h).
 */
#include <stdlib.h>

#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/gen.h"
#include "wizard/gen-int.h"

#define MIB	(1024ULL * 1024ULL)

const char *
gen_etc(const struct answers *a)
{
	return a->os == OS_FREEBSD ? "/usr/local/etc" : "/etc";
}

const char *
gen_le_live(const struct answers *a)
{
	return a->os == OS_FREEBSD ? "/usr/local/etc/letsencrypt/live" :
	    "/etc/letsencrypt/live";
}

char *
gen_prosody_cfg_path(const struct answers *a)
{
	return xasprintf("%s/prosody/prosody.cfg.lua", gen_etc(a));
}

char *
gen_turn_cfg_path(const struct answers *a)
{
	return xasprintf("%s/turnserver.conf", gen_etc(a));
}

char *
gen_nginx_snippet_path(const struct answers *a)
{
	return xasprintf("%s/nginx/snippets/nginx-xmpp.conf", gen_etc(a));
}

char *
gen_hook_path(const struct answers *a)
{
	return xasprintf("%s/letsencrypt/renewal-hooks/deploy/prosody.sh",
	    gen_etc(a));
}

char *
gen_cert_source(const struct answers *a)
{
	if (a->certs == CERTS_FILES)
		return xstrdup(a->cert_path);
	return xasprintf("%s/%s/fullchain.pem", gen_le_live(a), a->domain);
}

char *
gen_key_source(const struct answers *a)
{
	if (a->certs == CERTS_FILES)
		return xstrdup(a->key_path);
	return xasprintf("%s/%s/privkey.pem", gen_le_live(a), a->domain);
}

/*
 * Prosody 0.12 only picks up DOMAIN.crt (or DOMAIN/fullchain.pem) with
 * its key beside it in the certificates folder, so files of other names
 * are installed under these (prosodyctl cert import does the same for
 * certbot's live folder).
 */
char *
gen_prosody_cert(const struct answers *a)
{
	return xasprintf("%s/prosody/certs/%s.crt", gen_etc(a), a->domain);
}

char *
gen_prosody_key(const struct answers *a)
{
	return xasprintf("%s/prosody/certs/%s.key", gen_etc(a), a->domain);
}

/*
 * coturn runs as an unprivileged user that cannot read certbot's or the
 * admin's private key, so it gets its own copies (made by setup.sh and,
 * on renewal, by the certbot hook).
 */
char *
gen_turn_cert(const struct answers *a)
{
	return xasprintf("%s/coturn/fullchain.pem", gen_etc(a));
}

char *
gen_turn_key(const struct answers *a)
{
	return xasprintf("%s/coturn/privkey.pem", gen_etc(a));
}

const char *
gen_plugin_dir(const struct answers *a)
{
	return a->os == OS_FREEBSD ? "/usr/local/lib/prosody-modules" : NULL;
}

const char *
gen_turn_group(const struct answers *a)
{
	return a->os == OS_FREEBSD ? "wheel" : "turnserver";
}

const char *
gen_turn_service(const struct answers *a)
{
	return a->os == OS_FREEBSD ? "turnserver" : "coturn";
}

char *
gen_size_text(unsigned long long n)
{
	if (n != 0 && n % MIB == 0)
		return xasprintf("%llu MiB", n / MIB);
	return xasprintf("%llu bytes", n);
}

int
gen_need_https(const struct answers *a)
{
	return a->web || a->upload || a->certs == CERTS_LETSENCRYPT;
}

char *
gen_cert_names(const struct answers *a, const char *prefix)
{
	struct strbuf	b = { 0 };

	strbuf_addf(&b, "%s%s", prefix, a->domain);
	if (a->muc)
		strbuf_addf(&b, " %s%s.%s", prefix, HOST_MUC, a->domain);
	if (a->upload)
		strbuf_addf(&b, " %s%s.%s", prefix, HOST_UPLOAD, a->domain);
	if (a->proxy65)
		strbuf_addf(&b, " %s%s.%s", prefix, HOST_PROXY, a->domain);
	if (a->pubsub)
		strbuf_addf(&b, " %s%s.%s", prefix, HOST_PUBSUB, a->domain);
	if (a->turn)
		strbuf_addf(&b, " %s%s.%s", prefix, HOST_TURN, a->domain);
	return strbuf_take(&b);
}

static void
add(struct gen_file *out, size_t max, size_t *n, const char *name,
    char *(*fn)(const struct answers *), int mode, const char *print_name)
{
	if (*n < max) {
		out[*n].name = name;
		out[*n].fn = fn;
		out[*n].mode = mode;
		out[*n].print_name = print_name;
	}
	(*n)++;
}

size_t
gen_files(const struct answers *a, struct gen_file *out, size_t max)
{
	size_t	n = 0;

	add(out, max, &n, "dns.zone", gen_dns, 0644, "dns");
	if (a->web || a->upload)
		add(out, max, &n, "nginx-xmpp.conf", gen_nginx, 0644, "nginx");
	add(out, max, &n, "prosody.cfg.lua", gen_prosody, 0600, "prosody");
	if (a->turn)
		add(out, max, &n, "turnserver.conf", gen_coturn, 0600, "turn");
	switch (a->firewall) {
	case FW_IPFW:
		add(out, max, &n, "ipfw.rules", gen_ipfw_rules, 0644,
		    "firewall");
		add(out, max, &n, "rc.conf", gen_rc_conf, 0644, "firewall");
		break;
	case FW_NFTABLES:
		add(out, max, &n, "nftables.conf", gen_nftables, 0644,
		    "firewall");
		break;
	case FW_UFW:
		add(out, max, &n, "ufw.sh", gen_ufw, 0755, "firewall");
		break;
	}
	if (a->certs == CERTS_LETSENCRYPT)
		add(out, max, &n, "certbot-prosody-hook.sh", gen_certhook,
		    0755, NULL);
	add(out, max, &n, "setup.sh", gen_setup, 0755, NULL);
	add(out, max, &n, "NEXT-STEPS.txt", gen_next_steps, 0644, NULL);
	return n < max ? n : max;
}
