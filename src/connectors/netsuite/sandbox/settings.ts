/**
 * Every tunable of the sandbox, with defaults. Behaviours the reference marks UNCONFIRMED are
 * switches here (documented in docs/sandbox-netsuite.md), never hidden assumptions.
 */
import { z } from 'zod';

export const FaultSettings = z
  .object({
    /** Share of /services requests answered 500 UNEXPECTED_ERROR before any work (0..1). */
    error5xxRate: z.number().min(0).max(1).default(0),
    /** The next N record writes commit, then the connection is dropped without an answer. */
    dropAfterCommitNext: z.number().int().min(0).default(0),
    /** Share of record writes that commit and then drop the connection (0..1). */
    dropAfterCommitRate: z.number().min(0).max(1).default(0),
    /** Share of writes to existing records refused as locked (RCRD_HAS_BEEN_CHANGED). */
    lockedRate: z.number().min(0).max(1).default(0),
    /** Records refused as locked, as `type:id` (e.g. `salesOrder:104`). */
    lockedRecords: z.array(z.string()).default([]),
    /** Extra latency for every SuiteQL call, in (scaled) ms. */
    slowSuiteqlMs: z.number().min(0).default(0),
    /**
     * Over the concurrency limit, answer 401 INVALID_LOGIN after this many ms instead of 429: an
     * oddity seen by a public client (reference 2.4 / 6.3, root cause UNCONFIRMED). 0 = off.
     */
    overloadInvalidLoginMs: z.number().min(0).default(0),
  })
  .strict();

export const LatencySettings = z
  .object({
    /** Base time of a sales-order save in ms; other operations are fractions of it. */
    baseMs: z.number().min(0).default(0),
    /** Added per sublist line written. */
    perLineMs: z.number().min(0).default(0),
    /** Uniform jitter as a share of the computed latency (0..1). */
    jitter: z.number().min(0).max(1).default(0),
    /** Multiplier applied to every latency (0.01 runs a 2 s save in 20 ms). */
    timeScale: z.number().min(0).default(1),
  })
  .strict();

export const BehaviourSettings = z
  .object({
    /** UNCONFIRMED (5.2): o:errorCode for a duplicate externalId on POST. */
    duplicateExternalIdCode: z.string().default('DUP_RCRD'),
    /** UNCONFIRMED (5.2): status for that error (an error status: 400-599, or every duplicate was a 500). */
    duplicateExternalIdStatus: z.number().int().min(400).max(599).default(400),
    /** UNCONFIRMED (4.5): send Location on a PUT upsert. */
    locationOnUpsert: z.boolean().default(true),
    /** UNCONFIRMED (4.9): send Location on a !transform. */
    locationOnTransform: z.boolean().default(true),
    /** UNCONFIRMED (4.4): transaction `item` lines keyed by `line` on PATCH without replace. */
    itemLinesKeyedByLine: z.boolean().default(true),
    /**
     * UNCONFIRMED (7.3, 4.12): accept a bare reference `{ "id": "1" }` for a multi-select field
     * (an item's `subsidiary`) as a one-element collection. Off: only `{ "items": [...] }`.
     */
    singleRefInMultiSelect: z.boolean().default(false),
    /** UNCONFIRMED (4.4): accept property names case-insensitively on input. */
    caseInsensitiveInput: z.boolean().default(true),
    /** UNCONFIRMED (8.1): SuiteQL requires `Prefer: transient` (400 INVALID_REQUEST otherwise). */
    requireTransient: z.boolean().default(true),
    /** UNCONFIRMED (8.2): sales-line quantities/amounts negative in transactionline. */
    negativeSalesLines: z.boolean().default(true),
    /** UNCONFIRMED (8.2): `transaction.status` as `B` ('letter') or `SalesOrd:B` ('prefixed'). */
    suiteqlStatusForm: z.enum(['letter', 'prefixed']).default('letter'),
    /**
     * How a date selected without TO_CHAR is written (8.1: the user's date preference, e.g.
     * `3/14/2026`); 'iso' writes ISO-8601 instants instead.
     */
    suiteqlRawDateFormat: z.enum(['M/D/YYYY', 'iso']).default('M/D/YYYY'),
    /** UNCONFIRMED (8.1): omit null columns from SuiteQL rows. */
    suiteqlOmitNulls: z.boolean().default(true),
    /**
     * Not a NetSuite behaviour, a load-test switch: NetSuite runs a SuiteQL query again for every
     * page (0, the default, does the same). Above 0, the pages of one query (same text and
     * parameters) are cut for this many seconds from the result computed for its first page, so
     * paging through 50,000 rows does not re-run the whole query 50 times in the emulator.
     */
    suiteqlPageSnapshotSeconds: z.number().min(0).default(0),
    /**
     * UNCONFIRMED (8.2): what `deletedrecord.type` holds for a deleted record: its record type id
     * in lower case ('recordtype': `itemfulfillment`) or, for transactions, the `transaction.type`
     * code ('code': `ItemShip`; other records keep the record type).
     */
    deletedRecordType: z.enum(['recordtype', 'code']).default('recordtype'),
    /** UNCONFIRMED (1.1): realm must be the upper-case `_SB1` form exactly. */
    strictRealm: z.boolean().default(true),
    /** UNCONFIRMED (2.2): verify extra oauth_* parameters (e.g. oauth_body_hash) like any other. */
    acceptExtraOAuthParams: z.boolean().default(true),
    /** UNCONFIRMED (6.1): seconds sent in `Retry-After` with a 429; 0 sends no header. */
    retryAfterOn429Sec: z.number().int().min(0).default(0),
    /** UNCONFIRMED (3.2): also accept RS256 client assertions (docs list only PS* and ES*). */
    acceptRs256: z.boolean().default(false),
    /** Invoices/cash sales bill only fulfilled quantities (a NetSuite preference). */
    billOnlyFulfilled: z.boolean().default(false),
    /** New sales orders start Pending Fulfillment (B) rather than Pending Approval (A). */
    defaultOrderStatus: z.enum(['A', 'B']).default('B'),
    /** UNCONFIRMED (7.4): shipStatus of a fulfillment when the body gives none. */
    defaultShipStatus: z.enum(['A', 'B', 'C']).default('C'),
  })
  .strict();

export const SandboxSettings = z
  .object({
    accountId: z.string().default('1234567_SB1'),
    /** Seed of every pseudo-random choice (credentials, jitter, faults). */
    seed: z.number().int().default(1),
    /** Requests in flight per account before 429 (reference section 6.1; issue default 15). */
    concurrency: z.number().int().min(1).default(15),
    latency: LatencySettings.default(() => LatencySettings.parse({})),
    faults: FaultSettings.default(() => FaultSettings.parse({})),
    behaviour: BehaviourSettings.default(() => BehaviourSettings.parse({})),
  })
  .strict();

export type SandboxSettings = z.infer<typeof SandboxSettings>;
export type SandboxSettingsInput = z.input<typeof SandboxSettings>;

/** Partial update of settings (admin PUT /_sandbox/settings). */
export const SettingsPatch = z
  .object({
    concurrency: z.number().int().min(1).optional(),
    latency: LatencySettings.partial().optional(),
    faults: FaultSettings.partial().optional(),
    behaviour: BehaviourSettings.partial().optional(),
  })
  .strict();
