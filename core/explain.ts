/**
 * Every computed figure explains itself: the formula by name, the inputs, the
 * intermediate values and, for competitor data, the source and age of the newest reading used.
 * A planner must be able to redo the arithmetic by hand from this object alone.
 */
export type ExplainValue = number | string | boolean | null;

export interface ExplanationStep {
  label: string;
  value: ExplainValue;
  note?: string;
}

export interface DataProvenance {
  /** Where the newest reading came from (e.g. "keepa", "manual"). */
  source: string | null;
  /** ISO timestamp of the newest reading used. */
  newestAt: string | null;
  /** Age of the newest reading at evaluation time, in hours. */
  ageHours: number | null;
  /** True when the newest reading is older than the expected capture interval allows. */
  stale: boolean;
}

export interface Explanation {
  /** Formula or method name, e.g. "ROP = d̄·L̄ + SS". */
  formula: string;
  inputs: Record<string, ExplainValue>;
  steps: ExplanationStep[];
  notes: string[];
  data?: DataProvenance;
}

/** Small fluent builder so call sites stay readable. */
export class Explainer {
  private readonly e: Explanation;

  constructor(formula: string, inputs: Record<string, ExplainValue> = {}) {
    this.e = { formula, inputs: { ...inputs }, steps: [], notes: [] };
  }

  input(name: string, value: ExplainValue): this {
    this.e.inputs[name] = value;
    return this;
  }

  step(label: string, value: ExplainValue, note?: string): this {
    this.e.steps.push(note === undefined ? { label, value } : { label, value, note });
    return this;
  }

  note(text: string): this {
    this.e.notes.push(text);
    return this;
  }

  data(provenance: DataProvenance): this {
    this.e.data = provenance;
    return this;
  }

  build(): Explanation {
    return {
      ...this.e,
      inputs: { ...this.e.inputs },
      steps: [...this.e.steps],
      notes: [...this.e.notes],
    };
  }
}

function fmt(v: ExplainValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return v === null ? '—' : String(v);
}

/** Plain-text rendering for logs, sheet notes and webhook bodies. */
export function renderExplanation(e: Explanation): string {
  const lines = [e.formula];
  const inputs = Object.entries(e.inputs).map(([k, v]) => `${k}=${fmt(v)}`);
  if (inputs.length) lines.push(`inputs: ${inputs.join(', ')}`);
  for (const s of e.steps) lines.push(`  ${s.label} = ${fmt(s.value)}${s.note ? ` (${s.note})` : ''}`);
  if (e.data) {
    const d = e.data;
    lines.push(
      `data: source ${d.source ?? 'not named by any reading used'}, newest ${d.newestAt ?? 'none'}` +
        (d.ageHours === null ? '' : `, ${fmt(d.ageHours)} h old`) +
        (d.stale ? ' (STALE)' : ''),
    );
  }
  for (const n of e.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
