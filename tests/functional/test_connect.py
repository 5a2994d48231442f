#!/usr/bin/python3
"""Functional tests: logging in, certificate trust, errors, reconnecting.

szia-headless (tests/headless.c) runs against a throwaway Prosody on
127.0.0.1; each test uses its own SziaHome and mostly its own user.
"""

import configparser
import os
import re
import signal
import stat
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import (FakeServer, Headless, Peer, Prosody,  # noqa: E402
                      SziaHome)

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw", "erin": "erinpw", "frank": "frankpw",
         "grace": "gracepw", "heidi": "heidipw", "ivan": "ivanpw"}
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()


def teardown_module():
    if server is not None:
        server.stop()


def read_accounts(home):
    cp = configparser.RawConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(home.accounts_path, encoding="utf-8")
    return cp


def start(user, **account):
    """A home with account `user` (pinned certificate unless overridden)
    and szia-headless connecting to it."""
    home = server.account_home(user, **account)
    return home, Headless(home, account=user)


def connected_jid(szia, timeout=15):
    """Wait for "Connected as JID." and return the JID."""
    m = szia.expect(r"^W1 console \| info Connected as (\S+)\.$", timeout)
    return m.group(1)


# -- certificates -------------------------------------------------------------

def test_untrusted_cert_shows_fingerprint_and_trust_stores_it():
    home, szia = start("alice", tls_fingerprint=None)
    m = szia.expect(r"^W1 console \| error .*not trusted.*"
                    r"SHA-256 fingerprint: ([0-9A-F:]+)$")
    assert m.group(1) == server.fingerprint, (m.group(1), server.fingerprint)
    szia.expect(r"/tls trust")
    szia.wait_state("offline")
    assert not any("Connected as" in l for l in szia.lines), szia.lines
    assert "tls_fingerprint" not in read_accounts(home)["alice"]

    szia.send("/tls trust")
    szia.expect(r"Trusted certificate %s" % re.escape(server.fingerprint))
    jid = connected_jid(szia)
    assert jid.startswith("alice@localhost/"), jid
    szia.wait_state("online")
    acc = read_accounts(home)
    assert acc["alice"].get("tls_fingerprint") == server.fingerprint, \
        dict(acc["alice"])
    assert acc["alice"].get("password") == "alicepw", dict(acc["alice"])
    mode = stat.S_IMODE(os.stat(home.accounts_path).st_mode)
    assert mode == 0o600, oct(mode)
    assert szia.quit() == 0

    # Next start: the pinned certificate is accepted without a word.
    szia = Headless(home, account="alice")
    connected_jid(szia)
    szia.wait_state("online")
    assert not any("not trusted" in l or "SHA-256" in l
                   for l in szia.lines), szia.lines
    assert szia.quit() == 0


def test_changed_certificate_is_refused_loudly():
    other = "AB:" * 31 + "CD"
    home, szia = start("bob", tls_fingerprint=other)
    m = szia.expect(r"^W1 console \| error .*CHANGED.*")
    assert other in m.group(0), m.group(0)
    m = szia.expect(r"^W1 console \| error Offered SHA-256: ([0-9A-F:]+)\.")
    assert m.group(1) == server.fingerprint, m.group(0)
    szia.wait_state("offline")
    szia.expect_none(r"Connected as|^STATE (online|connecting|waiting)|"
                     r"Reconnecting", 2)
    # The pinned fingerprint was not replaced behind the user's back.
    assert read_accounts(home)["bob"]["tls_fingerprint"] == other
    assert szia.quit() == 0


def test_ca_signed_certificate_is_accepted_but_a_pin_still_binds():
    """A certificate the CAs vouch for is accepted without a question; but
    an account pinned to another certificate refuses it loudly, with both
    fingerprints (libstrophe asks szia only when the CAs do not vouch)."""
    srv = Prosody(users={"lena": "lenapw"}, ca=True).start()
    try:
        env = {"SSL_CERT_FILE": srv.ca_path}
        home = srv.account_home("lena", tls_fingerprint=None)
        szia = Headless(home, account="lena", env=env)
        connected_jid(szia)
        szia.wait_state("online")
        assert not any("not trusted" in l or "SHA-256" in l
                       for l in szia.lines), szia.lines
        assert "tls_fingerprint" not in read_accounts(home)["lena"]
        assert szia.quit() == 0

        assert "Authenticated as lena@localhost" in srv.log_text()
        mark = len(srv.log_text())
        other = "AB:" * 31 + "CD"
        srv.account_home("lena", home, tls_fingerprint=other)
        szia = Headless(home, account="lena", env=env)
        m = szia.expect(r"^W1 console \| error .*CHANGED.*")
        assert other in m.group(0), m.group(0)
        m = szia.expect(r"^W1 console \| error Offered SHA-256: "
                        r"([0-9A-F:]+)\.")
        assert m.group(1) == srv.fingerprint, m.group(0)
        szia.expect_none(r"Connected as|^STATE (online|waiting)|"
                         r"Reconnecting", 3)
        assert read_accounts(home)["lena"]["tls_fingerprint"] == other
        # Refused before logging in: no authentication after the first.
        later = srv.log_text()[mark:]
        assert "Authenticated as" not in later and "SASL" not in later, \
            later[-3000:]
        # The user expected the change: /tls trust pins the new one.
        szia.send("/tls trust")
        connected_jid(szia)
        assert read_accounts(home)["lena"]["tls_fingerprint"] == \
            srv.fingerprint
        assert szia.quit() == 0
    finally:
        srv.stop()


# -- login errors -------------------------------------------------------------

def test_wrong_password_one_line_no_retry():
    home, szia = start("carol", password="not-the-password")
    szia.expect(r"^W1 console \| error .*wrong password")
    szia.wait_state("offline")
    szia.expect_none(r"wrong password|Reconnecting|Connecting as|"
                     r"^STATE (online|connecting|waiting)", 2)
    n = sum("wrong password" in l for l in szia.lines)
    assert n == 1, "expected one 'wrong password' line, got %d:\n%s" % (
        n, "\n".join(szia.lines))
    assert szia.quit() == 0


def test_connection_refused_is_explained():
    port = sziatest.free_port()       # nothing listens there
    home, szia = start("dave", port=port)
    szia.wait_state("offline")
    errors = [l for l in szia.lines if l.startswith("W1 console | error")]
    assert len(errors) == 1 and re.search(r"[Cc]onnection refused",
                                          errors[0]), errors
    szia.expect_none(r"Reconnecting|^STATE online", 2)
    assert szia.quit() == 0


def test_connect_jid_prompts_for_password():
    home = SziaHome()
    szia = Headless(home)
    szia.expect(r"Welcome to szia")
    szia.send("/connect erin@localhost 127.0.0.1:%d" % server.port)
    szia.expect(r"^PROMPT Password for erin@localhost")
    szia.send(USERS["erin"])
    # No saved account, so the certificate is not trusted yet.
    m = szia.expect(r"SHA-256 fingerprint: ([0-9A-F:]+)$")
    assert m.group(1) == server.fingerprint
    szia.send("/tls trust")
    jid = connected_jid(szia)
    assert jid.startswith("erin@localhost/"), jid
    szia.wait_state("online")
    assert not any(USERS["erin"] in l for l in szia.lines), szia.lines
    # Trusting saved the certificate, not the typed password.
    with open(home.accounts_path) as f:
        text = f.read()
    assert server.fingerprint in text, text
    assert USERS["erin"] not in text, text
    assert szia.quit() == 0


def test_direct_tls():
    home, szia = start("frank", tls="direct", port=server.tls_port)
    jid = connected_jid(szia)
    assert jid.startswith("frank@localhost/"), jid
    szia.wait_state("online")
    assert szia.quit() == 0


def test_direct_tls_follows_the_xmpps_srv_record():
    """XEP-0368: a direct TLS account with no server or port connects where
    _xmpps-client._tcp points (here: the test server's direct TLS port,
    served by a DNS server on 127.0.0.1); without it, libstrophe would
    try localhost:5223."""
    # The target is 127.0.0.1, not "localhost": that may resolve to ::1
    # first, where the test server does not listen.
    with sziatest.DnsServer({"_xmpps-client._tcp.localhost":
                             [(10, 0, server.tls_port, "127.0.0.1")]}) as dns:
        home = SziaHome()
        home.write_account("grace", "grace@localhost",
                           password=USERS["grace"], server=None, port=None,
                           tls="direct", tls_fingerprint=server.fingerprint)
        szia = Headless(home, account="grace",
                        env={"SZIA_RESOLVER": dns.resolver})
        jid = connected_jid(szia)
        assert jid.startswith("grace@localhost/"), jid
        assert "_xmpps-client._tcp.localhost" in dns.queries, dns.queries
        assert szia.quit() == 0


def test_eval_password():
    home = SziaHome()
    secret = os.path.join(home.dir, "secret")
    with open(secret, "w") as f:
        f.write(USERS["grace"] + "\n")
    home.write_account("grace", "grace@localhost", port=server.port,
                       eval_password="cat %s" % secret)
    szia = Headless(home, account="grace")
    # Trusting rewrites the accounts file: the password must stay out.
    szia.expect(r"SHA-256 fingerprint")
    szia.send("/tls trust")
    connected_jid(szia)
    szia.wait_state("online")
    with open(home.accounts_path) as f:
        text = f.read()
    assert USERS["grace"] not in text, text
    assert not re.search(r"^password\s*=", text, re.M), text
    assert "eval_password" in text and server.fingerprint in text, text
    assert szia.quit() == 0


def test_unknown_host_is_explained():
    """A domain that cannot resolve gets one "unknown host" line and no
    retry.  .invalid never resolves (RFC 6761), and szia does not even ask
    a resolver: under strace, no packet goes to a non-loopback address."""
    home = SziaHome()
    home.write_account("ghost", "ghost@nosuch.invalid", password="x",
                       server=None)
    szia = Headless(home, account="ghost")
    szia.expect(r"^W1 console \| error Cannot connect as "
                r"ghost@nosuch.invalid: unknown host: nosuch.invalid "
                r"cannot exist")
    szia.expect_none(r"Reconnecting|Connecting as", 2)
    assert len(console_errors(szia)) == 1, szia.lines
    assert szia.quit() == 0

    trace = os.path.join(home.dir, "strace.out")
    prefix = sziatest.strace_prefix(trace)
    if prefix is None:
        return          # strace missing or not allowed to trace here
    # LeakSanitizer cannot run under ptrace; the run above checked leaks.
    asan = os.environ.get("ASAN_OPTIONS", "")
    szia = Headless(home, account="ghost", prefix=prefix,
                    env={"ASAN_OPTIONS": asan + ":detect_leaks=0"})
    szia.expect(r"unknown host: nosuch.invalid cannot exist")
    assert szia.quit() == 0
    addrs = sziatest.traced_addresses(trace)
    outside = [a for a in addrs if not (a.startswith("127.") or a == "::1")]
    assert not outside, "contacted %r" % outside


# -- servers that misbehave (sziatest.FakeServer) -----------------------------

# Stream features with plaintext SASL and no <starttls/>: what a server
# without TLS, or a man in the middle stripping it, offers.
NO_STARTTLS = ("<stream:features><mechanisms xmlns='urn:ietf:params:xml:"
               "ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
               "</stream:features>")


def console_errors(szia):
    return [l for l in szia.lines if l.startswith("W1 console | error")]


def test_server_without_starttls_is_refused_without_crash():
    """libstrophe refuses such a stream from inside its parser; szia used
    to take the stream management state there and crash (SIGSEGV).  Now:
    one line, no credentials sent, no retry, and a clean /quit."""
    with FakeServer(NO_STARTTLS) as fake:
        home, szia = start("alice", port=fake.port, tls_fingerprint=None)
        szia.expect(r"^W1 console \| error Cannot connect: the server does "
                    r"not offer TLS")
        szia.wait_state("offline")
        szia.expect_none(r"Reconnecting|Connecting as", 2)
        assert len(console_errors(szia)) == 1, szia.lines
        sent = fake.sent_by_client()
        assert "<auth" not in sent and USERS["alice"] not in sent, sent
        assert fake.connections == 1, fake.connections
        szia.send("/status")
        szia.expect(r"^W1 console \| info You are ")
        assert szia.quit() == 0


# Remote text that must never reach a terminal as it is: an 8-bit CSI
# (U+009B, which some terminals take as ESC [), NEL, DEL and a right-to-left
# override.  A raw ESC is not even well-formed XML (see below).
HOSTILE = "\u009b31mred \u0085next\x7f \u202egnp.exe"
RAW_BAD = (b"\x1b", b"\xc2\x9b", b"\xc2\x85", b"\x7f", b"\xe2\x80\xae")


def assert_harmless(szia):
    for raw in szia.raw_lines:
        assert not any(b in raw for b in RAW_BAD), raw


def stream_error(condition, text):
    return ("<stream:error><%s xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>%s</text>"
            "</stream:error></stream:stream>" % (condition, text))


def test_stream_error_is_explained_harmlessly():
    """A stream error at login: one line naming the condition and the
    server's text, that text sanitised; no retry (it was not online)."""
    with FakeServer(stream_error("host-unknown", "no such host " + HOSTILE)
                    ) as fake:
        home, szia = start("bob", port=fake.port)
        m = szia.expect(r"^W1 console \| error Cannot connect as "
                        r"bob@localhost: stream error: host-unknown: "
                        r"(no such host .*)\.$")
        szia.wait_state("offline")
        szia.expect_none(r"Reconnecting|Connecting as", 2)
        assert len(console_errors(szia)) == 1, szia.lines
        # Shown, but as visible stand-ins, not as control characters.
        assert "red" in m.group(1) and "exe" in m.group(1), m.group(1)
        assert_harmless(szia)
        assert szia.quit() == 0


def test_stream_error_with_raw_escape_is_harmless():
    """A raw ESC is not allowed in XML: the stream is malformed, which
    szia reports in one line instead of waiting for ever (libstrophe keeps
    such a stream open), and the ESC reaches neither the screen nor the
    log on stderr."""
    with FakeServer(stream_error("host-unknown", "\x1b[2J\x1b]0;owned\x07")
                    ) as fake:
        home, szia = start("bob", port=fake.port)
        szia.expect(r"^W1 console \| error Cannot connect as bob@localhost: "
                    r"stream error: the server sent malformed XML\.$")
        szia.wait_state("offline")
        assert len(console_errors(szia)) == 1, szia.lines
        # libstrophe only answers <invalid-xml/>; szia closes the stream.
        assert "invalid-xml" in fake.sent_by_client(), fake.received
        assert_harmless(szia)
        assert szia.quit() == 0


# -- while online -------------------------------------------------------------

def test_conflict_stops_without_reconnecting():
    home, szia = start("heidi", resource="szia")
    jid = connected_jid(szia)
    assert jid == "heidi@localhost/szia", jid
    szia.wait_state("online")
    with Peer("heidi@localhost", USERS["heidi"], server.port,
              resource="szia"):
        szia.expect(r"^W1 console \| error .*logged in elsewhere")
        szia.wait_state("offline")
        szia.expect_none(r"Reconnecting|Connecting as|^STATE "
                         r"(online|connecting|waiting)", 2)
    assert szia.quit() == 0


def test_disco_ping_and_unknown_iq():
    home, szia = start("ivan")
    jid = connected_jid(szia)
    szia.wait_state("online")
    with Peer("bob@localhost", USERS["bob"], server.port,
              resource="prober") as bob:
        reply = ET.fromstring(bob.iq_get(
            jid, "<query xmlns='http://jabber.org/protocol/disco#info'/>"))
        assert reply.get("type") == "result", ET.tostring(reply)
        q = reply.find("{http://jabber.org/protocol/disco#info}query")
        assert q is not None, ET.tostring(reply)
        ident = q.find("{http://jabber.org/protocol/disco#info}identity")
        assert ident is not None and ident.get("category") == "client", \
            ET.tostring(reply)
        feats = {f.get("var") for f in
                 q.findall("{http://jabber.org/protocol/disco#info}feature")}
        assert {"http://jabber.org/protocol/disco#info",
                "urn:xmpp:ping"} <= feats, feats

        reply = ET.fromstring(bob.iq_get(jid, "<ping xmlns='urn:xmpp:ping'/>"))
        assert reply.get("type") == "result", ET.tostring(reply)

        reply = ET.fromstring(bob.iq_get(
            jid, "<query xmlns='jabber:iq:last'/>"))
        assert reply.get("type") == "error", ET.tostring(reply)
        assert reply.find("{*}error/{urn:ietf:params:xml:ns:xmpp-stanzas}"
                          "service-unavailable") is not None, \
            ET.tostring(reply)
    # Nothing of this is shown to the user, and szia is still online.
    szia.send("/status")
    szia.expect(r"^W1 console \| info You are online")
    assert not any(parse_err(l) for l in szia.lines), szia.lines
    assert szia.quit() == 0


def parse_err(line):
    d = sziatest.parse_line(line)
    return d is not None and d["kind"] == "error"


def test_server_restart_reconnects_by_itself():
    # Last: it kicks everyone off the shared server.
    home, szia = start("alice")
    connected_jid(szia)
    szia.wait_state("online")
    server.restart()
    szia.expect(r"^W1 console \| error .*reconnecting in", timeout=15)
    szia.wait_state("waiting", timeout=5)
    connected_jid(szia, timeout=20)
    szia.wait_state("online", timeout=5)
    assert szia.quit() == 0


def test_tls_failure_is_explained():
    """Direct TLS against a STARTTLS port: the handshake fails with
    OpenSSL's reason, once, and szia does not retry."""
    home, szia = start("heidi", tls="direct")
    m = szia.expect(r"^W1 console \| error Cannot connect as "
                    r"heidi@localhost: TLS failure: (.+)\.$")
    assert "version" in m.group(1), m.group(0)
    szia.wait_state("offline")
    szia.expect_none(r"Connecting|reconnecting", 2)
    assert szia.quit() == 0


def test_plain_account_is_warned_about_and_refused_by_a_tls_server():
    """tls = plain is a choice szia warns about every time; a server that
    requires TLS refuses it with a line saying so."""
    home, szia = start("heidi", tls="plain", tls_fingerprint=None)
    szia.expect(r"^W1 console \| error Warning: account heidi has tls = "
                r"plain: .*unencrypted")
    szia.expect(r"^W1 console \| error Cannot connect as heidi@localhost: "
                r".*requires TLS.*tls = plain")
    szia.wait_state("offline")
    assert szia.quit() == 0


def test_keepalive_notices_a_dead_server():
    """A server that stops answering (SIGSTOP: the TCP connection stays up,
    as with a dead NAT or SSH tunnel) is noticed by the XEP-0199 keepalive,
    and szia reconnects once it answers again."""
    srv = Prosody(users={"kate": "katepw"}).start()
    try:
        home = srv.account_home("kate")
        home.write_sziarc("[ping]\ninterval = 10\n")
        szia = Headless(home, account="kate")
        szia.wait_state("online")
        os.kill(srv.pid, signal.SIGSTOP)
        try:
            szia.expect(r"^W1 console \| error connection lost.*"
                        r"reconnecting in", timeout=40)
            szia.wait_state("waiting", timeout=5)
        finally:
            os.kill(srv.pid, signal.SIGCONT)
        szia.wait_state("online", timeout=60)
        assert szia.quit() == 0
    finally:
        srv.stop()


sziatest.main(globals())
