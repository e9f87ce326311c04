import OCI

/// What a registry did with a `DELETE` of a manifest.
public enum DeleteOutcome: Sendable, Equatable {
    /// Removed (202).
    case deleted
    /// The registry deletes manifests by digest only and refused to delete by tag (distribution
    /// 2.8 answers 400 `DIGEST_INVALID`, others 400 or 405 `UNSUPPORTED`); nothing changed.
    case tagDeleteUnsupported
}

extension RegistryClient {
    /// Deletes what `reference` names: by digest, the manifest and with it every tag on it; by
    /// tag, only that tag, where the registry allows it. A registry with deletes disabled gets a
    /// clear error.
    public func deleteManifest(_ reference: Reference) async throws(RegistryError) -> DeleteOutcome {
        let what = "deletion of \(reference)"
        let response = try await send(reference.registry, "DELETE", manifestPath(reference), scopes: [Self.deleteScope(reference)],
                                      what: what)
        if response.status == 202 || response.status == 200 || response.status == 204 { return .deleted }
        let codes = RegistryError.details(from: response.body).map(\.code)
        if reference.digest == nil, [400, 405].contains(response.status), codes.isEmpty || codes.contains("DIGEST_INVALID") || codes.contains("UNSUPPORTED") {
            return .tagDeleteUnsupported
        }
        if response.status == 405 {
            throw .unsupported(what: "\(reference.description) was not deleted", reason: "the registry has deletes disabled (HTTP 405\(codes.isEmpty ? "" : " " + codes.joined(separator: ", "))); its operator can enable them (distribution: storage.delete.enabled: true)")
        }
        throw failure(response, registry: reference.registry, what: what)
    }

    static func deleteScope(_ repository: Reference) -> String { "repository:\(repository.repository):delete" }
}
