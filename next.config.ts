import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Keep the database driver and job queue out of the bundle: they are Node-only server code.
  serverExternalPackages: ["postgres", "pg-boss", "nodemailer"],
  experimental: {
    authInterrupts: true,
  },
};

export default nextConfig;
