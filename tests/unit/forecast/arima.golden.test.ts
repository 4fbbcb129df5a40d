/**
 * R reference vectors for ARIMA (tests/fixtures/golden/arima-r.json, made by bench/r/golden-arima.R with R's
 * forecast 8.20). Fixed orders, forecast::Arima (CSS-ML):
 *  - our exact log-likelihood evaluated at R's coefficients equals R's loglik within 1e-5 for models without a
 *    seasonal difference, and within 0.01 with one (R approximates the diffuse prior of the differencing states
 *    with κ = 10⁶; we difference exactly);
 *  - our own optimum is at least as good (loglik ≥ R's − 0.005) and its coefficients agree within 0.005
 *    (absolute, or relative for the constant);
 *  - σ² within 0.2 %, point forecasts within 1 % of R's 95 % half-width, interval bounds within 2 % of it (our
 *    variance uses ψ-weights and leaves out the filtered state's variance, which R's Kalman forecast adds: it
 *    matters only for MA roots near the unit circle, N1701's seasonal MA of −0.887).
 * auto.arima: d (KPSS) and D (seasonal strength) on all eight series, and the chosen model on four (the
 * exact-likelihood search takes seconds per series).
 */
import { describe, expect, it } from 'vitest';
import { arimaForecast, arimaLogLik, fitArima, type ArimaSpec } from '../../../core/forecast/arima';
import { arimaDifferences, autoArima } from '../../../core/forecast/arima-auto';
import { arimaName } from '../../../core/forecast/arima-candidate';
import { rArimaResults } from '../../helpers/golden';

// Parsed JSON of heterogeneous shape: typed loosely on purpose.
const G = rArimaResults<Record<string, any>>();
const fixedKeys = Object.keys(G).filter((k) => k.startsWith('arima_'));
const autoKeys = Object.keys(G).filter((k) => k.startsWith('auto_'));

function specOf(g: any, m: number): ArimaSpec {
  return { p: g.order[0], d: g.order[1], q: g.order[2], P: g.seasonal[0], D: g.seasonal[1], Q: g.seasonal[2], m, constant: g.constant };
}

/** R's coefficients by block: ar1.., ma1.., sar1.., sma1.., then intercept or drift. */
function rCoef(g: any): { ar: number[]; ma: number[]; sar: number[]; sma: number[]; constant: number } {
  const names: string[] = g.coef_names;
  const pick = (re: RegExp): number[] => names.flatMap((n, i) => (re.test(n) ? [g.coef[i] as number] : []));
  const c = names.findIndex((n) => n === 'drift' || n === 'intercept');
  return { ar: pick(/^ar\d/), ma: pick(/^ma\d/), sar: pick(/^sar\d/), sma: pick(/^sma\d/), constant: c >= 0 ? g.coef[c] : 0 };
}

describe('Arima with fixed orders (forecast::Arima, CSS-ML)', () => {
  it.each(fixedKeys)('%s', (key) => {
    const g = G[key];
    const s = G[`series_${g.series}`];
    const spec = specOf(g, s.m);
    const r = rCoef(g);
    const atR = arimaLogLik(s.y, spec, r);
    expect(Math.abs(atR.loglik - g.loglik[0])).toBeLessThanOrEqual(spec.D > 0 ? 0.01 : 1e-5);

    const fit = fitArima(s.y, spec)!;
    expect(fit).not.toBeNull();
    expect(fit.loglik).toBeGreaterThanOrEqual(g.loglik[0] - 0.005);
    const ours = [...fit.ar, ...fit.ma, ...fit.sar, ...fit.sma];
    const theirs = [...r.ar, ...r.ma, ...r.sar, ...r.sma];
    ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(0.005));
    if (spec.constant) expect(Math.abs(fit.constant - r.constant) / Math.abs(r.constant)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(fit.sigma2 - g.sigma2[0]) / g.sigma2[0]).toBeLessThanOrEqual(0.002);
    expect(Math.abs(fit.aicc - g.aicc[0])).toBeLessThanOrEqual(0.02);

    const fc = arimaForecast(fit, g.h);
    for (let k = 0; k < g.h; k++) {
      const half = g.upper95[k] - g.mean[k];
      expect(Math.abs(fc.mean[k]! - g.mean[k]) / half).toBeLessThanOrEqual(0.01);
      for (const b of ['lower80', 'upper80', 'lower95', 'upper95'] as const)
        expect(Math.abs(fc[b][k]! - g[b][k]) / half).toBeLessThanOrEqual(0.02);
    }
  });
});

describe('auto.arima (forecast 8.20 defaults)', () => {
  it.each(autoKeys)('%s: d by KPSS and D by seasonal strength as R', (key) => {
    const g = G[key];
    const s = G[`series_${g.series}`];
    const { d, D } = arimaDifferences(s.y, s.m);
    expect(D).toBe(g.nsdiffs[0]);
    expect(d).toBe(g.ndiffs[0]);
  });

  it.each(['auto_airpassengers_log', 'auto_m3_N1402', 'auto_m3_N1701', 'auto_m3_N2801'])(
    '%s: stepwise search by exact-likelihood AICc picks R’s model',
    (key) => {
      const g = G[key];
      const s = G[`series_${g.series}`];
      const r = autoArima(s.y, { m: s.m, approximation: false })!;
      expect(arimaName(r.fit)).toBe(g.model.replace(/\s+$/, ''));
      expect(Math.abs(r.fit.aicc - g.aicc[0])).toBeLessThanOrEqual(0.05);
    },
    60_000,
  );
});
