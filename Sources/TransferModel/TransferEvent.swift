import OCI

/// What happened to one blob.
public enum BlobOutcome: String, Sendable, Encodable {
    /// Streamed from the source and uploaded.
    case uploaded
    /// Linked from another repository of the same registry: no bytes moved.
    case mounted
    /// Already at the destination.
    case skipped
}

/// Progress of a copy, for the command line's bars and the TUI's transfer pane alike.
/// Events arrive on any thread.
public enum TransferEvent: Sendable {
    /// The plan is known: how many manifests and blobs, and their total size.
    case planned(source: ImageRef, manifests: Int, blobs: Int, bytes: Int64)
    case blobStarted(Descriptor)
    /// Bytes of the blob received from the source so far.
    case blobProgress(Digest, bytes: Int64)
    case blobFinished(Descriptor, BlobOutcome)
    /// A manifest was written at the destination by digest.
    case manifestPushed(Descriptor)
    /// The manifest was already at the destination: only the tag needs writing.
    case alreadyPresent(Digest)
    /// The destination tag now points at the digest.
    case tagged(ImageRef, Digest)
    /// A note for the person, e.g. that an index digest cannot be kept.
    case notice(String)
}

/// A receiver of transfer events.
public typealias TransferObserver = @Sendable (TransferEvent) -> Void
