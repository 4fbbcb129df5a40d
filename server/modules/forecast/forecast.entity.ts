import { Column, Entity, Index, type ValueTransformer } from 'typeorm';
import { numberTransformer } from '../../db/columns';
import { WorkspaceOwned } from '../../db/workspace-owned';

const jsonTransformer: ValueTransformer = {
  to: (v: unknown) => (v === undefined ? v : JSON.stringify(v)),
  from: (v: string | null) => (v === null ? null : JSON.parse(v)),
};

/**
 * A stored forecast, kept to compare with the actuals as they arrive (the feedback loop). One row
 * per subject and calendar day of creation (UTC), in the tracked configuration only (AUTO at the
 * default horizon; ad-hoc models and horizons are never stored): a later tracked forecast the same
 * day replaces it, and
 * runs older than the longest forecast-vs-actual window (100 days) are pruned on write, so a
 * subject holds at most 101 rows.
 */
@Entity({ name: 'forecast_run' })
@Index(['workspaceId', 'subjectType', 'subjectId', 'runDay'], { unique: true })
export class ForecastRun extends WorkspaceOwned {
  /** PRODUCT or COMPETITOR. */
  @Column({ name: 'subject_type', type: 'varchar', length: 20 })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 36 })
  subjectId!: string;

  /** UTC midnight of the day the run was made (the one-run-per-day key). */
  @Column({ name: 'run_day', type: Date })
  runDay!: Date;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 100 })
  model!: string;

  @Column({ type: 'integer' })
  horizon!: number;

  /** DAY or HOUR: the length of one step. */
  @Column({ type: 'varchar', length: 8 })
  granularity!: string;

  /** Start of step 1: the period after the last observed one. */
  @Column({ name: 'origin_at', type: Date })
  originAt!: Date;

  @Column({ type: 'integer' })
  period!: number;

  /** In-sample naive MAE of the history (MASE denominator), null when undefined. */
  @Column({ name: 'mase_scale', type: 'double precision', nullable: true, transformer: numberTransformer })
  maseScale!: number | null;

  /** Backtest accuracy at run time: {mase, rmsse, wape, bias, origins} or null. */
  @Column({ type: 'text', nullable: true, transformer: jsonTransformer })
  accuracy!: Record<string, number | null> | null;

  /** Per step [value, lower80, upper80, lower95, upper95]. */
  @Column({ type: 'text', transformer: jsonTransformer })
  points!: number[][];
}
