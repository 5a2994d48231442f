/*
 * account.c - saved accounts (see account.h).
 *
 * The accounts are a singly linked list in file order.  Every value goes
 * through account_set(), whether it comes from /account or from the file,
 * so a struct account only holds checked, normalised values: the JID is a
 * bare JID, the fingerprint upper-case "AB:CD:...".  An unset string is
 * NULL; port 0 and tls TLS_STARTTLS are the defaults and are not written
 * out; an unset priority (has_priority 0) defers to presence.priority.
 *
 * The file is parsed by util/ini.c, as sziarc is: line numbers, whole
 * section names (inih keeps 49 bytes; account names may have 64), no
 * continuation lines and no inline comments (INI_SEMICOLONS), since a
 * password may contain " ; ".  A password is never logged nor repeated in
 * an error message.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/account.h"
#include "core/jid.h"
#include "util/ini.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/str.h"
#include "util/xalloc.h"

#define ACCOUNT_NAME_MAX	64
/* Free text: keeps "eval_password = VALUE" within inih's line buffer. */
#define ACCOUNT_VALUE_MAX	160
#define ACCOUNT_FINGERPRINT_PAIRS 32	/* SHA-256 */

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* In account_keys[] order. */
enum account_key {
	KEY_JID,
	KEY_PASSWORD,
	KEY_EVAL_PASSWORD,
	KEY_SERVER,
	KEY_PORT,
	KEY_TLS,
	KEY_RESOURCE,
	KEY_TLS_FINGERPRINT,
	KEY_PRIORITY,
};

const char *const account_keys[] = {
	"jid",
	"password",
	"eval_password",
	"server",
	"port",
	"tls",
	"resource",
	"tls_fingerprint",
	"priority",
	NULL
};

static const char *const account_tls_names[] = {
	[TLS_STARTTLS] = "starttls",
	[TLS_DIRECT] = "direct",
	[TLS_PLAIN] = "plain",
};

/* State of one accounts_load(). */
struct accounts_parse {
	struct accounts	*list;
	struct account	*cur;		/* the current section's */
	int		 in_section;	/* a [section] was seen */
};

const char *
tls_mode_name(enum tls_mode mode)
{
	if ((unsigned)mode >= nitems(account_tls_names))
		return "unknown";
	return account_tls_names[mode];
}

static int
account_name_ok(const char *name)
{
	size_t	len = strlen(name);

	if (len == 0 || len > ACCOUNT_NAME_MAX)
		return 0;
	return name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-")] == '\0';
}

static void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	free(a->name);
	free(a->jid);
	if (a->password != NULL) {
		explicit_bzero(a->password, strlen(a->password));
		free(a->password);
	}
	free(a->eval_password);
	free(a->server);
	free(a->resource);
	free(a->tls_fingerprint);
	free(a);
}

void
accounts_init(struct accounts *list, const char *path)
{
	list->head = NULL;
	list->path = xstrdup_or_null(path);
}

static void
accounts_clear(struct accounts *list)
{
	struct account	*a, *next;

	for (a = list->head; a != NULL; a = next) {
		next = a->next;
		account_free(a);
	}
	list->head = NULL;
}

void
accounts_free(struct accounts *list)
{
	accounts_clear(list);
	free(list->path);
	list->path = NULL;
}

struct account *
accounts_find(struct accounts *list, const char *name)
{
	struct account	*a;

	for (a = list->head; a != NULL; a = a->next) {
		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

struct account *
accounts_find_jid(struct accounts *list, const char *jid)
{
	struct account	*a;

	for (a = list->head; a != NULL; a = a->next) {
		if (a->jid != NULL && jid_bare_eq(a->jid, jid))
			return a;
	}
	return NULL;
}

/* Check JID for an account; return its bare form or NULL with *cause. */
static char *
account_check_jid(const char *jid, char **cause)
{
	struct jid	*j;
	char		*why = NULL, *bare;

	if ((j = jid_parse(jid, &why)) == NULL) {
		*cause = xasprintf("bad JID '%s': %s", jid, why);
		free(why);
		return NULL;
	}
	if (j->local == NULL || j->resource != NULL) {
		*cause = xasprintf("bad JID '%s': expected name@domain, "
		    "without a resource", jid);
		jid_free(j);
		return NULL;
	}
	bare = j->bare;
	j->bare = NULL;
	jid_free(j);
	return bare;
}

/* A new account NAME with every key unset, at the end of LIST. */
static struct account *
accounts_append(struct accounts *list, const char *name)
{
	struct account	*a, **tail;

	a = xcalloc(1, sizeof *a);
	a->name = xstrdup(name);
	a->tls = TLS_STARTTLS;
	for (tail = &list->head; *tail != NULL; tail = &(*tail)->next)
		/* nothing */;
	*tail = a;
	return a;
}

struct account *
accounts_add(struct accounts *list, const char *name, const char *jid,
    char **cause)
{
	struct account	*a;
	char		*bare;

	if (!account_name_ok(name)) {
		*cause = xasprintf("bad account name '%s': use up to %d "
		    "letters, digits and . _ @ -", name, ACCOUNT_NAME_MAX);
		return NULL;
	}
	if (accounts_find(list, name) != NULL) {
		*cause = xasprintf("account '%s' already exists", name);
		return NULL;
	}
	if ((bare = account_check_jid(jid, cause)) == NULL)
		return NULL;

	a = accounts_append(list, name);
	a->jid = bare;
	return a;
}

int
accounts_remove(struct accounts *list, const char *name)
{
	struct account	*a, **prev;

	for (prev = &list->head; (a = *prev) != NULL; prev = &a->next) {
		if (strcmp(a->name, name) == 0) {
			*prev = a->next;
			account_free(a);
			return 0;
		}
	}
	return -1;
}

/* Free text: no control characters and short enough for the file. */
static int
account_check_text(const char *key, const char *value, char **cause)
{
	const unsigned char	*p;

	if (strlen(value) > ACCOUNT_VALUE_MAX) {
		*cause = xasprintf("%s must be at most %d characters long", key,
		    ACCOUNT_VALUE_MAX);
		return -1;
	}
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*cause = xasprintf("%s must not contain control "
			    "characters", key);
			return -1;
		}
	}
	return 0;
}

static int
account_parse_int(const char *value, long min, long max, long *out)
{
	char	*end;

	if (*value == '\0')
		return -1;
	errno = 0;
	*out = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || *out < min || *out > max)
		return -1;
	return 0;
}

/*
 * Normalise a SHA-256 fingerprint ("ab:cd:..." or 64 hex digits) to
 * "AB:CD:...".  Returns NULL if it is not one.
 */
static char *
account_fingerprint(const char *value)
{
	char		 digits[ACCOUNT_FINGERPRINT_PAIRS * 2];
	struct strbuf	 b = { 0 };
	const char	*p;
	size_t		 n = 0, i;
	int		 colons = strchr(value, ':') != NULL;

	for (p = value; *p != '\0'; p++) {
		if (*p == ':') {
			/* Only between pairs. */
			if (n == 0 || n % 2 != 0 || p[1] == ':' || p[1] == '\0')
				return NULL;
			continue;
		}
		if (!isxdigit((unsigned char)*p) || n == sizeof digits)
			return NULL;
		if (colons && n % 2 == 0 && n != 0 && p[-1] != ':')
			return NULL;
		digits[n++] = toupper((unsigned char)*p);
	}
	if (n != sizeof digits)
		return NULL;
	for (i = 0; i < n; i += 2) {
		if (i != 0)
			strbuf_addc(&b, ':');
		strbuf_add(&b, digits + i, 2);
	}
	return strbuf_take(&b);
}

/* The password is kept exactly as given, and never echoed. */
static int
account_set_password(struct account *a, const char *value, char **cause)
{
	size_t	len = strlen(value);

	if (account_check_text("password", value, cause) != 0)
		return -1;
	if (len > 0 && (isspace((unsigned char)value[0]) ||
	    isspace((unsigned char)value[len - 1]))) {
		*cause = xstrdup("password must not start or end with a space "
		    "(use eval_password)");
		return -1;
	}
	if (a->password != NULL)
		explicit_bzero(a->password, strlen(a->password));
	str_replace(&a->password, len > 0 ? value : NULL);
	return 0;
}

/* TLS mode NAME ("" is the default) into *MODE; -1 if unknown. */
static int
account_tls_mode(const char *name, enum tls_mode *mode)
{
	size_t	i;

	if (*name == '\0') {
		*mode = TLS_STARTTLS;
		return 0;
	}
	for (i = 0; i < nitems(account_tls_names); i++) {
		if (strcasecmp(name, account_tls_names[i]) == 0) {
			*mode = i;
			return 0;
		}
	}
	return -1;
}

int
account_set(struct account *a, const char *key, const char *value,
    char **cause)
{
	char	*text, *norm;
	long	 n;
	int	 k, rc = -1;

	for (k = 0; account_keys[k] != NULL; k++) {
		if (strcmp(account_keys[k], key) == 0)
			break;
	}
	if (account_keys[k] == NULL) {
		*cause = xasprintf("unknown account key '%s'", key);
		return -1;
	}
	if (value == NULL)
		value = "";

	if (k == KEY_PASSWORD)
		return account_set_password(a, value, cause);

	text = str_trim(xstrdup(value));
	switch ((enum account_key)k) {
	case KEY_JID:
		if ((norm = account_check_jid(text, cause)) == NULL)
			break;
		free(a->jid);
		a->jid = norm;
		rc = 0;
		break;
	case KEY_PASSWORD:
		break;	/* not trimmed: above */
	case KEY_EVAL_PASSWORD:
	case KEY_RESOURCE:
		if (account_check_text(key, text, cause) != 0)
			break;
		str_replace(k == KEY_RESOURCE ? &a->resource :
		    &a->eval_password, *text != '\0' ? text : NULL);
		rc = 0;
		break;
	case KEY_SERVER:
		if (account_check_text(key, text, cause) != 0)
			break;
		if (strpbrk(text, " \t/") != NULL) {
			*cause = xstrdup("server must be a host name or "
			    "address");
			break;
		}
		str_replace(&a->server, *text != '\0' ? text : NULL);
		rc = 0;
		break;
	case KEY_PORT:
		if (*text == '\0')
			n = 0;
		else if (account_parse_int(text, 1, 65535, &n) != 0) {
			*cause = xstrdup("port must be a number from 1 to "
			    "65535");
			break;
		}
		a->port = n;
		rc = 0;
		break;
	case KEY_TLS:
		if (account_tls_mode(text, &a->tls) != 0) {
			*cause = xstrdup("tls must be starttls, direct or "
			    "plain");
			break;
		}
		rc = 0;
		break;
	case KEY_TLS_FINGERPRINT:
		if (*text == '\0') {
			str_replace(&a->tls_fingerprint, NULL);
			rc = 0;
			break;
		}
		if ((norm = account_fingerprint(text)) == NULL) {
			*cause = xstrdup("tls_fingerprint must be a SHA-256 "
			    "fingerprint: 32 hex pairs AB:CD:...");
			break;
		}
		free(a->tls_fingerprint);
		a->tls_fingerprint = norm;
		rc = 0;
		break;
	case KEY_PRIORITY:
		if (*text == '\0')
			n = 0;
		else if (account_parse_int(text, -128, 127, &n) != 0) {
			*cause = xstrdup("priority must be a number from -128 "
			    "to 127");
			break;
		}
		a->priority = n;
		a->has_priority = *text != '\0';
		rc = 0;
		break;
	}
	free(text);
	return rc;
}

/*
 * The end of a [section]: its account is complete and needs a JID.  The
 * problem is reported at the [section] line.
 */
static int
accounts_parse_end(void *arg, const char *name, int line, char **cause)
{
	struct accounts_parse	*ap = arg;
	struct account		*a = ap->cur;

	ap->cur = NULL;
	if (a == NULL || a->jid != NULL)
		return 0;
	*cause = xasprintf("account '%s' has no jid", a->name);
	accounts_remove(ap->list, a->name);
	return -1;
}

/* A [NAME] line: start a new account (or skip a bad section). */
static int
accounts_parse_section(void *arg, const char *name, int line, char **cause)
{
	struct accounts_parse	*ap = arg;

	ap->in_section = 1;
	if (!account_name_ok(name)) {
		*cause = xasprintf("bad account name '%s'", name);
		return -1;
	}
	if (accounts_find(ap->list, name) != NULL) {
		*cause = xasprintf("account '%s' is defined twice", name);
		return -1;
	}
	/* No JID yet: accounts_parse_end() checks it comes. */
	ap->cur = accounts_append(ap->list, name);
	return 0;
}

static int
accounts_parse_key(void *arg, const char *section, const char *key,
    const char *value, int line, char **cause)
{
	struct accounts_parse	*ap = arg;

	if (!ap->in_section) {
		*cause = xasprintf("'%s' is outside an [account] section", key);
		return -1;
	}
	if (ap->cur == NULL)
		return 0;	/* bad section, already reported */
	return account_set(ap->cur, key, value, cause);
}

static const struct ini_format accounts_ini = {
	.flags = INI_SEMICOLONS,
	.expected = "expected 'key = value' or '[account]'",
	.key = accounts_parse_key,
	.section = accounts_parse_section,
	.section_end = accounts_parse_end,
};

int
accounts_load(struct accounts *list, char **cause)
{
	struct accounts_parse	 ap;
	char			*text;
	const char		*file;
	int			 rc;

	if (list->path == NULL)
		return 0;
	if (ini_read_file(list->path, &text) != 0) {
		if (errno == ENOENT) {
			accounts_clear(list);
			return 0;
		}
		*cause = xasprintf("cannot read %s: %s", list->path,
		    strerror(errno));
		return -1;
	}
	accounts_clear(list);

	memset(&ap, 0, sizeof ap);
	ap.list = list;
	file = strrchr(list->path, '/');
	rc = ini_parse_text(&accounts_ini, file != NULL ? file + 1 :
	    list->path, text, &ap, cause);
	free(text);
	if (rc != 0)
		return -1;
	log_debug("accounts: loaded %s", list->path);
	return 0;
}

int
accounts_save(const struct accounts *list, char **cause)
{
	struct strbuf	 b = { 0 };
	struct account	*a;
	char		*dir, *slash;
	int		 rc;

	if (list->path == NULL)
		return 0;

	strbuf_adds(&b, "# szia accounts (written by szia).  A password here "
	    "is stored in clear:\n# eval_password = pass show xmpp keeps "
	    "it out of this file.\n");
	for (a = list->head; a != NULL; a = a->next) {
		strbuf_addf(&b, "\n[%s]\n", a->name);
		if (a->jid != NULL)
			strbuf_addf(&b, "jid = %s\n", a->jid);
		if (a->password != NULL)
			strbuf_addf(&b, "password = %s\n", a->password);
		if (a->eval_password != NULL)
			strbuf_addf(&b, "eval_password = %s\n",
			    a->eval_password);
		if (a->server != NULL)
			strbuf_addf(&b, "server = %s\n", a->server);
		if (a->port != 0)
			strbuf_addf(&b, "port = %d\n", a->port);
		if (a->tls != TLS_STARTTLS)
			strbuf_addf(&b, "tls = %s\n", tls_mode_name(a->tls));
		if (a->resource != NULL)
			strbuf_addf(&b, "resource = %s\n", a->resource);
		if (a->tls_fingerprint != NULL)
			strbuf_addf(&b, "tls_fingerprint = %s\n",
			    a->tls_fingerprint);
		if (a->has_priority)
			strbuf_addf(&b, "priority = %d\n", a->priority);
	}

	dir = xstrdup(list->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdir(dir, 0700, cause) != 0) {
			free(dir);
			strbuf_free(&b);
			return -1;
		}
	}
	free(dir);
	rc = paths_write_atomic(list->path, b.s, b.len, 0600, cause);
	strbuf_free(&b);
	if (rc == 0)
		log_debug("accounts: saved %s", list->path);
	return rc;
}
