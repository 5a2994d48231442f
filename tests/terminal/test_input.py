#!/usr/bin/python3
"""Terminal tests of the input line and the window keys: readline's Emacs
editing keys, each window's own input history, Alt-Left/Alt-Right and
Alt-0 (the real szia in tmux, 100x30, against the harness's Prosody with
a slixmpp bob who echoes)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from tuitest import (alice_and_bob, input_line, login, need_szia,  # noqa
                     quit, settle, stop, title)

server = None
bob = None


def setup_module():
    global server, bob
    need_szia()
    server, bob = alice_and_bob(resource="echo",
                                auto_reply=lambda body: "echo: " + body)


def teardown_module():
    stop(bob, server)


def start():
    return login(server)[1]


def typed(t, text):
    """Wait until the input line holds exactly TEXT (tmux drops trailing
    blanks, so TEXT must not end in one)."""
    def check(s):
        assert input_line(s).rstrip() == ("> " + text).rstrip(), \
            input_line(s)
    settle(t, check)


def window(t, regex):
    t.wait_for(r"^ " + regex)


def test_emacs_keys_edit_the_line():
    t = start()
    t.type("/msg bob@localhost")
    window(t, "Bob <bob@localhost>")
    t.send_keys("world", literal=True)
    t.send_keys("C-a")                          # start of line
    t.send_keys("hello ", literal=True)
    t.send_keys("C-e")                          # end of line
    t.send_keys("!", literal=True)
    typed(t, "hello world!")
    t.send_keys("M-b")                          # back to "world!"
    t.send_keys("C-k")                          # kill to the end
    t.send_keys("X", literal=True)
    typed(t, "hello X")
    t.send_keys("BSpace")
    t.send_keys("there friend", literal=True)
    t.send_keys("C-w")                          # kill "friend"
    t.send_keys("you", literal=True)
    typed(t, "hello there you")
    t.send_keys("M-b", "M-b", "M-f")            # after "there"
    t.send_keys(",", literal=True)
    t.send_keys("C-y")                          # yank "friend" back
    typed(t, "hello there,friend you")
    t.send_keys("Enter")
    m = bob.wait_message("hello there,friend you")
    assert m["body"] == "hello there,friend you", m
    t.wait_for(r"me: hello there,friend you( |$)")
    t.wait_for(r"Bob: echo: hello there,friend you( |$)")
    typed(t, "")
    quit(t)


def test_history_is_per_window():
    t = start()
    t.type("/msg bob@localhost")               # console's history
    window(t, "Bob <bob@localhost>")
    t.type("only in the chat")
    t.wait_for(r"Bob: echo: only in the chat")
    t.send_keys("M-1")
    window(t, "szia console")
    t.type("/help win")
    t.wait_for(r"usage: /win")
    # The chat window: its own line, and nothing older.
    t.send_keys("M-2")
    window(t, "Bob <bob@localhost>")
    t.send_keys("Up")
    typed(t, "only in the chat")
    t.send_keys("Up", "C-e")
    t.send_keys("+", literal=True)              # all keys seen by now
    typed(t, "only in the chat+")
    t.send_keys("C-u")
    typed(t, "")
    # The console: its two lines, newest first, and not the chat's.
    t.send_keys("M-1")
    window(t, "szia console")
    t.send_keys("Up")
    typed(t, "/help win")
    t.send_keys("Up")
    typed(t, "/msg bob@localhost")
    t.send_keys("Up", "C-e")
    t.send_keys("+", literal=True)
    typed(t, "/msg bob@localhost+")
    t.send_keys("C-u")
    typed(t, "")
    # Leaving a window keeps the text on the input line, but the chat's
    # history has its line as it was sent (the edits above were undone).
    t.send_keys("draft", literal=True)
    t.send_keys("M-2")
    window(t, "Bob <bob@localhost>")
    typed(t, "draft")
    t.send_keys("C-u", "Up")
    typed(t, "only in the chat")
    t.send_keys("Down")
    typed(t, "")
    quit(t)


def test_alt_arrows_and_alt_0():
    t = start()
    for n in range(2, 10):                      # windows 2..9
        t.type("/msg u%d@localhost" % n)
        window(t, r"u%d@localhost" % n)
    t.send_keys("M-1")
    window(t, "szia console")
    # Alt-Left from the first window wraps to the last, Alt-Right back.
    t.send_keys("M-Left")
    window(t, r"u9@localhost")
    t.send_keys("M-Right")
    window(t, "szia console")
    t.send_keys("M-Right")
    window(t, r"u2@localhost")
    t.send_keys("M-Right")
    window(t, r"u3@localhost")
    t.send_keys("M-Left")
    window(t, r"u2@localhost")
    # Alt-0 is window 10: none yet, so nothing happens.
    t.send_keys("M-0")
    t.send_keys("+", literal=True)
    typed(t, "+")

    def still_2(s):
        assert title(s).startswith(" u2@localhost"), title(s)
    settle(t, still_2)
    t.send_keys("C-u")
    t.type("/msg u10@localhost")
    window(t, r"u10@localhost")
    t.send_keys("M-1")
    window(t, "szia console")
    t.send_keys("M-0")
    window(t, r"u10@localhost")
    t.send_keys("M-Right")
    window(t, "szia console")
    quit(t)


sziatest.main(globals())
