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

#include "util/xalloc.h"
#include "xmpp/upload.h"
#include "xmpp/xmpp-int.h"

#define ME	"alice@example.org"
#define BOB	"bob@example.org"
#define MAX_SENT 16

struct fixture {
	struct szia		 sz;
	struct xmpp_link	 xl;
	xmpp_ctx_t		*ctx;
	char			*sent[MAX_SENT];
	size_t			 nsent;
	char			*path;
};

static void
capture_send(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	struct fixture	*f = (struct fixture *)((char *)xl -
			    offsetof(struct fixture, xl));
	char		*buf;
	size_t		 len;

	assert_int_equal(xmpp_stanza_to_text(st, &buf, &len), XMPP_EOK);
	assert_true(f->nsent < MAX_SENT);
	f->sent[f->nsent++] = xstrndup(buf, len);
	xmpp_free(f->ctx, buf);
}

static char	tmpdir[] = "/tmp/szia-test-upload-XXXXXX";

static int
group_setup(void **state)
{
	if (tmphome_create(tmpdir) != 0)
		return -1;
	xmpp_initialize();
	return 0;
}

static int
group_teardown(void **state)
{
	xmpp_shutdown();
	return tmphome_remove(tmpdir);
}

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct core_config	 cfg = { NULL, NULL, NULL };
	struct ev		 ev;
	FILE			*fp;

	core_init(&f->sz, &cfg);
	core_input(&f->sz, "/connect " ME);
	core_input(&f->sz, "secret");
	memset(&ev, 0, sizeof ev);
	ev.type = EV_CONNECTED;
	ev.connected.jid = ME "/szia";
	core_handle(&f->sz, &ev);
	outbox_clear(&f->sz.outbox);

	f->ctx = xmpp_ctx_new(NULL, NULL);
	f->xl.sz = &f->sz;
	f->xl.ctx = f->ctx;
	f->xl.fd = -1;
	f->xl.online = 1;
	f->xl.bare = xstrdup(ME);
	f->xl.domain = xstrdup("example.org");
	f->xl.bound = xstrdup(ME "/szia");
	f->xl.send = capture_send;
	f->path = xasprintf("%s/cat.png", tmpdir);
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("0123456789", fp);		/* 10 bytes */
	fclose(fp);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	for (i = 0; i < f->nsent; i++)
		free(f->sent[i]);
	xl_upload_free(&f->xl);
	iqtrack_clear(&f->xl);
	free(f->xl.bare);
	free(f->xl.domain);
	free(f->xl.bound);
	xmpp_ctx_free(f->ctx);
	core_free(&f->sz);
	free(f->path);
	free(f);
	return 0;
}

/* /sendfile in BOB's window, handed to the XMPP layer. */
static void
sendfile(struct fixture *f)
{
	char		*line = xasprintf("/sendfile %s", f->path);
	struct req	*r;

	core_open_chat(&f->sz, BOB, 1);
	core_input(&f->sz, line);
	free(line);
	r = outbox_pop(&f->sz.outbox);
	assert_non_null(r);
	assert_int_equal(r->type, REQ_UPLOAD);
	xl_upload_request(&f->xl, r);
	req_free(r);
}

static void
feed(struct fixture *f, const char *fmt, ...)
{
	va_list		 ap;
	char		*xml;
	xmpp_stanza_t	*st;

	va_start(ap, fmt);
	assert_true(vasprintf(&xml, fmt, ap) >= 0);
	va_end(ap);
	st = xmpp_stanza_new_from_string(f->ctx, xml);
	if (st == NULL)
		fail_msg("cannot parse %s", xml);
	free(xml);
	assert_int_equal(xin_iq(NULL, st, &f->xl), 1);
	xmpp_stanza_release(st);
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
		    teardown),
		cmocka_unit_test_setup_teardown(
		    upload__refuses_oversize_before_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    upload__reports_no_service, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    upload__slot_answers_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    upload__slot_error_is_one_safe_line, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    upload__connection_loss_fails_waiting_jobs, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
