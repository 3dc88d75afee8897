/**
 * `tiksuite finance reconcile` and `GET /api/finance/reconcile` (docs/settlements.md "Tie-out"):
 * the tie-out of every stored statement (or one), each saved for the dashboard's finance view, and
 * per shop the three-way check of the orders: every order TikSuite imported that TikTok shows
 * delivered or completed is in a statement or in TikTok's unsettled list; one in neither is a finding.
 */
import { AppError } from '../../shared/errors.ts';
import { mapLimit } from '../engine/record-runner.ts';
import type { SettlementServices } from './deps.ts';
import { type Finding, type TieOut, tieOut } from './tieout.ts';

/**
 * Statements tied out at once: each asks NetSuite one SuiteQL query after another (a statement of
 * 3,333 orders about 16), so one at a time a month of them waits ~480 round trips in a row
 * (bench/settlements.bench.ts); 4 keep well inside NetSuite's concurrency limit.
 */
const AT_ONCE = 4;

export interface ShopOrders {
  shopId: string;
  /** Imported orders TikTok shows delivered or completed. */
  delivered: number;
  /** Of those, in a statement read so far. */
  settled: number;
  /** Of those, in TikTok's unsettled list (delivered, money not yet released). */
  unsettled: string[];
  /** In neither: a finding each. */
  missing: string[];
}

export interface Reconciliation {
  statements: TieOut[];
  shops: ShopOrders[];
  summary: {
    statements: number;
    booked: number;
    payoutsMatched: number;
    ordersMatched: number;
    unmatched: number;
    unexplainedMinor: number;
    findings: number;
  };
  findings: Finding[];
}

export async function reconcile(
  s: SettlementServices,
  f: { shopId?: string | undefined; statementId?: string | undefined } = {},
): Promise<Reconciliation> {
  const rows = await s.finance.listStatements({
    shopId: f.shopId,
    statementId: f.statementId,
    limit: 100_000,
  });
  if (f.statementId && rows.length === 0)
    throw new AppError(
      'not_found',
      `statement ${f.statementId} has not been read; run \`tiksuite finance sync\` first`,
      {
        details: { statementId: f.statementId },
      },
    );
  const statements: TieOut[] = [];
  const settledBy = new Map<string, Set<string>>();
  const tied = await mapLimit(rows, AT_ONCE, async (r) => {
    const stmt = await s.finance.statement(r.shopId, r.statementId);
    if (!stmt) return undefined;
    const t = await tieOut(s, stmt);
    await s.finance.setTieout(r.shopId, r.statementId, t);
    const orders = stmt.transactions.flatMap((tx) => (tx.kind === 'order' && tx.orderId ? [tx.orderId] : []));
    return { t, orders };
  });
  for (const [i, x] of tied.entries()) {
    if (!x) continue;
    statements.push(x.t);
    const shopId = rows[i]!.shopId;
    const set = settledBy.get(shopId) ?? new Set<string>();
    for (const o of x.orders) set.add(o);
    settledBy.set(shopId, set);
  }
  const shops: ShopOrders[] = [];
  const findings: Finding[] = statements.flatMap((t) => t.findings);
  if (!f.statementId) {
    for (const shopId of f.shopId ? [f.shopId] : s.shops.ids()) {
      const o = await shopOrders(s, shopId, settledBy.get(shopId) ?? new Set());
      shops.push(o);
      for (const orderId of o.missing)
        findings.push({
          kind: 'order_unaccounted',
          orderId,
          message: `order ${orderId} is delivered but neither in a statement read so far nor in TikTok's unsettled list`,
        });
    }
  }
  const booked = statements.filter((t) =>
    t.entry.model === 'deposit' ? t.payout.depositId : t.entry.id,
  ).length;
  return {
    statements,
    shops,
    summary: {
      statements: statements.length,
      booked,
      payoutsMatched: new Set(statements.filter((t) => t.payout.matched).map((t) => t.payout.paymentId)).size,
      ordersMatched: statements.reduce((n, t) => n + t.orders.matched, 0),
      unmatched: statements.reduce((n, t) => n + t.orders.unmatched.length + t.refunds.unmatched.length, 0),
      unexplainedMinor: statements.reduce((n, t) => n + Math.abs(t.unexplainedMinor), 0),
      findings: findings.length,
    },
    findings,
  };
}

async function shopOrders(s: SettlementServices, shopId: string, settled: Set<string>): Promise<ShopOrders> {
  const delivered = await s.finance.deliveredOrders(shopId);
  const open = delivered.filter((o) => !settled.has(o));
  const unsettledIds = new Set<string>();
  if (open.length) {
    const api = await s.shops.api(shopId);
    for await (const u of api.finance.unsettledOrders({})) unsettledIds.add(u.order_id);
  }
  return {
    shopId,
    delivered: delivered.length,
    settled: delivered.length - open.length,
    unsettled: open.filter((o) => unsettledIds.has(o)),
    missing: open.filter((o) => !unsettledIds.has(o)),
  };
}
