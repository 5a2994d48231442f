/*
 * draw.c - the only code that puts text on the screen.
 *
 * Text from the core is already sanitised, but nothing here trusts that:
 * any byte below 0x20 (or DEL) is drawn as '?', so no escape sequence can
 * reach the terminal even if a caller forgot.  Widths come from
 * src/util/utf8.c (wcwidth, as ncurses itself measures).
 */
#include <stdlib.h>
#include <string.h>

#include "core/styling.h"
#include "ui/ui-int.h"
#include "util/utf8.h"

/* The theme on screen, and attributes standing in for missing colours. */
static const struct theme	*draw_theme;
static attr_t			 draw_extra[ROLE_COUNT];

void
draw_role(WINDOW *w, enum theme_role role)
{
	const struct theme_style	*st;
	attr_t				 a = draw_extra[role];

	st = &draw_theme->style[role];
	if (st->attrs & THEME_BOLD)
		a |= A_BOLD;
	if (st->attrs & THEME_DIM)
		a |= A_DIM;
	if (st->attrs & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (st->attrs & THEME_REVERSE)
		a |= A_REVERSE;
#ifdef A_ITALIC
	if (st->attrs & THEME_ITALIC)
		a |= A_ITALIC;
#endif
	if (has_colors())
		a |= COLOR_PAIR(role + 1);
	wattrset(w, a);
}

/* Map a theme colour to what the terminal has. */
static short
draw_colour(short c, int colours, attr_t *extra)
{
	if (c < 0)
		return -1;
	if (c < colours)
		return c;
	if (c < 16) {			/* bright on an 8-colour terminal */
		*extra |= A_BOLD;
		return c - 8;
	}
	if (c >= 232)			/* greys */
		return c < 244 ? COLOR_BLACK : COLOR_WHITE;
	c -= 16;			/* 6x6x6 cube to the nearest basic */
	return ((c / 36) >= 3 ? COLOR_RED : 0) |
	    (((c / 6) % 6) >= 3 ? COLOR_GREEN : 0) |
	    ((c % 6) >= 3 ? COLOR_BLUE : 0);
}

void
draw_apply_theme(struct ui *ui)
{
	int	i;
	attr_t	extra;

	draw_theme = &ui->sz->theme;
	ui->theme_version = ui->sz->theme.version;
	if (!has_colors())
		return;
	for (i = 0; i < ROLE_COUNT; i++) {
		extra = 0;
		init_pair(i + 1,
		    draw_colour(ui->sz->theme.style[i].fg, ui->colours, &extra),
		    draw_colour(ui->sz->theme.style[i].bg, ui->colours, &extra));
		draw_extra[i] = extra;
	}
}

int
draw_textn(WINDOW *w, const char *s, size_t n, int width)
{
	uint32_t	cp;
	int		len, cw, used = 0;
	char		enc[4];

	while (n > 0 && used < width) {
		if ((len = utf8_decode(s, n, &cp)) < 0) {
			len = 1;
			cp = 0xfffd;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			cp = '?';
		cw = utf8_cpwidth(cp);
		if (used + cw > width)
			break;
		waddnstr(w, enc, utf8_encode(cp, enc));
		used += cw;
		s += len;
		n -= len;
	}
	return used;
}

int
draw_text(WINDOW *w, const char *s, int width)
{
	return draw_textn(w, s, strlen(s), width);
}

int
draw_wrap(const char *s, int width, void (*fn)(void *, const char *, size_t),
    void *arg)
{
	const char	*line, *end, *p, *brk;
	size_t		 fit, len;
	int		 rows = 0;

	if (width < 1)
		width = 1;
	for (line = s; ; line = end + 1) {
		end = strchr(line, '\n');
		len = end != NULL ? (size_t)(end - line) : strlen(line);
		p = line;
		do {
			fit = utf8_fitn(p, len, width, NULL);
			if (fit == 0 && len > 0)	/* wider than width */
				fit = 1;
			if (fit < len) {
				/* Break at the last space that fits. */
				for (brk = p + fit; brk > p && *brk != ' ';
				    brk--)
					;
				if (brk > p)
					fit = brk - p;
			}
			fn(arg, p, fit);
			rows++;
			p += fit;
			len -= fit;
			while (len > 0 && *p == ' ') {
				p++;
				len--;
			}
		} while (len > 0);
		if (end == NULL)
			break;
	}
	return rows;
}

/* [quality] XEP-0393: the attributes standing for a style mask. */
static attr_t
draw_style_attrs(unsigned char m)
{
	attr_t	a = 0;

	if (m & STYLE_STRONG)
		a |= A_BOLD;
	if (m & STYLE_EMPH)
#ifdef A_ITALIC
		a |= A_ITALIC;
#else
		a |= A_UNDERLINE;
#endif
	if (m & STYLE_STRIKE)		/* no strike-through in curses */
		a |= A_UNDERLINE;
	if (m & (STYLE_PRE | STYLE_BLOCK))
		a |= A_REVERSE;
	if (m & STYLE_QUOTE)
		a |= A_DIM;
	return a;
}

int
draw_styled(WINDOW *w, const char *s, size_t n, const unsigned char *mask,
    enum theme_role role, int width)
{
	size_t	run;
	int	used = 0;

	if (mask == NULL) {
		draw_role(w, role);
		return draw_textn(w, s, n, width);
	}
	while (n > 0 && used < width) {
		for (run = 1; run < n && mask[run] == mask[0]; run++)
			;
		draw_role(w, role);
		wattron(w, draw_style_attrs(mask[0]));
		used += draw_textn(w, s, run, width - used);
		s += run;
		mask += run;
		n -= run;
	}
	return used;
}
