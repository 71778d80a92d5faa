export const ROLES = ["investor", "staff", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { investor: 0, staff: 1, admin: 2 };

/** Admin can do what staff can; staff can do what an investor can. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

export type SessionUser = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** When this session signed in (its creation); absent means unknown, never recent. */
  signedInAt?: Date;
};
