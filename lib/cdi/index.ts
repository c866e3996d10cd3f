// Public face of lib/cdi: Kura's CDI core, pure decisions over plain data
// shared by the embedded CDI controllers, the node agent's importer and the
// console. DataVolume validation (source.ts), target sizes and StorageProfile
// defaults (size.ts), the status machine (phase.ts), progress and speed
// (progress.ts), retries (retry.ts), image refusal rules (image.ts) and the
// import request policy (requestpolicy.ts, cidr.ts).
export * from './types';
export * from './source';
export * from './size';
export * from './phase';
export * from './progress';
export * from './retry';
export * from './image';
export * from './cidr';
export * from './requestpolicy';
