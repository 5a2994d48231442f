/*
 * cmd-quality.c - /correct, /block, /unblock, /blocked, /version, /time,
 * and the answers to them (see quality.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static enum cmd_retval
cmd_correct_exec(struct cmd_ctx *ctx)
{
	return core_send_correction(ctx->sz, ctx->win, ctx->argv[0]) == 0 ?
	    CMD_OK : CMD_ERROR;
}

const struct cmd_entry cmd_correct_entry = {
	.name = "correct",
	.min = 1, .max = 1,
	.rest = 1,
	.online = 1,
	.usage = "/correct TEXT",
	.help = "Replace the last message you sent in this chat window with "
	    "TEXT (XEP-0308): the line is corrected in place and marked "
	    "(edited). Alt-Up (or Ctrl-Up) fills the input line with "
	    "\"/correct \" and your last message, ready to edit.",
	.examples = "/correct see you at 9, not 8",
	.exec = cmd_correct_exec,
};

static struct req *
cmd_quality_req(enum qiq op, const char *to)
{
	struct req	*r = req_new(REQ_QUALITY_IQ);

	r->q.op = op;
	r->q.to = xstrdup_or_null(to);
	return r;
}

static enum cmd_retval
cmd_block_common(struct cmd_ctx *ctx, enum qiq op)
{
	struct req	*r;
	char		*bare;
	int		 i;

	if (op == QIQ_UNBLOCK && ctx->argc == 1 &&
	    strcmp(ctx->argv[0], "all") == 0) {
		outbox_push(&ctx->sz->outbox, cmd_quality_req(op, NULL));
		return CMD_OK;
	}
	r = cmd_quality_req(op, NULL);
	r->q.jids = xcalloc(ctx->argc, sizeof *r->q.jids);
	for (i = 0; i < ctx->argc; i++) {
		/* A JID with a resource blocks only that resource. */
		if (!jid_valid(ctx->argv[i])) {
			req_free(r);
			return cmd_error(ctx, "/%s: '%s' is not a JID.",
			    ctx->entry->name, ctx->argv[i]);
		}
		bare = jid_bare(ctx->argv[i]);
		r->q.jids[r->q.njids++] = strchr(ctx->argv[i], '/') != NULL ?
		    xstrdup(ctx->argv[i]) : xstrdup(bare);
		free(bare);
	}
	outbox_push(&ctx->sz->outbox, r);
	return CMD_OK;
}

static enum cmd_retval
cmd_block_exec(struct cmd_ctx *ctx)
{
	return cmd_block_common(ctx, QIQ_BLOCK);
}

static enum cmd_retval
cmd_unblock_exec(struct cmd_ctx *ctx)
{
	return cmd_block_common(ctx, QIQ_UNBLOCK);
}

static enum cmd_retval
cmd_blocked_exec(struct cmd_ctx *ctx)
{
	outbox_push(&ctx->sz->outbox, cmd_quality_req(QIQ_BLOCKLIST, NULL));
	return CMD_OK;
}

const struct cmd_entry cmd_block_entry = {
	.name = "block",
	.min = 1, .max = CMD_MAXARGS,
	.online = 1,
	.usage = "/block JID...",
	.help = "Block JIDs on the server (XEP-0191): nothing from them "
	    "reaches you, and they see you offline.",
	.examples = "/block spam@example.org",
	.args = { ARG_CONTACT, ARG_CONTACT, ARG_CONTACT, ARG_CONTACT,
	    ARG_CONTACT, ARG_CONTACT },
	.exec = cmd_block_exec,
};

const struct cmd_entry cmd_unblock_entry = {
	.name = "unblock",
	.min = 1, .max = CMD_MAXARGS,
	.online = 1,
	.usage = "/unblock JID...|all",
	.help = "Unblock JIDs (XEP-0191); /unblock all empties the "
	    "block list.",
	.examples = "/unblock spam@example.org\n/unblock all",
	.exec = cmd_unblock_exec,
};

const struct cmd_entry cmd_blocked_entry = {
	.name = "blocked",
	.min = 0, .max = 0,
	.online = 1,
	.usage = "/blocked",
	.help = "List the JIDs you block (XEP-0191).",
	.examples = "/blocked",
	.exec = cmd_blocked_exec,
};

/* Whom to ask: a contact's bare JID becomes its best online resource. */
static char *
cmd_quality_target(struct cmd_ctx *ctx)
{
	struct contact	*c;
	struct resource	*res;
	char		*bare;

	if (!jid_valid(ctx->argv[0]))
		return NULL;
	if (strchr(ctx->argv[0], '/') != NULL)
		return xstrdup(ctx->argv[0]);
	bare = jid_bare(ctx->argv[0]);
	c = roster_find(&ctx->sz->roster, bare);
	if (c != NULL && (res = roster_best_resource(c)) != NULL) {
		char *full = xasprintf("%s/%s", bare, res->name);

		free(bare);
		return full;
	}
	return bare;
}

static enum cmd_retval
cmd_query_common(struct cmd_ctx *ctx, enum qiq op)
{
	char	*to;

	if ((to = cmd_quality_target(ctx)) == NULL)
		return cmd_error(ctx, "/%s: '%s' is not a JID.",
		    ctx->entry->name, ctx->argv[0]);
	outbox_push(&ctx->sz->outbox, cmd_quality_req(op, to));
	free(to);
	return CMD_OK;
}

static enum cmd_retval
cmd_version_exec(struct cmd_ctx *ctx)
{
	return cmd_query_common(ctx, QIQ_VERSION);
}

static enum cmd_retval
cmd_time_exec(struct cmd_ctx *ctx)
{
	return cmd_query_common(ctx, QIQ_TIME);
}

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.min = 1, .max = 1,
	.online = 1,
	.usage = "/version JID",
	.help = "Ask which software JID runs (XEP-0092). A contact's bare "
	    "JID asks its online resource with the highest priority; a "
	    "server's domain asks the server.",
	.examples = "/version bob@example.org\n/version example.org",
	.args = { ARG_CONTACT },
	.exec = cmd_version_exec,
};

const struct cmd_entry cmd_time_entry = {
	.name = "time",
	.min = 1, .max = 1,
	.online = 1,
	.usage = "/time JID",
	.help = "Ask JID for its local time (XEP-0202), like /version.",
	.examples = "/time bob@example.org",
	.args = { ARG_CONTACT },
	.exec = cmd_time_exec,
};

static void
quality_iq_result(struct szia *sz, const struct ev *ev)
{
	char	*from = utf8_safe(ev->q.from), *text, *list, *tmp;
	size_t	 i;
	static const char *const what[] = {
		[QIQ_VERSION] = "/version", [QIQ_TIME] = "/time",
		[QIQ_BLOCK] = "/block", [QIQ_UNBLOCK] = "/unblock",
		[QIQ_BLOCKLIST] = "/blocked",
	};

	if (ev->q.state < QIQ_VERSION || ev->q.state > QIQ_BLOCKLIST) {
		free(from);
		return;
	}
	if (!ev->q.ok) {
		text = utf8_safe(ev->q.error);
		core_error(sz, NULL, "%s %s: %s", what[ev->q.state], from,
		    text);
		free(text);
		free(from);
		return;
	}
	text = utf8_safe(ev->q.text);
	switch (ev->q.state) {
	case QIQ_VERSION:
		core_info(sz, NULL, "%s runs %s", from, text);
		break;
	case QIQ_TIME:
		core_info(sz, NULL, "Time at %s: %s", from, text);
		break;
	case QIQ_BLOCK:
		core_info(sz, NULL, "Blocked.");
		break;
	case QIQ_UNBLOCK:
		core_info(sz, NULL, "Unblocked.");
		break;
	case QIQ_BLOCKLIST:
		if (ev->q.njids == 0) {
			core_info(sz, NULL, "You block nobody.");
			break;
		}
		list = xstrdup("");
		for (i = 0; i < ev->q.njids; i++) {
			char *j = utf8_safe(ev->q.jids[i]);

			tmp = xasprintf("%s%s%s", list, i > 0 ? " " : "", j);
			free(j);
			free(list);
			list = tmp;
		}
		core_info(sz, NULL, "Blocked (%zu): %s", ev->q.njids, list);
		free(list);
		break;
	}
	free(text);
	free(from);
}

static void
quality_block_push(struct szia *sz, const struct ev *ev)
{
	struct window	*con = windows_console(&sz->windows);
	size_t		 i;
	char		*j;

	if (ev->q.state == QIQ_UNBLOCK && ev->q.njids == 0) {
		core_info(sz, con, "Block list emptied.");
		return;
	}
	for (i = 0; i < ev->q.njids; i++) {
		j = utf8_safe(ev->q.jids[i]);
		core_info(sz, con, "%s %s.", ev->q.state == QIQ_BLOCK ?
		    "Blocked" : "Unblocked", j);
		free(j);
	}
}

void
quality_handle(struct szia *sz, const struct ev *ev)
{
	switch (ev->type) {
	case EV_MARK:
	case EV_CHATSTATE:
		quality_mark_event(sz, ev);
		break;
	case EV_QUALITY_IQ:
		quality_iq_result(sz, ev);
		break;
	case EV_BLOCK_PUSH:
		quality_block_push(sz, ev);
		break;
	case EV_NICK:
		quality_set_nick(sz, ev->q.from, ev->q.text);
		break;
	default:
		break;
	}
}
