// The importer's contract with the CDI controller: where the bytes come from, the volume file
// they go into, what it reports while running and what it returns when the volume is complete.
import type { Compression, DiskFormat, ImageBombLimits, ImportRequestPolicy, RetryPolicy } from '@/lib/cdi';
import type { Logger } from '@/server/log';

export type TargetFormat = 'qcow2' | 'raw';

export interface ImportTarget {
  /** The volume's writable top file (FilePool getVolume(id).path): an empty qcow2 or raw file without backing file. */
  path: string;
  format: TargetFormat;
  /** The largest virtual size the image may have (lib/cdi usableSize of the claim). */
  usableBytes: number;
  /** Filesystem overhead behind usableBytes (0 for Block), only to word "ask for at least …". */
  overhead?: number;
}

export type ImportPhase = 'downloading' | 'converting' | 'checking';

export interface ImportProgress {
  phase: ImportPhase;
  /** Bytes of the source read so far (downloading), or of the image converted (converting). */
  doneBytes: number;
  /** Undefined when the server did not say how big the file is. */
  totalBytes?: number;
}

export interface HttpSource {
  url: string;
  /** Sent with every request to the URL's own host; sensitive ones (Authorization, Cookie…) are dropped on a redirect elsewhere. */
  headers?: Record<string, string>;
  basicAuth?: { user: string; password: string };
  /** PEM bundle trusted for https, in place of the system's CAs (CDI's certConfigMap). */
  caPem?: string;
}

export interface S3Source {
  /** Path-style object URL: http(s)://endpoint/bucket/key. */
  url: string;
  accessKeyId: string;
  secretKey: string;
  sessionToken?: string;
  /** Signing region; default: from an amazonaws.com host name, else us-east-1. */
  region?: string;
  caPem?: string;
}

export interface RegistrySource {
  /** docker://host[:port]/repository[:tag|@sha256:digest] */
  url: string;
  /** A pull secret's user name and password (or token). */
  auth?: { user: string; password: string };
  caPem?: string;
  /** Speak plain http to the registry (CDI's insecureRegistries); otherwise https. */
  insecureHttp?: boolean;
  /** Image index entry to pick; default linux/amd64. */
  platform?: { os: string; architecture: string };
}

export interface FileSource {
  /** A file on this node, such as the bytes the upload relay staged. */
  path: string;
}

export type ImportSource = { http: HttpSource } | { s3: S3Source } | { registry: RegistrySource } | { file: FileSource };

export interface RetryNotice {
  /** The failed attempt (1 for the first). */
  attempt: number;
  delayMs: number;
  /** Plain sentence, for the DataVolume's Running condition. */
  reason: string;
}

export interface ImportOptions {
  /**
   * A directory for this import alone (created when missing). Holds the resume state and, when the
   * source cannot be read in place, the downloaded bytes. Call again with the same directory after
   * a restart or an abort and the import resumes; it is emptied when the import ends for good.
   */
  scratchDir: string;
  /** Which addresses may be fetched (lib/cdi parseImportAllowList + Kura's own listeners). */
  policy: ImportRequestPolicy;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  onRetry?: (n: RetryNotice) => void;
  /** Default lib/cdi DEFAULT_RETRY_POLICY (10 s doubling to 5 min, no attempt limit). */
  retry?: RetryPolicy;
  bombLimits?: ImageBombLimits;
  /** Abort keeps the scratch files and the converted part of the target, so the next call resumes (default true). */
  keepOnAbort?: boolean;
  /** No byte for this long ends a request as a timeout (default 60 s). */
  idleTimeoutMs?: number;
  /**
   * An uncompressed qcow2 (vmdk, vhd…) on a server with Range support: 'auto' downloads it to the
   * scratch directory first when that has room, else reads it in place; 'always' reads in place,
   * 'never' downloads first. Raw images are read in place unless 'never'. Default 'auto'.
   */
  readInPlace?: 'auto' | 'always' | 'never';
  /** The image is converted in pieces of this many virtual bytes; a restart resumes at the last whole piece (default 256 MiB). */
  sliceBytes?: number;
  /** Host name resolution (default: dns.lookup, all addresses). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** The qemu-img binary (default from PATH). */
  qemuImg?: string;
  log?: Logger;
}

export interface ImportResult {
  /** What the image was, from its bytes. */
  format: DiskFormat;
  compression?: Compression;
  virtualSize: number;
  /** How the bytes reached qemu-img: read in place with Range requests (direct) or through a scratch file (staged). */
  mode: 'direct' | 'staged';
  /** Size of the file the source served (compressed, when compressed), when known. */
  sourceBytes?: number;
  /** Bytes received over the network by this call. */
  downloadedBytes: number;
  /** Where this call took up an earlier one's work: download bytes or converted virtual bytes; 0 for a fresh start. */
  resumedAt: number;
  warnings: string[];
}
