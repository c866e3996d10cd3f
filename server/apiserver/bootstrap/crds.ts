// The CustomResourceDefinitions a cluster running KubeVirt, CDI and the CSI
// snapshotter has, with the same names, scopes, short names, categories,
// printer columns and subresources, installed on first start. Their schemas
// come from the schema module (built from the projects' published API types).
import type { K8sModel } from '@/lib/k8s/models';
import {
  DataSourceModel,
  DataVolumeModel,
  StorageProfileModel,
  VirtualMachineClusterInstancetypeModel,
  VirtualMachineClusterPreferenceModel,
  VirtualMachineInstanceMigrationModel,
  VirtualMachineInstanceModel,
  VirtualMachineInstancetypeModel,
  VirtualMachineModel,
  VirtualMachinePreferenceModel,
  VirtualMachineRestoreModel,
  VirtualMachineSnapshotContentModel,
  VirtualMachineSnapshotModel,
  VolumeSnapshotClassModel,
  VolumeSnapshotContentModel,
  VolumeSnapshotModel,
} from '@/lib/k8s/models';
import type { CRD, CRDVersion, JSONSchemaProps } from '../registry';

type Column = NonNullable<CRDVersion['additionalPrinterColumns']>[number];

const age: Column = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const readyCondition = (name = 'Ready'): Column => ({ name, type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" });

interface CrdSpecInput {
  model: K8sModel;
  columns?: Column[];
  status?: boolean;
}

const definitions: CrdSpecInput[] = [
  {
    model: VirtualMachineModel,
    status: true,
    columns: [age, { name: 'Status', type: 'string', jsonPath: '.status.printableStatus' }, readyCondition()],
  },
  {
    model: VirtualMachineInstanceModel,
    status: true,
    columns: [
      age,
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'IP', type: 'string', jsonPath: '.status.interfaces[0].ipAddress' },
      { name: 'NodeName', type: 'string', jsonPath: '.status.nodeName' },
      readyCondition(),
      { name: 'Live-Migratable', type: 'string', priority: 1, jsonPath: ".status.conditions[?(@.type=='LiveMigratable')].status" },
      { name: 'Paused', type: 'string', priority: 1, jsonPath: ".status.conditions[?(@.type=='Paused')].status" },
    ],
  },
  {
    model: VirtualMachineInstanceMigrationModel,
    status: true,
    columns: [
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'VMI', type: 'string', jsonPath: '.spec.vmiName' },
    ],
  },
  {
    model: VirtualMachineSnapshotModel,
    status: true,
    columns: [
      { name: 'SourceKind', type: 'string', jsonPath: '.spec.source.kind' },
      { name: 'SourceName', type: 'string', jsonPath: '.spec.source.name' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
      { name: 'CreationTime', type: 'date', jsonPath: '.status.creationTime' },
      { name: 'Error', type: 'string', jsonPath: '.status.error.message' },
    ],
  },
  {
    model: VirtualMachineSnapshotContentModel,
    status: true,
    columns: [
      { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
      { name: 'CreationTime', type: 'date', jsonPath: '.status.creationTime' },
      { name: 'Error', type: 'string', jsonPath: '.status.error.message' },
    ],
  },
  {
    model: VirtualMachineRestoreModel,
    status: true,
    columns: [
      { name: 'TargetKind', type: 'string', jsonPath: '.spec.target.kind' },
      { name: 'TargetName', type: 'string', jsonPath: '.spec.target.name' },
      { name: 'Complete', type: 'boolean', jsonPath: '.status.complete' },
      { name: 'RestoreTime', type: 'date', jsonPath: '.status.restoreTime' },
      { name: 'Error', type: 'string', jsonPath: '.status.error.message' },
    ],
  },
  { model: VirtualMachineInstancetypeModel },
  { model: VirtualMachineClusterInstancetypeModel },
  { model: VirtualMachinePreferenceModel },
  { model: VirtualMachineClusterPreferenceModel },
  {
    model: DataVolumeModel,
    status: true,
    columns: [
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Progress', type: 'string', jsonPath: '.status.progress' },
      { name: 'Restarts', type: 'integer', jsonPath: '.status.restartCount' },
      age,
    ],
  },
  { model: DataSourceModel, status: true },
  { model: StorageProfileModel, status: true },
  {
    model: VolumeSnapshotModel,
    status: true,
    columns: [
      { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
      { name: 'SourcePVC', type: 'string', jsonPath: '.spec.source.persistentVolumeClaimName' },
      { name: 'SourceSnapshotContent', type: 'string', jsonPath: '.spec.source.volumeSnapshotContentName' },
      { name: 'RestoreSize', type: 'string', jsonPath: '.status.restoreSize' },
      { name: 'SnapshotClass', type: 'string', jsonPath: '.spec.volumeSnapshotClassName' },
      { name: 'SnapshotContent', type: 'string', jsonPath: '.status.boundVolumeSnapshotContentName' },
      { name: 'CreationTime', type: 'date', jsonPath: '.status.creationTime' },
      age,
    ],
  },
  {
    model: VolumeSnapshotClassModel,
    columns: [
      { name: 'Driver', type: 'string', jsonPath: '.driver' },
      { name: 'DeletionPolicy', type: 'string', jsonPath: '.deletionPolicy' },
      age,
    ],
  },
  {
    model: VolumeSnapshotContentModel,
    status: true,
    columns: [
      { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
      { name: 'RestoreSize', type: 'integer', jsonPath: '.status.restoreSize' },
      { name: 'DeletionPolicy', type: 'string', jsonPath: '.spec.deletionPolicy' },
      { name: 'Driver', type: 'string', jsonPath: '.spec.driver' },
      { name: 'VolumeSnapshotClass', type: 'string', jsonPath: '.spec.volumeSnapshotClassName' },
      { name: 'VolumeSnapshot', type: 'string', jsonPath: '.spec.volumeSnapshotRef.name' },
      { name: 'VolumeSnapshotNamespace', type: 'string', jsonPath: '.spec.volumeSnapshotRef.namespace' },
      age,
    ],
  },
];

/** Bumped whenever the definitions above change, so existing data directories get the new CRDs. */
export const BOOTSTRAP_CRD_REVISION = '1';

export function bootstrapCRDs(schemas: Map<string, JSONSchemaProps>): CRD[] {
  return definitions.map(({ model, columns, status }) => {
    const key = `${model.apiGroup}/${model.apiVersion}/${model.kind}`;
    const schema = schemas.get(key) ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: `${model.plural}.${model.apiGroup}`,
        labels: { 'app.kubernetes.io/managed-by': 'kura' },
        annotations: { 'kura.dev/bootstrap-revision': BOOTSTRAP_CRD_REVISION },
      },
      spec: {
        group: model.apiGroup,
        names: {
          plural: model.plural,
          singular: model.singular,
          kind: model.kind,
          listKind: `${model.kind}List`,
          ...(model.shortNames?.length ? { shortNames: model.shortNames } : {}),
          ...(model.categories?.length ? { categories: model.categories } : {}),
        },
        scope: model.namespaced ? 'Namespaced' : 'Cluster',
        versions: [
          {
            name: model.apiVersion,
            served: true,
            storage: true,
            schema: { openAPIV3Schema: schema },
            ...(status ? { subresources: { status: {} } } : {}),
            ...(columns ? { additionalPrinterColumns: columns } : {}),
          },
        ],
      },
    };
  });
}
