/*
 * store.h - the message log behind the core's struct log_ops: opens
 * $XDG_DATA_HOME/szia/<account>/log.db (folder 0700) and maps struct
 * logmsg to the history module.
 */
#ifndef SZIA_STORE_H
#define SZIA_STORE_H

#include "core/logmsg.h"

struct store;

extern const struct log_ops store_log_ops;

struct store	*store_new(void);
void		 store_free(struct store *);

#endif
