#!/usr/bin/python3
"""Self-test of tests/lib/sziatest.py against a real (throwaway) Prosody.

Run: /usr/bin/python3 tests/lib/test_harness.py [name-substring ...]
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sziatest  # noqa: E402
from sziatest import Peer, PeerError, Proc, Prosody, SziaHome, Tmux  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
server = None


def setup_module():
    global server
    server = Prosody(users={"alice": "alicepw", "bob": "bobpw"}).start()


def _listening_addresses(ports):
    """Local addresses of LISTEN sockets on the given ports (/proc/net/tcp*)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            local, state = cols[1], cols[3]
            addr, port = local.rsplit(":", 1)
            if state == "0A" and int(port, 16) in ports:
                found.append((table, addr, int(port, 16)))
    return found


def test_prosody_listens_on_loopback_only():
    socks = _listening_addresses({server.port, server.tls_port})
    assert {p for _, _, p in socks} == {server.port, server.tls_port}, socks
    for table, addr, port in socks:
        assert table == "/proc/net/tcp" and addr == "0100007F", socks
    assert oct(os.stat(server.dir).st_mode & 0o777) == "0o755"
    assert oct(os.stat(server.cert_path).st_mode & 0o777) == "0o644"


def test_fingerprint_matches_openssl():
    out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint",
                          "-sha256", "-in", server.cert_path],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().split("=", 1)[1] == server.fingerprint, (
        out, server.fingerprint)
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", server.fingerprint)


def test_message_both_ways():
    with Peer("alice@localhost", "alicepw", server.port) as alice, \
            Peer("bob@localhost", "bobpw", server.port) as bob:
        mid = alice.send_message("bob@localhost", "hello bob ✓")
        m = bob.wait_message("hello bob")
        assert m["from"] == "alice@localhost/peer", m
        assert m["type"] == "chat" and m["id"] == mid, m
        assert m["body"] == "hello bob ✓", m
        assert "<body>hello bob ✓</body>" in m["raw"], m
        bob.send_message(m["from"], "hi alice")
        r = alice.wait_message(lambda d: d["from"].startswith("bob@"))
        assert r["body"] == "hi alice", r
        # wait_message reports what it got on timeout
        try:
            alice.wait_message("never sent", timeout=0.3)
        except AssertionError as exc:
            assert "hi alice" in str(exc), exc
        else:
            raise AssertionError("wait_message did not time out")


def test_direct_tls_ping_disco_version():
    with Peer("alice@localhost", "alicepw", server.tls_port, resource="tls",
              use_ssl=True) as alice:
        pong = ET.fromstring(alice.iq_get(
            "localhost", "<ping xmlns='urn:xmpp:ping'/>"))
        assert pong.get("type") == "result", ET.tostring(pong)
        info = alice.iq_get("localhost", "<query xmlns="
                            "'http://jabber.org/protocol/disco#info'/>")
        assert "urn:xmpp:ping" in info and "urn:xmpp:carbons:2" in info, info
        # no 'to': the account itself (MAM is advertised there)
        info = alice.iq_get(None, "<query xmlns="
                            "'http://jabber.org/protocol/disco#info'/>")
        assert "urn:xmpp:mam:2" in info, info
        err = alice.iq_get("localhost", "<nonsense xmlns='urn:x:nope'/>")
        assert 'type="error"' in err and "service-unavailable" in err, err
        # Peers answer version queries themselves (useful for szia tests)
        with Peer("bob@localhost", "bobpw", server.port) as bob:
            v = alice.iq_get(bob.jid, "<query xmlns='jabber:iq:version'/>")
            assert "sziatest-peer" in v, v


def test_wrong_password_fails_clearly():
    t0 = time.monotonic()
    try:
        Peer("alice@localhost", "wrong", server.port, resource="bad").start()
    except PeerError as exc:
        assert "authentication failed" in str(exc), exc
        assert "not-authorized" in str(exc), exc
    else:
        raise AssertionError("login with a wrong password succeeded")
    assert time.monotonic() - t0 < 5, "auth failure took too long"


def test_connection_refused_fails_clearly():
    try:
        Peer("alice@localhost", "alicepw", sziatest.free_port()).start(5)
    except PeerError as exc:
        assert "connection failed" in str(exc), exc
    else:
        raise AssertionError("connected to a closed port?")


def test_adduser_while_running():
    server.adduser("carol", "carolpw")
    with Peer("carol@localhost", "carolpw", server.port) as carol:
        assert carol.roster() == {}


def test_make_friends_and_subscription_tracking():
    server.adduser("dave", "davepw")
    server.adduser("erin", "erinpw")
    server.make_friends("dave", "erin", group="Friends",
                        names=("Dave", "Erin"))
    with Peer("dave@localhost", "davepw", server.port) as dave:
        r = dave.roster()
        assert r["erin@localhost"] == {"name": "Erin", "subscription": "both",
                                       "ask": None, "groups": ["Friends"]}, r
        with Peer("erin@localhost", "erinpw", server.port) as erin:
            r = erin.roster()
            assert r["dave@localhost"]["subscription"] == "both", r
            assert r["dave@localhost"]["name"] == "Dave", r
            # erin comes online: dave sees the presence
            dave.wait_presence(lambda p: p["from"].startswith("erin@"))
            erin.send_presence(pshow="away", pstatus="gone fishing")
            p = dave.wait_presence(lambda p: p["show"] == "away")
            assert p["status"] == "gone fishing", p
        # a subscription request from a stranger is tracked, not answered
        with Peer("carol@localhost", "carolpw", server.port,
                  resource="sub") as carol:
            carol.subscribe("dave@localhost")
            assert dave.wait_subscription_request("carol@localhost") == \
                "carol@localhost"
            time.sleep(0.2)   # give a (wrong) automatic answer time to arrive
            assert dave.roster().get("carol@localhost", {}).get(
                "subscription") in (None, "none"), dave.roster()
    # idempotent
    server.make_friends("dave", "erin")


def test_auto_reply_and_send_raw():
    echo = Peer("bob@localhost", "bobpw", server.port, resource="echo",
                auto_reply=lambda body: "echo: " + body)
    with echo, Peer("alice@localhost", "alicepw", server.port,
                    resource="raw") as alice:
        alice.send_raw("<message to='bob@localhost/echo' type='chat' "
                       "id='raw1'><body>&lt;raw&gt; &amp; ok</body></message>")
        r = alice.wait_message("echo: ")
        assert r["body"] == "echo: <raw> & ok", r
        assert echo.wait_message("<raw>")["id"] == "raw1"


def test_tmux_runs_program():
    with Tmux(["sh", "-c", "echo hello; echo \"$TERM $LANG\"; sleep 30"],
              width=60, height=10) as t:
        screen = t.wait_for(r"^hello$")
        assert t.alive()
        assert "tmux-256color C.UTF-8" in t.wait_for("C.UTF-8"), screen
        assert len(screen.split("\n")) >= 10
        t.type("")                                    # Enter into sleep
        t.resize(40, 8)
        try:
            t.wait_for("not there", timeout=0.3)
        except AssertionError as exc:
            assert "hello" in str(exc)
        else:
            raise AssertionError("wait_for did not time out")
        pane, server_pid = t.pane_pid, t.server_pid
    assert not sziatest._pid_alive(pane) and not sziatest._pid_alive(
        server_pid), "tmux left processes behind"


def test_tmux_keys_and_exit_status():
    with Tmux(["sh", "-c", "read x; echo \"got [$x]\"; sleep 0.2; exit 3"],
              width=40, height=5) as t:
        t.send_keys("a", "b")
        t.send_keys("C-x y", literal=True)
        t.send_keys("Enter")
        t.wait_for(r"got \[abC-x y\]")
        assert t.wait_exit(5) == 3
        assert not t.alive()
    with Tmux(["sh", "-c", "echo started; exec sleep 30"]) as t:
        t.wait_for("started")
        t.send_keys("C-c")
        assert t.wait_exit(5) == 128 + signal.SIGINT


def test_proc_expect_with_cat():
    with Proc(["cat"]) as p:
        p.send("one")
        p.send("two 2")
        p.send("three 3")
        assert p.expect(r"two (\d)").group(1) == "2"
        # the cursor moved past "two": "one" is no longer visible to expect
        try:
            p.expect("one", timeout=0.3)
        except AssertionError as exc:
            assert "timeout" in str(exc) and "three 3" in str(exc), exc
        else:
            raise AssertionError("expect matched an already consumed line")
        assert p.expect(r"\d").group(0) == "3"
        p.close_stdin()
        assert p.wait(5) == 0
        try:
            p.expect("more")
        except AssertionError as exc:
            assert "exited" in str(exc), exc
        assert p.lines == ["one", "two 2", "three 3"]


def test_sziahome_accounts_file():
    with SziaHome() as home:
        path = home.write_account("alice", "alice@localhost", password="pw;#x",
                                  port=server.port,
                                  tls_fingerprint=server.fingerprint)
        home.write_account("bob", "bob@localhost", eval_password="pass bob",
                           tls="directtls", resource="r", extra={"foo": True})
        home.write_account("alice", "alice@localhost", password="new",
                           port=5222)
        assert os.stat(path).st_mode & 0o777 == 0o600
        assert os.stat(os.path.dirname(path)).st_mode & 0o777 == 0o700
        with open(path) as f:
            text = f.read()
        assert text == textwrap.dedent("""\
            [alice]
            jid = alice@localhost
            password = new
            server = 127.0.0.1
            port = 5222
            tls = starttls

            [bob]
            jid = bob@localhost
            eval_password = pass bob
            server = 127.0.0.1
            tls = directtls
            resource = r
            foo = true
            """), text
        env = home.env()
        assert env["XDG_CONFIG_HOME"] == home.config_home
        assert env["HOME"].startswith(home.dir) and env["LANG"] == "C.UTF-8"
        assert home.logdb("alice") == os.path.join(
            env["XDG_DATA_HOME"], "szia", "alice", "log.db")
        d = home.dir
    assert not os.path.exists(d)


def test_restart_keeps_data_and_ports():
    port, pid = server.port, server.pid
    server.restart()
    assert server.port == port and server.pid != pid
    with Peer("carol@localhost", "carolpw", server.port, resource="again"):
        pass


def test_cleanup_on_sigterm():
    """A test process killed with SIGTERM still stops its children."""
    script = textwrap.dedent("""\
        import sys, time
        sys.path.insert(0, %r)
        import sziatest
        p = sziatest.Prosody(users={}).start()
        c = sziatest.Proc(["sleep", "60"])
        t = sziatest.Tmux(["sleep", "60"])
        print(p.pid, c.pid, t.server_pid, t.pane_pid, p.dir, flush=True)
        time.sleep(60)
        """) % HERE
    child = subprocess.Popen([PY, "-c", script], stdout=subprocess.PIPE,
                             text=True)
    try:
        line = child.stdout.readline().split()
        assert len(line) == 5, line
        child.send_signal(signal.SIGTERM)
        assert child.wait(10) == 128 + signal.SIGTERM
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    pids, d = [int(x) for x in line[:4]], line[4]
    assert sziatest._wait_until(
        lambda: not any(sziatest._pid_alive(p) for p in pids), 5), pids
    assert not os.path.exists(d), d


def test_runner_output_and_exit_codes():
    with tempfile.TemporaryDirectory() as td:
        f = os.path.join(td, "t.py")
        with open(f, "w") as fh:
            fh.write(textwrap.dedent("""\
                import sys; sys.path.insert(0, %r); import sziatest
                def test_good(): pass
                def test_bad(): assert 1 == 2, "boom"
                sziatest.main(globals(), requires=())
                """) % HERE)
        r = subprocess.run([PY, f], capture_output=True, text=True, timeout=20)
        assert r.returncode == 1, r
        lines = [l for l in r.stdout.splitlines() if not l.startswith("#")]
        assert lines[0] == "ok - test_good" and lines[1] == "not ok - test_bad"
        assert "boom" in r.stdout and lines[-1] == "1 passed, 1 failed", r
        with open(f, "w") as fh:
            fh.write(textwrap.dedent("""\
                import sys; sys.path.insert(0, %r); import sziatest
                def test_x(): pass
                sziatest.main(globals(), requires=("no-such-program-xyz",))
                """) % HERE)
        r = subprocess.run([PY, f], capture_output=True, text=True, timeout=20)
        assert r.returncode == 77 and "no-such-program-xyz" in r.stdout, r


def test_prosody_stop_leaves_no_process():
    pid, d = server.pid, server.dir
    server.stop()
    assert not sziatest._pid_alive(pid), "prosody %d still alive" % pid
    assert not os.path.exists(d), d
    server.stop()        # idempotent


if __name__ == "__main__":
    sziatest.main(globals(), requires=("prosody", "prosodyctl", "openssl",
                                       "tmux"))
