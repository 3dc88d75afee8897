/**
 * The endpoints open to the internet refuse big bodies with 413 before reading them whole, in a real
 * `tiksuite serve` process: a chunked body (no Content-Length) is answered while the client is still
 * sending, and the server's resident memory (VmRSS, sampled throughout) stays bounded. The figures are printed for the record;
 * the bound asserted is generous (a body read whole would add hundreds of MB).
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestEnv, testEnv } from './support/env.ts';
import { type Started, serverUrl, startCli } from './support/proc.ts';
import { writeOrdersConfig } from './support/serve.ts';

let env: TestEnv;
let server: Started;
let url: string;
beforeAll(async () => {
  env = testEnv('edge-limits');
  writeOrdersConfig(env.home);
  server = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
  url = await serverUrl(env.home, server);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.done;
  await env.cleanup();
});

const MB = 1024 * 1024;

/** Resident memory of a process now, in MB (Linux /proc). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Samples a process's RSS until stopped; resolves with the highest sample. */
function sampleRss(pid: number): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rssMb(pid));
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/**
 * POSTs `total` bytes in 64 KiB chunks, chunked (no Content-Length) unless `declare`; stops sending
 * once the answer arrives. Resolves with the status and how many bytes had been sent by then.
 */
function upload(url: string, total: number, declare = false): Promise<{ status: number; sentMb: number }> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(declare ? { 'content-length': String(total) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => {
        resolve({ status, sentMb: sent / MB });
        req.destroy();
      });
    });
    // The server closes the connection after its 413: writes after that may fail, which is fine.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

it('`tiksuite serve` answers 413 to 200 MB (and five concurrent 50 MB) bodies on the webhook and login endpoints without reading them whole', async () => {
  const pid = server.child.pid!;
  const before = await rssMb(pid);
  const sampler = sampleRss(pid);
  const figures: string[] = [];
  for (const path of ['/webhooks/tiktok', '/login']) {
    const declared = await upload(`${url}${path}`, 200 * MB, true);
    const chunked = await upload(`${url}${path}`, 200 * MB);
    const five = await Promise.all(Array.from({ length: 5 }, () => upload(`${url}${path}`, 50 * MB)));
    for (const r of [declared, chunked, ...five]) expect(r.status).toBe(413);
    // Answered while the client was still sending.
    expect(chunked.sentMb).toBeLessThan(200);
    for (const r of five) expect(r.sentMb).toBeLessThan(50);
    figures.push(
      `${path}: 200 MB with Content-Length answered after ${declared.sentMb.toFixed(1)} MB sent, chunked after ${chunked.sentMb.toFixed(1)} MB, five 50 MB chunked after ${five.map((r) => r.sentMb.toFixed(1)).join('/')} MB`,
    );
  }
  const after = await sampler.stop();
  console.log(
    `${figures.join('\n')}\nserver RSS ${before.toFixed(0)} MB before, peak ${after.toFixed(0)} MB while refusing them (+${(after - before).toFixed(0)} MB)`,
  );
  expect(after - before).toBeLessThan(100);
});
