/*
 * utf8.c - UTF-8 decoding, display width and sanitising (see utf8.h).
 */
#include <string.h>
#include <wchar.h>

#include "util/str.h"
#include "util/utf8.h"
#include "util/xalloc.h"

int
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 c, min;
	int			 n, i;

	if (len == 0)
		return -1;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return -1;
	if ((size_t)n > len)
		return -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return n;
}

int
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | (cp >> 6);
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | (cp >> 12);
		out[1] = 0x80 | ((cp >> 6) & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | (cp >> 18);
	out[1] = 0x80 | ((cp >> 12) & 0x3f);
	out[2] = 0x80 | ((cp >> 6) & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

int
utf8_cpwidth(uint32_t cp)
{
	int	w;

	if (cp < 0x80)
		return cp >= 0x20 && cp != 0x7f ? 1 : 0;
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1;	/* unknown: ncurses draws it in one cell */
	return w;
}

int
utf8_width(const char *s)
{
	size_t		len = strlen(s);
	uint32_t	cp;
	int		n, width = 0;

	while (len > 0) {
		if ((n = utf8_decode(s, len, &cp)) < 0) {
			n = 1;
			cp = 0xfffd;
		}
		width += utf8_cpwidth(cp);
		s += n;
		len -= n;
	}
	return width;
}

size_t
utf8_fit(const char *s, int width, int *used)
{
	return utf8_fitn(s, strlen(s), width, used);
}

size_t
utf8_fitn(const char *s, size_t len, int width, int *used)
{
	size_t		off = 0;
	uint32_t	cp;
	int		n, w, total = 0;

	while (off < len) {
		if ((n = utf8_decode(s + off, len - off, &cp)) < 0) {
			n = 1;
			cp = 0xfffd;
		}
		w = utf8_cpwidth(cp);
		if (total + w > width)
			break;
		total += w;
		off += n;
	}
	if (used != NULL)
		*used = total;
	return off;
}

char *
utf8_sanitize(const char *s, size_t len, int flags)
{
	struct strbuf	 out = { 0 };
	uint32_t	 cp;
	char		 enc[4];
	size_t		 run;
	int		 n;

	while (len > 0) {
		/* Runs of printable ASCII, most text, are copied whole. */
		for (run = 0; run < len && (unsigned char)s[run] >= 0x20 &&
		    (unsigned char)s[run] < 0x7f; run++)
			;
		if (run > 0) {
			strbuf_add(&out, s, run);
			s += run;
			len -= run;
			continue;
		}
		if ((n = utf8_decode(s, len, &cp)) < 0) {
			n = 1;
			cp = 0xfffd;
		}
		s += n;
		len -= n;
		if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
			if (flags & UTF8_KEEP_NEWLINES)
				cp = '\n';
			else
				cp = 0x2424;
		} else if (cp == '\t')
			cp = ' ';
		else if (cp < 0x20)
			cp = 0x2400 + cp;
		else if (cp == 0x7f)
			cp = 0x2421;
		else if (cp >= 0x80 && cp <= 0x9f)
			cp = 0xfffd;
		else if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			cp = 0xfffd;	/* bidi overrides: "evil\u202etxt.exe" */
		strbuf_add(&out, enc, utf8_encode(cp, enc));
	}
	return strbuf_take(&out);
}

char *
utf8_safe(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	return utf8_sanitize(s, strlen(s), 0);
}
