/**
 * SuiteQL errors in NetSuite's wording. Live SuiteQL failures come back as HTTP 400 with
 * `o:errorCode: INVALID_PARAMETER`, `o:errorQueryParam: q` and a detail that starts with
 * "Invalid search query. Detailed unprocessed description follows." (observed in public clients,
 * e.g. ehmad11/netsuite-rest's tests; reference section 5.2 lists the inner texts). `kind` is our
 * stable, machine-readable reason so callers never branch on the message text.
 */

export type SuiteQLErrorKind =
  | 'syntax_error'
  | 'unknown_table'
  | 'unknown_column'
  | 'ambiguous_column'
  | 'unsupported'
  | 'bind_mismatch'
  | 'invalid_value';

const PREFIX = 'Invalid search query. Detailed unprocessed description follows.';

export class SuiteQLError extends Error {
  /** NetSuite's `o:errorCode` for the problem-details body. */
  readonly code: string;
  readonly kind: SuiteQLErrorKind;
  /** HTTP status the endpoint should answer with. */
  readonly status: number;

  constructor(kind: SuiteQLErrorKind, detail: string, code = 'INVALID_PARAMETER') {
    super(`${PREFIX} ${detail}`);
    this.name = 'SuiteQLError';
    this.kind = kind;
    this.code = code;
    this.status = 400;
  }
}

export function syntaxError(near: string, position: number): SuiteQLError {
  return new SuiteQLError(
    'syntax_error',
    `Failed to parse SQL: syntax error near '${near}' at position ${position}.`,
  );
}

export function unsupported(what: string): SuiteQLError {
  return new SuiteQLError(
    'unsupported',
    `Search error occurred: Invalid or unsupported search. Not supported by this sandbox: ${what}.`,
  );
}

/**
 * A query whose nesting or size exhausts the engine (the stack, or a number too big to hold): the
 * same 400 a query NetSuite cannot process gets, instead of an unexpected 500.
 */
export function tooComplex(reason = 'nested too deeply or numbers too large'): SuiteQLError {
  return new SuiteQLError(
    'unsupported',
    `Search error occurred: The query is too complex (${reason}) for this sandbox.`,
  );
}

export function unknownTable(table: string): SuiteQLError {
  return new SuiteQLError('unknown_table', `Search error occurred: Record '${table}' was not found.`);
}

/** `aliases` maps each alias in scope to its table, rendered like NetSuite's `{t=transaction}`. */
export function unknownIdentifier(name: string, aliases: ReadonlyMap<string, string>): SuiteQLError {
  const available = [...aliases].map(([alias, table]) => `${alias}=${table}`).join(', ');
  return new SuiteQLError(
    'unknown_column',
    `Search error occurred: Unknown identifier '${name}'. Available identifiers are: {${available}}.`,
  );
}

export function unknownField(column: string, table: string): SuiteQLError {
  return new SuiteQLError(
    'unknown_column',
    `Search error occurred: Field '${column}' for record '${table}' was not found.`,
  );
}

export function ambiguousColumn(column: string): SuiteQLError {
  return new SuiteQLError(
    'ambiguous_column',
    `Search error occurred: Column '${column}' is ambiguously defined.`,
  );
}

export function invalidValue(detail: string): SuiteQLError {
  return new SuiteQLError('invalid_value', `Search error occurred: ${detail}`);
}
