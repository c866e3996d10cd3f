'use client';
// The landing page: which cluster this is, whether it answers, and how much
// of each thing the user works with exists in their namespace.
import {
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Gallery,
  Label,
  PageSection,
  Title,
} from '@patternfly/react-core';
import NextLink from 'next/link';
import { StorageSummaryCard } from '../capacity/StorageSummaryCard';
import { K8sError } from '../api/k8sError';
import { ALL_NAMESPACES, useRememberedNamespace } from '../hooks/useActiveNamespace';
import { useK8sList } from '../hooks/useK8sList';
import { useSession } from '../hooks/useSession';
import { listHref, type NavEntry, navSections } from '../shell/navigation';

function CountCard({ entry, namespace }: { entry: NavEntry; namespace: string }) {
  const ns = namespace === ALL_NAMESPACES ? undefined : namespace;
  const { items, error, isLoading } = useK8sList(entry.model, { namespace: ns, watch: false });
  const value = error ? (error instanceof K8sError && error.notServed ? 'not served' : 'unavailable') : isLoading ? '…' : String(items?.length ?? 0);
  return (
    <Card isCompact>
      <CardTitle>
        <NextLink href={listHref(entry.model, namespace)}>{entry.label}</NextLink>
      </CardTitle>
      <CardBody>
        <span style={{ fontSize: '1.75rem' }} data-testid={`count-${entry.model.plural}`}>
          {value}
        </span>
      </CardBody>
    </Card>
  );
}

export function OverviewPage() {
  const { data } = useSession();
  const [namespace] = useRememberedNamespace();
  const c = data?.cluster;
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Overview</Title>
      </PageSection>
      <PageSection>
        <Card>
          <CardTitle>Cluster</CardTitle>
          <CardBody>
            <DescriptionList isHorizontal isCompact>
              <DescriptionListGroup>
                <DescriptionListTerm>Name</DescriptionListTerm>
                <DescriptionListDescription>{c?.name ?? '…'}</DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Mode</DescriptionListTerm>
                <DescriptionListDescription>{c?.mode ?? '…'}</DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>API server</DescriptionListTerm>
                <DescriptionListDescription>{c?.server ?? 'none'}</DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Status</DescriptionListTerm>
                <DescriptionListDescription>
                  {c ? (
                    c.reachable ? (
                      <Label color="green">Connected{c.version ? ` · ${c.version}` : ''}</Label>
                    ) : (
                      <Label color="red">{c.problem ?? 'Not reachable'}</Label>
                    )
                  ) : (
                    '…'
                  )}
                </DescriptionListDescription>
              </DescriptionListGroup>
            </DescriptionList>
          </CardBody>
        </Card>
      </PageSection>
      <PageSection>
        <StorageSummaryCard />
      </PageSection>
      <PageSection>
        <Title headingLevel="h2" style={{ marginBottom: '1rem' }}>
          {namespace === ALL_NAMESPACES ? 'In all namespaces' : `In namespace ${namespace}`}
        </Title>
        <Gallery hasGutter minWidths={{ default: '220px' }}>
          {navSections.flatMap((s) => s.entries).map((e) => (
            <CountCard key={e.label} entry={e} namespace={namespace} />
          ))}
        </Gallery>
      </PageSection>
    </>
  );
}
