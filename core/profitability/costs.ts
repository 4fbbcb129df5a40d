/**
 * Full-chain replenishment costs: landed cost per unit, holding cost (storage, capital, shrink) and
 * the opportunity cost of a stockout.
 */
import { Explainer, type Explanation } from '../explain';
import { nonNegative, object, positive, probability } from '../replenishment/validate';

export interface LandedCostInput {
  /** Supplier price per unit. */
  unitCost: number;
  /** Freight per unit. Default 0. */
  freightPerUnit?: number;
  /** Freight per shipment, spread over `shipmentQuantity` units. Default 0. */
  freightPerShipment?: number;
  shipmentQuantity?: number;
  /** Cargo insurance as a fraction of (unit cost + freight). Default 0. */
  insuranceRate?: number;
  /** Import duty as a fraction of the customs value. Default 0. */
  dutyRate?: number;
  /** Customs value: CIF = unit + freight + insurance (default), FOB = unit cost only. */
  dutyBasis?: 'CIF' | 'FOB';
  /** Other per-unit costs to get the unit sellable (labelling, prep, inbound fees). Default 0. */
  otherPerUnit?: number;
}

export interface LandedCost {
  unitCost: number;
  freight: number;
  insurance: number;
  duty: number;
  other: number;
  landedUnitCost: number;
  explanation: Explanation;
}

/** Landed cost = unit + freight + insurance + duty (+ other per-unit costs). */
export function landedCost(input: LandedCostInput): LandedCost {
  const i = object('landedCost input', input) as unknown as LandedCostInput;
  const unit = positive('unitCost', i.unitCost);
  const fUnit = nonNegative('freightPerUnit', i.freightPerUnit ?? 0);
  const fShip = nonNegative('freightPerShipment', i.freightPerShipment ?? 0);
  let shipmentFreightPerUnit = 0;
  if (fShip > 0) shipmentFreightPerUnit = fShip / positive('shipmentQuantity', i.shipmentQuantity);
  const freight = fUnit + shipmentFreightPerUnit;
  const insurance = nonNegative('insuranceRate', i.insuranceRate ?? 0) * (unit + freight);
  const basis = i.dutyBasis ?? 'CIF';
  if (basis !== 'CIF' && basis !== 'FOB') throw new RangeError(`dutyBasis must be CIF or FOB, got ${String(basis)}`);
  const customsValue = basis === 'CIF' ? unit + freight + insurance : unit;
  const duty = nonNegative('dutyRate', i.dutyRate ?? 0) * customsValue;
  const other = nonNegative('otherPerUnit', i.otherPerUnit ?? 0);
  const landedUnitCost = unit + freight + insurance + duty + other;
  const explanation = new Explainer('landed = unit + freight + insurance + duty + other', {
    unitCost: unit,
    freightPerUnit: fUnit,
    freightPerShipment: fShip,
    shipmentQuantity: i.shipmentQuantity ?? null,
    insuranceRate: i.insuranceRate ?? 0,
    dutyRate: i.dutyRate ?? 0,
    dutyBasis: basis,
    otherPerUnit: other,
  })
    .step('freight per unit', freight)
    .step('insurance = rate × (unit + freight)', insurance)
    .step(`customs value (${basis})`, customsValue)
    .step('duty = rate × customs value', duty)
    .step('landed unit cost', landedUnitCost)
    .build();
  return { unitCost: unit, freight, insurance, duty, other, landedUnitCost, explanation };
}

export interface HoldingCostInput {
  /** Value tied up per unit (usually the landed cost). */
  unitValue: number;
  /** Storage per unit per year (rent, handling, packaging). Default 0. */
  storagePerUnitPerYear?: number;
  /** Cost of capital per year, fraction of the unit value. Default 0. */
  capitalRate?: number;
  /** Shrink (loss, damage, obsolescence) per year, fraction of the unit value. Default 0. */
  shrinkRate?: number;
}

export interface HoldingCost {
  perUnitPerYear: number;
  perUnitPerDay: number;
  /** perUnitPerYear / unitValue: the i in EOQ's h = i·c. */
  holdingRate: number;
  storage: number;
  capital: number;
  shrink: number;
  explanation: Explanation;
}

/** Holding cost per unit per year = storage + capital rate × value + shrink rate × value. */
export function holdingCost(input: HoldingCostInput): HoldingCost {
  const i = object('holdingCost input', input) as unknown as HoldingCostInput;
  const value = positive('unitValue', i.unitValue);
  const storage = nonNegative('storagePerUnitPerYear', i.storagePerUnitPerYear ?? 0);
  const capital = nonNegative('capitalRate', i.capitalRate ?? 0) * value;
  const shrink = probability('shrinkRate', i.shrinkRate ?? 0) * value;
  const perUnitPerYear = storage + capital + shrink;
  const explanation = new Explainer('h = storage + capital rate × value + shrink rate × value (per unit per year)', {
    unitValue: value,
    storagePerUnitPerYear: storage,
    capitalRate: i.capitalRate ?? 0,
    shrinkRate: i.shrinkRate ?? 0,
  })
    .step('storage', storage)
    .step('capital', capital)
    .step('shrink', shrink)
    .step('per unit per year', perUnitPerYear)
    .step('per unit per day (÷365)', perUnitPerYear / 365)
    .step('as a share of unit value', perUnitPerYear / value)
    .build();
  return {
    perUnitPerYear,
    perUnitPerDay: perUnitPerYear / 365,
    holdingRate: perUnitPerYear / value,
    storage,
    capital,
    shrink,
    explanation,
  };
}

export interface StockoutCostInput {
  /** Demand per day while out of stock (from sales history on in-stock days). */
  dailyDemand: number;
  stockoutDays: number;
  unitPrice: number;
  /** Landed cost per unit. */
  unitCost: number;
  /** Share of customers lost for good after a missed sale. Default 0. */
  churnRate?: number;
  /** Future contribution of one such customer. Default 0. */
  futureContributionPerCustomer?: number;
}

export interface StockoutCost {
  lostUnits: number;
  lostRevenue: number;
  lostContribution: number;
  longTermLoss: number;
  /** lostContribution + longTermLoss. */
  total: number;
  explanation: Explanation;
}

/** Opportunity cost of a stockout: lost units × margin, plus churned customers' future contribution. */
export function stockoutOpportunityCost(input: StockoutCostInput): StockoutCost {
  const i = object('stockout input', input) as unknown as StockoutCostInput;
  const d = nonNegative('dailyDemand', i.dailyDemand);
  const days = nonNegative('stockoutDays', i.stockoutDays);
  const price = nonNegative('unitPrice', i.unitPrice);
  const cost = nonNegative('unitCost', i.unitCost);
  const churn = probability('churnRate', i.churnRate ?? 0);
  const future = nonNegative('futureContributionPerCustomer', i.futureContributionPerCustomer ?? 0);
  const lostUnits = d * days;
  const lostRevenue = lostUnits * price;
  const lostContribution = lostUnits * (price - cost);
  const longTermLoss = lostUnits * churn * future;
  const total = lostContribution + longTermLoss;
  const explanation = new Explainer('stockout cost = lost units × (price − cost) + lost units × churn × future contribution', {
    dailyDemand: d,
    stockoutDays: days,
    unitPrice: price,
    unitCost: cost,
    churnRate: churn,
    futureContributionPerCustomer: future,
  })
    .step('lost units', lostUnits)
    .step('lost revenue', lostRevenue)
    .step('lost contribution', lostContribution)
    .step('long-term loss', longTermLoss)
    .step('total', total)
    .build();
  return { lostUnits, lostRevenue, lostContribution, longTermLoss, total, explanation };
}
