#!/usr/bin/python3
"""Terminal tests of the roster panel and the status bar: each presence's
mark and the (sanitised) status text in the panel, /set roster.width, and
the connection state while szia reconnects (the real szia in tmux, 100x30,
against the harness's Prosody; szia reaches it through a sziatest.Proxy
that can cut the connection without stopping the server)."""

import os
import re
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody, Proxy  # noqa: E402
from tuitest import (BORDER, W, border_columns,  # noqa: E402
                     input_line, login, need_szia, panel, quit, rows, settle,
                     status_bar, stop, title, width_of)

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw"}
server = None
bob = None
carol = None


def setup_module():
    global server, bob, carol
    need_szia()
    server = Prosody(users=dict(USERS)).start()
    for user in ("bob", "carol", "dave"):      # dave never comes online
        server.make_friends("alice", user, group="Friends",
                            names=("Alice", user.capitalize()))
    bob = Peer("bob@localhost", "bobpw", server.port).start()
    carol = Peer("carol@localhost", "carolpw", server.port).start()


def teardown_module():
    stop(bob, carol, server)


def start(port=None, sziarc=None):
    home = server.account_home("alice", port=port or server.port)
    if sziarc is not None:
        home.write_sziarc(sziarc)
    return login(server, home, panel="Friends")[1]


def online_bar(s):
    assert re.match(r" \[alice@localhost/\S+ \(online\)\] \[1\]",
                    status_bar(s)), status_bar(s)


def border_at(col):
    """A check: the border is in column COL on every window row."""
    def check(s):
        cols = border_columns(s)
        assert set(cols.values()) == {col}, cols
        assert all(width_of(r) <= W for r in rows(s)), rows(s)
    return check


def test_panel_shows_marks_and_sanitised_status():
    t = start()
    # Away with a status text full of controls: C1 CSI (ESC itself is
    # not allowed in XML), CR (Prosody passes it on raw, so it arrives as
    # a newline) and DEL.
    bob.send_raw("<presence><show>away</show><status>call&#x9b;2J&#13;now"
                 "&#127;</status></presence>")
    carol.send_presence(pshow="xa", pstatus="gone fishing")

    def marks(s):
        p = panel(s)
        assert p[0] == "Friends", p
        assert any(re.fullmatch("~Bob call\ufffd2J[\u240d\u2424]now\u2421",
                                x) for x in p), p
        assert "-Carol gone fishing" in p, p
        assert " Dave" in p, p                  # offline: no mark
        online_bar(s)
        assert title(s).startswith(" szia console"), title(s)
        assert input_line(s).startswith(">"), input_line(s)
        assert set(border_columns(s).values()) == {W - 25}, s
    settle(t, marks)
    # Live updates, and the other shows' marks.
    bob.send_presence(pshow="dnd", pstatus="meeting")
    carol.send_presence(pshow="chat")

    def changed(s):
        p = panel(s)
        assert "!Bob meeting" in p, p
        assert "+Carol" in p, p
    settle(t, changed)
    bob.send_presence()
    t.wait_for(BORDER + r"\*Bob\s*$")
    quit(t)


def test_roster_width_moves_the_border():
    t = start()
    settle(t, border_at(W - 25))               # roster.width 24
    t.type("/set roster.width 30")
    t.wait_for(r"roster\.width = 30")
    settle(t, border_at(W - 31))
    t.type("/set roster.width 10")
    t.wait_for(r"roster\.width = 10")
    settle(t, border_at(W - 11))
    t.type("/set roster.width 5")              # below the minimum
    t.wait_for(r"roster\.width must be a number from 10 to 80")
    settle(t, border_at(W - 11))
    # The widest: the chat keeps 20 columns...
    t.type("/set roster.width 80")
    settle(t, border_at(W - 81))
    # ...and on a narrower screen the panel gives way to the chat.
    t.resize(W - 1, 30)

    def hidden(s):
        assert BORDER not in s, s
        assert "Friends" not in s, s
    settle(t, hidden)
    t.resize(W, 30)
    settle(t, border_at(W - 81))
    quit(t)


def test_status_bar_while_reconnecting():
    """Connection lost: "reconnecting in Ns" counting down; a connection
    that hangs: "connecting JID"; then online again."""
    proxy = Proxy(server.port).start()
    hang = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    hang.bind(("127.0.0.1", 0))
    hang.listen(4)                             # accepts, never answers
    try:
        t = start(port=proxy.port, sziarc="[reconnect]\nmax = 5\n")
        settle(t, online_bar)
        t.wait_for(BORDER + r"[*!~+-]Bob")
        proxy.refuse(True)
        proxy.cut()
        rx = re.compile(r"^ \[reconnecting in (\d+)s\] \[1\]")
        # The seconds shown during each wait, keyed by the console's last
        # lines ("Reconnecting (attempt N)...", "... reconnecting in 4.4
        # s."), which differ from one wait to the next.
        waits = {}

        def counting_down(s):
            m = rx.match(status_bar(s))
            assert m, status_bar(s)
            n = int(m.group(1))
            assert 1 <= n <= 5, status_bar(s)
            text = [r.split(BORDER)[0].strip() for r in rows(s)[1:-2]]
            key = tuple([r for r in text if r][-3:])
            shown = waits.setdefault(key, set())
            shown.add(n)
            assert any(k - 1 in shown for k in shown), waits
            p = panel(s)
            assert any(x.startswith(" Bob") for x in p), p  # offline
        settle(t, counting_down, timeout=30)
        # The next attempt reaches a server that never answers.
        proxy.target_port = hang.getsockname()[1]
        proxy.refuse(False)

        def connecting(s):
            assert re.match(r" \[connecting alice@localhost\] \[1\]",
                            status_bar(s)), status_bar(s)
        settle(t, connecting, timeout=30)
        # The real server again: szia gives up on the hung attempt only
        # when its connection breaks; then it is back.
        proxy.target_port = server.port
        proxy.cut()
        settle(t, online_bar, timeout=30)
        t.wait_for(BORDER + r"[*!~+-]Bob")
        quit(t)
    finally:
        proxy.stop()
        hang.close()


sziatest.main(globals())
