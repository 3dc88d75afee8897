/** A tiksuite.yaml with the order flows configured (app key `app-key`, secret `app-secret`, shop 7001), for `tiksuite serve` tests of the webhook endpoint; the hosts are unreachable. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeOrdersConfig(home: string): void {
  writeFileSync(
    join(home, 'tiksuite.yaml'),
    [
      'tiktok: { appKey: app-key, appSecret: app-secret, baseUrl: "http://127.0.0.1:9", authBaseUrl: "http://127.0.0.1:9" }',
      'netsuite: { accountId: "1234567_SB1", baseUrl: "http://127.0.0.1:9", auth: { type: tba, consumerKey: a, consumerSecret: b, tokenId: c, tokenSecret: d } }',
      'shops: [{ id: "7001", cipher: "ROW_1", region: US }]',
      '',
    ].join('\n'),
  );
}
