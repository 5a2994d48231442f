/*
 * cmd-files.c - /sendfile (XEP-0363 HTTP File Upload) and the core's side
 * of uploads: the request to the XMPP layer, the progress line, and the
 * message with the URL once the file is on the server.
 *
 * The core only checks the file (exists, regular, readable) and keeps one
 * struct upload_job per upload; finding the upload service, the size
 * limit, the slot and the HTTP PUT are the XMPP layer's (src/xmpp/upload.c)
 * and come back as EV_UPLOAD events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include "core/cmd.h"
#include "core/core.h"
#include "util/clock.h"
#include "util/paths.h"
#include "util/rand.h"
#include "util/utf8.h"
#include "util/xalloc.h"

struct upload_job {
	char			*id;
	char			*peer;		/* chat window (bare JID) */
	char			*filename;	/* sanitised, for lines */
	long long		 size;
	int			 percent;
	uint64_t		 seq;		/* the progress line */
	struct upload_job	*next;
};

static void	files_wipe(char **);
static void	files_password_result(struct szia *, int, const char *);

static void
files_job_free(struct upload_job *j)
{
	free(j->id);
	free(j->peer);
	free(j->filename);
	free(j);
}

void
core_files_free(struct szia *sz)
{
	struct upload_job	*j, *next;

	for (j = sz->uploads; j != NULL; j = next) {
		next = j->next;
		files_job_free(j);
	}
	sz->uploads = NULL;
	files_wipe(&sz->pw_first);
	files_wipe(&sz->pw_pending);
	core_register_free(sz);
}

int
core_uploads(const struct szia *sz, int *percent)
{
	const struct upload_job	*j;
	int			 n = 0;

	*percent = 100;
	for (j = sz->uploads; j != NULL; j = j->next) {
		if (j->percent < *percent)
			*percent = j->percent;
		n++;
	}
	return n;
}

static void	files_job_status(struct szia *, struct upload_job *,
		    const char *, int);

/* /sendfile cancel: stop this window's uploads (the XMPP layer drops the
 * slot request or the running PUT); the progress line says so. */
static enum cmd_retval
files_cancel(struct cmd_ctx *ctx)
{
	struct szia		*sz = ctx->sz;
	struct upload_job	**jp, *j;
	struct req		*r;
	int			 n = 0;

	for (jp = &sz->uploads; (j = *jp) != NULL;) {
		if (strcmp(j->peer, ctx->win->name) != 0) {
			jp = &j->next;
			continue;
		}
		r = req_new(REQ_UPLOAD_CANCEL);
		r->upload.id = xstrdup(j->id);
		outbox_push(&sz->outbox, r);
		files_job_status(sz, j, "Upload of", -2);
		core_info(sz, ctx->win, "Upload of %s cancelled.",
		    j->filename);
		*jp = j->next;
		files_job_free(j);
		n++;
	}
	sz->dirty |= DIRTY_STATUS;
	if (n == 0)
		return cmd_error(ctx, "/sendfile cancel: no upload is running "
		    "in this window.");
	return CMD_OK;
}

static enum cmd_retval
cmd_sendfile_exec(struct cmd_ctx *ctx)
{
	struct szia		*sz = ctx->sz;
	struct window		*w = ctx->win;
	struct upload_job	*j;
	struct req		*r;
	struct stat		 st;
	const char		*base;
	char			*path, *text;
	int			 fd;

	if (w->type != WINDOW_CHAT)
		return cmd_error(ctx, "/sendfile: only in a chat window.");
	if (strcmp(ctx->argv[0], "cancel") == 0)
		return files_cancel(ctx);
	path = paths_expand_home(ctx->argv[0]);
	/* O_NONBLOCK: a FIFO must not hang the client in open(). */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) == -1 ||
	    fstat(fd, &st) == -1) {
		text = utf8_safe(ctx->argv[0]);
		cmd_error(ctx, "/sendfile: cannot read %s: %s.", text,
		    strerror(errno));
		free(text);
		if (fd != -1)
			close(fd);
		free(path);
		return CMD_ERROR;
	}
	close(fd);
	if (!S_ISREG(st.st_mode)) {
		text = utf8_safe(ctx->argv[0]);
		cmd_error(ctx, "/sendfile: %s is not a regular file.", text);
		free(text);
		free(path);
		return CMD_ERROR;
	}
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	if (*base == '\0') {
		free(path);
		return cmd_error(ctx, "/sendfile: no file name.");
	}
	j = xcalloc(1, sizeof *j);
	j->id = rand_id();
	j->peer = xstrdup(w->name);
	j->filename = utf8_safe(base);
	j->size = st.st_size;
	j->percent = -1;
	r = req_new(REQ_UPLOAD);
	r->upload.id = xstrdup(j->id);
	r->upload.path = path;
	/* The name goes into XML and a URL: valid UTF-8, no controls. */
	r->upload.filename = utf8_safe(base);
	r->upload.size = st.st_size;
	outbox_push(&sz->outbox, r);
	text = xasprintf("Uploading %s (%lld bytes): looking for the upload "
	    "service", j->filename, j->size);
	window_add(w, clock_wall(), LINE_INFO, 0, NULL, text);
	free(text);
	j->seq = w->buf.seq;
	j->next = sz->uploads;
	sz->uploads = j;
	sz->dirty |= DIRTY_STATUS;
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
	return CMD_OK;
}

static const char *const files_sendfile_words[] = { "cancel", NULL };

const struct cmd_entry cmd_sendfile_entry = {
	.name = "sendfile",
	.alias = "upload",
	.min = 1, .max = 1,
	.rest = 1,
	.online = 1,
	.usage = "/sendfile PATH|cancel",
	.help = "Upload a file to your server's HTTP upload service "
	    "(XEP-0363) and send its link to the contact of this chat window. "
	    "The service is found through service discovery; a file larger "
	    "than it accepts is refused before anything is uploaded. The "
	    "upload runs in the background with its progress shown in the "
	    "window; the HTTPS certificate is checked against the system's "
	    "CAs, or those in the file named by the setting upload.cafile. "
	    "/sendfile cancel stops the uploads of this window (a file named "
	    "cancel: /sendfile ./cancel).",
	.examples = "/sendfile ~/photos/cat.jpg\n/sendfile report.pdf\n"
	    "/sendfile cancel",
	.subcmds = files_sendfile_words,
	.args = { ARG_FILE },
	.exec = cmd_sendfile_exec,
};

/* An https URL of printable ASCII (what a slot's GET URL must be). */
static int
files_url_ok(const char *url)
{
	const unsigned char	*p;

	if (url == NULL || strncmp(url, "https://", 8) != 0 || url[8] == '\0')
		return 0;
	for (p = (const unsigned char *)url; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f)
			return 0;
	}
	return 1;
}

/* Send URL to W's peer as a message with XEP-0066 out-of-band data. */
static void
files_send_oob(struct szia *sz, struct window *w, const char *url)
{
	struct session	*s = &sz->session;
	struct req	*r;
	char		*text;
	time_t		 now = clock_wall();

	if (s->state != CONN_ONLINE) {
		core_error(sz, w, "Not connected: the link %s was not sent.",
		    url);
		return;
	}
	r = req_new(REQ_MESSAGE);
	r->message.to = xstrdup(w->locked != NULL ? w->locked : w->name);
	r->message.body = xstrdup(url);
	r->message.oob_url = xstrdup(url);
	r->message.id = rand_id();
	r->message.type = xstrdup("chat");
	core_log(sz, w->name, s->bound, r->message.to, 1, now, "chat", url,
	    r->message.id, r->message.id, NULL);
	text = utf8_safe(url);
	window_add(w, now, LINE_OUT, 0, "me", text);
	free(text);
	outbox_push(&sz->outbox, r);
	w->scroll = 0;
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
}

/* The progress line of J, if its window still holds it. */
static struct line *
files_job_line(struct szia *sz, struct upload_job *j, struct window **wp)
{
	struct window	*w = windows_find(&sz->windows, j->peer);
	uint64_t	 back;

	*wp = w;
	if (w == NULL || w->buf.seq < j->seq)
		return NULL;
	back = w->buf.seq - j->seq;
	if (back >= w->buf.len)
		return NULL;
	return window_line(w, w->buf.len - 1 - back);
}

static void
files_job_status(struct szia *sz, struct upload_job *j, const char *what,
    int percent)
{
	struct window	*w;
	struct line	*l = files_job_line(sz, j, &w);

	if (l == NULL)
		return;
	free(l->text);
	if (percent >= 0)
		l->text = xasprintf("%s %s (%lld bytes): %d%%", what,
		    j->filename, j->size, percent);
	else
		l->text = xasprintf("%s %s (%lld bytes) %s", what,
		    j->filename, j->size, percent == -2 ? "cancelled" :
		    "failed");
	if (w == sz->windows.current)
		sz->dirty |= DIRTY_WINDOW;
}

static void
files_upload_event(struct szia *sz, const struct ev *ev)
{
	struct upload_job	**jp, *j;
	struct window		*w;
	char			*text;

	for (jp = &sz->uploads; *jp != NULL; jp = &(*jp)->next) {
		if (ev->upload.id != NULL && strcmp((*jp)->id,
		    ev->upload.id) == 0)
			break;
	}
	if ((j = *jp) == NULL)
		return;
	switch (ev->upload.state) {
	case UPLOAD_PROGRESS:
		if (ev->upload.percent == j->percent)
			return;
		j->percent = ev->upload.percent;
		files_job_status(sz, j, "Uploading", j->percent);
		sz->dirty |= DIRTY_STATUS;
		return;
	case UPLOAD_DONE:
		files_job_status(sz, j, "Uploaded", 100);
		w = core_open_chat(sz, j->peer, 0);
		if (!files_url_ok(ev->upload.url))
			core_error(sz, w, "Upload of %s: the server gave no "
			    "usable URL.", j->filename);
		else
			files_send_oob(sz, w, ev->upload.url);
		break;
	case UPLOAD_FAILED:
		files_job_status(sz, j, "Upload of", -1);
		w = core_open_chat(sz, j->peer, 0);
		text = utf8_safe(ev->upload.error != NULL ? ev->upload.error :
		    "unknown error");
		core_error(sz, w, "Upload of %s failed: %s", j->filename,
		    text);
		free(text);
		break;
	}
	*jp = j->next;
	files_job_free(j);
	sz->dirty |= DIRTY_STATUS;
}

/* --- /account password (XEP-0077 3.3) ----------------------------------- */

static void
files_wipe(char **p)
{
	if (*p != NULL)
		explicit_bzero(*p, strlen(*p));
	free(*p);
	*p = NULL;
}

static void
files_password_send(struct szia *sz, const char *pw)
{
	struct req	*r;

	if (sz->session.state != CONN_ONLINE) {
		core_error(sz, NULL, "/account password: not connected.");
		return;
	}
	if (*pw == '\0') {
		core_error(sz, NULL, "/account password: the password must not "
		    "be empty.");
		return;
	}
	if (sz->pw_pending != NULL) {
		core_error(sz, NULL, "/account password: a change is already "
		    "under way.");
		return;
	}
	sz->pw_pending = xstrdup(pw);
	r = req_new(REQ_PASSWORD);
	r->password.password = xstrdup(pw);
	outbox_push(&sz->outbox, r);
	core_info(sz, NULL, "Changing the password of %s...",
	    sz->session.bare);
}

static void
files_password_again(struct szia *sz, const char *answer)
{
	if (answer == NULL || sz->pw_first == NULL)
		core_info(sz, NULL, "Password not changed.");
	else if (strcmp(answer, sz->pw_first) != 0)
		core_error(sz, NULL, "The passwords differ: password not "
		    "changed.");
	else
		files_password_send(sz, answer);
	files_wipe(&sz->pw_first);
}

static void
files_password_first(struct szia *sz, const char *answer)
{
	files_wipe(&sz->pw_first);
	if (answer == NULL || *answer == '\0') {
		core_info(sz, NULL, "Password not changed.");
		return;
	}
	sz->pw_first = xstrdup(answer);
	core_prompt(sz, "Repeat the new password: ", 1, files_password_again);
}

int
core_files_password_cmd(struct cmd_ctx *ctx)
{
	struct szia	*sz = ctx->sz;
	char		*q;

	if (sz->session.state != CONN_ONLINE)
		return cmd_error(ctx, "/account password: not connected (it "
		    "changes the password of the account you are logged in "
		    "with).");
	if (ctx->argc > 2)
		return cmd_error(ctx, "usage: /account password [NEW]");
	if (ctx->argc == 2) {
		files_password_send(sz, ctx->argv[1]);
		return CMD_OK;
	}
	q = xasprintf("New password for %s: ", sz->session.bare);
	core_prompt(sz, q, 1, files_password_first);
	free(q);
	return CMD_OK;
}

static void
files_password_result(struct szia *sz, int ok, const char *error)
{
	struct account	*a;
	char		*cause = NULL;

	if (sz->pw_pending == NULL)
		return;
	if (!ok) {
		core_error(sz, NULL, "Password not changed: %s.", error);
		files_wipe(&sz->pw_pending);
		return;
	}
	/* Reconnects use the new one from now on. */
	files_wipe(&sz->session.password);
	sz->session.password = xstrdup(sz->pw_pending);
	a = sz->session.account != NULL ?
	    accounts_find(&sz->accounts, sz->session.account) : NULL;
	if (a != NULL && a->password != NULL) {
		if (account_set(a, "password", sz->pw_pending, &cause) != 0 ||
		    accounts_save(&sz->accounts, &cause) != 0) {
			core_error(sz, NULL, "Password changed on the server, "
			    "but not in the accounts file: %s.", cause);
			free(cause);
		} else
			core_info(sz, NULL, "Password changed on the server "
			    "and in the accounts file.");
	} else
		core_info(sz, NULL, "Password changed on the server%s.",
		    a != NULL && a->eval_password != NULL ? " (update your "
		    "eval_password source)" : "");
	files_wipe(&sz->pw_pending);
}

void
core_files_event(struct szia *sz, const struct ev *ev)
{
	char	*text;

	switch (ev->type) {
	case EV_UPLOAD:
		files_upload_event(sz, ev);
		break;
	case EV_REGISTER:
		core_register_event(sz, ev);
		break;
	case EV_PASSWORD:
		text = utf8_safe(ev->password.error != NULL ?
		    ev->password.error : "unknown error");
		files_password_result(sz, ev->password.ok, text);
		free(text);
		break;
	default:
		break;
	}
}
