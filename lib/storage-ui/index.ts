// Public face of lib/storage-ui: pure helpers behind the console's storage
// pages: capacity per node and class from the Kubernetes API alone, bars and
// summaries of it, claim status and consumers, and the storage forms.
export * from './capacity';
export * from './bars';
export * from './summary';
export * from './claimStatus';
export * from './usedBy';
export * from './drivers';
export * from './storageClassForm';
export * from './claimForm';
export * from './fit';
