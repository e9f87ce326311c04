"""Fixture builder: writes images with exact bytes into a registry over the plain distribution API.

Independent of regtui on purpose: tests compare what regtui reads and writes against the bytes
and digests computed here, and against skopeo.
"""
import gzip
import hashlib
import io
import json
import random
import subprocess
import tarfile
import urllib.error
import urllib.request

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd"
OCI_EMPTY = "application/vnd.oci.empty.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type, data, **extra):
    d = {"mediaType": media_type, "digest": sha256(data), "size": len(data)}
    d.update(extra)
    return d


class Layer:
    """A tar layer holding one file, gzip-compressed deterministically (level None: uncompressed)."""

    def __init__(self, name, content, level=9):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 0
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(content))
        self.tar = buf.getvalue()
        self.diff_id = sha256(self.tar)
        self.blob = self.tar if level is None else gzip.compress(self.tar, compresslevel=level, mtime=0)


class TarLayer:
    """A layer of several members, each (name, kind, value, mode): kind file (value: bytes), dir,
    symlink or hardlink (value: the target). `form` is the tar format (GNU, PAX, USTAR);
    `compression` gzip, zstd or None."""

    def __init__(self, members, form=tarfile.GNU_FORMAT, compression="gzip"):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=form) as tar:
            for name, kind, value, mode in members:
                info = tarfile.TarInfo(name)
                info.mtime = 1700000000
                info.mode = mode
                if kind == "file":
                    info.size = len(value)
                    tar.addfile(info, io.BytesIO(value))
                    continue
                info.type = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE}[kind]
                if kind != "dir":
                    info.linkname = value
                tar.addfile(info)
        self.tar = buf.getvalue()
        self.diff_id = sha256(self.tar)
        if compression == "gzip":
            self.blob, self.media_type = gzip.compress(self.tar, compresslevel=9, mtime=0), OCI_LAYER_GZIP
        elif compression == "zstd":
            zstd = subprocess.run(["zstd", "-q", "-c", "-19"], input=self.tar, capture_output=True, check=True)
            self.blob, self.media_type = zstd.stdout, OCI_LAYER_ZSTD
        else:
            self.blob, self.media_type = self.tar, OCI_LAYER


class ZeroBomb:
    """A gzip layer holding one file of `size` zero bytes: tiny compressed, huge decompressed."""

    def __init__(self, size):
        out = io.BytesIO()
        digest = hashlib.sha256()
        info = tarfile.TarInfo("zeros")
        info.size = size
        info.mode = 0o644
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as packed:
            def write(data):
                digest.update(data)
                packed.write(data)
            write(info.tobuf(format=tarfile.USTAR_FORMAT))
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                write(chunk)
            write(bytes(1024))
        self.blob = out.getvalue()
        self.diff_id = "sha256:" + digest.hexdigest()
        self.media_type = OCI_LAYER_GZIP


def config_json(arch, layers, variant=None, created="2026-01-01T00:00:00Z", cmd=("/bin/sh",)):
    config = {
        "architecture": arch,
        "os": "linux",
        "created": created,
        "config": {"Cmd": list(cmd), "Env": ["PATH=/usr/bin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": [l.diff_id for l in layers]},
        "history": [{"created": created, "created_by": "regtui fixture"} for _ in layers],
    }
    if variant:
        config["variant"] = variant
    return json.dumps(config, separators=(",", ":")).encode()


def compact(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def pretty(obj):
    return json.dumps(obj, indent=3).encode()


class Registry:
    """Pushes blobs and manifests to http://HOST/ with no authentication."""

    def __init__(self, host):
        self.base = "http://" + host

    def _request(self, method, path, data=None, headers=None):
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def has_blob(self, repo, digest):
        return self._request("HEAD", f"/v2/{repo}/blobs/{digest}")[0] == 200

    def push_blob(self, repo, data):
        digest = sha256(data)
        if self.has_blob(repo, digest):
            return digest
        status, headers, body = self._request("POST", f"/v2/{repo}/blobs/uploads/")
        assert status == 202, (status, body)
        location = headers["Location"]
        sep = "&" if "?" in location else "?"
        status, _, body = self._request("PUT", f"{location}{sep}digest={digest}", data=data,
                                        headers={"Content-Type": "application/octet-stream"})
        assert status == 201, (status, body)
        return digest

    def push_manifest(self, repo, ref, data, media_type):
        status, headers, body = self._request("PUT", f"/v2/{repo}/manifests/{ref}", data=data,
                                              headers={"Content-Type": media_type})
        assert status == 201, (repo, ref, status, body)
        return sha256(data)


def image(reg, repo, arch, layers, manifest_type=OCI_MANIFEST, config_type=OCI_CONFIG, layer_type=OCI_LAYER_GZIP,
          variant=None, encode=compact, tag=None, config=None, annotations=None):
    """Pushes an image and returns (manifest bytes, digest, config bytes)."""
    config = config if config is not None else config_json(arch, layers, variant)
    reg.push_blob(repo, config)
    for layer in layers:
        reg.push_blob(repo, layer.blob)
    manifest = {"schemaVersion": 2, "mediaType": manifest_type,
                "config": descriptor(config_type, config),
                "layers": [descriptor(getattr(l, "media_type", layer_type), l.blob) for l in layers]}
    if annotations:
        manifest["annotations"] = annotations
    data = encode(manifest)
    digest = reg.push_manifest(repo, tag or sha256(data), data, manifest_type)
    return data, digest, config


PLATFORMS = [("amd64", None), ("arm64", "v8"), ("arm", "v7")]


def multiarch(reg, repo, tag, index_type=OCI_INDEX, manifest_type=OCI_MANIFEST, config_type=OCI_CONFIG,
              layer_type=OCI_LAYER_GZIP, layers_per_image=2, salt=""):
    """Pushes one image per platform, then the index; returns a description of what was written."""
    children = []
    shared = Layer("etc/shared.txt", f"shared base layer {salt}\n".encode() * 64)
    for arch, variant in PLATFORMS:
        layers = [shared] + [Layer(f"app/{arch}-{i}.txt", f"{arch} {variant} layer {i} {salt}\n".encode() * 128)
                             for i in range(layers_per_image - 1)]
        data, digest, config = image(reg, repo, arch, layers, manifest_type, config_type, layer_type, variant)
        platform = {"architecture": arch, "os": "linux"}
        if variant:
            platform["variant"] = variant
        children.append({"desc": descriptor(manifest_type, data, platform=platform), "config": sha256(config),
                         "layers": [l.blob for l in layers]})
    index = {"schemaVersion": 2, "mediaType": index_type, "manifests": [c["desc"] for c in children]}
    data = pretty(index)
    digest = reg.push_manifest(repo, tag, data, index_type)
    return {"ref": f"{repo}:{tag}", "digest": digest, "size": len(data), "mediaType": index_type,
            "children": [{"digest": c["desc"]["digest"], "platform": c["desc"]["platform"], "config": c["config"],
                          "descriptor": c["desc"]} for c in children]}


OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


def seed(host, large_size=8 << 20, catalog_repos=40, big_size=0):
    """Writes every fixture the tests and the demo use; returns their digests by name. With
    `big_size`, also demo/big:1.0, one uncompressed layer of that many bytes: a copy of it runs
    long enough to watch (the demo)."""
    reg = Registry(host)
    out = {}
    out["multiarch"] = multiarch(reg, "demo/multiarch", "1.0")
    # demo/multiarch's images again, and an index of only the first two: a platform that another
    # index lists is not left without a parent when demo/multiarch:1.0 goes.
    shared = multiarch(reg, "demo/subset", "all")
    subset = pretty({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [c["descriptor"] for c in shared["children"][:2]]})
    out["subset"] = {"ref": "demo/subset:1.0", "digest": reg.push_manifest("demo/subset", "1.0", subset, OCI_INDEX)}
    out["dockerlist"] = multiarch(reg, "demo/dockerlist", "1.0", DOCKER_LIST, DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER,
                                  salt="docker")

    base = [Layer("etc/os-release", b"NAME=regtui-fixture\n"), Layer("app/hello.txt", b"hello, registry\n" * 200)]
    data, digest, config = image(reg, "demo/single", "amd64", base, tag="1.0",
                                 annotations={"org.opencontainers.image.title": "single"})
    reg.push_manifest("demo/single", "latest", data, OCI_MANIFEST)
    out["single"] = {"ref": "demo/single:1.0", "digest": digest, "size": len(data), "config": sha256(config),
                     "mediaType": OCI_MANIFEST}

    # An artifact that refers to demo/single:1.0, pushed by digest only, with the fallback tag index.
    empty = b"{}"
    payload = b'{"sbom": "fixture"}'
    reg.push_blob("demo/single", empty)
    reg.push_blob("demo/single", payload)
    artifact = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": "application/vnd.example.sbom.v1+json",
                "config": descriptor(OCI_EMPTY, empty),
                "layers": [descriptor("application/vnd.example.sbom.v1+json", payload)],
                "subject": descriptor(OCI_MANIFEST, data)}
    artifact_bytes = compact(artifact)
    artifact_digest = reg.push_manifest("demo/single", sha256(artifact_bytes), artifact_bytes, OCI_MANIFEST)
    referrers = {"schemaVersion": 2, "mediaType": OCI_INDEX,
                 "manifests": [descriptor(OCI_MANIFEST, artifact_bytes, artifactType=artifact["artifactType"])]}
    reg.push_manifest("demo/single", "sha256-" + digest.split(":")[1], compact(referrers), OCI_INDEX)
    out["artifact"] = {"ref": "demo/single@" + artifact_digest, "digest": artifact_digest, "subject": digest}

    # The same image written with odd JSON: tabs, reversed keys, escaped unicode.
    odd_manifest = {"layers": [descriptor(OCI_LAYER_GZIP, l.blob) for l in base],
                    "config": descriptor(OCI_CONFIG, config), "mediaType": OCI_MANIFEST, "schemaVersion": 2,
                    "annotations": {"note": "caf\u00e9 \u2603"}}
    odd = json.dumps(odd_manifest, indent="\t", ensure_ascii=True).encode()
    out["odd"] = {"ref": "demo/odd:1.0", "digest": None}
    for blob in [config] + [l.blob for l in base]:
        reg.push_blob("demo/odd", blob)
    out["odd"]["digest"] = reg.push_manifest("demo/odd", "1.0", odd, OCI_MANIFEST)

    large = Layer("data/large.bin", random.Random(1).randbytes(large_size), level=1)
    data, digest, config = image(reg, "demo/large", "amd64", [large], tag="1.0")
    out["large"] = {"ref": "demo/large:1.0", "digest": digest, "layerSize": len(large.blob)}

    if big_size:
        big = Layer("data/big.bin", bytes(range(256)) * (big_size // 256), level=None)
        data, digest, config = image(reg, "demo/big", "amd64", [big], tag="1.0", layer_type=OCI_LAYER)
        out["big"] = {"ref": "demo/big:1.0", "digest": digest, "layerSize": len(big.blob)}

    out["verdicts"] = verdicts(reg)
    out["files"] = files(reg)
    if catalog_repos >= 40:
        out["load"] = load_repository(reg, "load/app", 200)

    for i in range(catalog_repos):
        image(reg, f"many/repo-{i:02d}", "amd64", base[:1], tag="v1")
    tags = [f"v1.{i}" for i in range(12)] + ["latest", "v1.10-rc1", "v2.0"]
    tagged, _, _ = image(reg, "tags/many", "amd64", base, tag=tags[0])
    for t in tags[1:]:
        reg.push_manifest("tags/many", t, tagged, OCI_MANIFEST)
    out["tags"] = {"repo": "tags/many", "tags": tags}
    out["catalogRepos"] = catalog_repos
    return out



def files(reg):
    """Images whose layers exercise what `regtui files`, `cat` and `diff --files` read: GNU, PAX
    and USTAR tars; gzip, zstd and no compression; whiteouts, an opaque directory, hardlinks,
    symlinks, long and non-ASCII names, a name with an escape sequence, an entry climbing out
    with `..`; and a gzip bomb (256 MiB of zeros in a few hundred KiB)."""
    repo = "files/image"
    long_name = "long/" + "n" * 150 + "/" + "f" * 120
    first = TarLayer([("etc", "dir", None, 0o755), ("etc/a", "file", b"alpha\n", 0o644), ("etc/b", "file", b"bravo\n", 0o644),
                      ("etc/c", "file", b"charlie\n", 0o644), ("etc/hl", "hardlink", "etc/a", 0o644),
                      ("bin", "dir", None, 0o755), ("bin/busybox", "file", b"#!busybox\n", 0o755), ("bin/sh", "symlink", "busybox", 0o777),
                      ("dir", "dir", None, 0o755), ("dir/x", "file", b"x\n", 0o644), ("dir/sub", "dir", None, 0o755),
                      ("dir/sub/y", "file", b"y\n", 0o644), (long_name, "file", b"long\n", 0o644),
                      ("../escape", "file", b"out\n", 0o644), ("esc\x1b]0;owned\x07name", "file", b"esc\n", 0o644)],
                     tarfile.GNU_FORMAT, "gzip")
    second = TarLayer([("etc/.wh.b", "file", b"", 0o644), ("dir", "dir", None, 0o755), ("dir/.wh..wh..opq", "file", b"", 0o644),
                       ("dir/new", "file", b"new\n", 0o644), ("etc/a", "file", b"alpha 2\n", 0o644),
                       ("usr/\u00fc/\u00fcn\u00efcode.txt", "file", b"u\n", 0o644)], tarfile.PAX_FORMAT, "zstd")
    third = TarLayer([("etc/c", "file", b"charlie\n", 0o600), ("lib/link", "symlink", "../etc/a", 0o777),
                      ("etc/motd", "file", b"\x1b]0;owned\x07hello\n", 0o644)],
                     tarfile.USTAR_FORMAT, None)
    changed = TarLayer([("etc/c", "file", b"charlie\n", 0o644), ("lib/link", "symlink", "/etc/c", 0o777),
                        ("etc/motd", "file", b"\x1b]0;owned\x07hello\n", 0o644),
                        ("etc/a", "file", b"alpha 3\n", 0o644), ("bin/.wh.sh", "file", b"", 0o644),
                        ("new/file", "file", b"added\n", 0o644)], tarfile.USTAR_FORMAT, None)
    out = {"longName": "/" + long_name}
    _, out["base"], _ = image(reg, repo, "amd64", [first, second, third], tag="1.0")
    _, out["changed"], _ = image(reg, repo, "amd64", [first, second, changed], tag="changed")
    _, out["bomb"], _ = image(reg, "files/bomb", "amd64", [ZeroBomb(256 << 20)], tag="1.0")
    hostile = TarLayer([("../../etc/passwd", "file", b"not the host's\n", 0o644),
                        (b"bad\xff\xfename".decode("utf-8", "surrogateescape"), "file", b"bytes\n", 0o644),
                        ("evil", "symlink", "../../../../etc/passwd", 0o777),
                        ("away", "symlink", "/../../root/.ssh/id_rsa", 0o777)], tarfile.GNU_FORMAT, "gzip")
    _, out["hostile"], _ = image(reg, "files/hostile", "amd64", [hostile], tag="1.0")
    _, out["truncated"], _ = image(reg, "files/truncated", "amd64", [TruncatedTerabyte()], tag="1.0")
    _, out["streaming"], _ = image(reg, "files/streaming", "amd64", [ManyEntries(20_000)], tag="1.0")
    return out


class TruncatedTerabyte:
    """A gzip layer whose one entry declares 1 TiB and ends after 1 MiB."""

    def __init__(self):
        info = tarfile.TarInfo("huge")
        info.size = 1 << 40
        self.tar = info.tobuf(format=tarfile.GNU_FORMAT) + bytes(1 << 20)
        self.diff_id = sha256(self.tar)
        self.blob = gzip.compress(self.tar, compresslevel=1, mtime=0)
        self.media_type = OCI_LAYER_GZIP


class ManyEntries:
    """A gzip layer of `count` empty files in directories of 1,000, written header by header."""

    def __init__(self, count):
        import zlib
        template = bytearray(tarfile.TarInfo("x").tobuf(format=tarfile.USTAR_FORMAT)[:512])
        packer = zlib.compressobj(1, zlib.DEFLATED, 31)
        digest = hashlib.sha256()
        chunks = []

        def emit(data):
            digest.update(data)
            chunks.append(packer.compress(data))
        batch = bytearray()
        for i in range(count):
            header = bytearray(template)
            name = b"d%04d/f%07d" % (i // 1000, i)
            header[0:100] = name.ljust(100, b"\0")
            header[148:156] = b"        "
            header[148:156] = b"%06o\0 " % sum(header)
            batch += header
            if len(batch) >= 1 << 20:
                emit(bytes(batch))
                batch = bytearray()
        emit(bytes(batch) + bytes(1024))
        chunks.append(packer.flush())
        self.blob = b"".join(chunks)
        self.diff_id = "sha256:" + digest.hexdigest()
        self.media_type = OCI_LAYER_GZIP


def push_many_entries(host, count):
    """Pushes files/many:1.0, one layer of `count` entries, on demand (it takes seconds)."""
    _, digest, _ = image(Registry(host), "files/many", "amd64", [ManyEntries(count)], tag="1.0")
    return digest


def verdicts(reg):
    """One image written each of the ways whose digests differ, for the diff's verdicts."""
    repo = "verdicts/image"
    layers = [Layer("etc/base.txt", b"base layer\n" * 300), Layer("app/main.txt", b"application\n" * 200)]
    config = config_json("amd64", layers)
    reg.push_blob(repo, config)
    for layer in layers:
        reg.push_blob(repo, layer.blob)

    def manifest(media_type=OCI_MANIFEST, config_type=OCI_CONFIG, layer_type=OCI_LAYER_GZIP, blobs=None, cfg=config):
        return {"schemaVersion": 2, "mediaType": media_type, "config": descriptor(config_type, cfg),
                "layers": [descriptor(layer_type, b) for b in (blobs or [l.blob for l in layers])],
                "annotations": {"org.example.note": "caf\u00e9"}}

    out = {}
    base = manifest()
    base_bytes = json.dumps(base, separators=(",", ":"), ensure_ascii=False).encode()
    out["base"] = reg.push_manifest(repo, "base", base_bytes, OCI_MANIFEST)
    out["identical"] = reg.push_manifest(repo, "identical", base_bytes, OCI_MANIFEST)
    # Same value: keys reversed, indented, unicode escaped.
    reordered = dict(reversed(list(base.items())))
    out["reserialized"] = reg.push_manifest(repo, "reserialized", json.dumps(reordered, indent=4, ensure_ascii=True).encode(),
                                            OCI_MANIFEST)
    converted = manifest(DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER)
    del converted["annotations"]
    out["converted"] = reg.push_manifest(repo, "converted", pretty(converted), DOCKER_MANIFEST)
    # Pulled into an engine and pushed again: same tars, compressed anew, Docker types.
    recompressed_blobs = [gzip.compress(l.tar, compresslevel=1, mtime=0) for l in layers]
    for blob in recompressed_blobs:
        reg.push_blob(repo, blob)
    recompressed = manifest(DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER, blobs=recompressed_blobs)
    del recompressed["annotations"]
    out["recompressed"] = reg.push_manifest(repo, "recompressed", pretty(recompressed), DOCKER_MANIFEST)
    other_layers = [Layer("etc/base.txt", b"base layer\n" * 300), Layer("app/main.txt", b"application for arm64\n" * 200)]
    arm_bytes, _, _ = image(reg, repo, "arm64", other_layers, variant="v8")
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        descriptor(OCI_MANIFEST, base_bytes, platform={"architecture": "amd64", "os": "linux"}),
        descriptor(OCI_MANIFEST, arm_bytes, platform={"architecture": "arm64", "os": "linux", "variant": "v8"})]}
    out["index"] = reg.push_manifest(repo, "index", pretty(index), OCI_INDEX)
    different_config = config_json("amd64", layers, cmd=("/bin/app", "--serve"))
    reg.push_blob(repo, different_config)
    out["different"] = reg.push_manifest(repo, "different", compact(manifest(cfg=different_config)), OCI_MANIFEST)
    # Claims the base config, but its second layer holds other bytes: only decompressing tells.
    forged = Layer("app/main.txt", b"something else\n" * 200)
    reg.push_blob(repo, forged.blob)
    out["lying"] = reg.push_manifest(repo, "lying", compact(manifest(blobs=[layers[0].blob, forged.blob])), OCI_MANIFEST)
    return out


def load_repository(reg, repo, count):
    """`count` tags, each a distinct image (own config and layer) on two shared base layers."""
    shared = [Layer("base/os.txt", b"shared os layer\n" * 500), Layer("base/runtime.txt", b"shared runtime\n" * 500)]
    for layer in shared:
        reg.push_blob(repo, layer.blob)
    digests = {}
    for i in range(count):
        own = Layer(f"app/build-{i}.txt", f"build {i}\n".encode() * 50)
        data, digest, _ = image(reg, repo, "amd64", shared + [own], tag=f"build-{i:03d}")
        digests[f"build-{i:03d}"] = digest
    return {"repo": repo, "digests": digests}


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 4 and sys.argv[1] == "many":
        print(push_many_entries(sys.argv[2], int(sys.argv[3])))
    else:
        raise SystemExit("usage: fixtures.py many HOST COUNT")
