// Selectors: the one place that knows where a field lives in an object.
export * from './metadata';
export * from './status';
