// Performs one HTTP request per message with Node's fetch and hands the answer back through a
// MessagePort while the calling thread waits on a shared Int32Array (Atomics.wait). This is what
// makes the emulated UrlFetchApp.fetch synchronous, like Apps Script's, over a real socket.
import { parentPort, workerData } from 'node:worker_threads';

const { port } = workerData;

// Requests arrive on parentPort; answers go out on the dedicated port the caller drains synchronously.
parentPort.on('message', async (msg) => {
  const { id, req, flag } = msg;
  const signal = new Int32Array(flag);
  let result;
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body === undefined ? undefined : Buffer.from(req.body, 'base64'),
      redirect: req.followRedirects ? 'follow' : 'manual',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const buf = Buffer.from(await res.arrayBuffer());
    const headers = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    result = { id, ok: true, status: res.status, headers, body: buf.toString('base64') };
  } catch (e) {
    const cause = e && e.cause ? ` (${e.cause.code ?? e.cause.message ?? e.cause})` : '';
    result = { id, ok: false, error: `${e && e.name === 'TimeoutError' ? 'Timeout' : 'Address unavailable'}: ${req.url}${cause}` };
  }
  port.postMessage(result);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
