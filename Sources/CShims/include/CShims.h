#ifndef REGTUI_CSHIMS_H
#define REGTUI_CSHIMS_H
// Typed, one-line wrappers for libcurl's variadic functions, which Swift cannot call.
// Every symbol here starts with `regtui_`.
#include <curl/curl.h>

// libcurl and libarchive are opened on first use (lazy_libraries.c). These say why one cannot
// be, or NULL when it is open; call before the library's first function.
const char *regtui_curl_problem(void);
const char *regtui_archive_problem(void);

typedef size_t (*regtui_curl_data_callback)(char *data, size_t size, size_t count, void *context);

CURLcode regtui_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode regtui_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode regtui_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode regtui_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode regtui_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode regtui_curl_setopt_callback(CURL *handle, CURLoption option, regtui_curl_data_callback value);
CURLcode regtui_curl_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length);
typedef int (*regtui_curl_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
CURLcode regtui_curl_setopt_progress(CURL *handle, regtui_curl_progress_callback value);
CURLcode regtui_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
