'use client';
// The storage pools of one node, one bar per class.
import { Stack, StackItem } from '@patternfly/react-core';
import { capacityBar, type PoolFacts } from '@/lib/storage-ui';
import { CapacityBar } from './CapacityBar';

export function NodeCapacityBars({ node, pools }: { node: string; pools: readonly PoolFacts[] }) {
  const mine = pools.filter((p) => p.node === node);
  if (!mine.length) return <span style={{ color: 'var(--pf-t--global--text--color--subtle)' }}>No storage pools reported</span>;
  return (
    <Stack hasGutter>
      {mine.map((p) => (
        <StackItem key={p.className}>
          <CapacityBar bar={capacityBar(p)} name={p.className} testId={`capacity-${node}-${p.className}`} />
        </StackItem>
      ))}
    </Stack>
  );
}
