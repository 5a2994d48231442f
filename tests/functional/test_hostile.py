#!/usr/bin/python3
"""Functional tests: hostile remote input.

Everything a contact controls (bodies, roster names and groups, status
texts, resources, error texts, IQs) must reach the user's terminal without
control characters or escape sequences, and must not crash szia or change
its state behind the user's back.

szia-headless prints what a screen would show; its output is read as bytes
(Headless keeps ``raw_lines``) and checked byte for byte.  Note that XML
forbids most C0 controls outright, and a \\r arrives as \\n after the XML
parser's line-end normalisation, so what can reach szia through a server is
\\t, \\n, DEL, C1 controls (U+0080-U+009F) and Unicode format characters.
"""

import os
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Headless, Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw", "erin": "erinpw"}
server = None

# The hostile characters as XML character references (what a peer can
# send), and their Python values.
HOSTILE_XML = "&#13;&#9;&#127;&#x9b;31m&#x85;&#x202e;"
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()
    for user in ("alice", "carol", "dave", "erin"):
        server.make_friends(user, "bob", group="Friends",
                            names=(user.capitalize(), "Bob"))


def teardown_module():
    if server is not None:
        server.stop()


def start(user, home=None, **account):
    if home is None:
        home = server.account_home(user, **account)
    szia = Headless(home, account=user)
    m = szia.expect(r"^W1 console \| info Connected as (.+)\.$", 15)
    szia.wait_state("online")
    szia.wait_roster("bob@localhost")
    return home, szia, m.group(1)


def bob(resource="evil"):
    return Peer("bob@localhost", USERS["bob"], server.port,
                resource=resource).start()


def bad_chars(raw, bidi=False):
    """What is wrong with one output line (bytes), as a list of strings:
    C0 controls and DEL, invalid UTF-8, C1 controls, and with bidi=True
    the bidirectional embedding/override/isolate controls."""
    bad = ["byte 0x%02x" % b for b in raw if b < 0x20 or b == 0x7f]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return bad + ["invalid UTF-8: %s" % exc]
    bad += ["U+%04X" % ord(c) for c in text
            if 0x80 <= ord(c) <= 0x9f or (bidi and c in BIDI)]
    return bad


def assert_clean(szia, bidi=False):
    """No line szia printed carries a control character, invalid UTF-8 or
    a C1 control (nor, with bidi=True, a bidi control: those are checked
    by one test of their own so that they do not hide other failures)."""
    problems = [(l, bad_chars(l, bidi)) for l in szia.raw_lines
                if bad_chars(l, bidi)]
    assert not problems, "unsafe output:\n" + "\n".join(
        "  %r: %s" % (l, ", ".join(b)) for l, b in problems)


def alive(szia):
    """szia still answers commands."""
    szia.send("/status")
    szia.expect(r"^W\d+ \S+ \| info You are ")


def logged(home, user):
    db = sqlite3.connect("file:%s?mode=ro" % home.logdb(user), uri=True,
                         timeout=10)
    try:
        return [r[0] for r in db.execute(
            "SELECT body FROM messages WHERE dir = 0 ORDER BY id")]
    finally:
        db.close()


# -- text ---------------------------------------------------------------------

def test_hostile_body_is_shown_escaped():
    home, szia, me = start("alice")
    with bob() as b:
        b.send_raw("<message to='alice@localhost' type='chat' id='h1'>"
                   "<body>a%sz</body></message>" % HOSTILE_XML)
        b.send_message("alice@localhost", "after")
        szia.expect(r"^W2 bob@localhost \| in Bob: after$")
    # \r arrived as a line break (XML); the rest is on the next line.
    i = szia.lines.index("W2 bob@localhost | in Bob: a")
    rest = szia.lines[i + 1]
    assert rest.startswith(" \u2421"), (rest, "tab as space, DEL as \u2421")
    assert "31m" in rest and rest.endswith("z"), rest
    assert_clean(szia)
    # The log keeps what was received; only the display is cleaned.
    assert logged(home, "alice")[0] == \
        "a\n\t\x7f\x9b31m\x85\u202ez", logged(home, "alice")
    alive(szia)
    assert szia.quit() == 0


def test_hostile_status_text():
    home, szia, me = start("carol")
    szia.send("/msg bob@localhost")
    with bob() as b:
        b.send_raw("<presence><show>away</show><status>s%sx&#10;y"
                   "</status></presence>" % HOSTILE_XML)
        m = szia.expect(r"^W2 bob@localhost \| presence Bob is now away: "
                        r"(.*)$")
        status = m.group(1)
        assert "\u2424" in status, status     # newlines as a picture
        assert "\u2421" in status, status
        szia.send("/roster")
        szia.expect(r"^W2 bob@localhost \| info   Bob <bob@localhost> - "
                    r"away: ")
    assert_clean(szia)
    alive(szia)
    assert szia.quit() == 0


def test_hostile_roster_name_and_group():
    # Stored on the server before szia logs in (another session of dave).
    with Peer("dave@localhost", USERS["dave"], server.port,
              resource="setup") as d:
        d.send_raw("<iq type='set' id='hostile-roster'><query "
                   "xmlns='jabber:iq:roster'><item jid='bob@localhost' "
                   "name='B%so'><group>G%sg</group></item></query></iq>"
                   % (HOSTILE_XML, HOSTILE_XML))
        d.iq_get(None, "<query xmlns='jabber:iq:roster'/>")   # in order
    home, szia, me = start("dave")
    rows = szia.roster()
    assert len(rows) == 1 and rows[0][1] == "bob@localhost", rows
    group, _, display, _ = rows[0]
    assert display.startswith("B") and display.endswith("o"), rows
    assert "\u2421" in display and group.startswith("G"), rows
    szia.send("/roster")
    szia.expect(r"^W1 console \| info   B.*o <bob@localhost> - ")
    with bob() as b:
        b.send_message("dave@localhost", "named")
        szia.expect(r"^W2 bob@localhost \| in B.*o: named$")
    assert_clean(szia)
    alive(szia)
    assert szia.quit() == 0


def test_long_lines_and_100k_body():
    home, szia, me = start("erin")
    long_line = "w" * 5000
    big = ("ab\u202ecd\x7f " * 20000)[:100000]
    with bob() as b:
        b.send_message("erin@localhost", long_line)
        b.send_message("erin@localhost", big)
        b.send_message("erin@localhost", "after big")
        szia.expect(r"^W2 bob@localhost \| in Bob: w{5000}$")
        szia.expect(r"^W2 bob@localhost \| in Bob: after big$", timeout=20)
    shown = [l for l in szia.lines if l.startswith(
        "W2 bob@localhost | in Bob: ab")]
    assert len(shown) == 1, [l[:80] for l in shown]
    assert len(shown[0]) >= 100000 - 100, len(shown[0])
    assert_clean(szia)
    assert logged(home, "erin") == [long_line, big, "after big"]
    alive(szia)
    assert szia.quit() == 0


def test_odd_resources():
    # resourceprep (RFC 7622) keeps control and bidi characters out of
    # resources; what it allows must still be escaped correctly in XML.
    mine = "szia <&'\"> \u260e"
    home, szia, me = start("alice", resource=mine)
    assert me == "alice@localhost/" + mine, me
    theirs = "ph<o>n&e '\" \u260e " + "r" * 200
    with bob(theirs) as b:
        b.send_message(me, "from the odd one")
        szia.expect(r"^W2 bob@localhost \| in Bob: from the odd one$")
        szia.send("/win 2")
        szia.send("locked reply")
        m = b.wait_message("locked reply")
        assert m["to"] == "bob@localhost/" + theirs, m
        assert m["from"] == me, m
    assert_clean(szia)
    assert szia.quit() == 0


def test_bidi_controls_do_not_reach_the_terminal():
    # U+202E RIGHT-TO-LEFT OVERRIDE and friends reorder what follows them on
    # terminals with bidi support ("Trojan Source"): a name, status or body
    # must not be able to make other text appear reversed or moved.
    home, szia, me = start("carol")
    szia.send("/msg bob@localhost")
    with bob() as b:
        b.send_raw("<presence><show>dnd</show><status>st&#x202e;atus"
                   "&#x2067;x</status></presence>")
        szia.expect(r"^W2 bob@localhost \| presence Bob is now dnd: st")
        b.send_raw("<message to='carol@localhost' type='chat'><body>"
                   "evil&#x202e;txt.exe&#x202d;&#x2066;x&#x2069;</body>"
                   "</message>")
        szia.expect(r"^W2 bob@localhost \| in Bob: evil")
    assert_clean(szia, bidi=True)
    assert szia.quit() == 0


# -- protocol -----------------------------------------------------------------

def test_roster_push_from_contact_is_refused():
    home, szia, me = start("alice")
    with bob() as b:
        reply = ET.fromstring(b.iq_set(
            me, "<query xmlns='jabber:iq:roster'><item "
            "jid='mallory@evil.example' name='Mallory'/></query>"))
        # szia itself refused it (not the server on its behalf).
        assert reply.get("type") == "error", ET.tostring(reply)
        assert reply.get("from") == me, ET.tostring(reply)
    rows = szia.roster()
    assert not any("mallory" in r[1] or "Mallory" in r[2] for r in rows), \
        rows
    assert ("Friends", "bob@localhost", "Bob") in [r[:3] for r in rows], rows
    assert not any("allory" in l for l in szia.lines), szia.lines
    alive(szia)
    assert szia.quit() == 0


def test_fake_iq_results_are_ignored():
    home, szia, me = start("alice")
    with bob() as b:
        b.send_raw("<iq type='result' id='fake-1' to='%s'/>" % me)
        b.send_raw("<iq type='error' id='fake-2' to='%s'><error "
                   "type='cancel'><item-not-found xmlns='urn:ietf:params:"
                   "xml:ns:xmpp-stanzas'/></error></iq>" % me)
        # A "roster result" with a guessed id must not replace the roster.
        for guess in ("1", "roster", "_xmpp_bind1", "szia1"):
            b.send_raw("<iq type='result' id='%s' to='%s'><query "
                       "xmlns='jabber:iq:roster'><item "
                       "jid='mallory@evil.example' name='Mallory'/>"
                       "</query></iq>" % (guess, me))
        # szia still answers: a ping round trip after the fakes.
        reply = ET.fromstring(b.iq_get(me, "<ping xmlns='urn:xmpp:ping'/>"))
        assert reply.get("type") == "result", ET.tostring(reply)
    rows = szia.roster()
    assert [r[1] for r in rows] == ["bob@localhost"], rows
    assert not any(re.search(r"\| (error|info) ", l) for l in
                   szia.lines[szia.lines.index("STATE online") + 1:]
                   if not l.startswith(("DRIVER", "ROSTER"))), szia.lines
    alive(szia)
    assert szia.quit() == 0


def test_error_message_shows_one_failed_line():
    home, szia, me = start("alice")
    with bob() as b:
        b.send_raw("<message type='error' to='%s' id='e1'><body>x</body>"
                   "<error type='cancel'><item-not-found xmlns='urn:ietf:"
                   "params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:"
                   "params:xml:ns:xmpp-stanzas'>no%s pe</text></error>"
                   "</message>" % (me, HOSTILE_XML))
        b.send_message(me, "marker after error")
        szia.expect(r"^W2 bob@localhost \| in Bob: marker after error$")
    failed = [l for l in szia.lines if "failed" in l]
    assert len(failed) == 1, failed
    assert re.match(r"^W\d+ \S+ \| error Message to bob@localhost failed: "
                    r"no", failed[0]), failed
    # The error's body is not shown as a message from bob.
    assert not any(re.search(r"\| in Bob: x$", l) for l in szia.lines)
    assert_clean(szia)
    alive(szia)
    assert szia.quit() == 0


def test_malformed_presence_is_handled():
    home, szia, me = start("alice")
    szia.send("/msg bob@localhost")
    with bob() as b:
        szia.expect(r"^W2 bob@localhost \| presence Bob is now online$")
        b.send_presence(pshow="xa")
        szia.expect(r"^W2 bob@localhost \| presence Bob is now xa$")
        b.send_raw("<presence><show>bogus</show><priority>abc</priority>"
                   "<status>odd</status></presence>")
        szia.expect(r"^W2 bob@localhost \| presence Bob is now online: odd$")
        b.send_raw("<presence><show>dnd</show><priority>"
                   "99999999999999999999999</priority></presence>")
        szia.expect(r"^W2 bob@localhost \| presence Bob is now dnd$")
        b.send_raw("<presence type='bogus'/>")
        b.send_raw("<presence><show/><priority>-9999</priority></presence>")
        szia.expect(r"^W2 bob@localhost \| presence Bob is now online$")
        szia.wait_roster(lambda r: ("Friends", "bob@localhost", "Bob",
                                    "online") in r, "bob online")
    assert_clean(szia)
    alive(szia)
    assert szia.quit() == 0


sziatest.main(globals())
