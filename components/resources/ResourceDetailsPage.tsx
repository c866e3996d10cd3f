'use client';
// One object: its metadata at a glance and its full YAML.
import {
  Breadcrumb,
  BreadcrumbItem,
  Bullseye,
  CodeBlock,
  CodeBlockCode,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
  PageSection,
  Spinner,
  Title,
} from '@patternfly/react-core';
import { useQuery } from '@tanstack/react-query';
import NextLink from 'next/link';
import { stringify } from 'yaml';
import { age } from '@/lib/format';
import type { K8sModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { k8sKeys } from '@/lib/k8s/queryKeys';
import { getCreationTimestamp, getGenericStatus, getLabels } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { k8sRequest } from '../api/client';
import { ErrorState } from '../common/ErrorState';
import { StatusLabel } from '../common/StatusLabel';
import { useRememberedNamespace } from '../hooks/useActiveNamespace';
import { useNow } from '../hooks/useNow';
import { listHref } from '../shell/navigation';

export function ResourceDetailsPage({ model, name, namespace }: { model: K8sModel; name: string; namespace?: string }) {
  const [remembered] = useRememberedNamespace();
  const now = useNow();
  const { data, error, isLoading, refetch } = useQuery({
    queryKey: k8sKeys.object(model, namespace, name),
    queryFn: ({ signal }) => k8sRequest<K8sResource>(resourcePath(model, { namespace, name }), { signal }),
    refetchInterval: 10_000,
  });
  const labels = getLabels(data);
  return (
    <>
      <PageSection>
        <Breadcrumb>
          <BreadcrumbItem render={() => <NextLink href={listHref(model, namespace ?? remembered)}>{model.labelPlural}</NextLink>} />
          <BreadcrumbItem isActive>{name}</BreadcrumbItem>
        </Breadcrumb>
        <Title headingLevel="h1">
          <Label isCompact variant="outline">
            {model.abbr}
          </Label>{' '}
          {name} {data && <StatusLabel status={getGenericStatus(data)} />}
        </Title>
      </PageSection>
      <PageSection>
        {error ? (
          <ErrorState error={error} action={`read ${model.label} ${name}`} notServedHint={`${model.label} ${name} does not exist${namespace ? ` in namespace ${namespace}` : ''}.`} onRetry={() => void refetch()} />
        ) : isLoading || !data ? (
          <Bullseye>
            <Spinner aria-label="Loading" />
          </Bullseye>
        ) : (
          <>
            <DescriptionList isHorizontal isCompact>
              {namespace && (
                <DescriptionListGroup>
                  <DescriptionListTerm>Namespace</DescriptionListTerm>
                  <DescriptionListDescription>{namespace}</DescriptionListDescription>
                </DescriptionListGroup>
              )}
              <DescriptionListGroup>
                <DescriptionListTerm>Created</DescriptionListTerm>
                <DescriptionListDescription>
                  {getCreationTimestamp(data)} ({age(getCreationTimestamp(data), now)} ago)
                </DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Labels</DescriptionListTerm>
                <DescriptionListDescription>
                  {Object.keys(labels).length ? (
                    <LabelGroup>
                      {Object.entries(labels).map(([k, v]) => (
                        <Label key={k} isCompact>
                          {k}={v}
                        </Label>
                      ))}
                    </LabelGroup>
                  ) : (
                    'None'
                  )}
                </DescriptionListDescription>
              </DescriptionListGroup>
            </DescriptionList>
            <Title headingLevel="h2" style={{ marginTop: '1.5rem' }}>
              YAML
            </Title>
            <CodeBlock>
              <CodeBlockCode className="kura-yaml">{stringify(data)}</CodeBlockCode>
            </CodeBlock>
          </>
        )}
      </PageSection>
    </>
  );
}
