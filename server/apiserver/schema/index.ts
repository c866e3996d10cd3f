// The schema subsystem of the embedded API server: schemas of every kind Kura
// serves, structural processing and validation of objects against them, and
// the OpenAPI documents kubectl reads.
import type { K8sModel } from '@/lib/k8s/models';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { builtinSchemas, gvkKey } from './builtin';
import { customResourceSchemas } from './custom';

export { builtinSchemas, gvkKey } from './builtin';
export { customResourceSchemas } from './custom';
export { schemaForClientNodeType } from './clientnode';
export { schemaForKubevirtType, type KubevirtApiFile } from './kubevirt';
export { applyDefaults, findUnknownFields, prune, strictDecodingError, unknownFieldWarnings, validateAgainstSchema } from './validate';
export { checkStructural, structuralCauses } from './checkstructural';
export { OpenApiDocuments, groupVersionPath, openApiV2, openApiV3GroupVersion, openApiV3Index, type OpenApiV3Index, type ServedDocument } from './openapi';
export { definitionName } from './openapi-defs';
export { causeText } from './fielderrors';

/** The schema Kura serves a model with (built-in or custom), or undefined for kinds it has none for. */
export function schemaForModel(model: Pick<K8sModel, 'apiGroup' | 'apiVersion' | 'kind'>): JSONSchemaProps | undefined {
  const key = gvkKey(model.apiGroup, model.apiVersion, model.kind);
  return builtinSchemas().get(key) ?? customResourceSchemas().get(key);
}
