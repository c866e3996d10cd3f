// Every kind Kura knows by name. The API server serves these; the console links to them.
import type { K8sModel } from './model';
import { NamespaceModel } from './namespace';
import { NodeModel } from './node';
import { PersistentVolumeModel } from './persistentvolume';
import { PersistentVolumeClaimModel } from './persistentvolumeclaim';
import { EventModel } from './event';
import { SecretModel } from './secret';
import { ConfigMapModel } from './configmap';
import { ServiceAccountModel } from './serviceaccount';
import { ResourceQuotaModel } from './resourcequota';
import { StorageClassModel } from './storageclass';
import { CSIStorageCapacityModel } from './csistoragecapacity';
import { VolumeSnapshotModel } from './volumesnapshot';
import { VolumeSnapshotClassModel } from './volumesnapshotclass';
import { VolumeSnapshotContentModel } from './volumesnapshotcontent';
import { DataVolumeModel } from './datavolume';
import { DataSourceModel } from './datasource';
import { StorageProfileModel } from './storageprofile';
import { UploadTokenRequestModel } from './uploadtokenrequest';
import { VirtualMachineModel } from './virtualmachine';
import { VirtualMachineInstanceModel } from './virtualmachineinstance';
import { VirtualMachineInstanceMigrationModel } from './virtualmachineinstancemigration';
import { VirtualMachineSnapshotModel } from './virtualmachinesnapshot';
import { VirtualMachineSnapshotContentModel } from './virtualmachinesnapshotcontent';
import { VirtualMachineRestoreModel } from './virtualmachinerestore';
import { VirtualMachineInstancetypeModel } from './virtualmachineinstancetype';
import { VirtualMachineClusterInstancetypeModel } from './virtualmachineclusterinstancetype';
import { VirtualMachinePreferenceModel } from './virtualmachinepreference';
import { VirtualMachineClusterPreferenceModel } from './virtualmachineclusterpreference';
import { RoleModel } from './role';
import { ClusterRoleModel } from './clusterrole';
import { RoleBindingModel } from './rolebinding';
import { ClusterRoleBindingModel } from './clusterrolebinding';
import { SelfSubjectAccessReviewModel } from './selfsubjectaccessreview';
import { SelfSubjectRulesReviewModel } from './selfsubjectrulesreview';
import { SubjectAccessReviewModel } from './subjectaccessreview';
import { SelfSubjectReviewModel } from './selfsubjectreview';
import { CustomResourceDefinitionModel } from './customresourcedefinition';

export * from './model';
export {
  NamespaceModel,
  NodeModel,
  PersistentVolumeModel,
  PersistentVolumeClaimModel,
  EventModel,
  SecretModel,
  ConfigMapModel,
  ServiceAccountModel,
  ResourceQuotaModel,
  StorageClassModel,
  CSIStorageCapacityModel,
  VolumeSnapshotModel,
  VolumeSnapshotClassModel,
  VolumeSnapshotContentModel,
  DataVolumeModel,
  DataSourceModel,
  StorageProfileModel,
  UploadTokenRequestModel,
  VirtualMachineModel,
  VirtualMachineInstanceModel,
  VirtualMachineInstanceMigrationModel,
  VirtualMachineSnapshotModel,
  VirtualMachineSnapshotContentModel,
  VirtualMachineRestoreModel,
  VirtualMachineInstancetypeModel,
  VirtualMachineClusterInstancetypeModel,
  VirtualMachinePreferenceModel,
  VirtualMachineClusterPreferenceModel,
  RoleModel,
  ClusterRoleModel,
  RoleBindingModel,
  ClusterRoleBindingModel,
  SelfSubjectAccessReviewModel,
  SelfSubjectRulesReviewModel,
  SubjectAccessReviewModel,
  SelfSubjectReviewModel,
  CustomResourceDefinitionModel,
};

export const allModels: readonly K8sModel[] = [
  NamespaceModel,
  NodeModel,
  PersistentVolumeModel,
  PersistentVolumeClaimModel,
  EventModel,
  SecretModel,
  ConfigMapModel,
  ServiceAccountModel,
  ResourceQuotaModel,
  StorageClassModel,
  CSIStorageCapacityModel,
  VolumeSnapshotModel,
  VolumeSnapshotClassModel,
  VolumeSnapshotContentModel,
  DataVolumeModel,
  DataSourceModel,
  StorageProfileModel,
  UploadTokenRequestModel,
  VirtualMachineModel,
  VirtualMachineInstanceModel,
  VirtualMachineInstanceMigrationModel,
  VirtualMachineSnapshotModel,
  VirtualMachineSnapshotContentModel,
  VirtualMachineRestoreModel,
  VirtualMachineInstancetypeModel,
  VirtualMachineClusterInstancetypeModel,
  VirtualMachinePreferenceModel,
  VirtualMachineClusterPreferenceModel,
  RoleModel,
  ClusterRoleModel,
  RoleBindingModel,
  ClusterRoleBindingModel,
  SelfSubjectAccessReviewModel,
  SelfSubjectRulesReviewModel,
  SubjectAccessReviewModel,
  SelfSubjectReviewModel,
  CustomResourceDefinitionModel,
];

/** Look a model up by group and kind (version-agnostic: Kura serves one version per group). */
export function findModel(apiGroup: string, kind: string): K8sModel | undefined {
  return allModels.find((m) => m.apiGroup === apiGroup && m.kind === kind);
}

/** Look a model up by group and plural resource name. */
export function findModelByPlural(apiGroup: string, plural: string): K8sModel | undefined {
  return allModels.find((m) => m.apiGroup === apiGroup && m.plural === plural);
}
