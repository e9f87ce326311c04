import Foundation
import OCI
import Registry
import Stores

/// The `REF [--platform P]` operands shared by `manifest`, `digest`, `config` and `inspect`.
struct ReferenceOperand {
    let reference: ImageRef
    let platform: Platform?

    static let help = "  --platform P   with an index, use its image for os/arch[/variant], e.g. linux/arm64"
    /// What REF may be, for every command's help.
    static let stores = """
    REF is a registry reference (host/repo:tag, host/repo@sha256:…), an OCI image layout
    (oci:DIR[:TAG]), an OCI archive (oci-archive:FILE[:TAG]) or what docker save and podman save
    write (docker-archive:FILE[:REPO:TAG]).
    """

    init(arguments: inout Arguments) throws(UsageError) {
        let platforms = try parsePlatforms(arguments.options("--platform"))
        guard platforms.count <= 1 else { throw UsageError("give --platform once") }
        platform = platforms.first
        reference = try parseReference(arguments.operand("REF"))
    }
}

/// `regtui manifest REF`: the manifest's bytes exactly as the registry serves them.
struct ManifestCommand: Command {
    static let name = "manifest"
    static let summary = "print a manifest or index, byte for byte"
    static let help = """
    Usage: regtui manifest REF [--platform P]

    Prints the manifest or index REF names exactly as the registry (or layout, or archive) holds
    it, so its sha256 is the digest (on a terminal, control characters are shown escaped).
    \(ReferenceOperand.stores)
    \(ReferenceOperand.help)
    """
    let operand: ReferenceOperand

    init(arguments: inout Arguments) throws(UsageError) { operand = try ReferenceOperand(arguments: &arguments) }

    func run(_ context: Context) async throws -> Int32 {
        let store = context.store(operand.reference)
        var id = operand.reference.manifestID
        if let platform = operand.platform, let index = try await store.manifest(id).index {
            id = .digest(try child(of: index, for: platform, in: operand.reference.description).digest)
        }
        context.output.raw(try await store.rawManifest(id))
        return ExitStatus.success
    }
}

/// `regtui digest REF`: the digest people pin.
struct DigestCommand: Command {
    static let name = "digest"
    static let summary = "print the digest a reference resolves to"
    static let help = """
    Usage: regtui digest REF [--platform P]

    Prints the digest of the manifest or index REF names: the one to pin as repo@sha256:….
    \(ReferenceOperand.help)
    """
    let operand: ReferenceOperand

    init(arguments: inout Arguments) throws(UsageError) { operand = try ReferenceOperand(arguments: &arguments) }

    func run(_ context: Context) async throws -> Int32 {
        let store = context.store(operand.reference)
        let digest: Digest
        if operand.platform == nil, let described = try await store.describe(operand.reference.manifestID) {
            digest = described.digest
        } else {
            digest = try await store.manifest(operand.reference.manifestID, platform: operand.platform).0.digest
        }
        if context.json {
            context.output.json(["reference": operand.reference.description, "digest": digest.description])
        } else {
            context.output.line(digest.description)
        }
        return ExitStatus.success
    }
}

/// `regtui config REF`: the image configuration, whose digest is the engine's image ID.
struct ConfigCommand: Command {
    static let name = "config"
    static let summary = "print an image's config JSON (its digest is the image ID)"
    static let help = """
    Usage: regtui config REF [--platform P]

    Prints the image configuration blob byte for byte. Its digest is the image ID that
    `docker image ls` shows. For an index, the image for --platform, else for this machine.
    \(ReferenceOperand.help)
    """
    let operand: ReferenceOperand

    init(arguments: inout Arguments) throws(UsageError) { operand = try ReferenceOperand(arguments: &arguments) }

    func run(_ context: Context) async throws -> Int32 {
        let (bytes, _) = try await context.store(operand.reference).imageConfig(operand.reference.manifestID, platform: operand.platform)
        context.output.raw(bytes)
        return ExitStatus.success
    }
}
