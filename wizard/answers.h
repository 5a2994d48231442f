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
	CERTS_FILES,		/* existing cert_path / key_path */
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

#endif
