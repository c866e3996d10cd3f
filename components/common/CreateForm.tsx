'use client';
// What every create form page shares: its title and introduction, a form that says at its top
// why the user may not create, the Create / Edit YAML / Cancel buttons, and a field's help line
// that turns into the field's problem when there is one.
import { ActionGroup, Alert, Button, Content, Form, FormHelperText, HelperText, HelperTextItem, PageSection, Title } from '@patternfly/react-core';
import type { ReactNode } from 'react';

/** A field's help, or its problem in its place (red). */
export function FieldHelp({ id, problem, children }: { id?: string; problem?: string; children?: ReactNode }) {
  if (!problem && !children) return null;
  return (
    <FormHelperText>
      <HelperText {...(id ? { id } : {})}>
        <HelperTextItem variant={problem ? 'error' : 'default'}>{problem ?? children}</HelperTextItem>
      </HelperText>
    </FormHelperText>
  );
}

export interface CreateFormPageProps {
  title: string;
  intro?: ReactNode;
  /** Why the user may not create this (the Create button is then disabled). */
  denied?: string;
  /** Still finding out whether the user may create. */
  checking: boolean;
  busy: boolean;
  onSubmit: () => void;
  submitLabel?: string;
  /** Absent: no Edit YAML button. */
  onEditYaml?: () => void;
  onCancel: () => void;
  children: ReactNode;
}

export function CreateFormPage(p: CreateFormPageProps) {
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">{p.title}</Title>
        {p.intro && <Content component="p">{p.intro}</Content>}
      </PageSection>
      <PageSection>
        <Form
          style={{ maxWidth: '52rem' }}
          onSubmit={(e) => {
            e.preventDefault();
            p.onSubmit();
          }}
        >
          {p.denied && <Alert isInline variant="warning" title={p.denied} data-testid="create-denied" />}
          {p.children}
          <ActionGroup>
            <Button type="submit" variant="primary" isLoading={p.busy} isAriaDisabled={p.busy || Boolean(p.denied) || p.checking}>
              {p.submitLabel ?? 'Create'}
            </Button>
            {p.onEditYaml && (
              <Button variant="secondary" onClick={p.onEditYaml}>
                Edit YAML
              </Button>
            )}
            <Button variant="link" onClick={p.onCancel}>
              Cancel
            </Button>
          </ActionGroup>
        </Form>
      </PageSection>
    </>
  );
}
