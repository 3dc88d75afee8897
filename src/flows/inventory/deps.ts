/**
 * What the inventory flow needs from the composition root: the clients, the shops and the
 * `inventory:` settings. Built once in main/runtime.ts; the flow never reads config files.
 */
import type { Kysely } from 'kysely';
import type { InventoryConfig } from '../../config/schema.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import type { Database } from '../../store/schema.ts';
import type { ShopDirectory } from '../orders/deps.ts';

export interface PushMeasure {
  shopId: string;
  productId: string;
  /** Seller SKUs written (not the skipped ones). */
  skus: string[];
  /** Whether the write was fenced (ADR 7): zeroed first, so no sale could be overwritten. */
  fenced: boolean;
  /** Unfenced: from reading TikTok's quantities to the update's answer, the window in which a sale is lost. */
  readToWriteMs: number;
  /** Fenced: from sending the zero to the final write's answer, how long buyers saw the SKUs sold out. */
  soldOutMs: number;
  at: number;
}

export interface InventoryServices {
  /** For discovery (runs outside a record step). */
  db: Kysely<Database>;
  netsuite: NetSuiteClient;
  shops: ShopDirectory;
  settings: InventoryConfig;
  /** Observes every applied push (bench and demo figures). */
  onPush?: (m: PushMeasure) => void;
}

export const INVENTORY_FLOW = 'inventory.push';
