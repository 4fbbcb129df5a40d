#!/usr/bin/env node
/**
 * Builds the Sheets add-on into a folder clasp can push (addon/dist by default):
 *   Code.js          addon/src/main.ts + core, one script of top-level Apps Script functions
 *   Sidebar.html     the sidebar page with its script inlined (HtmlService serves one file)
 *   appsscript.json  the manifest, with urlFetchWhitelist set for the API the planner uses
 *
 * Usage: node addon/build.mjs [--out DIR] [--api-url https://radar.example.com/[,…]] [--allow-loopback]
 *   --api-url (or RESTOCK_RADAR_API_URL) lists the API prefixes UrlFetchApp may call.
 *   --allow-loopback accepts http://127.0.0.1:PORT/ prefixes: for the emulator tests only, Apps Script
 *   itself refuses them.
 * Fails loudly when the output would not run in Apps Script (leftover import/export/require,
 * a renamed global, a custom function without its @customfunction JSDoc, a global that shadows
 * an Apps Script service).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { rolldown } from 'rolldown';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

function parseArgs(argv) {
  const out = { out: join(here, 'dist'), apiUrls: [], allowLoopback: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a.startsWith('--out')) out.out = resolve(val());
    else if (a.startsWith('--api-url')) out.apiUrls.push(...val().split(','));
    else if (a === '--allow-loopback') out.allowLoopback = true;
    else if (a === '--quiet') out.quiet = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (out.apiUrls.length === 0 && process.env.RESTOCK_RADAR_API_URL) out.apiUrls.push(...process.env.RESTOCK_RADAR_API_URL.split(','));
  out.apiUrls = out.apiUrls.map((u) => u.trim()).filter(Boolean);
  return out;
}

/** `import text from './x.graphql?raw'` → the file's text as a string (same convention as Vite/vitest). */
function rawPlugin() {
  return {
    name: 'raw-text',
    resolveId(source, importer) {
      if (!source.endsWith('?raw')) return null;
      const file = source.slice(0, -4);
      return `${isAbsolute(file) ? file : resolve(dirname(importer), file)}?raw`;
    },
    load(id) {
      if (!id.endsWith('?raw')) return null;
      return `export default ${JSON.stringify(readFileSync(id.slice(0, -4), 'utf8'))};`;
    },
  };
}

// Globals Apps Script defines; a bundle-level declaration with one of these names would shadow it.
const GAS_GLOBALS = [
  'SpreadsheetApp',
  'UrlFetchApp',
  'CacheService',
  'PropertiesService',
  'HtmlService',
  'ScriptApp',
  'LockService',
  'Utilities',
  'Session',
  'Logger',
  'Charts',
  'DriveApp',
  'ContentService',
  'Browser',
  'MailApp',
  'console',
];

/** Validates urlFetchWhitelist entries by Apps Script's rules (https, full domain, non-empty path). */
function whitelistEntry(url, allowLoopback) {
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/.*$/.test(url);
  if (loopback && allowLoopback) return url;
  const m = /^https:\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)+)(:\d+)?(\/[^\s]*)$/i.exec(url);
  if (!m) {
    throw new Error(
      `urlFetchWhitelist entry "${url}" is not valid for Apps Script: it must be https://, name a full domain and end in a path (e.g. https://radar.example.com/)`,
    );
  }
  return url;
}

async function bundleMain() {
  const bundle = await rolldown({
    input: join(here, 'src', 'main.ts'),
    platform: 'neutral',
    plugins: [rawPlugin()],
    treeshake: true,
    transform: { target: 'es2020' },
    resolve: { mainFields: ['module', 'main'] },
    logLevel: 'warn',
  });
  const { output } = await bundle.generate({ format: 'esm', comments: { jsdoc: true, legal: true, annotation: false } });
  await bundle.close();
  if (output.length !== 1) throw new Error(`expected one chunk, got ${output.length}`);
  return output[0].code;
}

/** Custom functions as declared in main.ts: a JSDoc block containing @customfunction above `function NAME(`. */
export function customFunctionsIn(code) {
  const names = [];
  const re = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:export\s+)?function\s+([A-Za-z_$][\w$]*)\s*\(/g;
  for (let m = re.exec(code); m; m = re.exec(code)) if (/@customfunction\b/.test(m[1])) names.push(m[2]);
  return names;
}

function finishCode(code, mainSource) {
  // rolldown ends an ESM chunk with `export { a, b as c };`: Apps Script has no modules, so drop it,
  // but only after checking every global kept its own name.
  const exportRe = /\nexport\s*\{([^}]*)\};?\s*$/;
  const m = exportRe.exec(code);
  if (!m) throw new Error('build: expected a trailing export list in the bundle (main.ts must export its globals)');
  const exported = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const renamed = exported.filter((e) => /\sas\s/.test(e));
  if (renamed.length) {
    throw new Error(`build: these globals were renamed by the bundler (a name clash in addon/src or core): ${renamed.join(', ')}`);
  }
  code = code.slice(0, m.index) + '\n';
  // Keep JSDoc only where Sheets reads it (right above each custom function); library JSDoc
  // (stdlib's is long, with `require(...)` examples) would only bloat Code.js.
  const wanted = customFunctionsIn(mainSource);
  code = code.replace(/\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*(function\s+([A-Za-z_$][\w$]*)\s*\()?/g, (all, fn, name) =>
    fn && wanted.includes(name) ? all : (fn ?? ''),
  );
  try {
    new vm.Script(code, { filename: 'Code.js' });
  } catch (e) {
    throw new Error(`build: Code.js does not parse as a classic script: ${e.message}`, { cause: e });
  }
  const leftovers = [
    [/^\s*import\s[^;]*from\s*['"]/m, 'import statement'],
    [/^\s*export\s/m, 'export statement'],
    [/\brequire\s*\(/, 'require() call'],
    [/\bimport\.meta\b/, 'import.meta'],
    [/\bimport\s*\(/, 'dynamic import()'],
    [/\bprocess\.env\b/, 'process.env'],
  ];
  for (const [re, what] of leftovers) {
    const hit = re.exec(code);
    if (hit) throw new Error(`build: ${what} left in Code.js near: ${code.slice(Math.max(0, hit.index - 80), hit.index + 80)}`);
  }
  for (const name of exported) {
    if (!new RegExp(`^function ${name.replace(/\$/g, '\\$')}\\(`, 'm').test(code)) {
      throw new Error(`build: global ${name} is not a top-level function declaration in Code.js`);
    }
  }
  const kept = customFunctionsIn(code);
  const lost = wanted.filter((n) => !kept.includes(n));
  if (lost.length) throw new Error(`build: @customfunction JSDoc missing above ${lost.join(', ')} in Code.js`);
  const notExported = wanted.filter((n) => !exported.includes(n));
  if (notExported.length) throw new Error(`build: custom functions not exported from main.ts: ${notExported.join(', ')}`);
  for (const g of GAS_GLOBALS) {
    if (new RegExp(`^(?:function|const|let|var|class)\\s+${g}\\b`, 'm').test(code)) {
      throw new Error(`build: Code.js declares ${g} at top level, shadowing the Apps Script service`);
    }
  }
  const header = '// Restock Radar for Google Sheets. Generated by addon/build.mjs from addon/src and core; do not edit.\n';
  return { code: header + code, globals: exported, customFunctions: kept };
}

async function bundleSidebarScript() {
  const bundle = await rolldown({
    input: join(here, 'src', 'sidebar', 'client.ts'),
    platform: 'browser',
    plugins: [rawPlugin()],
    treeshake: true,
    transform: { target: 'es2019' },
    logLevel: 'warn',
  });
  const { output } = await bundle.generate({ format: 'iife', name: 'RestockRadarSidebar', comments: false });
  await bundle.close();
  return output[0].code;
}

async function buildSidebar() {
  const template = readFileSync(join(here, 'src', 'sidebar', 'Sidebar.html'), 'utf8');
  const marker = '<!-- @client-script -->';
  if (!template.includes(marker)) throw new Error(`build: ${marker} missing in Sidebar.html`);
  const script = await bundleSidebarScript();
  // "</script" inside the inlined code would end the tag early.
  return template.replace(marker, () => `<script>\n${script.replace(/<\/script/gi, '<\\/script')}</script>`);
}

function buildManifest(apiUrls, allowLoopback) {
  const manifest = JSON.parse(readFileSync(join(here, 'appsscript.json'), 'utf8'));
  if (apiUrls.length) manifest.urlFetchWhitelist = apiUrls.map((u) => whitelistEntry(u, allowLoopback));
  for (const u of manifest.urlFetchWhitelist ?? []) whitelistEntry(u, allowLoopback);
  return manifest;
}

export async function build(options = {}) {
  const opts = { out: join(here, 'dist'), apiUrls: [], allowLoopback: false, quiet: true, ...options };
  const t0 = performance.now();
  const mainSource = readFileSync(join(here, 'src', 'main.ts'), 'utf8');
  const { code, globals, customFunctions } = finishCode(await bundleMain(), mainSource);
  const sidebar = await buildSidebar();
  const manifest = buildManifest(opts.apiUrls, opts.allowLoopback);
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(join(opts.out, 'Code.js'), code);
  writeFileSync(join(opts.out, 'Sidebar.html'), sidebar);
  writeFileSync(join(opts.out, 'appsscript.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const ms = Math.round(performance.now() - t0);
  const summary = { out: opts.out, bytes: code.length, globals, customFunctions, whitelist: manifest.urlFetchWhitelist ?? [], ms };
  if (!opts.quiet) {
    console.log(
      `addon: ${opts.out.startsWith(root) ? opts.out.slice(root.length + 1) : opts.out}/Code.js ${(code.length / 1024).toFixed(0)} KiB, ` +
        `${globals.length} globals, ${customFunctions.length} custom functions (${customFunctions.join(', ')}), ` +
        `urlFetchWhitelist ${JSON.stringify(summary.whitelist)}, ${ms} ms`,
    );
  }
  return summary;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    await build(args);
  } catch (e) {
    console.error(`addon build failed: ${e.message}`);
    process.exit(1);
  }
}
