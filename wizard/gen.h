/*
 * gen.h - the generators: answers in, file text out.
 *
 * Each generator is a pure function of struct answers (no clock, no
 * randomness, no environment), so fixed answers give byte-identical files
 * (the golden-file tests rely on it).  Each returns the text; the caller
 * frees it.  Generated comments are in English.
 */
#ifndef XMPP_SETUP_GEN_H
#define XMPP_SETUP_GEN_H

#include <stddef.h>

#include "wizard/answers.h"

char	*gen_dns(const struct answers *);		/* dns.zone */
char	*gen_nginx(const struct answers *);		/* nginx-xmpp.conf */
char	*gen_prosody(const struct answers *);		/* prosody.cfg.lua */
char	*gen_coturn(const struct answers *);		/* turnserver.conf */
char	*gen_ipfw_rules(const struct answers *);	/* ipfw.rules */
char	*gen_rc_conf(const struct answers *);		/* rc.conf */
char	*gen_nftables(const struct answers *);		/* nftables.conf */
char	*gen_ufw(const struct answers *);		/* ufw.sh */
char	*gen_certhook(const struct answers *);	/* certbot-prosody-hook.sh */
char	*gen_setup(const struct answers *);		/* setup.sh */
char	*gen_next_steps(const struct answers *);	/* NEXT-STEPS.txt */

/* A file xmpp-setup writes for the given answers. */
struct gen_file {
	const char	*name;		/* e.g. "dns.zone" */
	char		*(*fn)(const struct answers *);
	int		 mode;		/* 0600 for files holding secrets */
	const char	*print_name;	/* --print NAME, or NULL */
};

/*
 * The files for A in writing order (only those its answers call for:
 * turnserver.conf only with TURN, the firewall files of the chosen
 * firewall).  Returns how many were put in OUT (at most MAX).
 */
size_t	 gen_files(const struct answers *a, struct gen_file *out, size_t max);

#endif
