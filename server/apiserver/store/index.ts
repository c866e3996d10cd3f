// The object store of the embedded API server (see store.ts); import it from here.
export { Store } from './store';
export { StoreError, isStoreError, type StoreErrorCode } from './errors';
export type {
  CreateOptions,
  DeleteOptions,
  ListOptions,
  ListResult,
  Stored,
  StoreEvent,
  StoreOptions,
  StoreStats,
  UpdateOptions,
  WatchEventType,
  WatchHandle,
  WatchListener,
  WatchOptions,
} from './types';
