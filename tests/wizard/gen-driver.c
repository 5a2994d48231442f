/*
 * gen-driver.c - test driver: fills struct answers from key=value
 * arguments and writes every file of gen_files() into a folder.
 *
 *	gen-driver OUTDIR key=value ...
 *
 * Keys: domain ipv4 ipv6 private_ipv4 admin email os (debian|freebsd)
 * firewall (nftables|ufw|ipfw) muc upload upload_limit (bytes) proxy65
 * pubsub turn web txt_xmppconnect (0|1) registration (closed|invite|open)
 * storage (internal|sqlite) certs (letsencrypt|files) cert key
 * turn_secret.  Unknown keys are an error.  Not the wizard's answers.c:
 * no validation, only what the tool tests need.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xalloc.h"
#include "wizard/gen.h"

static int
set(struct answers *a, const char *k, const char *v)
{
	struct {
		const char	 *key;
		char		**s;
		int		 *i;
	} keys[] = {
		{ "domain", &a->domain, NULL },
		{ "ipv4", &a->ipv4, NULL },
		{ "ipv6", &a->ipv6, NULL },
		{ "private_ipv4", &a->private_ipv4, NULL },
		{ "admin", &a->admin, NULL },
		{ "email", &a->email, NULL },
		{ "cert", &a->cert_path, NULL },
		{ "key", &a->key_path, NULL },
		{ "turn_secret", &a->turn_secret, NULL },
		{ "muc", NULL, &a->muc },
		{ "upload", NULL, &a->upload },
		{ "proxy65", NULL, &a->proxy65 },
		{ "pubsub", NULL, &a->pubsub },
		{ "turn", NULL, &a->turn },
		{ "web", NULL, &a->web },
		{ "txt_xmppconnect", NULL, &a->txt_xmppconnect },
	};
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(k, keys[i].key) != 0)
			continue;
		if (keys[i].s != NULL) {
			free(*keys[i].s);
			*keys[i].s = *v != '\0' ? xstrdup(v) : NULL;
		} else
			*keys[i].i = strcmp(v, "1") == 0;
		return 0;
	}
	if (strcmp(k, "upload_limit") == 0)
		a->upload_limit = strtoull(v, NULL, 10);
	else if (strcmp(k, "os") == 0)
		a->os = strcmp(v, "freebsd") == 0 ? OS_FREEBSD : OS_DEBIAN;
	else if (strcmp(k, "firewall") == 0)
		a->firewall = strcmp(v, "ipfw") == 0 ? FW_IPFW :
		    strcmp(v, "ufw") == 0 ? FW_UFW : FW_NFTABLES;
	else if (strcmp(k, "registration") == 0)
		a->registration = strcmp(v, "invite") == 0 ? REG_INVITE :
		    strcmp(v, "open") == 0 ? REG_OPEN : REG_CLOSED;
	else if (strcmp(k, "storage") == 0)
		a->storage = strcmp(v, "sqlite") == 0 ? STORAGE_SQLITE :
		    STORAGE_INTERNAL;
	else if (strcmp(k, "certs") == 0)
		a->certs = strcmp(v, "files") == 0 ? CERTS_FILES :
		    CERTS_LETSENCRYPT;
	else
		return -1;
	return 0;
}

static int
write_file(const char *dir, const struct gen_file *f, const char *text)
{
	char	*path;
	FILE	*fp;
	int	 rc = 0;

	path = xasprintf("%s/%s", dir, f->name);
	if ((fp = fopen(path, "w")) == NULL ||
	    fputs(text, fp) == EOF || fclose(fp) != 0 ||
	    chmod(path, (mode_t)f->mode) != 0) {
		fprintf(stderr, "gen-driver: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

int
main(int argc, char **argv)
{
	struct answers	 a = {
		.domain = xstrdup("example.org"),
		.ipv4 = xstrdup("203.0.113.10"),
		.admin = xstrdup("admin@example.org"),
		.email = xstrdup("hostmaster@example.org"),
		.muc = 1, .upload = 1, .upload_limit = 10485760, .proxy65 = 1,
		.turn = 1, .web = 1,
		.turn_secret = xstrdup("0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef"),
	};
	struct gen_file	 files[16];
	size_t		 i, n;
	char		*eq, *text;
	int		 rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: gen-driver OUTDIR [key=value ...]\n");
		return 2;
	}
	for (i = 2; i < (size_t)argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL) {
			fprintf(stderr, "gen-driver: not key=value: %s\n",
			    argv[i]);
			return 2;
		}
		*eq = '\0';
		if (set(&a, argv[i], eq + 1) != 0) {
			fprintf(stderr, "gen-driver: unknown key: %s\n",
			    argv[i]);
			return 2;
		}
	}
	n = gen_files(&a, files, sizeof files / sizeof files[0]);
	for (i = 0; i < n; i++) {
		text = files[i].fn(&a);
		if (write_file(argv[1], &files[i], text) != 0)
			rc = 1;
		else
			printf("%s\n", files[i].name);
		free(text);
	}
	free(a.domain);
	free(a.ipv4);
	free(a.ipv6);
	free(a.private_ipv4);
	free(a.admin);
	free(a.email);
	free(a.cert_path);
	free(a.key_path);
	free(a.turn_secret);
	return rc;
}
