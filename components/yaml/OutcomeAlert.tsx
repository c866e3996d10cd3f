'use client';
// The result of a save or create, inline above the editor: it stays until the
// next attempt, so the user can read it while fixing the text.
import { Alert, type AlertProps, List, ListItem } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { describePlace, describeProblem, type YamlOutcome } from './outcome';

const variants: Record<YamlOutcome['kind'], AlertProps['variant']> = {
  syntax: 'danger',
  invalid: 'danger',
  conflict: 'warning',
  forbidden: 'danger',
  error: 'danger',
  note: 'info',
  saved: 'success',
};

export function OutcomeAlert({ outcome, actions }: { outcome: YamlOutcome; actions?: ReactNode }) {
  const title = outcome.kind === 'syntax' ? 'The YAML does not parse; nothing was sent' : outcome.title;
  return (
    <Alert isInline variant={variants[outcome.kind]} title={title} actionLinks={actions} data-testid="yaml-outcome" aria-live="polite">
      {(outcome.kind === 'syntax' || outcome.kind === 'invalid') && (
        <List>
          {outcome.problems.map((p, i) => {
            const place = describePlace(p);
            return (
              <ListItem key={i}>
                {place && <strong>{place[0]!.toUpperCase() + place.slice(1)}: </strong>}
                {describeProblem(p)}
              </ListItem>
            );
          })}
        </List>
      )}
      {(outcome.kind === 'conflict' || outcome.kind === 'forbidden' || outcome.kind === 'error') && <p>{outcome.message}</p>}
    </Alert>
  );
}
