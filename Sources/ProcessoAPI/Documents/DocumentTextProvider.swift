/// Returns the text of a document in the configured documents folder.
public protocol DocumentTextProvider: Sendable {
    /// Extracts the text of `fileName`, page after page. `fileName` is a plain file name chosen by the
    /// service, never a path taken from a request.
    func text(ofDocumentNamed fileName: String) throws(DocumentError) -> String
}
