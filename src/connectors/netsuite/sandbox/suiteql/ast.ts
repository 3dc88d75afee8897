/** The parsed form of one SuiteQL SELECT. Names are lower-case; function names upper-case. */

export type Expr =
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'param'; readonly index: number }
  | {
      readonly kind: 'column';
      readonly table: string | undefined;
      readonly name: string;
      readonly pos: number;
    }
  | { readonly kind: 'rownum' }
  | { readonly kind: 'unary'; readonly op: '-' | 'NOT'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'like'; readonly operand: Expr; readonly pattern: Expr; readonly negated: boolean }
  | {
      readonly kind: 'between';
      readonly operand: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly negated: boolean;
    }
  | { readonly kind: 'isnull'; readonly operand: Expr; readonly negated: boolean }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly star: boolean;
      readonly distinct: boolean;
      readonly pos: number;
    }
  | {
      readonly kind: 'case';
      readonly operand: Expr | undefined;
      readonly whens: readonly { readonly when: Expr; readonly result: Expr }[];
      readonly otherwise: Expr | undefined;
    };

export type ArithmeticOp = '+' | '-' | '*' | '/' | '||';
export type ComparisonOp = '=' | '<>' | '<' | '>' | '<=' | '>=';
export type BinaryOp = ArithmeticOp | ComparisonOp | 'AND' | 'OR';

export type SelectItem =
  | { readonly kind: 'star'; readonly table: string | undefined }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly alias: string | undefined };

export interface TableRef {
  readonly table: string;
  readonly alias: string;
  readonly pos: number;
}

export interface Join {
  readonly type: 'inner' | 'left';
  readonly source: TableRef;
  readonly on: Expr;
}

export interface OrderKey {
  readonly expr: Expr;
  readonly desc: boolean;
  /** Oracle's default: NULLs sort as the largest value (last ascending, first descending). */
  readonly nullsFirst: boolean;
}

export interface SelectStatement {
  readonly distinct: boolean;
  readonly columns: readonly SelectItem[];
  readonly from: TableRef;
  readonly joins: readonly Join[];
  readonly where: Expr | undefined;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | undefined;
  readonly orderBy: readonly OrderKey[];
  /** OFFSET n ROWS / FETCH FIRST n ROWS ONLY, applied before the endpoint's own paging. */
  readonly skip: number;
  readonly fetch: number | undefined;
  /** Number of `?` placeholders, so the binding count can be checked before running. */
  readonly paramCount: number;
}
