'use client';
// Storage at a glance for the Overview: one sentence, then each class's pools
// as bars (per node for node-local classes, one bar for a shared class).
import { Card, CardBody, CardTitle, Content, Skeleton, Stack, StackItem } from '@patternfly/react-core';
import NextLink from 'next/link';
import { NodeModel } from '@/lib/k8s/models';
import { storageSummary } from '@/lib/storage-ui';
import { listHref } from '../shell/navigation';
import { CapacityLegend } from './CapacityLegend';
import { ClassPoolsGrid } from './ClassPoolsGrid';
import { useCapacity } from './useCapacity';

export function StorageSummaryCard() {
  const { pools, nodes, isLoading, capacityReadable } = useCapacity();
  const summary = storageSummary(pools, nodes.items?.length);
  let body;
  if (isLoading) body = <Skeleton screenreaderText="Loading storage capacity" />;
  else if (!capacityReadable) body = <Content component="p">You may not read CSIStorageCapacity objects, so Kura cannot show free storage here.</Content>;
  else if (!pools.length) {
    body = (
      <Content component="p" data-testid="storage-summary">
        {summary.text}. No driver publishes CSIStorageCapacity objects, so free space per node is not known.
      </Content>
    );
  } else {
    body = (
      <Stack hasGutter>
        <StackItem>
          <Content component="p" data-testid="storage-summary">
            {summary.text}
          </Content>
        </StackItem>
        <StackItem>
          <ClassPoolsGrid pools={pools} testIdPrefix="overview-capacity" />
        </StackItem>
        {pools.some((p) => p.allocatedBytes !== undefined) && (
          <StackItem>
            <CapacityLegend />
          </StackItem>
        )}
      </Stack>
    );
  }
  return (
    <Card>
      <CardTitle>
        <NextLink href={listHref(NodeModel, '')}>Storage</NextLink>
      </CardTitle>
      <CardBody>{body}</CardBody>
    </Card>
  );
}
