'use client';
// The frame every storage list shares: title with the watch's state, errors
// and loading in words, a toolbar (filter, actions, count), and an empty
// state that says where it looked.
import {
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
import type { ReactNode } from 'react';
import { groupVersion, type K8sModel } from '@/lib/k8s/models';
import { ErrorState } from '../common/ErrorState';
import type { WatchState } from '../hooks/useK8sList';

const watchLabels: Record<WatchState, { text: string; color: 'green' | 'orange' | 'grey' }> = {
  live: { text: 'Live', color: 'green' },
  connecting: { text: 'Connecting', color: 'grey' },
  reconnecting: { text: 'Reconnecting', color: 'orange' },
  off: { text: 'Not watching', color: 'grey' },
};

/** What the frame needs of a list query (useK8sList's result has it). */
export interface ListState {
  watchState: WatchState;
  error: Error | null;
  isLoading: boolean;
  refetch: () => unknown;
}

export interface StorageListFrameProps {
  title: string;
  model: K8sModel;
  list: ListState;
  filter: string;
  onFilter: (value: string) => void;
  shown: number;
  total: number;
  /** " in namespace team-a", " in any namespace" or "". */
  where: string;
  /** Buttons for the toolbar. */
  actions?: ReactNode;
  /** Shown between the title and the toolbar (legends, notes), even when the list itself cannot be read. */
  above?: ReactNode;
  /** The table. */
  children: ReactNode;
}

export function StorageListFrame(p: StorageListFrameProps) {
  const { watchState, error, isLoading } = p.list;
  const wl = watchLabels[watchState];
  let body: ReactNode;
  if (error) {
    body = (
      <ErrorState
        error={error}
        action={`list ${p.title}`}
        notServedHint={`This cluster does not serve ${p.model.kind} (${groupVersion(p.model)}). Install the component that provides it (for VolumeSnapshots, the CSI external-snapshotter).`}
        onRetry={() => void p.list.refetch()}
      />
    );
  } else if (isLoading) {
    body = (
      <Bullseye>
        <Spinner aria-label={`Loading ${p.title}`} />
      </Bullseye>
    );
  } else {
    body = (
      <>
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <SearchInput aria-label="Filter by name" placeholder="Filter by name" value={p.filter} onChange={(_e, v) => p.onFilter(v)} onClear={() => p.onFilter('')} />
            </ToolbarItem>
            {p.actions}
            <ToolbarItem variant="pagination">
              {p.shown} of {p.total}
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        {p.shown === 0 ? (
          <EmptyState titleText={p.total ? 'No matches' : `No ${p.title} found`} headingLevel="h2" icon={CubesIcon}>
            <EmptyStateBody>{p.total ? `No ${p.title} match “${p.filter}”.` : `There are no ${p.title}${p.where}.`}</EmptyStateBody>
          </EmptyState>
        ) : (
          p.children
        )}
      </>
    );
  }
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">
          {p.title}{' '}
          {!error && !isLoading && (
            <Tooltip content={`The list updates itself from a watch on ${p.model.plural}.${p.model.apiGroup || 'core'}`}>
              <Label isCompact color={wl.color} data-testid="watch-state">
                {wl.text}
              </Label>
            </Tooltip>
          )}
        </Title>
      </PageSection>
      {p.above && <PageSection>{p.above}</PageSection>}
      <PageSection>{body}</PageSection>
    </>
  );
}
