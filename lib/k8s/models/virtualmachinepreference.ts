// VirtualMachinePreference (instancetype.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const VirtualMachinePreferenceModel = defineModel({
  kind: 'VirtualMachinePreference',
  apiGroup: 'instancetype.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'virtualmachinepreferences',
  namespaced: true,
  shortNames: ['vmpref', 'vmprefs', 'vmp', 'vmps'],
  label: 'VirtualMachinePreference',
  labelPlural: 'VirtualMachinePreferences',
  abbr: 'VMP',
});
