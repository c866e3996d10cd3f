// "Bootable volumes": what a VM can start from. DataSources (CDI's named boot
// sources), and DataVolumes and claims marked as boot sources by a label:
// kura.dev/bootable=true, a DataImportCron's, or a default preference.
import type { DataSource, DataVolume } from '../cdi';
import { getCreationTimestamp, getLabels, getName, getNamespace, getPvcActualStorage, getPvcOwningDataVolume, getPvcPhase, getPvcRequestedStorage, type K8sObject } from '../k8s';
import { parseBytes } from '../provisioning';
import { dataVolumePhaseView, type PhaseTone } from './phase';
import { describeSource } from './source';
import { BOOTABLE_LABEL, DATA_IMPORT_CRON_LABEL, DEFAULT_PREFERENCE_LABEL, getDataSourceReady, getDataSourceTarget, getDataVolumeRequestedBytes } from './selectors';

export type BootableKind = 'DataSource' | 'DataVolume' | 'PersistentVolumeClaim';

export interface BootableRow {
  kind: BootableKind;
  name: string;
  namespace: string;
  obj: K8sObject;
  /** Where its data is or comes from. */
  source: string;
  status: { text: string; tone: PhaseTone; detail?: string };
  sizeBytes?: number;
  /** The VirtualMachinePreference VMs booting from it use by default. */
  preference?: string;
  created?: string;
  /** Why it is listed, for a tooltip. */
  why: string;
}

/** Why a DataVolume or claim counts as a boot source, or undefined when it does not. */
export function bootableReason(o: K8sObject): string | undefined {
  const labels = getLabels(o);
  if (labels[BOOTABLE_LABEL] === 'true') return `Labelled ${BOOTABLE_LABEL}=true.`;
  if (Object.hasOwn(labels, DATA_IMPORT_CRON_LABEL)) return `Kept fresh by DataImportCron ${labels[DATA_IMPORT_CRON_LABEL] || ''}`.trim() + '.';
  if (Object.hasOwn(labels, DEFAULT_PREFERENCE_LABEL)) return `Names a default preference (${DEFAULT_PREFERENCE_LABEL}).`;
  return undefined;
}

const bytesOf = (q: string | undefined) => (q === undefined ? undefined : parseBytes(q).bytes);
const claimBytes = (pvc: K8sObject | undefined) => (pvc ? (bytesOf(getPvcActualStorage(pvc)) ?? bytesOf(getPvcRequestedStorage(pvc))) : undefined);
const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

function claimStatus(pvc: K8sObject): BootableRow['status'] {
  const phase = getPvcPhase(pvc);
  if (phase === 'Bound') return { text: 'Bound', tone: 'success' };
  if (phase === 'Lost') return { text: 'Lost', tone: 'danger', detail: 'Its PersistentVolume is gone.' };
  return { text: phase, tone: 'warning' };
}

function dataSourceRow(ds: DataSource, claims: Map<string, K8sObject>): BootableRow {
  const target = getDataSourceTarget(ds);
  const ready = getDataSourceReady(ds);
  let status: BootableRow['status'];
  if (ready?.status === 'True') status = { text: 'Ready', tone: 'success' };
  else if (ready) status = { text: 'Not ready', tone: 'warning', detail: ready.message || ready.reason || 'Its source does not exist or is not complete yet.' };
  else status = { text: 'Unknown', tone: 'neutral', detail: 'No controller has reported on this DataSource.' };
  const preference = getLabels(ds)[DEFAULT_PREFERENCE_LABEL];
  return {
    kind: 'DataSource',
    name: getName(ds),
    namespace: getNamespace(ds) ?? '',
    obj: ds,
    source: target ? `${target.kind === 'pvc' ? 'PVC' : 'snapshot'} ${target.namespace}/${target.name}` : '-',
    status,
    ...(target?.kind === 'pvc' ? { sizeBytes: claimBytes(claims.get(key(target.namespace, target.name))) } : {}),
    ...(preference ? { preference } : {}),
    created: getCreationTimestamp(ds),
    why: 'A DataSource: a named boot source VMs refer to.',
  };
}

export interface BootableInputs {
  dataSources: readonly DataSource[];
  dataVolumes: readonly DataVolume[];
  claims: readonly K8sObject[];
}

/** One row per DataSource and per boot-source DataVolume or claim; a claim that belongs to a listed DataVolume is not listed again. */
export function bootableRows({ dataSources, dataVolumes, claims }: BootableInputs): BootableRow[] {
  const claimsByKey = new Map(claims.map((c) => [key(getNamespace(c), getName(c)), c]));
  const rows: BootableRow[] = dataSources.map((ds) => dataSourceRow(ds, claimsByKey));
  const listedDvs = new Set<string>();
  for (const dv of dataVolumes) {
    const why = bootableReason(dv);
    if (!why) continue;
    const phase = dataVolumePhaseView(dv);
    const preference = getLabels(dv)[DEFAULT_PREFERENCE_LABEL];
    listedDvs.add(key(getNamespace(dv), getName(dv)));
    rows.push({
      kind: 'DataVolume',
      name: getName(dv),
      namespace: getNamespace(dv) ?? '',
      obj: dv,
      source: describeSource(dv).text,
      status: { text: phase.text, tone: phase.tone, detail: phase.detail },
      sizeBytes: getDataVolumeRequestedBytes(dv),
      ...(preference ? { preference } : {}),
      created: getCreationTimestamp(dv),
      why,
    });
  }
  for (const pvc of claims) {
    const why = bootableReason(pvc);
    const owner = getPvcOwningDataVolume(pvc);
    if (!why || (owner && listedDvs.has(key(getNamespace(pvc), owner)))) continue;
    const preference = getLabels(pvc)[DEFAULT_PREFERENCE_LABEL];
    rows.push({
      kind: 'PersistentVolumeClaim',
      name: getName(pvc),
      namespace: getNamespace(pvc) ?? '',
      obj: pvc,
      source: owner ? `DataVolume ${owner}` : 'claim',
      status: claimStatus(pvc),
      sizeBytes: claimBytes(pvc),
      ...(preference ? { preference } : {}),
      created: getCreationTimestamp(pvc),
      why,
    });
  }
  return rows;
}
