/*
 * cmd-room.c - group chat commands (XEP-0045): /join /leave /nick /topic
 * /invite /kick /ban /role /affiliation /destroy /config, and joining by
 * an xmpp:ROOM?join URI typed as a line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/core.h"
#include "core/jid.h"
#include "core/room.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* The room of the command's window, or NULL with an error shown. */
static struct room *
cmd_room(struct cmd_ctx *ctx)
{
	struct room	*r = room_of_window(ctx->sz, ctx->win);

	if (r == NULL)
		cmd_error(ctx, "/%s: only in a room window (/join a room "
		    "first).", ctx->entry->name);
	return r;
}

/* R if we are in it and online, or NULL with an error shown. */
struct room *
cmd_in_room(struct cmd_ctx *ctx, struct room *r)
{
	if (r->state == ROOM_JOINED && ctx->sz->session.state == CONN_ONLINE)
		return r;
	cmd_error(ctx, "/%s: you are not in %s (/join %s).", ctx->entry->name,
	    r->jid, r->jid);
	return NULL;
}

static struct room *
cmd_joined_room(struct cmd_ctx *ctx)
{
	struct room	*r = cmd_room(ctx);

	return r != NULL ? cmd_in_room(ctx, r) : NULL;
}

/* Decode %XX in S (in place); -1 if malformed or it decodes to NUL. */
static int
pct_decode(char *s)
{
	char	*o = s;
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		if (!isxdigit((unsigned char)s[1]) ||
		    !isxdigit((unsigned char)s[2]))
			return -1;
		hi = isdigit((unsigned char)s[1]) ? s[1] - '0' :
		    tolower((unsigned char)s[1]) - 'a' + 10;
		lo = isdigit((unsigned char)s[2]) ? s[2] - '0' :
		    tolower((unsigned char)s[2]) - 'a' + 10;
		if (hi == 0 && lo == 0)
			return -1;
		*o++ = (char)(hi * 16 + lo);
		s += 2;
	}
	*o = '\0';
	return 0;
}

/*
 * Parse "xmpp:ROOM?join[;password=PW]" (RFC 5122, XEP-0045 appendix);
 * 0 with *room and *password (or NULL) set, -1 if it is not one.
 */
int
room_parse_uri(const char *uri, char **room, char **password)
{
	const char	*q;
	char		*params, *p, *save = NULL;

	*room = *password = NULL;
	if (strncmp(uri, "xmpp:", 5) != 0 || strpbrk(uri, " \t") != NULL ||
	    (q = strchr(uri, '?')) == NULL)
		return -1;
	if (strncmp(q + 1, "join", 4) != 0 || (q[5] != '\0' && q[5] != ';'))
		return -1;
	*room = xstrndup(uri + 5, q - uri - 5);
	params = xstrdup(q + 5);
	if (pct_decode(*room) != 0)
		goto bad;
	for (p = strtok_r(params, ";", &save); p != NULL;
	    p = strtok_r(NULL, ";", &save)) {
		if (strncmp(p, "password=", 9) == 0) {
			str_replace(password, p + 9);
			if (pct_decode(*password) != 0)
				goto bad;
		}
	}
	free(params);
	return 0;
bad:
	free(params);
	free(*room);
	free(*password);
	*room = *password = NULL;
	return -1;
}

int
room_join_uri(struct szia *sz, const char *line)
{
	char	*room, *pw;

	if (room_parse_uri(line, &room, &pw) != 0)
		return 0;
	core_select_window(sz, core_join_room(sz, room, NULL, pw));
	free(room);
	free(pw);
	return 1;
}

static enum cmd_retval
cmd_join_exec(struct cmd_ctx *ctx)
{
	char		*room = NULL, *pw = NULL, *nick;
	struct window	*w;

	if (str_startswith(ctx->argv[0], "xmpp:")) {
		if (room_parse_uri(ctx->argv[0], &room, &pw) != 0)
			return cmd_error(ctx, "/join: '%s' is not an "
			    "xmpp:ROOM?join address.", ctx->argv[0]);
	} else
		room = xstrdup(ctx->argv[0]);
	if (ctx->argc == 2)
		str_replace(&pw, ctx->argv[1]);
	if ((nick = strchr(room, '/')) != NULL)
		*nick++ = '\0';
	w = core_join_room(ctx->sz, room, nick, pw);
	core_select_window(ctx->sz, w);
	free(room);
	if (pw != NULL)
		explicit_bzero(pw, strlen(pw));
	free(pw);
	return w != NULL ? CMD_OK : CMD_ERROR;
}

const struct cmd_entry cmd_join_entry = {
	.name = "join",
	.min = 1, .max = 2,
	.usage = "/join ROOM@SERVICE[/NICK] [PASSWORD]",
	.help = "Join a group chat room (XEP-0045) and open its window. The "
	    "nick defaults to the local part of your JID. A new room is "
	    "created with the default configuration. Typing an "
	    "xmpp:ROOM@SERVICE?join address (optionally ;password=...) as a "
	    "line does the same. Rooms are joined again after a reconnect.",
	.examples = "/join dev@conference.example.org\n"
	    "/join dev@conference.example.org/ann secret\n"
	    "xmpp:dev@conference.example.org?join",
	.exec = cmd_join_exec,
};

static enum cmd_retval
cmd_leave_exec(struct cmd_ctx *ctx)
{
	struct room	*r = cmd_room(ctx);

	if (r == NULL)
		return CMD_ERROR;
	if (r->state == ROOM_OUT) {
		r->rejoin = 0;
		return cmd_error(ctx, "/leave: you are not in %s.", r->jid);
	}
	room_leave(ctx->sz, r, ctx->argc == 1 ? ctx->argv[0] : NULL);
	core_info(ctx->sz, room_window(ctx->sz, r), "You left %s (/join %s "
	    "to go back).", r->jid, r->jid);
	return CMD_OK;
}

const struct cmd_entry cmd_leave_entry = {
	.name = "leave",
	.alias = "part",
	.min = 0, .max = 1,
	.rest = 1,
	.usage = "/leave [reason]",
	.help = "Leave the room of this window (the window stays open; "
	    "/close closes it, /join goes back).",
	.examples = "/leave\n/leave see you tomorrow",
	.exec = cmd_leave_exec,
};

static enum cmd_retval
cmd_nick_exec(struct cmd_ctx *ctx)
{
	struct room	*r = cmd_joined_room(ctx);
	struct req_muc	*m;
	char		*full;

	if (r == NULL)
		return CMD_ERROR;
	full = xasprintf("%s/%s", r->jid, ctx->argv[0]);
	if (!jid_valid(full)) {
		free(full);
		return cmd_error(ctx, "/nick: '%s' is not a valid nick.",
		    ctx->argv[0]);
	}
	m = room_req(ctx->sz, MUC_NICK, r->jid);
	m->to = full;
	return CMD_OK;
}

const struct cmd_entry cmd_nick_entry = {
	.name = "nick",
	.min = 1, .max = 1,
	.usage = "/nick NEWNICK",
	.help = "Change your nick in the room of this window.",
	.examples = "/nick ann_away",
	.exec = cmd_nick_exec,
};

static enum cmd_retval
cmd_topic_exec(struct cmd_ctx *ctx)
{
	struct room	*r = cmd_room(ctx);
	struct req_muc	*m;

	if (r == NULL)
		return CMD_ERROR;
	if (ctx->argc == 0) {
		cmd_info(ctx, "Topic of %s: %s", r->jid, r->subject != NULL &&
		    *r->subject != '\0' ? r->subject : "(none)");
		return CMD_OK;
	}
	if (cmd_in_room(ctx, r) == NULL)
		return CMD_ERROR;
	m = room_req(ctx->sz, MUC_SUBJECT, r->jid);
	m->text = xstrdup(ctx->argv[0]);
	return CMD_OK;
}

const struct cmd_entry cmd_topic_entry = {
	.name = "topic",
	.alias = "subject",
	.min = 0, .max = 1,
	.rest = 1,
	.usage = "/topic [text]",
	.help = "Show the room's topic (subject), or set it (if the room "
	    "lets you).",
	.examples = "/topic\n/topic Release on Friday",
	.exec = cmd_topic_exec,
};

static enum cmd_retval
cmd_invite_exec(struct cmd_ctx *ctx)
{
	struct room	*r = cmd_joined_room(ctx);
	struct req_muc	*m;
	char		*bare;

	if (r == NULL)
		return CMD_ERROR;
	if ((bare = jid_bare(ctx->argv[0])) == NULL ||
	    strchr(bare, '@') == NULL) {
		free(bare);
		return cmd_error(ctx, "/invite: '%s' is not a JID.",
		    ctx->argv[0]);
	}
	m = room_req(ctx->sz, MUC_INVITE, r->jid);
	m->jid = bare;
	m->reason = ctx->argc == 2 ? xstrdup(ctx->argv[1]) : NULL;
	cmd_info(ctx, "Invited %s to %s.", bare, r->jid);
	return CMD_OK;
}

const struct cmd_entry cmd_invite_entry = {
	.name = "invite",
	.min = 1, .max = 2,
	.rest = 1,
	.usage = "/invite JID [reason]",
	.help = "Invite someone to the room of this window (the room passes "
	    "the invitation on, with the password if there is one).",
	.examples = "/invite bob@example.org\n/invite bob@example.org come "
	    "and see",
	.args = { ARG_CONTACT, ARG_NONE },
	.exec = cmd_invite_exec,
};

static enum cmd_retval
cmd_names_exec(struct cmd_ctx *ctx)
{
	static const char *const titles[] = { "Others", "Visitors",
	    "Participants", "Moderators" };
	struct room	*r = cmd_joined_room(ctx);
	struct occupant	*o, *tmp;
	struct strbuf	 sb;
	int		 role;
	size_t		 n;

	if (r == NULL)
		return CMD_ERROR;
	cmd_info(ctx, "%u in %s:", HASH_COUNT(r->occupants), r->jid);
	for (role = ROLE_MODERATOR; role >= ROLE_NONE; role--) {
		memset(&sb, 0, sizeof sb);
		n = 0;
		HASH_ITER(hh, r->occupants, o, tmp) {
			if ((int)o->role != role)
				continue;
			strbuf_addf(&sb, "%s%s", n++ > 0 ? ", " : "", o->safe);
		}
		if (n > 0)
			cmd_info(ctx, "  %s: %s", titles[role], sb.s);
		strbuf_free(&sb);
	}
	return CMD_OK;
}

const struct cmd_entry cmd_names_entry = {
	.name = "names",
	.alias = "who",
	.min = 0, .max = 0,
	.usage = "/names",
	.help = "List the occupants of this window's room by role (the side "
	    "panel shows them too while the room's window is current).",
	.examples = "/names",
	.exec = cmd_names_exec,
};
