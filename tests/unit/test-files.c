/*
 * test-files.c - unit tests for the core's side of /sendfile, /register
 * and /account password (src/core/cmd-files.c, src/core/register.c): the
 * requests queued, and what remote answers (EV_UPLOAD, EV_PASSWORD,
 * EV_REGISTER) do, including hostile ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/core.h"
#include "util/xalloc.h"

static void
go_online(struct szia *sz)
{
	tu_online(sz);
	outbox_clear(&sz->outbox);
}

/* A file of N bytes in the temporary home; its path (caller frees). */
static char *
make_file(const char *name, size_t n)
{
	char	*path = xasprintf("%s/%s", tu_tmpdir, name);
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	while (n-- > 0)
		fputc('x', f);
	fclose(f);
	return path;
}

/* /sendfile in BOB's window; returns the REQ_UPLOAD. */
static struct req *
sendfile(struct szia *sz, const char *path)
{
	char	*line = xasprintf("/sendfile %s", path);

	core_open_chat(sz, BOB, 1);
	core_input(sz, line);
	free(line);
	return tu_pop(sz, REQ_UPLOAD);
}

static void
upload_event(struct szia *sz, const char *id, int state, int pct,
    const char *url, const char *error)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_UPLOAD;
	ev.upload.id = id;
	ev.upload.state = state;
	ev.upload.percent = pct;
	ev.upload.url = url;
	ev.upload.error = error;
	core_handle(sz, &ev);
}

static void
sendfile__queues_upload_and_updates_one_line(void **state)
{
	struct szia	*sz = *state;
	char		*path = make_file("a b.txt", 1234);
	struct req	*r, *m;
	struct window	*w;
	size_t		 lines;
	int		 pct;

	go_online(sz);
	r = sendfile(sz, path);
	w = core_chat_window(sz, BOB);
	assert_string_equal(r->upload.filename, "a b.txt");
	assert_string_equal(r->upload.path, path);
	assert_int_equal(r->upload.size, 1234);
	lines = w->buf.len;
	assert_int_equal(core_uploads(sz, &pct), 1);
	assert_int_equal(pct, -1);			/* not sending yet */
	sz->dirty = 0;
	upload_event(sz, r->upload.id, UPLOAD_PROGRESS, 40, NULL, NULL);
	assert_true(sz->dirty & DIRTY_STATUS);		/* "[up 40%]" */
	assert_int_equal(core_uploads(sz, &pct), 1);
	assert_int_equal(pct, 40);
	assert_int_equal(w->buf.len, lines);
	assert_string_equal(tu_last_line(w)->text,
	    "Uploading a b.txt (1234 bytes): 40%");
	upload_event(sz, r->upload.id, UPLOAD_DONE, 100,
	    "https://up.example.org/x/a%20b.txt", NULL);
	assert_int_equal(core_uploads(sz, &pct), 0);
	m = tu_pop(sz, REQ_MESSAGE);
	assert_string_equal(m->message.to, BOB);
	assert_string_equal(m->message.body,
	    "https://up.example.org/x/a%20b.txt");
	assert_string_equal(m->message.oob_url, m->message.body);
	req_free(m);
	/* A late or repeated event for the same id changes nothing. */
	upload_event(sz, r->upload.id, UPLOAD_DONE, 100,
	    "https://up.example.org/again", NULL);
	tu_outbox_empty(sz);
	req_free(r);
	free(path);
}

/* /sendfile cancel stops this window's upload: the XMPP layer is told,
 * the progress line says so, and later events of that upload are
 * ignored. */
static void
sendfile_cancel__stops_this_windows_upload(void **state)
{
	struct szia	*sz = *state;
	char		*path = make_file("c.bin", 10);
	struct req	*r, *c;
	struct window	*w;

	go_online(sz);
	r = sendfile(sz, path);
	w = core_chat_window(sz, BOB);
	core_input(sz, "/sendfile cancel");
	c = tu_pop(sz, REQ_UPLOAD_CANCEL);
	assert_string_equal(c->upload.id, r->upload.id);
	assert_string_equal(tu_last_line(w)->text,
	    "Upload of c.bin cancelled.");
	assert_non_null(tu_find_line(w, "Upload of c.bin (10 bytes) "
	    "cancelled"));
	upload_event(sz, r->upload.id, UPLOAD_DONE, 100,
	    "https://up.example.org/c.bin", NULL);
	tu_outbox_empty(sz);
	core_input(sz, "/sendfile cancel");
	assert_int_equal(tu_last_line(w)->kind, LINE_ERROR);
	assert_string_equal(tu_last_line(w)->text, "/sendfile cancel: no "
	    "upload is running in this window.");
	req_free(c);
	req_free(r);
	free(path);
}

static void
sendfile__refuses_hostile_url(void **state)
{
	static const char *const bad[] = {
		"javascript:alert(1)", "http://plain.example.org/f",
		"https://x.example.org/a\x1b[2Jb", "https://", "https://a b",
	};
	struct szia	*sz = *state;
	char		*path = make_file("f.bin", 10);
	struct req	*r;
	size_t		 i;

	go_online(sz);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = sendfile(sz, path);
		upload_event(sz, r->upload.id, UPLOAD_DONE, 100, bad[i], NULL);
		tu_outbox_empty(sz);
		assert_int_equal(tu_last_line(core_chat_window(sz, BOB))->kind,
		    LINE_ERROR);
		assert_true(text_is_safe(tu_last_line(core_chat_window(sz,
		    BOB))->text));
		req_free(r);
	}
	free(path);
}

static void
sendfile__failure_is_one_safe_line(void **state)
{
	struct szia	*sz = *state;
	char		*path = make_file("g.bin", 10);
	struct req	*r;
	struct line	*l;

	go_online(sz);
	r = sendfile(sz, path);
	upload_event(sz, r->upload.id, UPLOAD_FAILED, 0, NULL,
	    "the server refused a slot: \x1b]0;pwned\x07too big\nreally");
	l = tu_last_line(core_chat_window(sz, BOB));
	assert_int_equal(l->kind, LINE_ERROR);
	assert_true(text_is_safe(l->text));
	assert_null(strchr(l->text, '\n'));
	assert_non_null(strstr(l->text, "Upload of g.bin failed"));
	req_free(r);
	free(path);
}

static void
sendfile__refuses_missing_file_and_directory(void **state)
{
	struct szia	*sz = *state;
	struct window	*w;
	char		*fifo, *line;

	go_online(sz);
	w = core_open_chat(sz, BOB, 1);
	core_input(sz, "/sendfile /nonexistent/x.png");
	tu_outbox_empty(sz);
	assert_string_equal(tu_last_line(w)->text, "/sendfile: cannot read "
	    "/nonexistent/x.png: No such file or directory.");
	core_input(sz, "/sendfile /tmp");
	tu_outbox_empty(sz);
	assert_int_equal(tu_last_line(w)->kind, LINE_ERROR);
	/* A FIFO with no writer: refused at once, not waited for. */
	fifo = xasprintf("%s/fifo", tu_tmpdir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	line = xasprintf("/sendfile %s", fifo);
	core_input(sz, line);
	tu_outbox_empty(sz);
	assert_non_null(strstr(tu_last_line(w)->text, "is not a regular file"));
	unlink(fifo);
	free(fifo);
	free(line);
	core_select_window(sz, windows_console(&sz->windows));
	core_input(sz, "/sendfile /etc/hostname");
	tu_outbox_empty(sz);
	assert_string_equal(tu_last_line(windows_console(&sz->windows))->text,
	    "/sendfile: only in a chat window.");
}

static void
account_password__asks_twice_and_sends(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;
	struct ev	 ev;

	go_online(sz);
	core_input(sz, "/account password");
	assert_true(sz->prompt.active && sz->prompt.hidden);
	core_input(sz, "new1");
	assert_true(sz->prompt.active && sz->prompt.hidden);
	core_input(sz, "new2");
	tu_outbox_empty(sz);	/* they differ */
	core_input(sz, "/account password");
	core_input(sz, "new1");
	core_input(sz, "new1");
	r = tu_pop(sz, REQ_PASSWORD);
	assert_string_equal(r->password.password, "new1");
	req_free(r);
	memset(&ev, 0, sizeof ev);
	ev.type = EV_PASSWORD;
	ev.password.ok = 1;
	core_handle(sz, &ev);
	assert_string_equal(sz->session.password, "new1");
}

static void
account_password__error_keeps_old(void **state)
{
	struct szia	*sz = *state;
	struct ev	 ev;

	go_online(sz);
	core_input(sz, "/account password other");
	req_free(tu_pop(sz, REQ_PASSWORD));
	memset(&ev, 0, sizeof ev);
	ev.type = EV_PASSWORD;
	ev.password.error = "not-allowed";
	core_handle(sz, &ev);
	assert_string_equal(sz->session.password, "secret");
	assert_string_equal(tu_last_line(windows_console(&sz->windows))->text,
	    "Password not changed: not-allowed.");
}

static void
register__asks_twice_and_queues(void **state)
{
	struct szia	*sz = *state;
	struct req	*r;

	core_input(sz, "/register new@example.org 127.0.0.1:5299");
	assert_true(sz->prompt.active && sz->prompt.hidden);
	core_input(sz, "pw");
	core_input(sz, "pw");
	r = tu_pop(sz, REQ_REGISTER);
	assert_string_equal(r->reg.jid, "new@example.org");
	assert_string_equal(r->reg.password, "pw");
	assert_string_equal(r->reg.server, "127.0.0.1");
	assert_int_equal(r->reg.port, 5299);
	assert_int_equal(r->reg.tls, TLS_STARTTLS);
	req_free(r);
	core_input(sz, "/register example.org");
	assert_false(sz->prompt.active);
	core_input(sz, "/register new@example.org host:99999");
	assert_false(sz->prompt.active);
	tu_outbox_empty(sz);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_core_setup,		\
	    tu_core_teardown)
	const struct CMUnitTest tests[] = {
		T(sendfile__queues_upload_and_updates_one_line),
		T(sendfile_cancel__stops_this_windows_upload),
		T(sendfile__refuses_hostile_url),
		T(sendfile__failure_is_one_safe_line),
		T(sendfile__refuses_missing_file_and_directory),
		T(account_password__asks_twice_and_sends),
		T(account_password__error_keeps_old),
		T(register__asks_twice_and_queues),
	};

	return cmocka_run_group_tests(tests, tu_group_setup, tu_group_teardown);
}
