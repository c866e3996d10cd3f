'use client';
// One pool as a stacked bar (written, allocated, free, overprovisioned) with
// its label; hovering or focusing it shows every figure exactly.
import { Tooltip } from '@patternfly/react-core';
import type { CapacityBar as Bar } from '@/lib/storage-ui';
import { SEGMENT_LABELS } from '@/lib/storage-ui';
import { SEGMENT_STYLES } from './segmentStyles';

export interface CapacityBarProps {
  bar: Bar;
  /** What the bar is of: "kura-local", "node-2". */
  name: string;
  /** For tests: data-testid of the bar. */
  testId?: string;
}

export function CapacityBar({ bar, name, testId }: CapacityBarProps) {
  const summary = `${name}: ${bar.label}`;
  const tip = (
    <div>
      <strong>{name}</strong>
      {bar.segments.length > 0 && (
        <div>{bar.segments.map((s) => `${SEGMENT_LABELS[s.kind]} ${Math.round(s.fraction * 100)}%`).join(' · ')}</div>
      )}
      {bar.details.map((d) => (
        <div key={d}>{d}</div>
      ))}
    </div>
  );
  return (
    <div style={{ minWidth: '12rem' }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', columnGap: '0.75rem', fontSize: 'var(--pf-t--global--font--size--sm)' }}>
        <span>{name}</span>
        <span style={{ color: 'var(--pf-t--global--text--color--subtle)' }}>{bar.label}</span>
      </div>
      <Tooltip content={tip}>
        {bar.kind === 'free-only' ? (
          // Without the pool's size a bar would only say "full of free": say what is known instead.
          <div role="img" tabIndex={0} aria-label={`${summary}. ${bar.details.join('. ')}`} data-testid={testId} style={{ fontSize: 'var(--pf-t--global--font--size--xs)', color: 'var(--pf-t--global--text--color--subtle)' }}>
            size and allocation not visible to you
          </div>
        ) : (
          <div
            role="img"
            tabIndex={0}
            aria-label={`${summary}. ${bar.details.join('. ')}`}
            data-testid={testId}
            style={{
              display: 'flex',
              height: '0.75rem',
              borderRadius: '0.375rem',
              overflow: 'hidden',
              marginTop: '0.25rem',
              background: bar.segments.length ? undefined : 'var(--pf-t--global--background--color--secondary--default)',
              outline: bar.kind === 'allocated-only' ? '1px dashed var(--pf-t--global--border--color--default)' : undefined,
            }}
          >
            {bar.segments.map((s) => (
              <div key={s.kind} style={{ ...SEGMENT_STYLES[s.kind], width: `${s.fraction * 100}%` }} />
            ))}
          </div>
        )}
      </Tooltip>
    </div>
  );
}
