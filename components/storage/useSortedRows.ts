'use client';
// Filtering by name and sorting by a column, for the storage tables.
import type { ThProps } from '@patternfly/react-table';
import { useMemo, useState } from 'react';

export interface SortableColumn<T> {
  key: string;
  label: string;
  /** The value to sort by; columns without one are not sortable. */
  sort?: (row: T) => string | number;
  /** Tooltip on the header. */
  info?: string;
}

/** Rows filtered by `name` containing the filter text, sorted by the chosen column; `thSort(i)` feeds <Th sort>. */
export function useSortedRows<T>(rows: readonly T[] | undefined, columns: readonly SortableColumn<T>[], name: (row: T) => string) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ index: number; dir: 'asc' | 'desc' }>({ index: 0, dir: 'asc' });
  const sorted = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const list = (rows ?? []).filter((r) => !f || name(r).toLowerCase().includes(f));
    const by = columns[sort.index]?.sort;
    if (by) {
      list.sort((a, b) => {
        const va = by(a);
        const vb = by(b);
        const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), undefined, { numeric: true });
        return sort.dir === 'asc' ? c : -c;
      });
    }
    return list;
  }, [rows, columns, name, filter, sort]);
  const thSort = (index: number): ThProps['sort'] =>
    columns[index]?.sort ? { sortBy: { index: sort.index, direction: sort.dir }, onSort: (_e, i, dir) => setSort({ index: i, dir }), columnIndex: index } : undefined;
  return { rows: sorted, filter, setFilter, thSort };
}
