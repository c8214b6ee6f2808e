#include "CMuPDF.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mupdf/fitz.h>

struct cmupdf_document {
    fz_context *context;
    fz_document *document;
    FILE *file;
    /// The text of the page extracted last. cmupdf_extract_page_text returns a pointer into it.
    fz_buffer *text;
    int warning_count;
    char first_warning[256];
};

struct cmupdf_cookie {
    fz_cookie cookie;
};

// MuPDF's threading model (fitz/context.h): one base context created with lock callbacks, then one
// clone per thread or per task. The clones share the allocator, the resource store and the document
// handlers, and each has its own exception stack. The base context lives as long as the process.
static pthread_mutex_t shared_mutexes[FZ_LOCK_MAX];
static pthread_once_t shared_context_once = PTHREAD_ONCE_INIT;
static fz_context *shared_context;

/// Locks mutex number `lock` for MuPDF. fz_locks_context callbacks cannot report a failure, and
/// going on without the lock would corrupt MuPDF's shared state, so a failure aborts.
static void lock_mutex(void *user, int lock) {
    (void)user;
    if (pthread_mutex_lock(&shared_mutexes[lock]) != 0) {
        abort();
    }
}

/// Unlocks mutex number `lock` for MuPDF, aborting on failure like lock_mutex.
static void unlock_mutex(void *user, int lock) {
    (void)user;
    if (pthread_mutex_unlock(&shared_mutexes[lock]) != 0) {
        abort();
    }
}

/// Drops MuPDF's error messages, which it would otherwise print to stderr. Callers read them from
/// cmupdf_error instead.
static void ignore_message(void *user, const char *message) {
    (void)user;
    (void)message;
}

/// Counts a warning for the document in `user` and keeps the first one. MuPDF reports a warning
/// repeated back to back only once, followed by a "... repeated N times..." line.
static void record_warning(void *user, const char *message) {
    cmupdf_document *document = user;
    if (document->warning_count == 0) {
        snprintf(document->first_warning, sizeof document->first_warning, "%s", message);
    }
    document->warning_count += 1;
}

/// Creates the base context and registers the document handlers. pthread_once runs it once.
static void create_shared_context(void) {
    for (int i = 0; i < FZ_LOCK_MAX; i++) {
        if (pthread_mutex_init(&shared_mutexes[i], NULL) != 0) {
            return;
        }
    }
    fz_locks_context locks = {.user = NULL, .lock = lock_mutex, .unlock = unlock_mutex};
    fz_context *context = fz_new_context(NULL, &locks, FZ_STORE_DEFAULT);
    if (context == NULL) {
        return;
    }
    fz_set_error_callback(context, ignore_message, NULL);
    fz_set_warning_callback(context, ignore_message, NULL);

    // fz_drop_context must not run inside fz_catch, so the failure is only noted there.
    int registered = 0;
    fz_var(registered);
    fz_try(context) {
        fz_register_document_handlers(context);
        registered = 1;
    }
    fz_catch(context) {
        registered = 0;
    }
    if (!registered) {
        fz_drop_context(context);
        return;
    }
    shared_context = context;
}

/// Clears `error` so that a success leaves no stale message behind.
static void clear_error(cmupdf_error *error) {
    memset(error, 0, sizeof *error);
}

/// Fills `error` with the shim's own status and message.
static cmupdf_status set_error(cmupdf_error *error, cmupdf_status status, const char *message) {
    error->status = status;
    snprintf(error->message, sizeof error->message, "%s", message);
    return status;
}

/// Fills `error` from the MuPDF error just caught on `context`. Call only inside fz_catch.
static cmupdf_status set_caught_error(cmupdf_error *error, fz_context *context) {
    int code = fz_caught(context);
    error->mupdf_code = code;
    error->status = code == FZ_ERROR_MEMORY ? CMUPDF_ERROR_MEMORY : CMUPDF_ERROR_DOCUMENT;
    snprintf(error->message, sizeof error->message, "%s", fz_caught_message(context));
    return error->status;
}

/// Fills `error` from errno after a failed system call named `call`.
static cmupdf_status set_system_error(cmupdf_error *error, const char *call, int saved_errno) {
    error->status = CMUPDF_ERROR_SYSTEM;
    error->system_errno = saved_errno;
    snprintf(error->message, sizeof error->message, "%s failed: %s", call, strerror(saved_errno));
    return error->status;
}

cmupdf_document *cmupdf_open_document(const char *path, cmupdf_error *error) {
    if (error == NULL) {
        return NULL;
    }
    clear_error(error);
    if (path == NULL) {
        set_error(error, CMUPDF_ERROR_ARGUMENT, "no path was given");
        return NULL;
    }
    pthread_once(&shared_context_once, create_shared_context);
    if (shared_context == NULL) {
        set_error(error, CMUPDF_ERROR_MEMORY, "the shared MuPDF context could not be created");
        return NULL;
    }

    // "e" sets O_CLOEXEC, so a child process the service might start does not inherit the file.
    FILE *file = fopen(path, "rbe");
    if (file == NULL) {
        set_system_error(error, "fopen", errno);
        return NULL;
    }
    struct stat status;
    if (fstat(fileno(file), &status) != 0) {
        set_system_error(error, "fstat", errno);
        fclose(file);
        return NULL;
    }
    if (!S_ISREG(status.st_mode)) {
        set_error(error, CMUPDF_ERROR_NOT_REGULAR_FILE, "the path is not a regular file");
        fclose(file);
        return NULL;
    }

    cmupdf_document *document = calloc(1, sizeof *document);
    if (document == NULL) {
        set_error(error, CMUPDF_ERROR_MEMORY, "calloc failed");
        fclose(file);
        return NULL;
    }
    document->file = file;
    document->context = fz_clone_context(shared_context);
    if (document->context == NULL) {
        set_error(error, CMUPDF_ERROR_MEMORY, "fz_clone_context failed");
        cmupdf_close_document(document);
        return NULL;
    }
    fz_context *context = document->context;
    fz_set_error_callback(context, ignore_message, NULL);
    fz_set_warning_callback(context, record_warning, document);

    // The document keeps its own reference to the stream, so the one taken here is dropped either way.
    // The "application/pdf" magic selects the PDF handler even for a file named like another format.
    // cmupdf_close_document drops the context, which must not happen inside fz_catch.
    // NOTE: fitz/stream.h lists fz_open_file_ptr_no_close under implementation details. It is public
    // in MuPDF 1.21 (Debian 12) but may change in later versions.
    fz_stream *stream = NULL;
    fz_var(stream);
    fz_try(context) {
        stream = fz_open_file_ptr_no_close(context, file);
        document->document = fz_open_document_with_stream(context, "application/pdf", stream);
    }
    fz_always(context) {
        fz_drop_stream(context, stream);
    }
    fz_catch(context) {
        set_caught_error(error, context);
    }
    if (error->status != CMUPDF_OK) {
        cmupdf_close_document(document);
        return NULL;
    }
    return document;
}

void cmupdf_close_document(cmupdf_document *document) {
    if (document == NULL) {
        return;
    }
    // fz_drop_context flushes buffered warnings through record_warning, so `document` must still
    // be allocated at that point.
    if (document->context != NULL) {
        fz_drop_buffer(document->context, document->text);
        fz_drop_document(document->context, document->document);
        fz_drop_context(document->context);
    }
    if (document->file != NULL) {
        fclose(document->file);
    }
    free(document);
}

cmupdf_status cmupdf_needs_password(cmupdf_document *document, int *needs_password, cmupdf_error *error) {
    if (error == NULL) {
        return CMUPDF_ERROR_ARGUMENT;
    }
    clear_error(error);
    if (document == NULL || needs_password == NULL) {
        return set_error(error, CMUPDF_ERROR_ARGUMENT, "no document or result pointer was given");
    }
    fz_context *context = document->context;
    fz_try(context) {
        *needs_password = fz_needs_password(context, document->document);
    }
    fz_catch(context) {
        return set_caught_error(error, context);
    }
    return CMUPDF_OK;
}

cmupdf_status cmupdf_count_pages(cmupdf_document *document, int *page_count, cmupdf_error *error) {
    if (error == NULL) {
        return CMUPDF_ERROR_ARGUMENT;
    }
    clear_error(error);
    if (document == NULL || page_count == NULL) {
        return set_error(error, CMUPDF_ERROR_ARGUMENT, "no document or result pointer was given");
    }
    fz_context *context = document->context;
    fz_try(context) {
        *page_count = fz_count_pages(context, document->document);
    }
    fz_catch(context) {
        return set_caught_error(error, context);
    }
    return CMUPDF_OK;
}

cmupdf_status cmupdf_extract_page_text(
    cmupdf_document *document, int page_number, cmupdf_cookie *cookie, const char **text, size_t *length,
    cmupdf_error *error) {
    if (error == NULL) {
        return CMUPDF_ERROR_ARGUMENT;
    }
    clear_error(error);
    if (document == NULL || text == NULL || length == NULL) {
        return set_error(error, CMUPDF_ERROR_ARGUMENT, "no document or result pointer was given");
    }
    if (page_number < 0) {
        return set_error(error, CMUPDF_ERROR_ARGUMENT, "the page number is negative");
    }
    fz_context *context = document->context;
    fz_drop_buffer(context, document->text);
    document->text = NULL;
    if (cookie != NULL && cmupdf_cookie_is_aborted(cookie)) {
        return set_error(error, CMUPDF_ERROR_ABORTED, "the extraction was aborted");
    }

    // The steps and options of `mutool draw -F txt` in MuPDF 1.21. The page, with its annotations and
    // form fields, is recorded into a display list and the list is run into the text device, as
    // mutool does by default. Running the page straight into the text device, as
    // fz_new_buffer_from_page does, leaves out form fields or adds blank lines for empty ones. The
    // cookie is passed to both runs, so an abort also stops the interpretation of the page. The
    // options clip to the media box and leave out FZ_STEXT_PRESERVE_LIGATURES,
    // FZ_STEXT_PRESERVE_WHITESPACE and FZ_STEXT_DEHYPHENATE.
    fz_stext_options options = {.flags = FZ_STEXT_MEDIABOX_CLIP, .scale = 1};
    fz_cookie *mupdf_cookie = cookie == NULL ? NULL : &cookie->cookie;
    fz_page *page = NULL;
    fz_stext_page *structured = NULL;
    fz_device *device = NULL;
    fz_buffer *buffer = NULL;
    fz_output *output = NULL;
    fz_display_list *list = NULL;
    fz_device *list_device = NULL;
    fz_var(list);
    fz_var(list_device);
    fz_var(output);
    fz_var(page);
    fz_var(structured);
    fz_var(device);
    fz_var(buffer);
    fz_try(context) {
        page = fz_load_page(context, document->document, page_number);
        fz_rect bounds = fz_bound_page(context, page);
        list = fz_new_display_list(context, bounds);
        list_device = fz_new_list_device(context, list);
        fz_run_page(context, page, list_device, fz_identity, mupdf_cookie);
        fz_close_device(context, list_device);
        structured = fz_new_stext_page(context, bounds);
        device = fz_new_stext_device(context, structured, &options);
        fz_run_display_list(context, list, device, fz_identity, fz_infinite_rect, mupdf_cookie);
        fz_close_device(context, device);
        buffer = fz_new_buffer(context, 4096);
        output = fz_new_output_with_buffer(context, buffer);
        fz_print_stext_page_as_text(context, output, structured);
        fz_close_output(context, output);
    }
    fz_always(context) {
        fz_drop_output(context, output);
        fz_drop_device(context, list_device);
        fz_drop_display_list(context, list);
        fz_drop_device(context, device);
        fz_drop_stext_page(context, structured);
        fz_drop_page(context, page);
    }
    fz_catch(context) {
        fz_drop_buffer(context, buffer);
        if (cookie != NULL && cmupdf_cookie_is_aborted(cookie)) {
            return set_error(error, CMUPDF_ERROR_ABORTED, "the extraction was aborted");
        }
        return set_caught_error(error, context);
    }
    // MuPDF's interpreter stops quietly at an abort, so the text may be incomplete and is dropped.
    if (cookie != NULL && cmupdf_cookie_is_aborted(cookie)) {
        fz_drop_buffer(context, buffer);
        return set_error(error, CMUPDF_ERROR_ABORTED, "the extraction was aborted");
    }

    document->text = buffer;
    unsigned char *data = NULL;
    *length = fz_buffer_storage(context, buffer, &data);
    *text = (const char *)data;
    return CMUPDF_OK;
}

cmupdf_cookie *cmupdf_cookie_new(void) {
    return calloc(1, sizeof(cmupdf_cookie));
}

void cmupdf_cookie_free(cmupdf_cookie *cookie) {
    free(cookie);
}

// MuPDF reads `abort` as a plain int from the extracting thread, which is how fz_cookie is meant to
// be used (fitz/device.h). The atomic accesses keep this side free of torn or cached values.
void cmupdf_cookie_abort(cmupdf_cookie *cookie) {
    if (cookie != NULL) {
        __atomic_store_n(&cookie->cookie.abort, 1, __ATOMIC_SEQ_CST);
    }
}

int cmupdf_cookie_is_aborted(const cmupdf_cookie *cookie) {
    return cookie != NULL && __atomic_load_n(&cookie->cookie.abort, __ATOMIC_SEQ_CST) != 0;
}

int cmupdf_warning_count(const cmupdf_document *document) {
    return document == NULL ? 0 : document->warning_count;
}

const char *cmupdf_first_warning(const cmupdf_document *document) {
    return document == NULL ? "" : document->first_warning;
}
