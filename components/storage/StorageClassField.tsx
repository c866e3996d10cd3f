'use client';
// The StorageClass choice of a create form: every class (the default marked), and beneath it what
// the chosen class is (its driver, binding mode, and its description annotation when it has one).
import { FormGroup, FormSelect, FormSelectOption } from '@patternfly/react-core';
import { getClassDescription, getName } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import type { StorageClassView } from '@/lib/provisioning';
import { describeClass } from '@/lib/storage-ui';
import { FieldHelp } from '../common/CreateForm';

export interface StorageClassFieldProps {
  id: string;
  value: string;
  classes: StorageClassView[];
  /** The StorageClass objects, for their description annotation. */
  classObjects?: K8sResource[];
  isLoading: boolean;
  onChange: (name: string) => void;
  problem?: string;
}

export function StorageClassField({ id, value, classes, classObjects, isLoading, onChange, problem }: StorageClassFieldProps) {
  const sc = classes.find((c) => c.name === value);
  const scObject = classObjects?.find((o) => getName(o) === value);
  return (
    <FormGroup label="StorageClass" isRequired fieldId={id}>
      <FormSelect id={id} value={value} onChange={(_e, v) => onChange(v)} validated={problem ? 'error' : 'default'}>
        {classes.length === 0 && <FormSelectOption value="" label={isLoading ? 'Loading…' : 'No StorageClass exists'} isDisabled />}
        {classes.map((c) => (
          <FormSelectOption key={c.name} value={c.name} label={`${c.name}${c.isDefault ? ' (default)' : ''}`} />
        ))}
      </FormSelect>
      <FieldHelp problem={problem}>{sc ? describeClass(sc, getClassDescription(scObject)) : undefined}</FieldHelp>
    </FormGroup>
  );
}
