/**
 * Cursor pagination (reference §10.2): omit `page_token` on the first page; an empty
 * `next_page_token` ends the results. Tokens are opaque and never parsed.
 */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
  totalCount?: number | undefined;
}

export async function* paginate<T>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(token);
    yield* page.items;
    if (!page.nextPageToken) return;
    // A server repeating a token would loop forever; stop instead.
    if (seen.has(page.nextPageToken)) return;
    seen.add(page.nextPageToken);
    token = page.nextPageToken;
  }
}

/** Collects an async iterator (tests and small lists). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
