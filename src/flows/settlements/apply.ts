/**
 * Apply payments (`settlements.applyPayments`, docs/settlements.md): for each order a statement
 * settles, a customer payment from the clearing account applied to the order's open invoice, so
 * the receivable closes when TikTok pays. One per statement and order (external id
 * `<prefix>-<shop>-cp-<statement>-<order>`), found again on a repeat, never twice. The amount is the
 * statement's sales side for the order net of the refunds it nets, at most what the invoice still
 * owes. An order not billed yet is listed, not failed: it is applied when the statement is read again
 * after billing (a manual `finance sync`), or closed by hand.
 */
import { shopSettlement } from '../../config/settlement-settings.ts';
import { nsDecimal } from '../../connectors/netsuite/index.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import type { StepContext } from '../engine/define.ts';
import { financeExternalId, type SettlementServices, type StatementPayload } from './deps.ts';

export interface ApplyOutput {
  applied: number;
  already: number;
  notBilled: string[];
  skipped?: string;
}

async function invoicesOf(s: SettlementServices, soIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < soIds.length; i += 500) {
    const part = soIds.slice(i, i + 500);
    const q = `SELECT id, createdfrom FROM transaction WHERE type = 'CustInvc' AND createdfrom IN (${part.map(() => '?').join(', ')})`;
    for await (const r of s.netsuite.suiteql.rows(q, part))
      if (!out.has(String(r['createdfrom']))) out.set(String(r['createdfrom']), String(r['id']));
  }
  return out;
}

export async function applyPayments(
  s: SettlementServices,
  p: StatementPayload,
  ctx: StepContext,
): Promise<ApplyOutput> {
  if (!s.settings.applyPayments)
    return { applied: 0, already: 0, notBilled: [], skipped: 'applyPayments is off' };
  const stmt = await s.finance.statement(p.shopId, p.statement.id);
  if (!stmt) return { applied: 0, already: 0, notBilled: [], skipped: 'statement not read' };
  const region = await s.shops.region(p.shopId).catch(() => undefined);
  const clearing = shopSettlement(s.settings, p.shopId, region).accounts.clearing;
  const due = new Map<string, bigint>();
  for (const t of stmt.transactions) {
    if (t.kind !== 'order' || !t.orderId) continue;
    const net = t.components
      .filter((c) => c.group === 'sales' || c.group === 'refunds')
      .reduce((a, c) => a + c.amount, 0n);
    due.set(t.orderId, (due.get(t.orderId) ?? 0n) + net);
  }
  const soOf = await s.salesOrdersOf(p.shopId, [...due.keys()]);
  const invoiceOf = await invoicesOf(s, [...new Set(soOf.values())]);
  const out: ApplyOutput = { applied: 0, already: 0, notBilled: [] };
  for (const [orderId, amount] of due) {
    if (amount <= 0n) continue;
    const so = soOf.get(orderId);
    const invoice = so ? invoiceOf.get(so) : undefined;
    if (!invoice) {
      out.notBilled.push(orderId);
      continue;
    }
    const externalId = financeExternalId(
      s.mappings.externalIdPrefix,
      p.shopId,
      'cp',
      `${stmt.id}-${orderId}`,
    );
    if (await s.netsuite.records.findByExternalId('customerPayment', externalId)) {
      out.already++;
      continue;
    }
    const inv = await s.netsuite.records.get('invoice', invoice);
    const remaining = parseMoney(String(inv['amountRemaining'] ?? '0'), stmt.currency).minor;
    const pay = amount < remaining ? amount : remaining;
    if (pay <= 0n) continue;
    const value = nsDecimal(formatMoney({ minor: pay, currency: stmt.currency }));
    await s.netsuite.records.transform('invoice', invoice, 'customerPayment', {
      externalId,
      payment: value,
      ...(clearing ? { account: clearing } : {}),
      memo: `TikTok statement ${stmt.id}: order ${orderId}`,
      apply: { items: [{ doc: { id: invoice }, apply: true, amount: value }] },
    });
    out.applied++;
  }
  if (out.notBilled.length)
    ctx.log.info(
      { statementId: stmt.id, notBilled: out.notBilled.length },
      'orders settled before they were billed',
    );
  return out;
}
