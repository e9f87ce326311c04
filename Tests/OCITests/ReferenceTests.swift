import OCI
import Testing

/// docker's published reference tables (distribution/reference normalize_test.go), used as facts.
@Suite struct ReferenceTests {
    static let hex = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"

    @Test(arguments: [
        "docker/docker", "library/debian", "debian", "docker.io/docker/docker", "docker.io/library/debian",
        "docker.io/debian", "index.docker.io/docker/docker", "index.docker.io/library/debian", "index.docker.io/debian",
        "127.0.0.1:5000/docker/docker", "127.0.0.1:5000/library/debian", "127.0.0.1:5000/debian", "192.168.0.1",
        "192.168.0.1:80", "192.168.0.1:8/debian", "192.168.0.2:25000/debian",
        "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "[fc00::1]:5000/docker",
        "[fc00::1]:5000/docker/docker", "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
        "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "Docker/docker", "DOCKER/docker",
        "docker-rules/docker", "docker---rules/docker", "doc/docker", "d/docker", "jess/t", "dock__er/docker",
    ])
    func acceptsValidNames(text: String) throws {
        _ = try Reference(parsing: text)
    }

    @Test(arguments: [
        "https://github.com/docker/docker", "docker/Docker", "-docker", "-docker/docker", "-docker.io/docker/docker",
        "docker///docker", "docker.io/docker/Docker", "docker.io/docker///docker", "[fc00::1]", "[fc00::1]:5000",
        "fc00::1:5000/debian", "[fe80::1%eth0]:5000/debian", "[2001:db8:3:4::192.0.2.33]:5000/debian",
        "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "docker-/docker", "-docker-/docker",
        "____/____", "_docker/_docker", "dock..er/docker", "dock_.er/docker", "dock-.er/docker", "docker/", "",
        "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
        "busybox:", "busybox:-tag", "busybox@sha256:abc", "Busybox",
    ])
    func rejectsInvalidNames(text: String) {
        #expect(throws: OCIError.self) { _ = try Reference(parsing: text) }
    }

    @Test(arguments: [
        ("fooo/bar", "docker.io", "fooo/bar"), ("library/ubuntu", "docker.io", "library/ubuntu"),
        ("ubuntu", "docker.io", "library/ubuntu"), ("docker.io/foo", "docker.io", "library/foo"),
        ("index.docker.io/library/ubuntu", "docker.io", "library/ubuntu"), ("library/foo/bar", "docker.io", "library/foo/bar"),
        ("127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase"),
        ("example.com:8000/privatebasee", "example.com:8000", "privatebasee"), ("test_com/foo", "docker.io", "test_com/foo"),
        ("test-com:8080/foo", "test-com:8080", "foo"), ("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
        ("Foo/bar", "Foo", "bar"), ("localhost/x", "localhost", "x"), ("localhost:5000/a/b", "localhost:5000", "a/b"),
    ])
    func splitsRegistryAndPathAsDockerDoes(text: String, registry: String, path: String) throws {
        let reference = try Reference(parsing: text)
        #expect(reference.registry == registry)
        #expect(reference.repository == path)
    }

    @Test func normalisesShortNames() throws {
        #expect(try Reference(parsing: "busybox").description == "docker.io/library/busybox:latest")
        #expect(try Reference(parsing: "redis@sha256:\(Self.hex)").description == "docker.io/library/redis@sha256:\(Self.hex)")
        let both = try Reference(parsing: "busybox:latest@sha256:\(Self.hex)")
        #expect(both.tag == "latest")
        #expect(both.digest?.hex == Self.hex)
        #expect(both.identifier == "sha256:\(Self.hex)")
        let hosted = try Reference(parsing: "host:5000/a/b:v1.2")
        #expect(hosted.registry == "host:5000")
        #expect(hosted.repository == "a/b")
        #expect(hosted.tag == "v1.2")
    }

    @Test func errorsNameTheBadPart() {
        #expect { _ = try Reference(parsing: "Host:5000/Team/app") } throws: { "\($0)".contains("\"Team/app\" must be lower-case") }
        #expect { _ = try Reference(parsing: "registry/app:bad tag") } throws: { "\($0)".contains("tag \"bad tag\"") }
        #expect { _ = try Reference(parsing: "app@sha256:123") } throws: { "\($0)".contains("after \"@\"") }
        #expect { _ = try Reference(parsing: "a/" + String(repeating: "x", count: 260)) } throws: { "\($0)".contains("at most 255") }
        #expect { _ = try Reference(parsing: "x:" + String(repeating: "t", count: 129)) } throws: { "\($0)".contains("at most 128") }
    }

    @Test func repositoryOperandRefusesTagsAndDigests() throws {
        #expect(try Reference(parsingRepository: "localhost:5000/a/b").tag == nil)
        #expect(throws: OCIError.self) { _ = try Reference(parsingRepository: "localhost:5000/a/b:1") }
        #expect(throws: OCIError.self) { _ = try Reference(parsingRepository: "a/b@sha256:\(Self.hex)") }
    }
}
