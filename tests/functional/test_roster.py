#!/usr/bin/python3
"""Functional tests: the roster, presence and subscriptions.

szia-headless runs against a throwaway Prosody on 127.0.0.1; a second
session of the same account (a slixmpp Peer) reads what the server stored,
and Peers play the contacts.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402
from sziatest import Peer, Prosody  # noqa: E402

USERS = {"alice": "alicepw", "bob": "bobpw", "carol": "carolpw",
         "dave": "davepw", "erin": "erinpw"}
server = None


def setup_module():
    global server
    sziatest.need_headless()
    server = Prosody(users=dict(USERS)).start()
    server.make_friends("alice", "bob", group="Friends",
                        names=("Alice", "Bob"))


def teardown_module():
    if server is not None:
        server.stop()


def start(user, extra=None, sziarc=None):
    home = server.account_home(user, extra=extra)
    if sziarc is not None:
        home.write_sziarc(sziarc, append=True)
    home, szia, me = server.login(user, home)
    return szia, me


def peer(user, resource="peer", **kw):
    return Peer("%s@localhost" % user, USERS[user], server.port,
                resource=resource, **kw).start()


def wait_roster(szia, pred, what, timeout=10):
    """Poll !roster until pred(rows) is true; return the rows."""
    return szia.wait_roster(pred, what, timeout)


def wait_server_roster(p, pred, what, timeout=10):
    """Poll the server's roster (as seen by Peer p) until pred(roster)."""
    return sziatest.poll(p.roster, pred, what + " in the server roster",
                         timeout)


def test_roster_from_server_is_shown():
    szia, me = start("alice")
    rows = wait_roster(szia, lambda r: any(x[1] == "bob@localhost"
                                           for x in r), "bob")
    assert ("Friends", "bob@localhost", "Bob", "offline") in rows, rows
    with peer("bob", "home"):
        wait_roster(szia, lambda r: ("Friends", "bob@localhost", "Bob",
                                     "online") in r, "bob online")
    szia.send("/roster")
    szia.expect(r"^W1 console \| info Friends:$")
    szia.expect(r"^W1 console \| info   Bob <bob@localhost> - \w+.*\[both\]$")
    assert szia.quit() == 0


def test_roster_add_name_group_remove():
    szia, me = start("alice")
    with peer("alice", "check") as check:
        szia.send("/roster add carol@localhost Carol")
        szia.expect(r"Adding carol@localhost to your roster")
        srv = wait_server_roster(check, lambda r: "carol@localhost" in r,
                                 "carol")
        assert srv["carol@localhost"]["name"] == "Carol", srv
        wait_roster(szia, lambda r: ("Contacts", "carol@localhost", "Carol",
                                     "offline") in r, "Carol")

        szia.send("/roster name carol@localhost Caroline")
        wait_server_roster(check, lambda r: r.get("carol@localhost", {})
                           .get("name") == "Caroline", "name Caroline")
        wait_roster(szia, lambda r: any(x[1:3] == ("carol@localhost",
                                                   "Caroline") for x in r),
                    "Caroline")

        szia.send("/roster group add carol@localhost Work")
        srv = wait_server_roster(check, lambda r: r.get(
            "carol@localhost", {}).get("groups") == ["Work"], "group Work")
        assert srv["carol@localhost"]["name"] == "Caroline", srv
        rows = wait_roster(szia, lambda r: ("Work", "carol@localhost",
                                            "Caroline", "offline") in r,
                           "carol in Work")
        assert not any(x[0] == "Contacts" and x[1] == "carol@localhost"
                       for x in rows), rows

        szia.send("/roster group remove carol@localhost Work")
        wait_server_roster(check, lambda r: r.get(
            "carol@localhost", {}).get("groups") == [], "no group")
        wait_roster(szia, lambda r: ("Contacts", "carol@localhost",
                                     "Caroline", "offline") in r,
                    "carol back in Contacts")

        szia.send("/roster remove carol@localhost")
        szia.expect(r"^W1 console \| info Roster: carol@localhost removed\.$")
        wait_server_roster(check, lambda r: "carol@localhost" not in r,
                           "carol removed")
        rows = wait_roster(szia, lambda r: not any(
            x[1] == "carol@localhost" for x in r), "carol gone")
        assert ("Friends", "bob@localhost", "Bob", "offline") in rows or \
            ("Friends", "bob@localhost", "Bob", "online") in rows, rows
    szia.send("/roster name carol@localhost X")
    szia.expect(r"^W1 console \| error /roster name: carol@localhost is not "
                r"in your roster")
    assert szia.quit() == 0


def test_contact_presence_and_status():
    szia, me = start("alice")
    szia.send("/msg bob@localhost")
    with peer("bob", "laptop") as b:
        szia.expect(r"^W2 bob@localhost \| presence Bob is now online")
        b.send_presence(pshow="away", pstatus="lunch break")
        szia.expect(r"^W2 bob@localhost \| presence Bob is now away: "
                    r"lunch break$")
        wait_roster(szia, lambda r: ("Friends", "bob@localhost", "Bob",
                                     "away") in r, "bob away")
        szia.send("/roster")
        szia.expect(r"^W2 bob@localhost \| info   Bob <bob@localhost> - "
                    r"away: lunch break \[both\]$")
    szia.expect(r"^W2 bob@localhost \| presence Bob is now offline")
    wait_roster(szia, lambda r: ("Friends", "bob@localhost", "Bob",
                                 "offline") in r, "bob offline")
    assert szia.quit() == 0


def test_subscription_request_and_allow():
    szia, me = start("dave")
    with peer("carol", "sub") as carol:
        szia.send("/sub request carol@localhost")
        szia.expect(r"Asked to see the presence of carol@localhost\.")
        carol.wait_subscription_request("dave@localhost")

        carol.subscribe("dave@localhost")
        szia.expect(r"^W1 console \| info carol@localhost asks to see your "
                    r"presence: /sub allow carol@localhost")
        szia.send("/sub allow carol@localhost")
        szia.expect(r"Now sharing your presence with carol@localhost\.")
        carol.wait_presence(lambda p: p["type"] == "subscribed" and
                            p["from"].startswith("dave@localhost"))
        # Now carol sees dave's presence (the server sends it on allow).
        carol.wait_presence(lambda p: p["type"] == "available" and
                            p["from"] == me)
        carol.authorize("dave@localhost")
        szia.expect(r"carol@localhost allowed you to see their presence")
        wait_server_roster(carol, lambda r: r.get("dave@localhost", {})
                           .get("subscription") == "both", "both")
    assert szia.quit() == 0


def test_subscription_deny_and_cancel():
    """/sub deny answers a request with unsubscribed; /sub cancel stops
    following a contact with unsubscribe (RFC 6121 3.2, 3.3)."""
    szia, me = start("erin")
    with peer("carol", "deny") as carol:
        carol.subscribe("erin@localhost")
        szia.expect(r"^W1 console \| info carol@localhost asks to see your "
                    r"presence")
        szia.send("/sub deny carol@localhost")
        szia.expect(r"Not sharing your presence with carol@localhost\.")
        carol.wait_presence(lambda p: p["type"] == "unsubscribed" and
                            p["from"].startswith("erin@localhost"))

        szia.send("/sub request carol@localhost")
        carol.wait_subscription_request("erin@localhost")
        carol.authorize("erin@localhost")
        szia.expect(r"carol@localhost allowed you to see their presence")
        wait_server_roster(carol, lambda r: r.get("erin@localhost", {})
                           .get("subscription") == "from", "from")
        szia.send("/sub cancel carol@localhost")
        szia.expect(r"No longer following the presence of "
                    r"carol@localhost\.")
        carol.wait_presence(lambda p: p["type"] == "unsubscribe" and
                            p["from"].startswith("erin@localhost"))
        wait_server_roster(carol, lambda r: r.get("erin@localhost", {})
                           .get("subscription") == "none", "none")
    assert szia.quit() == 0


def test_own_status_reaches_contacts():
    """Each /status reaches a contact with its show and message, and with
    the account's priority, which wins over the presence.priority
    setting."""
    szia, me = start("alice", extra={"priority": 7},
                     sziarc="[presence]\npriority = 3\n")
    with peer("bob", "watch") as b:
        p = b.wait_presence(lambda p: p["from"] == me and p["type"] ==
                            "available")
        assert p["priority"] == "7", p
        szia.send("/status away lunch")
        szia.expect(r"^W1 console \| info Status: away \(lunch\)$")
        p = b.wait_presence(lambda p: p["from"] == me and p["show"] ==
                            "away")
        assert p["status"] == "lunch" and p["priority"] == "7", p
        for show in ("chat", "xa"):
            szia.send("/status %s" % show)
            szia.expect(r"^W1 console \| info Status: %s$" % show)
            p = b.wait_presence(lambda p: p["from"] == me and
                                p["show"] == show)
            assert p["status"] == "" and p["priority"] == "7", p
        seen = {id(x) for x in list(b.received_presences)}
        szia.send("/status online")
        p = b.wait_presence(lambda p: id(p) not in seen and
                            p["from"] == me and p["type"] == "available")
        assert p["show"] == "" and p["status"] == "", p
        assert p["priority"] == "7", p
    assert szia.quit() == 0


sziatest.main(globals())
