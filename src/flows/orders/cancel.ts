/**
 * A TikTok change reaching a sales order NetSuite has started to fulfil. Only cancellations are
 * applied, and only to the lines they concern: one PATCH of the item sublist keyed by `line`
 * (reference 4.4; Oracle's "close a sales order" example), never an upsert that would rewrite the
 * order. No credit memo: nothing was billed for a unit that was never shipped. Anything else
 * (an address, a price, units NetSuite already shipped) is a human's call, as an error record.
 */
import type { ItemLineInput, NetSuiteClient } from '../../connectors/netsuite/index.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { planCancellations, type Refusal } from './cancel-plan.ts';
import { type DesiredSalesOrder, fulfilledConflict, type NsSalesOrder } from './sales-order.ts';

/**
 * Applies the order's new cancellations to `so` -> the number of lines changed (0 when NetSuite
 * already shows them, e.g. on a re-run). Throws order_fulfilled_in_netsuite when the change is
 * more than cancellations, order_cancel_after_fulfillment when cancelled units were shipped.
 */
export async function applyCancellations(
  netsuite: NetSuiteClient,
  input: { so: NsSalesOrder; desired: DesiredSalesOrder; appliedBaseHash: string | null; orderId: string },
): Promise<number> {
  const { so, desired, orderId } = input;
  if (input.appliedBaseHash === null)
    throw fulfilledConflict(
      orderId,
      so,
      'it was imported before TikSuite could tell cancellations from other changes',
    );
  if (input.appliedBaseHash !== desired.baseHash) throw fulfilledConflict(orderId, so);
  const plan = planCancellations({ lines: so.item?.items ?? [], desired: desired.mapped });
  if (!plan.ok) throw fulfilledConflict(orderId, so, `the sales order does not match the order: ${plan.why}`);
  // The other lines' cancellations go through even when one line is refused: their units are
  // released for other orders while a human sorts out the shipped ones.
  if (plan.changes.length > 0) await patchLines(netsuite, so.id, plan.changes);
  if (plan.refused.length > 0) throw cancelAfterFulfillment(orderId, so.id, plan.refused);
  return plan.changes.length;
}

async function patchLines(netsuite: NetSuiteClient, salesOrderId: string, items: ItemLineInput[]) {
  try {
    await netsuite.records.update('salesOrder', salesOrderId, { item: { items } });
  } catch (err) {
    // The PATCH may have been saved. Retrying is safe: the retry plans again from what NetSuite
    // then shows, so a cancellation is never applied twice (a saved one leaves nothing to do).
    if (isAppError(err) && err.code === 'netsuite_outcome_unknown') {
      throw new AppError(
        'netsuite_outcome_unknown',
        `${err.message}; the order is synced again from what NetSuite shows`,
        {
          cause: err,
          retryable: true,
          details: { ...err.details, salesOrderId },
        },
      );
    }
    throw err;
  }
}

function describe(r: Refusal): string {
  const units = (k: number) => `${k} unit${k === 1 ? '' : 's'}`;
  return `${units(r.cancelled)} of SKU "${r.sku}" (line ${r.line}: ${r.fulfilled} fulfilled, ${r.unfulfilled} not)`;
}

export function cancelAfterFulfillment(orderId: string, salesOrderId: string, refused: Refusal[]): AppError {
  return new AppError(
    'order_cancel_after_fulfillment',
    `TikTok order ${orderId} cancelled ${refused.map(describe).join('; ')}, but NetSuite sales order ${salesOrderId} already fulfilled some of them (the warehouse shipped them), so TikSuite left ${refused.length === 1 ? 'that line' : 'those lines'} unchanged: the buyer will not pay for them. Recover the goods or write them off in NetSuite (a return authorization, or a credit memo once billed), close what is left of the line, then resolve this error`,
    { details: { orderId, salesOrderId, lines: refused } },
  );
}
