#!/usr/bin/python3
"""test_tools.py - the generated files pass the real tools.

Runs tests/wizard/gen-driver (SZIA_BUILDDIR) for a few answer sets and
checks the output with named-checkzone, nginx -t, prosodyctl check config,
shellcheck and nft -c.  Prints "N passed, M failed"; fails when a tool
is missing (tools/install-deps installs them all), or exits 77 (skip)
with SZIA_ALLOW_SKIP=1.  Never touches system services: nginx only parses a
config, Prosody is only checked through a wrapper config in a temp dir.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402

SRCDIR = os.environ.get("SZIA_SRCDIR", ".")
BUILDDIR = os.environ.get("SZIA_BUILDDIR", ".")
DRIVER = os.path.join(BUILDDIR, "tests", "wizard", "gen-driver")
TOOLS = ["named-checkzone", "nginx", "prosodyctl", "shellcheck", "nft"]
SECRET = "5f2b8c0e9a7d4136b0e1c2d3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d"

# name -> gen-driver key=value arguments
SETS = {
    "freebsd-ipfw": [
        "domain=example.org", "ipv4=203.0.113.10", "ipv6=2001:db8::10",
        "admin=admin@example.org", "email=hostmaster@example.org",
        "os=freebsd", "firewall=ipfw", "muc=1", "upload=1",
        "upload_limit=10485760", "proxy65=1", "pubsub=1", "turn=1",
        "registration=closed", "storage=internal", "web=1",
        "certs=letsencrypt", "turn_secret=" + SECRET,
    ],
    "debian-nftables": [
        "domain=chat.example.net", "ipv4=198.51.100.7",
        "private_ipv4=10.0.0.7", "admin=admin@chat.example.net",
        "email=admin@example.net", "os=debian", "firewall=nftables",
        "muc=1", "upload=1", "upload_limit=26214400", "proxy65=1",
        "pubsub=0", "turn=1", "registration=invite", "storage=sqlite",
        "web=1", "certs=files", "cert=/etc/ssl/xmpp/fullchain.pem",
        "key=/etc/ssl/xmpp/privkey.pem", "txt_xmppconnect=1",
        "turn_secret=" + SECRET,
    ],
    # Few services: no TURN, no web, open registration, ufw.
    "debian-ufw-minimal": [
        "domain=xmpp.example.com", "ipv4=192.0.2.5", "ipv6=2001:db8::5",
        "admin=root@xmpp.example.com", "email=root@example.com",
        "os=debian", "firewall=ufw", "muc=0", "upload=0", "proxy65=0",
        "pubsub=0", "turn=0", "registration=open", "storage=internal",
        "web=0", "certs=letsencrypt", "turn_secret=" + SECRET,
    ],
}

passed = 0
failed = 0


def report(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok - " + name)
    else:
        failed += 1
        print("FAIL - " + name)
        for line in detail.strip().splitlines()[:40]:
            print("    " + line)


def run(argv, **kw):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=60, **kw)
    return p.returncode, p.stdout


def arg(args, key):
    for a in args:
        if a.startswith(key + "="):
            return a[len(key) + 1:]
    return None


def check_zone(tmp, out, args):
    domain = arg(args, "domain")
    zone = os.path.join(tmp, "wrapped.zone")
    with open(zone, "w") as f:
        f.write("$ORIGIN %s.\n$TTL 3600\n" % domain)
        f.write("@ IN SOA %s. hostmaster.%s. 1 7200 3600 1209600 3600\n"
                % (domain, domain))
        f.write("@ IN NS %s.\n" % domain)
        with open(os.path.join(out, "dns.zone")) as z:
            f.write(z.read())
    rc, text = run(["named-checkzone", "-k", "fail", "-n", "fail",
                    "-S", "fail", "-M", "fail", domain, zone])
    return rc == 0, text


def check_nginx(tmp, out, args):
    domain = arg(args, "domain")
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        if os.geteuid() == 0:
            f.write("user root;\n")
        f.write("error_log %s/nginx-error.log;\npid %s/nginx.pid;\n"
                "events {}\nhttp {\n" % (tmp, tmp))
        for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            f.write("\t%s_temp_path %s/%s;\n" % (t, tmp, t))
        f.write("\taccess_log off;\n\tserver {\n"
                "\t\tlisten 127.0.0.1:28443;\n\t\tserver_name %s;\n"
                "\t\tinclude %s/nginx-xmpp.conf;\n\t}\n}\n" % (domain, out))
    rc, text = run(["nginx", "-t", "-c", conf, "-p", tmp])
    return rc == 0, text


def check_prosody(tmp, out, args):
    # The wrapper of the notes: Include the generated file, then move
    # paths and ports into the temp dir and onto loopback.
    shutil.copy(os.path.join(out, "prosody.cfg.lua"),
                os.path.join(tmp, "prosody.cfg.lua"))
    os.makedirs(os.path.join(tmp, "data"), exist_ok=True)
    os.makedirs(os.path.join(tmp, "certs"), exist_ok=True)
    wrapper = os.path.join(tmp, "test.cfg.lua")
    with open(wrapper, "w") as f:
        f.write('Include "%s/prosody.cfg.lua"\n' % tmp)
        f.write('data_path = "%s/data"\n' % tmp)
        f.write('pidfile = "%s/prosody.pid"\n' % tmp)
        f.write('certificates = "%s/certs"\n' % tmp)
        f.write('log = { info = "%s/prosody.log" }\n' % tmp)
        f.write('run_as_root = true\n')
    rc, text = run(["prosodyctl", "--config", wrapper, "check", "config"])
    bad = [w for w in ("Unknown", "deprecated", "obsolete", "not found",
                       "misspelled") if w in text]
    return rc == 0 and not bad, text


def check_shell(tmp, out, args):
    scripts = [n for n in sorted(os.listdir(out))
               if n.endswith(".sh") or n == "ipfw.rules"]
    if not scripts:
        return False, "no scripts generated"
    rc, text = run(["shellcheck", "-s", "sh"] + scripts, cwd=out)
    return rc == 0, "checked: %s\n%s" % (" ".join(scripts), text)


def nft_works():
    rc, text = run(["nft", "-c", "-f", "/dev/null"])
    return rc == 0


def check_nft(tmp, out, args):
    rc, text = run(["nft", "-c", "-f", os.path.join(out, "nftables.conf")])
    return rc == 0, text


def check_consistency(tmp, out, args):
    """The secret and ports agree across the files of one set."""
    files = {n: open(os.path.join(out, n)).read() for n in os.listdir(out)}
    problems = []
    if arg(args, "turn") == "1":
        if "turn_external_secret = \"%s\"" % SECRET not in \
                files["prosody.cfg.lua"]:
            problems.append("prosody.cfg.lua lacks the secret")
        if "static-auth-secret=%s\n" % SECRET not in files["turnserver.conf"]:
            problems.append("turnserver.conf lacks the secret")
    for n, text in files.items():
        if n in ("nftables.conf", "ipfw.rules", "rc.conf", "ufw.sh") and \
                ("5280" in text or "5281" in text):
            problems.append(n + " opens Prosody's HTTP port")
    return not problems, "\n".join(problems)


def main():
    missing = ["%s (Debian package %s)" % (t, sziatest.DEBIAN_PACKAGES[t])
               for t in TOOLS if shutil.which(t) is None]
    if not os.access(DRIVER, os.X_OK):
        missing.append(DRIVER + " (run make check)")
    if missing:
        text = ("missing %s; tools/install-deps installs %s"
                % (", ".join(missing), "them" if len(missing) > 1 else "it"))
        if sziatest.skips_allowed():
            print("SKIP: " + text)
            return 77
        print("FAIL: " + text)
        return 1
    have_nft = nft_works()
    for name, args in SETS.items():
        tmp = tempfile.mkdtemp(prefix="xs-tools.")
        try:
            out = os.path.join(tmp, "out")
            os.mkdir(out)
            rc, text = run([DRIVER, out] + args)
            report(rc == 0, name + ": gen-driver", text)
            if rc != 0:
                continue
            names = os.listdir(out)
            checks = [("named-checkzone", check_zone),
                      ("prosodyctl check config", check_prosody),
                      ("shellcheck", check_shell),
                      ("consistency", check_consistency)]
            if "nginx-xmpp.conf" in names:
                checks.append(("nginx -t", check_nginx))
            if "nftables.conf" in names:
                if have_nft:
                    checks.append(("nft -c", check_nft))
                else:
                    print("skip - %s: nft -c needs privileges it lacks"
                          % name)
            for what, fn in checks:
                ok, detail = fn(tmp, out, args)
                report(ok, "%s: %s" % (name, what), detail)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
