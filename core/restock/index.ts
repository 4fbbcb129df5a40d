/** Public API of core/restock: restock events and stockout windows. */
export * from './detect';
export * from './stockout';
