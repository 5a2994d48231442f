#!/usr/bin/python3
"""Functional tests of the sync part: message carbons (XEP-0280), the
server archive (XEP-0313 with RSM), de-duplication, the offline outbox,
client state indication (XEP-0352) and refused remote commands (XEP-0146).

szia-headless runs against a throwaway Prosody on 127.0.0.1 (it loads
carbons, mam, smacks and csi_simple); slixmpp Peers play the contacts and
the user's phone (another resource of the same account).
"""

import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw", "erin": "erinpw", "frank": "frankpw",
         "grace": "gracepw", "heidi": "heidipw", "ivan": "ivanpw"}
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()
    for user in ("alice", "dave", "erin", "frank", "grace", "heidi", "ivan"):
        server.make_friends(user, "bob", group="Friends",
                            names=(user.capitalize(), "Bob"))


def teardown_module():
    if server is not None:
        server.stop()


def new_home(user, settings=None):
    home = server.account_home(user, resource="szia")
    # SziaHome turns the first-login archive fetch off: on again here.
    home.write_sziarc(settings or "")
    return home


def start(user, home=None, log=None):
    """szia-headless logged in as `user`; returns (home, szia, full JID)."""
    home, szia, me = server.login(user, home or new_home(user), log)
    szia.wait_roster("bob@localhost")
    return home, szia, me


def peer(user, resource="peer"):
    return Peer("%s@localhost" % user, USERS[user], server.port,
                resource=resource).start()


def sync_server(p):
    """Return once the server handled everything p sent before."""
    p.iq_get("localhost", "<ping xmlns='urn:xmpp:ping'/>")


# -- carbons (XEP-0280) ------------------------------------------------------

def test_carbons_show_both_directions_once():
    home, szia, me = start("alice")
    with peer("alice", "phone") as phone, peer("bob", "desk") as b:
        # Bob writes to the phone only: szia gets a received carbon.
        b.send_message("alice@localhost/phone", "to your phone")
        szia.expect(r"^W2 bob@localhost \| in carbon Bob: to your phone$")
        # The phone answers: szia gets a sent carbon, shown as ours.
        phone.send_message("bob@localhost", "answer from phone")
        szia.expect(r"^W2 bob@localhost \| out carbon me: answer from "
                    r"phone$")
        b.wait_message("answer from phone")
        got = home.wait_rows("alice", 2)
        assert [(r["dir"], r["body"]) for r in got] == [
            (0, "to your phone"), (1, "answer from phone")], got
        assert got[1]["peer"] == "bob@localhost", got
        # Nothing is shown twice.
        szia.expect_none(r"to your phone|answer from phone", 1.0)
    assert szia.quit() == 0


def test_carbon_corrections_are_applied_in_place():
    """XEP-0308 through carbons: the phone's correction of its own line,
    bob's of his (to the phone); bob cannot correct the phone's line."""
    home, szia, me = start("alice")
    ns = "urn:xmpp:message-correct:0"
    with peer("alice", "phone") as phone, peer("bob", "desk") as b:
        def say(p, to, mid, body, replace=None):
            p.send_raw("<message to='%s' type='chat' id='%s'><body>%s</body>"
                       "%s</message>" % (to, mid, body, "" if replace is None
                       else "<replace xmlns='%s' id='%s'/>" % (ns, replace)))
        say(phone, "bob@localhost", "ph-1", "teh cat")
        szia.expect(r"^W2 bob@localhost \| out carbon me: teh cat$")
        say(b, "alice@localhost/phone", "bd-1", "helo")
        szia.expect(r"^W2 bob@localhost \| in carbon Bob: helo$")
        say(phone, "bob@localhost", "ph-2", "the cat", "ph-1")
        say(b, "alice@localhost/phone", "bd-2", "hello", "bd-1")
        say(b, "alice@localhost/phone", "bd-3", "not yours", "ph-1")
        szia.expect(r"^W2 bob@localhost \| in carbon Bob: not yours$")
        szia.send("!win 2")
        # (Above them: what the first-login archive fetch brought.)  The
        # phone's and bob's stanzas may arrive in either order.
        want = ["LINE out none edited the cat", "LINE in none edited hello",
                "LINE in none not yours"]
        sziatest.poll(lambda: [l for l in szia._driver(
            "!marks", r"^MARKS END$", 10) if l.startswith("LINE ")][-3:],
            lambda lines: lines == want, "lines %r" % want)
    mine = ("teh cat", "helo", "the cat", "hello", "not yours")
    rows = [r for r in home.rows("alice") if r["body"] in mine]
    assert [(r["body"], r["replace_id"]) for r in rows] == [
        ("teh cat", None), ("helo", None), ("the cat", "ph-1"),
        ("hello", "bd-1"), ("not yours", None)], rows
    assert szia.quit() == 0


def test_forged_carbon_is_ignored_and_logged():
    home = new_home("dave")
    logpath = os.path.join(home.dir, "szia.log")
    home, szia, me = start("dave", home, log=logpath)
    with peer("bob", "forger") as b:
        forged = (
            "<message to='%s' from='bob@localhost/forger' type='chat'>"
            "<sent xmlns='urn:xmpp:carbons:2'>"
            "<forwarded xmlns='urn:xmpp:forward:0'>"
            "<message xmlns='jabber:client' from='%s' to='bob@localhost' "
            "type='chat' id='forged1'><body>forged sent</body></message>"
            "</forwarded></sent></message>" % (me, me))
        b.send_raw(forged)
        forged_rcv = forged.replace("<sent ", "<received ").replace(
            "</sent>", "</received>").replace("forged sent", "forged got")
        b.send_raw(forged_rcv)
        sync_server(b)
        b.send_message(me, "after the forgery")
        szia.expect(r"^W2 bob@localhost \| in Bob: after the forgery$")
        szia.expect_none(r"forged", 0.5)
        sziatest.wait_log(logpath, r"carbon from bob@localhost/forger "
                          r"ignored")
        assert not [r for r in home.rows("dave") if "forged" in
                    (r["body"] or "")]
    assert szia.quit() == 0


# -- archive (XEP-0313) ------------------------------------------------------

def test_archive_first_login_then_catch_up_once():
    with peer("heidi", "phone") as phone, peer("bob", "desk") as b:
        for i in (1, 2):
            b.send_message("heidi@localhost", "early %d" % i)
            phone.wait_message("early %d" % i)
        phone.send_message("bob@localhost", "phone said")
        b.wait_message("phone said")
        # First login: the last page of the archive, marked archived.
        home, szia, me = start("heidi")
        # (One render prints the console's lines before window 2's.)
        szia.expect(r"^W1 console \| info Server archive: 3 messages "
                    r"fetched\.$")
        szia.expect(r"^W2 bob@localhost \| in history archive Bob: "
                    r"early 1$")
        szia.expect(r"^W2 bob@localhost \| in history archive Bob: "
                    r"early 2$")
        szia.expect(r"^W2 bob@localhost \| out history archive me: "
                    r"phone said$")
        home.wait_rows("heidi", 3)
        assert szia.quit() == 0
        # While szia is away the conversation goes on elsewhere.
        for i in (1, 2, 3):
            b.send_message("heidi@localhost", "while away %d" % i)
            phone.wait_message("while away %d" % i)
        home, szia, me = start("heidi", home)
        szia.expect(r"^W1 console \| info Server archive: 3 messages "
                    r"fetched\.$")
        for i in (1, 2, 3):
            szia.expect(r"^W2 bob@localhost \| in history archive Bob: "
                        r"while away %d$" % i)
        # A live message after the catch-up, and nothing twice.
        b.send_message("heidi@localhost", "live now")
        szia.expect(r"^W2 bob@localhost \| in Bob: live now$")
        got = home.wait_rows("heidi", 7)
        bodies = [r["body"] for r in got]
        assert sorted(bodies) == sorted(
            ["early 1", "early 2", "phone said", "while away 1",
             "while away 2", "while away 3", "live now"]), bodies
        szia.send("!win 2")
        lines = [l for l in szia.dump() if "while away" in l or
                 "early" in l]
        assert len(lines) == len(set(lines)) == 5, lines
        db = sqlite3.connect(home.logdb("heidi"))
        try:
            last = db.execute("SELECT last_id FROM archives WHERE "
                              "archive = 'heidi@localhost'").fetchall()
        finally:
            db.close()
        assert len(last) == 1 and last[0][0], last
        assert last[0][0] == got[5]["stanza_id"], (last, got)
        assert szia.quit() == 0


def test_history_pages_into_the_server_archive():
    with peer("ivan", "phone") as phone, peer("bob", "desk") as b:
        for i in range(1, 6):
            b.send_message("ivan@localhost", "old %d" % i)
            phone.wait_message("old %d" % i)
        home = new_home("ivan", "[mam]\ninitial = 2\n")
        home, szia, me = start("ivan", home)
        szia.expect(r"^W2 bob@localhost \| in history archive Bob: old 4$")
        szia.expect(r"^W2 bob@localhost \| in history archive Bob: old 5$")
        szia.send("!win 2")
        szia.send("/history")
        szia.expect(r"^W2 bob@localhost \| info 3 older messages from the "
                    r"server archive \(above\)\.$")
        lines = [l for l in szia.dump() if " old " in l]
        assert lines == ["W2 bob@localhost | in history archive Bob: "
                         "old %d" % i for i in range(1, 6)], lines
        szia.send("/history")
        szia.expect(r"^W2 bob@localhost \| info No older messages in the "
                    r"server archive\.$")
        got = home.wait_rows("ivan", 5)
        assert sorted(r["body"] for r in got) == [
            "old %d" % i for i in range(1, 6)], got
        assert szia.quit() == 0


# -- client state indication (XEP-0352) ----------------------------------------

def wait_server_log(pattern, since, timeout=10):
    rx = re.compile(pattern)
    sziatest.poll(lambda: rx.search(server.log_text()[since:]), bool,
                  "/%s/ in the Prosody log" % pattern, timeout)


def test_focus_out_makes_the_client_inactive_until_focus_in():
    home, szia, me = start("frank")
    start_at = len(server.log_text())
    szia.send("!focus out")
    wait_server_log(r"Received\[c2s\]: <inactive [^>]*urn:xmpp:csi:0", start_at)
    szia.send("!focus out")         # no change: nothing sent again
    szia.send("!focus in")
    wait_server_log(r"Received\[c2s\]: <active [^>]*urn:xmpp:csi:0", start_at)
    # Typing is activity too, but the state is already active.
    szia.send("/status online")
    szia.send("!focus in")
    szia.send("/ping")
    szia.expect(r"Pong from", timeout=10)
    log = server.log_text()[start_at:]
    assert len(re.findall(r"<inactive [^>]*urn:xmpp:csi:0", log)) == 1, \
        log[-3000:]
    assert len(re.findall(r"<active [^>]*urn:xmpp:csi:0", log)) == 1, \
        log[-3000:]
    assert szia.quit() == 0


# -- XEP-0146 remote commands ------------------------------------------------

def test_remote_commands_are_refused():
    home, szia, me = start("erin")
    # Another resource of the same account is who XEP-0146 trusts.
    with peer("erin", "phone") as phone:
        for node in ("http://jabber.org/protocol/rc#set-status",
                     "http://jabber.org/protocol/rc#forward"):
            reply = phone.iq_set(me, "<command xmlns='http://jabber.org/"
                                 "protocol/commands' node='%s' "
                                 "action='execute'/>" % node)
            assert "type=\"error\"" in reply or "type='error'" in reply, \
                reply
            assert "<forbidden" in reply, reply
        reply = phone.iq_get(me, "<query xmlns='http://jabber.org/protocol/"
                             "disco#items' node='http://jabber.org/protocol/"
                             "commands'/>")
        assert "<forbidden" in reply, reply
        # The same from a stranger (another account).
        with peer("bob", "rc") as b:
            reply = b.iq_set(me, "<command xmlns='http://jabber.org/"
                             "protocol/commands' node='http://jabber.org/"
                             "protocol/rc#set-status' action='execute'/>")
            assert "<forbidden" in reply, reply
        # Still online and answering.
        reply = phone.iq_get(me, "<ping xmlns='urn:xmpp:ping'/>")
        assert "error" not in reply, reply
        szia.expect(r"warn ad-hoc command http://jabber.org/protocol/"
                    r"rc#set-status from erin@localhost/phone refused")
    assert szia.quit() == 0


sziatest.main(globals())
