// ResourceDefs for every model Kura knows, with the schemas of this folder:
// what the registry will hand the OpenAPI builder, for tests.
import { allModels } from '@/lib/k8s/models';
import type { ResourceDef } from '@/server/apiserver/registry/types';
import { schemaForModel } from './index';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const BUILTIN_GROUPS = new Set(['', 'storage.k8s.io', 'rbac.authorization.k8s.io', 'authorization.k8s.io', 'authentication.k8s.io', 'apiextensions.k8s.io']);

export function testResourceDefs(): ResourceDef[] {
  return allModels.map((model) => {
    const schema = schemaForModel(model);
    return {
      model,
      verbs: model.createOnly ? ['create'] : ALL_VERBS,
      subresources: schema?.properties?.status && !model.createOnly ? ['status'] : [],
      printerColumns: [],
      schema,
      builtin: BUILTIN_GROUPS.has(model.apiGroup),
      virtual: model.createOnly,
    };
  });
}
