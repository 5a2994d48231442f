#!/usr/bin/python3
"""test_e2e.py - xmpp-setup end to end: the generated files run for real.

Runs the real `xmpp-setup` ($SZIA_BUILDDIR) non-interactively for a test
domain (example.test, documentation IPs), then:

1. starts a real Prosody from the generated prosody.cfg.lua through a small
   wrapper that Includes it and only moves ports, paths and interfaces to
   127.0.0.1 and a temp folder (plus self-signed certificates for every
   host, a log file and run_as_root when run as root): every VirtualHost and
   Component activates, no module fails to load, nothing is logged at level
   error or critical;
2. a slixmpp client logs in over STARTTLS and over direct TLS (XEP-0368);
3. it joins a room on the generated group-chat component (status 110);
4. it gets an upload slot (XEP-0363) from the generated upload component,
   and a file over the limit is refused with <file-too-large/>;
5. coturn started from the generated turnserver.conf on loopback accepts
   credentials derived from Prosody's secret (`prosodyctl check turn`
   passes) and refuses a different secret;
6. a second answer set (invite-only registration, SQLite storage, no
   TURN) starts a second Prosody: every module loads, accounts are rows
   of the SQLite database, and invitations can be made.

See shared notes "prosody-on-loopback" for the recipes.  Prints
"N passed, M failed"; fails when prosody, coturn, openssl,
prosody-modules or lua-dbi-sqlite3 is missing (exits 77 instead with
SZIA_ALLOW_SKIP=1).  Only 127.0.0.1; every process started here is stopped by its
own PID; the temp folder is removed unless SZIA_TEST_KEEP=1.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402

DOMAIN = "example.test"
COMPONENTS = ["groupchat." + DOMAIN, "upload." + DOMAIN, "proxy." + DOMAIN,
              "pubsub." + DOMAIN]
HOSTS = [DOMAIN] + COMPONENTS
UPLOAD_LIMIT = 1048576          # --upload-limit 1M
USER, PASSWORD = "alice", "alicepw123"
WRONG_SECRET = "0123456789abcdef" * 4
ANSWERS = [
    "--domain", DOMAIN, "--ipv4", "192.0.2.10", "--ipv6", "2001:db8::10",
    "--admin", "admin@" + DOMAIN, "--email", "hostmaster@" + DOMAIN,
    "--os", "debian", "--firewall", "nftables",
    "--muc", "--upload", "--upload-limit", "1M", "--proxy65", "--pubsub",
    "--turn", "--web", "--registration", "closed", "--storage", "internal",
    "--certs", "letsencrypt", "--yes",
]

S = {}          # state shared by the tests: dirs, ports, processes


def lua(s):
    return sziatest._lua_str(s)


def run(argv, timeout=60, **kw):
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout,
                       **kw)
    return p.returncode, p.stdout


def stop_pid(proc):
    """SIGTERM one child of ours (by PID), SIGKILL after 5 s."""
    sziatest._terminate_pid(proc, timeout=5)


def tail(path, n=40):
    return sziatest._tail(path, n)


def log_text(st=S):
    try:
        with open(st["log"], errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def activated_hosts(st=S):
    """Hosts for which hostmanager logged "Activated host: HOST"."""
    return re.findall(r"\shostmanager\t\w+\tActivated host: (\S+)",
                      log_text(st))


def write_wrapper(path, extra="", st=S):
    """The wrapper: Include the generated file, then override only ports,
    paths, interfaces, certificates, the log and the TURN endpoint.  ST:
    the state of the setup (its folder, ports and log)."""
    t = st["tmp"]
    p = st["ports"]
    lines = [
        "-- test wrapper: the generated file, moved to loopback and %s" % t,
        "Include %s" % lua(os.path.join(t, "prosody.cfg.lua")),
        "data_path = %s" % lua(os.path.join(t, "data")),
        "pidfile = %s" % lua(os.path.join(t, "prosody.pid")),
        "certificates = %s" % lua(st.get("certs",
                                         os.path.join(t, "certs"))),
        'interfaces = { "127.0.0.1" }',
        'local_interfaces = { "127.0.0.1" }',
        'http_interfaces = { "127.0.0.1" }',
        "c2s_ports = { %d }" % p["c2s"],
        "c2s_direct_tls_ports = { %d }" % p["c2s_tls"],
        "s2s_ports = { %d }" % p["s2s"],
        "http_ports = { %d }" % p["http"],
        "https_ports = { }",
        "proxy65_ports = { %d }" % p["proxy65"],
        "log = { debug = %s }" % lua(st["log"]),
    ]
    if "turn" in p:
        lines += ['turn_external_host = "127.0.0.1"',
                  "turn_external_port = %d" % p["turn"],
                  "turn_external_tls_port = %d" % p["turn_tls"]]
    if os.geteuid() == 0:
        lines.append("run_as_root = true")
    if extra:
        lines.append(extra)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o644)


def unique_ports(names):
    ports = {}
    for n in names:
        port = sziatest.free_port()
        while port in ports.values():
            port = sziatest.free_port()
        ports[n] = port
    return ports


# --------------------------------------------------------------------------

def setup_module():
    prog = sziatest._built_program("xmpp-setup", "XMPP_SETUP")
    if prog is None:
        sziatest.missing("xmpp-setup (run make; SZIA_BUILDDIR)")
    sziatest.require(
        ["prosody", "prosodyctl", "openssl", "turnserver"],
        [("/usr/lib/prosody/modules/mod_cloud_notify/mod_cloud_notify.lua",
          "prosody-modules"),
         ("/usr/lib/*/lua/5.4/dbd/sqlite3.so", "lua-dbi-sqlite3")])
    t = tempfile.mkdtemp(prefix="xs-e2e.")
    os.chmod(t, 0o755)   # Prosody started as root drops to user prosody
    S["tmp"] = t
    S["procs"] = []
    sziatest._register(teardown_module)
    S["log"] = os.path.join(t, "prosody.log")
    out = os.path.join(t, "out")
    S["out"] = out

    # The real wizard, non-interactive.
    rc, text = run([prog, "--output", out] + ANSWERS,
                   env=dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8"))
    assert rc == 0, "xmpp-setup failed (%d):\n%s" % (rc, text)
    for n in ("prosody.cfg.lua", "turnserver.conf"):
        assert os.path.isfile(os.path.join(out, n)), n + " not written"
    with open(os.path.join(out, "prosody.cfg.lua")) as f:
        cfg = f.read()
    m = re.search(r'^turn_external_secret = "([0-9a-f]{64})"', cfg, re.M)
    assert m, "no turn_external_secret in prosody.cfg.lua"
    S["secret"] = m.group(1)

    # A readable copy for Prosody (the generated one is 0600).
    shutil.copy(os.path.join(out, "prosody.cfg.lua"),
                os.path.join(t, "prosody.cfg.lua"))
    os.chmod(os.path.join(t, "prosody.cfg.lua"), 0o644)
    for sub in ("data", "certs"):
        os.makedirs(os.path.join(t, sub), mode=0o755)

    # Self-signed certificates for the domain and every component host.
    for h in HOSTS:
        key = os.path.join(t, "certs", h + ".key")
        crt = os.path.join(t, "certs", h + ".crt")
        rc, text = run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-days", "2", "-subj", "/CN=" + h,
                        "-addext", "subjectAltName=DNS:" + h,
                        "-keyout", key, "-out", crt])
        assert rc == 0, "openssl req failed for %s:\n%s" % (h, text)
        os.chmod(key, 0o644)
        os.chmod(crt, 0o644)

    # coturn from the generated turnserver.conf, on loopback (notes, 6).
    start_coturn()

    # Prosody through the wrapper.
    start_prosody()

    # The test user, created with prosodyctl while the server runs.
    rc, text = run(["prosodyctl", "--config", S["wrapper"], "register",
                    USER, DOMAIN, PASSWORD], cwd=t)
    assert rc == 0, "prosodyctl register failed (%d):\n%s" % (rc, text)


def start_coturn():
    t = S["tmp"]
    conf = os.path.join(t, "ts.conf")
    drop = re.compile(r"^(syslog|log-file|pidfile|cert|pkey|listening-ip|"
                      r"external-ip|relay-ip)")
    with open(os.path.join(S["out"], "turnserver.conf")) as f:
        kept = [l for l in f if not drop.match(l)]
    with open(conf, "w") as f:
        f.writelines(kept)
    tlog = os.path.join(t, "turn.log")
    S["turn_log"] = tlog
    last = ""
    for _attempt in range(3):
        S["ports"] = unique_ports(["c2s", "c2s_tls", "s2s", "http", "proxy65",
                                   "turn", "turn_tls"])
        p = S["ports"]
        argv = ["turnserver", "-c", conf, "-L", "127.0.0.1",
                "-E", "127.0.0.1", "--listening-port", str(p["turn"]),
                "--tls-listening-port", str(p["turn_tls"]),
                "--no-tls", "--no-dtls",
                "--pidfile", os.path.join(t, "turn.pid"),
                "--db", os.path.join(t, "turndb"),
                "--log-file", tlog, "--simple-log", "--no-stdout-log",
                "--allow-loopback-peers"]
        with open(os.path.join(t, "turn.stdout"), "ab") as out:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT,
                                    cwd=t, start_new_session=True,
                                    preexec_fn=sziatest._pdeathsig_preexec)
        S["procs"].append(proc)
        S["turn"] = proc
        ok = sziatest._wait_until(
            lambda: proc.poll() is not None
            or sziatest._tcp_accepts(p["turn"], 0.2), 10)
        if ok and proc.poll() is None:
            return
        last = tail(tlog) + "\n" + tail(os.path.join(t, "turn.stdout"))
        stop_pid(proc)
    raise AssertionError("coturn did not start:\n" + last)


def start_prosody(st=S, hosts=HOSTS):
    """Prosody through a wrapper in ST's folder; waits until HOSTS and
    c2s are up."""
    t = st["tmp"]
    st["wrapper"] = os.path.join(t, "test.cfg.lua")
    write_wrapper(st["wrapper"], st=st)
    rc, text = run(["prosodyctl", "--config", st["wrapper"], "check",
                    "config"], cwd=t)
    st["check_config"] = (rc, text)
    with open(os.path.join(t, "prosody.stdout"), "ab") as out:
        proc = subprocess.Popen(["prosody", "--config", st["wrapper"], "-F"],
                                stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, cwd=t,
                                start_new_session=True,
                                preexec_fn=sziatest._pdeathsig_preexec)
    S["procs"].append(proc)
    st["prosody"] = proc
    p = st["ports"]

    def ready():
        # Hosts activate in no fixed order, some after c2s: wait for all.
        return (proc.poll() is not None
                or ("Activated service 'c2s'" in log_text(st)
                    and not [h for h in hosts
                             if h not in activated_hosts(st)]
                    and sziatest._tcp_accepts(p["c2s"], 0.2)
                    and sziatest._tcp_accepts(p["c2s_tls"], 0.2)))
    sziatest._wait_until(ready, 20, 0.1)
    if proc.poll() is not None or \
            "Activated service 'c2s'" not in log_text(st):
        raise AssertionError(
            "Prosody did not start (%s)\n--- log ---\n%s\n--- stdout ---\n%s"
            % ("exit %s" % proc.returncode if proc.poll() is not None
               else "timeout", tail(st["log"]),
               tail(os.path.join(t, "prosody.stdout"))))


def teardown_module():
    sziatest._unregister(teardown_module)
    for proc in reversed(S.get("procs", [])):
        stop_pid(proc)
    S["procs"] = []
    t = S.get("tmp")
    if t and os.path.isdir(t):
        if sziatest.keep_requested():
            print("# keeping %s" % t, flush=True)
        else:
            shutil.rmtree(t, ignore_errors=True)


# --------------------------------------------------------------------------
# 1. Prosody from the generated configuration
# --------------------------------------------------------------------------

def test_check_config():
    rc, text = S["check_config"]
    assert rc == 0, "prosodyctl check config (%d):\n%s" % (rc, text)


def test_all_hosts_activate():
    # hostmanager logs "Activated host: HOST" for the VirtualHost and for
    # every Component once its modules loaded.
    act = activated_hosts()
    missing = [h for h in HOSTS if h not in act]
    assert not missing, ("hosts not activated: %s\nactivated: %s\n%s"
                         % (missing, act, tail(S["log"], 60)))


def test_cloud_notify_loads():
    """The generated configuration enables the community module
    cloud_notify (push notifications), found without plugin_paths in
    Prosody's own module folder where Debian's prosody-modules puts it."""
    with open(os.path.join(S["tmp"], "prosody.cfg.lua")) as f:
        cfg = f.read()
    assert re.search(r'^\t"cloud_notify";', cfg, re.M), \
        "cloud_notify not in modules_enabled"
    assert "plugin_paths" not in cfg, "plugin_paths on Debian"
    loaded = re.findall(r"\s%s:cloud_notify\t\w+\tModule loaded"
                        % re.escape(DOMAIN), log_text())
    assert loaded, "cloud_notify did not load on %s:\n%s" % (
        DOMAIN, tail(S["log"], 60))


def test_http_services_served():
    log = log_text()
    for what, path in (("bosh", "/http-bind"),
                       ("websocket", "/xmpp-websocket"),
                       ("file_share", "/upload")):
        line = "Serving '%s' at https://%s%s" % (what, DOMAIN, path)
        assert line in log, line + " not in the log"


def test_no_errors_logged():
    bad = [l for l in log_text().splitlines()
           if re.search(r"\t(error|critical)\t", l)
           or "Unable to load module" in l or "Error loading" in l]
    assert not bad, "Prosody logged problems:\n" + "\n".join(bad[:30])


def test_services_on_loopback_only():
    log = log_text()
    p = S["ports"]
    assert "Activated service 'c2s' on [127.0.0.1]:%d" % p["c2s"] in log, \
        "c2s not on 127.0.0.1:%d:\n%s" % (p["c2s"], "\n".join(
            l for l in log.splitlines() if "Activated service" in l))
    assert ("Activated service 'c2s_direct_tls' on [127.0.0.1]:%d"
            % p["c2s_tls"]) in log
    for line in log.splitlines():
        if "Activated service" in line and " on no ports" not in line:
            assert "[*]" not in line and "[::]" not in line, line


# --------------------------------------------------------------------------
# 2-4. A client: STARTTLS, direct TLS, group chat, upload
# --------------------------------------------------------------------------

def client(use_ssl=False, resource="e2e"):
    port = S["ports"]["c2s_tls" if use_ssl else "c2s"]
    return sziatest.Peer("%s@%s" % (USER, DOMAIN), PASSWORD, port,
                         resource=resource, use_ssl=use_ssl)


def test_login_starttls():
    with client(False, "starttls") as c:
        reply = c.iq_get(DOMAIN, "<ping xmlns='urn:xmpp:ping'/>")
        assert "type=\"result\"" in reply or "type='result'" in reply, reply


def test_login_direct_tls():
    with client(True, "directtls") as c:
        reply = c.iq_get(DOMAIN, "<ping xmlns='urn:xmpp:ping'/>")
        assert ET.fromstring(reply).get("type") == "result", reply


def test_wrong_password_refused():
    c = sziatest.Peer("%s@%s" % (USER, DOMAIN), "not-the-password",
                      S["ports"]["c2s"], resource="bad")
    try:
        c.start(10)
    except sziatest.PeerError:
        return
    c.stop()
    raise AssertionError("login with a wrong password succeeded")


DISCO_INFO = "<query xmlns='http://jabber.org/protocol/disco#info'/>"
DISCO_ITEMS = "<query xmlns='http://jabber.org/protocol/disco#items'/>"


def disco_features(c, jid):
    root = ET.fromstring(c.iq_get(jid, DISCO_INFO))
    assert root.get("type") == "result", ET.tostring(root)
    return {f.get("var") for f in root.iter(
        "{http://jabber.org/protocol/disco#info}feature")}, root


def test_modules_answer():
    """The enabled modules answer: features of the server, the account
    and each component, and the components listed as server items."""
    want_server = ["urn:xmpp:carbons:2", "urn:xmpp:blocking", "urn:xmpp:ping",
                   "jabber:iq:version", "urn:xmpp:time", "jabber:iq:last",
                   "http://jabber.org/protocol/commands",
                   "vcard-temp", "urn:xmpp:extdisco:2"]
    want = {
        "groupchat." + DOMAIN: ["http://jabber.org/protocol/muc"],
        "upload." + DOMAIN: ["urn:xmpp:http:upload:0"],
        "proxy." + DOMAIN: ["http://jabber.org/protocol/bytestreams"],
        "pubsub." + DOMAIN: ["http://jabber.org/protocol/pubsub"],
    }
    with client(False, "disco") as c:
        feats, root = disco_features(c, DOMAIN)
        missing = [f for f in want_server if f not in feats]
        assert not missing, "%s lacks %s: %s" % (DOMAIN, missing,
                                                 sorted(feats))
        forms = ET.tostring(root, encoding="unicode")
        assert "http://jabber.org/network/serverinfo" in forms, forms
        assert "mailto:hostmaster@" + DOMAIN in forms, forms
        feats, _ = disco_features(c, "%s@%s" % (USER, DOMAIN))
        # urn:xmpp:push:0: mod_cloud_notify (Debian's prosody-modules).
        for f in ("urn:xmpp:mam:2", "http://jabber.org/protocol/pubsub",
                  "urn:xmpp:push:0"):
            assert f in feats, "account lacks %s: %s" % (f, sorted(feats))
        for jid, fs in want.items():
            feats, _ = disco_features(c, jid)
            missing = [f for f in fs if f not in feats]
            assert not missing, "%s lacks %s: %s" % (jid, missing,
                                                     sorted(feats))
        items = ET.fromstring(c.iq_get(DOMAIN, DISCO_ITEMS))
        jids = {i.get("jid") for i in items.iter(
            "{http://jabber.org/protocol/disco#items}item")}
        missing = [h for h in COMPONENTS if h not in jids]
        assert not missing, "not in disco#items: %s (%s)" % (missing, jids)


def test_join_room():
    room = "lobby@groupchat." + DOMAIN
    with client(False, "muc") as c:
        c.send_raw("<presence to='%s/alice'>"
                   "<x xmlns='http://jabber.org/protocol/muc'/></presence>"
                   % room)
        # Self-presence carries status 110; a refusal is a presence error.
        pres = c.wait_presence(
            lambda d: d["from"] == room + "/alice"
            and (d["type"] == "error" or "status code=\"110\""
                 in d["raw"].replace("'", "\"")), 10)
        assert pres["type"] == "available", pres["raw"]


def upload_request(c, filename, size):
    reply = c.iq_get("upload." + DOMAIN,
                     "<request xmlns='urn:xmpp:http:upload:0' filename='%s' "
                     "size='%d' content-type='text/plain'/>" % (filename, size))
    return ET.fromstring(reply), reply


def test_upload_slot():
    ns = "{urn:xmpp:http:upload:0}"
    with client(False, "upload") as c:
        root, raw = upload_request(c, "a.txt", 10)
        assert root.get("type") == "result", raw
        slot = root.find(ns + "slot")
        assert slot is not None, raw
        put, get = slot.find(ns + "put"), slot.find(ns + "get")
        assert put is not None and get is not None, raw
        for el in (put, get):
            url = el.get("url", "")
            assert url.startswith("https://%s/upload/" % DOMAIN), raw
            assert url.endswith("/a.txt"), raw
        # What nginx would do: pass the request to Prosody's loopback HTTP
        # port with the domain as Host.  PUT with the slot's headers, then
        # GET the same bytes back.
        headers = {h.get("name"): h.text or "" for h in put.findall(
            ns + "header")}
        headers["Content-Type"] = "text/plain"
        body = b"0123456789"
        status, _ = http("PUT", put.get("url"), body, headers)
        assert status in (200, 201), "PUT %s -> %s" % (put.get("url"), status)
        status, data = http("GET", get.get("url"))
        assert status == 200 and data == body, \
            "GET %s -> %s %r" % (get.get("url"), status, data)


def http(method, url, body=None, headers=None):
    """Send `method url` to Prosody's HTTP port on 127.0.0.1 with the
    URL's host as Host header; return (status, body)."""
    import http.client
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", S["ports"]["http"],
                                      timeout=10)
    try:
        h = dict(headers or {})
        h["Host"] = u.netloc
        conn.request(method, u.path, body=body, headers=h)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def test_upload_too_large_refused():
    with client(False, "upload-big") as c:
        root, raw = upload_request(c, "big.bin", UPLOAD_LIMIT + 1)
        assert root.get("type") == "error", raw
        assert root.find(".//{urn:xmpp:http:upload:0}file-too-large") \
            is not None, raw


# --------------------------------------------------------------------------
# 5. coturn shares Prosody's secret
# --------------------------------------------------------------------------

def check_turn(wrapper):
    return run(["prosodyctl", "--config", wrapper, "check", "turn"],
               cwd=S["tmp"], timeout=40)


def test_turn_secret_matches():
    assert S["turn"].poll() is None, "coturn died:\n" + tail(S["turn_log"])
    with open(os.path.join(S["tmp"], "ts.conf")) as f:
        assert "static-auth-secret=%s\n" % S["secret"] in f.read(), \
            "turnserver.conf lacks prosody.cfg.lua's turn_external_secret"
    rc, text = check_turn(S["wrapper"])
    assert rc == 0 and "Success" in text, \
        "prosodyctl check turn (%d):\n%s\n--- turn.log ---\n%s" % (
            rc, text, tail(S["turn_log"]))


def test_turn_wrong_secret_fails():
    wrapper = os.path.join(S["tmp"], "wrong-secret.cfg.lua")
    write_wrapper(wrapper, 'turn_external_secret = "%s"' % WRONG_SECRET)
    rc, text = check_turn(wrapper)
    # coturn answers the allocation with 401 Unauthorized.
    assert rc != 0 and "Success" not in text and "401" in text, \
        "check turn with a wrong secret (%d):\n%s" % (rc, text)


# --------------------------------------------------------------------------
# 6. A second answer set: invite-only registration, SQLite storage
# --------------------------------------------------------------------------

S2 = {}         # the second setup's folder, ports, log and process
ANSWERS2 = [a for a in ANSWERS]
ANSWERS2[ANSWERS2.index("--registration") + 1] = "invite"
ANSWERS2[ANSWERS2.index("--storage") + 1] = "sqlite"
ANSWERS2[ANSWERS2.index("--turn")] = "--no-turn"


def second_setup():
    """Write the second set's files and start its Prosody (once, for the
    tests below); the certificates are the first set's."""
    if "error" in S2:
        raise AssertionError("second setup failed before:\n" + S2["error"])
    if "prosody" in S2:
        return
    try:
        t = os.path.join(S["tmp"], "invite-sqlite")
        os.makedirs(os.path.join(t, "data"), mode=0o755)
        out = os.path.join(t, "out")
        rc, text = run([sziatest._built_program("xmpp-setup", "XMPP_SETUP"),
                        "--output", out] + ANSWERS2,
                       env=dict(os.environ, LC_ALL="C.UTF-8",
                                LANG="C.UTF-8"))
        assert rc == 0, "xmpp-setup failed (%d):\n%s" % (rc, text)
        shutil.copy(os.path.join(out, "prosody.cfg.lua"),
                    os.path.join(t, "prosody.cfg.lua"))
        os.chmod(os.path.join(t, "prosody.cfg.lua"), 0o644)
        S2.update(tmp=t, log=os.path.join(t, "prosody.log"),
                  certs=os.path.join(S["tmp"], "certs"),
                  ports=unique_ports(["c2s", "c2s_tls", "s2s", "http",
                                      "proxy65"]))
        start_prosody(S2, HOSTS)
        rc, text = run(["prosodyctl", "--config", S2["wrapper"], "register",
                        USER, DOMAIN, PASSWORD], cwd=t)
        assert rc == 0, "prosodyctl register failed (%d):\n%s" % (rc, text)
    except AssertionError as e:
        S2["error"] = str(e)
        raise


def test_invite_sqlite_config():
    second_setup()
    with open(os.path.join(S2["tmp"], "prosody.cfg.lua")) as f:
        cfg = f.read()
    for want in ('\nstorage = "sql"\n', 'driver = "SQLite3"',
                 '\t"invites";', '\t"invites_adhoc";',
                 '\t"invites_register";',
                 "\nregistration_invite_only = true\n"):
        assert want in cfg, "%r not in prosody.cfg.lua" % want
    rc, text = S2["check_config"]
    assert rc == 0, "prosodyctl check config (%d):\n%s" % (rc, text)


def test_invite_sqlite_every_module_loads():
    second_setup()
    missing = [h for h in HOSTS if h not in activated_hosts(S2)]
    assert not missing, "hosts not activated: %s\n%s" % (
        missing, tail(S2["log"], 60))
    bad = [l for l in log_text(S2).splitlines()
           if re.search(r"\t(error|critical)\t", l)
           or "Unable to load module" in l or "Error loading" in l
           or "Not loading module" in l]
    assert not bad, "Prosody logged problems:\n" + "\n".join(bad[:30])


def test_invite_sqlite_keeps_accounts_in_sqlite():
    """The account prosodyctl created is a row of the SQLite database in
    the data folder, not a file of the internal storage."""
    import sqlite3
    second_setup()
    data = os.path.join(S2["tmp"], "data")
    db = os.path.join(data, "prosody.sqlite")
    assert os.path.isfile(db), "no %s: %s" % (db, os.listdir(data))
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        rows = con.execute("SELECT COUNT(*) FROM prosody WHERE host = ? "
                           "AND user = ? AND store = 'accounts'",
                           (DOMAIN, USER)).fetchone()[0]
    finally:
        con.close()
    assert rows > 0, "no account row for %s@%s" % (USER, DOMAIN)
    assert not os.path.exists(os.path.join(data, "example%2etest",
                                           "accounts")), \
        "accounts kept in files as well"
    with sziatest.Peer("%s@%s" % (USER, DOMAIN), PASSWORD,
                       S2["ports"]["c2s"], resource="sql") as c:
        reply = c.iq_get(DOMAIN, "<ping xmlns='urn:xmpp:ping'/>")
        assert ET.fromstring(reply).get("type") == "result", reply


def test_invite_sqlite_offers_invitations():
    """Invite-only registration: the account can create invitations
    (mod_invites_adhoc), and invitations are made (prosodyctl)."""
    second_setup()
    with sziatest.Peer("%s@%s" % (USER, DOMAIN), PASSWORD,
                       S2["ports"]["c2s"], resource="invite") as c:
        root = ET.fromstring(c.iq_get(
            DOMAIN, "<query xmlns='http://jabber.org/protocol/disco#items' "
            "node='http://jabber.org/protocol/commands'/>"))
        nodes = {i.get("node") for i in root.iter(
            "{http://jabber.org/protocol/disco#items}item")}
        assert "urn:xmpp:invite#invite" in nodes, nodes
    rc, text = run(["prosodyctl", "--config", S2["wrapper"], "mod_invites",
                    "generate", DOMAIN], cwd=S2["tmp"])
    assert rc == 0 and "preauth=" in text, \
        "mod_invites generate (%d):\n%s" % (rc, text)


if __name__ == "__main__":
    sziatest.main(globals(), requires=("prosody", "prosodyctl", "openssl",
                                       "turnserver"), strict=True)
