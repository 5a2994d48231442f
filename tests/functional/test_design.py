#!/usr/bin/python3
"""Functional tests of the design promises that have no user-visible
feature of their own (issue 2, "Performance by design", and "nothing
acknowledged is lost on a crash"):

* the log is committed before anything that tells the other side we have
  a message leaves: the stream-management <a/> libstrophe answers the
  server's <r/> with, and a delivery receipt;
* a burst is written in a few transactions, not one per message;
* an idle, logged-in szia does not wake up.

Nothing here measures time: the counters come from szia-headless's
``!stats`` (src/util/stats.h), and the ordering checks hold the log's
write lock from here, so szia has to wait for it before whatever the
order promises comes next.
"""

import os
import re
import signal
import sqlite3
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw"}
NS_RECEIPTS = "urn:xmpp:receipts"
# Shorter than szia's busy timeout (HISTORY_BUSY_MS, 1 s), so its commit
# waits for us instead of failing.
HOLD = 0.3
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()
    server.make_friends("alice", "bob", names=("Alice", "Bob"))


def teardown_module():
    if server is not None:
        server.stop()


def start(srv=None):
    """szia-headless logged in as alice (on `srv`, default the module's
    server), with its debug log in its home; returns (home, szia, full
    JID, log path)."""
    srv = srv or server
    home = srv.account_home("alice")
    tmp_log = os.path.join(home.dir, "szia.log")
    home, szia, me = srv.login("alice", home, tmp_log)
    szia.wait_roster("bob@localhost")
    return home, szia, me, tmp_log


class WriteLock:
    """Hold log.db's write lock (WAL: BEGIN IMMEDIATE) until release()."""

    def __init__(self, path):
        self.db = sqlite3.connect(path, isolation_level=None, timeout=10)
        self.db.execute("BEGIN IMMEDIATE")

    def release(self):
        if self.db is not None:
            self.db.execute("ROLLBACK")
            self.db.close()
            self.db = None


def count_rows(home, body):
    db = sqlite3.connect("file:%s?mode=ro" % home.logdb("alice"), uri=True,
                         timeout=10)
    try:
        return db.execute("SELECT count(*) FROM messages WHERE body = ?",
                          (body,)).fetchone()[0]
    finally:
        db.close()


def has_receipt(msgs, mid):
    for d in msgs:
        r = ET.fromstring(d["raw"]).find("{%s}received" % NS_RECEIPTS)
        if r is not None and r.get("id") == mid:
            return True
    return False


def test_stream_ack_waits_for_the_commit():
    """Prosody follows each burst with <r/>; libstrophe answers it with
    <a h=N/> while parsing, and writes it at once.  With the log locked,
    szia must not have answered until the lock is gone: the server forgets
    what we acknowledged."""
    home, szia, me, log = start()
    with Peer("bob@localhost", "bobpw", server.port,
              resource="ack").start() as b:
        lock = WriteLock(home.logdb("alice"))
        try:
            start_at = len(sziatest.log_lines(log)) - 1   # the last is ""
            b.send_message(me, "acked only once logged")
            i = sziatest.wait_log(log, r"RECV: <message .*acked only once logged",
                         start_at)
            # Prosody's <r/> follows at once; szia logs it only after
            # the commit it makes before libstrophe handles it.
            time.sleep(HOLD)
            early = [l for l in sziatest.log_lines(log)[i:]
                     if re.search(r"SENT: <a [^>]*urn:xmpp:sm:3", l)]
            assert count_rows(home, "acked only once logged") == 0
        finally:
            lock.release()
        assert not early, "acked before the commit: %r" % early
        sziatest.wait_log(log, r"SENT: <a [^>]*urn:xmpp:sm:3", i)
        assert count_rows(home, "acked only once logged") == 1
    assert szia.quit() == 0


def test_receipt_waits_for_the_commit():
    """A receipt says "I have it": with the log locked, none leaves.  On a
    server without stream management, so that no <r/> makes szia commit
    earlier for its own reason."""
    with Prosody(users=dict(USERS), modules_exclude=("smacks",)) as srv:
        srv.make_friends("alice", "bob", names=("Alice", "Bob"))
        home, szia, me, log = start(srv)
        with Peer("bob@localhost", "bobpw", srv.port,
                  resource="rcpt").start() as b:
            # Opening bob's window reads the log (and commits first).
            b.send_message(me, "open the window")
            szia.expect(r"^W2 bob@localhost \| in Bob: open the window$")
            lock = WriteLock(home.logdb("alice"))
            try:
                start_at = len(sziatest.log_lines(log)) - 1   # the last is ""
                b.send_raw("<message to='%s' type='chat' id='rc-1'><body>"
                           "receipt after the log</body><request xmlns="
                           "'%s'/></message>" % (me, NS_RECEIPTS))
                sziatest.wait_log(log, r"RECV: <message .*receipt after the log",
                         start_at)
                time.sleep(HOLD)
                early = has_receipt(b.messages, "rc-1")
            finally:
                lock.release()
            assert not early, "receipt sent before the message was logged"
            b.wait_message(lambda d: has_receipt([d], "rc-1"))
            assert count_rows(home, "receipt after the log") == 1
        assert szia.quit() == 0


def test_burst_is_written_in_few_transactions():
    """300 messages that arrive together are logged in a handful of
    transactions (one per loop turn, plus one per stream ack), not 300.
    szia is stopped while they are sent so that they do arrive together."""
    home, szia, me, log = start()
    n = 300
    with Peer("bob@localhost", "bobpw", server.port,
              resource="burst").start() as b:
        before = szia.stats()
        os.kill(szia.pid, signal.SIGSTOP)
        try:
            for k in range(n):
                b.send_message(me, "burst %03d" % k)
            time.sleep(1.0)     # let Prosody write them to the socket
        finally:
            os.kill(szia.pid, signal.SIGCONT)
        szia.expect(r"^W\d+ bob@localhost \| in Bob: burst %03d$" % (n - 1),
                    timeout=30)
        after = szia.stats()
    commits = after["commits"] - before["commits"]
    turns = after["turns"] - before["turns"]
    assert 1 <= commits <= 30, (commits, turns)
    db = sqlite3.connect("file:%s?mode=ro" % home.logdb("alice"), uri=True)
    try:
        got = db.execute("SELECT count(*) FROM messages WHERE body LIKE "
                         "'burst %'").fetchone()[0]
    finally:
        db.close()
    assert got == n
    assert szia.quit() == 0


def test_idle_szia_does_not_wake_up():
    """Logged in and idle, szia sleeps in poll(): over 3 s no more loop
    turns than the !stats requests themselves cause (no busy polling, no
    timer ticking while nothing is due; the keepalive is 60 s away)."""
    home, szia, me, log = start()
    # The login's presences and queries settle first: wait (up to 20 s,
    # for slow sanitizer runs) for one quiet second, then measure 3 s.
    # The first !stats is answered in its turn; reading the second is one
    # more wake-up (two lines in one write can take two reads).
    deadline = time.monotonic() + 20
    s0 = szia.stats()
    while True:
        time.sleep(1.0)
        s1 = szia.stats()
        if s1["turns"] - s0["turns"] <= 3 or time.monotonic() > deadline:
            break
        s0 = s1
    s0 = s1
    time.sleep(3.0)
    s1 = szia.stats()
    assert s1["turns"] - s0["turns"] <= 3, (s0, s1)
    assert s1["wakeups"] - s0["wakeups"] <= 3, (s0, s1)
    assert szia.quit() == 0


sziatest.main(globals())
