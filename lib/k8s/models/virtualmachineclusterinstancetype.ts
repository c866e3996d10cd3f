// VirtualMachineClusterInstancetype (instancetype.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const VirtualMachineClusterInstancetypeModel = defineModel({
  kind: 'VirtualMachineClusterInstancetype',
  apiGroup: 'instancetype.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'virtualmachineclusterinstancetypes',
  namespaced: false,
  shortNames: ['vmclusterinstancetype', 'vmclusterinstancetypes', 'vmcf', 'vmcfs'],
  label: 'VirtualMachineClusterInstancetype',
  labelPlural: 'VirtualMachineClusterInstancetypes',
  abbr: 'VMCIT',
});
