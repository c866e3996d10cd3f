'use client';
import { Label, Tooltip } from '@patternfly/react-core';
import type { GenericStatus } from '@/lib/k8s/selectors';

const colors = { success: 'green', warning: 'orange', danger: 'red', info: 'blue', neutral: 'grey' } as const;

export function StatusLabel({ status }: { status: GenericStatus }) {
  if (status.text === '-') return <span>-</span>;
  const label = (
    <Label isCompact color={colors[status.tone]}>
      {status.text}
    </Label>
  );
  return status.detail ? <Tooltip content={status.detail}>{label}</Tooltip> : label;
}
