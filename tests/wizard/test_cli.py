#!/usr/bin/python3
"""test_cli - xmpp-setup in non-interactive mode, run as a program.

Checks what it writes (names, modes, answers.ini), that nothing is
overwritten without --force, that the TURN secret survives a re-run, that
--answers OUT/answers.ini reproduces the files byte for byte, and the exit
codes and messages of bad answers, bad flags and output problems.  The
tests do not depend on what the generators write, only on gen_files()'s
names and modes.  Standard library only; nothing touches the network.
"""

import os
import pty
import re
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import sziatest  # noqa: E402

BASE = ["--domain", "example.org", "--ipv4", "203.0.113.10",
        "--admin", "admin@example.org", "--email", "hostmaster@example.org"]
SECRET_FILES = {"answers.ini", "prosody.cfg.lua", "turnserver.conf"}
COMMON = {"dns.zone", "nginx-xmpp.conf", "prosody.cfg.lua",
          "certbot-prosody-hook.sh", "setup.sh", "NEXT-STEPS.txt",
          "answers.ini"}


def binary():
    path = sziatest._built_program("xmpp-setup", "XMPP_SETUP")
    if path is None and os.access("./xmpp-setup", os.X_OK):
        path = os.path.abspath("./xmpp-setup")
    if path is None:
        sziatest.missing("xmpp-setup (run make; SZIA_BUILDDIR)")
    return path


def tmpdir():
    d = tempfile.mkdtemp(prefix="xmpp-setup-test.")
    sziatest._register(lambda: subprocess.call(["rm", "-rf", d]))
    return d


def run(*args, cwd=None):
    """Run xmpp-setup (stdin not a terminal); returns (rc, stdout, stderr)."""
    p = subprocess.run([binary()] + list(args), cwd=cwd, text=True,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def snapshot(d):
    """{name: (mode, bytes)} for the files in d."""
    out = {}
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        with open(path, "rb") as f:
            out[name] = (stat.S_IMODE(os.lstat(path).st_mode), f.read())
    return out


def secret_of(d):
    with open(os.path.join(d, "answers.ini")) as f:
        m = re.search(r"^turn_secret = ([0-9a-f]{64})$", f.read(), re.M)
    assert m, "no turn_secret in answers.ini"
    return m.group(1)


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def problem_lines(err):
    return [ln for ln in err.splitlines() if ln.startswith("xmpp-setup: ")]


def test_writes_expected_files_with_modes():
    out = os.path.join(tmpdir(), "out")
    rc, stdout, err = run(*BASE, "--output", out)
    expect(rc == 0, "rc %d: %s" % (rc, err))
    files = snapshot(out)
    want = COMMON | {"turnserver.conf", "nftables.conf"}
    expect(set(files) == want, "files %s != %s" % (sorted(files), sorted(want)))
    for name, (mode, _) in files.items():
        if name in SECRET_FILES:
            expect(mode == 0o600, "%s has mode %o" % (name, mode))
        else:
            expect(mode & 0o600 == 0o600, "%s has mode %o" % (name, mode))
    expect(stat.S_IMODE(os.stat(out).st_mode) & 0o700 == 0o700,
           "folder mode")
    expect("NEXT-STEPS.txt" in stdout, "summary does not point to NEXT-STEPS")
    expect(len(secret_of(out)) == 64, "secret")


def test_firewall_files_follow_os_and_turn():
    d = tmpdir()
    out = os.path.join(d, "bsd")
    rc, _, err = run(*BASE, "--os", "freebsd", "--no-turn", "--output", out)
    expect(rc == 0, "rc %d: %s" % (rc, err))
    want = COMMON | {"ipfw.rules", "rc.conf"}
    expect(set(os.listdir(out)) == want, sorted(os.listdir(out)))
    out = os.path.join(d, "ufw")
    rc, _, err = run(*BASE, "--firewall", "ufw", "--output", out)
    expect(rc == 0, "rc %d: %s" % (rc, err))
    expect(set(os.listdir(out)) == COMMON | {"ufw.sh", "turnserver.conf"},
           sorted(os.listdir(out)))


def test_default_output_folder_is_named_after_domain():
    d = tmpdir()
    rc, _, err = run(*BASE[:1], "bücher.example", *BASE[2:4],
                     "--admin", "admin@bücher.example",
                     "--email", "me@example.org", cwd=d)
    expect(rc == 0, "rc %d: %s" % (rc, err))
    expect(os.listdir(d) == ["xmpp-setup-xn--bcher-kva.example"],
           os.listdir(d))


def test_rerun_without_force_changes_nothing():
    out = os.path.join(tmpdir(), "out")
    rc, _, err = run(*BASE, "--output", out)
    expect(rc == 0, err)
    before = snapshot(out)
    rc, _, err = run(*BASE, "--no-muc", "--output", out)
    expect(rc == 3, "rc %d" % rc)
    for name in before:
        expect(os.path.join(out, name) + " exists" in err,
               "%s not listed: %s" % (name, err))
    expect(snapshot(out) == before, "files changed")


def test_existing_single_file_blocks_everything():
    out = os.path.join(tmpdir(), "out")
    os.mkdir(out)
    with open(os.path.join(out, "dns.zone"), "w") as f:
        f.write("mine\n")
    rc, _, err = run(*BASE, "--output", out)
    expect(rc == 3, "rc %d" % rc)
    expect(len(problem_lines(err)) == 1, err)
    expect(os.listdir(out) == ["dns.zone"], os.listdir(out))


def test_force_rewrites_and_keeps_turn_secret():
    out = os.path.join(tmpdir(), "out")
    rc, _, err = run(*BASE, "--output", out)
    expect(rc == 0, err)
    secret = secret_of(out)
    rc, _, err = run(*BASE, "--no-muc", "--force", "--output", out)
    expect(rc == 0, "rc %d: %s" % (rc, err))
    with open(os.path.join(out, "answers.ini")) as f:
        expect("\nmuc = no\n" in f.read(), "answers.ini not rewritten")
    expect(secret_of(out) == secret, "TURN secret changed")


def test_turn_secret_flag_and_fresh_secrets():
    d = tmpdir()
    given = "ab" * 32
    rc, _, err = run(*BASE, "--turn-secret", given.upper(),
                     "--output", os.path.join(d, "a"))
    expect(rc == 0, err)
    expect(secret_of(os.path.join(d, "a")) == given, "given secret")
    run(*BASE, "--output", os.path.join(d, "b"))
    run(*BASE, "--output", os.path.join(d, "c"))
    expect(secret_of(os.path.join(d, "b")) != secret_of(os.path.join(d, "c")),
           "two fresh secrets are equal")


def test_answers_file_reproduces_identical_files():
    d = tmpdir()
    first = os.path.join(d, "first")
    rc, _, err = run(*BASE, "--ipv6", "2001:db8::10", "--private-ipv4",
                     "192.168.1.10", "--upload-limit", "512K",
                     "--registration", "invite", "--storage", "sqlite",
                     "--txt-xmppconnect", "--output", first)
    expect(rc == 0, err)
    again = os.path.join(d, "again")
    rc, _, err = run("--answers", os.path.join(first, "answers.ini"),
                     "--output", again)
    expect(rc == 0, "rc %d: %s" % (rc, err))
    expect(snapshot(first) == snapshot(again), "files differ")


def test_flags_override_answers_file():
    d = tmpdir()
    ini = os.path.join(d, "my.ini")
    with open(ini, "w") as f:
        f.write("domain = example.org\nipv4 = 203.0.113.10\n"
                "admin = admin@example.org\nemail = me@example.org\n"
                "muc = yes\n")
    out = os.path.join(d, "out")
    rc, _, err = run("--answers", ini, "--no-muc", "--output", out)
    expect(rc == 0, err)
    with open(os.path.join(out, "answers.ini")) as f:
        expect("\nmuc = no\n" in f.read(), "flag did not win")


def test_bad_answers_file_names_lines():
    d = tmpdir()
    ini = os.path.join(d, "bad.ini")
    with open(ini, "w") as f:
        f.write("domain = example.org\ncolour = blue\nipv4 = 10.1.1.1\n")
    rc, _, err = run("--answers", ini, *BASE[4:], "--output",
                     os.path.join(d, "out"))
    expect(rc == 1, "rc %d" % rc)
    expect("%s:2: unknown key 'colour'" % ini in err, err)
    expect("%s:3: ipv4: 10.1.1.1 is a private address" % ini in err, err)
    expect(not os.path.exists(os.path.join(d, "out")), "folder created")


def test_missing_answers_listed_one_per_line():
    d = tmpdir()
    rc, stdout, err = run("--output", os.path.join(d, "out"))
    expect(rc == 1, "rc %d" % rc)
    lines = problem_lines(err)
    for key in ("domain", "ipv4", "admin", "email"):
        expect(sum(1 for ln in lines if "missing answer: %s " % key in ln)
               == 1, "%s not listed once: %s" % (key, err))
    expect(len(lines) == 4, err)
    expect(os.listdir(d) == [], "something was written")
    rc, _, err = run("--yes", cwd=d)
    expect(rc == 1 and len(problem_lines(err)) == 4, err)
    expect(os.listdir(d) == [], "something was written")


def test_invalid_values_each_get_a_line():
    d = tmpdir()
    rc, _, err = run("--domain", "-bad.example", "--ipv4", "192.168.1.10",
                     "--admin", "admin@example.org", "--email", "not-an-email",
                     "--firewall", "ipfw", "--ipv6", "fe80::1",
                     "--upload-limit", "9G", cwd=d)
    expect(rc == 1, "rc %d" % rc)
    lines = problem_lines(err)
    for want in ("--domain: '-bad.example': the label '-bad' starts with a "
                 "hyphen",
                 "--ipv4: 192.168.1.10 is a private address",
                 "--email: 'not-an-email' is not an e-mail address",
                 "firewall: ipfw is for freebsd",
                 "--ipv6: fe80::1 is a link-local address",
                 "--upload-limit: '9G' is more than"):
        expect(any(want in ln for ln in lines), "no %r in %s" % (want, err))
    expect(os.listdir(d) == [], "something was written")


def test_each_private_range_refused_as_public():
    d = tmpdir()
    for ip in ("10.0.0.1", "172.16.5.5", "192.168.0.1", "127.0.0.1",
               "169.254.0.1", "100.64.0.1", "224.0.0.1", "0.0.0.0"):
        args = list(BASE)
        args[3] = ip
        rc, _, err = run(*args, cwd=d)
        expect(rc == 1, "%s: rc %d" % (ip, rc))
        expect(len(problem_lines(err)) == 1 and "--ipv4: %s is " % ip in err,
               err)
    expect(os.listdir(d) == [], "something was written")


def test_freebsd_with_nftables_refused():
    rc, _, err = run(*BASE, "--os", "freebsd", "--firewall", "nftables",
                     "--print", "dns")
    expect(rc == 1, "rc %d" % rc)
    expect("nftables is not available on freebsd" in err, err)


def test_certs_files_needs_paths():
    d = tmpdir()
    rc, _, err = run(*BASE, "--certs", "files", "--cert", "relative.pem",
                     cwd=d)
    expect(rc == 1, "rc %d" % rc)
    expect("--cert: 'relative.pem' is not an absolute path" in err, err)
    expect("key: certs = files needs" in err, err)
    rc, _, err = run(*BASE, "--certs", "files", "--cert", "/etc/ssl/c.pem",
                     "--key", "/etc/ssl/k.pem", "--output",
                     os.path.join(d, "out"))
    expect(rc == 0, err)


def test_usage_errors_exit_2():
    d = tmpdir()
    for args in (["--bogus"], ["--domain"], ["--print", "everything"],
                 ["extra-argument"], ["--no-domain"]):
        rc, _, err = run(*args, cwd=d)
        expect(rc == 2, "%s: rc %d" % (args, rc))
        expect(err.strip() != "", "%s: no message" % args)
    expect(os.listdir(d) == [], "something was written")


def test_help_and_version():
    rc, out, _ = run("--help")
    expect(rc == 0, "rc %d" % rc)
    for flag in ("--domain", "--ipv4", "--ipv6", "--private-ipv4", "--admin",
                 "--email", "--os", "--firewall", "--no-muc", "--no-upload",
                 "--upload-limit", "--no-proxy65", "--no-pubsub", "--no-turn",
                 "--registration", "--storage", "--no-web", "--certs",
                 "--cert", "--key", "--txt-xmppconnect", "--turn-secret",
                 "--answers", "--output", "--force", "--yes", "--print"):
        expect(flag in out, "%s not in --help" % flag)
    rc, out, _ = run("--version")
    expect(rc == 0 and out.startswith("xmpp-setup "), out)


def srcdir():
    if os.environ.get("SZIA_SRCDIR"):
        return os.environ["SZIA_SRCDIR"]
    return os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "..", "..")


def help_flags():
    """The flags --help defines: those before the description of each
    option line ("  -r, --resolver ADDR  with check: ...")."""
    rc, out, _ = run("--help")
    expect(rc == 0, "rc %d" % rc)
    flags = set()
    for line in out.splitlines():
        if not line.lstrip().startswith("-"):
            continue
        spec = re.split(r"(?<=\S)\s{2,}", line.strip())[0]
        flags |= set(re.findall(r"(?<![\w-])--?[A-Za-z0-9][\w-]*", spec))
    return flags


def man_flags():
    """The flags wizard/xmpp-setup.1 documents: the Fl of its .It lines."""
    flags = set()
    with open(os.path.join(srcdir(), "wizard", "xmpp-setup.1")) as f:
        for line in f:
            if line.startswith(".It "):
                flags |= {"-" + w for w in re.findall(r"\bFl (\S+)", line)}
    return flags


def test_man_page_documents_every_flag_of_help():
    in_help, in_man = help_flags(), man_flags()
    expect(len(in_help) > 40 and {"--domain", "--no-turn", "-r",
                                  "--resolver", "--cert"} <= in_help,
           sorted(in_help))
    expect(in_help - in_man == set(), "not in the man page: %s"
           % sorted(in_help - in_man))
    expect(in_man - in_help == set(), "not in --help: %s"
           % sorted(in_man - in_help))


def test_print_writes_nothing():
    d = tmpdir()
    for name in ("dns", "nginx", "prosody", "turn", "firewall"):
        rc, out, err = run(*BASE, "--print", name, cwd=d)
        expect(rc == 0, "%s: rc %d %s" % (name, rc, err))
        expect(out != "", "%s printed nothing" % name)
    expect(os.listdir(d) == [], "something was written: %s" % os.listdir(d))
    rc, out, err = run(*BASE, "--no-turn", "--print", "turn", cwd=d)
    expect(rc == 2 and "TURN is off" in err, "rc %d %s" % (rc, err))


def test_print_firewall_on_freebsd_prints_both_files():
    rc, out, err = run(*BASE, "--os", "freebsd", "--print", "firewall")
    expect(rc == 0, "rc %d: %s" % (rc, err))
    rules = out.find("# --- ipfw.rules ---\n")
    conf = out.find("# --- rc.conf ---\n")
    expect(0 <= rules < conf, out)
    expect("\nipfw -q add 1000 allow tcp from any to any 22 in setup "
           "keep-state\n" in out[rules:conf], out)
    expect(re.search(r'^firewall_myservices="22/tcp ', out[conf:], re.M),
           out)
    # One file alone has no header.
    rc, out, err = run(*BASE, "--print", "firewall")
    expect(rc == 0 and not out.startswith("# ---"), out)


def printed_secrets(prosody, turn):
    p = re.search(r'^turn_external_secret = "([0-9a-f]{64})"$', prosody,
                  re.M)
    t = re.search(r"^static-auth-secret=([0-9a-f]{64})$", turn, re.M)
    expect(p and t, "no secret in %r / %r" % (prosody[:80], turn[:80]))
    return p.group(1), t.group(1)


def test_separate_print_runs_agree_on_the_turn_secret():
    d = tmpdir()
    given = "cd" * 32
    rc, prosody, err1 = run(*BASE, "--turn-secret", given, "--print",
                            "prosody", cwd=d)
    expect(rc == 0, err1)
    rc, turn, err2 = run(*BASE, "--turn-secret", given, "--print", "turn",
                         cwd=d)
    expect(rc == 0, err2)
    expect(printed_secrets(prosody, turn) == (given, given),
           "secrets differ")
    expect(err1 == "" and err2 == "", "a note with --turn-secret: %r %r"
           % (err1, err2))
    # Without one, each run makes its own: a one-line note says how to
    # make the next run agree, naming this run's secret.
    rc, prosody, err = run(*BASE, "--print", "prosody", cwd=d)
    expect(rc == 0, err)
    lines = err.splitlines()
    expect(len(lines) == 1 and lines[0].startswith("xmpp-setup: note: ")
           and "--turn-secret" in lines[0] and "--answers" in lines[0], err)
    secret = re.search(r"--turn-secret ([0-9a-f]{64})", lines[0]).group(1)
    rc, turn, err = run(*BASE, "--turn-secret", secret, "--print", "turn",
                        cwd=d)
    expect(rc == 0 and err == "", err)
    expect(printed_secrets(prosody, turn) == (secret, secret),
           "the note's secret is not the printed one")
    rc, turn, err = run(*BASE, "--print", "turn", cwd=d)
    expect("--turn-secret" in err, err)
    # No note where no secret is printed, or where TURN is off.
    for args in (("--print", "dns"), ("--print", "firewall"),
                 ("--no-turn", "--print", "prosody")):
        rc, _, err = run(*BASE, *args, cwd=d)
        expect(rc == 0 and err == "", "%s: %r" % (args, err))
    # Nor with an answers file that holds the secret.
    ini = os.path.join(d, "a.ini")
    with open(ini, "w") as f:
        f.write("turn_secret = %s\n" % given)
    rc, prosody, err = run(*BASE, "--answers", ini, "--print", "prosody",
                           cwd=d)
    expect(rc == 0 and err == "" and given in prosody, err)
    expect(os.listdir(d) == ["a.ini"], os.listdir(d))


def test_print_uses_existing_secret():
    out = os.path.join(tmpdir(), "out")
    rc, _, err = run(*BASE, "--output", out)
    expect(rc == 0, err)
    with open(os.path.join(out, "prosody.cfg.lua")) as f:
        written = f.read()
    rc, printed, err = run(*BASE, "--output", out, "--print", "prosody")
    expect(rc == 0, err)
    expect(printed == written, "--print prosody differs from the file")
    expect(err == "", "a note though the secret was kept: %r" % err)


def test_unwritable_output_exits_3():
    d = tmpdir()
    plain = os.path.join(d, "plain")
    with open(plain, "w") as f:
        f.write("x\n")
    rc, _, err = run(*BASE, "--output", os.path.join(plain, "out"))
    expect(rc == 3, "rc %d: %s" % (rc, err))
    expect(len(problem_lines(err)) == 1, err)
    rc, _, err = run(*BASE, "--output", plain)
    expect(rc == 3 and "is not a folder" in err, "rc %d: %s" % (rc, err))
    if os.geteuid() != 0:
        ro = os.path.join(d, "ro")
        os.mkdir(ro, 0o555)
        rc, _, err = run(*BASE, "--output", ro)
        expect(rc == 3, "rc %d: %s" % (rc, err))
        expect(os.listdir(ro) == [], os.listdir(ro))
    expect(sorted(os.listdir(d)) == ["plain"] + (["ro"] if os.geteuid() != 0
                                                 else []), os.listdir(d))


def test_terminal_without_yes_asks_the_rest():
    """On a terminal without --yes the questions not given are asked (the
    first one here is ipv6); Ctrl-D cancels with status 4, writing nothing.
    tests/wizard/test_interactive.py tests interactive mode in full."""
    d = tmpdir()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(d)
        os.execv(binary(), [binary()] + BASE)
    data = b""
    sent = False
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        if not sent and re.search(rb"ipv6 \[[^\]]*\]: $", data):
            os.write(fd, b"\x04")
            sent = True
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    expect(sent, data)
    expect(os.WEXITSTATUS(status) == 4, "status %r" % status)
    expect(b"domain" not in data.split(b"\nipv6")[0], data)
    expect(b"Cancelled: nothing was written." in data, data)
    expect(os.listdir(d) == [], "something was written")


sziatest.main(globals(), requires=(), strict=True)
