#!/usr/bin/python3
"""Functional tests: XEP-0077 in-band registration (szia --register,
/register) and /account password, against a real Prosody.

`open_server` allows registration (allow_registration = true); `server`
is the harness default, where registration is closed.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Headless, Prosody, SziaHome  # noqa: E402

open_server = None
server = None


def setup_module():
    global open_server, server
    if sziatest.szia_headless_binary() is None or \
            sziatest.szia_binary() is None:
        sziatest.skip_all("szia or szia-headless not built (SZIA_BUILDDIR)")
    open_server = Prosody(config_extra="allow_registration = true").start()
    server = Prosody().start()


def teardown_module():
    for s in (open_server, server):
        if s is not None:
            s.stop()


def cli_register(home, srv, jid, password, fingerprint=True, extra=(),
                 env=None):
    argv = [sziatest.szia_binary(), "--register", jid,
            "--server", "127.0.0.1:%d" % srv.port]
    if fingerprint:
        argv += ["--fingerprint", srv.fingerprint]
    argv += list(extra)
    return subprocess.run(argv, input=password + "\n",
                          env=home.env(**(env or {})),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=60)


def login(home, account):
    """Headless logging in with a saved account: (szia, connected?)."""
    szia = Headless(home, account=account)
    m = szia.expect(r"^W1 console \| (info Connected as \S+\.|error .*)$",
                    20)
    return szia, m.group(1).startswith("info Connected")


def test_cli_register_then_login():
    home = SziaHome()
    r = cli_register(home, open_server, "newbie@localhost", "s3cret pw")
    assert r.returncode == 0, r.stderr
    assert "Account newbie@localhost created on the server." in r.stdout
    assert "Account newbie (newbie@localhost) saved" in r.stdout, r.stdout
    with open(home.accounts_path) as f:
        text = f.read()
    assert "tls_fingerprint = %s" % open_server.fingerprint in text
    szia, ok = login(home, "newbie")
    assert ok
    szia.quit()


def test_cli_register_with_eval_password():
    """The password of a saved account's eval_password command is used
    (nothing asked); the accounts file gets no copy of it."""
    home = SziaHome()
    home.write_account("ev", "evan@localhost", port=open_server.port,
                       tls_fingerprint=open_server.fingerprint,
                       eval_password="echo evanpw")
    r = subprocess.run([sziatest.szia_binary(), "--register",
                        "evan@localhost"], input="", env=home.env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert ("Account ev (evan@localhost) saved (its password comes from "
            "eval_password)") in r.stdout, r.stdout
    with open(home.accounts_path) as f:
        assert "password = evanpw" not in f.read()
    szia, ok = login(home, "ev")
    assert ok
    szia.quit()


def test_cli_register_direct_tls():
    """XEP-0368 direct TLS works for registration too, and is saved."""
    home = SziaHome()
    r = subprocess.run([sziatest.szia_binary(), "--register",
                        "dora@localhost", "--server",
                        "127.0.0.1:%d" % open_server.tls_port, "--tls",
                        "direct", "--fingerprint", open_server.fingerprint],
                       input="dorapw\n", env=home.env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    with open(home.accounts_path) as f:
        assert "tls = direct" in f.read()
    # Without the pin, the certificate is refused there too.
    r = subprocess.run([sziatest.szia_binary(), "--register",
                        "dora2@localhost", "--server",
                        "127.0.0.1:%d" % open_server.tls_port, "--tls",
                        "direct"], input="pw\n", env=SziaHome().env(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    assert r.returncode == 1
    assert "not trusted" in r.stderr, r.stderr
    assert "--fingerprint %s" % open_server.fingerprint in r.stderr
    szia, ok = login(home, "dora")
    assert ok
    szia.quit()


def test_cli_name_taken():
    home = SziaHome()
    r = cli_register(home, open_server, "alice@localhost", "whatever")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "szia: registration of alice@localhost failed: the name "
        "alice@localhost is already taken"], r.stderr
    assert not os.path.exists(home.accounts_path)


def test_cli_name_not_acceptable():
    """A user name Prosody's nodeprep refuses (unassigned in Unicode 3.2):
    'not acceptable' with the server's reason, one line."""
    home = SziaHome()
    r = cli_register(home, open_server, "x\u0221y@localhost", "pw")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "szia: registration of x\u0221y@localhost failed: the server did "
        "not accept the registration (The requested username is "
        "invalid.)"], r.stderr


def test_cli_account_name_from_any_user_name():
    """A user name that is no valid account name (non-ASCII) still gives
    a saved account, named with '_' for what is not allowed."""
    home = SziaHome()
    r = cli_register(home, open_server, "j\u00fcrgen@localhost", "pw")
    assert r.returncode == 0, r.stderr
    assert "Account j_rgen (j\u00fcrgen@localhost) saved" in r.stdout, \
        r.stdout


def test_cli_registration_closed():
    home = SziaHome()
    r = cli_register(home, server, "nobody@localhost", "pw")
    assert r.returncode == 1
    assert ("failed: registration is closed: the server does not offer "
            "in-band registration (XEP-0077)") in r.stderr, r.stderr


def test_cli_untrusted_certificate():
    """Without the fingerprint the self-signed certificate is refused,
    and the fingerprint is shown to be checked and passed."""
    home = SziaHome()
    r = cli_register(home, open_server, "trusty@localhost", "pw",
                     fingerprint=False)
    assert r.returncode == 1
    assert "not trusted" in r.stderr, r.stderr
    assert "--fingerprint %s" % open_server.fingerprint in r.stderr


def test_cli_fingerprint_binds_even_with_a_ca():
    """--fingerprint pins: a certificate the CAs vouch for, but with
    another fingerprint, is refused before anything is registered; with
    no fingerprint given, the CAs decide."""
    with Prosody(config_extra="allow_registration = true", ca=True) as srv:
        home = SziaHome()
        env = {"SSL_CERT_FILE": srv.ca_path}
        other = "AB:" * 31 + "CD"
        r = cli_register(home, srv, "pinned@localhost", "pw",
                         fingerprint=False, extra=["--fingerprint", other],
                         env=env)
        assert r.returncode == 1, r.stdout
        assert "(SHA-256 %s) is not the one given (%s)" % (
            srv.fingerprint, other) in r.stderr, r.stderr
        assert "User account created" not in srv.log_text(), \
            srv.log_text()[-2000:]
        r = cli_register(home, srv, "pinned@localhost", "pw",
                         fingerprint=False, env=env)
        assert r.returncode == 0, r.stderr
        assert "User account created: pinned@localhost" in srv.log_text()


def test_more_than_username_and_password_refused():
    with Prosody(config_extra='allow_registration = true\n'
                 'additional_registration_fields = { "email+" }') as srv:
        home = SziaHome()
        r = cli_register(home, srv, "formy@localhost", "pw")
        assert r.returncode == 1
        assert ("the server asks for more than a username and a password "
                "('email'") in r.stderr, r.stderr


def test_register_command_then_connect():
    """/register in the client: password asked twice, the account saved
    with the settings of the account entry for that JID, then /connect."""
    home = SziaHome()
    home.write_account("carl", "carl@localhost", port=open_server.port,
                       tls_fingerprint=open_server.fingerprint)
    szia = Headless(home)
    szia.send("/register carl@localhost")
    szia.expect(r"^PROMPT Password for the new account carl@localhost: $")
    szia.send("carlpw")
    szia.expect(r"^PROMPT Repeat the password: $")
    szia.send("carlpw")
    szia.expect(r"^W1 console \| info Account carl@localhost created on "
                r"the server\.$", 20)
    szia.expect(r"^W1 console \| info Account carl \(carl@localhost\) "
                r"saved with its password")
    szia.send("/connect carl")
    szia.expect(r"^W1 console \| info Connected as carl@localhost/", 20)
    szia.quit()
    # The same name again: taken, one line.
    szia = Headless(home)
    szia.send("/register carl@localhost")
    szia.send("other")
    szia.send("other")
    szia.expect(r"^W1 console \| error Registration of carl@localhost "
                r"failed: the name carl@localhost is already taken\.$", 20)
    szia.send("/register zed@localhost")
    szia.send("a")
    szia.send("b")
    szia.expect(r"^W1 console \| error The passwords differ: no account "
                r"created\.$")
    szia.quit()


def test_account_password_change():
    """Change the password (asked twice), the accounts file follows; the
    new one logs in, the old one no longer does."""
    open_server.adduser("pwuser", "oldpw")
    home = SziaHome()
    home.write_account("pw", "pwuser@localhost", password="oldpw",
                       port=open_server.port,
                       tls_fingerprint=open_server.fingerprint)
    logfile = os.path.join(home.dir, "debug.log")
    szia = Headless(home, account="pw", log=logfile)
    szia.expect(r"^W1 console \| info Connected as", 20)
    szia.send("/account password")
    szia.expect(r"^PROMPT New password for pwuser@localhost: $")
    szia.send("newpw")
    szia.expect(r"^PROMPT Repeat the new password: $")
    szia.send("newpw")
    szia.expect(r"^W\d+ \S+ \| info Password changed on the server and in "
                r"the accounts file\.$", 15)
    szia.quit()
    with open(home.accounts_path) as f:
        assert "password = newpw" in f.read()
    # The debug log (XML included) does not get the new password.
    with open(logfile) as f:
        text = f.read()
    assert "jabber:iq:register stanza with a password: not logged" in text
    assert "newpw" not in text
    szia, ok = login(home, "pw")
    assert ok
    szia.quit()
    old = SziaHome()
    old.write_account("pw", "pwuser@localhost", password="oldpw",
                      port=open_server.port,
                      tls_fingerprint=open_server.fingerprint)
    szia, ok = login(old, "pw")
    assert not ok
    szia.quit()


def test_account_password_offline():
    home = SziaHome()
    szia = Headless(home)
    szia.send("/account password")
    szia.expect(r"^W1 console \| error /account password: not connected")
    szia.quit()


sziatest.main(globals())
