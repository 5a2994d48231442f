#!/usr/bin/python3
"""Functional tests: entity capabilities (XEP-0115), bookmarks (XEP-0402
with the XEP-0048 private-storage fallback), /disco and /rooms.

szia-headless runs against a throwaway Prosody on 127.0.0.1 (which loads
pep, private and bookmarks, and runs conference.localhost); a slixmpp
Peer logged in as the SAME account plays "another client" and reads what
the server stored, other Peers play strangers.
"""

import base64
import hashlib
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw", "erin": "erinpw", "frank": "frankpw"}
NS_BM = "urn:xmpp:bookmarks:1"
NS_PUBSUB = "http://jabber.org/protocol/pubsub"
NS_CAPS = "http://jabber.org/protocol/caps"
NS_DISCO_INFO = "http://jabber.org/protocol/disco#info"
CON = r"^W1 console \| "
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()


def teardown_module():
    if server is not None:
        server.stop()


def start(user, srv=None, log=None, where="PEP", wait=True):
    """szia-headless logged in as USER; waits until bookmarks are loaded
    (from WHERE: "PEP" or "private storage") if WAIT."""
    home, szia, _ = (srv or server).login(user, log=log, resource="szia")
    if wait:
        wait_loaded(szia, where)
    return szia


def wait_loaded(szia, where="PEP"):
    """Poll /bookmark list until the bookmarks are loaded from WHERE."""
    deadline = time.monotonic() + 15
    while True:
        szia.send("/bookmark list")
        m = szia.expect(CON + r"(error /bookmark: bookmarks are not loaded|"
                        r"info No bookmarks in |info Bookmarks \(\d+, in )"
                        r"(.*)$")
        if not m.group(1).startswith("error"):
            assert m.group(2).startswith(where), m.group(0)
            return
        assert time.monotonic() < deadline, "bookmarks never loaded"
        time.sleep(0.1)


def peer(user, resource="peer", srv=None):
    srv = srv or server
    return Peer("%s@localhost" % user, USERS[user], srv.port,
                resource=resource).start()


def pep_items(p):
    """The bookmarks node's items as {room: <conference/> element}."""
    reply = p.iq_get(None, "<pubsub xmlns='%s'><items node='%s'/></pubsub>"
                     % (NS_PUBSUB, NS_BM))
    root = ET.fromstring(reply)
    out = {}
    if root.get("type") != "result":
        assert "item-not-found" in reply, reply
        return out
    for item in root.iter("{%s}item" % NS_PUBSUB):
        out[item.get("id")] = item.find("{%s}conference" % NS_BM)
    return out


def wait_for(cond, what, timeout=10):
    return sziatest.poll(cond, bool, what, timeout)


def publish(p, room, name=None, autojoin=False, nick=None):
    """What another client does: publish one XEP-0402 bookmark by hand."""
    conf = "<conference xmlns='%s' autojoin='%s'%s>%s</conference>" % (
        NS_BM, "true" if autojoin else "false",
        " name='%s'" % name if name else "",
        "<nick>%s</nick>" % nick if nick else "")
    reply = p.iq_set(None, (
        "<pubsub xmlns='%s'><publish node='%s'><item id='%s'>%s</item>"
        "</publish><publish-options><x xmlns='jabber:x:data' type='submit'>"
        "<field var='FORM_TYPE' type='hidden'><value>"
        "http://jabber.org/protocol/pubsub#publish-options</value></field>"
        "<field var='pubsub#persist_items'><value>true</value></field>"
        "<field var='pubsub#max_items'><value>max</value></field>"
        "<field var='pubsub#send_last_published_item'><value>never</value>"
        "</field><field var='pubsub#access_model'><value>whitelist</value>"
        "</field></x></publish-options></pubsub>")
        % (NS_PUBSUB, NS_BM, room, conf))
    assert ET.fromstring(reply).get("type") == "result", reply


def bookmark_list(szia):
    """/bookmark list: {room: rest of its line}."""
    szia.send("/bookmark list")
    m = szia.expect(CON + r"(?:info Bookmarks \((\d+), in [^)]*\):|"
                    r"info No bookmarks in )")
    out = {}
    for _ in range(int(m.group(1) or 0)):
        line = szia.expect(CON + r"info   (\S+) ?(.*)$")
        out[line.group(1)] = line.group(2)
    return out


# --- entity capabilities (XEP-0115) ----------------------------------------

def caps_ver(query):
    """XEP-0115 5.1 over a disco#info <query/>, computed independently."""
    ids = sorted("%s/%s/%s/%s" % (i.get("category"), i.get("type"),
                                  i.get("{http://www.w3.org/XML/1998/"
                                        "namespace}lang", ""),
                                  i.get("name", ""))
                 for i in query.findall("{%s}identity" % NS_DISCO_INFO))
    feats = sorted(f.get("var")
                   for f in query.findall("{%s}feature" % NS_DISCO_INFO))
    s = "".join(x + "<" for x in ids + feats)
    return base64.b64encode(hashlib.sha1(s.encode()).digest()).decode()


def test_presence_carries_caps_matching_disco_info():
    szia = start("alice")
    with peer("alice", "other") as other:
        pres = other.wait_presence(
            lambda d: d["from"] == "alice@localhost/szia" and
            NS_CAPS in d["raw"])
        c = ET.fromstring(pres["raw"]).find("{%s}c" % NS_CAPS)
        assert c is not None, pres["raw"]
        assert c.get("hash") == "sha-1", pres["raw"]
        node, ver = c.get("node"), c.get("ver")
        assert node.startswith("https://szia.example/"), node
        reply = other.iq_get("alice@localhost/szia",
                             "<query xmlns='%s' node='%s#%s'/>"
                             % (NS_DISCO_INFO, node, ver))
        q = ET.fromstring(reply).find("{%s}query" % NS_DISCO_INFO)
        assert q is not None and q.get("node") == "%s#%s" % (node, ver), \
            reply
        feats = [f.get("var") for f in q.findall("{%s}feature"
                                                   % NS_DISCO_INFO)]
        assert NS_BM + "+notify" in feats, feats
        assert NS_CAPS in feats, feats
        assert caps_ver(q) == ver, (caps_ver(q), ver, reply)
    szia.quit()


# --- bookmarks ----------------------------------------------------------------

def test_bookmark_add_list_remove_with_pep():
    szia = start("bob")
    room = "tea@conference.localhost"
    szia.send('/bookmark add %s --nick Bobby --name "Tea room" '
              '--autojoin off --password s3cret' % room)
    szia.expect(CON + r"info Bookmark %s saved\.$" % re.escape(room))
    rows = bookmark_list(szia)
    assert rows == {room: '"Tea room" autojoin=off nick=Bobby '
                          'password=set'}, rows
    with peer("bob", "other") as other:
        items = pep_items(other)
        assert list(items) == [room], items
        conf = items[room]
        assert conf.get("name") == "Tea room", ET.tostring(conf)
        assert conf.get("autojoin") in ("false", "0"), ET.tostring(conf)
        assert conf.findtext("{%s}nick" % NS_BM) == "Bobby"
        assert conf.findtext("{%s}password" % NS_BM) == "s3cret"
        # XEP-0402's node configuration came with the publish-options.
        reply = other.iq_get(None, "<pubsub xmlns='%s#owner'><configure "
                             "node='%s'/></pubsub>" % (NS_PUBSUB, NS_BM))
        config = {f.get("var"): f.findtext("{jabber:x:data}value")
                  for f in ET.fromstring(reply).iter("{jabber:x:data}field")}
        assert config.get("pubsub#access_model") == "whitelist", reply
        assert config.get("pubsub#send_last_published_item") == "never", \
            reply
        assert config.get("pubsub#max_items") == "max", reply
        assert config.get("pubsub#persist_items") in ("1", "true"), reply
        # Changing one field keeps the others.
        szia.send("/bookmark add %s --autojoin on" % room)
        szia.expect(CON + r"info Bookmark %s saved\.$" % re.escape(room))
        conf = pep_items(other)[room]
        assert conf.get("autojoin") in ("true", "1"), ET.tostring(conf)
        assert conf.findtext("{%s}nick" % NS_BM) == "Bobby"
        szia.send("/bookmark remove %s" % room)
        szia.expect(CON + r"info Bookmark %s removed\.$" % re.escape(room))
        assert pep_items(other) == {}
    assert bookmark_list(szia) == {}
    szia.send("/bookmark remove %s" % room)
    szia.expect(CON + r"error /bookmark remove: no bookmark for %s\.$"
                % re.escape(room))
    szia.send("/bookmark add not-a-room")
    szia.expect(CON + r"error /bookmark add: 'not-a-room' is not a room JID")
    szia.quit()


def test_bookmarks_from_another_client_appear_live():
    szia = start("carol")
    room = "live@conference.localhost"
    with peer("carol", "other") as other:
        publish(other, room, name="Live", nick="cc")
        szia.expect(CON + r"info Bookmark %s added or changed by another "
                    r"client\.$" % re.escape(room))
        assert bookmark_list(szia) == {room: '"Live" autojoin=off nick=cc'}
        reply = other.iq_set(None, "<pubsub xmlns='%s'><retract node='%s' "
                             "notify='true'><item id='%s'/></retract>"
                             "</pubsub>" % (NS_PUBSUB, NS_BM, room))
        assert ET.fromstring(reply).get("type") == "result", reply
        szia.expect(CON + r"info Bookmark %s removed by another client\.$"
                    % re.escape(room))
        # Autojoin set on another client: szia joins at once.
        hot = "hot@conference.localhost"
        publish(other, hot, autojoin=True, nick="cc")
        szia.expect(r"^W\d+ %s \| presence You joined %s as cc "
                    % (re.escape(hot), re.escape(hot)))
        reply = other.iq_set(None, "<pubsub xmlns='%s'><retract node='%s' "
                             "notify='true'><item id='%s'/></retract>"
                             "</pubsub>" % (NS_PUBSUB, NS_BM, hot))
        szia.expect(CON + r"info Bookmark %s removed by another client\.$"
                    % re.escape(hot))
    assert bookmark_list(szia) == {}
    szia.quit()


def test_forged_bookmark_notification_is_ignored():
    fd, log = tempfile.mkstemp(prefix="szia-bookmarks-", suffix=".log")
    os.close(fd)
    szia = start("dave", log=log)
    room = "evil@conference.localhost"
    with peer("erin", "mallory") as erin:
        erin.send_raw(
            "<message to='dave@localhost/szia' type='headline'>"
            "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
            "<items node='%s'><item id='%s'><conference xmlns='%s' "
            "autojoin='true' name='Evil'/></item></items></event></message>"
            % (NS_BM, room, NS_BM))
        # A message after it: once it is shown, the forgery was handled.
        erin.send_message("dave@localhost/szia", "after the forgery")
        szia.expect(r"^W\d+ erin@localhost \| in .*after the forgery$")
    assert room not in bookmark_list(szia)
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    assert re.search(r"bookmarks notification from erin@localhost/mallory "
                     r"ignored", text), text[-2000:]
    szia.quit()
    os.unlink(log)


def test_autojoin_is_attempted_on_connect():
    room = "daily@conference.localhost"
    other_room = "manual@conference.localhost"
    with peer("frank", "other") as other:
        publish(other, room, name="Daily", autojoin=True, nick="frankie")
        publish(other, other_room, autojoin=False)
    szia = start("frank", wait=False)
    # Joined the autojoin room only, with the bookmark's nick.
    szia.expect(r"^W\d+ %s \| presence You joined %s as frankie "
                % (re.escape(room), re.escape(room)))
    szia.expect_none(re.escape(other_room), 1.0)
    szia.quit()


def test_private_storage_fallback_without_mod_bookmarks():
    with Prosody(users={"alice": "alicepw"},
                 modules_exclude=("bookmarks",)) as srv:
        szia = start("alice", srv=srv, where="private storage")
        room = "old@conference.localhost"
        szia.send("/bookmark add %s --nick al" % room)
        szia.expect(CON + r"info Bookmark %s saved\.$" % re.escape(room))
        assert bookmark_list(szia) == {room: "autojoin=on nick=al"}
        with peer("alice", "other", srv=srv) as other:
            reply = other.iq_get(None, "<query xmlns='jabber:iq:private'>"
                                 "<storage xmlns='storage:bookmarks'/>"
                                 "</query>")
            confs = list(ET.fromstring(reply).iter(
                "{storage:bookmarks}conference"))
            assert [c.get("jid") for c in confs] == [room], reply
            assert confs[0].get("autojoin") in ("true", "1"), reply
            assert confs[0].findtext("{storage:bookmarks}nick") == "al"
        szia.send("/bookmark remove %s" % room)
        szia.expect(CON + r"info Bookmark %s removed\.$" % re.escape(room))
        assert bookmark_list(szia) == {}
        szia.quit()


# --- /disco and /rooms --------------------------------------------------------

def test_disco_shows_identities_features_and_items():
    szia = start("alice")
    szia.send("/disco localhost")
    szia.expect(CON + r"info Disco of localhost:$")
    szia.expect(CON + r"info Identities:$")
    szia.expect(CON + r"info   server/im")
    szia.expect(CON + r"info Features:$")
    szia.expect(CON + r"info   urn:xmpp:ping$")
    szia.expect(CON + r"info Items:$")
    szia.expect(CON + r"info   conference\.localhost")
    szia.send("/disco localhost no-such-node")
    szia.expect(CON + r"error Disco of localhost: item-not-found "
                r"\(Node does not exist\)$")
    szia.send("/disco nowhere.invalid")
    szia.expect(CON + r"error Disco of nowhere\.invalid: \S+")
    szia.send("/disco jid@@bad")
    szia.expect(CON + r"error /disco: ")
    szia.quit()


def make_room(p, room, nick, name):
    """Join ROOM as NICK and make it public and persistent, named NAME."""
    p.send_raw("<presence to='%s/%s'><x xmlns='http://jabber.org/protocol/"
               "muc'/></presence>" % (room, nick))
    p.wait_presence(lambda d: d["from"] == "%s/%s" % (room, nick))
    field = "<field var='muc#roomconfig_%s'><value>%s</value></field>"
    reply = p.iq_set(room, "<query xmlns='http://jabber.org/protocol/"
                     "muc#owner'><x xmlns='jabber:x:data' type='submit'>"
                     "<field var='FORM_TYPE'><value>http://jabber.org/"
                     "protocol/muc#roomconfig</value></field>%s%s%s</x>"
                     "</query>" % (field % ("publicroom", "1"),
                                   field % ("persistentroom", "1"),
                                   field % ("roomname", name)))
    assert ET.fromstring(reply).get("type") == "result", reply


def test_rooms_lists_public_rooms():
    szia = start("alice")
    room = "lobby@conference.localhost"
    with peer("bob", "maker") as bob:
        make_room(bob, room, "bob", "The Lobby")
        szia.send("/rooms conference.localhost")
        szia.expect(CON + r"info Rooms on conference\.localhost \(\d+\):$")
        szia.expect(CON + r"info   %s  The Lobby$" % re.escape(room))
        # Without a service: the one the server lists is found.
        szia.send("/rooms")
        szia.expect(CON + r"info Rooms on conference\.localhost \(\d+\):$")
        szia.expect(CON + r"info   %s  The Lobby$" % re.escape(room))
    szia.send("/rooms nowhere.invalid")
    szia.expect(CON + r"error Cannot list the rooms of nowhere\.invalid: ")
    szia.quit()


sziatest.main(globals())
