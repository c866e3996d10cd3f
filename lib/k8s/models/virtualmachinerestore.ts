// VirtualMachineRestore (snapshot.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const VirtualMachineRestoreModel = defineModel({
  kind: 'VirtualMachineRestore',
  apiGroup: 'snapshot.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'virtualmachinerestores',
  namespaced: true,
  shortNames: ['vmrestore', 'vmrestores'],
  categories: ['all'],
  label: 'VirtualMachineRestore',
  labelPlural: 'VirtualMachineRestores',
  abbr: 'VMR',
});
