// Which VirtualMachines (and their running instances) use a claim: their
// volumes name it directly (persistentVolumeClaim) or through a DataVolume of
// the same name (CDI names a DataVolume's claim after it).
import { getName, getNamespace, type K8sObject } from '../k8s';

interface VolumeRef {
  persistentVolumeClaim?: { claimName?: string } | null;
  dataVolume?: { name?: string } | null;
}

interface VmFields {
  spec?: { template?: { spec?: { volumes?: VolumeRef[] | null } | null } | null; dataVolumeTemplates?: { metadata?: { name?: string } }[] | null };
}

interface VmiFields {
  spec?: { volumes?: VolumeRef[] | null };
  status?: { phase?: string; nodeName?: string };
}

export interface ClaimConsumer {
  /** The VM's name (or the VMI's, for an instance without a VM). */
  name: string;
  /** A VirtualMachine of this name uses the claim. */
  vm: boolean;
  /** A VirtualMachineInstance of this name uses it: the VM is running (or starting). */
  running: boolean;
  /** The node the instance runs on, when it runs. */
  node?: string;
}

function claimNames(volumes: readonly VolumeRef[] | null | undefined): string[] {
  const out = new Set<string>();
  for (const v of volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName || v.dataVolume?.name;
    if (name) out.add(name);
  }
  return [...out];
}

/** Claims a VirtualMachine's volumes name (directly or through a DataVolume). */
export function claimsOfVm(vm: K8sObject): string[] {
  return claimNames((vm as VmFields).spec?.template?.spec?.volumes);
}

/** Claims a VirtualMachineInstance's volumes name. */
export function claimsOfVmi(vmi: K8sObject): string[] {
  return claimNames((vmi as VmiFields).spec?.volumes);
}

/** Key of a claim in the map consumersByClaim returns. */
export const claimKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/** Every claim in use, by "namespace/name", with the VMs that use it, sorted by name. */
export function consumersByClaim(vms: readonly K8sObject[], vmis: readonly K8sObject[]): Map<string, ClaimConsumer[]> {
  const out = new Map<string, Map<string, ClaimConsumer>>();
  const add = (ns: string | undefined, claim: string, name: string, patch: Partial<ClaimConsumer>) => {
    const key = claimKey(ns, claim);
    const byName = out.get(key) ?? new Map<string, ClaimConsumer>();
    out.set(key, byName);
    byName.set(name, { ...(byName.get(name) ?? { name, vm: false, running: false }), ...patch });
  };
  for (const vm of vms) for (const c of claimsOfVm(vm)) add(getNamespace(vm), c, getName(vm), { vm: true });
  for (const vmi of vmis) {
    const status = (vmi as VmiFields).status;
    const running = status?.phase !== 'Succeeded' && status?.phase !== 'Failed';
    for (const c of claimsOfVmi(vmi)) add(getNamespace(vmi), c, getName(vmi), { running, node: status?.nodeName || undefined });
  }
  return new Map([...out].map(([k, v]) => [k, [...v.values()].sort((a, b) => a.name.localeCompare(b.name))]));
}
