/**
 * Shapes shared by every NetSuite REST payload (reference sections 4.7, 4.12, 5.1, 8.1). Field
 * names are NetSuite's. Inputs go through parseNsJson first, so every JSON number arrives here as
 * its exact source text: amounts stay decimal strings, quantities become integers.
 */
import { z } from 'zod';
import { normalizeDecimal } from '../json.ts';

/** Internal ids are strings in responses; numbers are accepted on input (section 4.12). */
export const nsId = z.string().min(1);

/** An amount as a normalised decimal string ("19.99"), never a float. */
export const nsAmount = z
  .string()
  .regex(/^[+-]?\d+(?:\.\d+)?$/, 'a decimal number')
  .transform(normalizeDecimal);

/** A quantity: integral per house rule 5 (NetSuite may print "2.0"). */
export const nsQuantity = z
  .string()
  .regex(/^-?\d+(?:\.0+)?$/, 'an integral quantity')
  .transform((s) => Number.parseInt(s, 10));

/** Counters in list/paging envelopes. */
export const nsCount = nsQuantity;

export const nsLink = z.object({ rel: z.string(), href: z.string() }).loose();
export const nsLinks = z.array(nsLink);

/** A reference `{ id, refName, links }` (section 4.12). */
export const nsRef = z
  .object({
    id: nsId,
    refName: z.string().optional(),
    externalId: z.string().optional(),
    links: nsLinks.optional(),
  })
  .loose();
export type NsRef = z.infer<typeof nsRef>;

/** An enumeration value `{ id: "B", refName: "Pending Fulfillment" }` (section 4.12). */
export const nsEnum = z.object({ id: z.string(), refName: z.string().optional() }).loose();

/** NetSuite dates are `YYYY-MM-DD`, datetimes ISO-8601 UTC (section 4.11). */
export const nsDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const nsDateTime = z.string().min(1);

/** A sublist `{ items: [...] }`; unexpanded reads carry only links (section 4.3). */
export function nsSublist<T extends z.ZodType>(element: T) {
  return z
    .object({
      items: z.array(element).optional(),
      links: nsLinks.optional(),
      totalResults: nsCount.optional(),
    })
    .loose();
}

/** One entry of `o:errorDetails` (section 5.1). */
export const nsErrorDetail = z
  .object({
    detail: z.string().optional(),
    'o:errorCode': z.string().optional(),
    'o:errorPath': z.string().optional(),
    'o:errorUrl': z.string().optional(),
    'o:urlPath': z.string().optional(),
    'o:errorHeader': z.string().optional(),
    'o:errorQueryParam': z.string().optional(),
  })
  .loose();

/** The problem-details error body (section 5.1); the 429 body adds a top-level code (6.1). */
export const nsProblem = z
  .object({
    type: z.string().optional(),
    title: z.string().optional(),
    status: nsCount.optional(),
    'o:errorCode': z.string().optional(),
    'o:errorDetails': z.array(nsErrorDetail).default([]),
  })
  .loose();
export type NsProblem = z.infer<typeof nsProblem>;

/** `GET /{type}` collection page: ids and links only (section 4.7). */
export const nsCollection = z
  .object({
    links: nsLinks.default([]),
    count: nsCount,
    hasMore: z.boolean(),
    offset: nsCount,
    totalResults: nsCount,
    items: z.array(z.object({ id: nsId, links: nsLinks.optional() }).loose()),
  })
  .loose();
export type NsCollection = z.infer<typeof nsCollection>;

/** A SuiteQL row: lower-case keys, string values, `links: []` (section 8.1). */
export const suiteqlRow = z
  .record(z.string(), z.union([z.string(), z.boolean(), z.array(z.unknown()), z.null()]))
  .transform((row) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k === 'links' || v === null || Array.isArray(v)) continue;
      out[k] = typeof v === 'boolean' ? (v ? 'T' : 'F') : v;
    }
    return out;
  });
export type SuiteqlRow = z.output<typeof suiteqlRow>;

export const suiteqlPage = z
  .object({
    links: nsLinks.default([]),
    count: nsCount,
    hasMore: z.boolean(),
    offset: nsCount,
    totalResults: nsCount,
    items: z.array(suiteqlRow),
  })
  .loose();
export type SuiteqlPage = z.output<typeof suiteqlPage>;

/** `GET /services/rest/system/v1/governanceLimits` (section 4.11). */
export const governanceLimits = z
  .object({
    accountConcurrencyLimit: nsCount,
    accountUnallocatedConcurrencyLimit: nsCount.optional(),
    integrationConcurrencyLimit: nsCount.optional(),
    integrationLimitType: z.string(),
  })
  .loose();
export type GovernanceLimits = z.output<typeof governanceLimits>;

/** Token endpoint answer (section 3.2); `token_type` compared case-insensitively. */
export const tokenResponse = z
  .object({
    access_token: z.string().min(1),
    expires_in: nsCount,
    token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'a bearer token'),
  })
  .loose();

export const tokenError = z.object({ error: z.string(), error_description: z.string().optional() }).loose();
