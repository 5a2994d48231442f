/*
 * curl-load.c - dlopen() libcurl on first use (see curl-load.h).
 */
#include <dlfcn.h>
#include <stddef.h>

#include "util/xalloc.h"
#include "xmpp/curl-load.h"

#define CURL_SONAME	"libcurl.so.4"

struct curl_fns	 curl_fn;
static void	*curl_lib;
static int	 curl_ready;

static const struct {
	const char	*name;
	size_t		 offset;
} curl_syms[] = {
	{ "curl_global_cleanup", offsetof(struct curl_fns, global_cleanup) },
	{ "curl_easy_init", offsetof(struct curl_fns, easy_init) },
	{ "curl_easy_cleanup", offsetof(struct curl_fns, easy_cleanup) },
	{ "curl_easy_setopt", offsetof(struct curl_fns, easy_setopt) },
	{ "curl_easy_getinfo", offsetof(struct curl_fns, easy_getinfo) },
	{ "curl_easy_strerror", offsetof(struct curl_fns, easy_strerror) },
	{ "curl_slist_append", offsetof(struct curl_fns, slist_append) },
	{ "curl_slist_free_all", offsetof(struct curl_fns, slist_free_all) },
	{ "curl_multi_init", offsetof(struct curl_fns, multi_init) },
	{ "curl_multi_cleanup", offsetof(struct curl_fns, multi_cleanup) },
	{ "curl_multi_add_handle",
	    offsetof(struct curl_fns, multi_add_handle) },
	{ "curl_multi_remove_handle",
	    offsetof(struct curl_fns, multi_remove_handle) },
	{ "curl_multi_perform", offsetof(struct curl_fns, multi_perform) },
	{ "curl_multi_fdset", offsetof(struct curl_fns, multi_fdset) },
	{ "curl_multi_timeout", offsetof(struct curl_fns, multi_timeout) },
	{ "curl_multi_info_read", offsetof(struct curl_fns, multi_info_read) },
};

int
curl_load(char **cause)
{
	CURLcode	(*global_init)(long);
	void		*sym;
	size_t		 i;

	if (curl_ready)
		return 0;
	if (curl_lib == NULL &&
	    (curl_lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		*cause = xasprintf("cannot load %s (install Debian's libcurl4): "
		    "%s", CURL_SONAME, dlerror());
		return -1;
	}
	for (i = 0; i < sizeof curl_syms / sizeof curl_syms[0]; i++) {
		if ((sym = dlsym(curl_lib, curl_syms[i].name)) == NULL) {
			*cause = xasprintf("%s has no %s", CURL_SONAME,
			    curl_syms[i].name);
			return -1;
		}
		/* POSIX: a data pointer from dlsym() converts to a
		 * function pointer. */
		*(void **)((char *)&curl_fn + curl_syms[i].offset) = sym;
	}
	*(void **)&global_init = dlsym(curl_lib, "curl_global_init");
	if (global_init == NULL || global_init(CURL_GLOBAL_DEFAULT) != 0) {
		*cause = xasprintf("cannot initialise %s", CURL_SONAME);
		return -1;
	}
	curl_ready = 1;
	return 0;
}

int
curl_loaded(void)
{
	return curl_ready;
}

void
curl_unload(void)
{
	if (!curl_ready)
		return;
	curl_fn.global_cleanup();
	curl_ready = 0;
}
