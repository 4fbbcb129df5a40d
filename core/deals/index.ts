/** Public API of core/deals: deal detection, drain fits and sell-out ETA, pre/post comparison. */
export * from './drain';
export * from './detect';
export * from './rules';
export * from './compare';
export * from './timing';
