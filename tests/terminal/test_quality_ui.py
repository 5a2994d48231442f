#!/usr/bin/python3
"""Terminal tests for message quality: marks after sent lines, "(edited)"
and Alt-Up, styling attributes, the typing notice in the title bar,
bracketed paste and Alt-Enter (the real szia in tmux, against the
harness's Prosody with a slixmpp bob)."""

import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from tuitest import (alice_and_bob, login, my_jid, need_szia,  # noqa
                     quit, stop, title)

NS_RECEIPTS = "urn:xmpp:receipts"
NS_MARKERS = "urn:xmpp:chat-markers:0"
server = None
bob = None


def setup_module():
    global server, bob
    need_szia()
    server, bob = alice_and_bob()


def teardown_module():
    stop(bob, server)


def start():
    home, t = login(server)
    return home, t, my_jid(t)


def test_marks_move_and_correction_shows_edited():
    home, t, me = start()
    t.type("/msg bob@localhost hello there")
    m = bob.wait_message("hello there")
    t.wait_for(r"me: hello there \u2713\s")
    bob.send_raw("<message to='%s'><received xmlns='%s' id='%s'/>"
                 "</message>" % (me, NS_RECEIPTS, m["id"]))
    t.wait_for(r"me: hello there \u2713\u2713\s")
    bob.send_raw("<message to='alice@localhost' type='chat'><displayed "
                 "xmlns='%s' id='%s'/></message>" % (NS_MARKERS, m["id"]))
    t.wait_for(r"me: hello there \u2713\u2713\u2022")
    # Alt-Up: the last message, ready to correct.
    t.send_keys("M-Up")
    t.wait_for(r"^> /correct hello there\s*$")
    t.send_keys(" again", literal=True)
    t.send_keys("Enter")
    fix = bob.wait_message("hello there again")
    rep = ET.fromstring(fix["raw"]).find(
        "{urn:xmpp:message-correct:0}replace")
    assert rep is not None and rep.get("id") == m["id"], fix["raw"]
    s = t.wait_for(r"me: hello there again \(edited\) \u2713\s")
    assert "me: hello there \u2713" not in s, s
    quit(t)


def sgr_before(screen, text):
    """The SGR parameters in effect where TEXT starts (capture -e)."""
    i = screen.find(text)
    assert i >= 0, (text, screen)
    params = set()
    for m in re.finditer(r"\x1b\[([0-9;]*)m", screen[:i]):
        p = m.group(1)
        if p in ("", "0"):
            params = set()
        else:
            params |= set(p.split(";"))
        # A reset inside a longer list (0;1) starts over too.
        if p.startswith("0;"):
            params = set(p.split(";")[1:])
    return params


def test_styling_is_drawn_with_attributes():
    home, t, me = start()
    bob.send_message(me, "*loud* and `code` plain")
    t.wait_for(r"2:bob@localhost\*")
    t.send_keys("M-2")
    t.wait_for(r"Bob: \*loud\* and `code` plain")
    s = t.capture(escapes=True)
    assert "1" in sgr_before(s, "*loud*"), repr(s)
    assert "7" in sgr_before(s, "`code`"), repr(s)
    assert "1" not in sgr_before(s, " plain"), repr(s)
    # /set styling false: plain text again.
    t.type("/set styling false")
    # The command's answer, not the typed line: then it has been redrawn.
    t.wait_for(r"styling = false")
    s = t.capture(escapes=True)
    assert "1" not in sgr_before(s, "*loud*"), repr(s)
    quit(t)


def test_typing_shows_in_title():
    home, t, me = start()
    bob.send_message(me, "ping")
    t.wait_for(r"2:bob@localhost\*")
    t.send_keys("M-2")
    t.wait_for(r"Bob: ping")
    bob.send_raw("<message to='%s' type='chat'><composing xmlns="
                 "'http://jabber.org/protocol/chatstates'/></message>" % me)
    s = t.wait_for(r"\(typing\u2026\)")
    assert "(typing\u2026)" in title(s), title(s)
    bob.send_message(me, "pong")
    t.wait_gone(r"\(typing\u2026\)")
    # Bob uses chat states: typing here tells him, clearing the line too.
    n = len(bob.messages)
    t.send_keys("wait", literal=True)
    bob.wait_message(lambda d: bob.messages.index(d) >= n and
                     "<composing" in d["raw"] and d["body"] == "")
    t.send_keys("C-u")
    bob.wait_message(lambda d: bob.messages.index(d) >= n and
                     "<active" in d["raw"] and d["body"] == "")
    quit(t)


def test_paste_of_several_lines_sends_one_message():
    home, t, me = start()
    t.type("/msg bob@localhost")
    t.wait_for(r"^ Bob <bob@localhost>")
    t._tmux("set-buffer", "-b", "p", "first line\nsecond line\nthird")
    t._tmux("paste-buffer", "-p", "-b", "p", "-t", t.target)
    s = t.wait_for("^> first line\u21b5second line\u21b5third")
    t.send_keys("Enter")
    m = bob.wait_message("first line")
    assert m["body"] == "first line\nsecond line\nthird", m
    t.wait_for(r"me: first line")
    # One message, not three.
    assert not any(d["body"] == "second line" for d in bob.messages)
    quit(t)


def test_alt_enter_inserts_newline():
    home, t, me = start()
    t.type("/msg bob@localhost")
    t.wait_for(r"^ Bob <bob@localhost>")
    t.send_keys("roses", literal=True)
    t.send_keys("M-Enter")
    t.send_keys("violets", literal=True)
    t.wait_for("^> roses\u21b5violets")
    t.send_keys("Enter")
    m = bob.wait_message("roses")
    assert m["body"] == "roses\nviolets", m
    quit(t)


sziatest.main(globals())
