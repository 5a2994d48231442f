/*
 * curl-load.h - libcurl, loaded when the first upload starts.
 *
 * Debian's libcurl pulls in some 25 shared libraries (LDAP, Kerberos,
 * RTMP, SSH, GnuTLS, ...): linked into szia they cost every session about
 * 4 MB of memory, though most sessions never upload a file.  So szia is
 * built against libcurl's headers only and dlopen()s libcurl.so.4 (the
 * OpenSSL flavour, Debian's libcurl4) the first time it is needed;
 * upload.c calls it through curl_fn.
 */
#ifndef SZIA_CURL_LOAD_H
#define SZIA_CURL_LOAD_H

#include <curl/curl.h>

struct curl_fns {
	void		 (*global_cleanup)(void);
	CURL		*(*easy_init)(void);
	void		 (*easy_cleanup)(CURL *);
	CURLcode	 (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	 (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char	*(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		 (*slist_free_all)(struct curl_slist *);
	CURLM		*(*multi_init)(void);
	CURLMcode	 (*multi_cleanup)(CURLM *);
	CURLMcode	 (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode	 (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode	 (*multi_perform)(CURLM *, int *);
	CURLMcode	 (*multi_fdset)(CURLM *, fd_set *, fd_set *, fd_set *,
			     int *);
	CURLMcode	 (*multi_timeout)(CURLM *, long *);
	CURLMsg		*(*multi_info_read)(CURLM *, int *);
};

extern struct curl_fns curl_fn;

/* Load and initialise libcurl once; 0, or -1 with *CAUSE (caller frees). */
int	curl_load(char **cause);
/* Has curl_load() succeeded? */
int	curl_loaded(void);
/* curl_global_cleanup() if loaded (the library stays mapped). */
void	curl_unload(void);

#endif
