'use client';
// The pools of each class as bars: one per node for a node-local class, one
// for a shared class.
import { Grid, GridItem, Stack, StackItem, Title } from '@patternfly/react-core';
import { capacityBar, type PoolFacts } from '@/lib/storage-ui';
import { CapacityBar } from './CapacityBar';

export function ClassPoolsGrid({ pools, testIdPrefix }: { pools: readonly PoolFacts[]; testIdPrefix: string }) {
  const classes = [...new Set(pools.map((p) => p.className))];
  return (
    <Stack hasGutter>
      {classes.map((cls) => (
        <StackItem key={cls}>
          <Title headingLevel="h3" size="md" style={{ marginBottom: '0.5rem' }}>
            {cls}
          </Title>
          <Grid hasGutter md={6} xl={4}>
            {pools
              .filter((p) => p.className === cls)
              .map((p) => (
                <GridItem key={p.node ?? 'shared'}>
                  <CapacityBar bar={capacityBar(p)} name={p.node ?? 'shared pool (all nodes)'} testId={`${testIdPrefix}-${cls}-${p.node ?? 'shared'}`} />
                </GridItem>
              ))}
          </Grid>
        </StackItem>
      ))}
    </Stack>
  );
}
