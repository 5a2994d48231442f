#!/usr/bin/python3
"""Functional tests: one-to-one chat, resource locking, offline messages,
the message log (log.db) and history.

szia-headless runs against a throwaway Prosody on 127.0.0.1; slixmpp Peers
play the contacts.  Each test has its own SziaHome (so its own log.db).
"""

import os
import re
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw", "erin": "erinpw", "frank": "frankpw",
         "grace": "gracepw"}
NS_SID = "urn:xmpp:sid:0"
server = None
offline_sent = None     # (time, [ids]) of the messages dave gets offline


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()
    for user in ("alice", "dave", "erin", "frank", "grace"):
        server.make_friends(user, "bob", group="Friends",
                            names=(user.capitalize(), "Bob"))


def teardown_module():
    if server is not None:
        server.stop()


def start(user, home=None):
    """szia-headless logged in as `user` (pinned certificate); returns
    (home, szia, full JID)."""
    home, szia, me = server.login(user, home)
    if user != "carol":
        szia.wait_roster("bob@localhost")   # names come from the roster
    return home, szia, me


def bob(resource="peer", **kw):
    return Peer("bob@localhost", USERS["bob"], server.port,
                resource=resource, **kw).start()


def origin_id(raw):
    el = ET.fromstring(raw).find("{%s}origin-id" % NS_SID)
    return el.get("id") if el is not None else None


# -- sending and receiving ----------------------------------------------------

def test_msg_sends_body_and_origin_id():
    home, szia, me = start("alice")
    with bob() as b:
        szia.send("/msg bob@localhost hello bob")
        szia.expect(r"^W2 bob@localhost \| out me: hello bob$")
        got = b.wait_message("hello bob")
        assert got["from"] == me, (got, me)
        assert got["type"] == "chat", got
        oid = origin_id(got["raw"])
        assert oid and oid == got["id"], got["raw"]
        out = home.wait_rows("alice", 1, "dir = 1")
        assert len(out) == 1, out
        r = out[0]
        assert (r["peer"], r["from_jid"], r["to_jid"], r["body"],
                r["type"]) == ("bob@localhost", me, "bob@localhost",
                               "hello bob", "chat"), r
        assert r["msg_id"] == got["id"] and r["origin_id"] == oid, r
        assert r["stanza_id"] is None, r
    assert szia.quit() == 0


def test_reply_shows_with_roster_name_and_is_logged():
    home, szia, me = start("alice")
    with bob("desk") as b:
        mid = b.send_message("alice@localhost", "hi from bob")
        szia.expect(r"^W2 bob@localhost \| in Bob: hi from bob$")
        inn = home.wait_rows("alice", 1, "dir = 0")
        r = inn[0]
        assert (r["peer"], r["from_jid"], r["body"], r["msg_id"]) == (
            "bob@localhost", "bob@localhost/desk", "hi from bob", mid), r
        assert r["to_jid"] in (me, "alice@localhost"), r
        # Our own server archived it and stamped a stanza-id for us.
        assert r["stanza_id"], r
        assert r["ts"] <= r["received"] and abs(r["ts"] - time.time()) < 60
        szia.send("!win 2")
        lines = szia.dump()
        assert lines[-1] == "W2 bob@localhost | in Bob: hi from bob", lines
    assert szia.quit() == 0


def test_resource_locking():
    home, szia, me = start("alice")
    with bob("phone") as b:
        szia.send("/msg bob@localhost first")
        m1 = b.wait_message("first")
        assert m1["to"] == "bob@localhost", m1
        b.send_message(me, "reply from phone")
        szia.expect(r"^W2 bob@localhost \| in Bob: reply from phone$")
        szia.send("second")       # typed in the chat window
        szia.expect(r"^W2 bob@localhost \| out me: second$")
        m2 = b.wait_message("second")
        assert m2["to"] == "bob@localhost/phone", m2
        # A presence change of that resource unlocks the conversation.
        b.send_presence(pshow="away", pstatus="busy")
        szia.expect(r"^W2 bob@localhost \| presence Bob is now away")
        szia.send("third")
        m3 = b.wait_message("third")
        assert m3["to"] == "bob@localhost", m3
        out = home.wait_rows("alice", 3, "dir = 1")
        assert [r["to_jid"] for r in out] == [
            "bob@localhost", "bob@localhost/phone", "bob@localhost"], out
    assert szia.quit() == 0


def test_message_from_stranger():
    home, szia, me = start("alice")
    with Peer("carol@localhost", USERS["carol"], server.port) as carol:
        carol.send_message("alice@localhost", "who am I?")
        m = szia.expect(r"^W(\d+) carol@localhost \| info .*not in your "
                        r"roster")
        n = m.group(1)
        szia.expect(r"^W%s carol@localhost \| in carol@localhost: who am I\?$"
                    % n)
    r = home.wait_rows("alice", 1, "peer = ?", ("carol@localhost",))[0]
    assert r["dir"] == 0 and r["body"] == "who am I?", r
    assert szia.quit() == 0


def test_offline_messages_arrive_delayed():
    with bob("offline") as b:
        t_sent = time.time()
        ids = [b.send_message("dave@localhost", "while you were out %d" % i)
               for i in (1, 2)]
        # Prosody handles a stream's stanzas in order: once the ping is
        # answered, both messages are stored for dave (mod_offline).
        b.iq_get("localhost", "<ping xmlns='urn:xmpp:ping'/>")
    # szia marks a message delayed when its stamp is > 1 s old: let the
    # clock move on (this waits for time to pass, not for an event).
    left = t_sent + 2.5 - time.time()
    if left > 0:
        time.sleep(left)
    home, szia, me = start("dave")
    for i in (1, 2):
        szia.expect(r"^W2 bob@localhost \| in delayed Bob: while you were "
                    r"out %d$" % i)
    got = home.wait_rows("dave", 2, "dir = 0")
    assert [r["msg_id"] for r in got] == ids, got
    for r in got:
        # The original time, not the time of arrival.
        assert abs(r["ts"] - t_sent) <= 2, (r, t_sent)
        assert r["received"] - r["ts"] >= 2, r
    assert szia.quit() == 0


# -- history ------------------------------------------------------------------

def test_history_after_restart():
    home, szia, me = start("erin")
    with bob("hist") as b:
        szia.send("/msg bob@localhost before restart")
        b.wait_message("before restart")
        b.send_message("erin@localhost", "answer before restart")
        szia.expect(r"^W2 bob@localhost \| in Bob: answer before restart$")
    home.wait_rows("erin", 2)
    assert szia.quit() == 0

    home, szia, me = start("erin", home)
    szia.send("/msg bob@localhost")
    lines = [sziatest.parse_line(l) for l in szia.dump()]
    hist = [(d["kind"], d["flag"], d["text"]) for d in lines
            if d["flag"] == "history"]
    assert hist == [("out", "history", "me: before restart"),
                    ("in", "history", "Bob: answer before restart")], lines
    assert all(d["win"] == "bob@localhost" for d in lines), lines
    assert szia.quit() == 0


def test_history_command_loads_older_lines():
    home, szia, me = start("grace")
    with bob("many") as b:
        szia.send("/msg bob@localhost")
        for i in range(1, 31):
            szia.send("line %02d" % i)
        b.wait_message("line 30")
    home.wait_rows("grace", 30)
    assert szia.quit() == 0

    home, szia, me = start("grace", home)
    szia.send("/msg bob@localhost")

    def history():
        return [sziatest.parse_line(l)["text"] for l in szia.dump()
                if sziatest.parse_line(l)["flag"] == "history"]
    h = history()
    assert h == ["me: line %02d" % i for i in range(11, 31)], h
    szia.send("/history")
    h = history()
    assert h == ["me: line %02d" % i for i in range(1, 31)], h
    szia.send("/history")
    szia.expect(r"^W2 bob@localhost \| info No older messages")
    assert szia.quit() == 0


def test_burst_of_500_is_logged_exactly_once():
    home, szia, me = start("frank")
    with bob("burst") as b:
        ids = [b.send_message("frank@localhost", "burst %03d" % i)
               for i in range(500)]
        szia.expect(r"^W2 bob@localhost \| in Bob: burst 499$", timeout=30)
    got = home.wait_rows("frank", 500, "dir = 0")
    assert len(got) == 500, len(got)
    assert [r["body"] for r in got] == ["burst %03d" % i
                                        for i in range(500)], \
        [r["body"] for r in got][:10]
    assert [r["msg_id"] for r in got] == ids
    shown = [l for l in szia.lines if re.match(
        r"^W2 bob@localhost \| in Bob: burst \d{3}$", l)]
    assert len(shown) == 500, len(shown)
    assert szia.quit() == 0
    # Nothing was written twice after the last flush either.
    assert len(home.rows("frank", "dir = 0")) == 500


def test_shown_messages_survive_a_crash():
    """What szia has shown is in the log: the loop commits before it draws,
    so killing szia (SIGKILL: no cleanup at all) right after a message
    appeared loses nothing."""
    home, szia, me = start("grace")
    with bob("crash") as b:
        for i in range(50):
            b.send_message("grace@localhost", "crash %02d" % i)
        szia.expect(r"^W2 bob@localhost \| in Bob: crash 49$", timeout=15)
    os.kill(szia.pid, 9)
    szia.wait(5)
    got = home.rows("grace", "dir = 0 AND body LIKE 'crash %'")
    assert [r["body"] for r in got] == ["crash %02d" % i
                                        for i in range(50)], got


sziatest.main(globals())
