/*
 * styling.c - XEP-0393 message styling to per-byte style masks (see
 * styling.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/styling.h"
#include "util/xalloc.h"

static int
styling_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static unsigned char
styling_of(char c)
{
	switch (c) {
	case '*':
		return STYLE_STRONG;
	case '_':
		return STYLE_EMPH;
	case '~':
		return STYLE_STRIKE;
	case '`':
		return STYLE_PRE;
	default:
		return 0;
	}
}

/* Spans in S[A, B): one line, or the inside of a span. */
static int
styling_spans(const char *s, size_t a, size_t b, unsigned char *mask)
{
	size_t		 i, j, k;
	unsigned char	 st;
	int		 any = 0;

	for (i = a; i < b; i++) {
		if ((st = styling_of(s[i])) == 0)
			continue;
		/* An opening directive: at the start or after whitespace,
		 * and not followed by whitespace. */
		if ((i > a && !styling_space(s[i - 1])) || i + 1 >= b ||
		    styling_space(s[i + 1]))
			continue;
		for (j = i + 2; j < b; j++) {
			if (s[j] == s[i] && !styling_space(s[j - 1]))
				break;
		}
		if (j >= b)
			continue;
		for (k = i; k <= j; k++)
			mask[k] |= st;
		if (st != STYLE_PRE)
			styling_spans(s, i + 1, j, mask);
		any = 1;
		i = j;
	}
	return any;
}

unsigned char *
styling_parse(const char *s, size_t len)
{
	unsigned char	*mask = xcalloc(len > 0 ? len : 1, 1);
	size_t		 line, end, k, q;
	int		 block = 0, any = 0;

	for (line = 0; line < len; line = end + 1) {
		for (end = line; end < len && s[end] != '\n'; end++)
			;
		if (block || (end - line >= 3 &&
		    strncmp(s + line, "```", 3) == 0)) {
			/* Opening fence, inside, or the closing fence. */
			for (k = line; k < end; k++)
				mask[k] |= STYLE_BLOCK;
			any = 1;
			if (!block)
				block = 1;
			else if (end - line == 3 &&
			    strncmp(s + line, "```", 3) == 0)
				block = 0;
			continue;
		}
		q = line;
		if (s[line] == '>') {
			for (k = line; k < end; k++)
				mask[k] |= STYLE_QUOTE;
			any = 1;
			while (q < end && s[q] == '>')
				q++;
			if (q < end && s[q] == ' ')
				q++;
		}
		any |= styling_spans(s, q, end, mask);
	}
	if (!any) {
		free(mask);
		return NULL;
	}
	return mask;
}
