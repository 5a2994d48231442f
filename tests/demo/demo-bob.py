#!/usr/bin/python3
"""demo-bob: a friendly echo bot for szia's demo (``make demo``).

Logs in (STARTTLS on 127.0.0.1, certificate not verified: it is a throwaway
local test server), accepts subscription requests from users of its own
domain (and subscribes back), and answers every chat message with
"You said: <text>", greeting each contact on first contact.

    demo-bob.py --jid bob@localhost --password bobpw --port 5222

Prints "demo-bob: online as JID" once logged in.  Exits 0 on SIGTERM/SIGINT,
1 on login failure or when the server goes away.
"""

import argparse
import asyncio
import signal
import ssl
import sys

import slixmpp

STATUS = "I am a demo bot: say something"


def say(*args):
    print("demo-bob:", *args, flush=True)


class DemoBob(slixmpp.ClientXMPP):
    """Echo bot: answers chat messages, accepts same-domain subscriptions."""

    def __init__(self, jid, password):
        super().__init__(jid, password)
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        self.auto_authorize = None     # decide ourselves (None = manual)
        self.auto_subscribe = False
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0199")   # answer pings
        self.greeted = set()
        self.exit_code = 0
        self.stopping = False
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("presence_subscribe", self.on_subscribe)
        self.add_event_handler("failed_auth", self.on_failed_auth)
        self.add_event_handler("connection_failed", self.on_connection_failed)
        self.add_event_handler("disconnected", self.on_disconnected)

    async def on_session_start(self, _event):
        self.send_presence(pstatus=STATUS)
        await self.get_roster()
        say("online as", self.boundjid.full)

    def roster_field(self, bare, field, default):
        if not self.client_roster.has_jid(bare):
            return default
        return self.client_roster[bare][field] or default

    def contact_name(self, bare):
        return self.roster_field(bare, "name", "") or \
            bare.split("@", 1)[0].capitalize()

    def on_message(self, msg):
        if msg["type"] not in ("chat", "normal") or not msg["body"]:
            return
        sender = msg["from"].bare
        if sender == self.boundjid.bare:
            return
        if msg["from"].domain != self.boundjid.domain:
            return      # only talk to users of the demo server
        say("message from %s: %r" % (msg["from"], msg["body"]))
        if sender not in self.greeted:
            self.greeted.add(sender)
            self.send_message(mto=msg["from"], mtype="chat", mbody=(
                "Hi %s! I'm Bob, a demo bot. I repeat what you say."
                % self.contact_name(sender)))
        self.send_message(mto=msg["from"], mtype="chat",
                          mbody="You said: %s" % msg["body"])

    def on_subscribe(self, pres):
        who = pres["from"].bare
        if pres["from"].domain != self.boundjid.domain:
            say("refusing subscription from", who)
            self.send_presence(pto=who, ptype="unsubscribed")
            return
        say("accepting subscription from", who)
        self.send_presence(pto=who, ptype="subscribed")
        if self.roster_field(who, "subscription", "none") not in ("to", "both"):
            self.send_presence(pto=who, ptype="subscribe")
        # let the new contact see the status right away
        self.send_presence(pto=who, pstatus=STATUS)

    def on_failed_auth(self, _stanza):
        say("login failed: wrong password?")
        self.exit_code = 1
        self.stopping = True
        self.abort()

    def on_connection_failed(self, err):
        say("cannot connect:", err)
        self.exit_code = 1
        self.stopping = True
        self.cancel_connection_attempt()
        self.loop.stop()

    def on_disconnected(self, reason):
        if not self.stopping:
            say("disconnected:", reason)
            self.exit_code = 1
        self.loop.stop()

    def shutdown(self):
        if self.stopping:
            return
        self.stopping = True
        say("stopping")
        if self.is_connected():
            self.disconnect(wait=1.0)
            # the "disconnected" handler stops the loop; bound it anyway
            self.loop.call_later(3, self.loop.stop)
        else:
            self.loop.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jid", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    bot = DemoBob(args.jid, args.password)
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, bot.shutdown)
    bot.connect(("127.0.0.1", args.port))
    try:
        loop.run_forever()
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=2))
        loop.close()
    return bot.exit_code


if __name__ == "__main__":
    sys.exit(main())
