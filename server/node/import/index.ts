// Public face of the node agent's importer: importImage fills a volume file from http(s), S3, a
// container registry or a staged upload, with the checks and resume behaviour described there.
export { importImage } from './importer';
export { ImportError, type ImportFailureReason } from './errors';
export type {
  FileSource,
  HttpSource,
  ImportOptions,
  ImportPhase,
  ImportProgress,
  ImportResult,
  ImportSource,
  ImportTarget,
  RegistrySource,
  RetryNotice,
  S3Source,
  TargetFormat,
} from './types';
export { parseRegistryUrl } from './registry';
export { signV4, type SigV4Credentials } from './sigv4';
export { copyVolume, type CopySource } from './copy';
