/** Public API of core/sim: the deterministic labelled scenario generator. */
export * from './types';
export { generateScenarios, poisson } from './generate';
