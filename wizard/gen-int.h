/*
 * gen-int.h - helpers shared by the generators (gen-*.c) only.
 *
 * Every path, service name and port list that appears in more than one
 * generated file comes from here, so the files agree with each other.
 */
#ifndef XMPP_SETUP_GEN_INT_H
#define XMPP_SETUP_GEN_INT_H

#include "util/str.h"
#include "wizard/answers.h"

/* "/etc" (Debian) or "/usr/local/etc" (FreeBSD); borrowed. */
const char	*gen_etc(const struct answers *);
/* The Let's Encrypt live folder, e.g. "/etc/letsencrypt/live"; borrowed. */
const char	*gen_le_live(const struct answers *);
/* Installed paths of the generated files; caller frees. */
char		*gen_prosody_cfg_path(const struct answers *);
char		*gen_turn_cfg_path(const struct answers *);
char		*gen_nginx_snippet_path(const struct answers *);
char		*gen_hook_path(const struct answers *);
/*
 * The certificate (full chain) and key to install: certbot's live files
 * or the admin's own (certs = files); caller frees.
 */
char		*gen_cert_source(const struct answers *);
char		*gen_key_source(const struct answers *);
/*
 * Where Prosody finds the certificate and key of the domain (and, through
 * the names the certificate covers, of its components); caller frees.
 */
char		*gen_prosody_cert(const struct answers *);
char		*gen_prosody_key(const struct answers *);
/* Where coturn reads its copies of them; caller frees. */
char		*gen_turn_cert(const struct answers *);
char		*gen_turn_key(const struct answers *);
/*
 * Where setup.sh puts the community module mod_cloud_notify, for
 * prosody.cfg.lua's plugin_paths; NULL where the OS ships it in Prosody's
 * own module folder (Debian's prosody-modules).  Borrowed.
 */
const char	*gen_plugin_dir(const struct answers *);
/*
 * The prosody-modules revision setup.sh fetches on FreeBSD: the one
 * Debian 12's prosody-modules (0.0~hg20230223.556bf57d6417) ships for
 * Prosody 0.12.
 */
#define GEN_MODULES_REV	"556bf57d6417"
/* The group coturn runs as ("turnserver" or "wheel"); borrowed. */
const char	*gen_turn_group(const struct answers *);
/* The TURN service name ("coturn" or "turnserver"); borrowed. */
const char	*gen_turn_service(const struct answers *);
/* "10 MiB" or "12345 bytes"; caller frees. */
char		*gen_size_text(unsigned long long);
/* Whether nginx (ports 80/443) is part of the setup. */
int		 gen_need_https(const struct answers *);
/*
 * The host names a certificate must cover, space-separated with PREFIX
 * before each ("-d " for certbot); caller frees.
 */
char		*gen_cert_names(const struct answers *, const char *prefix);

/* One port (or range) the firewall opens. */
struct gen_port {
	const char	*proto;		/* "tcp" or "udp" */
	unsigned int	 lo;
	unsigned int	 hi;		/* == lo for a single port */
	const char	*what;		/* comment */
};
#define GEN_PORTS_MAX	16
/* The open ports for A, 22/tcp first; returns how many. */
size_t		 gen_ports(const struct answers *, struct gen_port *);
/* "22/tcp 5222/tcp ..." for rc.conf's firewall_myservices; caller frees. */
char		*gen_myservices(const struct answers *);

#endif
