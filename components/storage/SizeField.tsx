'use client';
// A size as a number and a unit (MiB, GiB, TiB), with its problem beneath.
import { FormGroup, FormHelperText, FormSelect, FormSelectOption, HelperText, HelperTextItem, InputGroup, InputGroupItem, TextInput } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { SIZE_UNITS, type SizeUnit } from '@/lib/storage-ui';

export interface SizeFieldProps {
  id: string;
  label: string;
  size: string;
  unit: SizeUnit;
  onChange: (size: string, unit: SizeUnit) => void;
  problem?: string;
  help?: ReactNode;
  /** False when the size may be left empty (default true). */
  isRequired?: boolean;
}

export function SizeField({ id, label, size, unit, onChange, problem, help, isRequired = true }: SizeFieldProps) {
  return (
    <FormGroup label={label} isRequired={isRequired} fieldId={id}>
      <InputGroup>
        <InputGroupItem isFill>
          <TextInput
            id={id}
            inputMode="decimal"
            value={size}
            onChange={(_e, v) => onChange(v, unit)}
            validated={problem ? 'error' : 'default'}
            aria-describedby={`${id}-helper`}
          />
        </InputGroupItem>
        <InputGroupItem>
          <FormSelect id={`${id}-unit`} aria-label={`${label} unit`} value={unit} onChange={(_e, v) => onChange(size, v as SizeUnit)} style={{ width: '6rem' }}>
            {SIZE_UNITS.map((u) => (
              <FormSelectOption key={u} value={u} label={`${u}B`} />
            ))}
          </FormSelect>
        </InputGroupItem>
      </InputGroup>
      <FormHelperText>
        <HelperText id={`${id}-helper`}>
          <HelperTextItem variant={problem ? 'error' : 'default'}>{problem ?? help}</HelperTextItem>
        </HelperText>
      </FormHelperText>
    </FormGroup>
  );
}
