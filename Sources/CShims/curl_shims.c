#include "CShims.h"
#include "variadic_curl.h"

CURLcode regtui_curl_setopt_long(CURL *h, CURLoption o, long v) { return regtui_curl_setopt_function()(h, o, v); }
CURLcode regtui_curl_setopt_offset(CURL *h, CURLoption o, curl_off_t v) { return regtui_curl_setopt_function()(h, o, v); }
CURLcode regtui_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return regtui_curl_setopt_function()(h, o, v); }
CURLcode regtui_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return regtui_curl_setopt_function()(h, o, v); }
CURLcode regtui_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return regtui_curl_setopt_function()(h, o, v); }
CURLcode regtui_curl_setopt_callback(CURL *h, CURLoption o, regtui_curl_data_callback v) { return regtui_curl_setopt_function()(h, o, v); }
CURLcode regtui_curl_setopt_blob(CURL *h, CURLoption o, const void *d, size_t n) {
    struct curl_blob blob = { (void *)d, n, CURL_BLOB_COPY };
    return regtui_curl_setopt_function()(h, o, &blob);
}
CURLcode regtui_curl_setopt_progress(CURL *h, regtui_curl_progress_callback v) { return regtui_curl_setopt_function()(h, CURLOPT_XFERINFOFUNCTION, v); }
CURLcode regtui_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return regtui_curl_getinfo_function()(h, i, v); }
