/**
 * The Apps Script emulation itself must be strict where Apps Script is, or the bundle tests would
 * pass code that fails in Sheets. Each case here is a mistake Apps Script reports.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GasEnvironment, GasWorkerHost, allowedByWhitelist, parseA1, parseFormula } from '../helpers/gas';

function envWith(code: string): GasEnvironment {
  return new GasEnvironment({ project: new Map([['Code.js', code]]) }).load();
}

describe('SpreadsheetApp over the in-memory grid', () => {
  const env = new GasEnvironment();
  const ss = env.spreadsheet;

  it('checks setValues shapes with Apps Script’s messages', () => {
    env.asUser(() => {
      const r = ss.getActiveSheet().getRange(1, 1, 2, 3);
      expect(() => r.setValues([[1, 2, 3]])).toThrow(
        'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
      );
      expect(() =>
        r.setValues([
          [1, 2, 3],
          [4, 5],
        ]),
      ).toThrow('The number of columns in the data does not match the number of columns in the range. The data has 2 but the range has 3.');
      expect(() =>
        r.setValues([
          [1, 2, 3],
          [4, 5, undefined],
        ]),
      ).toThrow(/Cannot convert undefined/);
      expect(() =>
        r.setValues([
          [1, 2, 3],
          [4, 5, NaN],
        ]),
      ).toThrow(/must be finite/);
      r.setValues([
        [1, 'two', true],
        [new Date(0), null, '=A1'],
      ]);
      expect(r.getValues()).toEqual([
        [1, 'two', true],
        [new Date(0), '', ''],
      ]);
      expect(r.getFormulas()[1]![2]).toBe('=A1');
    });
  });

  it('refuses ranges outside the sheet until rows are inserted', () => {
    env.asUser(() => {
      const sheet = ss.getActiveSheet();
      expect(() => sheet.getRange(1001, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
      expect(() => sheet.getRange(0, 1)).toThrow('The starting row of the range is too small.');
      expect(() => sheet.getRange(1, 1, 0, 1)).toThrow('The number of rows in the range must be at least 1.');
      sheet.insertRowsAfter(1000, 5);
      expect(sheet.getRange(1005, 1).getA1Notation()).toBe('A1005');
      expect(sheet.getRange('B2:C').getNumRows()).toBe(1004);
    });
  });

  it('keeps sheet names unique and finds sheets by name', () => {
    env.asUser(() => {
      ss.insertSheet('Plan');
      expect(() => ss.insertSheet('plan')).toThrow('A sheet with the name "plan" already exists');
      expect(ss.getSheetByName('Plan')?.getName()).toBe('Plan');
      expect(ss.getSheetByName('Nope')).toBeNull();
    });
  });

  it('parses A1 notation, including open ranges and quoted sheet names', () => {
    expect(parseA1("'My plan'!B2:C9")).toEqual({ sheet: 'My plan', row: 2, col: 2, lastRow: 9, lastCol: 3 });
    expect(parseA1('A:A')).toEqual({ sheet: undefined, row: 1, col: 1, lastRow: undefined, lastCol: 1 });
    expect(parseA1('AA10')).toEqual({ sheet: undefined, row: 10, col: 27, lastRow: 10, lastCol: 27 });
  });

  it('parses the formulas it evaluates', () => {
    expect(parseFormula('=EOQ(A2:A9, 50, "x""y", TRUE, , 95%)')).toEqual({
      name: 'EOQ',
      args: [
        { kind: 'range', ref: 'A2:A9' },
        { kind: 'number', value: 50 },
        { kind: 'string', value: 'x"y' },
        { kind: 'boolean', value: true },
        { kind: 'empty' },
        { kind: 'number', value: 0.95 },
      ],
    });
  });
});

describe('execution contexts', () => {
  const code = `
    /** @customfunction */
    function WRITER(x) { SpreadsheetApp.getActiveSheet().getRange('A1').setValue(x); return x; }
    /** @customfunction */
    function DOUBLE(x) { return Array.isArray(x) ? x.map(function (r) { return [r[0] * 2]; }) : x * 2; }
    /** @customfunction */
    function PROPS() { PropertiesService.getDocumentProperties().setProperty('k', 'v'); return 1; }
    /** @customfunction */
    function BADVALUE() { return { a: 1 }; }
    function notCustom() { return 1; }
    function onOpen(e) { PropertiesService.getDocumentProperties().getProperty('x'); SpreadsheetApp.getUi().createAddonMenu().addItem('Go', 'missingFn').addToUi(); }
    function addTrigger(n) { ScriptApp.newTrigger('tick').timeBased().everyMinutes(n).create(); }
    function addHourly() { return ScriptApp.newTrigger('tick').timeBased().everyHours(1).create().getUniqueId(); }
    function tick() { SpreadsheetApp.getUi(); }
  `;

  it('custom functions cannot write cells or properties, and must return cell values', () => {
    const env = envWith(code);
    expect(env.customFunctions).toEqual(['WRITER', 'DOUBLE', 'PROPS', 'BADVALUE']);
    expect(env.callCustomFunction('WRITER', [1])).toMatchObject({
      error: expect.stringContaining('You do not have permission to call Range.setValues'),
    });
    expect(env.callCustomFunction('PROPS', [])).toMatchObject({ error: expect.stringContaining('Properties.setProperty') });
    expect(env.callCustomFunction('BADVALUE', [])).toMatchObject({ error: expect.stringContaining('invalid value') });
    expect(() => env.callCustomFunction('notCustom', [])).toThrow(/not marked @customfunction/);
  });

  it('formulas spill array results and report #REF! when the spill is blocked', () => {
    const env = envWith(code);
    env.asUser((ss) => {
      const s = ss.getActiveSheet();
      s.getRange('A1:A3').setValues([[1], [2], [3]]);
      s.getRange('B1').setFormula('=DOUBLE(A1:A3)');
      s.getRange('C1').setFormula('=DOUBLE(A1:A3)');
      s.getRange('C3').setValue('typed');
      s.getRange('D1').setFormula('=NOPE(A1)');
    });
    env.recalculate();
    expect(env.sheetValues('Sheet1').map((r) => r.slice(1, 4))).toEqual([
      [2, expect.stringMatching(/^#REF!/), '#NAME?'],
      [4, '', ''],
      [6, 'typed', ''],
    ]);
  });

  it('onOpen in AuthMode.NONE may not read properties; menu items must name real functions', () => {
    const env = envWith(code);
    expect(() => env.open('NONE')).toThrow(/PropertiesService.getDocumentProperties/);
    env.open('LIMITED');
    expect(() => env.clickMenu('Go')).toThrow('Script function not found: missingFn');
  });

  it('add-on triggers: at most hourly, one per document, and no Ui inside', () => {
    const env = envWith(code);
    expect(() => env.run('addTrigger', [5])).toThrow('at most once per hour');
    env.run('addHourly');
    expect(() => env.run('addHourly')).toThrow('too many time-based triggers');
    expect(() => env.fireTimeTriggers()).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
  });
});

describe('CacheService and PropertiesService limits', () => {
  it('cache: key ≤ 250 chars, value ≤ 100 KB, TTL ≤ 6 h, expiry on the clock', () => {
    const env = new GasEnvironment();
    const c = env.caches.document;
    expect(() => c.put('k'.repeat(251), 'v')).toThrow('Argument too large: key');
    expect(() => c.put('k', 'é'.repeat(60_000))).toThrow('Argument too large: value'); // 120 KB in UTF-8
    expect(() => c.put('k', 'v', 21_601)).toThrow(/expirationInSeconds/);
    c.put('k', 'v', 10);
    expect(c.get('k')).toBe('v');
    env.advance(10_001);
    expect(c.get('k')).toBeNull();
  });

  it('properties: 9 KB per value', () => {
    const env = new GasEnvironment();
    expect(() => env.properties.document.setProperty('big', 'x'.repeat(9 * 1024 + 1))).toThrow('Argument too large: value');
  });
});

describe('UrlFetchApp: real synchronous HTTP', () => {
  let url = '';
  const seen: { method?: string; auth?: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, auth: req.headers.authorization, body });
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: body, path: req.url }));
    });
  });
  let host: GasWorkerHost;

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The server answers in this thread, so the (blocking) emulation runs in a worker.
    host = await GasWorkerHost.start({ whitelist: [`${url}/api/`] }, false);
  });
  afterAll(async () => {
    await host.stop();
    server.close();
  });

  it('sends method, headers and payload, and returns the response synchronously', async () => {
    const r = await host.eval(
      (env, a) => {
        const UrlFetchApp = env.globals.UrlFetchApp as {
          fetch: (u: string, p?: object) => { getResponseCode(): number; getContentText(): string };
        };
        const res = UrlFetchApp.fetch(`${a.url}/api/x`, {
          method: 'post',
          contentType: 'application/json',
          payload: '{"q":1}',
          headers: { Authorization: 'Bearer k' },
        });
        let thrown = '';
        try {
          UrlFetchApp.fetch(`${a.url}/api/../missing`);
        } catch (e) {
          thrown = (e as Error).message;
        }
        let outside = '';
        try {
          UrlFetchApp.fetch(`${a.url}/other`);
        } catch (e) {
          outside = (e as Error).message;
        }
        return { code: res.getResponseCode(), text: res.getContentText(), thrown, outside };
      },
      { url },
    );
    expect(r.code).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ echo: '{"q":1}', path: '/api/x' });
    expect(seen[0]).toEqual({ method: 'POST', auth: 'Bearer k', body: '{"q":1}' });
    expect(r.thrown).toMatch(/returned code 404\. Truncated server response: .*muteHttpExceptions/);
    expect(r.outside).toMatch(/urlFetchWhitelist/);
  });

  it('matches whitelist prefixes like Apps Script (wildcard subdomains)', () => {
    expect(allowedByWhitelist('https://api.radar.example.com/graphql', ['https://*.example.com/'])).toBe(true);
    expect(allowedByWhitelist('https://example.com.evil.io/graphql', ['https://*.example.com/'])).toBe(false);
    expect(allowedByWhitelist('https://radar.example.com/graphql', ['https://radar.example.com/'])).toBe(true);
    expect(allowedByWhitelist('https://radar.example.com/graphql', undefined)).toBe(true);
  });
});
