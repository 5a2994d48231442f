/*
 * ask.c - interactive mode (see ask.h).
 *
 * Each question is a row of answers_questions[]: its help line is printed,
 * then the prompt "KEY [DEFAULT]: " is read with readline(), and the
 * answer goes through answers_set() (and the whole-answers checks of
 * answers_check() that name KEY) before the next question.  A few
 * questions only apply to some answers; they are asked right after the
 * question they depend on (ask_rules[]).
 *
 * Signals: readline's own handlers are off (rl_catch_signals = 0).
 * SIGINT, SIGTERM and SIGHUP are blocked except while ask_getc() waits in
 * ppoll(), so a signal can only arrive there; the handler sets a flag,
 * ask_getc() empties the line and returns EOF, and readline() returns
 * NULL after restoring the terminal as usual.
 *
 * The public IP questions offer the addresses of the local interfaces
 * (getifaddrs(); nothing is looked up on the network).  The tests set
 * XMPP_SETUP_TEST_ADDRS to a list of addresses (spaces or commas between)
 * to stand for the interfaces' addresses.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <locale.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <readline/readline.h>

#include "util/ini.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/ask.h"
#include "wizard/gen.h"
#include "wizard/i18n.h"
#include "wizard/output.h"
#include "wizard/validate.h"

#define ASK_MAX_FILES	32

static const char	 ask_cancelled[] =
    N_("Cancelled: nothing was written.");

static volatile sig_atomic_t	 ask_signalled;
static sigset_t			 ask_waitmask;	/* while waiting for a key */
static int			 ask_ready;

static int
ask_with_turn(const struct answers *a)
{
	return a->turn;
}

static int
ask_with_upload(const struct answers *a)
{
	return a->upload;
}

static int
ask_with_files(const struct answers *a)
{
	return a->certs == CERTS_FILES;
}

static int
ask_never(const struct answers *a)
{
	return 0;
}

/*
 * Questions that do not always apply: asked right after AFTER (whether or
 * not AFTER itself was asked), only when APPLIES says so; NEEDED: an
 * answer must be given then.  The TURN secret is never asked.
 */
static const struct ask_rule {
	const char	*key;
	const char	*after;
	int		(*applies)(const struct answers *);
	int		 needed;
} ask_rules[] = {
	{ "private_ipv4", "turn", ask_with_turn, 0 },
	{ "upload_limit", "upload", ask_with_upload, 1 },
	{ "cert", "certs", ask_with_files, 1 },
	{ "key", "certs", ask_with_files, 1 },
	{ "turn_secret", NULL, ask_never, 0 },
};
#define NRULES	(sizeof ask_rules / sizeof ask_rules[0])

static const struct ask_rule *
ask_rule(const char *key)
{
	size_t	i;

	for (i = 0; i < NRULES; i++) {
		if (strcmp(ask_rules[i].key, key) == 0)
			return &ask_rules[i];
	}
	return NULL;
}

/* Kinds stored as text; an optional one may be left empty ("none"). */
static int
ask_is_text(enum question_kind kind)
{
	return kind != Q_CHOICE && kind != Q_BOOL && kind != Q_SIZE;
}

static void
ask_catch(int sig)
{
	ask_signalled = sig;
}

/* readline's rl_getc_function: one byte, or EOF once a signal came. */
static int
ask_getc(FILE *f)
{
	struct pollfd	 pfd;
	unsigned char	 c;
	ssize_t		 n;

	pfd.fd = fileno(f);
	pfd.events = POLLIN;
	for (;;) {
		if (ask_signalled) {
			rl_replace_line("", 0);	/* so readline() gives up */
			return EOF;
		}
		if (ppoll(&pfd, 1, NULL, &ask_waitmask) == -1) {
			if (errno == EINTR)
				continue;
			return EOF;
		}
		n = read(pfd.fd, &c, 1);
		if (n == 1)
			return c;
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			return EOF;
	}
}

static void
ask_init(FILE *out)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction	 sa;
	sigset_t		 block;
	size_t			 i;

	rl_outstream = out;
	if (ask_ready)
		return;
	setlocale(LC_CTYPE, "");	/* readline: UTF-8 input */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ask_catch;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &ask_waitmask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigdelset(&ask_waitmask, sigs[i]);
	rl_readline_name = "xmpp-setup";
	rl_instream = stdin;
	rl_catch_signals = 0;
	rl_getc_function = ask_getc;
	ask_ready = 1;
}

/*
 * Read a line after PROMPT.  Returns it trimmed (caller frees), or NULL
 * when the user cancelled (Ctrl-D, or a signal): the message is printed.
 */
static char *
ask_line(FILE *out, const char *prompt)
{
	char		*line = NULL;
	const char	*bracketed;

	fflush(out);
	if (!ask_signalled)
		line = readline(prompt);
	if (line == NULL || ask_signalled) {
		free(line);
		/* At EOF, readline ends the line itself if it uses
		 * bracketed paste. */
		bracketed = rl_variable_value("enable-bracketed-paste");
		if (!rl_eof_found || bracketed == NULL ||
		    strcmp(bracketed, "on") != 0)
			fputc('\n', out);
		fprintf(out, "%s\n", _(ask_cancelled));
		fflush(out);
		return NULL;
	}
	return str_trim(line);
}

/*
 * Add ADDR (a struct in_addr or in6_addr of FAMILY) to the N addresses
 * in *OUT unless it is loopback, link-local or there already.
 */
static void
ask_add_addr(int family, const void *addr, char ***out, size_t *n)
{
	const struct in_addr	*in = addr;
	const struct in6_addr	*in6 = addr;
	char			 buf[INET6_ADDRSTRLEN];
	size_t			 i;

	if (family == AF_INET) {
		if ((ntohl(in->s_addr) >> 16) == 0xa9fe ||
		    (ntohl(in->s_addr) >> 24) == 127)
			return;		/* link-local, loopback */
	} else if (IN6_IS_ADDR_LINKLOCAL(in6) || IN6_IS_ADDR_LOOPBACK(in6))
		return;
	inet_ntop(family, addr, buf, sizeof buf);
	for (i = 0; i < *n; i++) {
		if (strcmp((*out)[i], buf) == 0)
			return;
	}
	*out = xreallocarray(*out, *n + 1, sizeof **out);
	(*out)[(*n)++] = xstrdup(buf);
}

/*
 * The addresses of the local interfaces of FAMILY (or those the tests
 * give in XMPP_SETUP_TEST_ADDRS), without loopback and link-local ones
 * and without duplicates, in *OUT (caller frees each and the array).
 * Returns how many.
 */
static size_t
ask_local_addrs(int family, char ***out)
{
	struct ifaddrs		*ifa, *i;
	struct in6_addr		 addr;	/* big enough for either family */
	const char		*test;
	char			*list, *word, *save;
	size_t			 n = 0;

	*out = NULL;
	if ((test = getenv("XMPP_SETUP_TEST_ADDRS")) != NULL) {
		list = xstrdup(test);
		for (word = strtok_r(list, " ,", &save); word != NULL;
		    word = strtok_r(NULL, " ,", &save)) {
			if (inet_pton(family, word, &addr) == 1)
				ask_add_addr(family, &addr, out, &n);
		}
		free(list);
		return n;
	}
	if (getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (family == AF_INET)
			ask_add_addr(family, &((const struct sockaddr_in *)
			    i->ifa_addr)->sin_addr, out, &n);
		else
			ask_add_addr(family, &((const struct sockaddr_in6 *)
			    i->ifa_addr)->sin6_addr, out, &n);
	}
	freeifaddrs(ifa);
	return n;
}

/* Is S a public address of Q's kind (or, for Q_PRIVATE_IPV4, private)? */
static int
ask_addr_fits(const struct question *q, const char *s)
{
	char	*canon = NULL, *cause = NULL;
	int	 rc;

	if (q->kind == Q_IPV6)
		rc = validate_ipv6(s, &canon, &cause);
	else
		rc = validate_ipv4(s, q->kind == Q_IPV4, &canon, &cause);
	free(canon);
	free(cause);
	return rc == 0;
}

/*
 * Local addresses as a hint for an IP question Q: "(local addresses:
 * ...)" in *HINT (caller frees; NULL if none), and in *DEF the public one
 * if there is exactly one (else untouched).
 */
static void
ask_addr_hint(const struct question *q, char **hint, char **def)
{
	struct strbuf	  b = { 0 };
	char		**addrs;
	size_t		  n, i, shown = 0, public = 0, which = 0;

	n = ask_local_addrs(q->kind == Q_IPV6 ? AF_INET6 : AF_INET, &addrs);
	for (i = 0; i < n; i++) {
		if (q->kind == Q_PRIVATE_IPV4 && !ask_addr_fits(q, addrs[i]))
			continue;
		strbuf_adds(&b, shown++ == 0 ? _("(local addresses: ") : ", ");
		strbuf_adds(&b, addrs[i]);
		if (q->kind != Q_PRIVATE_IPV4 && ask_addr_fits(q, addrs[i])) {
			public++;
			which = i;
		}
	}
	if (shown > 0) {
		strbuf_addc(&b, ')');
		*hint = strbuf_take(&b);
	}
	if (public == 1) {
		free(*def);
		*def = xstrdup(addrs[which]);
	}
	for (i = 0; i < n; i++)
		free(addrs[i]);
	free(addrs);
}

/* The default offered for Q (maybe ""; caller frees) and a hint line. */
static char *
ask_default(const struct answers *a, const struct question *q, char **hint)
{
	char	*def;

	*hint = NULL;
	def = answers_get(a, q->key);
	if (*def != '\0')
		return def;
	switch (q->kind) {
	case Q_JID:
		if (a->domain != NULL) {
			free(def);
			def = xasprintf("admin@%s", a->domain);
		}
		break;
	case Q_IPV4:
	case Q_IPV6:
	case Q_PRIVATE_IPV4:
		ask_addr_hint(q, hint, &def);
		break;
	default:
		break;
	}
	return def;
}

/*
 * The first problem answers_check() finds with KEY in A as a whole (a
 * line starting "KEY: "), without the prefix; NULL if none.  Caller frees.
 */
static char *
ask_conflict(const struct answers *a, const char *key)
{
	struct answers_problems	 problems = { 0 };
	char			*found = NULL;
	size_t			 i, len = strlen(key);

	answers_check(a, &problems);
	for (i = 0; i < problems.n && found == NULL; i++) {
		if (strncmp(problems.lines[i], key, len) == 0 &&
		    strncmp(problems.lines[i] + len, ": ", 2) == 0)
			found = xstrdup(problems.lines[i] + len + 2);
	}
	answers_problems_free(&problems);
	return found;
}

/*
 * Set Q from the answer LINE (the default if empty); revert and return -1
 * with *cause set if it is refused.
 */
static int
ask_apply(struct answers *a, const struct question *q, const char *line,
    const char *def, int needed, char **cause)
{
	const char	*value = *line != '\0' ? line : def;
	char		*old, *ignored = NULL;
	int		 old_given = a->firewall_given;

	if (!needed && ask_is_text(q->kind) &&
	    (strcasecmp(value, "none") == 0 ||
	    strcasecmp(value, _("none")) == 0))
		value = "";
	if (*value == '\0' && needed) {
		*cause = xstrdup(_("an answer is needed"));
		return -1;
	}
	old = answers_get(a, q->key);
	if (answers_set(a, q->key, value, cause) != 0) {
		free(old);
		return -1;
	}
	if ((*cause = ask_conflict(a, q->key)) != NULL) {
		answers_set(a, q->key, old, &ignored);	/* was good */
		a->firewall_given = old_given;
		free(ignored);
		free(old);
		return -1;
	}
	free(old);
	return 0;
}

/* Ask question number I until it gets a good answer.  -1: cancelled. */
static int
ask_one(struct answers *a, size_t i, int needed, FILE *out)
{
	const struct question	*q = &answers_questions[i];
	char			*def, *hint, *prompt, *line, *cause, *canon;
	int			 rc = 0;

	def = ask_default(a, q, &hint);
	fprintf(out, "\n%s%s%s\n", _(q->help), hint != NULL ? " " : "",
	    hint != NULL ? hint : "");
	if (*def != '\0')
		prompt = xasprintf("%s [%s]: ", q->key, def);
	else if (!needed)
		prompt = xasprintf("%s [%s]: ", q->key, _("none"));
	else
		prompt = xasprintf("%s: ", q->key);
	for (;;) {
		if ((line = ask_line(out, prompt)) == NULL) {
			rc = -1;
			break;
		}
		if (ask_apply(a, q, line, def, needed, &cause) != 0) {
			fprintf(out, "  %s %s\n", _("Invalid answer:"), cause);
			free(cause);
			free(line);
			continue;
		}
		if (q->kind != Q_BOOL && q->kind != Q_CHOICE && *line != '\0') {
			canon = q->kind == Q_DOMAIN ? xstrdup(a->domain) :
			    answers_get(a, q->key);
			if (*canon != '\0' && strcmp(canon, line) != 0)
				fprintf(out, "  -> %s\n", canon);
			free(canon);
		}
		free(line);
		break;
	}
	free(prompt);
	free(hint);
	free(def);
	return rc;
}

/* Is WORD one of the space-separated WORDS (ignoring case)? */
static int
ask_word_in(const char *word, const char *words)
{
	size_t	len = strlen(word), n;

	while (*words != '\0') {
		n = strcspn(words, " ");
		if (n == len && n > 0 && strncasecmp(word, words, n) == 0)
			return 1;
		words += n;
		words += strspn(words, " ");
	}
	return 0;
}

/*
 * A yes or no at the confirmation: what validate_yesno() takes, or the
 * translation's own words for yes and no.
 */
static int
ask_yesno(const char *line, int *yes, char **cause)
{
	/* TRANSLATORS: the words accepted for "yes" at the [Y/n] prompt,
	   besides yes, y and the like; separated by spaces. */
	const char	*yes_words = _("yes y");
	/* TRANSLATORS: the same for "no". */
	const char	*no_words = _("no n");

	if (ask_word_in(line, yes_words)) {
		*yes = 1;
		return 0;
	}
	if (ask_word_in(line, no_words)) {
		*yes = 0;
		return 0;
	}
	return validate_yesno(line, yes, cause);
}

static int
ask_mark_key(void *arg, const char *section, const char *key,
    const char *value, int line, char **cause)
{
	int			*given = arg;
	const struct question	*q;

	if (*section == '\0' && (q = answers_find(key)) != NULL)
		given[q - answers_questions] = 1;
	return 0;
}

void
ask_given_from_file(const char *path, int *given)
{
	static const struct ini_format	 fmt = {
		0, "expected key = value", ask_mark_key, NULL, NULL, NULL
	};
	char				*text, *cause = NULL;

	if (ini_read_file(path, &text) != 0)
		return;
	ini_parse_text(&fmt, path, text, given, &cause);
	free(cause);
	free(text);
}

int
ask_questions(struct answers *a, const int *given, FILE *out)
{
	const struct question	*q;
	const struct ask_rule	*r;
	size_t			 i, j;

	ask_init(out);
	fputs(_("xmpp-setup: answer each question; Enter takes the default "
	    "[in brackets],\nCtrl-C or Ctrl-D leaves without writing "
	    "anything.\n"), out);
	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		if (ask_rule(q->key) != NULL)
			continue;	/* asked after another, or never */
		if (!given[i] && ask_one(a, i, q->required, out) != 0)
			return -1;
		for (j = 0; j < answers_nquestions; j++) {
			r = ask_rule(answers_questions[j].key);
			if (r == NULL || r->after == NULL ||
			    strcmp(r->after, q->key) != 0 || given[j] ||
			    !r->applies(a))
				continue;
			if (ask_one(a, j, r->needed, out) != 0)
				return -1;
		}
	}
	return 0;
}

int
ask_confirm(const struct answers *a, const char *dir, FILE *out)
{
	struct gen_file		 files[ASK_MAX_FILES];
	const struct question	*q;
	const struct ask_rule	*r;
	char			*value, *prompt, *line, *cause;
	size_t			 n, i;
	int			 yes, rc = -1;

	ask_init(out);
	fprintf(out, "\n%s\n", _("Summary:"));
	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		if (q->kind == Q_SECRET)
			continue;
		value = answers_get(a, q->key);
		r = ask_rule(q->key);
		if (*value != '\0' || r == NULL || r->applies(a)) {
			fprintf(out, "  %-16s %s", q->key, *value != '\0' ?
			    value : _("(none)"));
			if (q->kind == Q_DOMAIN &&
			    strcmp(value, a->domain) != 0)
				fprintf(out, " (%s)", a->domain);
			fputc('\n', out);
		}
		free(value);
	}
	n = gen_files(a, files, ASK_MAX_FILES);
	fputc('\n', out);
	fprintf(out, _("Files to write into %s/:"), dir);
	fputc('\n', out);
	for (i = 0; i < n; i++)
		fprintf(out, "  %s\n", files[i].name);
	fprintf(out, "  %s\n", OUTPUT_ANSWERS);

	prompt = xasprintf(_("Write these files into %s? [Y/n] "), dir);
	fputc('\n', out);
	while ((line = ask_line(out, prompt)) != NULL) {
		yes = 1;
		cause = NULL;
		if (*line == '\0' || ask_yesno(line, &yes, &cause) == 0) {
			free(line);
			if (yes)
				rc = 0;
			else
				fprintf(out, "%s\n", _(ask_cancelled));
			break;
		}
		free(cause);
		free(line);
		fprintf(out, "  %s\n", _("Please answer y or n."));
	}
	free(prompt);
	return rc;
}
