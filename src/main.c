/*
 * main.c - szia: argument parsing, start-up order, the loop, shutdown.
 */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/core.h"
#include "core/session.h"
#include "loop.h"
#include "store/store.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/stats.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "xmpp/register.h"
#include "xmpp/xmpp.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: szia [-hv] [-a account] [-l logfile] [-d]\n"
	    "       szia --register JID [--server HOST[:PORT]] "
	    "[--tls MODE] [--fingerprint SHA256]\n"
	    "  -a account  connect with a saved account at start-up\n"
	    "  -l logfile  write the debug log there (default "
	    "$XDG_STATE_HOME/szia/szia.log)\n"
	    "  -d          log at debug level (includes the XML stream)\n"
	    "  -v          print the version\n"
	    "  -h          this help\n"
	    "  --register JID  create the account JID on its server "
	    "(XEP-0077) and save it;\n"
	    "              the password is asked twice (read from standard "
	    "input if it\n"
	    "              is not a terminal); --server, --tls (starttls, "
	    "direct,\n"
	    "              plain) and --fingerprint (a trusted certificate) "
	    "default to a\n"
	    "              saved account with that JID\n");
}

/* [files] A line from standard input, without echo on a terminal. */
static char *
main_read_secret(const char *prompt)
{
	struct termios	 old, quiet;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	int		 tty = isatty(STDIN_FILENO);

	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n <= 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

/* [files] szia --register: create the account, save it, exit status. */
static int
main_register(struct szia *sz, const char *jid, const char *server,
    const char *tls, const char *fp)
{
	struct reg_params	 p;
	struct reg_account	 ra;
	struct account		*a = accounts_find_jid(&sz->accounts, jid);
	char			*pw = NULL, *again, *host = NULL, *error = NULL;
	char			*refused = NULL, *msg = NULL;
	int			 rc = 1;

	memset(&p, 0, sizeof p);
	p.jid = jid;
	p.tls = TLS_STARTTLS;
	if (a != NULL) {
		p.server = a->server;
		p.port = a->port;
		p.tls = a->tls;
		p.fingerprint = a->tls_fingerprint;
		if (a->password != NULL)
			pw = xstrdup(a->password);
		else if (a->eval_password != NULL &&
		    (pw = session_eval_password(a->eval_password, &error)) ==
		    NULL) {
			fprintf(stderr, "szia: %s\n", error);
			free(error);
			return 1;
		}
	}
	if (server != NULL) {
		if (core_parse_hostport(server, &host, &p.port) != 0) {
			fprintf(stderr, "szia: --server: HOST[:PORT] expected\n");
			return 2;
		}
		p.server = host;
	}
	if (tls != NULL) {
		if (strcmp(tls, "starttls") == 0)
			p.tls = TLS_STARTTLS;
		else if (strcmp(tls, "direct") == 0)
			p.tls = TLS_DIRECT;
		else if (strcmp(tls, "plain") == 0)
			p.tls = TLS_PLAIN;
		else {
			fprintf(stderr, "szia: --tls: starttls, direct or "
			    "plain\n");
			free(host);
			return 2;
		}
	}
	if (fp != NULL)
		p.fingerprint = fp;
	if (pw == NULL) {
		pw = main_read_secret("Password for the new account: ");
		if (pw != NULL && *pw != '\0' && isatty(STDIN_FILENO)) {
			again = main_read_secret("Repeat the password: ");
			if (again == NULL || strcmp(again, pw) != 0) {
				fprintf(stderr, "szia: the passwords differ: no "
				    "account created\n");
				free(again);
				goto out;
			}
			free(again);
		}
		if (pw == NULL || *pw == '\0') {
			fprintf(stderr, "szia: no password given: no account "
			    "created\n");
			goto out;
		}
	}
	p.password = pw;
	signal(SIGPIPE, SIG_IGN);	/* a closed socket is an error */
	if (register_blocking(&p, &error, &refused) != 0) {
		/* The server's words: made safe for the terminal. */
		msg = utf8_safe(error);
		again = utf8_safe(jid);
		fprintf(stderr, "szia: registration of %s failed: %s\n", again,
		    msg);
		free(again);
		if (refused != NULL)
			fprintf(stderr, "szia: the certificate's SHA-256 "
			    "fingerprint is %s; if you trust it, add "
			    "--fingerprint %s\n", refused, refused);
		goto out;
	}
	printf("Account %s created on the server.\n", jid);
	memset(&ra, 0, sizeof ra);
	ra.jid = jid;
	ra.password = pw;
	ra.server = p.server;
	ra.port = p.port;
	ra.tls = p.tls;
	ra.fingerprint = p.fingerprint;
	if (core_save_registered(sz, &ra, &msg) == 0) {
		printf("%s\n", msg);
		rc = 0;
	} else
		fprintf(stderr, "szia: %s\n", msg);
out:
	if (pw != NULL)
		explicit_bzero(pw, strlen(pw));
	free(pw);
	free(host);
	free(error);
	free(refused);
	free(msg);
	return rc;
}

/* Make sure text is measured as UTF-8 even in a plain "C" locale. */
static void
main_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

int
main(int argc, char **argv)
{
	struct szia		 sz;
	struct core_config	 cfg;
	struct xmpp_link	*xl;
	struct store		*store;
	struct ui		*ui;
	struct frontend		 fe;
	char			*settings, *accounts, *logfile = NULL;
	char			*statedir, *cause = NULL, *log_problem = NULL;
	const char		*account = NULL, *themedir;
	const char		*reg_jid = NULL, *reg_server = NULL;
	const char		*reg_tls = NULL, *reg_fp = NULL;
	enum log_level		 level = LOG_LEVEL_INFO;
	int			 ch, rc;
	static const struct option longopts[] = {
		{ "register", required_argument, NULL, 'R' },
		{ "server", required_argument, NULL, 'S' },
		{ "tls", required_argument, NULL, 'T' },
		{ "fingerprint", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};

	while ((ch = getopt_long(argc, argv, "a:dhl:v", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'R':
			reg_jid = optarg;
			break;
		case 'S':
			reg_server = optarg;
			break;
		case 'T':
			reg_tls = optarg;
			break;
		case 'F':
			reg_fp = optarg;
			break;
		case 'a':
			account = optarg;
			break;
		case 'd':
			level = LOG_LEVEL_DEBUG;
			break;
		case 'l':
			free(logfile);
			logfile = xstrdup(optarg);
			break;
		case 'v':
			printf("szia %s\n", SZIA_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || (reg_jid == NULL && (reg_server != NULL ||
	    reg_tls != NULL || reg_fp != NULL))) {
		usage(stderr);
		return 2;
	}
	main_locale();
	if (logfile == NULL) {
		statedir = paths_dir(PATH_STATE);
		if (paths_mkdir(statedir, 0700, &cause) == 0)
			logfile = xasprintf("%s/szia.log", statedir);
		else
			free(cause);
		free(statedir);
	}
	if (logfile != NULL && log_open(logfile, level) != 0)
		log_problem = xasprintf("Cannot open the log %s: %s; warnings "
		    "are not kept.", logfile, strerror(errno));

	settings = paths_file(PATH_CONFIG, "sziarc");
	accounts = paths_file(PATH_CONFIG, "accounts");
	if ((themedir = getenv("SZIA_THEMEDIR")) == NULL)
		themedir = SZIA_THEMEDIR;
	memset(&cfg, 0, sizeof cfg);
	cfg.settings_path = settings;
	cfg.accounts_path = accounts;
	cfg.theme_dir = themedir;
	core_init(&sz, &cfg);
	if (reg_jid != NULL) {
		if (log_problem != NULL)
			fprintf(stderr, "szia: %s\n", log_problem);
		free(log_problem);
		rc = main_register(&sz, reg_jid, reg_server, reg_tls, reg_fp);
		core_free(&sz);
		free(settings);
		free(accounts);
		free(logfile);
		log_close();
		return rc;
	}
	store = store_new();
	core_set_log(&sz, &store_log_ops, store);

	if ((ui = ui_new(&sz, &cause)) == NULL) {
		if (log_problem != NULL)
			fprintf(stderr, "szia: %s\n", log_problem);
		fprintf(stderr, "szia: %s\n", cause);
		free(cause);
		free(log_problem);
		core_free(&sz);
		store_free(store);
		return 1;
	}
	log_set_fatal_hook(ui_emergency_restore);
	log_stderr(0);		/* the terminal is the UI's now */
	if (log_problem != NULL)	/* stderr would be drawn over */
		core_error(&sz, NULL, "%s", log_problem);
	xl = xl_new(&sz);
	if (account != NULL)
		core_connect_account(&sz, account);
	ui_frontend(ui, &fe);
	loop_run(&sz, xl, &fe);
	stats_write_env();

	ui_free(ui);
	log_stderr(1);
	if (log_dropped() > 0)
		fprintf(stderr, "szia: %u warnings were not logged: no log "
		    "file (see -l)\n", log_dropped());
	xl_free(xl);
	core_free(&sz);
	store_free(store);
	free(settings);
	free(accounts);
	free(logfile);
	free(log_problem);
	log_close();
	return 0;
}
