/**
 * The ONE file that defines Apps Script globals: simple triggers, menu actions, the time-driven
 * trigger, functions the sidebar calls through google.script.run, and the custom functions.
 * Everything here delegates to modules that are tested in Node; keep it thin.
 * (build.mjs strips the trailing export list; it exists so the bundler keeps these functions.)
 */
import * as actions from './actions';
import { type Arg, type Result } from './cells';
import { daysOfCoverSheet, eoqSheet, reorderPointSheet, safetyStockMaxAvgSheet, safetyStockServiceSheet, safetyStockSheet } from './local';
import { acknowledgeAlert, openAlerts, resolveAlert } from './alerts';
import { forecastDemandSheet } from './forecastSheet';
import { dealStatus } from './live';
import { planField } from './plan';
import { selloutLocal } from './sellout';
import { isLiveSelloutCall, selloutLive } from './deals';
import { chartData, sidebarInit } from './sidebar/data';

/** Adds the add-on menu. Runs in AuthMode.NONE until the add-on is used in this document: only Ui here. */
function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen) {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('Connect…', 'rrConnect')
    .addSeparator()
    .addItem('Pull competitors', 'rrPullCompetitors')
    .addItem('Pull deals', 'rrPullDeals')
    .addItem('Pull replenishment plan', 'rrPullPlan')
    .addItem('Pull alerts', 'rrPullAlerts')
    .addSeparator()
    .addItem('Refresh all', 'rrRefreshAll')
    .addItem('Hourly refresh on/off', 'rrToggleAutoRefresh')
    .addSeparator()
    .addItem('Open sidebar', 'rrShowSidebar')
    .addToUi();
}

function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall) {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

function rrConnect() {
  actions.connect();
}
function rrPullCompetitors() {
  actions.runPull('competitors');
}
function rrPullDeals() {
  actions.runPull('deals');
}
function rrPullPlan() {
  actions.runPull('plan');
}
function rrPullAlerts() {
  actions.runPull('alerts');
}
function rrRefreshAll() {
  actions.refreshAll();
}
function rrToggleAutoRefresh() {
  return actions.toggleAutoRefresh();
}
function rrShowSidebar() {
  actions.showSidebar();
}
/** Time-driven trigger handler (hourly refresh). */
function rrScheduledRefresh() {
  return actions.scheduledRefresh();
}

// ---- called from the sidebar via google.script.run
function rrSidebarInit() {
  return sidebarInit();
}
function rrChartData(id: string) {
  return chartData(id);
}
function rrOpenAlerts() {
  return openAlerts();
}
function rrAcknowledgeAlert(id: string, cause: string, note?: string) {
  return acknowledgeAlert(id, cause, note);
}
function rrResolveAlert(id: string) {
  return resolveAlert(id);
}
function rrInsertChart(id: string) {
  return actions.insertChart(id);
}

// ---- custom functions

/**
 * Reorder point: average daily demand × lead time + safety stock for the service level.
 * Works on single values or whole columns (same shape out).
 *
 * @param {number|Array<Array<number>>} avg_daily_demand Average units sold per day.
 * @param {number|Array<Array<number>>} lead_time_days Lead time in days.
 * @param {number|Array<Array<number>>} [service_level] Cycle service level in (0, 1); default 0.95.
 * @param {number|Array<Array<number>>} [demand_sd] Standard deviation of daily demand; default 0.
 * @param {number|Array<Array<number>>} [lead_time_sd] Standard deviation of the lead time in days; default 0.
 * @return The reorder point in units.
 * @customfunction
 */
function REORDER_POINT(avg_daily_demand: Arg, lead_time_days: Arg, service_level?: Arg, demand_sd?: Arg, lead_time_sd?: Arg): Result {
  return reorderPointSheet(avg_daily_demand, lead_time_days, service_level, demand_sd, lead_time_sd);
}

/**
 * Safety stock that covers the worst observed day and the longest lead time at once:
 * max_daily × max_lead − avg_daily × avg_lead. Works on single values or whole columns.
 *
 * @param {number|Array<Array<number>>} max_daily Largest daily demand observed, units.
 * @param {number|Array<Array<number>>} max_lead Longest lead time observed, days.
 * @param {number|Array<Array<number>>} avg_daily Average daily demand, units.
 * @param {number|Array<Array<number>>} avg_lead Average lead time, days.
 * @return Safety stock in units.
 * @customfunction
 */
function SAFETY_STOCK_MAX_AVG(max_daily: Arg, max_lead: Arg, avg_daily: Arg, avg_lead: Arg): Result {
  return safetyStockMaxAvgSheet(max_daily, max_lead, avg_daily, avg_lead);
}

/**
 * Safety stock for a cycle service level: z × √(avg_lead × sd_daily² + avg_daily² × sd_lead²), z = NORMSINV(service_level).
 * Works on single values or whole columns.
 *
 * @param {number|Array<Array<number>>} service_level Cycle service level in (0, 1), e.g. 0.95.
 * @param {number|Array<Array<number>>} avg_daily Average daily demand, units.
 * @param {number|Array<Array<number>>} sd_daily Standard deviation of daily demand, units.
 * @param {number|Array<Array<number>>} avg_lead Average lead time, days.
 * @param {number|Array<Array<number>>} [sd_lead] Standard deviation of the lead time, days; default 0.
 * @return Safety stock in units.
 * @customfunction
 */
function SAFETY_STOCK_SERVICE(service_level: Arg, avg_daily: Arg, sd_daily: Arg, avg_lead: Arg, sd_lead?: Arg): Result {
  return safetyStockServiceSheet(service_level, avg_daily, sd_daily, avg_lead, sd_lead);
}

/**
 * Deprecated: use SAFETY_STOCK_MAX_AVG or SAFETY_STOCK_SERVICE (removed in the next release).
 * "brief": max_daily × max_lead_time − avg_daily × avg_lead_time (args: max_daily, max_lead_time, avg_daily, avg_lead_time).
 * "service": z × √(lead_time × demand_sd² + avg_daily² × lead_time_sd²) (args: service_level, avg_daily_demand, demand_sd, lead_time_days, [lead_time_sd]).
 *
 * @deprecated Use SAFETY_STOCK_MAX_AVG(max_daily, max_lead, avg_daily, avg_lead) or SAFETY_STOCK_SERVICE(service_level, avg_daily, sd_daily, avg_lead, [sd_lead]).
 * @param {string} method "brief" (= SAFETY_STOCK_MAX_AVG) or "service" (= SAFETY_STOCK_SERVICE).
 * @param {number|Array<Array<number>>} a max_daily ("brief") or service_level ("service").
 * @param {number|Array<Array<number>>} b max_lead_time ("brief") or avg_daily_demand ("service").
 * @param {number|Array<Array<number>>} c avg_daily ("brief") or demand_sd ("service").
 * @param {number|Array<Array<number>>} d avg_lead_time ("brief") or lead_time_days ("service").
 * @param {number|Array<Array<number>>} [e] lead_time_sd ("service" only).
 * @return Safety stock in units.
 * @customfunction
 */
function SAFETY_STOCK(method: Arg, a?: Arg, b?: Arg, c?: Arg, d?: Arg, e?: Arg): Result {
  return safetyStockSheet(method, a, b, c, d, e);
}

/**
 * Economic order quantity √(2·annual_demand·order_cost / (holding_rate·unit_cost)); with a two-column
 * price-break range (min_quantity, unit_cost) as the 4th argument, the all-units discount optimum.
 *
 * @param {number|Array<Array<number>>} annual_demand Units per year.
 * @param {number|Array<Array<number>>} order_cost Fixed cost per order.
 * @param {number|Array<Array<number>>} holding_rate Annual holding cost as a fraction of unit cost (e.g. 0.25).
 * @param {number|Array<Array<number>>} unit_cost_or_tier_range Unit cost, or a 2-column range of price breaks.
 * @param {string} [output] "quantity" (default), "unit_cost", "annual_cost", "orders_per_year" or "cycle_days".
 * @return The order quantity (or the requested figure).
 * @customfunction
 */
function EOQ(annual_demand: Arg, order_cost: Arg, holding_rate: Arg, unit_cost_or_tier_range: Arg, output?: Arg): Result {
  return eoqSheet(annual_demand, order_cost, holding_rate, unit_cost_or_tier_range, output);
}

/**
 * Days of cover: (on hand + in transit) ÷ daily demand. "∞" when demand is zero.
 *
 * @param {number|Array<Array<number>>} on_hand Units on hand.
 * @param {number|Array<Array<number>>} in_transit Units on open orders (blank = 0).
 * @param {number|Array<Array<number>>} daily_demand Average units per day.
 * @return Days the stock position lasts.
 * @customfunction
 */
function DAYS_OF_COVER(on_hand: Arg, in_transit: Arg, daily_demand: Arg): Result {
  return daysOfCoverSheet(on_hand, in_transit, daily_demand);
}

/**
 * Sell-out ETA. Live: SELLOUT_ETA("ASIN", [quantile]) gives the moment the competitor's live deal
 * sells out (P50 by default; "p10"/"p90") from the Restock Radar API, or why there is none.
 * Local: with a stock and a velocity (single values or same-shape columns): stock ÷ velocity, in the
 * velocity's time unit. With one stock value (or blank = last reading) and a history range (1 column
 * of stock readings at equal steps, or 2 columns time, stock): a drain fit (constant or decaying
 * rate) with bootstrap quantiles; returns a date-time when the times are dates.
 *
 * @param {number|string|Array<Array<number>>} stock Units left (blank with a history: the last reading), or an ASIN / MARKETPLACE:ASIN (a range works).
 * @param {number|string|Array<Array<number>>} [velocity_or_history_range] Units per time unit, or a stock history; with an ASIN: the quantile.
 * @param {string} [quantile] "p10", "p50" (default), "p90" or "point" (the fitted model's own ETA); history form only.
 * @return Time until sold out (or the sell-out moment); live: the API's reason in words, e.g. "P90 does not sell out before the deal ends (…)".
 * @customfunction
 */
function SELLOUT_ETA(stock: Arg, velocity_or_history_range?: Arg, quantile?: Arg): Result {
  if (isLiveSelloutCall(stock, velocity_or_history_range)) return selloutLive(stock, velocity_or_history_range);
  return selloutLocal(stock, velocity_or_history_range, quantile);
}

/**
 * Demand forecast: each column of history_range is one series, oldest first (blanks inside count as
 * missing); returns `horizon` rows per series. The model is chosen automatically (ETS family,
 * Croston/SBA/TSB for intermittent demand, theta, …) and is the same one the API uses.
 *
 * @param {Array<Array<number>>} history_range Past demand per period, one column per item.
 * @param {number} horizon Periods to forecast (1–1000).
 * @param {string} [output] "value" (default), "lower80", "upper80", "lower95", "upper95" or "model".
 * @param {number|string} [period] Season length in periods (e.g. 7), or the data's frequency ("daily", "weekly", "monthly", "quarterly") whose calendar gives the season (daily → 7, weekly → 52, monthly → 12, quarterly → 4); detected when blank.
 * @return The forecast, one row per future period.
 * @customfunction
 */
function FORECAST_DEMAND(history_range: Arg, horizon: Arg, output?: Arg, period?: Arg): Result {
  return forecastDemandSheet(history_range, horizon, output, period);
}

/**
 * Deal status of competitor listings from the Restock Radar API, with the data's source and age.
 * One request per call for the whole range; answers cached for 5 minutes.
 *
 * @param {string|Array<Array<string>>} asin ASIN, or MARKETPLACE:ASIN (e.g. "DE:B0ABC12345"); a range works.
 * @param {string} [field] "summary" (default), "type", "claimed", "stock", "ends", "source" or "age".
 * @return The deal status text (or the requested field).
 * @customfunction
 */
function DEAL_STATUS(asin: Arg, field?: Arg): Result {
  return dealStatus(asin, field);
}

/**
 * A figure of a product's replenishment plan from the Restock Radar API (as of today, UTC), e.g. the
 * reorder point. One request per call for the whole range; answers cached for 5 minutes.
 *
 * @param {string|Array<Array<string>>} sku Product SKU; a range works.
 * @param {string} [field] "summary" (default), "reorderPoint", "safetyStock", "orderQuantity", "orderNow", "orderByDate", "daysOfCover", "projectedStockoutDate", "demand", "leadTimeDays", "explanation", … (see the README).
 * @return The plan figure for each SKU.
 * @customfunction
 */
function PLAN_FIELD(sku: Arg, field?: Arg): Result {
  return planField(sku, field);
}

export {
  onOpen,
  onInstall,
  rrConnect,
  rrPullCompetitors,
  rrPullDeals,
  rrPullPlan,
  rrPullAlerts,
  rrRefreshAll,
  rrToggleAutoRefresh,
  rrShowSidebar,
  rrScheduledRefresh,
  rrSidebarInit,
  rrChartData,
  rrInsertChart,
  rrOpenAlerts,
  rrAcknowledgeAlert,
  rrResolveAlert,
  REORDER_POINT,
  SAFETY_STOCK_MAX_AVG,
  SAFETY_STOCK_SERVICE,
  SAFETY_STOCK,
  EOQ,
  DAYS_OF_COVER,
  SELLOUT_ETA,
  FORECAST_DEMAND,
  DEAL_STATUS,
  PLAN_FIELD,
};
