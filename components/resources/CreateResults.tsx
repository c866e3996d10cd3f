'use client';
// One line per document of a "Create from YAML": created (with a link to the
// new object) or refused (with the server's reasons).
import { Icon, List, ListItem } from '@patternfly/react-core';
import { CheckCircleIcon, ExclamationCircleIcon, InProgressIcon } from '@patternfly/react-icons';
import NextLink from 'next/link';
import { OutcomeAlert } from '../yaml/OutcomeAlert';
import type { YamlOutcome } from '../yaml/outcome';

export interface CreateResult {
  /** 1-based document number, and the line it starts on. */
  index: number;
  line: number;
  /** "ConfigMap settings". */
  label: string;
  state: 'creating' | 'created' | 'failed';
  href?: string;
  outcome?: YamlOutcome;
}

export function CreateResults({ results }: { results: CreateResult[] }) {
  return (
    <List isPlain aria-label="Results" data-testid="create-results">
      {results.map((r) => (
        <ListItem
          key={r.index}
          icon={
            <Icon status={r.state === 'created' ? 'success' : r.state === 'failed' ? 'danger' : undefined}>
              {r.state === 'created' ? <CheckCircleIcon /> : r.state === 'failed' ? <ExclamationCircleIcon /> : <InProgressIcon />}
            </Icon>
          }
        >
          <span>
            Document {r.index} (line {r.line}):{' '}
            {r.state === 'created' && r.href ? (
              <>
                created <NextLink href={r.href}>{r.label}</NextLink>
              </>
            ) : r.state === 'created' ? (
              `created ${r.label}`
            ) : r.state === 'creating' ? (
              `creating ${r.label}…`
            ) : (
              `${r.label} was not created`
            )}
          </span>
          {r.outcome && (
            <div style={{ marginTop: '0.5rem' }}>
              <OutcomeAlert outcome={r.outcome} />
            </div>
          )}
        </ListItem>
      ))}
    </List>
  );
}
