// VirtualMachine (kubevirt.io/v1).
import { defineModel } from './model';

export const VirtualMachineModel = defineModel({
  kind: 'VirtualMachine',
  apiGroup: 'kubevirt.io',
  apiVersion: 'v1',
  plural: 'virtualmachines',
  namespaced: true,
  shortNames: ['vm', 'vms'],
  categories: ['all'],
  label: 'VirtualMachine',
  labelPlural: 'VirtualMachines',
  abbr: 'VM',
});
