'use client';
// A request the cluster refused, inline in a form: its message and every
// cause it gave (field and reason), so the user can fix all of them at once.
import { Alert, List, ListItem } from '@patternfly/react-core';
import { K8sError } from '../api/k8sError';

export function ServerErrorAlert({ error, title }: { error: unknown; title: string }) {
  const k = error instanceof K8sError ? error : undefined;
  const causes = k?.status?.details?.causes ?? [];
  const message = k?.code === 403 ? `${k.message}. Ask an administrator for access.` : ((error as Error)?.message ?? String(error));
  return (
    <Alert isInline variant="danger" title={title} data-testid="server-error" aria-live="polite">
      <p>{message}</p>
      {causes.length > 0 && (
        <List>
          {causes.map((c, i) => (
            <ListItem key={i}>
              {c.field ? <strong>{c.field}: </strong> : null}
              {c.message ?? c.reason}
            </ListItem>
          ))}
        </List>
      )}
    </Alert>
  );
}
