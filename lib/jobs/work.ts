import "server-only";
import type { Job, PgBoss, SendOptions, WorkOptions } from "pg-boss";
import type { JobData, JobName } from "./names";

type TypedJob<N extends JobName> = Job<JobData<N>>;
export type JobHandler<N extends JobName> = (jobs: TypedJob<N>[]) => Promise<void>;

/** `boss.work` with the job's data typed by its name (lib/jobs/names.ts). */
export function work<N extends JobName>(boss: PgBoss, name: N, handler: JobHandler<N>): Promise<string>;
export function work<N extends JobName>(boss: PgBoss, name: N, options: WorkOptions, handler: JobHandler<N>): Promise<string>;
export function work<N extends JobName>(boss: PgBoss, name: N, ...args: [JobHandler<N>] | [WorkOptions, JobHandler<N>]): Promise<string> {
  return args.length === 1 ? boss.work<JobData<N>>(name, args[0]) : boss.work<JobData<N>>(name, args[0], args[1]);
}

/** `boss.schedule` with the data every scheduled run carries typed by the job's name. */
export function schedule<N extends JobName>(boss: PgBoss, name: N, cron: string, ...data: JobData<N> extends Record<string, never> ? [] : [JobData<N>]): Promise<void> {
  return boss.schedule(name, cron, ...(data as [object?]));
}

/** `boss.send` outside a transaction (a worker queueing a follow-up), typed like `enqueue`. */
export function send<N extends JobName>(boss: PgBoss, name: N, data: JobData<N>, options: SendOptions = {}): Promise<string | null> {
  return boss.send(name, data, options);
}
