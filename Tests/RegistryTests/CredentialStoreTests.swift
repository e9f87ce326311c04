import Foundation
@testable import Registry
import Testing

@Suite struct CredentialStoreTests {
    let directory: String

    init() async throws {
        directory = NSTemporaryDirectory() + "regtui-creds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/docker", withIntermediateDirectories: true)
    }

    func store(_ extra: [String: String] = [:]) -> CredentialStore {
        var environment = ["HOME": directory, "DOCKER_CONFIG": directory + "/docker", "PATH": directory + ":/usr/bin:/bin"]
        environment.merge(extra) { $1 }
        return CredentialStore(environment: environment, helperTimeout: 2)
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func helper(_ name: String, script: String) throws {
        let path = "\(directory)/docker-credential-\(name)"
        try write("#!/bin/sh\n" + script, to: path)
        chmod(path, 0o755)
    }

    @Test func readsDockerAuthsWithAnyKeyForm() async throws {
        let auth = Data("alice:s3cret".utf8).base64EncodedString()
        try write(#"{"auths":{"https://reg.example:5000/v2/":{"auth":"\#(auth)"},"https://index.docker.io/v1/":{"auth":"\#(auth)"}}}"#,
                  to: directory + "/docker/config.json")
        #expect(try await store().lookup(registry: "reg.example:5000") == Credential(username: "alice", secret: "s3cret"))
        #expect(try await store().lookup(registry: "docker.io")?.username == "alice")
        #expect(try await store().lookup(registry: "other.example") == nil)
    }

    @Test func readsIdentityTokens() async throws {
        try write(#"{"auths":{"reg.example":{"auth":"","identitytoken":"refresh-me"}}}"#, to: directory + "/docker/config.json")
        let credential = try #require(try await store().lookup(registry: "reg.example"))
        #expect(credential.isIdentityToken)
        #expect(credential.secret == "refresh-me")
        #expect(!"\(credential)".contains("refresh-me"))
    }

    @Test func readsContainersAuthFile() async throws {
        let auth = Data("bob:pw".utf8).base64EncodedString()
        try write(#"{"auths":{"quay.example":{"auth":"\#(auth)"}}}"#, to: directory + "/auth.json")
        #expect(try await store(["REGISTRY_AUTH_FILE": directory + "/auth.json"]).lookup(registry: "quay.example")?.username == "bob")
        try write(#"{"auths":{"xdg.example":{"auth":"\#(auth)"}}}"#, to: directory + "/run/containers/auth.json")
        #expect(try await store(["XDG_RUNTIME_DIR": directory + "/run"]).lookup(registry: "xdg.example")?.secret == "pw")
    }

    @Test func asksCredentialHelpers() async throws {
        try helper("fake", script: #"read host; echo "{\"ServerURL\":\"$host\",\"Username\":\"carol\",\"Secret\":\"from-helper\"}""#)
        try helper("token", script: #"read host; echo '{"Username":"<token>","Secret":"idtok"}'"#)
        try write(#"{"credsStore":"fake","credHelpers":{"tok.example":"token"}}"#, to: directory + "/docker/config.json")
        #expect(try await store().lookup(registry: "any.example") == Credential(username: "carol", secret: "from-helper"))
        #expect(try await store().lookup(registry: "tok.example")?.isIdentityToken == true)
    }

    @Test func helperThatHangsOrFailsGivesClearErrors() async throws {
        try helper("slow", script: "sleep 30")
        try helper("broken", script: "echo 'secret-in-error-output' >&2; exit 3")
        try write(#"{"credHelpers":{"slow.example":"slow","broken.example":"broken","gone.example":"missing"}}"#,
                  to: directory + "/docker/config.json")
        await #expect { try await store().lookup(registry: "slow.example") } throws: { "\($0)".contains("did not answer within 2 s") }
        await #expect { try await store().lookup(registry: "broken.example") } throws: {
            "\($0)".contains("exit status 3") && !"\($0)".contains("secret-in-error-output")
        }
        await #expect { try await store().lookup(registry: "gone.example") } throws: { "\($0)".contains("not installed") }
    }

    @Test func brokenConfigNamesTheFile() async throws {
        try write("{ not json", to: directory + "/docker/config.json")
        await #expect { try await store().lookup(registry: "x.example") } throws: {
            "\($0)".contains(directory + "/docker/config.json") && "\($0)".contains("not a JSON object")
        }
        let badAuth = #"{"auths":{"x.example":{"auth":"%%%"}}}"#
        try write(badAuth, to: directory + "/docker/config.json")
        await #expect { try await store().lookup(registry: "x.example") } throws: { "\($0)".contains("regtui login x.example") }
    }

    @Test func storeWritesPrivatelyAndKeepsOtherSettings() async throws {
        try write(#"{"auths":{"keep.example":{"auth":"eDp5"}},"psFormat":"table"}"#, to: directory + "/docker/config.json")
        try await store().store(Credential(username: "dave", secret: "pw1"), registry: "new.example:5000")
        let path = directory + "/docker/config.json"
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("psFormat") && text.contains("keep.example") && text.contains("new.example:5000"))
        #expect(try await store().lookup(registry: "new.example:5000") == Credential(username: "dave", secret: "pw1"))
        #expect(try await store().erase(registry: "new.example:5000"))
        #expect(try await store().lookup(registry: "new.example:5000") == nil)
        #expect(try await !store().erase(registry: "new.example:5000"))
    }

    @Test func storeUsesTheConfiguredHelper() async throws {
        try helper("rec", script: "cat > \"\(directory)/helper-$1.txt\"")
        try write(#"{"credsStore":"rec"}"#, to: directory + "/docker/config.json")
        try await store().store(Credential(username: "erin", secret: "pw2"), registry: "h.example")
        let sent = try String(contentsOfFile: directory + "/helper-store.txt", encoding: .utf8)
        #expect(sent.contains("\"Username\":\"erin\"") && sent.contains("\"ServerURL\":\"h.example\""))
        #expect(try !String(contentsOfFile: directory + "/docker/config.json", encoding: .utf8).contains("pw2"))
    }

    @Test func aHelperThatFloodsItsOutputIsStopped() async throws {
        try helper("flood", script: "head -c 1500000000 /dev/zero")
        try write(#"{"credHelpers":{"flood.example":"flood"}}"#, to: directory + "/docker/config.json")
        await #expect { try await store().lookup(registry: "flood.example") } throws: {
            "\($0)".contains("docker-credential-flood printed more than 1048576 bytes")
        }
    }

    @Test func anOversizedConfigIsRefusedWithItsSize() async throws {
        let padding = String(repeating: " ", count: 12 << 20)
        try write("{" + padding + "}", to: directory + "/docker/config.json")
        await #expect { try await store().lookup(registry: "x.example") } throws: {
            "\($0)".contains("config.json is \((12 << 20) + 2) bytes") && "\($0)".contains("at most 4194304")
        }
    }

    /// A command makes many requests: the files are read and the helper asked once per store.
    @Test func eachRegistryIsLookedUpOnce() async throws {
        try helper("counted", script: #"echo run >> "\#(directory)/runs"; read host; echo '{"Username":"u","Secret":"s"}'"#)
        let auth = Data("alice:first".utf8).base64EncodedString()
        try write(#"{"auths":{"inline.example":{"auth":"\#(auth)"}},"credHelpers":{"helped.example":"counted"}}"#,
                  to: directory + "/docker/config.json")
        let shared = store()
        for _ in 0..<5 { _ = try await shared.lookup(registry: "helped.example") }
        #expect(try String(contentsOfFile: directory + "/runs", encoding: .utf8) == "run\n")
        #expect(try await shared.lookup(registry: "inline.example")?.secret == "first")
        let changed = Data("alice:second".utf8).base64EncodedString()
        try write(#"{"auths":{"inline.example":{"auth":"\#(changed)"}}}"#, to: directory + "/docker/config.json")
        #expect(try await shared.lookup(registry: "inline.example")?.secret == "first", "read once, not again per request")
        #expect(try await store().lookup(registry: "inline.example")?.secret == "second")
    }
}
