// libcurl and libarchive, opened on first use instead of when regtui starts: with the ~40
// libraries they bring (TLS, Kerberos, LDAP, ICU, compressors), starting took three times as
// long, also for commands that never touch the network or a tar file (`regtui diff file:…`,
// `--help`). Each function regtui calls is defined here with the library's own prototype and
// calls the library's, looked up once. The definitions are hidden, so they are not exported and
// cannot stand in for the library's own calls to itself.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <curl/curl.h>
#include <archive.h>
#include <archive_entry.h>
#include "CShims.h"
#include "variadic_curl.h"

struct library {
    const char *soname;
    pthread_once_t once;
    void *handle;
    char problem[512];
};

static struct library curl_library = { "libcurl.so.4", PTHREAD_ONCE_INIT, NULL, "" };
static struct library archive_library = { "libarchive.so.13", PTHREAD_ONCE_INIT, NULL, "" };

static void open_library(struct library *library) {
    library->handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
    if (!library->handle) {
        const char *reason = dlerror();
        snprintf(library->problem, sizeof library->problem, "%s", reason ? reason : library->soname);
    }
}

static void open_curl(void) { open_library(&curl_library); }
static void open_archive(void) { open_library(&archive_library); }

const char *regtui_curl_problem(void) {
    pthread_once(&curl_library.once, open_curl);
    return curl_library.handle ? NULL : curl_library.problem;
}

const char *regtui_archive_problem(void) {
    pthread_once(&archive_library.once, open_archive);
    return archive_library.handle ? NULL : archive_library.problem;
}

// Swift checks the `_problem` functions before the first call, so failing here is a bug.
static void *symbol(struct library *library, const char *(*problem)(void), const char *name) {
    const char *why = problem();
    void *found = why ? NULL : dlsym(library->handle, name);
    if (!found) {
        fprintf(stderr, "regtui: %s has no %s: %s\n", library->soname, name, why ? why : "missing symbol");
        abort();
    }
    return found;
}

#define LAZY(library, result, name, parameters, arguments)                                        \
    __attribute__((visibility("hidden"))) result name parameters {                              \
        static result (*real) parameters;                                                       \
        result (*function) parameters = __atomic_load_n(&real, __ATOMIC_ACQUIRE);               \
        if (!function) {                                                                        \
            function = (result (*) parameters)symbol(&library##_library, regtui_##library##_problem, #name); \
            __atomic_store_n(&real, function, __ATOMIC_RELEASE);                                \
        }                                                                                       \
        return function arguments;                                                              \
    }

LAZY(curl, CURLcode, curl_global_init, (long flags), (flags))
LAZY(curl, CURL *, curl_easy_init, (void), ())
LAZY(curl, void, curl_easy_cleanup, (CURL *curl), (curl))
LAZY(curl, void, curl_easy_reset, (CURL *curl), (curl))
LAZY(curl, CURLcode, curl_easy_perform, (CURL *curl), (curl))
LAZY(curl, const char *, curl_easy_strerror, (CURLcode code), (code))
LAZY(curl, struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data), (list, data))
LAZY(curl, void, curl_slist_free_all, (struct curl_slist *list), (list))

// The variadic two, returned as functions for the typed wrappers in curl_shims.c to call.
#define LAZY_VARIADIC(type, name, real_name)                                                      \
    type name(void) {                                                                             \
        static type real;                                                                         \
        type function = __atomic_load_n(&real, __ATOMIC_ACQUIRE);                                 \
        if (!function) {                                                                          \
            function = (type)symbol(&curl_library, regtui_curl_problem, real_name);               \
            __atomic_store_n(&real, function, __ATOMIC_RELEASE);                                  \
        }                                                                                         \
        return function;                                                                          \
    }

LAZY_VARIADIC(regtui_curl_setopt_variadic, regtui_curl_setopt_function, "curl_easy_setopt")
LAZY_VARIADIC(regtui_curl_getinfo_variadic, regtui_curl_getinfo_function, "curl_easy_getinfo")

LAZY(archive, struct archive *, archive_read_new, (void), ())
LAZY(archive, int, archive_read_free, (struct archive *a), (a))
LAZY(archive, int, archive_read_support_filter_all, (struct archive *a), (a))
LAZY(archive, int, archive_read_support_format_tar, (struct archive *a), (a))
LAZY(archive, int, archive_read_support_format_raw, (struct archive *a), (a))
LAZY(archive, int, archive_read_open, (struct archive *a, void *client, archive_open_callback *open,
                                       archive_read_callback *read, archive_close_callback *close),
     (a, client, open, read, close))
LAZY(archive, int, archive_read_open_filename, (struct archive *a, const char *file, size_t block), (a, file, block))
LAZY(archive, int, archive_read_next_header, (struct archive *a, struct archive_entry **entry), (a, entry))
LAZY(archive, la_ssize_t, archive_read_data, (struct archive *a, void *buffer, size_t size), (a, buffer, size))
LAZY(archive, const char *, archive_error_string, (struct archive *a), (a))
LAZY(archive, struct archive *, archive_write_new, (void), ())
LAZY(archive, int, archive_write_free, (struct archive *a), (a))
LAZY(archive, int, archive_write_close, (struct archive *a), (a))
LAZY(archive, int, archive_write_set_format_pax_restricted, (struct archive *a), (a))
LAZY(archive, int, archive_write_open_filename, (struct archive *a, const char *file), (a, file))
LAZY(archive, int, archive_write_header, (struct archive *a, struct archive_entry *entry), (a, entry))
LAZY(archive, la_ssize_t, archive_write_data, (struct archive *a, const void *buffer, size_t size), (a, buffer, size))
LAZY(archive, struct archive_entry *, archive_entry_new, (void), ())
LAZY(archive, void, archive_entry_free, (struct archive_entry *entry), (entry))
LAZY(archive, const char *, archive_entry_pathname, (struct archive_entry *entry), (entry))
LAZY(archive, const char *, archive_entry_pathname_utf8, (struct archive_entry *entry), (entry))
LAZY(archive, const char *, archive_entry_symlink, (struct archive_entry *entry), (entry))
LAZY(archive, const char *, archive_entry_hardlink, (struct archive_entry *entry), (entry))
LAZY(archive, la_int64_t, archive_entry_size, (struct archive_entry *entry), (entry))
LAZY(archive, la_int64_t, archive_entry_uid, (struct archive_entry *entry), (entry))
LAZY(archive, la_int64_t, archive_entry_gid, (struct archive_entry *entry), (entry))
LAZY(archive, time_t, archive_entry_mtime, (struct archive_entry *entry), (entry))
LAZY(archive, __LA_MODE_T, archive_entry_perm, (struct archive_entry *entry), (entry))
LAZY(archive, __LA_MODE_T, archive_entry_filetype, (struct archive_entry *entry), (entry))
LAZY(archive, void, archive_entry_set_pathname, (struct archive_entry *entry, const char *name), (entry, name))
LAZY(archive, void, archive_entry_set_size, (struct archive_entry *entry, la_int64_t size), (entry, size))
LAZY(archive, void, archive_entry_set_perm, (struct archive_entry *entry, __LA_MODE_T mode), (entry, mode))
LAZY(archive, void, archive_entry_set_filetype, (struct archive_entry *entry, unsigned int type), (entry, type))
