/*
 * upload.c - XEP-0363 HTTP File Upload (urn:xmpp:http:upload:0) with
 * libcurl's multi interface (see upload.h).
 *
 * A job goes: waiting for the service (disco) -> slot requested -> PUT
 * running -> done or failed; each end is one EV_UPLOAD for the core.
 * The service found (or its absence) is cached until the connection
 * drops; an upload that outlives the XMPP connection while still waiting
 * for the server fails with "connection lost", a PUT already running
 * carries on (the URL is sent if the session is back by then).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "core/jid.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "xmpp/curl-load.h"
#include "xmpp/upload.h"
#include "xmpp/xmpp-int.h"

enum xup_stage {
	STAGE_SERVICE,		/* waiting for disco */
	STAGE_SLOT,		/* slot requested */
	STAGE_PUT,		/* HTTP PUT running */
};

struct xup_job {
	char			*id;
	char			*path;
	char			*filename;
	long long		 size;
	enum xup_stage		 stage;
	char			*slot_iq;	/* id of the slot request */
	char			*get_url;
	FILE			*fp;
	CURL			*easy;
	struct curl_slist	*headers;
	int			 percent;
	char			 errbuf[CURL_ERROR_SIZE];
	struct xup_job		*next;
};

struct xup {
	CURLM		*multi;
	int		 disco;		/* 0 not asked, 1 asking, 2 known */
	int		 infos;		/* disco#info replies awaited */
	char		*service;	/* JID, or NULL: none */
	long long	 max_size;	/* 0: no limit advertised */
	uint64_t	 deadline;	/* disco or a slot gives up then */
	struct xup_job	*jobs;
};

/* How long disco and a slot request may go unanswered. */
#define XUP_ANSWER_MS	20000

static struct xup *
xup_get(struct xmpp_link *xl)
{
	if (xl->up == NULL) {
		xl->up = xcalloc(1, sizeof *xl->up);
	}
	return xl->up;
}

static void
xup_event(struct xmpp_link *xl, struct xup_job *j, int state, int percent,
    const char *url, const char *error)
{
	struct ev	ev;

	memset(&ev, 0, sizeof ev);
	ev.type = EV_UPLOAD;
	ev.upload.id = j->id;
	ev.upload.state = state;
	ev.upload.percent = percent;
	ev.upload.url = url;
	ev.upload.error = error;
	core_handle(xl->sz, &ev);
}

static void
xup_job_free(struct xup *up, struct xup_job *j)
{
	if (j->easy != NULL) {
		curl_fn.multi_remove_handle(up->multi, j->easy);
		curl_fn.easy_cleanup(j->easy);
	}
	if (j->headers != NULL)
		curl_fn.slist_free_all(j->headers);
	if (j->fp != NULL)
		fclose(j->fp);
	free(j->id);
	free(j->path);
	free(j->filename);
	free(j->slot_iq);
	free(j->get_url);
	free(j);
}

/* Report J's end (ERROR NULL: success) and forget it. */
static void
xup_finish(struct xmpp_link *xl, struct xup_job *j, const char *error)
{
	struct xup	 *up = xl->up;
	struct xup_job	**jp;

	for (jp = &up->jobs; *jp != NULL; jp = &(*jp)->next) {
		if (*jp == j) {
			*jp = j->next;
			break;
		}
	}
	if (error != NULL)
		xup_event(xl, j, UPLOAD_FAILED, 0, NULL, error);
	else
		xup_event(xl, j, UPLOAD_DONE, 100, j->get_url, NULL);
	xup_job_free(up, j);
}

void
xl_upload_free(struct xmpp_link *xl)
{
	struct xup	*up = xl->up;
	struct xup_job	*j;

	if (up == NULL)
		return;
	while ((j = up->jobs) != NULL) {
		up->jobs = j->next;
		xup_job_free(up, j);
	}
	if (up->multi != NULL)
		curl_fn.multi_cleanup(up->multi);
	free(up->service);
	free(up);
	xl->up = NULL;
	curl_unload();
}

static void
xup_send(struct xmpp_link *xl, xmpp_stanza_t *st)
{
	xl->send(xl, st);
	xmpp_stanza_release(st);
}

static void
xup_disco(struct xmpp_link *xl, const char *to, const char *ns,
    enum iq_kind kind)
{
	xmpp_stanza_t	*iq, *q;

	iq = xmpp_iq_new(xl->ctx, "get", iqtrack_add(xl, to, kind));
	xmpp_stanza_set_to(iq, to);
	q = xs_tag(xl->ctx, "query", ns);
	xmpp_stanza_add_child(iq, q);
	xmpp_stanza_release(q);
	xup_send(xl, iq);
}

/* A MIME type from the file name's extension; octet-stream if unknown. */
static const char *
xup_content_type(const char *name)
{
	static const char *const types[][2] = {
		{ "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "png", "image/png" }, { "gif", "image/gif" },
		{ "webp", "image/webp" }, { "svg", "image/svg+xml" },
		{ "txt", "text/plain" }, { "pdf", "application/pdf" },
		{ "zip", "application/zip" }, { "gz", "application/gzip" },
		{ "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" },
		{ "opus", "audio/ogg" }, { "m4a", "audio/mp4" },
		{ "mp4", "video/mp4" }, { "webm", "video/webm" },
		{ "html", "text/html" }, { "json", "application/json" },
	};
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	if (dot == NULL)
		return "application/octet-stream";
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (strcasecmp(dot + 1, types[i][0]) == 0)
			return types[i][1];
	}
	return "application/octet-stream";
}

static void
xup_request_slot(struct xmpp_link *xl, struct xup_job *j)
{
	struct xup	*up = xl->up;
	xmpp_stanza_t	*iq, *r;
	char		 size[32];
	char		*msg;

	if (up->service == NULL) {
		msg = xasprintf("%s offers no HTTP file upload service "
		    "(XEP-0363)", xl->domain);
		xup_finish(xl, j, msg);
		free(msg);
		return;
	}
	if (up->max_size > 0 && j->size > up->max_size) {
		msg = xasprintf("the file is too large: %lld bytes, the server "
		    "accepts at most %lld", j->size, up->max_size);
		xup_finish(xl, j, msg);
		free(msg);
		return;
	}
	snprintf(size, sizeof size, "%lld", j->size);
	j->stage = STAGE_SLOT;
	up->deadline = clock_now_ms() + XUP_ANSWER_MS;
	free(j->slot_iq);
	j->slot_iq = xstrdup(iqtrack_add(xl, up->service, IQ_UPLOAD_SLOT));
	iq = xmpp_iq_new(xl->ctx, "get", j->slot_iq);
	xmpp_stanza_set_to(iq, up->service);
	r = xs_tag(xl->ctx, "request", NS_HTTP_UPLOAD);
	xmpp_stanza_set_attribute(r, "filename", j->filename);
	xmpp_stanza_set_attribute(r, "size", size);
	xmpp_stanza_set_attribute(r, "content-type",
	    xup_content_type(j->filename));
	xmpp_stanza_add_child(iq, r);
	xmpp_stanza_release(r);
	xup_send(xl, iq);
}

/* Disco is over: go on with every job that waited for it. */
static void
xup_service_known(struct xmpp_link *xl)
{
	struct xup	*up = xl->up;
	struct xup_job	*j, *next;

	up->disco = 2;
	log_info("upload: service %s, max size %lld",
	    up->service != NULL ? up->service : "(none)", up->max_size);
	for (j = up->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->stage == STAGE_SERVICE)
			xup_request_slot(xl, j);
	}
}

void
xl_upload_request(struct xmpp_link *xl, struct req *r)
{
	struct xup	*up = xup_get(xl);
	struct xup_job	*j = xcalloc(1, sizeof *j);

	j->id = xstrdup(r->upload.id);
	j->path = xstrdup(r->upload.path);
	j->filename = xstrdup(r->upload.filename);
	j->size = r->upload.size;
	j->percent = -1;
	j->stage = STAGE_SERVICE;
	j->next = up->jobs;
	up->jobs = j;
	switch (up->disco) {
	case 0:
		up->disco = 1;
		up->infos = 0;
		free(up->service);
		up->service = NULL;
		up->max_size = 0;
		up->deadline = clock_now_ms() + XUP_ANSWER_MS;
		xup_disco(xl, xl->domain, NS_DISCO_ITEMS, IQ_UPLOAD_ITEMS);
		break;
	case 1:
		break;
	default:
		xup_request_slot(xl, j);
		break;
	}
}

void
xl_upload_cancel(struct xmpp_link *xl, const char *id)
{
	struct xup	 *up = xl->up;
	struct xup_job	**jp, *j;

	if (up == NULL || id == NULL)
		return;
	for (jp = &up->jobs; (j = *jp) != NULL; jp = &j->next) {
		if (strcmp(j->id, id) == 0) {
			*jp = j->next;
			xup_job_free(up, j);	/* removes the PUT from multi */
			return;
		}
	}
}

static const char *
xup_text(xmpp_stanza_t *st, char **buf)
{
	free(*buf);
	*buf = st != NULL ? xmpp_stanza_get_text(st) : NULL;
	return *buf;
}

/* The max-file-size of the upload form in disco#info Q; 0 if none. */
static long long
xup_max_size(xmpp_stanza_t *q)
{
	xmpp_stanza_t	*x, *f;
	const char	*ns, *var;
	char		*t = NULL;
	long long	 max = 0, v;
	int		 ours;

	for (x = xmpp_stanza_get_children(q); x != NULL;
	    x = xmpp_stanza_get_next(x)) {
		ns = xmpp_stanza_get_ns(x);
		if (!xmpp_stanza_is_tag(x) || ns == NULL ||
		    strcmp(xmpp_stanza_get_name(x), "x") != 0 ||
		    strcmp(ns, NS_XDATA) != 0)
			continue;
		ours = 0;
		v = 0;
		for (f = xmpp_stanza_get_children(x); f != NULL;
		    f = xmpp_stanza_get_next(f)) {
			if (!xmpp_stanza_is_tag(f) ||
			    (var = xmpp_stanza_get_attribute(f, "var")) ==
			    NULL)
				continue;
			xup_text(xmpp_stanza_get_child_by_name(f, "value"),
			    &t);
			if (t == NULL)
				continue;
			if (strcmp(var, "FORM_TYPE") == 0 &&
			    strcmp(t, NS_HTTP_UPLOAD) == 0)
				ours = 1;
			else if (strcmp(var, "max-file-size") == 0)
				v = strtoll(t, NULL, 10);
		}
		if (ours && v > 0)
			max = v;
	}
	xup_text(NULL, &t);
	return max;
}

static int
xup_has_feature(xmpp_stanza_t *q)
{
	xmpp_stanza_t	*c;
	const char	*var;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "feature") == 0 &&
		    (var = xmpp_stanza_get_attribute(c, "var")) != NULL &&
		    strcmp(var, NS_HTTP_UPLOAD) == 0)
			return 1;
	}
	return 0;
}

static void
xup_items_reply(struct xmpp_link *xl, xmpp_stanza_t *st, int ok)
{
	struct xup	*up = xl->up;
	xmpp_stanza_t	*q, *c;
	const char	*jid;

	/* The server itself may be the service, then each item. */
	xup_disco(xl, xl->domain, NS_DISCO_INFO, IQ_UPLOAD_INFO);
	up->infos = 1;
	q = ok ? xmpp_stanza_get_child_by_ns(st, NS_DISCO_ITEMS) : NULL;
	for (c = q != NULL ? xmpp_stanza_get_children(q) : NULL;
	    c != NULL && up->infos < 64; c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "item") != 0 ||
		    (jid = xmpp_stanza_get_attribute(c, "jid")) == NULL ||
		    !jid_valid(jid) || strcmp(jid, xl->domain) == 0 ||
		    xmpp_stanza_get_attribute(c, "node") != NULL)
			continue;
		xup_disco(xl, jid, NS_DISCO_INFO, IQ_UPLOAD_INFO);
		up->infos++;
	}
}

static void
xup_info_reply(struct xmpp_link *xl, const char *from, xmpp_stanza_t *st,
    int ok)
{
	struct xup	*up = xl->up;
	xmpp_stanza_t	*q;

	q = ok ? xmpp_stanza_get_child_by_ns(st, NS_DISCO_INFO) : NULL;
	if (q != NULL && xup_has_feature(q) && (up->service == NULL ||
	    strcmp(up->service, xl->domain) == 0)) {
		/* A dedicated component wins over the server itself. */
		free(up->service);
		up->service = xstrdup(from);
		up->max_size = xup_max_size(q);
	}
	if (--up->infos <= 0)
		xup_service_known(xl);
}

static struct xup_job *
xup_job_by_iq(struct xup *up, const char *id)
{
	struct xup_job	*j;

	for (j = up->jobs; j != NULL; j = j->next) {
		if (j->slot_iq != NULL && strcmp(j->slot_iq, id) == 0)
			return j;
	}
	return NULL;
}

static int
xup_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct xup_job		*j = ud;
	struct xmpp_link	*xl;
	int			 pct;

	if (j->size <= 0 || ulnow < 0)
		return 0;
	pct = (int)(ulnow * 100 / j->size);
	if (pct > 100)
		pct = 100;
	if (pct == j->percent)
		return 0;
	j->percent = pct;
	curl_fn.easy_getinfo(j->easy, CURLINFO_PRIVATE, (char **)&xl);
	xup_event(xl, j, UPLOAD_PROGRESS, pct, NULL, NULL);
	return 0;
}

/* Headers a slot may ask for (XEP-0363 §5), without line breaks. */
/* libcurl, loaded on the first upload (curl-load.h); NULL or an error. */
static const char *
xup_load_curl(void)
{
	char	*cause = NULL;

	if (curl_load(&cause) == 0)
		return NULL;
	log_warn("upload: %s", cause);
	free(cause);
	return "cannot load libcurl (is Debian's libcurl4 installed?)";
}

static void
xup_slot_headers(struct xup_job *j, xmpp_stanza_t *put)
{
	static const char *const allowed[] = {
		"Authorization", "Cookie", "Expires"
	};
	xmpp_stanza_t	*h;
	const char	*name;
	char		*value, *line;
	size_t		 i;

	for (h = xmpp_stanza_get_children(put); h != NULL;
	    h = xmpp_stanza_get_next(h)) {
		if (!xmpp_stanza_is_tag(h) ||
		    strcmp(xmpp_stanza_get_name(h), "header") != 0 ||
		    (name = xmpp_stanza_get_attribute(h, "name")) == NULL)
			continue;
		for (i = 0; i < 3 && strcasecmp(name, allowed[i]) != 0; i++)
			;
		if (i == 3 || (value = xmpp_stanza_get_text(h)) == NULL)
			continue;
		if (strpbrk(value, "\r\n") == NULL) {
			line = xasprintf("%s: %s", allowed[i], value);
			j->headers = curl_fn.slist_append(j->headers, line);
			free(line);
		}
		xmpp_free(xmpp_stanza_get_context(h), value);
	}
}

static int
xup_https_url(const char *url)
{
	const unsigned char	*p;

	if (url == NULL || strncasecmp(url, "https://", 8) != 0)
		return 0;
	for (p = (const unsigned char *)url; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f)
			return 0;
	}
	return 1;
}

static const char *
xup_start_put(struct xmpp_link *xl, struct xup_job *j, const char *put_url)
{
	struct xup	*up = xl->up;
	const char	*ca = settings_str(&xl->sz->settings, SET_UPLOAD_CAFILE);
	char		*ctype;

	if ((j->fp = fopen(j->path, "rb")) == NULL)
		return "cannot open the file any more";
	if (up->multi == NULL && (up->multi = curl_fn.multi_init()) == NULL)
		return "cannot start libcurl";
	if ((j->easy = curl_fn.easy_init()) == NULL)
		return "cannot start libcurl";
	ctype = xasprintf("Content-Type: %s", xup_content_type(j->filename));
	j->headers = curl_fn.slist_append(j->headers, ctype);
	free(ctype);
	curl_fn.easy_setopt(j->easy, CURLOPT_URL, put_url);
	curl_fn.easy_setopt(j->easy, CURLOPT_PROTOCOLS_STR, "https");
	curl_fn.easy_setopt(j->easy, CURLOPT_UPLOAD, 1L);
	curl_fn.easy_setopt(j->easy, CURLOPT_READDATA, j->fp);
	curl_fn.easy_setopt(j->easy, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)j->size);
	curl_fn.easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->headers);
	curl_fn.easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L);
	curl_fn.easy_setopt(j->easy, CURLOPT_NOPROGRESS, 0L);
	curl_fn.easy_setopt(j->easy, CURLOPT_XFERINFOFUNCTION, xup_progress);
	curl_fn.easy_setopt(j->easy, CURLOPT_XFERINFODATA, j);
	curl_fn.easy_setopt(j->easy, CURLOPT_PRIVATE, (char *)xl);
	curl_fn.easy_setopt(j->easy, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_fn.easy_setopt(j->easy, CURLOPT_USERAGENT, "szia/" SZIA_VERSION);
	curl_fn.easy_setopt(j->easy, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_fn.easy_setopt(j->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_fn.easy_setopt(j->easy, CURLOPT_LOW_SPEED_TIME, 60L);
	/* Verification stays on; only the trusted CAs may be replaced. */
	curl_fn.easy_setopt(j->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_fn.easy_setopt(j->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca != NULL && *ca != '\0')
		curl_fn.easy_setopt(j->easy, CURLOPT_CAINFO, ca);
	if (curl_fn.multi_add_handle(up->multi, j->easy) != CURLM_OK)
		return "cannot start the transfer";
	j->stage = STAGE_PUT;
	log_info("upload %s: PUT %lld bytes", j->id, j->size);
	return NULL;
}

static void
xup_slot_reply(struct xmpp_link *xl, struct iq_pending *p,
    xmpp_stanza_t *st, int ok, const char *error)
{
	struct xup_job	*j = xup_job_by_iq(xl->up, p->id);
	xmpp_stanza_t	*slot, *put, *get;
	const char	*put_url, *get_url, *err;
	char		*msg;

	if (j == NULL)
		return;
	if (!ok) {
		msg = xasprintf("the server refused a slot: %s",
		    error != NULL ? error : "unknown error");
		xup_finish(xl, j, msg);
		free(msg);
		return;
	}
	slot = xmpp_stanza_get_child_by_ns(st, NS_HTTP_UPLOAD);
	put = slot != NULL ? xmpp_stanza_get_child_by_name(slot, "put") : NULL;
	get = slot != NULL ? xmpp_stanza_get_child_by_name(slot, "get") : NULL;
	put_url = put != NULL ? xmpp_stanza_get_attribute(put, "url") : NULL;
	get_url = get != NULL ? xmpp_stanza_get_attribute(get, "url") : NULL;
	if (!xup_https_url(put_url) || !xup_https_url(get_url)) {
		xup_finish(xl, j, "the server's slot has no valid https URLs");
		return;
	}
	j->get_url = xstrdup(get_url);
	if ((err = xup_load_curl()) != NULL) {
		xup_finish(xl, j, err);
		return;
	}
	xup_slot_headers(j, put);
	if ((err = xup_start_put(xl, j, put_url)) != NULL)
		xup_finish(xl, j, err);
}

void
xl_upload_iq(struct xmpp_link *xl, struct iq_pending *p, xmpp_stanza_t *st,
    int ok, const char *error)
{
	if (xl->up == NULL)
		return;
	switch (p->kind) {
	case IQ_UPLOAD_ITEMS:
		if (xl->up->disco == 1)
			xup_items_reply(xl, st, ok);
		break;
	case IQ_UPLOAD_INFO:
		if (xl->up->disco == 1)
			xup_info_reply(xl, p->expect != NULL ? p->expect :
			    xl->domain, st, ok);
		break;
	case IQ_UPLOAD_SLOT:
		xup_slot_reply(xl, p, st, ok, error);
		break;
	default:
		break;
	}
}

int
xl_upload_pollfds(struct xmpp_link *xl, struct pollfd *pfd, int max)
{
	fd_set	r, w, e;
	int	maxfd = -1, fd, n = 0;

	if (xl->up == NULL || xl->up->multi == NULL)
		return 0;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	if (curl_fn.multi_fdset(xl->up->multi, &r, &w, &e, &maxfd) != CURLM_OK)
		return 0;
	for (fd = 0; fd <= maxfd && n < max; fd++) {
		if (!FD_ISSET(fd, &r) && !FD_ISSET(fd, &w) &&
		    !FD_ISSET(fd, &e))
			continue;
		pfd[n].fd = fd;
		pfd[n].events = (FD_ISSET(fd, &r) ? POLLIN : 0) |
		    (FD_ISSET(fd, &w) ? POLLOUT : 0);
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

static int
xup_running(struct xup *up)
{
	struct xup_job	*j;

	for (j = up->jobs; j != NULL; j = j->next) {
		if (j->stage == STAGE_PUT)
			return 1;
	}
	return 0;
}

/* Jobs waiting for the server (disco or a slot)? */
static int
xup_waiting(struct xup *up)
{
	struct xup_job	*j;

	for (j = up->jobs; j != NULL; j = j->next) {
		if (j->stage != STAGE_PUT)
			return 1;
	}
	return 0;
}

/* Nobody answered in time: go on without the silent ones. */
static void
xup_deadline(struct xmpp_link *xl)
{
	struct xup	*up = xl->up;
	struct xup_job	*j, *next;

	if (!xup_waiting(up) || clock_now_ms() < up->deadline)
		return;
	if (up->disco == 1) {
		log_warn("upload: disco unanswered, going on with what came");
		xup_service_known(xl);
		return;
	}
	for (j = up->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->stage == STAGE_SLOT)
			xup_finish(xl, j, "the upload service did not answer "
			    "the slot request");
	}
}

int
xl_upload_timeout(struct xmpp_link *xl)
{
	long		ms = -1;
	uint64_t	now = clock_now_ms();

	if (xl->up != NULL && xup_waiting(xl->up) && !xup_running(xl->up))
		return xl->up->deadline > now ?
		    (int)(xl->up->deadline - now) : 0;
	if (xl->up == NULL || xl->up->multi == NULL || !xup_running(xl->up))
		return -1;
	curl_fn.multi_timeout(xl->up->multi, &ms);
	/* No timer and maybe no socket yet (resolving): look again soon. */
	if (ms < 0 || ms > 100)
		ms = 100;
	return (int)ms;
}

static void
xup_done(struct xmpp_link *xl, CURL *easy, CURLcode rc)
{
	struct xup_job	*j;
	long		 status = 0;
	char		*msg;

	for (j = xl->up->jobs; j != NULL && j->easy != easy; j = j->next)
		;
	if (j == NULL)
		return;
	curl_fn.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK) {
		msg = xasprintf("HTTP upload failed: %s", j->errbuf[0] != '\0' ?
		    j->errbuf : curl_fn.easy_strerror(rc));
		xup_finish(xl, j, msg);
		free(msg);
	} else if (status != 200 && status != 201) {
		msg = xasprintf("HTTP upload failed: the server answered %ld",
		    status);
		xup_finish(xl, j, msg);
		free(msg);
	} else {
		log_info("upload %s: done (HTTP %ld)", j->id, status);
		xup_finish(xl, j, NULL);
	}
}

void
xl_upload_run(struct xmpp_link *xl)
{
	struct xup	*up = xl->up;
	struct xup_job	*j, *next;
	CURLMsg		*m;
	int		 running, left;

	if (up == NULL)
		return;
	/* The connection went: IQs in flight will never be answered. */
	if (!xl->online) {
		for (j = up->jobs; j != NULL; j = next) {
			next = j->next;
			if (j->stage != STAGE_PUT)
				xup_finish(xl, j, "connection lost");
		}
		up->disco = 0;
	} else
		xup_deadline(xl);
	if (up->multi == NULL || !xup_running(up))
		return;
	curl_fn.multi_perform(up->multi, &running);
	while ((m = curl_fn.multi_info_read(up->multi, &left)) != NULL) {
		if (m->msg == CURLMSG_DONE)
			xup_done(xl, m->easy_handle, m->data.result);
	}
}
