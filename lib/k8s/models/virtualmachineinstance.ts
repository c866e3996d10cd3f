// VirtualMachineInstance (kubevirt.io/v1).
import { defineModel } from './model';

export const VirtualMachineInstanceModel = defineModel({
  kind: 'VirtualMachineInstance',
  apiGroup: 'kubevirt.io',
  apiVersion: 'v1',
  plural: 'virtualmachineinstances',
  namespaced: true,
  shortNames: ['vmi', 'vmis'],
  categories: ['all'],
  label: 'VirtualMachineInstance',
  labelPlural: 'VirtualMachineInstances',
  abbr: 'VMI',
});
