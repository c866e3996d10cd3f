// VirtualMachineSnapshot (snapshot.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const VirtualMachineSnapshotModel = defineModel({
  kind: 'VirtualMachineSnapshot',
  apiGroup: 'snapshot.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'virtualmachinesnapshots',
  namespaced: true,
  shortNames: ['vmsnapshot', 'vmsnapshots'],
  categories: ['all'],
  label: 'VirtualMachineSnapshot',
  labelPlural: 'VirtualMachineSnapshots',
  abbr: 'VMS',
});
