/** Shapes shared by the compiler and the executor. */
import type { SuiteQLRow } from './types.ts';
import type { Value } from './values.ts';

/** One joined row: position i holds the row of the i-th table (undefined: no match in a LEFT JOIN). */
export type Tuple = readonly (SuiteQLRow | undefined)[];
/** The tuples of one GROUP BY group. */
export type Group = readonly Tuple[];
/** A compiled expression: reads the tuple, or the group when it contains aggregates. */
export type Eval = (t: Tuple, g: Group | undefined) => Value;
