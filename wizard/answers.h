/*
 * answers.h - what xmpp-setup asks, and the answers it uses.
 *
 * One struct holds every answer; each question is a row of a table
 * (answers.c) with its key (the same in answers.ini, the --key flag and
 * the interactive prompt), its default and its validator.  Generators
 * (gen-*.c) read the struct and nothing else, so the same answers always
 * produce the same files.
 */
#ifndef XMPP_SETUP_ANSWERS_H
#define XMPP_SETUP_ANSWERS_H

#include <stddef.h>

enum target_os {
	OS_DEBIAN,		/* Debian/Ubuntu: /etc, systemd */
	OS_FREEBSD,		/* FreeBSD: /usr/local/etc, rc.d */
};

enum firewall {
	FW_NFTABLES,
	FW_UFW,
	FW_IPFW,
};

enum registration {
	REG_CLOSED,		/* the admin creates accounts */
	REG_INVITE,		/* invite-only (mod_invites*) */
	REG_OPEN,
};

enum storage {
	STORAGE_INTERNAL,
	STORAGE_SQLITE,
};

enum certs {
	CERTS_LETSENCRYPT,	/* certbot */
	CERTS_FILES,		/* existing files: cert_path, key_path */
};

struct answers {
	char			*domain;	/* ASCII (punycode) form */
	char			*domain_input;	/* as typed (may be IDN) */
	char			*ipv4;		/* public IPv4 */
	char			*ipv6;		/* public IPv6, or NULL */
	char			*private_ipv4;	/* behind NAT, or NULL */
	char			*admin;		/* admin JID */
	char			*email;		/* contact e-mail */
	enum target_os		 os;
	enum firewall		 firewall;
	int			 muc;		/* group chat */
	int			 upload;	/* HTTP file upload */
	unsigned long long	 upload_limit;	/* bytes */
	int			 proxy65;	/* SOCKS5 file transfer proxy */
	int			 pubsub;
	int			 turn;		/* TURN/STUN (coturn) */
	enum registration	 registration;
	enum storage		 storage;
	int			 web;		/* BOSH + WebSocket via nginx */
	enum certs		 certs;
	char			*cert_path;	/* CERTS_FILES */
	char			*key_path;
	int			 txt_xmppconnect; /* legacy TXT record, opt-in */
	char			*turn_secret;	/* 64 hex characters */

	int			 firewall_given; /* else it follows os */
};

/* Ports, the same in every generated file. */
#define PORT_C2S		5222
#define PORT_C2S_TLS		5223	/* XEP-0368 direct TLS */
#define PORT_S2S		5269
#define PORT_HTTP_LOCAL		5280	/* Prosody's HTTP, loopback only */
#define PORT_PROXY65		5000
#define PORT_TURN		3478	/* STUN/TURN, UDP and TCP */
#define PORT_TURNS		5349	/* TURN over TLS */
#define TURN_RELAY_MIN		49152
#define TURN_RELAY_MAX		65535

/* Component host names. */
#define HOST_MUC	"groupchat"
#define HOST_UPLOAD	"upload"
#define HOST_PROXY	"proxy"
#define HOST_PUBSUB	"pubsub"
#define HOST_TURN	"turn"

/*
 * The questions (answers.c).  KEY is the name in answers.ini and, with '-'
 * for '_', the long flag FLAG.
 */
enum question_kind {
	Q_DOMAIN,		/* domain + domain_input */
	Q_IPV4,			/* public */
	Q_PRIVATE_IPV4,
	Q_IPV6,
	Q_JID,
	Q_EMAIL,
	Q_CHOICE,		/* one of CHOICES, stored as its index */
	Q_BOOL,
	Q_SIZE,
	Q_PATH,
	Q_SECRET,
};

struct question {
	const char		 *key;
	const char		 *flag;		/* "--domain" */
	enum question_kind	  kind;
	size_t			  off;		/* of the field in answers */
	const char *const	 *choices;	/* Q_CHOICE, NULL-terminated */
	const char		 *def;		/* default text, or NULL */
	int			  required;
	const char		 *help;		/* one line */
};

/* The questions in the order they are asked and written. */
extern const struct question	answers_questions[];
extern const size_t		answers_nquestions;

/*
 * A list of problems, one line each; zero-initialise.  KEYS[i] is the
 * question LINES[i] is about, or NULL.
 */
struct answers_problems {
	char		**lines;
	const char	**keys;
	size_t		  n;
};

void	 answers_problem_add(struct answers_problems *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* A problem with the answer to KEY (a question's key, kept as is). */
void	 answers_problem_add_key(struct answers_problems *, const char *key,
	     const char *, ...) __attribute__((format(printf, 3, 4)));
void	 answers_problems_free(struct answers_problems *);

/*
 * The question called KEY, or NULL.  The keys of older answers.ini files
 * (cert_path, key_path) find their question too.
 */
const struct question *answers_find(const char *key);
/* Fill A with the defaults (required answers unset, no TURN secret). */
void	 answers_defaults(struct answers *a);
/* Free what A holds (not A itself); A may be given to defaults again. */
void	 answers_free(struct answers *a);
/*
 * Set KEY to VALUE (checked and made canonical).  An empty VALUE unsets an
 * optional text answer.  Returns 0, or -1 with *cause set to one line
 * without the key (caller frees); A is unchanged then.
 */
int	 answers_set(struct answers *a, const char *key, const char *value,
	     char **cause);
/* KEY's value in canonical text ("" when unset).  Caller frees. */
char	*answers_get(const struct answers *a, const char *key);
/*
 * Read key = value lines ('#' comments) from TEXT or the file PATH into
 * A.  Every bad line adds "NAME:LINE: problem" to PROBLEMS; the good ones
 * are applied.  Returns 0, or -1 if a problem was added.
 */
int	 answers_load_text(struct answers *a, const char *name,
	     const char *text, struct answers_problems *problems);
int	 answers_load_file(struct answers *a, const char *path,
	     struct answers_problems *problems);
/*
 * A as answers.ini text: every key with its canonical value, so that
 * loading it gives the same answers.  Caller frees.
 */
char	*answers_format(const struct answers *a);
/*
 * Add every problem with A as a whole to PROBLEMS (missing required
 * answers, combinations that do not work); returns how many were added.
 * A required answer is not reported missing when PROBLEMS already has a
 * problem with it (a bad value was refused).
 */
size_t	 answers_check(const struct answers *a,
	     struct answers_problems *problems);

#endif
