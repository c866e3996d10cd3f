// Public face of lib/cdi-ui: pure helpers behind the console's CDI pages.
// DataVolume selectors, source and phase in words, transfer speed and time
// left from watch updates, what a DataVolume waits for and its timeline, the
// create form, the checks on a file before upload, the resumable upload
// client, uploads to resume after a reload, and the bootable volumes list.
export * from './selectors';
export * from './source';
export * from './phase';
export * from './transfer';
export * from './waiting';
export * from './timeline';
export * from './createForm';
export * from './uploadCheck';
export * from './uploadClient';
export * from './pendingUploads';
export * from './bootable';
