// Public face of lib/provisioning: storage semantics shared by the embedded
// volume controllers and the console's forms. Sizes are numbers of bytes
// (see bytes.ts for why not bigint).
export * from './types';
export * from './bytes';
export * from './drivers';
export * from './storageclass';
export * from './claimclass';
export * from './claims';
export * from './nodeaffinity';
export * from './binding';
export * from './capacity';
export * from './expansion';
export * from './reclaim';
