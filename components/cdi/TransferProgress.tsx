'use client';
// A transfer's bar: how far (percent, bytes), and beneath it the speed and
// time left when they are known.
import { Progress, ProgressMeasureLocation, ProgressSize } from '@patternfly/react-core';

export interface TransferProgressProps {
  /** 0–100; undefined draws no bar (nothing says how far it is yet). */
  percent?: number;
  /** "1.2 GiB of 4 GiB". */
  amount?: string;
  /** "3.2 MiB/s, about 2 min left". */
  line?: string;
  label: string;
  size?: 'sm' | 'md';
  variant?: 'danger' | 'warning' | 'success';
}

export function TransferProgress({ percent, amount, line, label, size = 'sm', variant }: TransferProgressProps) {
  const sub = [amount, line].filter(Boolean).join(' · ');
  return (
    <div style={{ minWidth: '10rem', maxWidth: '20rem' }} data-testid="transfer-progress">
      {percent !== undefined && (
        <Progress
          value={percent}
          aria-label={label}
          size={size === 'sm' ? ProgressSize.sm : ProgressSize.md}
          measureLocation={ProgressMeasureLocation.outside}
          label={`${Math.floor(percent)}%`}
          variant={variant}
        />
      )}
      {sub && <div style={{ fontSize: 'var(--pf-t--global--font--size--xs)', color: 'var(--pf-t--global--text--color--subtle)' }} data-testid="transfer-line">{sub}</div>}
    </div>
  );
}
