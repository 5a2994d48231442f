/*
 * answers.c - the questions xmpp-setup asks and the answers it uses (see
 * answers.h).
 *
 * Each question is a row of answers_questions[]: its key, its kind (which
 * validator checks it and how it is stored), where it lives in struct
 * answers, its default and a line of help.  Setting, printing and loading
 * answers all go through the table, so a question added there is also a
 * flag, an answers.ini key and (later) a prompt.
 *
 * The firewall follows the OS until it is answered: nftables on Debian,
 * ipfw on FreeBSD.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/ini.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/answers.h"
#include "wizard/i18n.h"
#include "wizard/validate.h"

#define OFF(f)	offsetof(struct answers, f)

/* In the order of the enums in answers.h. */
static const char *const os_names[] = { "debian", "freebsd", NULL };
static const char *const firewall_names[] = { "nftables", "ufw", "ipfw",
    NULL };
static const char *const registration_names[] = { "closed", "invite", "open",
    NULL };
static const char *const storage_names[] = { "internal", "sqlite", NULL };
static const char *const certs_names[] = { "letsencrypt", "files", NULL };

const struct question answers_questions[] = {
	{ "domain", "--domain", Q_DOMAIN, OFF(domain), NULL, NULL, 1,
	  N_("the domain of the XMPP addresses, e.g. example.org "
	  "(IDN allowed)") },
	{ "ipv4", "--ipv4", Q_IPV4, OFF(ipv4), NULL, NULL, 1,
	  N_("the public IPv4 address of the server") },
	{ "ipv6", "--ipv6", Q_IPV6, OFF(ipv6), NULL, NULL, 0,
	  N_("the public IPv6 address of the server (optional)") },
	{ "private_ipv4", "--private-ipv4", Q_PRIVATE_IPV4, OFF(private_ipv4),
	  NULL, NULL, 0,
	  N_("the server's own IPv4 address when it is behind NAT "
	  "(optional)") },
	{ "admin", "--admin", Q_JID, OFF(admin), NULL, NULL, 1,
	  N_("the administrator's JID, e.g. admin@example.org") },
	{ "email", "--email", Q_EMAIL, OFF(email), NULL, NULL, 1,
	  N_("the contact e-mail address (Let's Encrypt, contact info)") },
	{ "os", "--os", Q_CHOICE, OFF(os), os_names, "debian", 0,
	  N_("the target system: debian (also Ubuntu) or freebsd") },
	{ "firewall", "--firewall", Q_CHOICE, OFF(firewall), firewall_names,
	  NULL, 0,
	  N_("the firewall: nftables or ufw on debian, ipfw on freebsd") },
	{ "muc", "--muc", Q_BOOL, OFF(muc), NULL, "yes", 0,
	  N_("group chat (MUC) component") },
	{ "upload", "--upload", Q_BOOL, OFF(upload), NULL, "yes", 0,
	  N_("HTTP file upload component") },
	{ "upload_limit", "--upload-limit", Q_SIZE, OFF(upload_limit), NULL,
	  "10M", 0,
	  N_("largest file to upload: bytes or K, M, G (at most 4G)") },
	{ "proxy65", "--proxy65", Q_BOOL, OFF(proxy65), NULL, "yes", 0,
	  N_("SOCKS5 file transfer proxy") },
	{ "pubsub", "--pubsub", Q_BOOL, OFF(pubsub), NULL, "yes", 0,
	  N_("publish-subscribe component") },
	{ "turn", "--turn", Q_BOOL, OFF(turn), NULL, "yes", 0,
	  N_("TURN/STUN server (coturn) for audio and video calls") },
	{ "registration", "--registration", Q_CHOICE, OFF(registration),
	  registration_names, "closed", 0,
	  N_("account registration: closed, invite or open") },
	{ "storage", "--storage", Q_CHOICE, OFF(storage), storage_names,
	  "internal", 0, N_("Prosody's storage: internal files or sqlite") },
	{ "web", "--web", Q_BOOL, OFF(web), NULL, "yes", 0,
	  N_("BOSH and WebSocket through nginx") },
	{ "certs", "--certs", Q_CHOICE, OFF(certs), certs_names,
	  "letsencrypt", 0,
	  N_("certificates: letsencrypt (certbot) or existing files") },
	{ "cert", "--cert", Q_PATH, OFF(cert_path), NULL, NULL, 0,
	  N_("the certificate (full chain) file, with certs = files") },
	{ "key", "--key", Q_PATH, OFF(key_path), NULL, NULL, 0,
	  N_("the private key file, with certs = files") },
	{ "txt_xmppconnect", "--txt-xmppconnect", Q_BOOL, OFF(txt_xmppconnect),
	  NULL, "no", 0,
	  N_("also publish the legacy _xmppconnect TXT record? XEP-0156 now "
	  "prefers host-meta (written to nginx-xmpp.conf): an unsigned TXT "
	  "record can be forged to redirect web clients") },
	{ "turn_secret", "--turn-secret", Q_SECRET, OFF(turn_secret), NULL,
	  NULL, 0, N_("the TURN shared secret, 64 hex digits (generated)") },
};
const size_t answers_nquestions =
    sizeof answers_questions / sizeof answers_questions[0];

/* Keys that answers.ini files of older versions use, and their question. */
static const struct {
	const char	*old;
	const char	*key;
} answers_aliases[] = {
	{ "cert_path", "cert" },
	{ "key_path", "key" },
};

/* Kinds stored as a char * field. */
static int
is_text(enum question_kind kind)
{
	return kind != Q_CHOICE && kind != Q_BOOL && kind != Q_SIZE;
}

static char **
field_text(struct answers *a, const struct question *q)
{
	return (char **)((char *)a + q->off);
}

static int *
field_int(struct answers *a, const struct question *q)
{
	return (int *)((char *)a + q->off);
}

static enum firewall
default_firewall(enum target_os os)
{
	return os == OS_FREEBSD ? FW_IPFW : FW_NFTABLES;
}

static void
problem_addv(struct answers_problems *p, const char *key, const char *fmt,
    va_list ap)
{
	p->lines = xreallocarray(p->lines, p->n + 1, sizeof *p->lines);
	p->keys = xreallocarray(p->keys, p->n + 1, sizeof *p->keys);
	p->lines[p->n] = xvasprintf(fmt, ap);
	p->keys[p->n] = key;
	p->n++;
}

void
answers_problem_add(struct answers_problems *p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	problem_addv(p, NULL, fmt, ap);
	va_end(ap);
}

void
answers_problem_add_key(struct answers_problems *p, const char *key,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	problem_addv(p, key, fmt, ap);
	va_end(ap);
}

void
answers_problems_free(struct answers_problems *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->keys);
	p->lines = NULL;
	p->keys = NULL;
	p->n = 0;
}

/* Has P a problem with KEY? */
static int
problem_with(const struct answers_problems *p, const char *key)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		if (p->keys[i] != NULL && strcmp(p->keys[i], key) == 0)
			return 1;
	}
	return 0;
}

const struct question *
answers_find(const char *key)
{
	size_t	i;

	for (i = 0; i < answers_nquestions; i++) {
		if (strcmp(answers_questions[i].key, key) == 0)
			return &answers_questions[i];
	}
	for (i = 0; i < sizeof answers_aliases / sizeof answers_aliases[0];
	    i++) {
		if (strcmp(answers_aliases[i].old, key) == 0)
			return answers_find(answers_aliases[i].key);
	}
	return NULL;
}

void
answers_defaults(struct answers *a)
{
	const struct question	*q;
	char			*cause;
	size_t			 i;

	memset(a, 0, sizeof *a);
	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		if (q->def == NULL)
			continue;
		if (answers_set(a, q->key, q->def, &cause) != 0)
			fatal("default %s: %s", q->key, cause);
	}
	a->firewall = default_firewall(a->os);
	a->firewall_given = 0;
}

void
answers_free(struct answers *a)
{
	size_t	i;

	for (i = 0; i < answers_nquestions; i++) {
		if (is_text(answers_questions[i].kind)) {
			free(*field_text(a, &answers_questions[i]));
			*field_text(a, &answers_questions[i]) = NULL;
		}
	}
	free(a->domain_input);
	a->domain_input = NULL;
}

/* Check VALUE for a text question Q; its canonical form in *OUT. */
static int
check_text(const struct question *q, const char *value, char **out,
    char **cause)
{
	switch (q->kind) {
	case Q_DOMAIN:
		return validate_domain(value, out, cause);
	case Q_IPV4:
		return validate_ipv4(value, 1, out, cause);
	case Q_PRIVATE_IPV4:
		return validate_ipv4(value, 0, out, cause);
	case Q_IPV6:
		return validate_ipv6(value, out, cause);
	case Q_JID:
		return validate_jid(value, out, cause);
	case Q_EMAIL:
		return validate_email(value, out, cause);
	case Q_PATH:
		if (validate_abs_path(value, cause) != 0)
			return -1;
		*out = xstrdup(value);
		return 0;
	case Q_SECRET:
		return validate_secret(value, out, cause);
	default:
		fatal("check_text: %s is not text", q->key);
	}
}

/* Q_CHOICE: the index of VALUE in Q's choices. */
static int
check_choice(const struct question *q, const char *value, int *out,
    char **cause)
{
	struct strbuf	 b = { 0 };
	int		 i;

	for (i = 0; q->choices[i] != NULL; i++) {
		if (strcasecmp(q->choices[i], value) == 0) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; q->choices[i] != NULL; i++) {
		if (i > 0)
			strbuf_adds(&b, q->choices[i + 1] != NULL ? ", " :
			    _(" or "));
		strbuf_adds(&b, q->choices[i]);
	}
	*cause = xasprintf(_("'%s' is not one of %s"), value, b.s);
	strbuf_free(&b);
	return -1;
}

int
answers_set(struct answers *a, const char *key, const char *value,
    char **cause)
{
	const struct question	*q;
	char			*text, **field;
	int			 n;
	unsigned long long	 size;

	if ((q = answers_find(key)) == NULL) {
		*cause = xasprintf(_("unknown key '%s'"), key);
		return -1;
	}
	if (is_text(q->kind)) {
		field = field_text(a, q);
		if (*value == '\0') {
			free(*field);
			*field = NULL;
			if (q->kind == Q_DOMAIN) {
				free(a->domain_input);
				a->domain_input = NULL;
			}
			return 0;
		}
		if (check_text(q, value, &text, cause) != 0)
			return -1;
		free(*field);
		*field = text;
		if (q->kind == Q_DOMAIN)
			str_replace(&a->domain_input, value);
		return 0;
	}
	if (*value == '\0') {
		*cause = xstrdup(_("the value is empty"));
		return -1;
	}
	switch (q->kind) {
	case Q_CHOICE:
		if (check_choice(q, value, &n, cause) != 0)
			return -1;
		*field_int(a, q) = n;
		if (q->off == OFF(firewall))
			a->firewall_given = 1;
		else if (q->off == OFF(os) && !a->firewall_given)
			a->firewall = default_firewall(a->os);
		return 0;
	case Q_BOOL:
		if (validate_yesno(value, &n, cause) != 0)
			return -1;
		*field_int(a, q) = n;
		return 0;
	case Q_SIZE:
		if (validate_size(value, VALIDATE_SIZE_MAX, &size, cause) != 0)
			return -1;
		a->upload_limit = size;
		return 0;
	default:
		fatal("answers_set: %s has no kind", q->key);
	}
}

char *
answers_get(const struct answers *a, const char *key)
{
	const struct question	*q;
	struct answers		*w = (struct answers *)a;	/* read only */
	const char		*s;

	if ((q = answers_find(key)) == NULL)
		return xstrdup("");
	switch (q->kind) {
	case Q_DOMAIN:
		return xstrdup(a->domain_input != NULL ? a->domain_input : "");
	case Q_CHOICE:
		return xstrdup(q->choices[*field_int(w, q)]);
	case Q_BOOL:
		return xstrdup(*field_int(w, q) ? "yes" : "no");
	case Q_SIZE:
		return validate_size_format(a->upload_limit);
	default:
		s = *field_text(w, q);
		return xstrdup(s != NULL ? s : "");
	}
}

/* Arguments of the answers_load_text() callbacks. */
struct load_state {
	struct answers		*a;
	const char		*name;
	struct answers_problems	*problems;
};

static int
load_key(void *arg, const char *section, const char *key, const char *value,
    int line, char **cause)
{
	struct load_state	*st = arg;
	char			*why;

	if (*section != '\0')
		return 0;	/* reported at the [section] line */
	if (answers_find(key) == NULL) {
		answers_problem_add(st->problems, _("%s:%d: unknown key '%s'"),
		    st->name, line, key);
		return 0;
	}
	if (answers_set(st->a, key, value, &why) != 0) {
		answers_problem_add_key(st->problems, answers_find(key)->key,
		    "%s:%d: %s: %s", st->name, line, key, why);
		free(why);
	}
	return 0;
}

static int
load_section(void *arg, const char *section, int line, char **cause)
{
	struct load_state	*st = arg;

	answers_problem_add(st->problems, _("%s:%d: [%s]: answers files have "
	    "no sections"), st->name, line, section);
	return 0;
}

static const struct ini_format answers_ini_format = {
	0,
	N_("expected key = value"),
	load_key,
	load_section,
	NULL,
	NULL,		/* translated in answers_load_text() */
};

int
answers_load_text(struct answers *a, const char *name, const char *text,
    struct answers_problems *problems)
{
	struct load_state	 st = { a, name, problems };
	struct ini_format	 fmt = answers_ini_format;
	size_t			 before = problems->n;
	char			*cause;

	fmt.expected = _(answers_ini_format.expected);
	fmt.too_long = _("the line is too long");
	if (ini_parse_text(&fmt, name, text, &st, &cause) != 0) {
		answers_problem_add(problems, "%s", cause);
		free(cause);
	}
	return problems->n > before ? -1 : 0;
}

int
answers_load_file(struct answers *a, const char *path,
    struct answers_problems *problems)
{
	char	*text;
	int	 rc;

	if (ini_read_file(path, &text) != 0) {
		answers_problem_add(problems, _("cannot read %s: %s"), path,
		    strerror(errno));
		return -1;
	}
	rc = answers_load_text(a, path, text, problems);
	free(text);
	return rc;
}

char *
answers_format(const struct answers *a)
{
	const struct question	*q;
	struct strbuf		 b = { 0 };
	char			*value;
	size_t			 i;

	strbuf_adds(&b, "# xmpp-setup answers.  Run\n"
	    "#   xmpp-setup --answers answers.ini --output DIR --yes\n"
	    "# to write the same files again.  It holds the TURN secret: "
	    "keep it private.\n");
	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		value = answers_get(a, q->key);
		strbuf_addf(&b, "\n# %s\n%s =%s%s\n", q->help, q->key,
		    *value != '\0' ? " " : "", value);
		free(value);
	}
	return strbuf_take(&b);
}

size_t
answers_check(const struct answers *a, struct answers_problems *problems)
{
	const struct question	*q;
	size_t			 before = problems->n, i;
	const char		*at;
	char			*why;

	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		if (q->required &&
		    *field_text((struct answers *)a, q) == NULL &&
		    !problem_with(problems, q->key))
			answers_problem_add_key(problems, q->key,
			    _("missing answer: %s (%s)"), q->key, q->flag);
	}
	if (a->os == OS_DEBIAN && a->firewall == FW_IPFW)
		answers_problem_add(problems, "firewall: %s",
		    _("ipfw is for freebsd; on debian use nftables or ufw"));
	if (a->os == OS_FREEBSD && a->firewall != FW_IPFW) {
		why = xasprintf(_("%s is not available on freebsd; use ipfw"),
		    firewall_names[a->firewall]);
		answers_problem_add(problems, "firewall: %s", why);
		free(why);
	}
	if (a->certs == CERTS_FILES && a->cert_path == NULL)
		answers_problem_add(problems, "cert: %s",
		    _("certs = files needs the certificate file (--cert)"));
	if (a->certs == CERTS_FILES && a->key_path == NULL)
		answers_problem_add(problems, "key: %s",
		    _("certs = files needs the private key file (--key)"));
	if (a->txt_xmppconnect && !a->web) {
		why = xasprintf(_("the _xmppconnect record points web clients "
		    "at https://%s/http-bind, which only exists with web = yes "
		    "(--web)"), a->domain != NULL ? a->domain : _("DOMAIN"));
		answers_problem_add(problems, "txt_xmppconnect: %s", why);
		free(why);
	}
	if (a->admin != NULL && a->domain != NULL &&
	    (at = strrchr(a->admin, '@')) != NULL &&
	    strcmp(at + 1, a->domain) != 0) {
		why = xasprintf(_("%s is not an account on %s (setup.sh "
		    "creates the admin account there)"), a->admin, a->domain);
		answers_problem_add(problems, "admin: %s", why);
		free(why);
	}
	return problems->n - before;
}
