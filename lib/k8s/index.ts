// Public face of lib/k8s: models, types, paths, selectors, watch folding,
// quantities, names, label/field selectors and JSONPath. Patches and
// server-side apply have their own entry points (lib/k8s/patch, lib/k8s/ssa).
export * from './types';
export * from './models';
export * from './paths';
export * from './queryKeys';
export * from './watch';
export * from './selectors';
export * from './quantity';
export * from './names';
export * from './labels';
export * from './fields';
export * from './jsonpath';
