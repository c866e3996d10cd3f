// Built-in admission: checks that need other objects (namespace lifecycle,
// RBAC escalation, CRD validity), run on every write after validation.
import type { RbacAuthorizer } from './auth';
import { errors } from './errors';
import type { CRD } from './registry';
import type { AdmissionHook } from './rest/scope';
import type { Store } from './store';
import { CRD_CLEANUP_FINALIZER } from './machinery/crdController';

/** Namespaced objects need a namespace that exists and is not being deleted. */
export function namespaceLifecycle(store: Store): AdmissionHook {
  return (_obj, _old, ctx) => {
    if (ctx.operation !== 'CREATE' || !ctx.def.model.namespaced || !ctx.namespace) return;
    const ns = store.get<{ metadata?: { deletionTimestamp?: string } }>(`/registry/core/namespaces/${ctx.namespace}`);
    if (!ns) throw errors.notFound('namespaces', '', ctx.namespace);
    if (ns.object.metadata?.deletionTimestamp) {
      throw errors.forbidden(`${ctx.def.model.plural} "${(_obj.metadata as { name?: string } | undefined)?.name ?? ''}" is forbidden: unable to create new content in namespace ${ctx.namespace} because it is being terminated`);
    }
  };
}

/** Nobody grants permissions they do not hold (unless allowed to escalate or bind). */
export function rbacEscalation(authorizer: RbacAuthorizer): AdmissionHook {
  return (obj, _old, ctx) => {
    if (ctx.def.model.apiGroup !== 'rbac.authorization.k8s.io') return;
    const kind = ctx.def.model.kind;
    const problem = kind === 'Role' || kind === 'ClusterRole' ? authorizer.checkRoleWrite(ctx.user as never, obj) : authorizer.checkBindingWrite(ctx.user as never, obj);
    if (problem) throw errors.forbidden(`${ctx.def.model.plural}.rbac.authorization.k8s.io "${(obj.metadata as { name?: string } | undefined)?.name ?? ''}" is forbidden: ${problem}`);
  };
}

/** New CRDs get the cleanup finalizer, so their custom resources are removed with them. */
export function crdFinalizer(): AdmissionHook {
  return (obj, _old, ctx) => {
    if (ctx.operation !== 'CREATE' || ctx.def.model.kind !== 'CustomResourceDefinition' || ctx.def.model.apiGroup !== 'apiextensions.k8s.io') return;
    const meta = ((obj as CRD).metadata ??= {});
    meta.finalizers = [...new Set([...(meta.finalizers ?? []), CRD_CLEANUP_FINALIZER])];
  };
}
