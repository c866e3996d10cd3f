'use client';
// The generic live list of one kind: name, namespace, status, age; filtered by
// name, sorted by column, kept current by a watch. Purpose-built pages replace
// it kind by kind.
import {
  Button,
  Bullseye,
  EmptyState,
  EmptyStateBody,
  Label,
  PageSection,
  SearchInput,
  Spinner,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
  Tooltip,
} from '@patternfly/react-core';
import { CubesIcon } from '@patternfly/react-icons';
import { Table, Tbody, Td, Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useMemo, useState } from 'react';
import { age } from '@/lib/format';
import { supportsVerb } from '@/lib/k8s/discovery';
import { groupVersion, type K8sModel } from '@/lib/k8s/models';
import { getCreationTimestamp, getGenericStatus, getName, getNamespace } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { deniedMessage, useAccess } from '../hooks/useAccess';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';
import { useK8sList, type WatchState } from '../hooks/useK8sList';
import { useNow } from '../hooks/useNow';
import { ErrorState } from '../common/ErrorState';
import { StatusLabel } from '../common/StatusLabel';
import { objectHref } from '../shell/navigation';
import { importHref } from './importHref';

type SortKey = 'name' | 'namespace' | 'status' | 'age';

const watchLabels: Record<WatchState, { text: string; color: 'green' | 'orange' | 'grey' }> = {
  live: { text: 'Live', color: 'green' },
  connecting: { text: 'Connecting', color: 'grey' },
  reconnecting: { text: 'Reconnecting', color: 'orange' },
  off: { text: 'Not watching', color: 'grey' },
};

export function ResourceListPage({ model, title, namespace }: { model: K8sModel; title: string; namespace?: string }) {
  const allNamespaces = model.namespaced && namespace === ALL_NAMESPACES;
  const listNs = model.namespaced && !allNamespaces ? namespace : undefined;
  const { items, error, isLoading, refetch, watchState } = useK8sList(model, { namespace: listNs });
  const now = useNow();
  const creatable = supportsVerb(model, 'create');
  const createNs = listNs ?? (model.namespaced ? 'default' : undefined);
  const canCreate = useAccess({ group: model.apiGroup, resource: model.plural, verb: 'create', namespace: createNs }, { enabled: creatable });
  const deniedCreate = canCreate.allowed === false ? deniedMessage('create', model.labelPlural, createNs, canCreate.reason) : undefined;
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'name', dir: 'asc' });

  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const value = (o: K8sResource): string | number => {
      switch (sort.key) {
        case 'namespace':
          return `${getNamespace(o) ?? ''}/${getName(o)}`;
        case 'status':
          return getGenericStatus(o).text;
        case 'age':
          return -Date.parse(getCreationTimestamp(o) ?? '0');
        default:
          return getName(o);
      }
    };
    const list = (items ?? []).filter((o) => !f || getName(o).toLowerCase().includes(f));
    list.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return sort.dir === 'asc' ? c : -c;
    });
    return list;
  }, [items, filter, sort]);

  const columns: { key: SortKey; label: string }[] = [
    { key: 'name', label: 'Name' },
    ...(allNamespaces ? [{ key: 'namespace' as const, label: 'Namespace' }] : []),
    { key: 'status', label: 'Status' },
    { key: 'age', label: 'Age' },
  ];
  const sortBy = (key: SortKey, index: number): ThProps['sort'] => ({
    sortBy: { index: columns.findIndex((c) => c.key === sort.key), direction: sort.dir },
    onSort: (_e, _i, dir) => setSort({ key, dir }),
    columnIndex: index,
  });

  const where = !model.namespaced ? '' : allNamespaces ? ' in any namespace' : ` in namespace ${namespace}`;
  const wl = watchLabels[watchState];

  return (
    <>
      <PageSection>
        <Title headingLevel="h1">
          {title}{' '}
          {!error && !isLoading && (
            <Tooltip content={`The list updates itself from a watch on ${model.plural}.${model.apiGroup || 'core'}`}>
              <Label isCompact color={wl.color} data-testid="watch-state">
                {wl.text}
              </Label>
            </Tooltip>
          )}
        </Title>
      </PageSection>
      <PageSection>
        {error ? (
          <ErrorState
            error={error}
            action={`list ${title}`}
            notServedHint={`This cluster does not serve ${model.kind} (${groupVersion(model)}). ${model.apiGroup.includes('kubevirt') ? 'Install KubeVirt and CDI on the cluster to use it.' : 'Install the component that provides it.'}`}
            onRetry={() => void refetch()}
          />
        ) : isLoading ? (
          <Bullseye>
            <Spinner aria-label={`Loading ${title}`} />
          </Bullseye>
        ) : (
          <>
            <Toolbar>
              <ToolbarContent>
                <ToolbarItem>
                  <SearchInput aria-label="Filter by name" placeholder="Filter by name" value={filter} onChange={(_e, v) => setFilter(v)} onClear={() => setFilter('')} />
                </ToolbarItem>
                {creatable && (
                  <ToolbarItem>
                    {deniedCreate ? (
                      <Tooltip content={deniedCreate}>
                        <Button variant="primary" isAriaDisabled>
                          Create {model.label}
                        </Button>
                      </Tooltip>
                    ) : (
                      <Button variant="primary" component={NextLink} href={importHref(model, createNs)}>
                        Create {model.label}
                      </Button>
                    )}
                  </ToolbarItem>
                )}
                <ToolbarItem variant="pagination">
                  {rows.length} of {items?.length ?? 0}
                </ToolbarItem>
              </ToolbarContent>
            </Toolbar>
            {rows.length === 0 ? (
              <EmptyState titleText={items?.length ? 'No matches' : `No ${title} found`} headingLevel="h2" icon={CubesIcon}>
                <EmptyStateBody>{items?.length ? `No ${title} match “${filter}”.` : `There are no ${title}${where}.`}</EmptyStateBody>
              </EmptyState>
            ) : (
              <Table aria-label={title} variant="compact">
                <Thead>
                  <Tr>
                    {columns.map((c, i) => (
                      <Th key={c.key} sort={sortBy(c.key, i)}>
                        {c.label}
                      </Th>
                    ))}
                  </Tr>
                </Thead>
                <Tbody>
                  {rows.map((o) => {
                    const created = getCreationTimestamp(o);
                    return (
                      <Tr key={o.metadata.uid ?? `${getNamespace(o)}/${getName(o)}`}>
                        <Td dataLabel="Name">
                          <Label isCompact variant="outline" className="kura-abbr">
                            {model.abbr}
                          </Label>{' '}
                          <NextLink href={objectHref(model, getName(o), getNamespace(o))}>{getName(o)}</NextLink>
                        </Td>
                        {allNamespaces && <Td dataLabel="Namespace">{getNamespace(o)}</Td>}
                        <Td dataLabel="Status">
                          <StatusLabel status={getGenericStatus(o)} />
                        </Td>
                        <Td dataLabel="Age">
                          <Tooltip content={created ?? 'unknown'}>
                            <span>{age(created, now)}</span>
                          </Tooltip>
                        </Td>
                      </Tr>
                    );
                  })}
                </Tbody>
              </Table>
            )}
          </>
        )}
      </PageSection>
    </>
  );
}
