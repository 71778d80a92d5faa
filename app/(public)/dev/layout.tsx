import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { env } from "@/lib/env";

/** Everything under /dev is demo-only: live mode answers 404 here, whatever page is added (each page checks too). */
export default function DevLayout({ children }: { children: ReactNode }) {
  if (!env().isDemo) notFound();
  return children;
}
