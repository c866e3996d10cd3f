// VirtualMachineInstancetype (instancetype.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const VirtualMachineInstancetypeModel = defineModel({
  kind: 'VirtualMachineInstancetype',
  apiGroup: 'instancetype.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'virtualmachineinstancetypes',
  namespaced: true,
  shortNames: ['vminstancetype', 'vminstancetypes', 'vmf', 'vmfs'],
  label: 'VirtualMachineInstancetype',
  labelPlural: 'VirtualMachineInstancetypes',
  abbr: 'VMIT',
});
