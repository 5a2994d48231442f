#!/usr/bin/python3
"""Terminal test: a group chat room in the real szia (tmux, 100x30):
the subject in the title bar, the occupant panel in place of the roster,
nick completion and the unread and highlight marks in the status bar.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402
from tuitest import BORDER, need_szia, szia  # noqa: E402

ROOM = "tea@conference.localhost"
NS_MUC = "http://jabber.org/protocol/muc"
server = None


def setup_module():
    global server
    need_szia()
    server = Prosody(users={"alice": "alicepw", "bob": "bobpw"}).start()


def teardown_module():
    if server is not None:
        server.stop()


def test_room_title_panel_completion():
    home = server.account_home("alice")
    with Peer("bob@localhost", "bobpw", server.port) as b:
        b.send_raw("<presence to='%s/bob'><x xmlns='%s'/></presence>"
                   % (ROOM, NS_MUC))
        b.wait_presence(lambda d: d["from"] == ROOM + "/bob" and
                        "110" in d["raw"])
        b.iq_set(ROOM, "<query xmlns='%s#owner'><x xmlns='jabber:x:data' "
                 "type='submit'/></query>" % NS_MUC)
        b.send_raw("<message to='%s' type='groupchat'><subject>Weekly "
                   "sync</subject></message>" % ROOM)
        t = szia(home)
        with t:
            t.wait_for(r"Connected as alice@localhost/")
            t.type("/join " + ROOM)
            s = t.wait_for(r"^ %s: Weekly sync" % ROOM)
            title = s.split("\n")[0]
            assert "Weekly sync" in title, title
            s = t.wait_for(BORDER + r"Moderators")
            s = t.wait_for(BORDER + r"~bob")
            assert BORDER + "Participants" in s, s
            assert BORDER + " alice" in s, s
            # Tab completes a nick; at the line start with ": ".
            t.send_keys("bo", literal=True)
            t.send_keys("Tab")
            t.wait_for(r"^> ?bob:\s*$")   # (tmux trims the space)
            t.send_keys("C-u")
            # Messages in a window we are not looking at: marked.
            t.type("/win 1")
            t.wait_for(r"^ szia console")
            # Unread: "*"; a mention also "!" (no colour needed).
            b.send_message(ROOM, "anyone?", mtype="groupchat")
            t.wait_for(r"2:%s\*\]" % ROOM)
            b.send_message(ROOM, "alice: tea?", mtype="groupchat")
            t.wait_for(r"2:%s\*!\]" % ROOM)
            t.type("/win 2")
            t.wait_for(r"bob: alice: tea\?")
            t.type("/quit")
            assert t.wait_exit(10) == 0


sziatest.main(globals())
