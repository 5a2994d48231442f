/*
 * main.c - szia: argument parsing, start-up order, the loop, shutdown.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "loop.h"
#include "store/store.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/xalloc.h"
#include "xmpp/xmpp.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: szia [-hv] [-a account] [-l logfile] [-d]\n"
	    "  -a account  connect with a saved account at start-up\n"
	    "  -l logfile  write the debug log there (default "
	    "$XDG_STATE_HOME/szia/szia.log)\n"
	    "  -d          log at debug level (includes the XML stream)\n"
	    "  -v          print the version\n"
	    "  -h          this help\n");
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
	char			*statedir, *cause = NULL;
	const char		*account = NULL, *themedir;
	enum log_level		 level = LOG_LEVEL_INFO;
	int			 ch;

	while ((ch = getopt(argc, argv, "a:dhl:v")) != -1) {
		switch (ch) {
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
	if (optind != argc) {
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
		fprintf(stderr, "szia: cannot open log %s: %s\n", logfile,
		    strerror(errno));

	settings = paths_file(PATH_CONFIG, "sziarc");
	accounts = paths_file(PATH_CONFIG, "accounts");
	if ((themedir = getenv("SZIA_THEMEDIR")) == NULL)
		themedir = SZIA_THEMEDIR;
	memset(&cfg, 0, sizeof cfg);
	cfg.settings_path = settings;
	cfg.accounts_path = accounts;
	cfg.theme_dir = themedir;
	core_init(&sz, &cfg);
	store = store_new();
	core_set_log(&sz, &store_log_ops, store);

	if ((ui = ui_new(&sz, &cause)) == NULL) {
		fprintf(stderr, "szia: %s\n", cause);
		free(cause);
		core_free(&sz);
		store_free(store);
		return 1;
	}
	log_set_fatal_hook(ui_emergency_restore);
	xl = xl_new(&sz);
	if (account != NULL)
		core_connect_account(&sz, account);
	ui_frontend(ui, &fe);
	loop_run(&sz, xl, &fe);

	ui_free(ui);
	xl_free(xl);
	core_free(&sz);
	store_free(store);
	free(settings);
	free(accounts);
	free(logfile);
	log_close();
	return 0;
}
