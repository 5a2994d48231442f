/*
 * test-xmpp-upload.c - unit tests for src/xmpp/upload.c: service
 * discovery, the size limit, slot requests and hostile answers, from the
 * core's /sendfile down to the stanzas sent (captured through xl.send) and
 * back up as EV_UPLOAD lines.  No HTTP: every case here ends before a PUT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "xmpptest.h"

#include "util/xalloc.h"
#include "xmpp/upload.h"
#include "xmpp/xmpp-int.h"

/* A 10-byte file to send, its path in f->data. */
static int
make_file(struct fixture *f)
{
	char	*path = xasprintf("%s/cat.png", tu_tmpdir);
	FILE	*fp;

	f->data = path;
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs("0123456789", fp);		/* 10 bytes */
	fclose(fp);
	return 0;
}

static void
free_file(struct fixture *f)
{
	free(f->data);
}

static const struct xt_opts opts = { 0, make_file, free_file };

static int
setup(void **state)
{
	return xt_setup_with(state, &opts);
}

/* /sendfile in BOB's window, handed to the XMPP layer. */
static void
sendfile(struct fixture *f)
{
	char		*line = xasprintf("/sendfile %s", (char *)f->data);
	struct req	*r;

	core_open_chat(&f->sz, BOB, 1);
	core_input(&f->sz, line);
	free(line);
	r = tu_pop(&f->sz, REQ_UPLOAD);
	xl_upload_request(&f->xl, r);
	req_free(r);
}

/* feed_iq() with the stanza given printf-style. */
static void
feed(struct fixture *f, const char *fmt, ...)
{
	va_list		 ap;
	char		*xml;

	va_start(ap, fmt);
	assert_true(vasprintf(&xml, fmt, ap) >= 0);
	va_end(ap);
	feed_iq(f, xml);
	free(xml);
}

/* The id of sent stanza I (a static buffer). */
static const char *
sent_id(struct fixture *f, size_t i)
{
	static char	 id[64];
	const char	*p;
	size_t		 n;

	assert_true(i < f->nsent);
	p = strstr(f->sent[i], "id=\"");
	assert_non_null(p);
	p += 4;
	n = strcspn(p, "\"");
	assert_true(n < sizeof id);
	memcpy(id, p, n);
	id[n] = '\0';
	return id;
}

/* The sent stanza addressed TO containing NEEDLE: its index. */
static size_t
sent_find(struct fixture *f, const char *to, const char *needle)
{
	char	*want = xasprintf("to=\"%s\"", to);
	size_t	 i;

	for (i = 0; i < f->nsent; i++) {
		if (strstr(f->sent[i], want) != NULL &&
		    strstr(f->sent[i], needle) != NULL) {
			free(want);
			return i;
		}
	}
	fail_msg("nothing sent to %s with %s", to, needle);
	return 0;
}

static const char *
last_text(struct fixture *f)
{
	struct window	*w = core_chat_window(&f->sz, BOB);

	assert_non_null(w);
	return window_line(w, w->buf.len - 1)->text;
}

/* disco: items -> the server and upload.example.org, info from each. */
static void
discover(struct fixture *f, long long max)
{
	size_t	i;

	sendfile(f);
	i = sent_find(f, "example.org", NS_DISCO_ITEMS);
	feed(f, "<iq type='result' from='example.org' id='%s'>"
	    "<query xmlns='" NS_DISCO_ITEMS "'>"
	    "<item jid='conference.example.org'/>"
	    "<item jid='upload.example.org'/>"
	    "<item jid='not a jid@@'/>"
	    "</query></iq>", sent_id(f, i));
	i = sent_find(f, "conference.example.org", NS_DISCO_INFO);
	feed(f, "<iq type='result' from='conference.example.org' id='%s'>"
	    "<query xmlns='" NS_DISCO_INFO "'>"
	    "<feature var='http://jabber.org/protocol/muc'/></query></iq>",
	    sent_id(f, i));
	i = sent_find(f, "example.org", NS_DISCO_INFO);
	feed(f, "<iq type='result' from='example.org' id='%s'>"
	    "<query xmlns='" NS_DISCO_INFO "'/></iq>", sent_id(f, i));
	i = sent_find(f, "upload.example.org", NS_DISCO_INFO);
	/* A second form with another FORM_TYPE must not set the limit. */
	feed(f, "<iq type='result' from='upload.example.org' id='%s'>"
	    "<query xmlns='" NS_DISCO_INFO "'>"
	    "<feature var='" NS_HTTP_UPLOAD "'/>"
	    "<x xmlns='jabber:x:data' type='result'>"
	    "<field var='FORM_TYPE' type='hidden'><value>urn:example:other"
	    "</value></field><field var='max-file-size'><value>1</value>"
	    "</field></x>"
	    "<x xmlns='jabber:x:data' type='result'>"
	    "<field var='FORM_TYPE' type='hidden'><value>" NS_HTTP_UPLOAD
	    "</value></field><field var='max-file-size'><value>%lld</value>"
	    "</field></x></query></iq>", sent_id(f, i), max);
}

static void
upload__discovers_service_and_requests_slot(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	discover(f, 1000);
	i = sent_find(f, "upload.example.org", "<request");
	assert_non_null(strstr(f->sent[i], "filename=\"cat.png\""));
	assert_non_null(strstr(f->sent[i], "size=\"10\""));
	assert_non_null(strstr(f->sent[i], "content-type=\"image/png\""));
	assert_non_null(strstr(f->sent[i], "xmlns=\"" NS_HTTP_UPLOAD "\""));
	/* A second file: the service is cached, no new disco. */
	i = f->nsent;
	sendfile(f);
	assert_int_equal(f->nsent, i + 1);
	assert_non_null(strstr(f->sent[i], "<request"));
}

static void
upload__refuses_oversize_before_slot(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	discover(f, 9);
	for (i = 0; i < f->nsent; i++)
		assert_null(strstr(f->sent[i], "<request"));
	assert_string_equal(last_text(f), "Upload of cat.png failed: the "
	    "file is too large: 10 bytes, the server accepts at most 9");
}

static void
upload__reports_no_service(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	sendfile(f);
	i = sent_find(f, "example.org", NS_DISCO_ITEMS);
	feed(f, "<iq type='error' from='example.org' id='%s'><error "
	    "type='cancel'><service-unavailable xmlns='" NS_STANZAS "'/>"
	    "</error></iq>", sent_id(f, i));
	i = sent_find(f, "example.org", NS_DISCO_INFO);
	feed(f, "<iq type='result' from='example.org' id='%s'>"
	    "<query xmlns='" NS_DISCO_INFO "'/></iq>", sent_id(f, i));
	assert_string_equal(last_text(f), "Upload of cat.png failed: "
	    "example.org offers no HTTP file upload service (XEP-0363)");
}

static void
upload__slot_answers_checked(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;
	char		*id;

	discover(f, 0);
	i = sent_find(f, "upload.example.org", "<request");
	id = xstrdup(sent_id(f, i));
	/* A spoofed answer from someone else is ignored... */
	feed(f, "<iq type='result' from='mallory@evil.example' id='%s'>"
	    "<slot xmlns='" NS_HTTP_UPLOAD "'><put url='https://evil/p'/>"
	    "<get url='https://evil/g'/></slot></iq>", id);
	assert_non_null(strstr(last_text(f), "Uploading cat.png"));
	/* ...and one without https URLs refused. */
	feed(f, "<iq type='result' from='upload.example.org' id='%s'>"
	    "<slot xmlns='" NS_HTTP_UPLOAD "'><put url='http://up/p'/>"
	    "<get url='https://up/g'/></slot></iq>", id);
	assert_string_equal(last_text(f), "Upload of cat.png failed: the "
	    "server's slot has no valid https URLs");
	free(id);
}

static void
upload__slot_error_is_one_safe_line(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	discover(f, 0);
	i = sent_find(f, "upload.example.org", "<request");
	feed(f, "<iq type='error' from='upload.example.org' id='%s'>"
	    "<error type='modify'><not-acceptable xmlns='" NS_STANZAS "'/>"
	    "<text xmlns='" NS_STANZAS "'>Quota\xc2\x9b" "31m full\nreally</text>"
	    "</error></iq>", sent_id(f, i));
	assert_non_null(strstr(last_text(f), "Upload of cat.png failed: the "
	    "server refused a slot: Quota"));
	assert_true(text_is_safe(last_text(f)));
	assert_null(strchr(last_text(f), '\n'));
}

/* Cancelled while the slot is asked: the job is gone, so the slot's
 * answer starts no PUT and reports nothing, and no timer is left. */
static void
upload__cancel_drops_the_job(void **state)
{
	struct fixture	*f = *state;
	struct req	*r;
	size_t		 i;
	char		*id;

	discover(f, 0);
	i = sent_find(f, "upload.example.org", "<request");
	id = xstrdup(sent_id(f, i));
	assert_true(xl_upload_timeout(&f->xl) > 0);
	core_input(&f->sz, "/sendfile cancel");
	r = tu_pop(&f->sz, REQ_UPLOAD_CANCEL);
	xl_upload_cancel(&f->xl, r->upload.id);
	req_free(r);
	assert_int_equal(xl_upload_timeout(&f->xl), -1);
	feed(f, "<iq type='result' from='upload.example.org' id='%s'>"
	    "<slot xmlns='" NS_HTTP_UPLOAD "'><put url='https://up/p'/>"
	    "<get url='https://up/g'/></slot></iq>", id);
	assert_string_equal(last_text(f), "Upload of cat.png cancelled.");
	assert_int_equal(xl_upload_timeout(&f->xl), -1);
	tu_outbox_empty(&f->sz);
	free(id);
}

static void
upload__connection_loss_fails_waiting_jobs(void **state)
{
	struct fixture	*f = *state;

	sendfile(f);
	f->xl.online = 0;
	xl_upload_run(&f->xl);
	assert_string_equal(last_text(f), "Upload of cat.png failed: "
	    "connection lost");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    upload__discovers_service_and_requests_slot, setup,
		    xt_teardown),
		cmocka_unit_test_setup_teardown(
		    upload__refuses_oversize_before_slot, setup, xt_teardown),
		cmocka_unit_test_setup_teardown(
		    upload__reports_no_service, setup, xt_teardown),
		cmocka_unit_test_setup_teardown(
		    upload__slot_answers_checked, setup, xt_teardown),
		cmocka_unit_test_setup_teardown(
		    upload__slot_error_is_one_safe_line, setup, xt_teardown),
		cmocka_unit_test_setup_teardown(
		    upload__cancel_drops_the_job, setup, xt_teardown),
		cmocka_unit_test_setup_teardown(
		    upload__connection_loss_fails_waiting_jobs, setup,
		    xt_teardown),
	};

	return cmocka_run_group_tests(tests, xt_group_setup,
	    xt_group_teardown);
}
