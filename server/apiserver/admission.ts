// Built-in admission: checks that need other objects (namespace lifecycle,
// RBAC escalation, CRD validity), run on every write after validation.
import type { RbacAuthorizer } from './auth';
import { errors } from './errors';
import type { CRD } from './registry';
import type { AdmissionHook } from './rest/scope';
import type { Store } from './store';
import { defaultStorageClass as pickDefaultClass, storageClassView } from '@/lib/provisioning';
import { type DataVolumeSpec, EMBEDDED_SOURCE_KINDS, validateDataVolumeSpec } from '@/lib/cdi';

type StorageClassObject = Parameters<typeof storageClassView>[0];
import { CRD_CLEANUP_FINALIZER } from './machinery/crdController';

const NAMESPACES = '/registry/core/namespaces/';

/** Which namespaces exist and which are terminating, kept from a store watch (every create asks). */
export class NamespaceIndex {
  private readonly state = new Map<string, { terminating: boolean }>();
  private readonly handle: { cancel(): void };

  constructor(private readonly store: Store) {
    type Ns = { metadata?: { name?: string; deletionTimestamp?: string } };
    const page = store.list<Ns>(NAMESPACES);
    for (const it of page.items) this.state.set(it.object.metadata?.name ?? '', { terminating: Boolean(it.object.metadata?.deletionTimestamp) });
    this.handle = store.watch<Ns>(NAMESPACES, page.revision, (e) => {
      const name = e.object.metadata?.name ?? '';
      if (e.type === 'DELETED') this.state.delete(name);
      else this.state.set(name, { terminating: Boolean(e.object.metadata?.deletionTimestamp) });
    });
  }

  get(name: string): { terminating: boolean } | undefined {
    const known = this.state.get(name);
    if (known) return known;
    // Not seen yet (its watch event may still be on the way): ask the store itself.
    const stored = this.store.get<{ metadata?: { deletionTimestamp?: string } }>(NAMESPACES + name);
    return stored ? { terminating: Boolean(stored.object.metadata?.deletionTimestamp) } : undefined;
  }

  stop(): void {
    this.handle.cancel();
  }
}

/** Namespaced objects need a namespace that exists and is not being deleted. */
export function namespaceLifecycle(namespaces: NamespaceIndex): AdmissionHook {
  return (_obj, _old, ctx) => {
    if (ctx.operation !== 'CREATE' || !ctx.def.model.namespaced || !ctx.namespace) return;
    const ns = namespaces.get(ctx.namespace);
    if (!ns) throw errors.notFound('namespaces', '', ctx.namespace);
    if (ns.terminating) {
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

const PROTECTION_FINALIZERS: Record<string, string> = {
  PersistentVolumeClaim: 'kubernetes.io/pvc-protection',
  PersistentVolume: 'kubernetes.io/pv-protection',
};

/**
 * New claims and volumes get the protection finalizers, as Kubernetes'
 * StorageObjectInUseProtection plugin adds them: the storage controllers
 * remove them once nothing uses the claim, or the volume is unbound.
 */
export function storageObjectInUseProtection(): AdmissionHook {
  return (obj, _old, ctx) => {
    if (ctx.operation !== 'CREATE' || ctx.def.model.apiGroup !== '') return;
    const finalizer = PROTECTION_FINALIZERS[ctx.def.model.kind];
    if (!finalizer) return;
    const meta = (obj.metadata ??= {}) as { finalizers?: string[] };
    if (!(meta.finalizers ?? []).includes(finalizer)) meta.finalizers = [...(meta.finalizers ?? []), finalizer];
  };
}

/** Claims that name no class get the default StorageClass written in, as Kubernetes' DefaultStorageClass admission does. */
export function defaultStorageClass(store: Store): AdmissionHook {
  return (obj, _old, ctx) => {
    if (ctx.operation !== 'CREATE' || ctx.def.model.kind !== 'PersistentVolumeClaim' || ctx.def.model.apiGroup !== '') return;
    const spec = (obj.spec ??= {}) as { storageClassName?: string | null };
    // "" means "no class, static binding only"; only an absent class gets the default.
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
    const classes = store.list<StorageClassObject>('/registry/storage.k8s.io/storageclasses/').items.map((i) => storageClassView(i.object));
    const chosen = pickDefaultClass(classes);
    if (chosen) spec.storageClassName = chosen.name;
  };
}

/**
 * DataVolumes are checked as CDI's validating webhook does: the source, the
 * target and their sizes on create (with the sources the embedded CDI can
 * import from), and a spec that no longer changes once created.
 */
export function dataVolumeValidation(): AdmissionHook {
  return (obj, old, ctx) => {
    if (ctx.def.model.apiGroup !== 'cdi.kubevirt.io' || ctx.def.model.kind !== 'DataVolume') return;
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    const gk = { group: 'cdi.kubevirt.io', kind: 'DataVolume' };
    if (ctx.operation === 'CREATE') {
      const check = validateDataVolumeSpec(obj.spec as DataVolumeSpec | undefined, { namespace: meta.namespace, name: meta.name, supportedSources: EMBEDDED_SOURCE_KINDS });
      if (check.errors.length > 0) throw errors.invalid(gk, meta.name ?? '', check.errors.map(({ reason, field, message }) => ({ reason, field, message })));
      return;
    }
    if (ctx.operation === 'UPDATE' && old && JSON.stringify(old.spec ?? {}) !== JSON.stringify(obj.spec ?? {})) {
      throw errors.invalid(gk, meta.name ?? '', [{ reason: 'FieldValueForbidden', field: 'spec', message: 'Forbidden: a DataVolume\'s spec cannot change once it is created; delete it and create it again' }]);
    }
  };
}
