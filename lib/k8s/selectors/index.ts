// Selectors: the one place that knows where a field lives in an object.
export * from './metadata';
export * from './status';
export * from './pvc';
export * from './pv';
export * from './storageclass';
export * from './snapshot';
export * from './node';
export * from './csistoragecapacity';
