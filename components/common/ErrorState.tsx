'use client';
// Says what went wrong with a request and what to do, instead of spinning.
import { Button, EmptyState, EmptyStateActions, EmptyStateBody, EmptyStateFooter } from '@patternfly/react-core';
import { BanIcon, DisconnectedIcon, ExclamationCircleIcon, SearchIcon } from '@patternfly/react-icons';
import { K8sError } from '../api/k8sError';

export interface ErrorStateProps {
  error: Error;
  /** What the page tried to do, e.g. "list VirtualMachines". */
  action: string;
  /** Shown for a 404: the kind is not served by this cluster. */
  notServedHint?: string;
  onRetry?: () => void;
}

export function ErrorState({ error, action, notServedHint, onRetry }: ErrorStateProps) {
  const k = error instanceof K8sError ? error : undefined;
  let title = `Cannot ${action}`;
  let icon = ExclamationCircleIcon;
  let body = error.message;
  if (k?.unreachable) {
    title = 'The cluster cannot be reached';
    icon = DisconnectedIcon;
  } else if (k?.code === 403) {
    title = `You may not ${action}`;
    icon = BanIcon;
    body = `${k.message}. Ask a cluster administrator for access.`;
  } else if (k?.notServed && notServedHint) {
    title = 'Not served by this cluster';
    icon = SearchIcon;
    body = notServedHint;
  }
  return (
    <EmptyState titleText={title} headingLevel="h2" icon={icon} status={k?.code === 403 || k?.notServed ? undefined : 'danger'}>
      <EmptyStateBody data-testid="error-state">{body}</EmptyStateBody>
      {onRetry && (
        <EmptyStateFooter>
          <EmptyStateActions>
            <Button variant="link" onClick={onRetry}>
              Try again
            </Button>
          </EmptyStateActions>
        </EmptyStateFooter>
      )}
    </EmptyState>
  );
}
