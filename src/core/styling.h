/*
 * styling.h - XEP-0393 message styling, parsed without any terminal
 * knowledge: the UI maps the styles to attributes.
 *
 * styling_parse() gives one style mask per byte of the text.  It follows
 * the XEP's rules: spans (*strong* _emphasis_ ~strike~ `pre`) start at
 * the start of a line or after whitespace, are not followed by
 * whitespace when they open nor preceded by it when they close, are not
 * empty, do not cross lines and nest only inside each other; nothing is
 * styled inside `pre`.  A line starting with ``` opens a preformatted
 * block that a line of exactly ``` closes (or the end of the text); a
 * line starting with > is a quote.  The directives stay visible and
 * carry the style of their span.
 */
#ifndef SZIA_STYLING_H
#define SZIA_STYLING_H

#include <stddef.h>

#define STYLE_STRONG	0x01
#define STYLE_EMPH	0x02
#define STYLE_STRIKE	0x04
#define STYLE_PRE	0x08	/* `inline` */
#define STYLE_BLOCK	0x10	/* ```block``` (fence lines included) */
#define STYLE_QUOTE	0x20	/* > quote */

/* LEN style masks for the LEN bytes of TEXT (caller frees); NULL if none
 * of the text is styled. */
unsigned char	*styling_parse(const char *text, size_t len);

#endif
