/*
 * i18n.h - gettext for xmpp-setup's messages.
 *
 * _() translates a message where it is used; N_() only marks a string in
 * a static table for xgettext, and _() translates it where it is shown.
 * The generated files are never translated.  glibc has gettext built in.
 */
#ifndef WIZARD_I18N_H
#define WIZARD_I18N_H

#include <libintl.h>

#define XMPP_SETUP_DOMAIN	"xmpp-setup"

#define _(s)	gettext(s)
#define N_(s)	(s)

#endif /* WIZARD_I18N_H */
