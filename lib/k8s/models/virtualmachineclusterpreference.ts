// VirtualMachineClusterPreference (instancetype.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const VirtualMachineClusterPreferenceModel = defineModel({
  kind: 'VirtualMachineClusterPreference',
  apiGroup: 'instancetype.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'virtualmachineclusterpreferences',
  namespaced: false,
  shortNames: ['vmcp', 'vmcps'],
  label: 'VirtualMachineClusterPreference',
  labelPlural: 'VirtualMachineClusterPreferences',
  abbr: 'VMCP',
});
