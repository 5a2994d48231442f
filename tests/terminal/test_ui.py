#!/usr/bin/python3
"""Terminal tests: the real szia in a private tmux server (100x30,
TERM=tmux-256color unless a test says otherwise), checked through screen
captures; tests/lib/tuitest.py describes the layout.
"""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import SziaHome  # noqa: E402
from tuitest import (BORDER, H, W, alice_and_bob,  # noqa: E402
                     border_columns, input_line, login, my_jid, need_szia,
                     quit, rows, settle, status_bar, stop, szia, title,
                     width_of)

server = None
bob = None


def setup_module():
    global server, bob
    need_szia()
    server, bob = alice_and_bob(users={"carol": "carolpw"}, resource="echo",
                                auto_reply=lambda body: "echo: " + body)


def teardown_module():
    stop(bob, server)


def start(account=True, home=None, **kw):
    """szia in tmux (KW as for tuitest.szia()), logged in as alice with bob
    online in the panel (account=True), or not logged in."""
    home = home or SziaHome()
    if not account:
        t = szia(home, None, **kw)
        t.wait_for(r"Welcome to szia")
        return home, t
    if not os.path.exists(home.accounts_path):
        server.account_home("alice", home)
    return login(server, home, **kw)


def border_ok(width=W, height=H):
    """A check: the roster border is in one column on every window row."""
    def check(s):
        cols = border_columns(s, height)
        assert set(cols.values()) == {width - 25}, cols   # roster.width 24
    return check


# -----------------------------------------------------------------------------

def test_layout_after_login():
    home, t = start()

    def check(s):
        assert "szia console" in title(s), title(s)
        assert re.search(r"^ \[alice@localhost/\S+ \(online\)\] \[1\]",
                         status_bar(s)), status_bar(s)
        assert input_line(s).startswith(">"), input_line(s)
        border_ok()(s)
        r = rows(s)
        assert r[1].endswith(BORDER + "Friends"), r[1]
        assert r[2].endswith(BORDER + "*Bob"), r[2]
    settle(t, check)
    quit(t)


def sgr_at(row, text):
    """The SGR parameters in effect where TEXT starts on ROW (a row of
    capture-pane -e)."""
    plain, params, spans = "", set(), []
    for part in re.split(r"(\x1b\[[0-9;]*m)", row):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
        if m is None:
            spans.append((len(plain), len(plain) + len(part),
                          frozenset(params)))
            plain += part
            continue
        for p in m.group(1).split(";"):
            if p in ("", "0"):
                params = set()
            else:
                params.add(p)
    i = plain.find(text)
    assert i >= 0, (text, row)
    return next(p for a, b, p in spans if a <= i < b)


def layout_intact(s):
    assert "szia console" in title(s), title(s)
    assert re.search(r"^ \[alice@localhost/\S+ \(online\)\] \[1\]",
                     status_bar(s)), status_bar(s)
    assert input_line(s).startswith(">"), input_line(s)
    border_ok()(s)
    assert rows(s)[2].endswith(BORDER + "*Bob"), rows(s)[2]


def colour_probe_home():
    """A home whose theme draws info lines bright red (without bold)."""
    home = SziaHome()
    themes = os.path.join(home.config_home, "szia", "themes")
    os.makedirs(themes, exist_ok=True)
    with open(os.path.join(themes, "probe.theme"), "w") as f:
        f.write("[colours]\ninfo = brightred\n")
    with open(os.path.join(home.config_home, "szia", "sziarc"), "w") as f:
        f.write("theme = probe\n")
    return home


def info_sgr(t):
    """SGR parameters of the "Connected as" info line."""
    for row in rows(t.capture(escapes=True)):
        if "Connected as" in row:
            return sgr_at(row, "Connected as")
    raise AssertionError(t.capture())


def test_layout_in_16_colours():
    """TERM with 16 colours (a terminfo entry compiled here: Debian's
    ncurses-base has none): the layout is drawn and bright colours are
    used as such (SGR 9x), not turned into bold."""
    home = colour_probe_home()
    ti = os.path.join(home.dir, "terminfo")
    src = os.path.join(home.dir, "szia-16color.src")
    with open(src, "w") as f:
        f.write("szia-16color|tmux with 16 colours,\n"
                "\tcolors#16, pairs#256,\n"
                "\tsetaf=\\E[%?%p1%{8}%<%t3%p1%d%e9%p1%{8}%-%d%;m,\n"
                "\tsetab=\\E[%?%p1%{8}%<%t4%p1%d%e10%p1%{8}%-%d%;m,\n"
                "\tuse=tmux,\n")
    os.makedirs(ti)
    subprocess.run(["tic", "-x", "-o", ti, src], check=True,
                   stdout=subprocess.DEVNULL)
    home, t = start(term="szia-16color", home=home, TERMINFO=ti)
    settle(t, layout_intact)
    top = rows(t.capture(escapes=True))[0]
    # title = brightwhite on blue, bold
    assert {"97", "44"} <= sgr_at(top, "szia console"), repr(top)
    params = info_sgr(t)
    assert "91" in params and "1" not in params, params
    quit(t)


def test_layout_in_8_colours():
    """TERM=screen (8 colours): the same layout; a bright colour becomes
    the basic one in bold."""
    home, t = start(term="screen", home=colour_probe_home())
    settle(t, layout_intact)
    params = info_sgr(t)
    assert {"31", "1"} <= params, params
    assert not any(p.startswith(("9", "10", "38")) for p in params), params
    quit(t)


def test_chat_window_and_wide_characters():
    home, t = start()
    t.type("/msg bob@localhost h\u00e9llo \u4e16\u754c")
    t.wait_for(r"Bob: echo: h\u00e9llo \u4e16\u754c")

    def check(s):
        assert title(s).startswith(" Bob <bob@localhost> - online"), \
            title(s)
        assert re.search(r"\d\d:\d\d me: h\u00e9llo \u4e16\u754c", s), s
        assert re.search(r"\] \[1 2:bob@localhost\]", status_bar(s)), \
            status_bar(s)
        border_ok()(s)
    settle(t, check)
    # A line of wide characters longer than the window wraps inside it.
    wide = "\u4e16\u754c" * 45 + "!"
    t.type(wide)
    t.wait_for(r"\u754c!(.|\n)*\u754c!")      # sent and echoed

    def wrapped(s):
        border_ok()(s)
        assert all(width_of(x) <= W for x in rows(s)), rows(s)
        text = "".join(x.split(BORDER)[0].strip() for x in rows(s)[1:H - 2])
        assert wide in text.replace(" ", ""), text
    settle(t, wrapped)
    # The message is in window 2 only.
    t.send_keys("M-1")

    def console(s):
        assert title(s).startswith(" szia console"), title(s)
        assert "Connected as" in s, s
        assert "h\u00e9llo" not in "\n".join(rows(s)[1:H - 2]), s
        border_ok()(s)
    settle(t, console)
    quit(t)


def test_window_switching_and_unread_mark():
    home, t = start()
    me = my_jid(t)
    t.type("/msg bob@localhost switch test")
    t.wait_for(r"Bob: echo: switch test")
    t.send_keys("M-1")
    t.wait_for(r"^ szia console")
    t.send_keys("M-2")
    t.wait_for(r"^ Bob <bob@localhost>")
    t.type("/win 1")

    def console(s):
        assert title(s).startswith(" szia console"), title(s)
        assert "Connected as" in s, s
        assert "2:bob@localhost]" in status_bar(s), status_bar(s)
    settle(t, console)
    bob.send_message(me, "while you look elsewhere")

    def unread(s):
        assert title(s).startswith(" szia console"), title(s)
        # Unread ("*"), and for us ("!": a one-to-one message): both
        # visible without colour.
        assert "2:bob@localhost*!]" in status_bar(s), status_bar(s)
        assert "while you look elsewhere" not in s, s
    settle(t, unread)
    t.send_keys("M-2")

    def read(s):
        assert "Bob: while you look elsewhere" in s, s
        assert "2:bob@localhost]" in status_bar(s), status_bar(s)
    settle(t, read)
    quit(t)


def test_scrolling_with_page_keys():
    home, t = start()
    me = my_jid(t)
    t.type("/msg bob@localhost")
    t.wait_for(r"^ Bob <bob@localhost>")
    for i in range(1, 101):
        bob.send_message(me, "scroll line %03d" % i)
    t.wait_for(r"Bob: scroll line 100")
    t.send_keys("PageUp")

    def up(s):
        assert "more below" in status_bar(s), status_bar(s)
        assert "scroll line 100" not in s, s
        assert re.search(r"scroll line 0[0-9][0-9]", s), s
    settle(t, up)
    t.send_keys("PageDown")

    def down(s):
        assert "more below" not in s, s
        assert "scroll line 100" in s, s
    settle(t, down)
    quit(t)


def test_f2_toggles_roster_panel():
    home, t = start()
    t.send_keys("F2")

    def hidden(s):
        assert BORDER not in s, s
        assert "Friends" not in s and "*Bob" not in s, s
        assert "Connected as" in s, s
    settle(t, hidden)
    t.send_keys("F2")

    def shown(s):
        assert BORDER + "Friends" in s, s
        border_ok()(s)
    settle(t, shown)
    quit(t)


def test_resize_redraws_layout():
    home, t = start()
    t.type("/msg bob@localhost before resize")
    t.wait_for(r"Bob: echo: before resize")
    t.resize(60, 20)

    def check(s):
        r = rows(s, 20)
        assert len(s.rstrip("\n").split("\n")) <= 20, s
        assert all(width_of(x) <= 60 for x in r), r
        assert r[0].startswith(" Bob <bob@localhost>"), r
        assert r[18].startswith(" [alice@localhost/"), r
        assert "(online)] [1 2:bob@" in r[18], r
        assert r[19].startswith(">"), r
        # Exactly one status bar, and the border in one column again.
        assert sum("(online)]" in x for x in r) == 1, r
        border_ok(60, 20)(s)
        assert "echo: before resize" in s, s
    settle(t, check)
    quit(t)


def test_password_prompt_does_not_echo():
    home, t = start(account=False)
    t.type("/connect alice@localhost 127.0.0.1:%d" % server.port)
    s = t.wait_for(r"Password for alice@localhost")
    assert "Password for alice@localhost" in input_line(s), input_line(s)
    t.send_keys("alicepw", literal=True)
    # Nothing to wait for when nothing is shown: watch the screen for a
    # while instead (a bounded check that the text never appears).
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        s = t.capture()
        assert "alicepw" not in s, s
    t.send_keys("Enter")
    s = t.wait_for(r"SHA-256 fingerprint")
    assert "alicepw" not in s, s
    t.type("/tls trust")
    s = t.wait_for(r"Connected as alice@localhost/")   # the password worked
    assert "alicepw" not in s, s
    quit(t)


def test_tab_completion():
    home, t = start()
    t.send_keys("/ros", literal=True)
    t.send_keys("Tab")
    t.wait_for(r"^> ?/roster")
    t.send_keys("C-u")
    t.wait_for(r"^>\s*$")
    quit(t)


def test_tab_completes_paths_for_sendfile():
    """A folder completes with "/" and no space, so the next Tab goes on
    inside it; a file completes whole."""
    home, t = start()
    os.makedirs(os.path.join(home.dir, "pics"))
    with open(os.path.join(home.dir, "pics", "cat.png"), "w") as f:
        f.write("x")
    t.send_keys("/sendfile %s/pi" % home.dir, literal=True)
    t.send_keys("Tab")
    t.wait_for(r"^> ?/sendfile \S+/pics/$")
    t.send_keys("c", literal=True)
    t.send_keys("Tab")
    t.wait_for(r"^> ?/sendfile \S+/pics/cat\.png\s*$")
    t.send_keys("C-u")
    t.wait_for(r"^>\s*$")
    quit(t)


def test_help_and_unknown_command():
    # Tall enough for the whole command list (issue 4 adds commands).
    home, t = start(height=70)
    t.type("/help")
    t.wait_for(r"Commands \(/help COMMAND for details\)")
    t.wait_for(r"/msg JID\|NAME")
    t.type("/frobnicate")
    s = t.wait_for(r"Unknown command /frobnicate")
    assert s.count("Unknown command") == 1, s
    quit(t)


def test_hostile_body_is_shown_harmlessly():
    home, t = start()
    me = my_jid(t)
    t.type("/msg bob@localhost")
    t.wait_for(r"^ Bob <bob@localhost>")
    # (ESC itself is not allowed in XML; C1 CSI U+009B is.)
    bob.send_raw("<message to='%s' type='chat'><body>AA&#x9b;31mRED&#13;"
                 "BB[2J</body></message>" % me)
    bob.send_raw("<message to='%s' type='chat'><body>CC&#x9b;2J&#127;DD"
                 "&#x9b;H</body></message>" % me)
    t.wait_for(r"Bob: CC")

    def check(s):
        assert re.search(r"Bob: AA\ufffd31mRED", s), s
        assert re.search(r"Bob: CC\ufffd2J(\u2421|\?)DD", s), s
        # Nothing was cleared or moved: the layout is intact.
        assert title(s).startswith(" Bob <bob@localhost>"), title(s)
        assert "(online)]" in status_bar(s), status_bar(s)
        assert input_line(s).startswith(">"), input_line(s)
        border_ok()(s)
    settle(t, check)
    esc = t.capture(escapes=True)
    assert "\x1b[31m" not in esc.split("RED")[0][-20:], repr(esc)
    quit(t)


def test_theme_load():
    home, t = start()
    t.type("/theme load light")
    t.wait_for(r"Theme light loaded\.")
    t.type("/theme load nosuch")
    t.wait_for(r"/theme load: .*")

    def check(s):
        lines = [x for x in rows(s) if "/theme load:" in x]
        assert len(lines) == 1 and "nosuch" in lines[0], lines
    settle(t, check)
    quit(t)


def test_quit_exits_zero():
    home, t = start()
    t.type("/quit")
    assert t.wait_exit(10) == 0


sziatest.main(globals(), requires=("prosody", "prosodyctl", "openssl",
                                   "tmux"))
