#!/usr/bin/python3
"""Functional tests: group chat (XEP-0045) against Prosody's MUC.

szia-headless joins rooms on conference.localhost; slixmpp Peers are the
other occupants (raw MUC stanzas: the tests spell out what goes over the
wire).  Each test uses its own rooms and its own SziaHome.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Headless, Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw"}
MUC = "conference.localhost"
NS_MUC = "http://jabber.org/protocol/muc"
NS_USER = NS_MUC + "#user"
NS_OWNER = NS_MUC + "#owner"
server = None


def setup_module():
    global server
    sziatest.need_headless()
    # admin_shell: the self-ping test makes the room forget us.
    server = Prosody(users=dict(USERS),
                     modules_extra=("admin_shell",)).start()


def teardown_module():
    if server is not None:
        server.stop()


def start(user="alice", home=None):
    home, szia, _ = server.login(user, home)
    return home, szia


def peer(user="bob", resource="peer"):
    return Peer("%s@localhost" % user, USERS[user], server.port,
                resource=resource).start()


def fields_xml(fields):
    out = ["<field var='FORM_TYPE' type='hidden'><value>"
           "http://jabber.org/protocol/muc#roomconfig</value></field>"]
    for k, v in (fields or {}).items():
        out.append("<field var='muc#roomconfig_%s'><value>%s</value>"
                   "</field>" % (k, v))
    return "".join(out)


def create_room(p, room, nick, config=None):
    """Peer p creates ROOM as NICK and configures it (unlocks it)."""
    jid = "%s@%s" % (room, MUC)
    p.send_raw("<presence to='%s/%s'><x xmlns='%s'/></presence>"
               % (jid, nick, NS_MUC))
    p.wait_presence(lambda d: d["from"] == "%s/%s" % (jid, nick)
                    and "110" in d["raw"])
    reply = p.iq_set(jid, "<query xmlns='%s'><x xmlns='jabber:x:data' "
                     "type='submit'>%s</x></query>"
                     % (NS_OWNER, fields_xml(config)))
    assert "type=\"result\"" in reply or "type='result'" in reply, reply
    return jid


def join_peer(p, jid, nick, password=None):
    pw = "<password>%s</password>" % password if password else ""
    p.send_raw("<presence to='%s/%s'><x xmlns='%s'>%s</x></presence>"
               % (jid, nick, NS_MUC, pw))
    p.wait_presence(lambda d: d["from"] == "%s/%s" % (jid, nick)
                    and "110" in d["raw"])


def occupants(szia):
    lines = szia._driver("!occupants", r"^OCCUPANTS END \d+$", 10)
    occ = {}
    title = None
    for l in lines:
        if l.startswith("OCCUPANT "):
            nick, role, affil, show = l[len("OCCUPANT "):].split(" | ")
            occ[nick] = (role, affil, show)
        elif l.startswith("TITLE "):
            title = l[len("TITLE "):]
    return occ, title


def wait_occupants(szia, pred, timeout=10):
    return sziatest.poll(lambda: occupants(szia), lambda ot: pred(*ot),
                         "matching (occupants, title)", timeout)


def szia_join(szia, jid, nick="alice", extra=""):
    szia.send("/join %s%s%s" % (jid, "" if nick == "alice" else "/" + nick,
                                extra))
    szia.expect(r"\| presence You joined %s as %s " % (re.escape(jid),
                                                       re.escape(nick)))


# -- joining, occupants, messages ---------------------------------------------

def test_join_see_occupants_and_exchange_messages():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "lobby", "bob")
        b.send_raw("<message to='%s' type='groupchat'><subject>Welcome "
                   "all</subject></message>" % jid)
        szia_join(szia, jid)
        szia.expect(r"^W2 %s \| info Topic set by bob: Welcome all$"
                    % re.escape(jid))
        occ, title = wait_occupants(szia, lambda o, t: "bob" in o
                                    and "alice" in o)
        assert occ["bob"][:2] == ("moderator", "owner"), occ
        assert occ["alice"][:2] == ("participant", "none"), occ
        assert title == "%s: Welcome all" % jid, title
        # Their message, mentioning us: highlighted.
        b.send_message(jid, "hello alice", mtype="groupchat")
        szia.expect(r"^W2 %s \| in highlight bob: hello alice$"
                    % re.escape(jid))
        # Ours: shown once (the room's echo is recognised).
        szia.send("hi bob")
        szia.expect(r"^W2 %s \| out alice: hi bob$" % re.escape(jid))
        got = b.wait_message(lambda d: d["body"] == "hi bob")
        assert got["from"] == jid + "/alice" and got["type"] == \
            "groupchat", got
        szia.expect_none(r"\| in alice: hi bob", 1.0)
        # Someone else joins and leaves: lines and panel follow.
        with peer("carol") as c:
            join_peer(c, jid, "carol")
            szia.expect(r"\| presence carol joined\.$")
            wait_occupants(szia, lambda o, t: "carol" in o)
        szia.expect(r"\| presence carol left")
        wait_occupants(szia, lambda o, t: "carol" not in o)
        # The log: peer = room, type groupchat, from = room/nick.
        rows = [(r["peer"], r["from_jid"], r["type"], r["body"], r["dir"])
                for r in home.rows("alice")]
        assert (jid, jid + "/bob", "groupchat", "hello alice", 0) in rows, \
            rows
        assert any(r[0] == jid and r[3] == "hi bob" and r[4] == 1
                   for r in rows), rows
        assert not any(r[3] == "hi bob" and r[4] == 0 for r in rows), rows
    assert szia.quit() == 0


def test_history_from_log_on_rejoin_and_history_command():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "histroom", "bob", {"persistentroom": "1"})
        szia_join(szia, jid)
        for i in range(3):
            b.send_message(jid, "old line %d" % i, mtype="groupchat")
            szia.expect(r"\| in bob: old line %d$" % i)
        assert szia.quit() == 0
        szia = Headless(home, account="alice")
        szia.wait_state("online")
        szia.send("/join %s" % jid)
        szia.expect(r"\| presence You joined")
        lines = szia.dump()
        assert "W2 %s | in history bob: old line 2" % jid in lines, lines
        # Nothing we already logged comes again as room history.
        szia.expect_none(r"\| in delayed bob: old line", 1.0)
        szia.send("/history 5")
        lines = szia.dump()
        assert any("in history bob: old line 0" in l for l in lines), lines
    assert szia.quit() == 0


def test_room_archive_fills_the_gap_once():
    """Rejoining a room that stamps stanza-ids: no MUC history, the room's
    archive (XEP-0313 on the room) brings what was said meanwhile, each
    message once; /history pages back into the archive past the log."""
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "gaproom", "bob", {"persistentroom": "1"})
        for i in range(2):      # before we ever came: only in the archive
            b.send_message(jid, "ancient %d" % i, mtype="groupchat")
            b.wait_message("ancient %d" % i)
        szia.send("/set history.lines 0")
        szia_join(szia, jid)
        b.send_message(jid, "before the gap", mtype="groupchat")
        szia.expect(r"\| in bob: before the gap$")
        szia.send("/leave")
        szia.expect(r"\| info You left gaproom@")
        b.wait_presence(lambda d: d["from"] == jid + "/alice"
                        and "unavailable" in d["raw"])
        for i in range(3):
            b.send_message(jid, "missed %d" % i, mtype="groupchat")
            b.wait_message("missed %d" % i)     # the room has it
        szia.send("/join %s" % jid)
        szia.expect(r"\| presence You joined")
        for i in range(3):
            szia.expect(r"^W2 %s \| in delayed archive bob: missed %d$"
                        % (re.escape(jid), i))
        szia.expect(r"^W2 %s \| info 3 messages from the room's archive "
                    r"since you were last here\.$" % re.escape(jid))
        szia.expect_none(r"before the gap|ancient", 1.0)
        rows = home.rows("alice", "peer = ? AND body LIKE 'missed %'",
                         (jid,))
        assert len(rows) == 3, rows
        # Past the local log: the room's archive, above.
        szia.send("/history 50")
        szia.send("/history 50")
        szia.expect(r"^W2 %s \| info 2 older messages from the room's "
                    r"archive \(above\)\.$" % re.escape(jid))
        lines = szia.dump()
        assert any("in history archive bob: ancient 0" in l
                   for l in lines), lines
    assert szia.quit() == 0


def room_lines(szia):
    """(kind, edited, text) of the current window's lines (!marks)."""
    out = []
    for line in szia._driver("!marks", r"^MARKS END$", 10):
        m = re.match(r"^LINE (\S+) \S+( edited)? (.*)$", line)
        if m:
            out.append((m.group(1), bool(m.group(2)), m.group(3)))
    return out


def test_corrections_only_from_the_same_occupant():
    """XEP-0308 in a room: bob may correct his line; carol, sending a
    correction of bob's message id, gets a line of her own instead."""
    NS_CORRECT = "urn:xmpp:message-correct:0"
    home, szia = start()
    with peer() as b, peer("carol") as c:
        jid = create_room(b, "fixroom", "bob")
        join_peer(c, jid, "carol")
        szia_join(szia, jid)
        b.send_raw("<message to='%s' type='groupchat' id='g-1'><body>helo "
                   "all</body></message>" % jid)
        szia.expect(r"\| in bob: helo all$")
        b.send_raw("<message to='%s' type='groupchat' id='g-2'><body>hello "
                   "all</body><replace xmlns='%s' id='g-1'/></message>"
                   % (jid, NS_CORRECT))
        sziatest.poll(lambda: room_lines(szia),
                      lambda l: ("in", True, "hello all") in l,
                      "corrected line")
        c.send_raw("<message to='%s' type='groupchat' id='g-3'><body>pwned"
                   "</body><replace xmlns='%s' id='g-1'/></message>"
                   % (jid, NS_CORRECT))
        szia.expect(r"\| in carol: pwned$")
        lines = room_lines(szia)
        assert ("in", True, "hello all") in lines, lines
        assert not any("helo all" in t for k, e, t in lines), lines
        assert ("in", False, "pwned") in lines, lines
        # Ours: /correct in the room sends a groupchat correction.
        szia.send("teh plan")
        orig = b.wait_message(lambda d: d["body"] == "teh plan")
        szia.send("/correct the plan")
        fix = b.wait_message(lambda d: d["body"] == "the plan")
        assert fix["type"] == "groupchat", fix
        assert "<replace" in fix["raw"] and orig["id"] in fix["raw"], fix
        assert "urn:xmpp:receipts" not in fix["raw"], fix
        lines = room_lines(szia)
        assert ("out", True, "the plan") in lines, lines
        # Its echo from the room is not a line of its own.
        szia.expect_none(r"\| (in|out) .*the plan", 1.0)
    assert szia.quit() == 0


# -- errors when joining --------------------------------------------------------

def test_nick_conflict_error_line():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "taken", "alice")
        szia.send("/join %s" % jid)
        szia.expect(r"\| error Cannot join %s: the nick 'alice' is already "
                    r"in use; try /join %s/OTHERNICK\.$"
                    % (re.escape(jid), re.escape(jid)))
        szia_join(szia, jid, nick="alice2")
    assert szia.quit() == 0


def test_password_protected_room():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "secret", "bob", {
            "passwordprotectedroom": "1", "roomsecret": "s3cret"})
        szia.send("/join %s" % jid)
        szia.expect(r"\| error Cannot join %s: the room needs a password: "
                    r"/join %s PASSWORD\.$" % (re.escape(jid),
                                               re.escape(jid)))
        szia_join(szia, jid, extra=" s3cret")
    assert szia.quit() == 0


def test_members_only_room():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "club", "bob", {"membersonly": "1"})
        szia.send("/join %s" % jid)
        szia.expect(r"\| error Cannot join %s: the room is members-only; "
                    r"ask an admin" % re.escape(jid))
    assert szia.quit() == 0


# -- moderation -----------------------------------------------------------------

def test_kick_seen_by_both_sides():
    home, szia = start()
    with peer() as b, peer("carol") as c:
        jid = "kickme@%s" % MUC
        szia.send("/join %s" % jid)
        szia.expect(r"\| info Created the room %s" % re.escape(jid))
        szia.expect(r"\| info Configuration of %s saved\." % re.escape(jid))
        join_peer(c, jid, "carol")
        szia.expect(r"\| presence carol joined\.$")
        szia.send("/kick carol flooding")
        szia.expect(r"\| presence carol was kicked \(.*flooding\)\.$")
        got = c.wait_presence(lambda d: d["type"] == "unavailable" and
                              "307" in d["raw"])
        assert "flooding" in got["raw"], got
        # And the other way: bob, owner of his room, kicks us.
        jid2 = create_room(b, "strict", "bob")
        szia_join(szia, jid2)
        reply = b.iq_set(jid2, "<query xmlns='%s#admin'><item nick='alice' "
                         "role='none'><reason>bye</reason></item></query>"
                         % NS_MUC)
        assert "result" in reply, reply
        szia.expect(r"\| error You were kicked from %s \(by bob: bye\)\."
                    % re.escape(jid2))
        occ, title = occupants(szia)
        assert occ == {} and "(not joined)" in title, (occ, title)
        # A moderator command we may not use: one clear line.
        szia.send("/win 2")
        szia.send("/role carol moderator")
        szia.expect(r"\| error /role: nobody called 'carol'")
    assert szia.quit() == 0


def test_nick_change_and_subject():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "nicks", "bob", {"changesubject": "1"})
        szia_join(szia, jid)
        szia.send("/nick alice_2")
        szia.expect(r"\| presence You are now known as alice_2\.$")
        got = b.wait_presence(lambda d: "303" in d["raw"] and
                              d["from"] == jid + "/alice")
        assert "alice_2" in got["raw"], got
        wait_occupants(szia, lambda o, t: "alice_2" in o and "alice" not in o)
        b.send_raw("<presence to='%s/bobby'/>" % jid)
        szia.expect(r"\| presence bob is now known as bobby\.$")
        szia.expect_none(r"bobby joined", 0.5)
        szia.send("/topic New topic here")
        szia.expect(r"\| info Topic set by alice_2: New topic here$")
        b.wait_message(lambda d: "New topic here" in d["raw"])
        occ, title = occupants(szia)
        assert title.endswith(": New topic here"), title
        # Our presence reaches the room; leaving says so.
        szia.send("/status away lunch")
        b.wait_presence(lambda d: d["from"] == jid + "/alice_2" and
                        d["show"] == "away" and d["status"] == "lunch")
        szia.send("/leave bye now")
        szia.expect(r"\| info You left %s " % re.escape(jid))
        got = b.wait_presence(lambda d: d["from"] == jid + "/alice_2" and
                              d["type"] == "unavailable")
        assert "bye now" in got["raw"], got
    assert szia.quit() == 0


def test_hostile_nick_and_subject_are_sanitised():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "evil", "bob")
        szia_join(szia, jid)
        # XML forbids ESC itself and resourceprep keeps controls out of
        # nicks; C1 controls (8-bit CSI) and bidi overrides are legal
        # XML in a subject, a status and a body and must not reach the
        # terminal.
        b.send_raw("<presence to='%s/bob'><status>s&#x9b;31m&#x202e;x"
                   "</status></presence>" % jid)
        b.send_raw("<message to='%s' type='groupchat'><subject>t&#x9b;2J"
                   "&#x202e;top</subject></message>" % jid)
        szia.expect(r"\| info Topic set by bob: t.*2J.*top$")
        b.send_raw("<message to='%s' type='groupchat'><body>b&#x9b;2J"
                   "&#x202e;body</body></message>" % jid)
        szia.expect(r"\| in bob: b.*2J.*body$")
        occ, title = occupants(szia)
        assert "\x9b" not in title and "\u202e" not in title, title
        assert all("\x9b" not in n and "\u202e" not in n for n in occ), occ
    raw = b"\n".join(szia.raw_lines)
    assert b"\xc2\x9b" not in raw and b"\xe2\x80\xae" not in raw
    assert szia.quit() == 0


def test_owner_config_affiliations_ban_destroy():
    home, szia = start()
    with peer() as b, peer("carol") as c:
        jid = "owned@%s" % MUC
        szia.send("/join %s" % jid)
        szia.expect(r"\| info Configuration of %s saved\." % re.escape(jid))
        szia.send("/config")
        szia.expect(r"\| info   roomname = $")
        szia.expect(r"\| info   membersonly = 0$")
        szia.send("/config set roomname Tea room")
        szia.expect(r"\| info roomname = Tea room \(not saved")
        szia.send("/config set nosuchfield 1")
        szia.expect(r"\| error /config set: the form has no field")
        szia.send("/config submit")
        szia.expect(r"\| info Configuration of %s saved\." % re.escape(jid))
        reply = b.iq_get(jid, "<query xmlns='http://jabber.org/protocol/"
                         "disco#info'/>")
        assert "Tea room" in reply, reply
        szia.send("/affiliation bob@localhost member")
        szia.expect(r"\| info Done\.$")
        szia.send("/affiliation list member")
        szia.expect(r"\| info 1 entry:$")
        szia.expect(r"\| info   bob@localhost$")
        szia.send("/ban carol@localhost spam")
        szia.expect(r"\| info Done\.$")
        c.send_raw("<presence to='%s/carol'><x xmlns='%s'/></presence>"
                   % (jid, NS_MUC))
        got = c.wait_presence(lambda d: d["type"] == "error")
        assert "forbidden" in got["raw"], got
        # Not ours to destroy: one line.
        jid2 = create_room(b, "notmine", "bob")
        szia_join(szia, jid2)
        szia.send("/destroy")
        szia.expect(r"\| error /destroy refused by %s: .*\(you lack the "
                    r"privileges for that\)$" % re.escape(jid2))
        szia.send("/win 2")
        szia.send("/destroy closing")
        szia.expect(r"\| error The room %s was destroyed \(closing\)\.$"
                    % re.escape(jid))
    assert szia.quit() == 0


# -- private messages, invitations ----------------------------------------------

def test_private_messages():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "pm", "bob")
        szia_join(szia, jid)
        b.send_raw("<message to='%s/alice' type='chat'><body>psst</body>"
                   "<x xmlns='%s'/></message>" % (jid, NS_USER))
        szia.expect(r"^W3 %s/bob \| in bob: psst$" % re.escape(jid))
        szia.send("/msg bob whisper back")
        szia.expect(r"^W3 %s/bob \| out me: whisper back$" % re.escape(jid))
        got = b.wait_message("whisper back")
        assert got["from"] == jid + "/alice" and got["type"] == "chat", got
        assert NS_USER in got["raw"], got
        # /close on the room window leaves the room.
        szia.send("/win 2")
        szia.send("/close")
        b.wait_presence(lambda d: d["from"] == jid + "/alice" and
                        d["type"] == "unavailable")
    assert szia.quit() == 0


def test_mediated_and_direct_invitations():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "party", "bob")
        b.send_raw("<message to='%s'><x xmlns='%s'><invite "
                   "to='alice@localhost'><reason>cake</reason></invite>"
                   "</x></message>" % (jid, NS_USER))
        m = szia.expect(r"^W1 console \| info \S+ invites you "
                        r"to %s \(via the room\) \(cake\)\. To accept: "
                        r"(/join \S+)$" % re.escape(jid))
        szia.send(m.group(1))
        szia.expect(r"\| presence You joined %s as alice" % re.escape(jid))
        jid2 = create_room(b, "direct", "bob")
        b.send_raw("<message to='alice@localhost'><x xmlns='jabber:x:"
                   "conference' jid='%s' reason='come'/></message>" % jid2)
        m = szia.expect(r"^W1 console \| info bob@localhost/peer invites you "
                        r"to %s \(come\)\. To accept: (\S+ \S+)$"
                        % re.escape(jid2))
        szia.send(m.group(1))
        szia.expect(r"\| presence You joined %s as alice" % re.escape(jid2))
        # An invitation to something that is not a room JID: ignored.
        b.send_raw("<message to='alice@localhost'><x xmlns='jabber:x:"
                   "conference' jid='bad jid/x'/></message>")
        szia.expect(r"^W1 console \| error Ignored an invitation to an "
                    r"invalid room address\.$")
    assert szia.quit() == 0


def test_groupchat_from_room_not_joined_is_ignored():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "real", "bob")
        szia_join(szia, jid)
        # From a user's JID, and from another room: both dropped.
        b.send_raw("<message to='alice@localhost' type='groupchat'>"
                   "<body>spoof one</body></message>")
        jid2 = create_room(b, "other", "bob")
        b.send_message(jid2, "spoof two", mtype="groupchat")
        b.send_message(jid, "genuine", mtype="groupchat")
        szia.expect(r"\| in bob: genuine$")
        szia.expect_none(r"spoof", 1.0)
    assert szia.quit() == 0


def test_uri_join_line():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "uri", "bob", {
            "passwordprotectedroom": "1", "roomsecret": "p w"})
        szia.send("xmpp:%s?join;password=p%%20w" % jid)
        szia.expect(r"\| presence You joined %s as alice" % re.escape(jid))
    assert szia.quit() == 0


# -- self-ping (XEP-0410) ------------------------------------------------------

FORGET = (">local r = prosody.hosts[%(host)r].modules.muc"
          ".get_room_from_jid(%(room)r); local oj = %(occ)r; "
          "local o = r:get_occupant_by_nick(oj); "
          "for rj in o:each_session() do r._jid_nick[rj] = nil end; "
          "r._occupants[oj] = nil; return 'forgotten'")


def test_selfping_rejoins_when_the_room_forgot_us():
    home, szia = start()
    with peer() as b:
        jid = create_room(b, "pingroom", "bob")
        szia.send("/set muc.selfping 1")
        szia_join(szia, jid)
        # While we are in, the pings are answered: nothing happens.
        szia.expect_none(r"no longer in", 2.5)
        # The room loses us without telling (as after a restart of the
        # service): the next self-ping says so and szia joins again.
        out = server.prosodyctl("shell", FORGET % {
            "host": MUC, "room": jid, "occ": jid + "/alice"})
        assert "forgotten" in out, out
        szia.expect(r"\| error You were no longer in %s \(self-ping: "
                    r"[a-z-]+\): rejoining\.$" % re.escape(jid), 15)
        szia.expect(r"\| presence You joined %s as alice " % re.escape(jid))
        b.wait_presence(lambda d: d["from"] == jid + "/alice" and
                        d["type"] == "available")
    assert szia.quit() == 0


# Last: it restarts the shared server.
def test_rooms_are_rejoined_after_a_reconnect():
    home, szia = start()
    jid = "again@%s" % MUC
    szia.send("/join %s/ann" % jid)
    szia.expect(r"\| presence You joined %s as ann " % re.escape(jid))
    szia.send("/join lost@%s" % MUC)
    szia.expect(r"\| presence You joined lost@")
    szia.send("/leave")
    szia.expect(r"\| info You left lost@")
    server.restart()
    # Prosody, closing our session, may first take us out of the room
    # itself (a self "unavailable" we did not ask for); or the connection
    # drops first.  Either way the room says so, not "You left".
    mark = szia.cursor
    szia.expect(r"^W1 console \| error .*reconnecting in", 15)
    after, szia.cursor = szia.cursor, mark
    szia.expect(r"^W2 %s \| (info Disconnected: out of %s|presence The "
                r"server took you out of %s; szia joins it again)"
                % ((re.escape(jid),) * 3))
    szia.cursor = max(szia.cursor, after)
    szia.expect(r"^W1 console \| info Connected as", 30)
    szia.expect(r"^W2 %s \| info Rejoining %s as ann\.\.\.$"
                % (re.escape(jid), re.escape(jid)))
    szia.expect(r"\| presence You joined %s as ann " % re.escape(jid))
    szia.expect_none(r"Rejoining lost@", 1.0)
    assert not any("You left %s" % jid in l for l in szia.lines), szia.lines
    with peer() as b:
        join_peer(b, jid, "bob")
        b.send_message(jid, "welcome back", mtype="groupchat")
        szia.expect(r"^W2 %s \| in bob: welcome back$" % re.escape(jid))
    assert szia.quit() == 0


sziatest.main(globals())
