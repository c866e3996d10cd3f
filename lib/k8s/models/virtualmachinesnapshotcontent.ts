// VirtualMachineSnapshotContent (snapshot.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const VirtualMachineSnapshotContentModel = defineModel({
  kind: 'VirtualMachineSnapshotContent',
  apiGroup: 'snapshot.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'virtualmachinesnapshotcontents',
  namespaced: true,
  shortNames: ['vmsnapshotcontent', 'vmsnapshotcontents'],
  categories: ['all'],
  label: 'VirtualMachineSnapshotContent',
  labelPlural: 'VirtualMachineSnapshotContents',
  abbr: 'VMSC',
});
