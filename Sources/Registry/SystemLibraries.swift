import CShims

/// libcurl and libarchive, which regtui opens on first use instead of at start (see
/// `CShims/lazy_libraries.c`): this says, before the first call into one, when it cannot be.
public enum SystemLibraries {
    /// Why libcurl cannot be opened, or nil when it is open.
    public static var curlProblem: String? { regtui_curl_problem().map { "libcurl cannot be loaded (\(String(cString: $0))); install libcurl4" } }

    /// Throws unless libarchive is open: which library, why, and what to install.
    public static func requireArchive() throws(RegistryError) {
        guard let problem = regtui_archive_problem() else { return }
        throw .unexpected("libarchive cannot be loaded (\(String(cString: problem))); install libarchive13")
    }
}
