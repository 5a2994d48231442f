/*
 * occupants.c - the occupant panel: in a room window (or a private
 * window of a room) the side panel lists the room's occupants grouped by
 * role (Moderators, Participants, Visitors) instead of the roster.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/room.h"
#include "ui/ui-int.h"
#include "util/xalloc.h"

static int
occupant_cmp(const void *a, const void *b)
{
	const struct occupant	*x = *(const struct occupant *const *)a;
	const struct occupant	*y = *(const struct occupant *const *)b;

	if (x->role != y->role)
		return (int)y->role - (int)x->role;	/* moderators first */
	return strcasecmp(x->safe, y->safe);
}

/* Draw the occupants of the current window's room; 0 if it has none. */
int
occupants_draw(struct ui *ui)
{
	static const char *const groups[] = { "Others", "Visitors",
	    "Participants", "Moderators" };
	struct room	*r = room_of_window(ui->sz, ui->sz->windows.current);
	struct occupant	*o, *tmp, **v;
	size_t		 n = 0, i;
	int		 h, w, y = 0, x, last = -1;

	if (r == NULL || ui->side == NULL)
		return 0;
	getmaxyx(ui->side, h, w);
	werase(ui->side);
	draw_role(ui->side, ROLE_BORDER);
	for (x = 0; x < h; x++)
		mvwaddch(ui->side, x, 0, ACS_VLINE);
	v = xcalloc(HASH_COUNT(r->occupants) + 1, sizeof *v);
	HASH_ITER(hh, r->occupants, o, tmp)
		v[n++] = o;
	qsort(v, n, sizeof *v, occupant_cmp);
	for (i = 0; i < n && y < h; i++) {
		o = v[i];
		if ((int)o->role != last) {
			last = o->role;
			draw_role(ui->side, ROLE_ROSTER_GROUP);
			wmove(ui->side, y++, 1);
			draw_text(ui->side, groups[o->role], w - 1);
			if (y >= h)
				break;
		}
		draw_role(ui->side, layout_show_role(o->show));
		wmove(ui->side, y++, 1);
		x = draw_text(ui->side, o->affil == AFFIL_OWNER ? "~" :
		    o->affil == AFFIL_ADMIN ? "&" : o->affil == AFFIL_MEMBER ?
		    "+" : " ", w - 1);
		x += draw_text(ui->side, o->safe, w - 1 - x);
		if (o->status != NULL && w - 1 - x > 4) {
			draw_role(ui->side, ROLE_ROSTER_OFFLINE);
			x += draw_text(ui->side, " ", w - 1 - x);
			draw_text(ui->side, o->status, w - 1 - x);
		}
	}
	if (n == 0) {
		draw_role(ui->side, ROLE_ROSTER_OFFLINE);
		wmove(ui->side, 0, 1);
		draw_text(ui->side, "(not in the room)", w - 1);
	}
	free(v);
	wnoutrefresh(ui->side);
	return 1;
}
