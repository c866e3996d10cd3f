'use client';
// The parameters of a StorageClass as rows of key and value, each explained
// when the driver's (or Kura's) documentation knows the key.
import {
  Button,
  Dropdown,
  DropdownItem,
  DropdownList,
  Flex,
  FlexItem,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  MenuToggle,
  TextInput,
} from '@patternfly/react-core';
import { MinusCircleIcon, PlusCircleIcon } from '@patternfly/react-icons';
import { useState } from 'react';
import type { FormProblems, ParameterDoc } from '@/lib/storage-ui';

export interface ParameterRowsProps {
  rows: { key: string; value: string }[];
  onChange: (rows: { key: string; value: string }[]) => void;
  /** Parameters the chosen driver documents (Kura's included for Kura's drivers). */
  docs: readonly ParameterDoc[];
  problems: FormProblems;
}

export function ParameterRows({ rows, onChange, docs, problems }: ParameterRowsProps) {
  const [open, setOpen] = useState(false);
  const unused = docs.filter((d) => !rows.some((r) => r.key.trim() === d.key));
  const set = (i: number, patch: Partial<{ key: string; value: string }>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = (key: string) => {
    const doc = docs.find((d) => d.key === key);
    onChange([...rows, { key, value: doc?.values?.[0] ?? doc?.defaultValue ?? '' }]);
  };

  return (
    <FormGroup label="Parameters" fieldId="sc-parameters" role="group">
      {rows.map((r, i) => {
        const doc = docs.find((d) => d.key === r.key.trim());
        const problem = problems[`parameters.${i}`];
        return (
          <div key={i} style={{ marginBottom: '0.75rem' }}>
            <Flex spaceItems={{ default: 'spaceItemsSm' }} flexWrap={{ default: 'nowrap' }}>
              <FlexItem flex={{ default: 'flex_1' }}>
                <TextInput aria-label={`Parameter ${i + 1} name`} placeholder="name" value={r.key} onChange={(_e, v) => set(i, { key: v })} validated={problem ? 'error' : 'default'} />
              </FlexItem>
              <FlexItem flex={{ default: 'flex_1' }}>
                {doc?.values ? (
                  <FormSelect aria-label={`Parameter ${i + 1} value`} value={r.value} onChange={(_e, v) => set(i, { value: v })}>
                    {doc.values.map((v) => (
                      <FormSelectOption key={v} value={v} label={v} />
                    ))}
                  </FormSelect>
                ) : (
                  <TextInput aria-label={`Parameter ${i + 1} value`} placeholder={doc?.placeholder ?? 'value'} value={r.value} onChange={(_e, v) => set(i, { value: v })} validated={problem ? 'error' : 'default'} />
                )}
              </FlexItem>
              <FlexItem>
                <Button variant="plain" aria-label={`Remove parameter ${r.key || i + 1}`} icon={<MinusCircleIcon />} onClick={() => onChange(rows.filter((_, j) => j !== i))} />
              </FlexItem>
            </Flex>
            {(problem || doc) && (
              <FormHelperText>
                <HelperText>
                  <HelperTextItem variant={problem ? 'error' : 'default'}>{problem ?? doc?.help}</HelperTextItem>
                </HelperText>
              </FormHelperText>
            )}
          </div>
        );
      })}
      <Dropdown
        isOpen={open}
        onOpenChange={setOpen}
        onSelect={() => setOpen(false)}
        toggle={(ref) => (
          <MenuToggle ref={ref} variant="plain" onClick={() => setOpen((o) => !o)} isExpanded={open} icon={<PlusCircleIcon />}>
            Add parameter
          </MenuToggle>
        )}
      >
        <DropdownList>
          {unused.map((d) => (
            <DropdownItem key={d.key} onClick={() => add(d.key)} description={d.help}>
              {d.key}
            </DropdownItem>
          ))}
          <DropdownItem onClick={() => add('')}>Another parameter…</DropdownItem>
        </DropdownList>
      </Dropdown>
    </FormGroup>
  );
}
