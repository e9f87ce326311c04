import Foundation
import OCI
import TestSupport
import Testing

/// The `regtui` binary's read-only commands, as a script would use them, against the rig.
@Suite struct ReadCommandsTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    /// An environment with empty credential stores, so the developer's own never leak in.
    func isolated(_ extra: [String: String] = [:]) -> [String: String] {
        let home = NSTemporaryDirectory() + "regtui-cli-\(UUID().uuidString)"
        return ["HOME": home, "DOCKER_CONFIG": home + "/docker", "REGISTRY_AUTH_FILE": "", "XDG_RUNTIME_DIR": ""].merging(extra) { $1 }
    }

    @Test func catalogListsEveryRepositoryAcrossPages() async throws {
        let result = try await regtui(["catalog", rig.source], environment: isolated())
        #expect(result.status == 0)
        let names = result.text.split(separator: "\n").map(String.init)
        #expect(names.filter { $0.hasPrefix("many/repo-") }.count == 40)
        // Other tests add repositories meanwhile: the JSON list holds at least what the text one did.
        let json = try await regtui(["catalog", rig.source, "--json"], environment: isolated())
        let listed = Set((JSONValue.parse(json.stdout)?.array ?? []).compactMap(\.string))
        #expect(Set(names).isSubset(of: listed))
    }

    @Test func tagsAndManifestAndDigestAgreeWithSkopeo() async throws {
        let tags = try await regtui(["tags", "\(rig.source)/tags/many"], environment: isolated())
        #expect(tags.text.split(separator: "\n").count == 15)
        let manifest = try await regtui(["manifest", rig.ref("multiarch")], environment: isolated())
        #expect(manifest.stdout == (try await skopeoRaw(rig.ref("multiarch"))))
        #expect(Digest.of(manifest.stdout).description == rig.digest("multiarch"))
        let digest = try await regtui(["digest", rig.ref("multiarch")], environment: isolated())
        #expect(digest.text == rig.digest("multiarch") + "\n")
        let child = try await regtui(["digest", rig.ref("multiarch"), "--platform", "linux/arm/v7"], environment: isolated())
        #expect(child.text.trimmingCharacters(in: .newlines) == rig.fixtures["multiarch"]?["children"]?[2]?["digest"]?.string)
    }

    @Test func configDigestIsTheImageID() async throws {
        let config = try await regtui(["config", rig.ref("single")], environment: isolated())
        #expect(Digest.of(config.stdout).description == rig.fixtures["single"]?["config"]?.string)
        let inspect = try await regtui(["inspect", rig.ref("single"), "--json"], environment: isolated())
        let report = JSONValue.parse(inspect.stdout)
        #expect(report?["imageID"]?.string == rig.fixtures["single"]?["config"]?.string)
        #expect(report?["digest"]?.string == rig.digest("single"))
        #expect(report?["layers"]?.array?.count == 2)
        #expect(report?["platform"]?.string == "linux/amd64")
    }

    @Test func inspectShowsPlatformsOfAnIndex() async throws {
        let inspect = try await regtui(["inspect", rig.ref("dockerlist")], environment: isolated())
        #expect(inspect.status == 0)
        #expect(inspect.text.contains("Docker manifest list"))
        for child in rig.fixtures["dockerlist"]?["children"]?.array ?? [] {
            #expect(inspect.text.contains(child["digest"]?.string ?? "missing"))
            #expect(inspect.text.contains(String(child["config"]?.string?.dropFirst(7).prefix(12) ?? "missing")))
        }
    }

    @Test func referrersListTheArtifact() async throws {
        let result = try await regtui(["referrers", rig.ref("single")], environment: isolated())
        #expect(result.status == 0)
        #expect(result.text.contains(rig.digest("artifact")))
        let none = try await regtui(["referrers", rig.ref("multiarch")], environment: isolated())
        #expect(none.status == 1)
    }

    @Test func authenticationFailuresExitTwoAndNeverShowThePassword() async throws {
        let basic = rig.registries["basic"]!
        let without = try await regtui(["tags", "\(basic)/tags/many"], environment: isolated())
        #expect(without.status == 2)
        #expect(without.stderr.contains("authentication required for \(basic)"))

        let environment = isolated()
        let login = try await regtui(["login", basic, "-u", rig.user, "--password-stdin"], environment: environment,
                                     input: Data(rig.password.utf8))
        #expect(login.status == 0)
        #expect(!login.stderr.contains(rig.password) && !login.text.contains(rig.password))
        let with = try await regtui(["tags", "\(basic)/tags/many"], environment: environment)
        #expect(with.status == 0 && with.text.contains("latest"))

        let wrong = try await regtui(["login", basic, "-u", rig.user, "--password-stdin"], environment: isolated(),
                                     input: Data("not-the-password-42".utf8))
        #expect(wrong.status == 2)
        #expect(!wrong.stderr.contains("not-the-password-42"))
        let logout = try await regtui(["logout", basic], environment: environment)
        #expect(logout.status == 0)
        #expect(try await regtui(["tags", "\(basic)/tags/many"], environment: environment).status == 2)
    }

    @Test func tokenAuthThroughLogin() async throws {
        let token = rig.registries["token"]!
        let environment = isolated()
        _ = try await regtui(["login", token, "-u", rig.user, "--password-stdin"], environment: environment, input: Data(rig.password.utf8))
        let digest = try await regtui(["digest", rig.ref("multiarch", on: token)], environment: environment)
        #expect(digest.text.trimmingCharacters(in: .newlines) == rig.digest("multiarch"))
    }

    @Test func tlsNeedsTheCA() async throws {
        let tls = rig.registries["tls"]!
        let refused = try await regtui(["digest", rig.ref("single", on: tls)], environment: isolated())
        #expect(refused.status == 2 && refused.stderr.contains("TLS verification failed"))
        let trusted = try await regtui(["digest", rig.ref("single", on: tls), "--ca-file", rig.caFile], environment: isolated())
        #expect(trusted.status == 0 && trusted.text.contains(rig.digest("single")))
    }

    @Test func badInputGetsSpecificErrors() async throws {
        let badReference = try await regtui(["manifest", "localhost:5000/Bad/Name"], environment: isolated())
        #expect(badReference.status == 2 && badReference.stderr.contains("must be lower-case"))
        let missing = try await regtui(["manifest", "\(rig.source)/demo/single:absent"], environment: isolated())
        #expect(missing.status == 1 && missing.stderr.contains("not found"))
        let unknown = try await regtui(["frobnicate"], environment: isolated())
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown command"))
        let option = try await regtui(["tags", "x/y", "--bogus"], environment: isolated())
        #expect(option.status == 2 && option.stderr.contains("unknown option --bogus"))
        let platform = try await regtui(["manifest", rig.ref("multiarch"), "--platform", "linux/s390x"], environment: isolated())
        #expect(platform.status == 1 && platform.stderr.contains("linux/amd64, linux/arm64/v8, linux/arm/v7"))
    }

    @Test func everyCommandHasHelp() async throws {
        let main = try await regtui(["--help"])
        #expect(main.status == 0)
        for name in ["catalog", "tags", "manifest", "digest", "config", "inspect", "referrers", "login", "logout"] {
            #expect(main.text.contains("  \(name) "))
            let help = try await regtui([name, "--help"])
            #expect(help.status == 0 && help.text.contains("Usage: regtui \(name)"))
        }
    }
}
