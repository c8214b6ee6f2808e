#ifndef CMUPDF_H
#define CMUPDF_H

// A small C API over MuPDF for extracting the text of PDF files.
//
// MuPDF reports errors with fz_try/fz_catch, which are setjmp/longjmp. Swift cannot unwind through
// longjmp, so every MuPDF call happens inside this shim, which catches the error and returns a status
// plus a message instead. Every function is safe to call from many threads at once, as long as one
// cmupdf_document is used by one thread at a time.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The outcome of a shim call.
typedef enum cmupdf_status {
    CMUPDF_OK = 0,
    /// fopen(3) or fstat(2) failed; cmupdf_error.system_errno contains errno.
    CMUPDF_ERROR_SYSTEM = 1,
    /// The path exists but is not a regular file (a directory, a socket, a device).
    CMUPDF_ERROR_NOT_REGULAR_FILE = 2,
    /// MuPDF could not allocate memory, or the shared MuPDF context could not be created.
    CMUPDF_ERROR_MEMORY = 3,
    /// MuPDF could not open or parse the document or one of its pages.
    CMUPDF_ERROR_DOCUMENT = 4,
    /// The caller passed a NULL pointer or a page number out of range.
    CMUPDF_ERROR_ARGUMENT = 5,
    /// The work stopped because cmupdf_cookie_abort was called on the call's cookie.
    CMUPDF_ERROR_ABORTED = 6,
} cmupdf_status;

/// The reason a call failed. `message` is MuPDF's own text or the shim's, meant for logs and not for clients.
typedef struct cmupdf_error {
    cmupdf_status status;
    /// MuPDF's error code (FZ_ERROR_GENERIC, FZ_ERROR_SYNTAX, ...) or 0 when MuPDF raised nothing.
    int mupdf_code;
    /// errno for CMUPDF_ERROR_SYSTEM, otherwise 0.
    int system_errno;
    /// A NUL-terminated message, truncated to fit.
    char message[256];
} cmupdf_error;

/// An open PDF together with the MuPDF context cloned for it. Opaque to callers.
typedef struct cmupdf_document cmupdf_document;

/// MuPDF's fz_cookie, which lets another thread stop the interpretation of a page. Opaque to callers.
typedef struct cmupdf_cookie cmupdf_cookie;

/// Allocates a cookie that is not aborted. Returns NULL when memory is exhausted. Free it with
/// cmupdf_cookie_free once no extraction uses it.
cmupdf_cookie *cmupdf_cookie_new(void);

/// Frees a cookie. Accepts NULL.
void cmupdf_cookie_free(cmupdf_cookie *cookie);

/// Asks every extraction that uses `cookie` to stop as soon as MuPDF next checks it, which it does
/// between content-stream operators. Safe to call from any thread while an extraction runs.
void cmupdf_cookie_abort(cmupdf_cookie *cookie);

/// Returns 1 once cmupdf_cookie_abort was called on `cookie`, 0 otherwise.
int cmupdf_cookie_is_aborted(const cmupdf_cookie *cookie);

/// Opens the PDF at `path` without a password.
///
/// The file is opened with fopen(3) first so that a missing or unreadable file is reported with its
/// errno rather than as a MuPDF message. The document is always read as a PDF, whatever its name.
/// A damaged cross-reference table is repaired by MuPDF, as `mutool` does. Returns NULL and fills
/// `error` on failure. Free the result with cmupdf_close_document.
cmupdf_document *cmupdf_open_document(const char *path, cmupdf_error *error);

/// Frees the document, its text buffer, its MuPDF context and its file. Accepts NULL.
void cmupdf_close_document(cmupdf_document *document);

/// Sets `*needs_password` to 1 when the document is encrypted and the empty user password does not
/// open it, 0 otherwise. MuPDF tries the empty password itself, so such files read like plain ones.
cmupdf_status cmupdf_needs_password(cmupdf_document *document, int *needs_password, cmupdf_error *error);

/// Sets `*page_count` to the number of pages.
cmupdf_status cmupdf_count_pages(cmupdf_document *document, int *page_count, cmupdf_error *error);

/// Extracts the text of page `page_number` (0-based) as UTF-8, the way `mutool draw -F txt` prints a
/// page: each line ends with a newline, and each block of lines is followed by one more newline.
///
/// Text outside the page's media box is dropped and ligatures are expanded (MuPDF's default). Words
/// hyphenated at a line end are left as they are, as `mutool` prints them.
/// `cookie` may be NULL. When it is aborted before or during the call, the call returns
/// CMUPDF_ERROR_ABORTED and no text.
/// `*text` points into a buffer owned by the document. It is not NUL-terminated, contains `*length`
/// bytes, and stays valid until the next call to this function or cmupdf_close_document.
cmupdf_status cmupdf_extract_page_text(
    cmupdf_document *document, int page_number, cmupdf_cookie *cookie, const char **text, size_t *length,
    cmupdf_error *error);

/// Returns how many warnings MuPDF raised for this document so far, such as a repaired
/// cross-reference table. MuPDF's own stderr output is turned off, so this is the only record.
int cmupdf_warning_count(const cmupdf_document *document);

/// Returns the first warning MuPDF raised for this document, or an empty string. The text lives as long
/// as the document.
const char *cmupdf_first_warning(const cmupdf_document *document);

#ifdef __cplusplus
}
#endif

#endif
