/**
 * The rows flowing through a query. A single-table query reads its rows through one reusable
 * tuple instead of allocating a wrapper per row (50,000 of them on every poll otherwise), so a
 * tuple from tuple(i) is only valid until the next call: copy it to keep it.
 */
import type { Group, Tuple } from './eval-types.ts';
import type { SuiteQLRow } from './types.ts';

export interface RowSet {
  readonly size: number;
  tuple(i: number): Tuple;
  /** The GROUP BY group of record i, in a grouped query. */
  group(i: number): Group | undefined;
}

export function tableRows(rows: readonly SuiteQLRow[]): RowSet {
  const probe: (SuiteQLRow | undefined)[] = [undefined];
  return {
    size: rows.length,
    tuple(i) {
      probe[0] = rows[i];
      return probe;
    },
    group: () => undefined,
  };
}

export function tupleRows(tuples: readonly Tuple[], groups?: readonly Group[]): RowSet {
  return { size: tuples.length, tuple: (i) => tuples[i]!, group: (i) => groups?.[i] };
}

/** The records of `set` at `indexes`, in that order. */
export function pick(set: RowSet, indexes: ArrayLike<number>): RowSet {
  return {
    size: indexes.length,
    tuple: (i) => set.tuple(indexes[i]!),
    group: (i) => set.group(indexes[i]!),
  };
}

/** Keeps records passing `test`; `kept` is how many passed before (ROWNUM is kept + 1). */
export function filterRows(
  set: RowSet,
  test: (t: Tuple, g: Group | undefined, kept: number) => boolean,
): RowSet {
  const indexes: number[] = [];
  for (let i = 0; i < set.size; i++) {
    if (test(set.tuple(i), set.group(i), indexes.length)) indexes.push(i);
  }
  return indexes.length === set.size ? set : pick(set, indexes);
}
