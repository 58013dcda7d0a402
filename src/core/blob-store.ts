/** The blob port (R2 in production): raw bodies, payload documents and dropped files. */
/** Raw bodies and payload documents, content-addressed. */
export interface BlobStore {
  /**
   * Writes unless the key already exists; returns whether a write happened. A function body is only produced
   * when the write happens (an unchanged re-sync never serializes its payload).
   */
  putIfAbsent(key: string, body: string | ArrayBuffer | Uint8Array | (() => string), contentType: string): Promise<boolean>;
  /** Writes unconditionally (keys known to be new). */
  put(key: string, body: string | ArrayBuffer | Uint8Array, contentType: string): Promise<void>;
  getText(key: string): Promise<string | null>;
  /** The stored bytes exactly as written. */
  getBytes(key: string): Promise<Uint8Array | null>;
  /** The bytes with the content type they were stored with (the r2 file source); optional for wrappers. */
  getObject?(key: string): Promise<{ bytes: Uint8Array; contentType: string | null } | null>;
  /** The object's body as a stream, never held whole (streamed parses); optional for wrappers. */
  getStream?(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string | null } | null>;
  /** Keys under a prefix, in key order, one page at a time (`cursor` from the previous page). */
  list(prefix: string, opts?: { cursor?: string; limit?: number }): Promise<{ keys: BlobInfo[]; cursor: string | null }>;
  /** Copies `from` to `to` (content type kept); false when `from` does not exist. */
  copy(from: string, to: string): Promise<boolean>;
  /** Deletes a key; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

export interface BlobInfo {
  key: string;
  size: number;
  etag: string;
  uploadedAt: number;
}
