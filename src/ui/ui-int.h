/*
 * ui-int.h - shared by the files of src/ui/ only.
 */
#ifndef SZIA_UI_INT_H
#define SZIA_UI_INT_H

#include <curses.h>

#include "core/core.h"
#include "core/theme.h"

struct hist_state;

struct ui {
	struct szia		*sz;
	WINDOW			*title;
	WINDOW			*main;
	WINDOW			*side;		/* roster panel, or NULL */
	WINDOW			*status;
	WINDOW			*input;
	int			 rows;
	int			 cols;
	int			 sig_pipe[2];
	int			 colours;	/* COLORS, or 0 */
	unsigned		 theme_version;
	int			 input_dirty;
	/* Readline history per window, by window name. */
	struct hist_state	*hist;
	size_t			 nhist;
	char			*hist_window;	/* whose history is loaded */
};

/* draw.c */
void	draw_role(WINDOW *, enum theme_role);
/* layout.c: the theme role of a presence (roster and occupants). */
enum theme_role layout_show_role(enum show);
/* Draw S clipped to WIDTH columns; returns the columns used. */
int	draw_text(WINDOW *, const char *s, int width);
/* Like draw_text but for N bytes of S. */
int	draw_textn(WINDOW *, const char *s, size_t n, int width);
void	draw_apply_theme(struct ui *);
/* [quality] draw_textn with XEP-0393 style MASK (per byte; may be NULL)
 * on top of ROLE. */
int	draw_styled(WINDOW *, const char *s, size_t n,
	    const unsigned char *mask, enum theme_role role, int width);
/*
 * Split S into rows of at most WIDTH columns, breaking at spaces when
 * possible; calls FN(arg, start, len) per row, honouring '\n'.  Returns
 * the number of rows.
 */
int	draw_wrap(const char *s, int width,
	    void (*fn)(void *, const char *, size_t), void *arg);

/* layout.c */
void	layout_create(struct ui *);
void	layout_destroy(struct ui *);
void	layout_draw_title(struct ui *);
void	layout_draw_status(struct ui *);
void	layout_draw_roster(struct ui *);
/* occupants.c: the room's occupants in place of the roster. */
int	occupants_draw(struct ui *);
void	layout_draw_main(struct ui *);

/* input.c */
void	input_init(struct ui *);
void	input_free(struct ui *);
void	input_feed(struct ui *, const char *buf, size_t len);
void	input_draw(struct ui *);
/* The current window changed: swap its input history in. */
void	input_switch_history(struct ui *);

#endif
