import type { NextConfig } from "next";
import { NO_CONTENT_CSP, STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Benchmarks build into their own folder so that a build for them never replaces the one being tested.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm test` runs `tsc --noEmit` over the whole project first; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Keep the database driver and job queue out of the bundle: they are Node-only server code.
  // pdfkit loads its standard fonts through package subpath imports at run time.
  serverExternalPackages: ["postgres", "pg-boss", "nodemailer", "pdfkit", "zengin-code"],
  experimental: {
    authInterrupts: true,
    // Identity documents (up to 5 MB) are uploaded through a server action.
    serverActions: { bodySizeLimit: "6mb" },
  },
  // The fixed security headers on every response; proxy.ts adds the per-request CSP.
  async headers() {
    return [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      { source: "/api/stripe/webhook", headers: [{ key: "Content-Security-Policy", value: NO_CONTENT_CSP }] },
    ];
  },
};

export default nextConfig;
