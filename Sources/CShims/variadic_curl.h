#ifndef REGTUI_VARIADIC_CURL_H
#define REGTUI_VARIADIC_CURL_H
#include <curl/curl.h>

// The variadic curl_easy_setopt and curl_easy_getinfo of the libcurl opened on first use, for
// the typed wrappers of curl_shims.c (Swift cannot call variadic functions).
typedef CURLcode (*regtui_curl_setopt_variadic)(CURL *, CURLoption, ...);
typedef CURLcode (*regtui_curl_getinfo_variadic)(CURL *, CURLINFO, ...);
regtui_curl_setopt_variadic regtui_curl_setopt_function(void);
regtui_curl_getinfo_variadic regtui_curl_getinfo_function(void);

#endif
