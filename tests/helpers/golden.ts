import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project's golden vectors: published worked examples and R output (provenance in tests/fixtures/golden/README.md). */
const GOLDEN_DIR = new URL('../fixtures/golden/', import.meta.url);

function readGolden<T>(file: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(file, GOLDEN_DIR)), 'utf8')) as T;
}

/** Every formula vector of tests/fixtures/golden/formulas.json, in file order; each test filters its own groups. */
export function formulaVectors<V>(): V[] {
  return readGolden<{ vectors: V[] }>('formulas.json').vectors;
}

/** The R reference output of tests/fixtures/golden/forecast-r.json, keyed by R call. */
export function rForecastResults<R>(): R {
  return readGolden<{ results: R }>('forecast-r.json').results;
}

/** R's Arima / auto.arima reference output of tests/fixtures/golden/arima-r.json (made by bench/r/golden-arima.R). */
export function rArimaResults<R>(): R {
  return readGolden<{ results: R }>('arima-r.json').results;
}
