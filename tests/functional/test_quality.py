#!/usr/bin/python3
"""Functional tests: message quality in one-to-one chat.

Delivery receipts (XEP-0184), chat markers (XEP-0333), chat states
(XEP-0085), corrections (XEP-0308), out-of-band URLs (XEP-0066), blocking
(XEP-0191), software version (XEP-0092), entity time (XEP-0202) and the
disco#info features, against the harness's Prosody with slixmpp peers
playing the contacts (raw stanzas, so each test says exactly what goes
over the wire) and szia-headless as the client under test.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw", "erin": "erinpw", "frank": "frankpw",
         "gina": "ginapw"}
NS_RECEIPTS = "urn:xmpp:receipts"
NS_MARKERS = "urn:xmpp:chat-markers:0"
NS_STATES = "http://jabber.org/protocol/chatstates"
NS_CORRECT = "urn:xmpp:message-correct:0"
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()
    for user in ("alice", "dave", "erin"):
        server.make_friends(user, "bob", group="Friends",
                            names=(user.capitalize(), "Bob"))
    server.make_friends("alice", "frank")      # no roster names


def teardown_module():
    if server is not None:
        server.stop()


def start(user="alice"):
    home, szia, me = server.login(user)
    szia.wait_roster("bob@localhost")
    return home, szia, me


def peer(user, resource="peer"):
    return Peer("%s@localhost" % user, USERS[user], server.port,
                resource=resource).start()


def child(raw, name, ns):
    return ET.fromstring(raw).find("{%s}%s" % (ns, name))


def marks(szia):
    """(kind, mark, edited, text) of each line of the current window."""
    out = []
    for line in szia._driver("!marks", r"^MARKS END$", 10):
        m = re.match(r"^LINE (\S+) (\S+)( edited)? (.*)$", line)
        if m:
            out.append((m.group(1), m.group(2), bool(m.group(3)),
                        m.group(4)))
    return out


def wait_marks(szia, pred, what, timeout=10):
    return sziatest.poll(lambda: marks(szia), pred,
                         what + " in the window", timeout)


def out_mark(lines, text):
    for kind, mark, edited, t in lines:
        if kind == "out" and t == text:
            return mark
    return None


def title(szia):
    lines = szia._driver("!title", r"^TITLE ", 10)
    return [l for l in szia.lines if l.startswith("TITLE ")][-1]


def wait_title(szia, pred, timeout=10):
    return sziatest.poll(lambda: title(szia), pred, "matching title",
                         timeout)


def barrier(p, to):
    """Round trip from peer p to `to` (a full JID): everything `to` sent
    p before answering has arrived once this returns."""
    p.iq_get(to, "<ping xmlns='urn:xmpp:ping'/>")


# -- receipts and markers --------------------------------------------------

def test_outgoing_message_requests_receipt_and_is_markable():
    home, szia, me = start()
    with peer("bob") as b:
        szia.send("/msg bob@localhost hello")
        got = b.wait_message("hello")
        assert child(got["raw"], "request", NS_RECEIPTS) is not None, got
        assert child(got["raw"], "markable", NS_MARKERS) is not None, got
        # Bob never sent a chat state: szia sends none either.
        assert child(got["raw"], "active", NS_STATES) is None, got
    assert szia.quit() == 0


def test_marks_move_sent_delivered_read():
    home, szia, me = start()
    with peer("bob") as b:
        szia.send("/msg bob@localhost one")
        m1 = b.wait_message("one")
        szia.send("two")
        m2 = b.wait_message("two")
        lines = wait_marks(szia, lambda l: out_mark(l, "two") == "sent",
                           "sent mark")
        assert out_mark(lines, "one") == "sent", lines
        b.send_raw("<message to='%s'><received xmlns='%s' id='%s'/>"
                   "</message>" % (me, NS_RECEIPTS, m1["id"]))
        lines = wait_marks(szia,
                           lambda l: out_mark(l, "one") == "delivered",
                           "delivered mark")
        assert out_mark(lines, "two") == "sent", lines
        b.send_raw("<message to='alice@localhost' type='chat'>"
                   "<displayed xmlns='%s' id='%s'/></message>"
                   % (NS_MARKERS, m2["id"]))
        # Displayed on the second message covers the first.
        wait_marks(szia, lambda l: out_mark(l, "one") == "read" and
                   out_mark(l, "two") == "read", "read marks")
    assert szia.quit() == 0


def test_marks_ignore_other_senders_and_unknown_ids():
    home, szia, me = start()
    with peer("bob") as b, peer("carol") as c:
        szia.send("/msg bob@localhost private")
        m = b.wait_message("private")
        # Carol knows the id (say she guessed it): not hers to confirm.
        c.send_raw("<message to='%s'><received xmlns='%s' id='%s'/>"
                   "<displayed xmlns='%s' id='%s'/></message>"
                   % (me, NS_RECEIPTS, m["id"], NS_MARKERS, m["id"]))
        b.send_raw("<message to='%s'><received xmlns='%s' id='nosuch'/>"
                   "</message>" % (me, NS_RECEIPTS))
        barrier(c, me)
        barrier(b, me)
        assert out_mark(marks(szia), "private") == "sent"
        # No window opened for carol's receipt.
        assert not any(l.startswith("W3 ") for l in szia.lines)
        # The real receipt still works.
        b.send_raw("<message to='%s'><received xmlns='%s' id='%s'/>"
                   "</message>" % (me, NS_RECEIPTS, m["id"]))
        wait_marks(szia, lambda l: out_mark(l, "private") == "delivered",
                   "delivered mark")
    assert szia.quit() == 0


def test_receipts_answered_to_contacts_not_strangers():
    home, szia, me = start()
    with peer("bob") as b, peer("carol") as c:
        c.send_raw("<message to='%s' type='chat' id='c-1'><body>hi from "
                   "carol</body><request xmlns='%s'/></message>"
                   % (me, NS_RECEIPTS))
        szia.expect(r"^W\d+ carol@localhost \| in carol@localhost: hi from "
                    r"carol$")
        b.send_raw("<message to='%s' type='chat' id='b-1'><body>hi from "
                   "bob</body><request xmlns='%s'/></message>"
                   % (me, NS_RECEIPTS))
        szia.expect(r"^W\d+ bob@localhost \| in Bob: hi from bob$")
        r = b.wait_message(lambda d: child(d["raw"], "received",
                                           NS_RECEIPTS) is not None)
        assert child(r["raw"], "received", NS_RECEIPTS).get("id") == "b-1"
        assert r["from"] == me, r
        barrier(c, me)
        assert not any(child(d["raw"], "received", NS_RECEIPTS) is not None
                       for d in c.messages), c.messages
        # receipts.send off: no more receipts.
        szia.send("/set receipts.send false")
        szia.expect(r"receipts.send")
        b.send_raw("<message to='%s' type='chat' id='b-2'><body>again"
                   "</body><request xmlns='%s'/></message>"
                   % (me, NS_RECEIPTS))
        szia.expect(r"^W\d+ bob@localhost \| in Bob: again$")
        barrier(b, me)
        assert [child(d["raw"], "received", NS_RECEIPTS).get("id")
                for d in b.messages
                if child(d["raw"], "received", NS_RECEIPTS) is not None] \
            == ["b-1"], b.messages
    assert szia.quit() == 0


def test_displayed_marker_sent_when_window_is_seen():
    home, szia, me = start()
    with peer("bob") as b:
        for i in (1, 2):
            b.send_raw("<message to='%s' type='chat' id='mk-%d'><body>"
                       "markable %d</body><markable xmlns='%s'/></message>"
                       % (me, i, i, NS_MARKERS))
            szia.expect(r"^W2 bob@localhost \| in Bob: markable %d$" % i)
        barrier(b, me)

        def displayed():
            return [child(d["raw"], "displayed", NS_MARKERS).get("id")
                    for d in b.messages
                    if child(d["raw"], "displayed", NS_MARKERS) is not None]
        assert displayed() == [], b.messages     # window 2 not seen yet
        szia.send("!win 2")
        b.wait_message(lambda d: child(d["raw"], "displayed", NS_MARKERS)
                       is not None)
        assert displayed() == ["mk-2"], b.messages   # the newest only
        # With markers.send off, nothing more.
        szia.send("/set markers.send off")
        szia.expect(r"markers.send")
        b.send_raw("<message to='%s' type='chat' id='mk-3'><body>markable 3"
                   "</body><markable xmlns='%s'/></message>"
                   % (me, NS_MARKERS))
        szia.expect(r"^W2 bob@localhost \| in Bob: markable 3$")
        barrier(b, me)
        assert displayed() == ["mk-2"], b.messages
    assert szia.quit() == 0


# -- chat states --------------------------------------------------------------

def test_chat_states_in_title_and_sent_after_peer_uses_them():
    home, szia, me = start()
    with peer("bob") as b:
        b.send_message(me, "hello")
        szia.expect(r"^W2 bob@localhost \| in Bob: hello$")
        szia.send("!win 2")
        # Bob has not used chat states: typing sends nothing.
        szia.send("!type hi there")
        barrier(b, me)
        assert not any(child(d["raw"], "composing", NS_STATES) is not None
                       for d in b.messages), b.messages
        b.send_raw("<message to='%s' type='chat'><composing xmlns='%s'/>"
                   "</message>" % (me, NS_STATES))
        wait_title(szia, lambda t: t.endswith("(typing\u2026)"))
        b.send_raw("<message to='%s' type='chat'><paused xmlns='%s'/>"
                   "</message>" % (me, NS_STATES))
        wait_title(szia, lambda t: t.endswith("(stopped typing)"))
        b.send_raw("<message to='%s' type='chat' id='s1'><body>done</body>"
                   "<active xmlns='%s'/></message>" % (me, NS_STATES))
        szia.expect(r"^W2 bob@localhost \| in Bob: done$")
        t = title(szia)
        assert "typing" not in t, t
        # Now bob showed support: typing sends composing, a message active.
        szia.send("!type hi bob")
        c = b.wait_message(lambda d: child(d["raw"], "composing", NS_STATES)
                           is not None)
        assert c["body"] == "" and c["type"] == "chat", c
        szia.send("hi bob")
        m = b.wait_message("hi bob")
        assert child(m["raw"], "active", NS_STATES) is not None, m["raw"]
        # Closing the window is "gone" (XEP-0085).
        szia.send("/close")
        g = b.wait_message(lambda d: child(d["raw"], "gone", NS_STATES)
                           is not None)
        assert g["body"] == "" and g["type"] == "chat", g
        # The new window learns again that bob uses them.
        b.send_raw("<message to='%s' type='chat' id='s2'><body>again</body>"
                   "<active xmlns='%s'/></message>" % (me, NS_STATES))
        szia.expect(r"^W2 bob@localhost \| in Bob: again$")
        szia.send("!win 2")

        def composing():
            return len([d for d in b.messages if child(
                d["raw"], "composing", NS_STATES) is not None])
        n = composing()
        szia.send("!type x")
        sziatest.poll(composing, lambda k: k > n, "composing again")
        szia.send("sent")       # "active" again: the next key would compose
        b.wait_message("sent")
        # chatstates off: no more.
        szia.send("/set chatstates off")
        szia.expect(r"chatstates")
        n = composing()
        szia.send("!type more")
        barrier(b, me)
        assert n == composing(), b.messages
    assert szia.quit() == 0


# -- corrections --------------------------------------------------------------

def test_correct_sends_replace_and_edits_line():
    home, szia, me = start()
    with peer("bob") as b:
        szia.send("/msg bob@localhost teh cat")
        orig = b.wait_message("teh cat")
        szia.send("/correct the cat")
        fix = b.wait_message("the cat")
        rep = child(fix["raw"], "replace", NS_CORRECT)
        assert rep is not None and rep.get("id") == orig["id"], fix["raw"]
        assert fix["id"] != orig["id"]
        lines = wait_marks(szia, lambda l: any(
            k == "out" and e and t == "the cat" for k, m, e, t in l),
            "edited line")
        assert not any(t == "teh cat" for k, m, e, t in lines), lines
        # A receipt for the correction's id marks the line too.
        b.send_raw("<message to='%s'><received xmlns='%s' id='%s'/>"
                   "</message>" % (me, NS_RECEIPTS, fix["id"]))
        wait_marks(szia, lambda l: out_mark(l, "the cat") == "delivered",
                   "delivered mark")
    # The log keeps both, the correction as its own row.
    bodies = [r["body"] for r in home.rows("alice", "dir = 1")]
    assert bodies == ["teh cat", "the cat"], bodies
    assert szia.quit() == 0


def test_incoming_correction_applies_only_from_same_jid():
    home, szia, me = start()
    with peer("bob") as b, peer("carol") as c:
        b.send_raw("<message to='%s' type='chat' id='orig-1'><body>helo"
                   "</body></message>" % me)
        szia.expect(r"^W2 bob@localhost \| in Bob: helo$")
        b.send_raw("<message to='%s' type='chat' id='fix-1'><body>hello"
                   "</body><replace xmlns='%s' id='orig-1'/></message>"
                   % (me, NS_CORRECT))
        szia.send("!win 2")
        wait_marks(szia, lambda l: ("in", "none", True, "hello") in l,
                   "corrected line")
        # Carol cannot correct bob's line: hers is a message of its own.
        c.send_raw("<message to='%s' type='chat' id='evil'><body>pwned"
                   "</body><replace xmlns='%s' id='orig-1'/></message>"
                   % (me, NS_CORRECT))
        szia.expect(r"^W3 carol@localhost \| in carol@localhost: pwned$")
        lines = marks(szia)
        assert ("in", "none", True, "hello") in lines, lines
        assert not any("pwned" in t for k, m, e, t in lines), lines
        # Nor can bob correct our line.
        szia.send("mine")
        szia.expect(r"^W2 bob@localhost \| out me: mine$")
        m = b.wait_message("mine")
        b.send_raw("<message to='%s' type='chat' id='fix-2'><body>yours"
                   "</body><replace xmlns='%s' id='%s'/></message>"
                   % (me, NS_CORRECT, m["id"]))
        szia.expect(r"^W2 bob@localhost \| in Bob: yours$")
        assert out_mark(marks(szia), "mine") == "sent"
    assert szia.quit() == 0
    # Started again, the window comes from log.db: bob's correction is in
    # place, the refused one (his "yours") is a line of its own.
    home, szia, me = server.login("alice", home)
    szia.send("/msg bob@localhost")
    lines = wait_marks(szia, lambda l: any(t == "yours" for _, _, _, t in l),
                       "history")
    texts = [(k, e, t) for k, _, e, t in lines if k in ("in", "out")]
    assert texts == [("in", True, "hello"), ("out", False, "mine"),
                     ("in", False, "yours")], texts
    assert szia.quit() == 0


def test_oob_url_is_shown():
    home, szia, me = start()
    with peer("bob") as b:
        b.send_raw("<message to='%s' type='chat'><body>look</body>"
                   "<x xmlns='jabber:x:oob'><url>https://example.org/a.png"
                   "</url></x></message>" % me)
        szia.expect(r"^W2 bob@localhost \| in Bob: look$")
        szia.expect(r"^https://example.org/a.png$")
        b.send_raw("<message to='%s' type='chat'><body>https://example.org/"
                   "b.png</body><x xmlns='jabber:x:oob'><url>https://"
                   "example.org/b.png</url></x></message>" % me)
        szia.expect(r"^W2 bob@localhost \| in Bob: https://example.org/"
                    r"b.png$")
    assert szia.quit() == 0


# -- blocking -----------------------------------------------------------------

def test_block_unblock_and_list():
    home, szia, me = start()
    szia.send("/blocked")
    szia.expect(r"^W1 console \| info You block nobody\.$")
    szia.send("/block carol@localhost")
    szia.expect(r"^W1 console \| info Blocked\.$")
    szia.send("/blocked")
    szia.expect(r"^W1 console \| info Blocked \(1\): carol@localhost$")
    # Another client of ours blocks someone: the push shows up.
    with peer("alice", "other") as a:
        reply = a.iq_set(None, "<block xmlns='urn:xmpp:blocking'><item "
                         "jid='dave@localhost'/></block>")
        assert "type=\"result\"" in reply or "type='result'" in reply, reply
        szia.expect(r"^W1 console \| info Blocked dave@localhost\.$")
    # A push from anyone else is refused.
    with peer("bob") as b:
        reply = b.iq_set(me, "<block xmlns='urn:xmpp:blocking'><item "
                         "jid='erin@localhost'/></block>")
        assert "error" in reply, reply
    szia.send("/unblock all")
    szia.expect(r"^W1 console \| info Unblocked\.$")
    szia.send("/blocked")
    szia.expect(r"^W1 console \| info You block nobody\.$")
    assert not any("erin" in l for l in szia.lines)
    szia.send("/block bad@")
    szia.expect(r"^W1 console \| error /block: '.*' is not a JID\.$")
    assert szia.quit() == 0


# -- version and time ----------------------------------------------------------

def test_version_and_time_commands():
    home, szia, me = start()
    with peer("bob") as b:
        szia.send("/version bob@localhost")
        szia.expect(r"^W1 console \| info bob@localhost/peer runs "
                    r"sziatest-peer")
        szia.send("/time localhost")
        szia.expect(r"^W1 console \| info Time at localhost: "
                    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
        # The peer does not do XEP-0202: one error line.
        szia.send("/time bob@localhost")
        szia.expect(r"^W1 console \| error /time bob@localhost/peer: ")
        # And szia answers both itself.
        v = ET.fromstring(b.iq_get(me, "<query xmlns='jabber:iq:version'/>"))
        assert v.find(".//{jabber:iq:version}name").text == "szia"
        t = ET.fromstring(b.iq_get(me, "<time xmlns='urn:xmpp:time'/>"))
        utc = t.find(".//{urn:xmpp:time}utc").text
        tzo = t.find(".//{urn:xmpp:time}tzo").text
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", utc), utc
        assert re.match(r"^[+-]\d\d:\d\d$", tzo), tzo
    assert szia.quit() == 0


def test_disco_advertises_quality_features():
    home, szia, me = start()
    with peer("bob") as b:
        reply = ET.fromstring(b.iq_get(
            me, "<query xmlns='http://jabber.org/protocol/disco#info'/>"))
        feats = {f.get("var") for f in reply.iter(
            "{http://jabber.org/protocol/disco#info}feature")}
        for ns in (NS_RECEIPTS, NS_MARKERS, NS_STATES, NS_CORRECT,
                   "jabber:x:oob", "urn:xmpp:blocking", "urn:xmpp:time",
                   "jabber:iq:version", "urn:xmpp:styling:0",
                   "http://jabber.org/protocol/nick+notify",
                   # the other parts of issue 4
                   "http://jabber.org/protocol/muc", "jabber:x:conference",
                   "urn:xmpp:carbons:2", "urn:xmpp:mam:2",
                   "http://jabber.org/protocol/caps",
                   "urn:xmpp:bookmarks:1+notify", "urn:xmpp:ping"):
            assert ns in feats, (ns, feats)
    assert szia.quit() == 0


# -- nicknames ------------------------------------------------------------------

NS_NICK = "http://jabber.org/protocol/nick"


def test_nick_names_contact_without_roster_name():
    home, szia, me = start()
    szia.wait_roster("frank@localhost")
    with peer("frank") as f, peer("carol") as c:
        # A nick in a message names frank (no roster name)...
        f.send_raw("<message to='%s' type='chat'><body>hi</body>"
                   "<nick xmlns='%s'>Frankie&#x9b;31m</nick></message>"
                   % (me, NS_NICK))
        m = szia.expect(r"^W2 frank@localhost \| in Frankie(.*)31m: hi$")
        assert "\x9b" not in m.group(0) and m.group(1), m.group(0)
        # ...and a PEP notification renames him.
        f.send_raw("<message to='%s'><event xmlns='http://jabber.org/"
                   "protocol/pubsub#event'><items node='%s'><item id='x'>"
                   "<nick xmlns='%s'>Frank the Tank</nick></item></items>"
                   "</event></message>" % (me, NS_NICK, NS_NICK))
        f.send_message(me, "again")
        szia.expect(r"^W2 frank@localhost \| in Frank the Tank: again$")
        szia.send("!win 2")
        t = title(szia)
        assert t == "TITLE Frank the Tank <frank@localhost>", t
        # Bob has a roster name: his nick does not replace it.
        with peer("bob") as b:
            b.send_raw("<message to='%s' type='chat'><body>yo</body>"
                       "<nick xmlns='%s'>Robert</nick></message>"
                       % (me, NS_NICK))
            szia.expect(r"^W3 bob@localhost \| in Bob: yo$")
        # A stranger's nick is not shown in place of the address.
        c.send_raw("<message to='%s' type='chat'><body>trust me</body>"
                   "<nick xmlns='%s'>Bob</nick></message>" % (me, NS_NICK))
        szia.expect(r"^W4 carol@localhost \| in carol@localhost: "
                    r"trust me$")
    assert szia.quit() == 0


def test_nick_in_subscription_request():
    home, szia, me = start()
    with peer("gina") as g:
        g.send_raw("<presence to='alice@localhost' type='subscribe'>"
                   "<nick xmlns='%s'>Gina\nG.</nick></presence>" % NS_NICK)
        szia.expect(r'^W1 console \| info gina@localhost \(calls itself '
                    r'"Gina G\."\) asks to see your presence')
    assert szia.quit() == 0


sziatest.main(globals())
