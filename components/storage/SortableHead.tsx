'use client';
// The header row of a list table: a header per column, sortable where the column sorts and with
// its tooltip, and an unlabelled last one over the rows' action menus.
import { Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import type { SortableColumn } from './useSortedRows';

export interface SortableHeadProps<T> {
  columns: readonly SortableColumn<T>[];
  /** useSortedRows' thSort. */
  thSort: (index: number) => ThProps['sort'];
  /** Let long headers wrap (default) or keep each on one line. */
  wrap?: boolean;
  /** Widths (percent) of some columns, by key. */
  widths?: Readonly<Record<string, ThProps['width']>>;
  /** The rows have an action menu (default). */
  actions?: boolean;
}

export function SortableHead<T>({ columns, thSort, wrap = true, widths, actions = true }: SortableHeadProps<T>) {
  return (
    <Thead>
      <Tr>
        {columns.map((c, i) => (
          <Th key={c.key} sort={thSort(i)} info={c.info ? { tooltip: c.info } : undefined} modifier={wrap ? 'wrap' : 'nowrap'} width={widths?.[c.key]}>
            {c.label}
          </Th>
        ))}
        {actions && <Th screenReaderText="Actions" />}
      </Tr>
    </Thead>
  );
}
