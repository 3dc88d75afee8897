/** Parameters of an `inventory.push` run: a full resync (default) or given seller SKUs. */
import { z } from 'zod';

export const SyncParams = z
  .object({
    full: z.boolean().optional(),
    /** Seller SKUs (= NetSuite item ids), as a list or comma-separated. */
    skus: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .optional(),
  })
  .strict();
export type SyncParams = z.infer<typeof SyncParams>;
