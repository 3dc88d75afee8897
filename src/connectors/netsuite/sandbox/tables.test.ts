import { describe, expect, it } from 'vitest';
import { SandboxState } from './state.ts';
import { executeSuiteQL } from './suiteql/index.ts';
import { COLUMNS, suiteqlTables } from './tables.ts';
import { readJson } from './values.ts';

const body = (v: unknown) => readJson(JSON.stringify(v));

function setup() {
  const state = new SandboxState({});
  const query = (q: string, params: string[] = []) =>
    executeSuiteQL(
      q,
      params,
      suiteqlTables(state.engine.store, () => state.settings),
      {
        limit: 1000,
        offset: 0,
        columns: COLUMNS,
      },
    ).items;
  return { state, e: state.engine, query };
}

/**
 * The transaction tables' rows are kept between queries (tables.ts): every write, the engine's
 * effects on other records and a change of the settings the rows follow must show in the next query.
 */
describe('SuiteQL transaction tables between writes', () => {
  it('shows creates, updates, deletes and the effects of a fulfillment on its order', () => {
    const { e, query } = setup();
    const header = (id: string) =>
      query('SELECT foreigntotal, status, linkedtrackingnumberlist FROM transaction WHERE id = ?', [id]);
    const lines = (id: string) =>
      query(
        "SELECT quantityshiprecv, isclosed, foreignamount FROM transactionline WHERE transaction = ? AND mainline = 'F'",
        [id],
      );
    const so = e.create(
      'salesOrder',
      body({
        entity: { externalId: 'CUST-DEMO' },
        location: { externalId: 'LOC-AUS' },
        item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: 2, rate: 5 }] },
      }),
    );
    expect(header(so.id)).toEqual([{ foreigntotal: '10.00', status: 'B' }]);
    expect(lines(so.id)).toEqual([{ isclosed: 'F', foreignamount: '-10.00' }]);

    const f = e.transform(
      'salesOrder',
      so.id,
      'itemFulfillment',
      body({
        item: { items: [{ orderLine: 1, quantity: 2 }] },
        package: { items: [{ packageTrackingNumber: '1Z999' }] },
      }),
    );
    expect(header(so.id)).toEqual([
      { foreigntotal: '10.00', status: 'F', linkedtrackingnumberlist: '1Z999' },
    ]);
    expect(lines(so.id)).toEqual([{ quantityshiprecv: '2', isclosed: 'F', foreignamount: '-10.00' }]);

    e.delete('itemFulfillment', f.id);
    expect(header(so.id)).toEqual([{ foreigntotal: '10.00', status: 'B' }]);
    e.update('salesOrder', so.id, body({ item: { items: [{ line: 1, isClosed: true }] } }));
    expect(lines(so.id)).toEqual([{ quantityshiprecv: '0', isclosed: 'T', foreignamount: '-10.00' }]);

    const inv = e.create(
      'invoice',
      body({ entity: { externalId: 'CUST-DEMO' }, item: { items: [{ item: { externalId: 'SKU-WRAP' } }] } }),
    );
    expect(query("SELECT id FROM transaction WHERE type = 'CustInvc'")).toEqual([{ id: inv.id }]);
  });

  it('follows a change of the sign and status settings', () => {
    const { state, e, query } = setup();
    const so = e.create(
      'salesOrder',
      body({ entity: { externalId: 'CUST-DEMO' }, item: { items: [{ item: { externalId: 'SKU-WRAP' } }] } }),
    );
    const q = () =>
      query(
        "SELECT t.status, l.foreignamount FROM transaction t JOIN transactionline l ON l.transaction = t.id WHERE t.id = ? AND l.mainline = 'F'",
        [so.id],
      );
    expect(q()).toEqual([{ status: 'B', foreignamount: '-2.00' }]);
    const s = state.settings;
    state.settings = {
      ...s,
      behaviour: { ...s.behaviour, negativeSalesLines: false, suiteqlStatusForm: 'prefixed' },
    };
    expect(q()).toEqual([{ status: 'SalesOrd:B', foreignamount: '2.00' }]);
  });
});
