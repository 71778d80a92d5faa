import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm test` runs `tsc --noEmit` over the whole project first; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Keep the database driver and job queue out of the bundle: they are Node-only server code.
  serverExternalPackages: ["postgres", "pg-boss", "nodemailer"],
  experimental: {
    authInterrupts: true,
    // Identity documents (up to 5 MB) are uploaded through a server action.
    serverActions: { bodySizeLimit: "6mb" },
  },
};

export default nextConfig;
