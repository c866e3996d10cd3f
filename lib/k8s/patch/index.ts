// Public face of lib/k8s/patch: the pure patch algorithms the API server and
// the console share (JSON merge patch, JSON Patch, strategic merge patch).
export * from './json';
export * from './meta';
export { applyMergePatch, createMergePatch } from './merge';
export {
  applyJsonPatch,
  formatJsonPointer,
  getByPointer,
  MAX_JSON_PATCH_OPERATIONS,
  parseJsonPointer,
  type JsonPatchOperation,
} from './jsonpatch';
export { applyStrategicMergePatch } from './strategic';
