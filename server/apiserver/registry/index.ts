// Public face of the registry: the resource contract, built-in kinds, CRDs.
import { coreResources } from './builtin/core';
import { cdiResources } from './builtin/cdi';
import { rbacResources } from './builtin/rbac';
import { storageResources } from './builtin/storage';
import { crdResource } from './crd';
import type { ResourceDef } from './types';

export * from './types';
export { Registry } from './registry';
export { compareKubeVersions } from './versions';
export { resourcesFromCRD, validateCRD, type CRD, type CRDSpec, type CRDVersion } from './crd';
export { DEFAULT_CLASS_ANNOTATION } from './builtin/storage';
export { at } from './printers';

/** Every kind compiled into the server. */
export function builtinResources(): ResourceDef[] {
  return [...coreResources, ...storageResources, ...rbacResources, ...cdiResources, crdResource];
}
