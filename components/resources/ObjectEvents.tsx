'use client';
// The Events tab: core v1 Events about this one object (matched by uid), live.
import { Bullseye, EmptyState, EmptyStateBody, Spinner, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMemo } from 'react';
import { age } from '@/lib/format';
import { EventModel, type K8sModel } from '@/lib/k8s/models';
import { getUid } from '@/lib/k8s/selectors';
import type { EventFields, K8sResource } from '@/lib/k8s/types';
import { ErrorState } from '../common/ErrorState';
import { StatusLabel } from '../common/StatusLabel';
import { useK8sList } from '../hooks/useK8sList';
import { useNow } from '../hooks/useNow';

interface CoreEvent extends K8sResource, EventFields {
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

/** When an event last happened: the fields differ between the old and new event APIs. */
const lastSeen = (e: CoreEvent) => e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;

export function ObjectEvents({ model, obj }: { model: K8sModel; obj: K8sResource }) {
  const uid = getUid(obj);
  const now = useNow();
  // Events about cluster-scoped objects live in any namespace (kubelet puts Node events in "default").
  const { items, error, isLoading, refetch } = useK8sList<CoreEvent>(EventModel, {
    namespace: model.namespaced ? obj.metadata.namespace : undefined,
    fieldSelector: `involvedObject.uid=${uid}`,
    enabled: Boolean(uid),
  });
  const events = useMemo(() => [...(items ?? [])].sort((a, b) => Date.parse(lastSeen(b) ?? '') - Date.parse(lastSeen(a) ?? '')), [items]);

  if (error) return <ErrorState error={error} action={`list the events of ${model.label} ${obj.metadata.name}`} onRetry={() => void refetch()} />;
  if (isLoading) {
    return (
      <Bullseye>
        <Spinner aria-label="Loading events" />
      </Bullseye>
    );
  }
  if (!events.length) {
    return (
      <EmptyState titleText="No events" headingLevel="h2">
        <EmptyStateBody>
          Nothing has reported events about {model.label} {obj.metadata.name}. Events are kept for a limited time; new ones appear here as they happen.
        </EmptyStateBody>
      </EmptyState>
    );
  }
  return (
    <Table aria-label="Events" variant="compact">
      <Thead>
        <Tr>
          <Th>Type</Th>
          <Th>Reason</Th>
          <Th>Message</Th>
          <Th>Source</Th>
          <Th>Count</Th>
          <Th>Last seen</Th>
        </Tr>
      </Thead>
      <Tbody>
        {events.map((e) => (
          <Tr key={e.metadata.uid ?? e.metadata.name}>
            <Td dataLabel="Type">
              <StatusLabel status={{ text: e.type ?? 'Normal', tone: e.type === 'Warning' ? 'warning' : 'neutral' }} />
            </Td>
            <Td dataLabel="Reason">{e.reason ?? '-'}</Td>
            <Td dataLabel="Message" modifier="breakWord">
              {e.message ?? ''}
            </Td>
            <Td dataLabel="Source">{e.reportingComponent || e.source?.component || '-'}</Td>
            <Td dataLabel="Count">{e.series?.count ?? e.count ?? 1}</Td>
            <Td dataLabel="Last seen">
              <Tooltip content={lastSeen(e) ?? 'unknown'}>
                <span>{age(lastSeen(e), now)}</span>
              </Tooltip>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
