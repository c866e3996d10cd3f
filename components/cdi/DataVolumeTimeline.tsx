'use client';
// A DataVolume's conditions and events in one list, oldest first.
import { Label, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { TimelineEntry } from '@/lib/cdi-ui';
import { age } from '@/lib/format';
import { useNow } from '../hooks/useNow';

const COLORS = { success: 'green', info: 'blue', warning: 'orange', danger: 'red', neutral: 'grey' } as const;

export function DataVolumeTimeline({ entries }: { entries: readonly TimelineEntry[] }) {
  const now = useNow(5_000);
  if (!entries.length) return <p>Nothing has happened yet: no conditions and no events.</p>;
  return (
    <Table aria-label="Timeline" variant="compact" data-testid="dv-timeline">
      <Thead>
        <Tr>
          <Th width={10}>When</Th>
          <Th width={25}>What</Th>
          <Th>Detail</Th>
        </Tr>
      </Thead>
      <Tbody>
        {entries.map((e) => (
          <Tr key={e.key}>
            <Td dataLabel="When" modifier="nowrap">
              <Tooltip content={e.since ? `${e.time} (status since ${e.since})` : (e.time ?? 'no time given')}>
                <span tabIndex={0}>{e.time ? `${age(e.time, now)} ago` : '-'}</span>
              </Tooltip>
            </Td>
            <Td dataLabel="What">
              <Label isCompact variant={e.source === 'condition' ? 'outline' : 'filled'} color={COLORS[e.tone]}>
                {e.title}
              </Label>
              {e.count ? <span style={{ marginLeft: '0.5rem' }}>×{e.count}</span> : null}
              <div style={{ fontSize: 'var(--pf-t--global--font--size--xs)', color: 'var(--pf-t--global--text--color--subtle)' }}>{e.source === 'condition' ? 'condition' : 'event'}</div>
            </Td>
            <Td dataLabel="Detail" modifier="breakWord">
              {e.detail ?? ''}
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
