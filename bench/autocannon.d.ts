/** The part of autocannon's programmatic API that bench/pages.ts uses (the package ships no types). */
declare module "autocannon" {
  type Options = { url: string; connections: number; duration: number; headers?: Record<string, string> };
  type Result = { "2xx": number; non2xx: number; errors: number; timeouts: number; duration: number; latency: { p50: number; p99: number } };
  export default function autocannon(options: Options): Promise<Result>;
}
