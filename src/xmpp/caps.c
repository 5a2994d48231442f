/*
 * caps.c - entity capabilities (XEP-0115): the <c/> in our presence.
 *
 * The verification string is computed at run time over the very
 * <query/> we answer disco#info with (in.c, xin_disco_query), so every
 * feature any part adds there is counted without anyone touching this
 * file.  SHA-1 and base64 come from libstrophe.
 */
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/xalloc.h"
#include "xmpp/xmpp-int.h"

static int
caps_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort a copy of the N strings of V (octet order). */
static const char **
caps_sorted(const char *const *v, size_t n)
{
	const char	**s = xcalloc(n + 1, sizeof *s);

	if (n > 0)
		memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, caps_cmp);
	return s;
}

char *
caps_ver(xmpp_ctx_t *ctx, const char *const *identities, size_t nid,
    const char *const *features, size_t nfeatures)
{
	struct strbuf	 sb;
	const char	**ids = caps_sorted(identities, nid);
	const char	**feats = caps_sorted(features, nfeatures);
	unsigned char	 digest[20];
	char		*b64, *ver;
	size_t		 i;

	/* XEP-0115 5.1: identities "category/type/lang/name<", then
	 * features "var<", each sorted; no extended forms here. */
	memset(&sb, 0, sizeof sb);
	strbuf_add(&sb, "", 0);
	for (i = 0; i < nid; i++) {
		strbuf_add(&sb, ids[i], strlen(ids[i]));
		strbuf_add(&sb, "<", 1);
	}
	for (i = 0; i < nfeatures; i++) {
		strbuf_add(&sb, feats[i], strlen(feats[i]));
		strbuf_add(&sb, "<", 1);
	}
	xmpp_sha1_digest((const unsigned char *)sb.s, sb.len, digest);
	b64 = xmpp_base64_encode(ctx, digest, sizeof digest);
	ver = xstrdup(b64);
	xmpp_free(ctx, b64);
	strbuf_free(&sb);
	free(ids);
	free(feats);
	return ver;
}

char *
caps_ver_of_query(xmpp_ctx_t *ctx, xmpp_stanza_t *query)
{
	xmpp_stanza_t	*c;
	char		**ids = NULL, *ver;
	const char	**feats = NULL, *v;
	size_t		 nid = 0, nf = 0, i;

	for (c = xmpp_stanza_get_children(query); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c))
			continue;
		if (strcmp(xmpp_stanza_get_name(c), "identity") == 0) {
#define A(n) (xmpp_stanza_get_attribute(c, n) != NULL ? \
	xmpp_stanza_get_attribute(c, n) : "")
			ids = xreallocarray(ids, nid + 1, sizeof *ids);
			ids[nid++] = xasprintf("%s/%s/%s/%s", A("category"),
			    A("type"), A("xml:lang"), A("name"));
#undef A
		} else if (strcmp(xmpp_stanza_get_name(c), "feature") == 0 &&
		    (v = xmpp_stanza_get_attribute(c, "var")) != NULL) {
			feats = xreallocarray(feats, nf + 1, sizeof *feats);
			feats[nf++] = v;
		}
	}
	ver = caps_ver(ctx, (const char *const *)ids, nid, feats, nf);
	for (i = 0; i < nid; i++)
		free(ids[i]);
	free(ids);
	free(feats);
	return ver;
}

void
caps_add(struct xmpp_link *xl, xmpp_stanza_t *p)
{
	xmpp_stanza_t	*q = xin_disco_query(xl->ctx, NULL);
	xmpp_stanza_t	*c = xs_tag(xl->ctx, "c", NS_CAPS);
	char		*ver = caps_ver_of_query(xl->ctx, q);

	xmpp_stanza_set_attribute(c, "hash", "sha-1");
	xmpp_stanza_set_attribute(c, "node", CAPS_NODE);
	xmpp_stanza_set_attribute(c, "ver", ver);
	xmpp_stanza_add_child(p, c);
	xmpp_stanza_release(c);
	xmpp_stanza_release(q);
	free(ver);
}
