// stdlib's per-function packages ship no TypeScript declarations of their own.
declare module '@stdlib/stats-base-dists-normal-cdf' {
  export default function cdf(x: number, mu: number, sigma: number): number;
}
declare module '@stdlib/stats-base-dists-normal-pdf' {
  export default function pdf(x: number, mu: number, sigma: number): number;
}
declare module '@stdlib/stats-base-dists-normal-quantile' {
  export default function quantile(p: number, mu: number, sigma: number): number;
}
declare module '@stdlib/stats-base-dists-poisson-cdf' {
  export default function cdf(x: number, lambda: number): number;
}
declare module '@stdlib/stats-base-dists-poisson-pmf' {
  export default function pmf(x: number, lambda: number): number;
}
declare module '@stdlib/stats-base-dists-t-quantile' {
  export default function quantile(p: number, v: number): number;
}
