#!/usr/bin/python3
"""xmpp-setup check DOMAIN: the records the wizard would write are looked
up (here at a real DNS server, ldns-testns from Debian's ldnsutils, on
127.0.0.1 or ::1, serving a zone made from the wizard's own dns.zone) and
reported as ok, missing or wrong, with the line that fixes each.  No test
touches the real DNS.

ldns-testns can only listen on the wildcard address, so this file runs
itself again in a private network namespace that has nothing but a
loopback interface (unshare -n as root, else unshare -rn).  Where none can
be made, the checks ask the harness's own DNS responder, which listens on
127.0.0.1 or ::1 only, rather than let ldns-testns open a port on the
machine's other addresses."""

import fcntl
import os
import shutil
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402


def loopback_up():
    """Bring up "lo" (SIOCGIFFLAGS, SIOCSIFFLAGS): a new network namespace
    starts with it down."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(s, siocgifflags,
                                                     req))[1]
        fcntl.ioctl(s, siocsifflags,
                    struct.pack("16sH22x", b"lo", flags | iff_up))


# The DNS server the tests ask: ldns-testns in a private network, or,
# where no such network can be made, the harness's own responder, which
# listens on loopback only.
Server = sziatest.LdnsServer


def private_network():
    """Run this file again inside a private network namespace (once):
    as root a network namespace will do (and is all a chroot allows);
    otherwise a user namespace too (unshare -rn)."""
    global Server
    if os.environ.get("XS_CHECK_NETNS") == "1":
        loopback_up()
        return
    unshare = shutil.which("unshare")
    for opts in (["-n"], ["-rn"]):
        if unshare and subprocess.run(
                [unshare] + opts + ["true"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0:
            sys.stdout.flush()
            os.execve(unshare, [unshare] + opts + [
                sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
                dict(os.environ, XS_CHECK_NETNS="1"))
    # Tests listen on loopback only: never let ldns-testns open a port on
    # this machine's other addresses.
    print("# no private network namespace (unshare -n and -rn failed): "
          "the checks ask the harness's loopback-only DNS responder "
          "instead of ldns-testns", flush=True)
    Server = sziatest.DnsServer


def has_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False

DOMAIN = "example.org"
FLAGS = ["--ipv4", "203.0.113.10", "--ipv6", "2001:db8::10",
         "--admin", "admin@example.org", "--email", "hostmaster@example.org",
         "--os", "debian", "--yes"]


def binary():
    b = sziatest._built_program("xmpp-setup", "XMPP_SETUP")
    if b is None:
        sziatest.missing("xmpp-setup (run make; SZIA_BUILDDIR)")
    return b


def zone():
    r = subprocess.run([binary(), "--domain", DOMAIN] + FLAGS +
                       ["--print", "dns"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


def check(dns, *extra):
    return subprocess.run([binary(), "check", DOMAIN, "--resolver",
                           dns.resolver] + list(extra),
                          capture_output=True, text=True, timeout=60)


def test_complete_zone_is_all_ok():
    with Server.from_zone(zone(), DOMAIN) as dns:
        r = check(dns, "--ipv4", "203.0.113.10", "--ipv6", "2001:db8::10")
        assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
        lines = r.stdout.splitlines()
        assert lines and all(l.startswith("ok ") for l in lines), r.stdout
        for want in ("_xmpp-client._tcp.example.org SRV",
                     "_xmpps-client._tcp.example.org SRV",
                     "_xmpp-server._tcp.example.org SRV",
                     "groupchat.example.org CNAME",
                     "turn.example.org A", "example.org CAA"):
            assert any(want in l for l in lines), (want, r.stdout)
        assert "_xmpps-client._tcp.example.org" in dns.queries


def test_any_address_is_accepted_without_ipv4():
    with Server.from_zone(zone(), DOMAIN) as dns:
        r = check(dns)
        assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)


def test_missing_and_wrong_records_are_reported_with_the_fix():
    text = zone().replace("0 5 5222 example.org.", "0 5 5333 example.org.")
    with Server.from_zone(
            text, DOMAIN, drop=("_xmpps-client._tcp SRV",
                                "upload CNAME")) as dns:
        r = check(dns, "--ipv4", "203.0.113.10")
        assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
        out = r.stdout
        assert "missing  _xmpps-client._tcp.example.org SRV" in out, out
        assert "fix: _xmpps-client._tcp" in out and "5223" in out, out
        assert "missing  upload.example.org CNAME" in out, out
        assert ("wrong    _xmpp-client._tcp.example.org SRV: found SRV "
                "0 5 5333 example.org.") in out, out
        assert "ok       _xmpp-server._tcp.example.org SRV" in out, out


def test_wrong_address_and_alias_for_srv_target():
    text = zone().replace("IN A     203.0.113.10", "IN A     198.51.100.1")
    with Server.from_zone(text, DOMAIN) as dns:
        r = check(dns, "--ipv4", "203.0.113.10")
        assert r.returncode == 1, (r.returncode, r.stdout)
        assert "wrong    example.org A: found A 198.51.100.1" in r.stdout, \
            r.stdout
    # turn. as a CNAME: an SRV target must not be an alias.
    text = "\n".join(l for l in zone().splitlines()
                     if not l.startswith("turn "))
    text += "\nturn IN CNAME example.org.\n"
    with Server.from_zone(text, DOMAIN) as dns:
        r = check(dns, "--ipv4", "203.0.113.10")
        assert r.returncode == 1, (r.returncode, r.stdout)
        assert "wrong    turn.example.org A: found CNAME example.org." in \
            r.stdout, r.stdout


def test_silent_dns_server_is_a_lookup_failure():
    port = sziatest.free_port()     # nothing answers there
    r = subprocess.run([binary(), "check", DOMAIN, "--resolver",
                        "127.0.0.1:%d" % port], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 3, (r.returncode, r.stdout, r.stderr)
    assert "no answer" in r.stdout + r.stderr


def test_ipv6_resolver():
    """[IPV6]:PORT reaches a server on ::1 (glibc's resolver state takes
    IPv4 servers only; dns.c sends the query itself)."""
    if not has_ipv6_loopback():
        print("# no ::1 here: the IPv6 resolver is not tried", flush=True)
        return
    with Server.from_zone(zone(), DOMAIN, ipv6=True) as dns:
        assert dns.resolver.startswith("[::1]:"), dns.resolver
        r = check(dns, "--ipv4", "203.0.113.10", "--ipv6", "2001:db8::10")
        assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
        assert "ok       _xmpps-client._tcp.example.org SRV" in r.stdout, \
            r.stdout
        assert "_xmpp-server._tcp.example.org" in dns.queries, dns.queries


def test_usage_errors():
    r = subprocess.run([binary(), "check"], capture_output=True, text=True)
    assert r.returncode == 2, (r.returncode, r.stderr)
    r = subprocess.run([binary(), "check", "not a domain"],
                       capture_output=True, text=True)
    assert r.returncode in (1, 2), (r.returncode, r.stderr)
    assert "domain" in r.stderr, r.stderr
    # A bad --resolver is a usage error with one line saying why, not a
    # lookup failure (3) nor a port read as far as it goes (53x as 53).
    for resolver, want in (
            ("999.1.1.1", "'999.1.1.1' is not an IPv4 or IPv6 address"),
            ("bogus", "'bogus' is not an IPv4 or IPv6 address"),
            ("127.0.0.1:53x", "'53x' is not a port number (1-65535)"),
            ("127.0.0.1:0", "'0' is not a port number (1-65535)"),
            ("[::1]:99999", "'99999' is not a port number (1-65535)"),
            ("[::1", "'[::1' is not [IPV6] or [IPV6]:PORT")):
        r = subprocess.run([binary(), "check", DOMAIN, "--resolver",
                            resolver], capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 2, (resolver, r.returncode, r.stderr)
        lines = [l for l in r.stderr.splitlines()
                 if l.startswith("xmpp-setup: ")]
        assert len(lines) == 1 and lines[0].startswith(
            "xmpp-setup: --resolver: " + want), (resolver, r.stderr)
        assert r.stdout == "", (resolver, r.stdout)


def setup_module():
    sziatest.require(["ldns-testns"])
    binary()


if __name__ == "__main__":
    private_network()
    sziatest.main(globals(), requires=(), strict=True)
