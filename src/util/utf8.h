/*
 * utf8.h - UTF-8 decoding, display width and sanitising of remote text.
 *
 * Width comes from the C library's wcwidth(), the same function ncurses
 * uses to place characters, so what szia measures is what the terminal
 * library draws (glibc 2.36 knows Unicode 14; a separate table such as
 * utf8proc's could disagree with ncurses and misalign lines).  It needs a
 * UTF-8 LC_CTYPE, which main() ensures.
 */
#ifndef SZIA_UTF8_H
#define SZIA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one character from S (at most LEN bytes).  Returns the bytes used
 * (1-4) and sets *CP, or -1 for an invalid, overlong, surrogate or truncated
 * sequence (then one byte should be skipped).
 */
int	 utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encode CP into OUT (at least 4 bytes); returns the length. */
int	 utf8_encode(uint32_t cp, char *out);

/* Display columns of one code point: 0, 1 or 2 (never negative). */
int	 utf8_cpwidth(uint32_t cp);
/* Display columns of a NUL-terminated, already sanitised string. */
int	 utf8_width(const char *s);
/*
 * The number of bytes of S's longest prefix that fits in WIDTH columns,
 * never splitting a character; *USED (if not NULL) gets its width.
 */
size_t	 utf8_fit(const char *s, int width, int *used);
/* The same for the first LEN bytes of S. */
size_t	 utf8_fitn(const char *s, size_t len, int width, int *used);

#define UTF8_KEEP_NEWLINES	0x1	/* keep \n (message bodies) */

/*
 * Return a copy of LEN bytes of remote text that is safe to show on a
 * terminal: invalid UTF-8 becomes U+FFFD; C0 controls (ESC, BEL, CR, ...),
 * DEL and C1 controls (U+0080-U+009F, including the 8-bit CSI) become the
 * visible Unicode "control picture" (U+2400 + code, e.g. ESC -> U+241B),
 * tab becomes a space, and a newline is kept only with UTF8_KEEP_NEWLINES
 * (otherwise it becomes U+2424).  U+2028/U+2029 count as newlines.
 * Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
 * which can make a terminal show "exe.txt" for "txt.exe", become U+FFFD.
 * The caller frees the result.
 */
char	*utf8_sanitize(const char *s, size_t len, int flags);
/* utf8_sanitize(s, strlen(s), 0), or a copy of "" for NULL. */
char	*utf8_safe(const char *s);

#endif
