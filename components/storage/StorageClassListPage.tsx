'use client';
// StorageClasses, live: default badge, driver, reclaim policy, binding mode,
// expansion and how many claims use each; set as default, delete (naming the
// claims that use it), create with a form or from YAML.
import { Label, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useMemo, useState } from 'react';
import { age } from '@/lib/format';
import { PersistentVolumeClaimModel, StorageClassModel } from '@/lib/k8s/models';
import { getClassDescription, getCreationTimestamp, getName, getNamespace } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { chooseClaimClass, type PersistentVolumeClaim, type StorageClass, type StorageClassView, storageClassView } from '@/lib/provisioning';
import { describeClass } from '@/lib/storage-ui';
import { K8sError } from '../api/k8sError';
import { useK8sList } from '../hooks/useK8sList';
import { useNow } from '../hooks/useNow';
import { importHref } from '../resources/importHref';
import { objectHref } from '../shell/navigation';
import { AccessButton } from './AccessButton';
import { DeleteWithWarningModal } from './DeleteWithWarningModal';
import { GuardedMenuItem } from './GuardedMenuItem';
import { createFormHref } from './links';
import { RowKebab } from './RowKebab';
import { SetDefaultClassModal } from './SetDefaultClassModal';
import { SortableHead } from './SortableHead';
import { StorageListFrame } from './StorageListFrame';
import { type SortableColumn, useSortedRows } from './useSortedRows';

interface ScRow {
  obj: StorageClass & K8sResource;
  view: StorageClassView;
  /** "namespace/name" of the claims of this class; undefined when claims cannot be listed. */
  claims?: string[];
}

const COLUMNS: SortableColumn<ScRow>[] = [
  { key: 'name', label: 'Name', sort: (r) => r.view.name },
  { key: 'provisioner', label: 'Provisioner', sort: (r) => r.view.provisioner },
  { key: 'reclaim', label: 'Reclaim policy', sort: (r) => r.view.reclaimPolicy },
  { key: 'binding', label: 'Binding mode', sort: (r) => r.view.volumeBindingMode },
  { key: 'expansion', label: 'Expansion', sort: (r) => (r.view.allowVolumeExpansion ? 1 : 0) },
  { key: 'claims', label: 'Claims', sort: (r) => r.claims?.length ?? -1, info: 'PersistentVolumeClaims in every namespace that use the class.' },
  { key: 'age', label: 'Age', sort: (r) => -Date.parse(r.view.creationTimestamp ?? '0') },
];

const SC_ACCESS = { group: StorageClassModel.apiGroup, resource: StorageClassModel.plural } as const;

export function StorageClassListPage({ title }: { title: string }) {
  const classes = useK8sList<StorageClass & K8sResource>(StorageClassModel);
  const claims = useK8sList<PersistentVolumeClaim & K8sResource>(PersistentVolumeClaimModel, { watch: false });
  const now = useNow();
  const [action, setAction] = useState<{ kind: 'default' | 'delete'; row: ScRow }>();

  const rows = useMemo(() => {
    const views = (classes.items ?? []).map((obj) => ({ obj, view: storageClassView(obj) }));
    const all = views.map((v) => v.view);
    const byClass = new Map<string, string[]>();
    for (const c of claims.items ?? []) {
      const choice = chooseClaimClass(c, all);
      if (choice.kind !== 'named' && choice.kind !== 'default') continue;
      byClass.set(choice.name, [...(byClass.get(choice.name) ?? []), `${getNamespace(c)}/${getName(c)}`]);
    }
    return views.map((v): ScRow => ({ ...v, claims: claims.items ? (byClass.get(v.view.name) ?? []) : undefined }));
  }, [classes.items, claims.items]);
  const { rows: shown, filter, setFilter, thSort } = useSortedRows(rows, COLUMNS, rowName);
  const claimsDenied = claims.error instanceof K8sError && claims.error.code === 403;

  const actions = (
    <>
      <ToolbarItem>
        <AccessButton access={{ ...SC_ACCESS, verb: 'create' }} kindPlural="StorageClasses" href={createFormHref(StorageClassModel)}>
          Create StorageClass
        </AccessButton>
      </ToolbarItem>
      <ToolbarItem>
        <AccessButton access={{ ...SC_ACCESS, verb: 'create' }} kindPlural="StorageClasses" href={importHref(StorageClassModel, undefined)} variant="secondary">
          Create from YAML
        </AccessButton>
      </ToolbarItem>
    </>
  );

  return (
    <>
      <StorageListFrame
        title={title}
        model={StorageClassModel}
        list={classes}
        filter={filter}
        onFilter={setFilter}
        shown={shown.length}
        total={rows.length}
        where=""
        actions={actions}
      >
        <Table aria-label={title} variant="compact">
          <SortableHead columns={COLUMNS} thSort={thSort} wrap={false} />
          <Tbody>
            {shown.map((r) => {
              const v = r.view;
              return (
                <Tr key={r.obj.metadata.uid ?? v.name}>
                  <Td dataLabel="Name">
                    <Tooltip content={describeClass(v, getClassDescription(r.obj))}>
                      <NextLink href={objectHref(StorageClassModel, v.name)}>{v.name}</NextLink>
                    </Tooltip>{' '}
                    {v.isDefault && (
                      <Label isCompact color="blue" data-testid="default-badge">
                        Default
                      </Label>
                    )}
                  </Td>
                  <Td dataLabel="Provisioner">{v.provisioner}</Td>
                  <Td dataLabel="Reclaim policy">{v.reclaimPolicy}</Td>
                  <Td dataLabel="Binding mode">{v.volumeBindingMode}</Td>
                  <Td dataLabel="Expansion">{v.allowVolumeExpansion ? 'Allowed' : 'Not allowed'}</Td>
                  <Td dataLabel="Claims">
                    {r.claims === undefined ? (
                      <Tooltip content={claimsDenied ? 'You may not list PersistentVolumeClaims in every namespace.' : 'Claims could not be listed.'}>
                        <span>unknown</span>
                      </Tooltip>
                    ) : r.claims.length ? (
                      <Tooltip content={r.claims.slice(0, 15).join(', ') + (r.claims.length > 15 ? ` and ${r.claims.length - 15} more` : '')}>
                        <span>{r.claims.length}</span>
                      </Tooltip>
                    ) : (
                      '0'
                    )}
                  </Td>
                  <Td dataLabel="Age">
                    <Tooltip content={getCreationTimestamp(r.obj) ?? 'unknown'}>
                      <span>{age(v.creationTimestamp, now)}</span>
                    </Tooltip>
                  </Td>
                  <Td isActionCell>
                    <RowKebab label={`Actions for ${v.name}`}>
                      <GuardedMenuItem
                        access={{ ...SC_ACCESS, verb: 'patch' }}
                        kindPlural="StorageClasses"
                        disabledReason={v.isDefault ? `${v.name} is already the default.` : undefined}
                        onClick={() => setAction({ kind: 'default', row: r })}
                      >
                        Set as default
                      </GuardedMenuItem>
                      <GuardedMenuItem access={{ ...SC_ACCESS, verb: 'delete' }} kindPlural="StorageClasses" onClick={() => setAction({ kind: 'delete', row: r })} isDanger>
                        Delete
                      </GuardedMenuItem>
                    </RowKebab>
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </StorageListFrame>
      {action?.kind === 'default' && <SetDefaultClassModal name={action.row.view.name} classes={classes.items ?? []} onClose={() => setAction(undefined)} />}
      {action?.kind === 'delete' && (
        <DeleteWithWarningModal
          model={StorageClassModel}
          name={action.row.view.name}
          consequence="Existing volumes keep their data; new claims can no longer use the class."
          warning={deleteWarning(action.row)}
          onClose={() => setAction(undefined)}
        />
      )}
    </>
  );
}

function deleteWarning(r: ScRow) {
  const parts: string[] = [];
  if (r.claims === undefined) parts.push('Kura cannot tell which claims use this class: you may not list claims in every namespace.');
  else if (r.claims.length) {
    const names = r.claims.slice(0, 20).join(', ') + (r.claims.length > 20 ? ` and ${r.claims.length - 20} more` : '');
    parts.push(`${r.claims.length} claim${r.claims.length === 1 ? ' uses' : 's use'} it: ${names}. Pending ones will never get a volume, and bound ones cannot be expanded.`);
  }
  if (r.view.isDefault) parts.push('It is the default class: claims that name no class will get none until another is made the default.');
  return parts.length ? parts.map((p) => <p key={p}>{p}</p>) : undefined;
}

const rowName = (r: ScRow) => r.view.name;
