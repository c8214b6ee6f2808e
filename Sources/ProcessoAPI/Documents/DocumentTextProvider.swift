/// Returns the text of a document in the configured documents folder.
public protocol DocumentTextProvider: Sendable {
    /// Returns the text of `fileName`, page by page. `fileName` is a plain file name chosen by the
    /// service or the registry, never a path taken from a request.
    ///
    /// - Throws: `DocumentError`, including `.noTextLayer` when not one page has text.
    func document(named fileName: String) throws(DocumentError) -> DocumentText
}
