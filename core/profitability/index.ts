/** Profitability: landed and holding cost, stockout cost, contribution curve, suppliers, priorities. */
export * from './costs';
export * from './contribution';
export * from './suppliers';
export * from './priority';
