/*
 * testutil.h - what several unit tests need: a throwaway $HOME and XDG
 * folders, a check that text is safe for a terminal, and looking at what
 * the core queued (requests) and showed (window lines).
 */
#ifndef SZIA_TESTUTIL_H
#define SZIA_TESTUTIL_H

/* The account the tests log in as, and a contact. */
#define ME	"alice@example.org"
#define ME_FULL	"alice@example.org/szia"
#define BOB	"bob@example.org"

/* mkdtemp(TEMPLATE) and point HOME and XDG_*_HOME at it; 0 or -1. */
int	tmphome_create(char *template);
/* Remove DIR and everything below it; 0 or -1. */
int	tmphome_remove(const char *dir);
/* Is S valid UTF-8 without C0 (but '\n'), DEL or C1 controls? */
int	text_is_safe(const char *s);

struct line;
struct logmsg;
struct req;
struct szia;
struct window;

/*
 * The group fixture of a file of core tests: tu_group_setup() makes the
 * throwaway $HOME tu_tmpdir (tmphome_create()), tu_group_teardown()
 * removes it.
 */
extern char	tu_tmpdir[];
int		tu_group_setup(void **);
int		tu_group_teardown(void **);
/* A fresh struct szia in *state (core_init(), nothing persisted); its end. */
int		tu_core_setup(void **);
int		tu_core_teardown(void **);
/* "/connect ME", password "secret", then EV_CONNECTED as ME_FULL: online,
 * with what the new session queued (REQ_CONNECT first) left in the outbox. */
void		 tu_online(struct szia *);
/* EV_ROSTER of one contact JID, named NAME (may be NULL), subscription both. */
void		 tu_roster(struct szia *, const char *jid, const char *name);

/* The oldest queued request, which must be of TYPE (a failure otherwise);
 * the caller frees it.  TYPE is an enum req_type. */
struct req	*tu_pop(struct szia *, int type);
/* Fail if a request is queued. */
void		 tu_outbox_empty(struct szia *);
/* The next queued request of TYPE, the others before it dropped (a failure
 * if there is none); the caller frees it. */
struct req	*tu_next(struct szia *, int type);
/* The last line of W containing NEEDLE, or NULL. */
struct line	*tu_find_line(const struct window *w, const char *needle);
/* W's last line (there must be one). */
struct line	*tu_last_line(const struct window *w);
struct window	*tu_console(struct szia *);
/* A deep copy of FROM into TO (in-memory message logs); and its release. */
void		 tu_logmsg_copy(struct logmsg *to, const struct logmsg *from);
void		 tu_logmsg_clear(struct logmsg *);

#endif
