'use client';
// The Details tab: what any object says about itself in metadata, and its
// conditions when it reports them.
import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
  Title,
  Tooltip,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import type { ReactNode } from 'react';
import { age } from '@/lib/format';
import { modelForManifest } from '@/lib/k8s/discovery';
import { groupVersion, type K8sModel } from '@/lib/k8s/models';
import {
  getAnnotations,
  getConditions,
  getCreationTimestamp,
  getFinalizers,
  getLabels,
  getNamespace,
  getOwnerReferences,
  getResourceVersion,
  getUid,
} from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { useDiscovery } from '../hooks/useDiscovery';
import { useNow } from '../hooks/useNow';
import { objectHref } from '../shell/navigation';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <DescriptionListGroup>
      <DescriptionListTerm>{term}</DescriptionListTerm>
      <DescriptionListDescription>{children}</DescriptionListDescription>
    </DescriptionListGroup>
  );
}

function Pairs({ values, label }: { values: Record<string, string>; label: string }) {
  const entries = Object.entries(values);
  if (!entries.length) return <>None</>;
  return (
    <LabelGroup numLabels={10} aria-label={label}>
      {entries.map(([k, v]) => (
        <Label key={k} isCompact textMaxWidth="40ch">
          {k}={v}
        </Label>
      ))}
    </LabelGroup>
  );
}

export function ObjectDetails({ model, obj }: { model: K8sModel; obj: K8sResource }) {
  const now = useNow();
  const { models } = useDiscovery();
  const created = getCreationTimestamp(obj);
  const namespace = getNamespace(obj);
  const owners = getOwnerReferences(obj);
  const finalizers = getFinalizers(obj);
  const conditions = getConditions(obj);

  return (
    <>
      <DescriptionList isHorizontal isCompact>
        <Row term="Name">{obj.metadata.name}</Row>
        {namespace && <Row term="Namespace">{namespace}</Row>}
        <Row term="Kind">
          {model.kind} ({groupVersion(model)})
        </Row>
        <Row term="Created">
          <Tooltip content={created ?? 'unknown'}>
            <span>{created ? `${age(created, now)} ago` : 'unknown'}</span>
          </Tooltip>
        </Row>
        <Row term="UID">
          <code>{getUid(obj)}</code>
        </Row>
        <Row term="Resource version">
          <code>{getResourceVersion(obj)}</code>
        </Row>
        <Row term="Labels">
          <Pairs values={getLabels(obj)} label="Labels" />
        </Row>
        <Row term="Annotations">
          <Pairs values={getAnnotations(obj)} label="Annotations" />
        </Row>
        <Row term="Owners">
          {owners.length
            ? owners.map((o) => {
                const m = models && modelForManifest(models, o.apiVersion, o.kind);
                const text = `${o.kind} ${o.name}${o.controller ? ' (controller)' : ''}`;
                return <div key={o.uid}>{m ? <NextLink href={objectHref(m, o.name, namespace)}>{text}</NextLink> : text}</div>;
              })
            : 'None'}
        </Row>
        {finalizers.length > 0 && <Row term="Finalizers">{finalizers.join(', ')}</Row>}
      </DescriptionList>
      {conditions && (
        <>
          <Title headingLevel="h2" style={{ marginTop: '1.5rem' }}>
            Conditions
          </Title>
          <Table aria-label="Conditions" variant="compact">
            <Thead>
              <Tr>
                <Th>Type</Th>
                <Th>Status</Th>
                <Th>Reason</Th>
                <Th>Message</Th>
                <Th>Changed</Th>
              </Tr>
            </Thead>
            <Tbody>
              {conditions.map((c, i) => (
                <Tr key={c.type ?? i}>
                  <Td dataLabel="Type">{c.type}</Td>
                  <Td dataLabel="Status">{c.status}</Td>
                  <Td dataLabel="Reason">{c.reason ?? '-'}</Td>
                  <Td dataLabel="Message" modifier="breakWord">
                    {c.message ?? '-'}
                  </Td>
                  <Td dataLabel="Changed">{c.lastTransitionTime ? `${age(c.lastTransitionTime, now)} ago` : '-'}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </>
      )}
    </>
  );
}
