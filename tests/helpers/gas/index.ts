export {
  GasEnvironment,
  customFunctionNames,
  CUSTOM_FUNCTION_LIMIT_MS,
  type GasEnvOptions,
  type CustomArg,
  type CustomResult,
} from './environment';
export { GasError, type AuthMode } from './context';
export { Button, ButtonSet } from './services';
export { Spreadsheet, Sheet, Range, type CellValue } from './spreadsheet';
export { parseA1, toA1, colToLetters } from './a1';
export { parseFormula } from './formula';
export { allowedByWhitelist } from './urlfetch';
export { GasWorkerHost } from './worker-host';
