#!/usr/bin/python3
"""Functional tests of stream management (XEP-0198) with resumption and
of the reconnect catch-up, the sync part's answer to dropped connections.

szia-headless reaches the harness's Prosody (which loads smacks and mam)
through a sziatest.Proxy, which can reset the TCP connection without
stopping the server; slixmpp Peers talk to the server directly.
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody, Proxy, SziaHome  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw"}
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()
    for user in ("alice", "carol", "dave"):
        server.make_friends(user, "bob", group="Friends",
                            names=(user.capitalize(), "Bob"))


def teardown_module():
    if server is not None:
        server.stop()


def start(user, port, log=None, home=None):
    home = server.account_home(user, home, port=port, resource="szia")
    home, szia, _ = server.login(user, home, log)
    szia.wait_roster("bob@localhost")
    return home, szia


def bob(resource="peer"):
    return Peer("bob@localhost", USERS["bob"], server.port,
                resource=resource).start()


def rows(home, user):
    """The bodies in `user`'s log.db, oldest first."""
    return [r["body"] for r in home.rows(user)]


def wait_for(cond, what, timeout=30):
    sziatest.poll(cond, bool, what, timeout)


def test_dropped_connection_is_resumed_without_loss_or_duplicates():
    proxy = Proxy(server.port).start()
    home = SziaHome()
    logpath = os.path.join(home.dir, "szia.log")
    home, szia = start("alice", proxy.port, log=logpath, home=home)
    b = bob("desk")
    n = 12

    def resumed():
        return any("sm: stream resumed" in line
                   for line in sziatest.log_lines(logpath))
    try:
        szia.send("/msg bob@localhost")

        def bob_sends():
            for i in range(n):
                b.send_message("alice@localhost", "from bob %d" % i)
                time.sleep(0.05)
        t = threading.Thread(target=bob_sends)
        t.start()
        cuts = 0
        for i in range(n):
            szia.send("to bob %d" % i)
            if i in (3, 7):
                # Wait until the stream is up again before each cut.
                wait_for(lambda: cuts == 0 or resumed(),
                         "the first resumption")
                assert proxy.cut() >= 1
                cuts += 1
            time.sleep(0.05)
        t.join()
        for i in range(n):
            szia.expect(r"^W2 bob@localhost \| in Bob: from bob %d$" % i,
                        timeout=30)
            b.wait_message("to bob %d" % i, timeout=30)
        wait_for(resumed, "a resumption in the log")
        assert proxy.accepted >= 2, proxy.accepted
        # Let anything resent twice arrive, then count.
        b.iq_get("localhost", "<ping xmlns='urn:xmpp:ping'/>")
        szia.expect_none(r"from bob \d+$", 1.5)
        for i in range(n):
            got = [m for m in b.messages if m["body"] == "to bob %d" % i]
            assert len(got) == 1, (i, got)
        szia.send("!win 2")
        lines = szia.dump()
        for i in range(n):
            assert sum(1 for l in lines if l.endswith(
                "Bob: from bob %d" % i)) == 1, (i, lines)
            assert sum(1 for l in lines if l.endswith(
                "me: to bob %d" % i)) == 1, (i, lines)
        # No fresh session: the resumption went unnoticed by the user.
        assert not any("connection lost" in l for l in szia.lines), \
            szia.lines
        bodies = rows(home, "alice")
        for i in range(n):
            assert bodies.count("from bob %d" % i) == 1, bodies
            assert bodies.count("to bob %d" % i) == 1, bodies
        assert szia.quit() == 0
    finally:
        b.stop()
        proxy.stop()


def test_outage_longer_than_a_retry_loses_nothing():
    """The first, immediate resumption fails (the network is still down):
    szia says so and retries with back-off; whether the server resumes the
    session or szia logs in afresh and catches up from the archive, nothing
    is lost or shown twice, and the roster gets its presences back."""
    proxy = Proxy(server.port).start()
    home = SziaHome()
    home.write_sziarc("[reconnect]\nmax = 5\n")
    home, szia = start("dave", proxy.port, home=home,
                       log=os.path.join(home.dir, "szia.log"))
    b = bob("desk")
    try:
        szia.wait_roster(lambda r: any(x[1] == "bob@localhost" and
                                       x[3] == "online" for x in r),
                         "Bob online")
        proxy.refuse(True)
        proxy.cut()
        szia.expect(r"^W1 console \| error connection lost.*reconnecting "
                    r"in", timeout=30)
        szia.wait_roster(lambda r: any(x[1] == "bob@localhost" and
                                       x[3] == "offline" for x in r),
                         "Bob offline while we are away")
        b.send_message("dave@localhost", "sent during the outage")
        szia.send("/msg bob@localhost typed during the outage")
        szia.expect(r"^W2 bob@localhost \| out pending me: typed during "
                    r"the outage$")
        proxy.refuse(False)
        szia.expect(r"^W1 console \| info (Connection resumed as|Connected "
                    r"as) dave@localhost/szia", timeout=30)
        szia.expect(r"^W2 bob@localhost \| in (delayed |history archive )?"
                    r"Bob: sent during the outage$", timeout=20)
        b.wait_message("typed during the outage", timeout=20)
        szia.wait_roster(lambda r: any(x[1] == "bob@localhost" and
                                       x[3] == "online" for x in r),
                         "Bob online again after the resumption")
        szia.expect_none(r"sent during the outage|typed during", 1.0)
        bodies = rows(home, "dave")
        assert bodies.count("sent during the outage") == 1, bodies
        assert bodies.count("typed during the outage") == 1, bodies
        assert szia.quit() == 0
    finally:
        b.stop()
        proxy.stop()


def test_server_restart_reconnects_and_catches_up_once():
    """A restarted server has lost the SM session: szia reconnects with a
    fresh session and fetches from the archive what was sent meanwhile,
    shown once."""
    proxy = Proxy(server.port).start()
    home = SziaHome()
    home.write_sziarc("[reconnect]\nmax = 5\n")
    home, szia = start("carol", proxy.port, home=home)
    b = bob("desk")
    try:
        b.send_message("carol@localhost", "before the restart")
        szia.expect(r"^W2 bob@localhost \| in Bob: before the restart$")
    finally:
        b.stop()
    proxy.refuse(True)    # szia cannot come back until told
    server.restart()      # the SM session is gone with the process
    proxy.cut()
    szia.expect(r"^W1 console \| error .*reconnecting in", timeout=30)
    # Bob writes while szia is away; carol's phone is online, so the
    # message is not kept offline: only the archive has it for szia.
    phone = Peer("carol@localhost", USERS["carol"], server.port,
                 resource="phone").start()
    b = bob("desk2")
    try:
        b.send_message("carol@localhost", "while you were away")
        phone.wait_message("while you were away")
    finally:
        b.stop()
        phone.stop()
    # Typed while away: kept, shown pending, sent once connected.
    szia.send("!win 2")
    szia.send("typed while away")
    szia.expect(r"^W2 bob@localhost \| out pending me: typed while away$")
    b = bob("desk3")
    proxy.refuse(False)
    try:
        szia.expect(r"^W1 console \| info Connected as", timeout=60)
        b.wait_message("typed while away", timeout=20)
        szia.expect(r"^W1 console \| info Server archive: 1 message "
                    r"fetched\.$", timeout=20)
        szia.expect(r"^W2 bob@localhost \| in history archive Bob: "
                    r"while you were away$", timeout=20)
        szia.expect_none(r"while you were away|before the restart", 2.0)
        bodies = rows(home, "carol")
        assert bodies.count("while you were away") == 1, bodies
        assert bodies.count("before the restart") == 1, bodies
        assert bodies.count("typed while away") == 1, bodies
        # The pending mark is gone once it is sent.
        lines = szia.dump()
        assert "W2 bob@localhost | out me: typed while away" in lines, lines
        assert len([m for m in b.messages
                    if m["body"] == "typed while away"]) == 1, b.messages
    finally:
        b.stop()
        proxy.stop()
    assert szia.quit() == 0


sziatest.main(globals())
