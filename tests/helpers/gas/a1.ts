/** A1 notation for the emulator: "B3", "A1:C10", "A:A", "2:5", "A2:A" (open-ended), with an optional
 * sheet prefix ("Plan!A1:B2", "'My plan'!A1"). Rows and columns are 1-based like Apps Script. */
export interface A1Ref {
  sheet?: string;
  row: number;
  col: number;
  /** Undefined means "to the last row/column of the sheet" (A:A, A2:A, 2:2). */
  lastRow?: number;
  lastCol?: number;
}

export function colToLetters(col: number): string {
  let s = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

export function lettersToCol(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const CELL = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

export function parseA1(input: string): A1Ref {
  let text = input.trim();
  let sheet: string | undefined;
  const bang = text.lastIndexOf('!');
  if (bang >= 0) {
    sheet = text.slice(0, bang);
    if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
    text = text.slice(bang + 1);
  }
  const [a, b] = text.split(':');
  const ma = CELL.exec(a ?? '');
  const mb = b === undefined ? null : CELL.exec(b);
  if (!ma || (b !== undefined && !mb) || (!ma[1] && !ma[2])) throw new Error(`Range not found`);
  const c1 = ma[1] ? lettersToCol(ma[1]) : 1;
  const r1 = ma[2] ? Number(ma[2]) : 1;
  if (b === undefined) {
    if (!ma[1] || !ma[2]) throw new Error('Range not found');
    return { sheet, row: r1, col: c1, lastRow: r1, lastCol: c1 };
  }
  const c2 = mb![1] ? lettersToCol(mb![1]) : undefined;
  const r2 = mb![2] ? Number(mb![2]) : undefined;
  // "A:A" / "A2:A" leave the row open; "2:5" leaves the column open.
  return {
    sheet,
    row: ma[2] ? r1 : 1,
    col: ma[1] ? c1 : 1,
    lastRow: r2 ?? (ma[2] && !mb![1] ? r1 : undefined),
    lastCol: c2 ?? (ma[1] && !mb![2] ? c1 : undefined),
  };
}

export function toA1(row: number, col: number, numRows = 1, numCols = 1): string {
  const start = `${colToLetters(col)}${row}`;
  return numRows === 1 && numCols === 1 ? start : `${start}:${colToLetters(col + numCols - 1)}${row + numRows - 1}`;
}
