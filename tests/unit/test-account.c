/*
 * test-account.c - unit tests for src/core/account.c.
 *
 * Files go to a mkdtemp(3) folder that XDG_CONFIG_HOME points to.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/account.h"
#include "util/paths.h"
#include "util/xalloc.h"

#define FP_LOWER "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:" \
		 "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"
#define FP_UPPER "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:" \
		 "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
/* FP_UPPER without its first pair. */
#define FP_REST	 "CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:" \
		 "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

struct fixture {
	char		 dir[64];
	char		*path;		/* $XDG_CONFIG_HOME/szia/... */
	struct accounts	 list;
};

/* rm -r PATH (no symbolic links are followed). */
static void
rm_rf(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	char		*sub;

	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			sub = xasprintf("%s/%s", path, de->d_name);
			rm_rf(sub);
			free(sub);
		}
		closedir(d);
	}
	remove(path);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	strcpy(f->dir, "/tmp/szia-test-account.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	setenv("XDG_CONFIG_HOME", f->dir, 1);
	f->path = paths_file(PATH_CONFIG, "accounts");
	accounts_init(&f->list, f->path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	accounts_free(&f->list);
	rm_rf(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static void
write_file(struct fixture *f, const char *text)
{
	char	*dir = paths_dir(PATH_CONFIG), *cause = NULL;

	assert_int_equal(paths_mkdir(dir, 0700, &cause), 0);
	assert_int_equal(paths_write_atomic(f->path, text, strlen(text), 0600,
	    &cause), 0);
	free(dir);
}

/* Add NAME for JID, which must work. */
static struct account *
add(struct fixture *f, const char *name, const char *jid)
{
	struct account	*a;
	char		*cause = NULL;

	a = accounts_add(&f->list, name, jid, &cause);
	assert_non_null(a);
	assert_null(cause);
	return a;
}

/* account_set(A, KEY, VALUE) must fail with CAUSE. */
static void
set_fails(struct account *a, const char *key, const char *value,
    const char *want)
{
	char	*cause = NULL;

	assert_int_equal(account_set(a, key, value, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
}

static void
accounts_add__creates_account__with_defaults(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "Me@Example.ORG");

	assert_string_equal(a->name, "work");
	assert_string_equal(a->jid, "me@example.org");
	assert_null(a->password);
	assert_null(a->server);
	assert_int_equal(a->port, 0);
	assert_int_equal(a->tls, TLS_STARTTLS);
	assert_int_equal(a->priority, 0);
	assert_ptr_equal(accounts_find(&f->list, "work"), a);
	assert_null(accounts_find(&f->list, "home"));
}

static void
accounts_add__keeps_order__when_adding_several(void **state)
{
	struct fixture	*f = *state;

	add(f, "b", "b@example.org");
	add(f, "a", "a@example.org");
	add(f, "c", "c@example.org");
	assert_string_equal(f->list.head->name, "b");
	assert_string_equal(f->list.head->next->name, "a");
	assert_string_equal(f->list.head->next->next->name, "c");
	assert_null(f->list.head->next->next->next);
}

static void
accounts_add__rejects_name__when_taken_or_bad(void **state)
{
	struct fixture	*f = *state;
	char		 long_name[66], *cause = NULL;

	add(f, "work", "me@example.org");
	assert_null(accounts_add(&f->list, "work", "you@example.org", &cause));
	assert_string_equal(cause, "account 'work' already exists");
	free(cause);
	cause = NULL;
	assert_null(accounts_add(&f->list, "my work", "me@example.org",
	    &cause));
	assert_non_null(strstr(cause, "bad account name 'my work'"));
	free(cause);
	cause = NULL;
	assert_null(accounts_add(&f->list, "", "me@example.org", &cause));
	free(cause);
	cause = NULL;

	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	assert_null(accounts_add(&f->list, long_name, "me@example.org",
	    &cause));
	free(cause);
	long_name[64] = '\0';
	add(f, long_name, "me@example.org");
	add(f, "me@home.org_2-x", "me@example.org");
}

static void
accounts_add__rejects_jid__when_bad(void **state)
{
	struct fixture	*f = *state;
	const char	*bad[] = { "", "example.org", "@example.org", "me@",
	    "me@example.org/res", "m e@example.org", "a@b@example.org" };
	char		*cause;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_null(accounts_add(&f->list, "x", bad[i], &cause));
		assert_non_null(cause);
		assert_true(strncmp(cause, "bad JID '", 9) == 0);
		free(cause);
	}
	assert_null(f->list.head);
}

static void
accounts_find_jid__matches_bare_jid__when_full_given(void **state)
{
	struct fixture	*f = *state;
	struct account	*a;

	add(f, "one", "one@example.org");
	a = add(f, "two", "two@example.org");
	assert_ptr_equal(accounts_find_jid(&f->list, "Two@Example.org/szia"),
	    a);
	assert_null(accounts_find_jid(&f->list, "three@example.org"));
	assert_null(accounts_find_jid(&f->list, "not a jid"));
}

static void
accounts_remove__unlinks_account__when_found(void **state)
{
	struct fixture	*f = *state;

	add(f, "a", "a@example.org");
	add(f, "b", "b@example.org");
	add(f, "c", "c@example.org");
	assert_int_equal(accounts_remove(&f->list, "b"), 0);
	assert_int_equal(accounts_remove(&f->list, "b"), -1);
	assert_string_equal(f->list.head->name, "a");
	assert_string_equal(f->list.head->next->name, "c");
	assert_int_equal(accounts_remove(&f->list, "a"), 0);
	assert_int_equal(accounts_remove(&f->list, "c"), 0);
	assert_null(f->list.head);
}

static void
account_set__sets_values__when_valid(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	char		*cause = NULL;

	assert_int_equal(account_set(a, "password", "s3cret ; x", &cause), 0);
	assert_string_equal(a->password, "s3cret ; x");
	assert_int_equal(account_set(a, "eval_password", " pass show xmpp ",
	    &cause), 0);
	assert_string_equal(a->eval_password, "pass show xmpp");
	assert_int_equal(account_set(a, "server", "xmpp.example.org", &cause),
	    0);
	assert_int_equal(account_set(a, "port", "5223", &cause), 0);
	assert_int_equal(a->port, 5223);
	assert_int_equal(account_set(a, "tls", "Direct", &cause), 0);
	assert_int_equal(a->tls, TLS_DIRECT);
	assert_int_equal(account_set(a, "resource", "laptop", &cause), 0);
	assert_int_equal(account_set(a, "priority", "-5", &cause), 0);
	assert_int_equal(a->priority, -5);
	assert_int_equal(account_set(a, "jid", "other@example.net", &cause), 0);
	assert_string_equal(a->jid, "other@example.net");
	assert_null(cause);
}

static void
account_set__clears_value__when_empty(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	char		*cause = NULL;

	assert_int_equal(account_set(a, "server", "x.example.org", &cause), 0);
	assert_int_equal(account_set(a, "server", "", &cause), 0);
	assert_null(a->server);
	assert_int_equal(account_set(a, "port", "5222", &cause), 0);
	assert_int_equal(account_set(a, "port", "", &cause), 0);
	assert_int_equal(a->port, 0);
	assert_int_equal(account_set(a, "password", "pw", &cause), 0);
	assert_int_equal(account_set(a, "password", "", &cause), 0);
	assert_null(a->password);
	assert_int_equal(account_set(a, "tls_fingerprint", FP_UPPER, &cause),
	    0);
	assert_int_equal(account_set(a, "tls_fingerprint", "", &cause), 0);
	assert_null(a->tls_fingerprint);
}

static void
account_set__rejects_key__when_unknown(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");

	set_fails(a, "passwd", "x", "unknown account key 'passwd'");
}

static void
account_set__rejects_port__when_out_of_range(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	const char	*bad[] = { "0", "65536", "-1", "52x", "http" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		set_fails(a, "port", bad[i],
		    "port must be a number from 1 to 65535");
	assert_int_equal(a->port, 0);
}

static void
account_set__rejects_tls__when_unknown_mode(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");

	set_fails(a, "tls", "ssl", "tls must be starttls, direct or plain");
	assert_int_equal(a->tls, TLS_STARTTLS);
}

static void
account_set__rejects_priority__when_out_of_range(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");

	set_fails(a, "priority", "128",
	    "priority must be a number from -128 to 127");
}

static void
account_set__rejects_jid__when_bad(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	char		*cause = NULL;

	assert_int_equal(account_set(a, "jid", "", &cause), -1);
	free(cause);
	assert_string_equal(a->jid, "me@example.org");
}

static void
account_set__rejects_password__without_echoing_it(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	char		*cause = NULL;

	assert_int_equal(account_set(a, "password", " secret", &cause), -1);
	assert_null(strstr(cause, "secret"));
	free(cause);
	cause = NULL;
	assert_int_equal(account_set(a, "password", "sec\nret", &cause), -1);
	assert_null(strstr(cause, "sec"));
	free(cause);
	assert_null(a->password);
}

static void
account_set__normalises_fingerprint__to_upper_case(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	char		*cause = NULL;

	assert_int_equal(account_set(a, "tls_fingerprint", FP_LOWER, &cause),
	    0);
	assert_string_equal(a->tls_fingerprint, FP_UPPER);
	assert_int_equal(account_set(a, "tls_fingerprint",
	    "abcdef0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789",
	    &cause), 0);
	assert_string_equal(a->tls_fingerprint, FP_UPPER);
}

static void
account_set__rejects_fingerprint__when_malformed(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	const char	*bad[] = {
	    "AB:CD",				/* too short */
	    FP_UPPER ":AB",			/* too long */
	    "GB:" FP_REST,			/* not hex */
	    "A:B:" FP_REST,			/* colon inside a pair */
	    "AB" FP_REST,			/* colon missing */
	    "AB::" FP_REST,			/* two colons */
	    FP_UPPER ":",			/* trailing colon */
	    ":" FP_UPPER,			/* leading colon */
	};
	const char	*want = "tls_fingerprint must be a SHA-256 "
	    "fingerprint: 32 hex pairs AB:CD:...";

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		set_fails(a, "tls_fingerprint", bad[i], want);
	assert_null(a->tls_fingerprint);
}

static void
account_keys__lists_every_key__null_terminated(void **state)
{
	struct fixture	*f = *state;
	struct account	*a = add(f, "work", "me@example.org");
	char		*cause;
	size_t		 n;

	for (n = 0; account_keys[n] != NULL; n++) {
		cause = NULL;
		/* Known: fails on the value, if at all, never on the key. */
		if (account_set(a, account_keys[n], "1", &cause) != 0) {
			assert_null(strstr(cause, "unknown"));
			free(cause);
		}
	}
	assert_int_equal(n, 9);
}

static void
tls_mode_name__names_modes__always(void **state)
{
	assert_string_equal(tls_mode_name(TLS_STARTTLS), "starttls");
	assert_string_equal(tls_mode_name(TLS_DIRECT), "direct");
	assert_string_equal(tls_mode_name(TLS_PLAIN), "plain");
}

static void
accounts_save__round_trips__through_load(void **state)
{
	struct fixture	*f = *state;
	struct accounts	 list2;
	struct account	*a, *b;
	char		*cause = NULL;

	a = add(f, "work", "me@example.org");
	assert_int_equal(account_set(a, "password", "p;a ;ss#w=rd", &cause), 0);
	assert_int_equal(account_set(a, "server", "xmpp.example.org", &cause),
	    0);
	assert_int_equal(account_set(a, "port", "5223", &cause), 0);
	assert_int_equal(account_set(a, "tls", "direct", &cause), 0);
	assert_int_equal(account_set(a, "resource", "laptop", &cause), 0);
	assert_int_equal(account_set(a, "tls_fingerprint", FP_LOWER, &cause),
	    0);
	assert_int_equal(account_set(a, "priority", "5", &cause), 0);
	b = add(f, "home", "me@home.example");
	/* 0 set on purpose is kept: it overrides presence.priority. */
	assert_int_equal(account_set(b, "priority", "0", &cause), 0);
	assert_int_equal(account_set(b, "eval_password", "pass show xmpp/home",
	    &cause), 0);
	assert_int_equal(accounts_save(&f->list, &cause), 0);

	accounts_init(&list2, f->path);
	assert_int_equal(accounts_load(&list2, &cause), 0);
	assert_null(cause);
	a = accounts_find(&list2, "work");
	assert_non_null(a);
	assert_string_equal(a->jid, "me@example.org");
	assert_string_equal(a->password, "p;a ;ss#w=rd");
	assert_null(a->eval_password);
	assert_string_equal(a->server, "xmpp.example.org");
	assert_int_equal(a->port, 5223);
	assert_int_equal(a->tls, TLS_DIRECT);
	assert_string_equal(a->resource, "laptop");
	assert_string_equal(a->tls_fingerprint, FP_UPPER);
	assert_int_equal(a->priority, 5);
	assert_true(a->has_priority);
	b = accounts_find(&list2, "home");
	assert_non_null(b);
	assert_ptr_equal(list2.head, a);
	assert_ptr_equal(a->next, b);
	assert_null(b->password);
	assert_string_equal(b->eval_password, "pass show xmpp/home");
	assert_null(b->server);
	assert_int_equal(b->port, 0);
	assert_int_equal(b->tls, TLS_STARTTLS);
	assert_true(b->has_priority);
	assert_int_equal(b->priority, 0);
	accounts_free(&list2);
}

static void
accounts_save__writes_only_set_keys__always(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, buf[512] = "";
	FILE		*fp;

	add(f, "work", "me@example.org");
	assert_int_equal(accounts_save(&f->list, &cause), 0);
	assert_non_null(fp = fopen(f->path, "r"));
	assert_true(fread(buf, 1, sizeof buf - 1, fp) > 0);
	fclose(fp);
	assert_non_null(strstr(buf, "\n[work]\njid = me@example.org\n"));
	assert_null(strstr(buf, "port"));
	assert_null(strstr(buf, "tls ="));
	assert_null(strstr(buf, "priority"));
}

static void
accounts_save__creates_private_files__when_folder_missing(void **state)
{
	struct fixture	*f = *state;
	struct stat	 st;
	char		*cause = NULL, *dir = paths_dir(PATH_CONFIG);
	struct account	*a = add(f, "work", "me@example.org");

	assert_int_equal(account_set(a, "password", "secret", &cause), 0);
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(accounts_save(&f->list, &cause), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(dir);
}

static void
accounts_save__does_nothing__when_path_is_null(void **state)
{
	struct accounts	 list;
	char		*cause = NULL;

	accounts_init(&list, NULL);
	assert_non_null(accounts_add(&list, "a", "a@example.org", &cause));
	assert_int_equal(accounts_save(&list, &cause), 0);
	assert_int_equal(accounts_load(&list, &cause), 0);
	assert_null(cause);
	accounts_free(&list);
}

static void
accounts_load__returns_empty_list__when_file_missing(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	add(f, "old", "old@example.org");
	assert_int_equal(accounts_load(&f->list, &cause), 0);
	assert_null(cause);
	assert_null(f->list.head);
}

static void
accounts_load__names_line__when_key_is_unknown(void **state)
{
	struct fixture	*f = *state;
	struct account	*a;
	char		*cause = NULL;

	write_file(f, "[work]\n"
	    "jid = me@example.org\n"
	    "pasword = secret\n"
	    "port = 5223\n"
	    "\n"
	    "[home]\n"
	    "jid = me@home.example\n");
	assert_int_equal(accounts_load(&f->list, &cause), -1);
	assert_string_equal(cause, "accounts:3: unknown account key 'pasword'");
	free(cause);
	/* The good lines are still there. */
	assert_non_null(a = accounts_find(&f->list, "work"));
	assert_int_equal(a->port, 5223);
	assert_non_null(accounts_find(&f->list, "home"));
}

static void
accounts_load__names_line__when_value_is_bad(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_file(f, "[work]\njid = me@example.org\ntls = ssl\n");
	assert_int_equal(accounts_load(&f->list, &cause), -1);
	assert_string_equal(cause,
	    "accounts:3: tls must be starttls, direct or plain");
	free(cause);
	cause = NULL;

	write_file(f, "[work]\njid = me@example.org\nport = 99999\n");
	assert_int_equal(accounts_load(&f->list, &cause), -1);
	assert_string_equal(cause,
	    "accounts:3: port must be a number from 1 to 65535");
	free(cause);
}

static void
accounts_load__names_section_line__when_account_is_bad(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_file(f, "# accounts\n[ok]\njid = a@example.org\n\n[nojid]\n"
	    "port = 5222\n");
	assert_int_equal(accounts_load(&f->list, &cause), -1);
	assert_string_equal(cause, "accounts:5: account 'nojid' has no jid");
	free(cause);
	cause = NULL;
	assert_non_null(accounts_find(&f->list, "ok"));
	assert_null(accounts_find(&f->list, "nojid"));

	write_file(f, "[bad name]\njid = a@example.org\n");
	assert_int_equal(accounts_load(&f->list, &cause), -1);
	assert_string_equal(cause, "accounts:1: bad account name 'bad name'");
	free(cause);
	cause = NULL;
	assert_null(f->list.head);

	write_file(f, "[a]\njid = a@example.org\n[a]\njid = b@example.org\n");
	assert_int_equal(accounts_load(&f->list, &cause), -1);
	assert_string_equal(cause, "accounts:3: account 'a' is defined twice");
	free(cause);
	assert_string_equal(f->list.head->jid, "a@example.org");
	assert_null(f->list.head->next);
}

static void
accounts_load__rejects_keys__outside_a_section(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	write_file(f, "jid = a@example.org\n[a]\njid = a@example.org\n");
	assert_int_equal(accounts_load(&f->list, &cause), -1);
	assert_string_equal(cause,
	    "accounts:1: 'jid' is outside an [account] section");
	free(cause);
	assert_non_null(accounts_find(&f->list, "a"));
}

static void
accounts_load__keeps_long_names__past_inih_section_limit(void **state)
{
	struct fixture	*f = *state;
	char		 name[65], text[200], *cause = NULL;

	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(text, sizeof text, "[%s]\njid = a@example.org\n", name);
	write_file(f, text);
	assert_int_equal(accounts_load(&f->list, &cause), 0);
	assert_non_null(accounts_find(&f->list, name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(accounts_add__creates_account__with_defaults),
		T(accounts_add__keeps_order__when_adding_several),
		T(accounts_add__rejects_name__when_taken_or_bad),
		T(accounts_add__rejects_jid__when_bad),
		T(accounts_find_jid__matches_bare_jid__when_full_given),
		T(accounts_remove__unlinks_account__when_found),
		T(account_set__sets_values__when_valid),
		T(account_set__clears_value__when_empty),
		T(account_set__rejects_key__when_unknown),
		T(account_set__rejects_port__when_out_of_range),
		T(account_set__rejects_tls__when_unknown_mode),
		T(account_set__rejects_priority__when_out_of_range),
		T(account_set__rejects_jid__when_bad),
		T(account_set__rejects_password__without_echoing_it),
		T(account_set__normalises_fingerprint__to_upper_case),
		T(account_set__rejects_fingerprint__when_malformed),
		T(account_keys__lists_every_key__null_terminated),
		T(tls_mode_name__names_modes__always),
		T(accounts_save__round_trips__through_load),
		T(accounts_save__writes_only_set_keys__always),
		T(accounts_save__creates_private_files__when_folder_missing),
		T(accounts_save__does_nothing__when_path_is_null),
		T(accounts_load__returns_empty_list__when_file_missing),
		T(accounts_load__names_line__when_key_is_unknown),
		T(accounts_load__names_line__when_value_is_bad),
		T(accounts_load__names_section_line__when_account_is_bad),
		T(accounts_load__rejects_keys__outside_a_section),
		T(accounts_load__keeps_long_names__past_inih_section_limit),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
