'use client';
// Nodes, live, with what a storage admin asks of them: ready or not, roles,
// each storage pool as a bar (written, allocated, free, overprovisioned), and
// CPU and memory. Shared pools, which no single node owns, come first.
import { Card, CardBody, CardTitle, Content, Label, Stack, StackItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { age } from '@/lib/format';
import { NodeModel } from '@/lib/k8s/models';
import { tryParseQuantity, quantityMilliValue, formatBytes, quantityToBytes } from '@/lib/k8s/quantity';
import { getCreationTimestamp, getName, getNodeAllocatable, getNodeCapacity, getNodeReadyMessage, getNodeReadyStatus, getNodeRoles, isNodeSchedulable } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { formatCpu } from '@/lib/scheduling';
import { storageSummary } from '@/lib/storage-ui';
import { CapacityLegend } from '../capacity/CapacityLegend';
import { ClassPoolsGrid } from '../capacity/ClassPoolsGrid';
import { NodeCapacityBars } from '../capacity/NodeCapacityBars';
import { useCapacity } from '../capacity/useCapacity';
import { useNow } from '../hooks/useNow';
import { objectHref } from '../shell/navigation';
import { SortableHead } from './SortableHead';
import { StorageListFrame } from './StorageListFrame';
import { type SortableColumn, useSortedRows } from './useSortedRows';

const cpu = (q: string | undefined) => (q && tryParseQuantity(q) ? `${formatCpu(Number(quantityMilliValue(q)))} cores` : '-');
const memory = (q: string | undefined) => (q && tryParseQuantity(q) ? formatBytes(quantityToBytes(q)) : '-');

const COLUMNS: SortableColumn<K8sResource>[] = [
  { key: 'name', label: 'Name', sort: getName },
  { key: 'status', label: 'Status', sort: getNodeReadyStatus },
  { key: 'roles', label: 'Roles', sort: (n) => getNodeRoles(n).join(',') },
  { key: 'storage', label: 'Storage per class', info: 'One bar per node-local StorageClass pool on the node. Hover a bar for its exact figures.' },
  { key: 'cpu', label: 'CPU', info: 'Allocatable (what workloads may request) of the machine’s total.' },
  { key: 'memory', label: 'Memory', info: 'Allocatable (what workloads may request) of the machine’s total.' },
  { key: 'age', label: 'Age', sort: (n) => -Date.parse(getCreationTimestamp(n) ?? '0') },
];

export function NodeListPage({ title }: { title: string }) {
  const capacity = useCapacity({ watch: true, volumes: 'watch' });
  const nodes = capacity.nodes;
  const now = useNow();
  const { rows, filter, setFilter, thSort } = useSortedRows(nodes.items, COLUMNS, getName);
  const shared = capacity.pools.filter((p) => p.node === null);
  const summary = storageSummary(capacity.pools, nodes.items?.length);

  const above = (
    <Card isCompact>
      <CardTitle>Storage capacity</CardTitle>
      <CardBody>
        <Stack hasGutter>
          <StackItem>
            <Content component="p" data-testid="storage-summary">
              {capacity.capacityReadable ? summary.text : 'You may not read CSIStorageCapacity objects, so free space is not shown.'}
            </Content>
          </StackItem>
          {/* Shared pools belong to no node; without the Nodes list, node pools show here too. */}
          {(nodes.error ? capacity.pools : shared).length > 0 && (
            <StackItem>
              <ClassPoolsGrid pools={nodes.error ? capacity.pools : shared} testIdPrefix="capacity" />
            </StackItem>
          )}
          {capacity.pools.some((p) => p.allocatedBytes !== undefined) && (
            <StackItem>
              <CapacityLegend />
            </StackItem>
          )}
        </Stack>
      </CardBody>
    </Card>
  );

  return (
    <StorageListFrame
      title={title}
      model={NodeModel}
      list={nodes}
      filter={filter}
      onFilter={setFilter}
      shown={rows.length}
      total={nodes.items?.length ?? 0}
      where=" in this cluster"
      above={above}
    >
      <Table aria-label={title} variant="compact">
        <SortableHead columns={COLUMNS} thSort={thSort} wrap={false} widths={{ storage: 40 }} actions={false} />
        <Tbody>
          {rows.map((n) => {
            const name = getName(n);
            const ready = getNodeReadyStatus(n);
            const alloc = getNodeAllocatable(n);
            const total = getNodeCapacity(n);
            return (
              <Tr key={n.metadata.uid ?? name}>
                <Td dataLabel="Name">
                  <NextLink href={objectHref(NodeModel, name)}>{name}</NextLink>
                </Td>
                <Td dataLabel="Status">
                  <Tooltip content={getNodeReadyMessage(n) ?? 'The node reports no Ready condition.'}>
                    <Label isCompact color={ready === 'True' ? 'green' : ready === 'False' ? 'red' : 'orange'}>
                      {ready === 'True' ? 'Ready' : ready === 'False' ? 'Not ready' : 'Unknown'}
                    </Label>
                  </Tooltip>
                  {!isNodeSchedulable(n) && (
                    <Label isCompact color="orange" style={{ marginLeft: '0.25rem' }}>
                      Scheduling disabled
                    </Label>
                  )}
                </Td>
                <Td dataLabel="Roles">{getNodeRoles(n).join(', ') || '-'}</Td>
                <Td dataLabel="Storage per class">
                  <NodeCapacityBars node={name} pools={capacity.pools} />
                </Td>
                <Td dataLabel="CPU">
                  {cpu(alloc.cpu)}
                  {total.cpu && <div style={{ fontSize: 'var(--pf-t--global--font--size--sm)' }}>of {cpu(total.cpu)}</div>}
                </Td>
                <Td dataLabel="Memory">
                  {memory(alloc.memory)}
                  {total.memory && <div style={{ fontSize: 'var(--pf-t--global--font--size--sm)' }}>of {memory(total.memory)}</div>}
                </Td>
                <Td dataLabel="Age">{age(getCreationTimestamp(n), now)}</Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
    </StorageListFrame>
  );
}
