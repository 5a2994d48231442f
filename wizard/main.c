/*
 * main.c - xmpp-setup: turns a few answers into a complete XMPP server
 * setup (DNS records, nginx, Prosody, coturn, firewall, scripts).
 *
 * The answers come from --answers FILE, then the flags (which win), then
 * the defaults.  Every flag of a question is made from its row in
 * answers_questions[]: --KEY VALUE, and --KEY / --no-KEY for yes/no
 * questions.  Nothing is written unless every answer is good.
 *
 * On a terminal without --yes, the questions not answered by the file or
 * a flag are asked (ask.c), and the files are written after a summary and
 * a confirmation.  The dialogue goes to standard output, or to standard
 * error with --print or when standard output is not a terminal.
 *
 * "xmpp-setup check DOMAIN" looks up the records dns.zone would hold
 * (check.c); the answer flags say what to expect (--no-turn, --ipv4 ...).
 *
 * The messages go through gettext (i18n.h): English, or Hungarian with
 * LANG=hu_HU.UTF-8 (po/hu.po); XMPP_SETUP_LOCALEDIR overrides the
 * catalog folder (the tests use the build tree's po/).  The generated
 * files do not depend on the language.
 *
 * Exit codes: 0 success, 1 invalid answers (each problem on a line of its
 * own), 2 usage error, 3 output problem, 4 cancelled in interactive mode
 * (Ctrl-C or Ctrl-D at a prompt, or "n" at the confirmation): nothing was
 * written.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/answers.h"
#include "wizard/ask.h"
#include "wizard/check.h"
#include "wizard/i18n.h"
#include "wizard/output.h"
#include "wizard/validate.h"

#define EXIT_INVALID	1
#define EXIT_USAGE	2
#define EXIT_OUTPUT	3
#define EXIT_CANCELLED	4

enum {
	OPT_ANSWERS = 256,
	OPT_PRINT,
	OPT_QUESTION,	/* + 2 * question index (+ 1: --no-KEY) */
};

static const char *const print_names[] = {
	"dns", "nginx", "prosody", "turn", "firewall", NULL
};

/* A --KEY VALUE flag, applied after the answers file. */
struct flag_value {
	const char	*key;
	const char	*flag;
	const char	*value;
};

/* What a question's flag takes, for the usage text.  Caller frees. */
static char *
metavar(const struct question *q)
{
	struct strbuf	 b = { 0 };
	size_t		 i;

	switch (q->kind) {
	case Q_DOMAIN:
		return xstrdup(_("DOMAIN"));
	case Q_IPV4:
	case Q_PRIVATE_IPV4:
		return xstrdup(_("IPV4"));
	case Q_IPV6:
		return xstrdup(_("IPV6"));
	case Q_JID:
		return xstrdup(_("JID"));
	case Q_EMAIL:
		return xstrdup(_("EMAIL"));
	case Q_SIZE:
		return xstrdup(_("SIZE"));
	case Q_PATH:
		return xstrdup(_("FILE"));
	case Q_SECRET:
		return xstrdup(_("HEX"));
	case Q_CHOICE:
		for (i = 0; q->choices[i] != NULL; i++) {
			if (i > 0)
				strbuf_addc(&b, '|');
			strbuf_adds(&b, q->choices[i]);
		}
		return strbuf_take(&b);
	default:
		return xstrdup("");
	}
}

static void
usage(FILE *f)
{
	const struct question	*q;
	size_t			 i;
	char			*arg;

	fputs(_("usage: xmpp-setup [--yes] [--answers FILE] [--output DIR] "
	    "[--force]\n"
	    "                  [--print dns|nginx|prosody|turn|firewall] "
	    "[--KEY VALUE ...]\n"
	    "       xmpp-setup check DOMAIN [--resolver ADDRESS[:PORT]] "
	    "[--KEY VALUE ...]\n"
	    "       xmpp-setup --help | --version\n\n"), f);
	fputs(_("  check DOMAIN         look up the DNS records this setup "
	    "needs (exit 0: all\n"
	    "                       there, 1: missing or wrong, 3: no "
	    "answer)\n"
	    "  -r, --resolver ADDR  with check: ask this DNS server (IPV4[:PORT],"
	    "\n"
	    "                       IPV6 or [IPV6]:PORT)\n"
	    "  -a, --answers FILE   read answers (key = value lines); flags "
	    "win\n"
	    "  -o, --output DIR     where to write (default "
	    "./xmpp-setup-DOMAIN)\n"
	    "  -f, --force          overwrite existing files\n"
	    "  -y, --yes            use the defaults for what is not given\n"
	    "  -p, --print NAME     print one artifact, write nothing\n"
	    "  -h, --help           this help\n"
	    "  -V, --version        print the version\n\n"), f);
	fputs(_("Answers (the answers.ini key is the flag's name, '_' for "
	    "'-'):\n"), f);
	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		if (q->kind == Q_BOOL)
			fprintf(f, "  %s, --no-%s\n", q->flag, q->flag + 2);
		else {
			arg = metavar(q);
			fprintf(f, "  %s %s\n", q->flag, arg);
			free(arg);
		}
		fprintf(f, "        %s", _(q->help));
		if (q->def != NULL)
			fprintf(f, " [%s]", q->def);
		else if (q->required)
			fprintf(f, " [%s]", _("required"));
		fputc('\n', f);
	}
}

/* The long options: the fixed ones, then one or two per question. */
static const struct option	 fixed_options[] = {
	{ "answers", required_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "yes", no_argument, NULL, 'y' },
	{ "print", required_argument, NULL, 'p' },
	{ "resolver", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
#define NFIXED	(sizeof fixed_options / sizeof fixed_options[0])

static struct option *
make_options(void)
{
	struct option			*o;
	const struct question		*q;
	size_t				 i, n = NFIXED;

	o = xcalloc(NFIXED + 2 * answers_nquestions + 1, sizeof *o);
	memcpy(o, fixed_options, sizeof fixed_options);
	for (i = 0; i < answers_nquestions; i++) {
		q = &answers_questions[i];
		o[n].name = xstrdup(q->flag + 2);
		o[n].has_arg = q->kind == Q_BOOL ? no_argument :
		    required_argument;
		o[n].val = OPT_QUESTION + 2 * i;
		n++;
		if (q->kind == Q_BOOL) {
			o[n].name = xasprintf("no-%s", q->flag + 2);
			o[n].has_arg = no_argument;
			o[n].val = OPT_QUESTION + 2 * i + 1;
			n++;
		}
	}
	return o;
}

static void
free_options(struct option *o)
{
	size_t	i;

	for (i = NFIXED; o[i].name != NULL; i++)
		free((char *)o[i].name);
	free(o);
}

int
main(int argc, char **argv)
{
	struct option		*options;
	struct flag_value	*flags = NULL;
	size_t			 nflags = 0, i, idx;
	const char		*answers_file = NULL, *print = NULL;
	const char		*resolver = NULL, *domain = NULL;
	const char		*localedir;
	int			 checking = 0;
	char			*dir = NULL, *cause;
	int			 force = 0, yes = 0, c, rc, *given = NULL;
	FILE			*talk = NULL;	/* interactive mode */
	enum output_secret	 secret;
	struct answers		 a;
	struct answers_problems	 problems = { 0 };
	const struct question	*q;

	setlocale(LC_ALL, "");
	if ((localedir = getenv("XMPP_SETUP_LOCALEDIR")) == NULL ||
	    *localedir == '\0')
		localedir = LOCALEDIR;
	bindtextdomain(XMPP_SETUP_DOMAIN, localedir);
	textdomain(XMPP_SETUP_DOMAIN);

	/* "xmpp-setup check DOMAIN ...": look up what dns.zone would hold. */
	if (argc > 1 && strcmp(argv[1], "check") == 0) {
		checking = 1;
		argc--;
		argv++;
	}
	options = make_options();
	opterr = 1;
	while ((c = getopt_long(argc, argv, "a:o:fyp:r:hV", options,
	    NULL)) != -1) {
		switch (c) {
		case 'a':
			answers_file = optarg;
			break;
		case 'o':
			free(dir);
			dir = xstrdup(optarg);
			break;
		case 'f':
			force = 1;
			break;
		case 'y':
			yes = 1;
			break;
		case 'p':
			print = optarg;
			break;
		case 'r':
			if (!checking) {
				fprintf(stderr, "xmpp-setup: %s\n",
				    _("--resolver goes with check"));
				goto usage_error;
			}
			if (validate_resolver(optarg, &cause) != 0) {
				fprintf(stderr, "xmpp-setup: --resolver: %s\n",
				    cause);
				free(cause);
				goto usage_error;
			}
			resolver = optarg;
			break;
		case 'h':
			usage(stdout);
			free_options(options);
			return 0;
		case 'V':
			printf("xmpp-setup %s\n", SZIA_VERSION);
			free_options(options);
			return 0;
		default:
			if (c < OPT_QUESTION)
				goto usage_error;
			idx = (c - OPT_QUESTION) / 2;
			q = &answers_questions[idx];
			flags = xreallocarray(flags, nflags + 1,
			    sizeof *flags);
			flags[nflags].key = q->key;
			flags[nflags].flag = q->flag;
			if (q->kind == Q_BOOL)
				flags[nflags].value = (c - OPT_QUESTION) % 2 ?
				    "no" : "yes";
			else
				flags[nflags].value = optarg;
			nflags++;
			break;
		}
	}
	if (checking) {
		if (optind != argc - 1) {
			fprintf(stderr, "xmpp-setup: %s\n",
			    _("check needs one DOMAIN"));
			goto usage_error;
		}
		domain = argv[optind++];
	}
	if (optind < argc) {
		fprintf(stderr, "xmpp-setup: ");
		fprintf(stderr, _("unexpected argument '%s'"), argv[optind]);
		fputc('\n', stderr);
		goto usage_error;
	}
	if (print != NULL) {
		for (i = 0; print_names[i] != NULL; i++) {
			if (strcmp(print_names[i], print) == 0)
				break;
		}
		if (print_names[i] == NULL) {
			fprintf(stderr, "xmpp-setup: --print: ");
			fprintf(stderr, _("'%s' is not one of dns, nginx, "
			    "prosody, turn, firewall"), print);
			fputc('\n', stderr);
			goto usage_error;
		}
	}
	if (!yes && !checking && isatty(STDIN_FILENO))
		talk = print == NULL && isatty(STDOUT_FILENO) ? stdout : stderr;

	answers_defaults(&a);
	if (answers_file != NULL)
		answers_load_file(&a, answers_file, &problems);
	for (i = 0; i < nflags; i++) {
		if (answers_set(&a, flags[i].key, flags[i].value,
		    &cause) != 0) {
			answers_problem_add_key(&problems, flags[i].key,
			    "%s: %s", flags[i].flag, cause);
			free(cause);
		}
	}
	if (checking) {
		if (answers_set(&a, "domain", domain, &cause) != 0) {
			answers_problem_add_key(&problems, "domain",
			    "check: %s", cause);
			free(cause);
		}
		rc = problems.n > 0 ? EXIT_INVALID :
		    check_run(&a, resolver, stdout);
		goto out;
	}
	if (talk != NULL && problems.n == 0) {
		given = xcalloc(answers_nquestions, sizeof *given);
		for (i = 0; i < nflags; i++)
			given[answers_find(flags[i].key) - answers_questions] = 1;
		if (answers_file != NULL)
			ask_given_from_file(answers_file, given);
		if (ask_questions(&a, given, talk) != 0) {
			rc = EXIT_CANCELLED;
			goto out;
		}
	}
	answers_check(&a, &problems);
	if (problems.n > 0) {
		rc = EXIT_INVALID;
		goto out;
	}

	if (dir == NULL)
		dir = output_default_dir(&a);
	secret = output_ensure_secret(&a, dir);
	if (print != NULL) {
		/*
		 * Another --print run would make another secret: say how to
		 * make prosody's and turn's outputs agree.
		 */
		if (secret == SECRET_NEW && a.turn &&
		    (strcmp(print, "prosody") == 0 ||
		    strcmp(print, "turn") == 0)) {
			fprintf(stderr, "xmpp-setup: ");
			fprintf(stderr, _("note: this run made a new TURN "
			    "secret; give it to the other --print runs with "
			    "--turn-secret %s (or use --answers FILE) so that "
			    "the prosody and turn outputs match"),
			    a.turn_secret);
			fputc('\n', stderr);
		}
		if (output_print(&a, print, stdout, &cause) != 0) {
			fprintf(stderr, "xmpp-setup: %s\n", cause);
			free(cause);
			rc = EXIT_USAGE;
		} else
			rc = fflush(stdout) == 0 ? 0 : EXIT_OUTPUT;
		goto out;
	}
	if (talk != NULL && ask_confirm(&a, dir, talk) != 0) {
		rc = EXIT_CANCELLED;
		goto out;
	}
	rc = output_write(&a, dir, force, stdout, &problems) == 0 ? 0 :
	    EXIT_OUTPUT;

out:
	for (i = 0; i < problems.n; i++)
		fprintf(stderr, "xmpp-setup: %s\n", problems.lines[i]);
	answers_problems_free(&problems);
	answers_free(&a);
	free_options(options);
	free(given);
	free(flags);
	free(dir);
	return rc;

usage_error:
	fprintf(stderr, "%s\n", _("Try 'xmpp-setup --help'."));
	free_options(options);
	free(flags);
	free(dir);
	return EXIT_USAGE;
}
