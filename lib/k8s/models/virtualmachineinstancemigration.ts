// VirtualMachineInstanceMigration (kubevirt.io/v1).
import { defineModel } from './model';

export const VirtualMachineInstanceMigrationModel = defineModel({
  kind: 'VirtualMachineInstanceMigration',
  apiGroup: 'kubevirt.io',
  apiVersion: 'v1',
  plural: 'virtualmachineinstancemigrations',
  namespaced: true,
  shortNames: ['vmim', 'vmims'],
  categories: ['all'],
  label: 'VirtualMachineInstanceMigration',
  labelPlural: 'VirtualMachineInstanceMigrations',
  abbr: 'VMIM',
});
