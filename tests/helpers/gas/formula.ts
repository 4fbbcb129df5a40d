/** Parser for the one formula shape the emulator evaluates: `=NAME(arg, arg, …)` where an argument is
 * a number, a "string", TRUE/FALSE, a range reference (A1, A2:C9, 'My sheet'!B2:B) or empty. */
export type FormulaArg =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'range'; ref: string }
  | { kind: 'empty' };

export interface ParsedFormula {
  name: string;
  args: FormulaArg[];
}

export function parseFormula(formula: string): ParsedFormula | null {
  const m = /^=\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\(([\s\S]*)\)\s*$/.exec(formula);
  if (!m) return null;
  const body = m[2]!;
  const parts: string[] = [];
  let cur = '';
  let inStr = false;
  let inQuote = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (inStr) {
      cur += ch;
      if (ch === '"') {
        if (body[i + 1] === '"') cur += body[++i];
        else inStr = false;
      }
    } else if (inQuote) {
      cur += ch;
      if (ch === "'") inQuote = false;
    } else if (ch === '"') {
      inStr = true;
      cur += ch;
    } else if (ch === "'") {
      inQuote = true;
      cur += ch;
    } else if (ch === ',') {
      parts.push(cur);
      cur = '';
    } else if (ch === '(' || ch === ')') {
      return null; // nested calls are not emulated
    } else cur += ch;
  }
  parts.push(cur);
  const args: FormulaArg[] = parts.map((raw) => {
    const t = raw.trim();
    if (t === '') return { kind: 'empty' };
    if (t.startsWith('"')) return { kind: 'string', value: t.slice(1, -1).replace(/""/g, '"') };
    if (/^(TRUE|FALSE)$/i.test(t)) return { kind: 'boolean', value: t.toUpperCase() === 'TRUE' };
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?%?$/i.test(t)) {
      return { kind: 'number', value: t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t) };
    }
    return { kind: 'range', ref: t };
  });
  if (args.length === 1 && args[0]!.kind === 'empty') args.length = 0;
  return { name: m[1]!.toUpperCase(), args };
}
