/*
 * gen-prosody.c - prosody.cfg.lua for Prosody 0.12 (Debian 12, FreeBSD).
 *
 * Only current options: http_file_share (not the old http_upload),
 * turn_external (not turncredentials), c2s_direct_tls_ports (not
 * legacy_ssl_ports); no cross_domain_* or bosh_ports.
 */
#include <stdlib.h>

#include "util/str.h"
#include "util/xalloc.h"
#include "wizard/gen.h"
#include "wizard/gen-int.h"

/* The modules every setup loads, in the order of the issue. */
static const char *const base_modules[] = {
	"roster", "saslauth", "tls", "dialback", "disco", "carbons", "pep",
	"private", "blocklist", "vcard4", "vcard_legacy", "bookmarks",
	"version", "uptime", "time", "ping", "register", "admin_adhoc", "mam",
	"csi_simple", "smacks",
};

static void
add_module(struct strbuf *b, const char *name, const char *what)
{
	if (what != NULL)
		strbuf_addf(b, "\t\"%s\"; -- %s\n", name, what);
	else
		strbuf_addf(b, "\t\"%s\";\n", name);
}

static void
add_modules(struct strbuf *b, const struct answers *a)
{
	size_t	i;

	strbuf_adds(b, "modules_enabled = {\n");
	for (i = 0; i < sizeof base_modules / sizeof base_modules[0]; i++)
		add_module(b, base_modules[i], NULL);
	if (a->web) {
		add_module(b, "bosh", "BOSH, behind nginx");
		add_module(b, "websocket", "WebSocket, behind nginx");
	}
	add_module(b, "server_contact_info", "contact_info below");
	add_module(b, "limits", "rate limits below");
	if (a->registration == REG_INVITE) {
		add_module(b, "invites", "invite-only registration");
		add_module(b, "invites_adhoc", NULL);
		add_module(b, "invites_register", NULL);
	}
	if (a->turn)
		add_module(b, "turn_external", "TURN credentials for coturn");
	add_module(b, "cloud_notify", a->os == OS_DEBIAN ?
	    "push notifications (XEP-0357), from prosody-modules" :
	    "push notifications (XEP-0357), community module");
	strbuf_adds(b, "}\n");
}

/*
 * mod_cloud_notify is a community module: Debian's prosody-modules puts it
 * in Prosody's own module folder; elsewhere setup.sh fetches it into
 * gen_plugin_dir(), which Prosody must be told about.
 */
static void
add_plugin_paths(struct strbuf *b, const struct answers *a)
{
	const char	*dir = gen_plugin_dir(a);

	if (dir == NULL)
		return;
	strbuf_addf(b, "-- Community modules (mod_cloud_notify), installed"
	    " by setup.sh.\n"
	    "plugin_paths = { \"%s\" }\n"
	    "\n", dir);
}

static void
add_registration(struct strbuf *b, const struct answers *a)
{
	switch (a->registration) {
	case REG_CLOSED:
		strbuf_adds(b, "-- Closed: the admin creates accounts with"
		    " prosodyctl adduser.\n"
		    "allow_registration = false\n");
		break;
	case REG_INVITE:
		strbuf_addf(b, "-- Invite-only: accounts are created with an"
		    " invitation\n"
		    "-- (prosodyctl mod_invites generate %s, or the"
		    " admin's ad-hoc commands).\n"
		    "allow_registration = true\n"
		    "registration_invite_only = true\n", a->domain);
		break;
	case REG_OPEN:
		strbuf_adds(b, "-- Open: anyone may register an account"
		    " (rate-limited by register_limits).\n"
		    "allow_registration = true\n");
		break;
	}
}

static void
add_storage(struct strbuf *b, const struct answers *a)
{
	if (a->storage == STORAGE_SQLITE)
		strbuf_adds(b, "-- SQLite (needs LuaDBI's SQLite3 driver),"
		    " in the data folder.\n"
		    "storage = \"sql\"\n"
		    "sql = { driver = \"SQLite3\"; database ="
		    " \"prosody.sqlite\"; }\n");
	else
		strbuf_adds(b, "-- Internal file storage in the data folder.\n"
		    "storage = \"internal\"\n");
}

static void
add_components(struct strbuf *b, const struct answers *a)
{
	char	*size;

	if (a->muc)
		strbuf_addf(b, "\n"
		    "-- Group chats (XEP-0045) with message archives.\n"
		    "Component \"%s.%s\" \"muc\"\n"
		    "\tname = \"Group chats\"\n"
		    "\tmodules_enabled = { \"muc_mam\" }\n"
		    "\trestrict_room_creation = \"local\"\n",
		    HOST_MUC, a->domain);
	if (a->upload) {
		size = gen_size_text(a->upload_limit);
		strbuf_addf(b, "\n"
		    "-- HTTP file upload (XEP-0363), served as"
		    " https://%s/upload/ through nginx.\n"
		    "Component \"%s.%s\" \"http_file_share\"\n"
		    "\thttp_host = \"%s\"\n"
		    "\thttp_paths = { file_share = \"/upload\" }\n"
		    "\thttp_file_share_size_limit = %llu -- %s\n"
		    "\thttp_file_share_expires_after = 7 * 86400 -- a week\n",
		    a->domain, HOST_UPLOAD, a->domain, a->domain,
		    a->upload_limit, size);
		free(size);
	}
	if (a->proxy65)
		strbuf_addf(b, "\n"
		    "-- SOCKS5 file transfer proxy (XEP-0065) on port %d.\n"
		    "Component \"%s.%s\" \"proxy65\"\n"
		    "\tproxy65_address = \"%s.%s\"\n",
		    PORT_PROXY65, HOST_PROXY, a->domain, HOST_PROXY, a->domain);
	if (a->pubsub)
		strbuf_addf(b, "\n"
		    "-- Publish-subscribe service (XEP-0060).\n"
		    "Component \"%s.%s\" \"pubsub\"\n",
		    HOST_PUBSUB, a->domain);
}

char *
gen_prosody(const struct answers *a)
{
	struct strbuf	 b = { 0 };
	char		*path;

	path = gen_prosody_cfg_path(a);
	strbuf_addf(&b,
	    "-- prosody.cfg.lua - Prosody 0.12 configuration for %s\n"
	    "-- Generated by xmpp-setup; installed as %s\n"
	    "-- (mode 0640, group prosody%s).\n"
	    "-- Check it with: prosodyctl check config\n"
	    "\n"
	    "---------- Server-wide settings ----------\n"
	    "\n"
	    "admins = { \"%s\" }\n"
	    "\n"
	    "pidfile = \"%s/prosody/prosody.pid\"\n"
	    "log = {\n"
	    "\tinfo = \"/var/log/prosody/prosody.log\";\n"
	    "\terror = \"/var/log/prosody/prosody.err\";\n"
	    "}\n"
	    "\n",
	    a->domain, path, a->turn ? ": it holds the TURN secret" : "",
	    a->admin, a->os == OS_FREEBSD ? "/var/run" : "/run");
	free(path);

	add_plugin_paths(&b, a);
	add_modules(&b, a);

	if (a->certs == CERTS_FILES)
		strbuf_addf(&b, "\n"
		    "-- Certificates: %s/prosody/certs/%s.crt and .key,"
		    " which\n"
		    "-- setup.sh installs from %s\n"
		    "-- and %s.\n",
		    gen_etc(a), a->domain, a->cert_path, a->key_path);
	else
		strbuf_addf(&b, "\n"
		    "-- Certificates: %s/prosody/certs/HOST.crt and HOST.key,\n"
		    "-- imported with prosodyctl --root cert import.\n",
		    gen_etc(a));
	strbuf_addf(&b,
	    "certificates = \"%s/prosody/certs\"\n"
	    "\n"
	    "-- Encryption everywhere; servers must prove who they are.\n"
	    "c2s_require_encryption = true\n"
	    "s2s_require_encryption = true\n"
	    "s2s_secure_auth = true\n"
	    "authentication = \"internal_hashed\"\n"
	    "\n"
	    "-- Ports: STARTTLS, direct TLS (XEP-0368), servers.\n"
	    "c2s_ports = { %d }\n"
	    "c2s_direct_tls_ports = { %d }\n"
	    "s2s_ports = { %d }\n",
	    gen_etc(a), PORT_C2S, PORT_C2S_TLS, PORT_S2S);
	if (a->proxy65)
		strbuf_addf(&b, "proxy65_ports = { %d }\n", PORT_PROXY65);

	if (a->web || a->upload) {
		strbuf_addf(&b, "\n"
		    "-- HTTP on loopback only; nginx serves https://%s/"
		    " (nginx-xmpp.conf).\n"
		    "http_interfaces = { \"127.0.0.1\" }\n"
		    "http_ports = { %d }\n"
		    "https_ports = { }\n"
		    "trusted_proxies = { \"127.0.0.1\", \"::1\" }\n"
		    "http_external_url = \"https://%s/\"\n",
		    a->domain, PORT_HTTP_LOCAL, a->domain);
		if (a->web)
			strbuf_adds(&b,
			    "consider_bosh_secure = true\n"
			    "consider_websocket_secure = true\n");
	}

	strbuf_addf(&b, "\n"
	    "-- Published to clients and servers (XEP-0157).\n"
	    "contact_info = {\n"
	    "\tadmin = { \"xmpp:%s\", \"mailto:%s\" };\n"
	    "\tabuse = { \"xmpp:%s\", \"mailto:%s\" };\n"
	    "}\n"
	    "\n"
	    "limits = {\n"
	    "\tc2s = { rate = \"10kb/s\"; burst = \"2s\"; };\n"
	    "\ts2sin = { rate = \"30kb/s\"; burst = \"2s\"; };\n"
	    "}\n"
	    "\n",
	    a->admin, a->email, a->admin, a->email);
	add_registration(&b, a);
	strbuf_adds(&b, "\n");
	add_storage(&b, a);
	strbuf_adds(&b,
	    "-- Keep message archives (XEP-0313) for a week.\n"
	    "archive_expires_after = \"1w\"\n");

	if (a->turn)
		strbuf_addf(&b, "\n"
		    "-- Audio and video calls: coturn (turnserver.conf)"
		    " shares this secret.\n"
		    "turn_external_secret = \"%s\"\n"
		    "turn_external_host = \"%s.%s\"\n"
		    "turn_external_port = %d\n"
		    "turn_external_tls_port = %d\n"
		    "turn_external_tcp = true\n",
		    a->turn_secret, HOST_TURN, a->domain, PORT_TURN,
		    PORT_TURNS);

	strbuf_addf(&b, "\n"
	    "---------- Hosts ----------\n"
	    "\n"
	    "VirtualHost \"%s\"\n",
	    a->domain);
	add_components(&b, a);
	return strbuf_take(&b);
}
