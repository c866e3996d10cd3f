'use client';
// The YAML tab: edit the object and save it with a PUT that carries its
// resourceVersion, so a change made meanwhile is a conflict, never lost.
import { Alert, AlertActionLink, Button, Flex, FlexItem, Switch, Toolbar, ToolbarContent, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { DownloadIcon } from '@patternfly/react-icons';
import dynamic from 'next/dynamic';
import { useMemo, useState } from 'react';
import type { K8sModel } from '@/lib/k8s/models';
import { queryString, resourcePath } from '@/lib/k8s/paths';
import { getResourceVersion } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { k8sRequest } from '../api/client';
import { deniedMessage, useAccess } from '../hooks/useAccess';
import { objectToYaml, objectProblems, parseManifests, withResourceVersion } from '../yaml/manifests';
import { OutcomeAlert } from '../yaml/OutcomeAlert';
import { diagnosticsOf, outcomeFromError, type YamlOutcome } from '../yaml/outcome';

// CodeMirror measures the DOM: render it in the browser only.
const YamlEditor = dynamic(() => import('../yaml/YamlEditor').then((m) => m.YamlEditor), { ssr: false });

export interface ObjectYamlTabProps {
  model: K8sModel;
  /** The object as the page's watch last saw it. */
  obj: K8sResource;
  namespace?: string;
  /** Put a version of the object we read or wrote into the page's list before the watch brings it. */
  onFetched: (obj: K8sResource) => void;
  /** List the object again (after a conflict, to be sure of the latest). */
  reload: () => Promise<unknown>;
}

/** Unsaved text, and the resourceVersion it was based on. */
interface Draft {
  text: string;
  baseRv?: string;
}

export function ObjectYamlTab({ model, obj, namespace, onFetched, reload }: ObjectYamlTabProps) {
  const name = obj.metadata.name;
  const what = `${model.label} ${name}`;
  const [showManaged, setShowManaged] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [outcome, setOutcome] = useState<YamlOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const access = useAccess({ group: model.apiGroup, resource: model.plural, verb: 'update', namespace, name });

  const liveRv = getResourceVersion(obj);
  const liveText = useMemo(() => objectToYaml(obj, { managedFields: showManaged }), [obj, showManaged]);
  const text = draft?.text ?? liveText;
  const changedMeanwhile = draft !== null && draft.baseRv !== liveRv;
  const diagnostics = useMemo(() => diagnosticsOf(outcome), [outcome]);
  const path = resourcePath(model, { namespace, name });

  const onChange = (next: string) => {
    setDraft((d) => ({ text: next, baseRv: d ? d.baseRv : liveRv }));
    // "Saved" and notes are about the text as it was; problems stay marked until the next save.
    if (outcome?.kind === 'saved' || outcome?.kind === 'note') setOutcome(null);
  };

  const save = async () => {
    const { docs, problems } = parseManifests(text);
    if (problems.length) return setOutcome({ kind: 'syntax', problems });
    const doc = docs[0];
    if (!doc || docs.length > 1) {
      const message = doc ? `The text holds ${docs.length} objects; this page saves one. Use Create from YAML for several.` : 'The text is empty.';
      return setOutcome({ kind: 'invalid', title: `Cannot save ${what}`, problems: [{ message }] });
    }
    const own = objectProblems(text, doc);
    if (own.length) return setOutcome({ kind: 'invalid', title: `Cannot save ${what}`, problems: own });
    setBusy(true);
    try {
      const saved = await k8sRequest<K8sResource>(path + queryString({ fieldValidation: 'Strict', fieldManager: 'kura-console' }), { method: 'PUT', json: doc.value });
      onFetched(saved);
      setDraft(null);
      setOutcome({ kind: 'saved', title: `Saved. resourceVersion ${getResourceVersion(saved)}` });
    } catch (e) {
      setOutcome(outcomeFromError(e, text, doc.doc, { verb: 'update', what }));
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    setBusy(true);
    try {
      await reload();
      setDraft(null);
      setOutcome(null);
    } finally {
      setBusy(false);
    }
  };

  const keepEdits = async () => {
    setBusy(true);
    try {
      const latest = await k8sRequest<K8sResource>(path);
      const rv = getResourceVersion(latest) ?? '';
      const next = withResourceVersion(text, rv);
      if (next === undefined) {
        setOutcome({ kind: 'error', title: 'Cannot keep your edits', message: 'Fix the YAML first: it must parse as one object to move it onto the latest resourceVersion.' });
        return;
      }
      onFetched(latest);
      setDraft({ text: next, baseRv: rv });
      setOutcome({ kind: 'note', title: `Your edits are kept and now based on resourceVersion ${rv}. Save overwrites the other change.` });
    } catch (e) {
      setOutcome(outcomeFromError(e, text, undefined, { verb: 'update', what }));
    } finally {
      setBusy(false);
    }
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${name}.yaml` });
    a.click();
    URL.revokeObjectURL(url);
  };

  const conflictActions = (
    <>
      <AlertActionLink onClick={() => void discard()}>Reload</AlertActionLink>
      <AlertActionLink onClick={() => void keepEdits()}>Keep my edits</AlertActionLink>
    </>
  );
  const denied = access.allowed === false ? deniedMessage('update', model.labelPlural, namespace, access.reason) : undefined;
  const saveButton = (
    <Button variant="primary" onClick={() => void save()} isAriaDisabled={Boolean(denied) || access.isLoading || busy} isLoading={busy}>
      Save
    </Button>
  );

  return (
    <Flex direction={{ default: 'column' }} spaceItems={{ default: 'spaceItemsSm' }}>
      {outcome && (
        <FlexItem>
          <OutcomeAlert outcome={outcome} actions={outcome.kind === 'conflict' ? conflictActions : undefined} />
        </FlexItem>
      )}
      {changedMeanwhile && outcome?.kind !== 'conflict' && (
        <FlexItem>
          <Alert isInline variant="info" title={`${what} changed on the server while you were editing (now resourceVersion ${liveRv})`} actionLinks={conflictActions} data-testid="yaml-changed">
            Saving now will fail with a conflict. Reload to start again from the latest version, or keep your edits to overwrite the other change.
          </Alert>
        </FlexItem>
      )}
      <FlexItem>
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>{denied ? <Tooltip content={denied}>{saveButton}</Tooltip> : saveButton}</ToolbarItem>
            <ToolbarItem>
              <Button variant="secondary" onClick={() => void discard()} isDisabled={busy}>
                Reload
              </Button>
            </ToolbarItem>
            <ToolbarItem>
              <Button variant="link" icon={<DownloadIcon />} onClick={download}>
                Download
              </Button>
            </ToolbarItem>
            <ToolbarItem alignSelf="center">
              <Tooltip content={draft ? 'Save or reload first: switching changes the text.' : 'metadata.managedFields: which client set which field'}>
                <Switch id="show-managed-fields" label="Show managed fields" isChecked={showManaged} onChange={(_e, v) => setShowManaged(v)} isDisabled={draft !== null} />
              </Tooltip>
            </ToolbarItem>
            {draft && (
              <ToolbarItem alignSelf="center">
                <span style={{ color: 'var(--pf-t--global--text--color--subtle)' }} data-testid="yaml-dirty">
                  Unsaved changes
                </span>
              </ToolbarItem>
            )}
          </ToolbarContent>
        </Toolbar>
      </FlexItem>
      <FlexItem>
        <YamlEditor value={text} onChange={onChange} diagnostics={diagnostics} ariaLabel={`YAML of ${what}`} />
      </FlexItem>
    </Flex>
  );
}
